//! Claude Managed Agents: the managed agents a key can see, an agent's link to one, pulling
//! its sessions and outcomes, publishing memory to its memory store, and Anthropic's dream
//! reviewed as proposals. The Anthropic key is the one in the keychain (or, for the command
//! line, `ANTHROPIC_API_KEY`); `ANTHROPIC_BASE_URL` points elsewhere, as with the SDKs.

pub use crate::managed::{
    begin_dream, dream, finish_dream, get, link, list_agents, pull, push, unlink, BegunDream,
    MAX_DREAM_SESSIONS,
};
