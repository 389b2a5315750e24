//! Dreaming: a dream as a record (open, read the window, run the tiers, store, close), the
//! offline tier, the LLM curator, and the review that applies proposals to memory.

pub mod auto;
pub mod curator;
pub mod liveness;
pub mod offline;
pub mod review;
mod run;
pub mod safety;

pub use run::*;
