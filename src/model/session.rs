//! Sessions: messages, feedback, grades, and how lists of them are asked for.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;

crate::text_enum! {
    pub enum Role {
        User = "user",
        Assistant = "assistant",
        Tool = "tool",
        System = "system",
    }
}

/// A tool call made by the assistant (name and JSON input).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ToolCall {
    pub name: String,
    #[serde(default)]
    pub input: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Message {
    pub role: Role,
    pub content: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// An answer the person stopped before it finished (in the app's Work view).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stopped: bool,
}

crate::text_enum! {
    pub enum Verdict {
        Accepted = "accepted",
        Revised = "revised",
        Rejected = "rejected",
    }
}

/// A person's verdict on one assistant message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Feedback {
    /// Index of the assistant message in the session's `messages`.
    pub message: u32,
    pub verdict: Verdict,
    /// For `revised`: the text the person actually used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

crate::text_enum! {
    pub enum GradeValue {
        Met = "met",
        NotMet = "not_met",
        Unknown = "unknown",
    }
}

crate::text_enum! {
    pub enum GradeSource {
        /// Derived from explicit feedback on a message.
        Feedback = "feedback",
        /// Derived from the messages (re-explaining, corrections, reformat requests).
        Heuristic = "heuristic",
        /// Set by an LLM grader.
        Llm = "llm",
        /// Set by a person, or imported with the session.
        Person = "person",
        /// Imported with the session from an outside grader (Anthropic's outcome grader for
        /// a managed agent's session).
        Grader = "grader",
    }
}

/// How one session did on one rubric outcome, and who decided.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Grade {
    pub outcome: String,
    /// The outcome in words: "Task completed first pass".
    pub label: String,
    pub value: GradeValue,
    pub source: GradeSource,
    pub reason: String,
}

/// One row of a session list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionSummary {
    /// The session's id in its source (unique per agent).
    pub id: String,
    pub agent: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub user: Option<String>,
    pub tags: Scope,
    /// The tags in words: "client: Harbour Tea".
    pub tags_label: String,
    pub message_count: u32,
    /// The first user message, shortened, so a list row says what the session was about.
    pub preview: String,
    pub accepted: u32,
    pub revised: u32,
    pub rejected: u32,
}

/// A whole session: transcript, feedback, grades.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Session {
    #[serde(flatten)]
    pub summary: SessionSummary,
    pub messages: Vec<Message>,
    pub feedback: Vec<Feedback>,
    /// Outcomes as imported (`outcome name -> met`).
    pub outcomes: BTreeMap<String, bool>,
    pub grades: Vec<Grade>,
    pub source: String,
    /// A person's comment on the whole session.
    pub comment: Option<String>,
    /// The file it was imported from, if any.
    pub file: Option<String>,
    /// Indexes of the messages whose verdict a person gave in Reverie (not an import).
    pub judged_here: Vec<u32>,
}

/// Which sessions a list shows. Every field is optional; `limit` defaults to 100.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionFilter {
    /// Only sessions tagged `scope_key: scope_value` (e.g. client / Harbour Tea).
    pub scope_key: Option<String>,
    pub scope_value: Option<String>,
    /// Only sessions graded on this outcome...
    pub outcome: Option<String>,
    /// ...with this result (true = met, false = not met).
    pub outcome_met: Option<bool>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Words to find in the session's messages.
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionPage {
    /// How many sessions match the filter in all.
    pub total: u32,
    pub sessions: Vec<SessionSummary>,
}

/// A tag value seen on an agent's sessions, e.g. client / Harbour Tea, with how many sessions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScopeCount {
    pub key: String,
    pub value: String,
    /// "client: Harbour Tea".
    pub label: String,
    pub sessions: u32,
}
