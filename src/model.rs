//! The domain of DESIGN.md as plain data: what the store returns, the CLI prints as JSON and
//! the UI receives over IPC. TypeScript bindings are generated from these types (ts-rs).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Tags that scope a session or a memory entry, e.g. `{"client": "Harbour Tea"}`.
/// An empty map is the team-wide (global) scope.
pub type Scope = BTreeMap<String, String>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Agent {
    pub slug: String,
    pub name: String,
    pub model: Option<String>,
    pub system_prompt: String,
    pub memory_enabled: bool,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// Number of sessions stored for this agent.
    #[ts(type = "number")]
    pub sessions: i64,
    /// Number of live memory entries.
    #[ts(type = "number")]
    pub memory_entries: i64,
    #[ts(type = "string | null")]
    pub last_session_at: Option<DateTime<Utc>>,
}

/// Fields a person may change on an agent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgentPatch {
    pub name: Option<String>,
    pub model: Option<String>,
    pub system_prompt: Option<String>,
    pub memory_enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Role {
    User,
    Assistant,
    Tool,
    System,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::System => "system",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            "system" => Role::System,
            _ => return None,
        })
    }
}

/// A tool call made by the assistant (name and JSON input).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ToolCall {
    pub name: String,
    #[serde(default)]
    #[ts(type = "unknown")]
    pub input: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Message {
    pub role: Role,
    pub content: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Verdict {
    Accepted,
    Revised,
    Rejected,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Revised => "revised",
            Verdict::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Verdict> {
        Some(match s {
            "accepted" => Verdict::Accepted,
            "revised" => Verdict::Revised,
            "rejected" => Verdict::Rejected,
            _ => return None,
        })
    }
}

/// A person's verdict on one assistant message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
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

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GradeValue {
    Met,
    NotMet,
    Unknown,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum GradeSource {
    /// Derived from explicit feedback on a message.
    Feedback,
    /// Derived from the messages (re-explaining, corrections, reformat requests).
    Heuristic,
    /// Set by an LLM grader.
    Llm,
    /// Set by a person, or imported with the session.
    Person,
}

impl GradeValue {
    pub fn as_str(self) -> &'static str {
        match self {
            GradeValue::Met => "met",
            GradeValue::NotMet => "not_met",
            GradeValue::Unknown => "unknown",
        }
    }
}

impl GradeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            GradeSource::Feedback => "feedback",
            GradeSource::Heuristic => "heuristic",
            GradeSource::Llm => "llm",
            GradeSource::Person => "person",
        }
    }
}

/// How one session did on one rubric outcome, and who decided.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Grade {
    pub outcome: String,
    pub value: GradeValue,
    pub source: GradeSource,
    pub reason: String,
}

/// One row of a session list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct SessionSummary {
    /// The session's id in its source (unique per agent).
    pub id: String,
    pub agent: String,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub ended_at: Option<DateTime<Utc>>,
    pub user: Option<String>,
    pub tags: Scope,
    pub message_count: u32,
    /// The first user message, shortened, so a list row says what the session was about.
    pub preview: String,
    pub accepted: u32,
    pub revised: u32,
    pub rejected: u32,
}

/// A whole session: transcript, feedback, grades.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Session {
    #[serde(flatten)]
    pub summary: SessionSummary,
    pub messages: Vec<Message>,
    pub feedback: Vec<Feedback>,
    /// Outcomes as imported (`outcome name -> met`).
    pub outcomes: BTreeMap<String, bool>,
    pub grades: Vec<Grade>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MemorySource {
    /// Typed by a person.
    Person,
    /// Proposed by a dream and approved.
    Dream,
    /// Loaded from a file with `memory import`.
    Import,
}

impl MemorySource {
    pub fn as_str(self) -> &'static str {
        match self {
            MemorySource::Person => "person",
            MemorySource::Dream => "dream",
            MemorySource::Import => "import",
        }
    }
    pub fn parse(s: &str) -> MemorySource {
        match s {
            "dream" => MemorySource::Dream,
            "import" => MemorySource::Import,
            _ => MemorySource::Person,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct MemoryEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub content: String,
    pub scope: Scope,
    pub source: MemorySource,
    /// The dream whose proposal created or last changed this entry.
    #[ts(type = "number | null")]
    pub dream_id: Option<i64>,
    /// Sessions that support this entry.
    pub session_ids: Vec<String>,
    /// How many sessions have supported it.
    pub support: u32,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MemoryEventKind {
    Add,
    Edit,
    Remove,
    Refine,
    Merge,
    Restore,
}

impl MemoryEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryEventKind::Add => "add",
            MemoryEventKind::Edit => "edit",
            MemoryEventKind::Remove => "remove",
            MemoryEventKind::Refine => "refine",
            MemoryEventKind::Merge => "merge",
            MemoryEventKind::Restore => "restore",
        }
    }
    pub fn parse(s: &str) -> MemoryEventKind {
        match s {
            "edit" => MemoryEventKind::Edit,
            "remove" => MemoryEventKind::Remove,
            "refine" => MemoryEventKind::Refine,
            "merge" => MemoryEventKind::Merge,
            "restore" => MemoryEventKind::Restore,
            _ => MemoryEventKind::Add,
        }
    }
}

/// One change to memory. Memory's version is the number of events so far.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct MemoryEvent {
    #[ts(type = "number")]
    pub version: i64,
    #[ts(type = "number")]
    pub entry_id: i64,
    pub kind: MemoryEventKind,
    pub before: Option<String>,
    pub after: Option<String>,
    #[ts(type = "number | null")]
    pub dream_id: Option<i64>,
    #[ts(type = "number | null")]
    pub proposal_id: Option<i64>,
    pub actor: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum DreamStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Canceled,
    Interrupted,
}

impl DreamStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DreamStatus::Pending => "pending",
            DreamStatus::Running => "running",
            DreamStatus::Completed => "completed",
            DreamStatus::Failed => "failed",
            DreamStatus::Canceled => "canceled",
            DreamStatus::Interrupted => "interrupted",
        }
    }
    pub fn parse(s: &str) -> DreamStatus {
        match s {
            "pending" => DreamStatus::Pending,
            "running" => DreamStatus::Running,
            "completed" => DreamStatus::Completed,
            "canceled" => DreamStatus::Canceled,
            "interrupted" => DreamStatus::Interrupted,
            _ => DreamStatus::Failed,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Dream {
    #[ts(type = "number")]
    pub id: i64,
    pub agent: String,
    pub status: DreamStatus,
    /// `manual` or `scheduled`.
    pub trigger: String,
    pub window_days: u32,
    #[ts(type = "string")]
    pub window_start: DateTime<Utc>,
    #[ts(type = "string")]
    pub window_end: DateTime<Utc>,
    pub sessions_read: u32,
    #[ts(type = "number")]
    pub memory_version_start: i64,
    /// `offline` for the embedded dreamer, otherwise the LLM used.
    pub model: String,
    #[ts(type = "number")]
    pub input_tokens: i64,
    #[ts(type = "number")]
    pub output_tokens: i64,
    /// Input tokens read from the provider's prompt cache.
    #[ts(type = "number")]
    pub cached_tokens: i64,
    /// What the LLM tier cost, in US dollars (0 for the offline dreamer).
    pub cost_usd: f64,
    /// A caution for the reviewer, e.g. too little signal.
    pub warning: Option<String>,
    pub error: Option<String>,
    /// Plain-language notes from the dreamer, e.g. changes held back because you rejected them before.
    pub notes: Vec<String>,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub finished_at: Option<DateTime<Utc>>,
    pub proposals: u32,
    pub pending: u32,
    pub applied: u32,
    pub rejected: u32,
    pub undone: bool,
}

/// Progress of a running dream, sent as the `dream-progress` event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct DreamProgress {
    #[ts(type = "number")]
    pub dream_id: i64,
    pub agent: String,
    /// What the dream is doing, in plain words ("Reading 140 sessions").
    pub step: String,
    /// 0 to 1.
    pub fraction: f64,
}

/// A dream with its proposals: what `reverie dream --json` prints and the review screen shows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct DreamReport {
    pub dream: Dream,
    pub proposals: Vec<Proposal>,
    /// The memory entries the proposals change (remove / refine / merge), as they are now.
    pub targets: Vec<MemoryEntry>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ProposalOp {
    Add,
    Remove,
    Refine,
    Merge,
}

impl ProposalOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalOp::Add => "add",
            ProposalOp::Remove => "remove",
            ProposalOp::Refine => "refine",
            ProposalOp::Merge => "merge",
        }
    }
    pub fn parse(s: &str) -> Option<ProposalOp> {
        Some(match s {
            "add" => ProposalOp::Add,
            "remove" => ProposalOp::Remove,
            "refine" => ProposalOp::Refine,
            "merge" => ProposalOp::Merge,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Decision {
    Pending,
    Approved,
    Rejected,
    Applied,
    Superseded,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
            Decision::Applied => "applied",
            Decision::Superseded => "superseded",
        }
    }
    pub fn parse(s: &str) -> Decision {
        match s {
            "approved" => Decision::Approved,
            "rejected" => Decision::Rejected,
            "applied" => Decision::Applied,
            "superseded" => Decision::Superseded,
            _ => Decision::Pending,
        }
    }
}

/// A session behind a proposal, with a short quote from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Evidence {
    pub session_id: String,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Proposal {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub dream_id: i64,
    pub op: ProposalOp,
    /// The new entry text (for `remove`: the text of the entry to remove).
    pub content: String,
    pub scope: Scope,
    /// Memory entries this proposal changes (remove / refine / merge).
    #[ts(type = "Array<number>")]
    pub targets: Vec<i64>,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
    pub rationale: String,
    pub decision: Decision,
    /// Why a person rejected it.
    pub reason: Option<String>,
    /// Cautions for the reviewer (e.g. `contains_link`); a flagged proposal is never auto-applied.
    pub flags: Vec<String>,
}

/// One bad line of an import.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct LineError {
    #[ts(type = "number")]
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ImportReport {
    #[ts(type = "number")]
    pub imported: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub failed: u64,
    pub errors: Vec<LineError>,
    /// The format that was read (`reverie`, `anthropic`, `openai`, `claude-code`).
    pub format: String,
}

/// Which sessions a list shows. Every field is optional; `limit` defaults to 100.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct SessionFilter {
    /// Only sessions tagged `scope_key: scope_value` (e.g. client / Harbour Tea).
    pub scope_key: Option<String>,
    pub scope_value: Option<String>,
    /// Only sessions graded on this outcome...
    pub outcome: Option<String>,
    /// ...with this result (true = met, false = not met).
    pub outcome_met: Option<bool>,
    #[ts(type = "string | null")]
    pub from: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub to: Option<DateTime<Utc>>,
    /// Words to find in the session's messages.
    pub search: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct SessionPage {
    /// How many sessions match the filter in all.
    pub total: u32,
    pub sessions: Vec<SessionSummary>,
}

/// Progress of a long import, sent as the `import-progress` event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub lines_done: u64,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// Where the database lives, so a person can back it up.
    pub db_path: String,
}

/// An agent's rubric with the exact YAML it is stored as.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct RubricView {
    pub rubric: crate::rubric::Rubric,
    pub yaml: String,
}

/// The result of checking a rubric (from the editor or from YAML): the problems, and the YAML
/// it would be saved as. `rubric` is absent when YAML could not be read at all.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct RubricCheck {
    pub rubric: Option<crate::rubric::Rubric>,
    pub issues: Vec<crate::rubric::RubricIssue>,
    pub yaml: Option<String>,
}

/// A schedule explained: in words, and its next runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ScheduleInfo {
    pub expr: String,
    /// "Every night at 2:00", "Weekdays at 7:30", …; empty when invalid.
    pub words: String,
    #[ts(type = "Array<string>")]
    pub next_runs: Vec<DateTime<Utc>>,
    /// What is wrong, in plain words, when the expression is not a valid schedule.
    pub error: Option<String>,
}

/// A tag value seen on an agent's sessions, e.g. client / Harbour Tea, with how many sessions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ScopeCount {
    pub key: String,
    pub value: String,
    pub sessions: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct OutcomeRate {
    pub met: u32,
    pub not_met: u32,
    /// met / (met + not_met); absent when no session of the week was graded on it.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct WeekProgress {
    /// Monday 00:00 UTC of the week.
    #[ts(type = "string")]
    pub week_start: DateTime<Utc>,
    pub sessions: u32,
    /// Outcome name -> how sessions of that week did on it.
    pub outcomes: BTreeMap<String, OutcomeRate>,
}

/// A dream on the progress chart: when it changed memory, and by how much.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct DreamMarker {
    #[ts(type = "number")]
    pub dream_id: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub applied: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ProgressReport {
    /// The rubric's outcomes, in rubric order.
    pub outcomes: Vec<String>,
    /// Oldest first, one per week that had sessions (and the weeks between).
    pub weeks: Vec<WeekProgress>,
    pub dreams: Vec<DreamMarker>,
    /// Sessions a week below which dreams have too little signal.
    pub guidance_per_week: u32,
}

/// What the scheduler last did for an agent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct ScheduleRecord {
    /// The scheduled time that was handled.
    #[ts(type = "string")]
    pub slot: DateTime<Utc>,
    /// `dreamed`, `skipped`, `failed`, `busy` or `canceled`.
    pub outcome: String,
    /// Why, in plain words, for anything but `dreamed`.
    pub reason: Option<String>,
    #[ts(type = "number | null")]
    pub dream_id: Option<i64>,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
}

/// An agent's dreaming schedule: in words, when it next runs, and what happened last time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct AgentSchedule {
    pub agent: String,
    pub name: String,
    pub schedule: String,
    pub words: String,
    #[ts(type = "string | null")]
    pub next_run: Option<DateTime<Utc>>,
    pub last: Option<ScheduleRecord>,
    /// Proposals waiting for review across the agent's dreams.
    pub pending: u32,
}
