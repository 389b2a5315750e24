//! Dreaming schedules: in words, their next runs, what the scheduler last did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// What the scheduler did with a slot.
    pub enum ScheduleOutcome {
        Dreamed = "dreamed",
        /// Nothing new to dream over.
        Skipped = "skipped",
        Failed = "failed",
        /// Another dream for the agent was running.
        Busy = "busy",
        Canceled = "canceled",
    }
}

/// A schedule explained: in words, and its next runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduleInfo {
    pub expr: String,
    /// "Every night at 2:00", "Weekdays at 7:30", …; empty when invalid.
    pub words: String,
    pub next_runs: Vec<DateTime<Utc>>,
    /// The same runs as a person says them ("tonight at 2:00", "Friday at 2:00").
    pub next_runs_words: Vec<String>,
    /// What is wrong, in plain words, when the expression is not a valid schedule.
    pub error: Option<String>,
}

/// What the scheduler last did for an agent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScheduleRecord {
    /// The scheduled time that was handled.
    pub slot: DateTime<Utc>,
    pub outcome: ScheduleOutcome,
    /// Why, in plain words, for anything but `dreamed`.
    pub reason: Option<String>,
    pub dream_id: Option<i64>,
    pub at: DateTime<Utc>,
}

/// An agent's dreaming schedule: in words, when it next runs, and what happened last time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgentSchedule {
    pub agent: String,
    pub name: String,
    pub schedule: String,
    pub words: String,
    pub next_run: Option<DateTime<Utc>>,
    /// The next run as a person says it: "tonight at 2:00", "tomorrow at 7:30", "now".
    pub next_run_words: Option<String>,
    pub last: Option<ScheduleRecord>,
    /// Proposals waiting for review across the agent's dreams.
    pub pending: u32,
}
