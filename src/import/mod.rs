//! Importing sessions: the interchange format and converters from other transcript formats.

pub mod convert;
pub mod lines;
pub mod memory;
mod pipeline;
pub mod record;

pub use convert::Format;
pub use pipeline::{import_file, ImportOptions};
