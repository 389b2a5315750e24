//! Reverie's engine: storage, import, rubric, dreaming and scheduling. It knows nothing of
//! windows; the CLI (`src/main.rs`) and the desktop shell (`src-tauri/`) both call it.

pub mod app;
pub mod db;
pub mod demo;
pub mod dream;
pub mod dreaming;
pub mod error;
pub mod import;
pub mod llm;
pub mod memory_io;
pub mod model;
pub mod notice;
pub mod review;
pub mod rubric;
pub mod schedule;
pub mod scheduler;
pub mod secret;
pub mod settings;
pub mod store;

pub use error::{Error, ErrorCode, Result};
