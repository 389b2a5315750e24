//! Writing what Reverie holds into files people and tools read.

pub mod memory;
