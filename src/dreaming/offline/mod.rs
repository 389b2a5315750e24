//! The offline dreamer: pure, deterministic, no database and no network. It grades the
//! sessions of a window against the rubric, mines evidence per scope (reviewer edits,
//! corrections, clarifying questions, workflows), checks it against memory, and proposes
//! memory edits as plain sentences with evidence. Storing grades and proposals, and applying
//! them, is the store's job.

mod corrections;
mod edits;
mod evidence;
mod grade;
mod hygiene;
mod mine;
mod phrasing;
mod propose;
mod support;
mod text;
mod workflows;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{Evidence, Feedback, Flag, Grade, MemoryEntry, Message, ProposalOp, Scope};
use crate::rubric::Rubric;

/// One session of the window, as the dreamer reads it.
#[derive(Debug, Clone)]
pub struct DreamSession {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub tags: Scope,
    pub messages: Vec<Message>,
    pub feedback: Vec<Feedback>,
    pub outcomes: BTreeMap<String, bool>,
}

/// A proposal a person rejected before: its pattern key and how much support it had then.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedPattern {
    pub pattern: String,
    pub support: u32,
}

pub struct DreamInput<'a> {
    pub rubric: &'a Rubric,
    pub sessions: &'a [DreamSession],
    pub memory: &'a [MemoryEntry],
    pub rejected: &'a [RejectedPattern],
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProposalDraft {
    pub op: ProposalOp,
    pub content: String,
    pub scope: Scope,
    pub targets: Vec<i64>,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
    pub rationale: String,
    /// Stable key of the underlying pattern (e.g. "ban-word|client=Harbour Tea|seamless"), used to remember rejections.
    pub pattern: String,
    pub support: u32,
    /// Distinct days of the sessions behind it.
    pub support_days: u32,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, Default)]
pub struct DreamOutput {
    /// Session id -> grades, one per rubric outcome, in the order sessions were given.
    pub grades: Vec<(String, Vec<Grade>)>,
    pub proposals: Vec<ProposalDraft>,
    /// Plain-language notes for the reviewer, e.g. "Held back 1 change you rejected before: …".
    pub notes: Vec<String>,
}

/// Dreams over the window: grades every session and proposes memory edits.
pub fn run(input: &DreamInput) -> DreamOutput {
    let mined = mine::mine(input);
    let mut notes = mined.notes;
    let mut proposals = Vec::new();
    let mut held = Vec::new();
    for mut p in mined.proposals {
        match input.rejected.iter().find(|r| r.pattern == p.pattern) {
            Some(r) if p.support < r.support.saturating_mul(2).max(r.support + 2) => {
                held.push(p.content.clone());
            }
            Some(r) => {
                notes.push(format!(
                    "Proposing again a change you rejected before, because its support grew from {} to {} sessions: {}",
                    r.support, p.support, p.content
                ));
                p.rationale.push_str(&format!(
                    " You rejected this before with {} supporting sessions; it now has {}.",
                    r.support, p.support
                ));
                proposals.push(p);
            }
            None => proposals.push(p),
        }
    }
    if !held.is_empty() {
        let n = held.len();
        let what = if n == 1 { "change" } else { "changes" };
        notes.push(format!(
            "Held back {n} {what} you rejected before: {}",
            held.join(" / ")
        ));
    }
    for p in &mut proposals {
        p.flags = crate::dreaming::safety::check(&p.content, &p.scope);
        p.confidence = p.confidence.clamp(0.0, 1.0);
    }
    proposals.sort_by(|a, b| {
        let rank = |op: ProposalOp| match op {
            ProposalOp::Remove => 0,
            ProposalOp::Refine => 1,
            ProposalOp::Merge => 2,
            ProposalOp::Add => 3,
        };
        rank(a.op)
            .cmp(&rank(b.op))
            .then_with(|| a.scope.cmp(&b.scope))
            .then(b.confidence.total_cmp(&a.confidence))
            .then_with(|| a.pattern.cmp(&b.pattern))
            .then_with(|| a.content.cmp(&b.content))
    });
    DreamOutput {
        grades: mined.grades,
        proposals,
        notes,
    }
}

#[cfg(test)]
mod tests;
