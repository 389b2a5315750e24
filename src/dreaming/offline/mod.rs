//! The offline dreamer: pure, deterministic, no database and no network. It grades the
//! sessions of a window against the rubric, mines evidence per scope (reviewer edits,
//! corrections, clarifying questions, workflows), checks it against memory, and proposes
//! memory edits as plain sentences with evidence. Storing grades and proposals, and applying
//! them, is the store's job.

mod corrections;
mod edits;
pub mod effect;
mod evidence;
mod grade;
mod hygiene;
pub mod impact;
mod mine;
mod phrasing;
mod propose;
mod statements;
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
    /// Outcomes an outside grader decided (e.g. Anthropic's outcome grader), with its reason;
    /// their values are in `outcomes`.
    pub graders: BTreeMap<String, String>,
}

/// A proposal a person rejected before: its pattern key and how much support it had then.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedPattern {
    pub pattern: String,
    pub support: u32,
    /// Why the person rejected it, in their words, if they said.
    pub reason: Option<String>,
}

/// What a rejection's reason says about other scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// "Wrong client", "only for Harbour Tea": the rule may still hold elsewhere.
    ThisScope,
    /// "Not a standing rule", "one-off", "we never want this": wrong everywhere.
    Everywhere,
    /// No reason, or one that says neither: other scopes are held to more support.
    Unsaid,
}

fn reach(reason: Option<&str>) -> Reach {
    let Some(r) = reason.map(|r| format!(" {} ", r.to_lowercase())) else {
        return Reach::Unsaid;
    };
    const HERE: &[&str] = &[
        "wrong client",
        "this client",
        "not for this",
        "only for",
        "just for",
        "for them",
        "client-specific",
        "client specific",
        "not this client",
        "different client",
        "other client",
        "wrong team",
        "wrong repo",
        "this repo",
        "wrong project",
        "this project",
        "wrong scope",
        "not here",
        "not for us here",
    ];
    const EVERYWHERE: &[&str] = &[
        "standing rule",
        "not a rule",
        "one-off",
        "one off",
        "just once",
        "was a one",
        "only once",
        "temporary",
        "don't want",
        "do not want",
        "never want",
        "we never",
        "nobody",
        "not how we",
        "not our",
        "bad rule",
        "bad idea",
        "not true",
        "wrong rule",
        "not a preference",
        "coincidence",
        "noise",
        "doesn't apply",
        "does not apply",
    ];
    if HERE.iter().any(|m| r.contains(m)) {
        Reach::ThisScope
    } else if EVERYWHERE.iter().any(|m| r.contains(m)) {
        Reach::Everywhere
    } else {
        Reach::Unsaid
    }
}

/// A pattern key without its scope part ("ban-phrase|client=A|seamless" -> "ban-phrase|seamless"),
/// so the same rule proposed for another client is recognised.
fn unscoped(pattern: &str) -> String {
    pattern
        .split('|')
        .filter(|part| *part != "team" && !part.contains('='))
        .collect::<Vec<_>>()
        .join("|")
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
    /// Every session behind it (`evidence` quotes only a few).
    pub supporting: Vec<String>,
    /// Set once the window's revisions are counted, after every tier proposed.
    pub impact: Option<crate::model::Impact>,
}

impl ProposalDraft {
    /// The proposal read as if it were already a memory entry, so memory's readers (its
    /// matchers, its comparisons) can judge it.
    pub(crate) fn as_entry(&self) -> crate::model::MemoryEntry {
        crate::model::MemoryEntry {
            id: 0,
            content: self.content.clone(),
            scope: self.scope.clone(),
            scope_label: String::new(),
            source: crate::model::MemorySource::Dream,
            dream_id: None,
            session_ids: vec![],
            support: 0,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }
}

/// What the offline tier could not explain in one session: statements no finding covers,
/// and whether the reviewers' edits there match no finding. The curator reads these, so a
/// provider spends its tokens on what rules cannot see.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Residual {
    pub session_id: String,
    /// Things people said they want that no proposal covers, as they wrote them.
    pub said: Vec<String>,
    /// The reviewers' edits in this session are explained by no proposal.
    pub edited: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DreamOutput {
    /// Session id -> grades, one per rubric outcome, in the order sessions were given.
    pub grades: Vec<(String, Vec<Grade>)>,
    pub proposals: Vec<ProposalDraft>,
    /// Plain-language notes for the reviewer, e.g. "Held back 1 change you rejected before: …".
    pub notes: Vec<String>,
    /// What no finding explains, session by session.
    pub residual: Vec<Residual>,
    /// The shapes of the texts the dream read, for ranking by impact without reading again.
    /// Keyed by where each text lives: valid only with the sessions this dream was given.
    pub(crate) shapes: Shapes,
}

/// The shapes of texts a dream read, by where each text lives in the window (its address and
/// length: the window is borrowed, unchanged, for the whole dream), so later steps that check
/// the same drafts do not read them again.
#[derive(Debug, Clone, Default)]
pub struct Shapes(rustc_hash::FxHashMap<(usize, usize), text::Shape>);

impl Shapes {
    fn key(t: &str) -> (usize, usize) {
        (t.as_ptr() as usize, t.len())
    }

    pub(crate) fn put(&mut self, t: &str, shape: text::Shape) {
        self.0.insert(Self::key(t), shape);
    }

    pub(crate) fn get(&self, t: &str) -> Option<text::Shape> {
        self.0.get(&Self::key(t)).copied()
    }
}

/// Dreams over the window: grades every session and proposes memory edits.
pub fn run(input: &DreamInput) -> DreamOutput {
    let mut mined = mine::mine(input);
    propose::fold_same(&mut mined.proposals);
    let mut notes = mined.notes;
    let mut proposals = Vec::new();
    let mut held = Vec::new();
    let mut held_elsewhere = Vec::new();
    for mut p in mined.proposals {
        // The same rule rejected in another scope: held back as the reason says.
        let key = unscoped(&p.pattern);
        let elsewhere = input
            .rejected
            .iter()
            .filter(|r| r.pattern != p.pattern && unscoped(&r.pattern) == key)
            .filter_map(|r| match reach(r.reason.as_deref()) {
                Reach::ThisScope => None,
                Reach::Everywhere => Some((r, r.support.saturating_mul(2).max(r.support + 2))),
                Reach::Unsaid => Some((r, r.support + 2)),
            })
            .max_by_key(|(_, need)| *need);
        if let Some((r, need)) = elsewhere {
            if p.support < need {
                held_elsewhere.push(p.content.clone());
                continue;
            }
            p.rationale.push_str(&format!(
                " The same rule was rejected for another client or group before{}; it has {} supporting sessions here.",
                r.reason
                    .as_deref()
                    .map(|x| format!(" (\"{x}\")"))
                    .unwrap_or_default(),
                p.support
            ));
        }
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
    if !held_elsewhere.is_empty() {
        let n = held_elsewhere.len();
        let what = if n == 1 { "change" } else { "changes" };
        notes.push(format!(
            "Held back {n} {what} like ones you rejected for another client or group: {}",
            held_elsewhere.join(" / ")
        ));
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
        residual: mined.residual,
        shapes: mined.shapes,
    }
}

#[cfg(test)]
mod tests;

/// See [`crate::dreaming::text_words`].
pub(crate) fn text_words(t: &str) -> Vec<String> {
    text::words(t).iter().map(|w| text::stem(w)).collect()
}
