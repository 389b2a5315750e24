//! Reverie's engine: storage, import, rubric, dreaming and scheduling. It knows nothing of
//! windows. [`api`] is its one front door: the command line (`cli/`), the desktop shell
//! (`src-tauri/`) and the tests call it; the other modules are how it is done.

pub mod api;
pub mod demo;
pub mod dreaming;
pub mod error;
pub mod export;
pub mod flow;
pub mod import;
pub mod llm;
pub mod managed;
pub mod model;
pub mod notice;
pub mod rubric;
pub mod schedule;
pub mod secret;
pub mod store;
pub mod team;
pub mod work;

pub use error::{Error, ErrorCode, Result};
