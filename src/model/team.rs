//! Teams of agents: a lead that delegates to specialists over a shared folder, and their runs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;

crate::text_enum! {
    /// A file tool a team member may use inside the team's folder.
    pub enum FileTool {
        ListFiles = "list_files",
        ReadFile = "read_file",
        WriteFile = "write_file",
    }
}

/// One member of a team: an agent, its role and the file tools it has.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamMember {
    pub agent: String,
    pub name: String,
    pub lead: bool,
    pub tools: Vec<FileTool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Team {
    pub slug: String,
    pub name: String,
    /// The lead first, then the specialists.
    pub members: Vec<TeamMember>,
    /// The shared folder every member's file tools work in.
    pub folder: String,
    pub max_parallel: u32,
    /// Tokens (input and output) one run may use; `None`: no limit.
    pub budget_tokens: Option<u64>,
    pub created_at: DateTime<Utc>,
}

crate::text_enum! {
    pub enum RunStatus {
        Running = "running",
        Completed = "completed",
        Failed = "failed",
        Canceled = "canceled",
    }
}

/// A team's run: the task, the lead's session (its answer is the output) and every
/// specialist's session it delegated.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamRun {
    pub id: i64,
    pub team: String,
    pub task: String,
    pub tags: Scope,
    pub status: RunStatus,
    pub lead_session: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Each delegation: the specialist and its session.
    pub delegations: Vec<Delegation>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Delegation {
    pub agent: String,
    pub session: String,
    pub task: String,
    /// `false` when the specialist failed (its error went to the lead).
    pub ok: bool,
}

/// What a run is doing, lane by lane, as it happens.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunEvent {
    pub run: i64,
    /// The agent whose lane this is (the lead's or a specialist's).
    pub agent: String,
    pub lead: bool,
    /// The session of this part of the run: one lane, even when the lead gives the same
    /// specialist two pieces at once.
    pub session: String,
    pub kind: RunEventKind,
    /// The task, a tool call in words, the answer, or the error.
    pub text: String,
}

crate::text_enum! {
    pub enum RunEventKind {
        /// A lane opened: the lead took the task, or a specialist was delegated one.
        Started = "started",
        /// A tool was used (a file read or written, a delegation).
        Tool = "tool",
        /// Text the agent wrote in a turn that also used tools, whole once the turn ended.
        Text = "text",
        /// A piece of text as the agent writes it, before its turn ends; an empty piece means
        /// the turn started over (its request was retried) and what came so far is void.
        Writing = "writing",
        /// The lane's agent finished; `text` is its answer.
        Finished = "finished",
        Failed = "failed",
        /// A file in the shared folder changed; `text` is its path.
        File = "file",
    }
}
