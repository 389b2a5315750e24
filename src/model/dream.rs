//! Dreams and their proposals.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{MemoryEntry, Scope};

crate::text_enum! {
    /// Who started a dream.
    pub enum Trigger {
        /// A person, from the window, the tray or the command line.
        Manual = "manual",
        /// The agent's schedule.
        Scheduled = "scheduled",
    }
}

crate::text_enum! {
    pub enum DreamStatus {
        Pending = "pending",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
        Canceled = "canceled",
        Interrupted = "interrupted",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Dream {
    pub id: i64,
    /// The agent's own count: its first dream is 1 (ids run across every agent).
    pub number: u32,
    pub agent: String,
    pub status: DreamStatus,
    pub trigger: Trigger,
    pub window_days: u32,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub sessions_read: u32,
    pub memory_version_start: i64,
    /// `offline` for the embedded dreamer, otherwise the LLM used.
    pub model: String,
    pub input_tokens: i64,
    pub output_tokens: i64,
    /// Input tokens read from the provider's prompt cache.
    pub cached_tokens: i64,
    /// What the LLM tier cost, in US dollars (0 for the offline dreamer).
    pub cost_usd: f64,
    /// A caution for the reviewer, e.g. too little signal.
    pub warning: Option<String>,
    pub error: Option<String>,
    /// Plain-language notes from the dreamer, e.g. changes held back because you rejected them before.
    pub notes: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub proposals: u32,
    pub pending: u32,
    pub applied: u32,
    pub rejected: u32,
    pub undone: bool,
}

/// Progress of a running dream, sent as the `dream-progress` event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DreamProgress {
    pub dream_id: i64,
    pub agent: String,
    /// What the dream is doing, in plain words ("Reading 140 sessions").
    pub step: String,
    /// 0 to 1.
    pub fraction: f64,
}

/// A dream with its proposals: what `reverie dream --json` prints and the review screen shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DreamReport {
    pub dream: Dream,
    pub proposals: Vec<Proposal>,
    /// The memory entries the proposals change (remove / refine / merge), as they are now.
    pub targets: Vec<MemoryEntry>,
}

crate::text_enum! {
    pub enum ProposalOp {
        Add = "add",
        Remove = "remove",
        Refine = "refine",
        Merge = "merge",
    }
}

crate::text_enum! {
    pub enum Decision {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Applied = "applied",
        Superseded = "superseded",
    }
}

/// A session behind a proposal, with a short quote from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Evidence {
    pub session_id: String,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Proposal {
    pub id: i64,
    pub dream_id: i64,
    pub op: ProposalOp,
    /// The new entry text (for `remove`: the text of the entry to remove).
    pub content: String,
    pub scope: Scope,
    /// The scope in words: "Team-wide", "client: Harbour Tea".
    pub scope_label: String,
    /// Memory entries this proposal changes (remove / refine / merge).
    pub targets: Vec<i64>,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
    pub rationale: String,
    pub decision: Decision,
    /// Why a person rejected it.
    pub reason: Option<String>,
    /// What the safety check found, in plain words; a flagged proposal is never auto-applied.
    pub flags: Vec<Flag>,
    /// Sessions behind it, and on how many distinct days.
    pub support: u32,
    pub support_days: u32,
    /// With auto-apply on: why it was applied without a person, or why it waits for one.
    pub auto_note: Option<String>,
    /// Auto-apply put it in memory (no person approved it), and it is still there.
    pub auto_applied: bool,
    /// How much of the window's revised work it would have spared; `None` when it speaks to no
    /// draft (combining two entries) or nothing was revised.
    pub impact: Option<Impact>,
}

/// What a proposed change would have spared in its dream's window.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Impact {
    /// Drafts people revised, rejected or corrected that this change speaks to.
    pub prevented: u32,
    /// Every draft people revised, rejected or corrected in the window.
    pub revised: u32,
    /// "Would have saved 9 of last week's 31 revisions".
    pub words: String,
}

/// What undoing a dream did: the dream as it is now, and how many memory changes went back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UndoReport {
    pub report: DreamReport,
    pub reverted: u32,
}

crate::text_enum! {
    /// The family of something a proposal must not carry into memory unseen.
    pub enum FlagKind {
        /// A link, a bare domain or an internet address.
        Link = "link",
        Email = "email",
        Phone = "phone",
        PaymentCard = "payment_card",
        /// A national id, social security or bank account number.
        NationalId = "national_id",
        /// An API key, token, private key or written-out password.
        Secret = "secret",
        /// An instruction aimed at the agent's operator or tools.
        Instruction = "instruction",
        /// A change of language or persona for every client.
        Persona = "persona",
    }
}

/// One thing the safety check found in a proposal, named in plain words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Flag {
    pub kind: FlagKind,
    /// What was found, e.g. "a web address (bit.ly/x)".
    pub detail: String,
}
