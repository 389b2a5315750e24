//! An agent's progress over time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutcomeRate {
    pub met: u32,
    pub not_met: u32,
    /// met / (met + not_met); absent when no session of the week was graded on it.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeekProgress {
    /// Monday 00:00 UTC of the week.
    pub week_start: DateTime<Utc>,
    pub sessions: u32,
    /// Outcome name -> how sessions of that week did on it.
    pub outcomes: BTreeMap<String, OutcomeRate>,
}

/// A dream on the progress chart: when it changed memory, and by how much.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DreamMarker {
    pub dream_id: i64,
    pub at: DateTime<Utc>,
    pub applied: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProgressReport {
    /// The rubric's outcomes, in rubric order.
    pub outcomes: Vec<String>,
    /// The same outcomes in words, in the same order.
    pub labels: Vec<String>,
    /// Oldest first, one per week that had sessions (and the weeks between).
    pub weeks: Vec<WeekProgress>,
    pub dreams: Vec<DreamMarker>,
    /// Sessions a week below which dreams have too little signal.
    pub guidance_per_week: u32,
}
