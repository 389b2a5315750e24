//! Importing sessions: the interchange format and converters from other transcript formats.

pub mod record;
