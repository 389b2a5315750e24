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
    /// Answers people gave a verdict on, and those they took as the agent wrote them.
    pub drafts: u32,
    pub accepted_as_drafted: u32,
    /// Minutes from a session's start to its end, for sessions whose answer was used
    /// (accepted or revised); `None` when no such session has both times.
    pub minutes_to_accept: Option<f64>,
    /// The person's follow-ups after the first answer, on average: rounds of correction.
    pub correction_rounds: Option<f64>,
}

/// `n` of `of`: drafts that did something, of those that could.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Count {
    pub n: u32,
    pub of: u32,
}

impl Count {
    pub fn rate(&self) -> Option<f64> {
        (self.of > 0).then(|| self.n as f64 / self.of as f64)
    }
}

/// The numbers a lead asks about first: drafts accepted as written and how long it takes to
/// an accepted answer, before and since dreaming first changed memory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Headline {
    /// When a dream first changed memory; `None` when none has yet.
    pub since: Option<DateTime<Utc>>,
    pub accepted_before: Count,
    pub accepted_after: Count,
    pub minutes_before: Option<f64>,
    pub minutes_after: Option<f64>,
    pub rounds_before: Option<f64>,
    pub rounds_after: Option<f64>,
    /// "Accepted as drafted: 41% → 68% since Nov 3".
    pub words: String,
}

crate::text_enum! {
    /// What the numbers say about a memory entry.
    pub enum EffectVerdict {
        /// Broken clearly less often since it entered memory.
        Helps = "helps",
        /// Enough drafts and weeks since, and no change: keep, reword or remove?
        NoChange = "no_change",
        /// Too few drafts or days since to tell.
        TooEarly = "too_early",
        /// No drafts from before it to compare with.
        NoBaseline = "no_baseline",
        /// It says nothing a draft's text can be checked against.
        NotMeasurable = "not_measurable",
    }
}

/// One memory entry's effect: how often drafts in its scope broke it before and since.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryEffect {
    pub id: i64,
    pub content: String,
    pub scope: super::Scope,
    pub scope_label: String,
    pub since: DateTime<Utc>,
    /// What breaking it means, e.g. "used an exclamation mark"; `None` when not measurable.
    pub check: Option<String>,
    /// Drafts in its scope that broke it, of those that could, before and since.
    pub before: Count,
    pub after: Count,
    pub verdict: EffectVerdict,
    /// "Drafts for Harbour Tea used an exclamation mark: 6 of 10 before, 1 of 14 since Nov 12".
    pub words: String,
}

/// A dream on the progress chart: when it changed memory, and by how much.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DreamMarker {
    pub dream_id: i64,
    /// The agent's own count of the dream (its first is 1).
    pub number: u32,
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
    /// The tags the figures are limited to (`{}`: every session).
    pub tags: super::Scope,
    /// The clients (values of the `client` tag) there are sessions for, to pick from.
    pub clients: Vec<String>,
    pub headline: Headline,
    /// Every memory entry in scope, the most helpful first, then those to review.
    pub entries: Vec<EntryEffect>,
}
