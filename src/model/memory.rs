//! Memory entries and the events that changed them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;

crate::text_enum! {
    pub enum MemorySource {
        /// Typed by a person.
        Person = "person",
        /// Proposed by a dream and approved.
        Dream = "dream",
        /// Loaded from a file with `memory import`.
        Import = "import",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemoryEntry {
    pub id: i64,
    pub content: String,
    pub scope: Scope,
    /// The scope in words: "Team-wide", "client: Harbour Tea".
    pub scope_label: String,
    pub source: MemorySource,
    /// The dream whose proposal created or last changed this entry.
    pub dream_id: Option<i64>,
    /// Sessions that support this entry.
    pub session_ids: Vec<String>,
    /// How many sessions have supported it.
    pub support: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::text_enum! {
    pub enum MemoryEventKind {
        Add = "add",
        Edit = "edit",
        Remove = "remove",
        Refine = "refine",
        Merge = "merge",
        Restore = "restore",
    }
}

/// One change to memory. Memory's version is the number of events so far.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemoryEvent {
    pub version: i64,
    pub entry_id: i64,
    pub kind: MemoryEventKind,
    pub before: Option<String>,
    pub after: Option<String>,
    pub dream_id: Option<i64>,
    pub proposal_id: Option<i64>,
    pub actor: String,
    /// Who made the change, in words that follow "by": "you, from Dream 3", "Dream 3,
    /// automatically", "an import from a file".
    pub who: String,
    pub at: DateTime<Utc>,
}

crate::text_enum! {
    /// How memory is written to a file.
    pub enum MemoryFormat {
        /// For people: entries grouped by scope.
        Markdown = "markdown",
        /// For tools: one `{"content", "scope"}` per line, as `memory import` reads.
        Jsonl = "jsonl",
    }
}
