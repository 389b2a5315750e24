//! Dreaming: a dream as a record (open, read the window, run the tiers, store, close), the
//! offline tier, the LLM curator, and the review that applies proposals to memory.

pub mod auto;
pub mod curator;
pub mod grading;
pub mod liveness;
pub mod offline;
pub mod review;
mod run;
pub mod safety;

pub use run::*;

/// The words of a text as the dreamer compares them: normalised, in any script, stemmed
/// (English unless a dream set another language on this thread).
pub fn text_words(text: &str) -> Vec<String> {
    offline::text_words(text)
}
