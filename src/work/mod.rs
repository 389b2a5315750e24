//! Working with an agent in Reverie: what it reads (its memory for a session's tags) and a
//! conversation with it through the configured provider.

pub mod chat;
pub mod prompt;
