//! Claude Managed Agents as Reverie sees them: the agents a key can see, an agent's link to one
//! (and to a memory store), and what a pull, a push or an Anthropic dream did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A managed agent the Anthropic key can see.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManagedAgent {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub model: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    /// Already linked to this Reverie agent (by slug), if any.
    pub linked_to: Option<String>,
}

/// A Reverie agent's link to a managed agent and its memory store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManagedLink {
    pub agent: String,
    pub managed_agent_id: String,
    pub managed_name: String,
    /// `None` until the first push creates one.
    pub memory_store_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_pull_at: Option<DateTime<Utc>>,
    pub last_push_at: Option<DateTime<Utc>>,
    /// Sessions pulled so far.
    pub sessions: u32,
    /// Why the last pull or push did not finish, in plain words.
    pub last_error: Option<String>,
    /// Documents someone changed in the store since Reverie wrote them.
    pub conflicts: Vec<StoreConflict>,
}

/// One document of the memory store changed outside Reverie: both sides, nothing overwritten.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoreConflict {
    pub path: String,
    /// What Reverie would write.
    pub ours: String,
    /// What the store holds now; `None` when it was deleted there.
    pub theirs: Option<String>,
    pub found_at: DateTime<Utc>,
}

/// What a pull brought in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PullReport {
    /// Sessions listed by the API, and those read because they were new or changed.
    pub listed: u32,
    pub imported: u32,
    pub updated: u32,
    /// Outcome evaluations that became grades.
    pub outcomes: u32,
    /// Sessions that could not be read, with why (the others still landed).
    pub problems: Vec<String>,
    /// Memory entries taken from the store (only when asked to pull memory too).
    pub memory_added: u32,
}

/// What a push wrote to the memory store.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PushReport {
    pub memory_store_id: String,
    pub created: u32,
    pub updated: u32,
    pub deleted: u32,
    pub unchanged: u32,
    /// Documents not written because someone changed them in the store.
    pub conflicts: Vec<StoreConflict>,
    /// Documents not written for another reason (too large, refused), each with why.
    pub problems: Vec<String>,
}
