//! What a proposed change would have spared: of the window's drafts that people revised,
//! rejected or corrected, how many the change speaks to. Where the change is a check on a
//! draft's text (a banned word, a structure, a length), the check is the one progress uses
//! and a revision counts when the draft broke it and the text the person used did not;
//! otherwise the revised sessions behind the proposal count. The review is ordered by it.

use std::collections::HashSet;

use crate::model::{Impact, ProposalOp, Role, Verdict};

use super::{effect, grade, DreamSession, ProposalDraft};

/// One draft people did not use as written: the answer, and the text they used instead if
/// they said (a rejection or a follow-up correction has none).
struct Revision<'a> {
    session: &'a DreamSession,
    draft: &'a str,
    used: Option<&'a str>,
}

/// The window's revisions, counted once for every proposal.
pub struct Revisions<'a> {
    list: Vec<Revision<'a>>,
    days: u32,
}

impl<'a> Revisions<'a> {
    pub fn new(sessions: &'a [DreamSession], days: u32) -> Self {
        let mut list = Vec::new();
        for s in sessions {
            let mut judged = false;
            for f in &s.feedback {
                let Some(m) = s.messages.get(f.message as usize) else {
                    continue;
                };
                if m.role != Role::Assistant {
                    continue;
                }
                judged = true;
                match f.verdict {
                    Verdict::Accepted => {}
                    Verdict::Revised => list.push(Revision {
                        session: s,
                        draft: &m.content,
                        used: f.final_text.as_deref(),
                    }),
                    Verdict::Rejected => list.push(Revision {
                        session: s,
                        draft: &m.content,
                        used: None,
                    }),
                }
            }
            // No verdicts: a follow-up that corrects the answer is a revision of it.
            if !judged && grade::signs(s, &[]).corrections > 0 {
                if let Some(m) = s
                    .messages
                    .iter()
                    .find(|m| m.role == Role::Assistant && !m.content.trim().is_empty())
                {
                    list.push(Revision {
                        session: s,
                        draft: &m.content,
                        used: None,
                    });
                }
            }
        }
        Revisions { list, days }
    }

    /// How much of the window's revised work `p` would have spared; `None` for a change that
    /// speaks to no draft (two entries combined) or when nothing was revised.
    pub fn of(&self, p: &ProposalDraft) -> Option<Impact> {
        if p.op == ProposalOp::Merge || self.list.is_empty() {
            return None;
        }
        let behind: HashSet<&str> = p.supporting.iter().map(String::as_str).collect();
        let check = match p.op {
            ProposalOp::Add | ProposalOp::Refine => effect::matcher(&p.as_entry()),
            _ => None,
        };
        let in_scope = |s: &DreamSession| p.scope.iter().all(|(k, v)| s.tags.get(k) == Some(v));
        let prevented = self
            .list
            .iter()
            .filter(|r| {
                behind.contains(r.session.id.as_str())
                    || check.as_ref().is_some_and(|c| {
                        in_scope(r.session)
                            && c.breaks(r.draft)
                            && r.used.is_none_or(|u| !c.breaks(u))
                    })
            })
            .count() as u32;
        let revised = self.list.len() as u32;
        let period = match self.days {
            7 => "last week's".to_string(),
            1 => "the last day's".to_string(),
            d => format!("the last {d} days'"),
        };
        let what = if revised == 1 {
            "revision"
        } else {
            "revisions"
        };
        let words = match prevented {
            0 => format!("Would have saved none of {period} {revised} {what}"),
            n => format!("Would have saved {n} of {period} {revised} {what}"),
        };
        Some(Impact {
            prevented,
            revised,
            words,
        })
    }
}

/// Count each proposal's impact and put the ones that spare the most first (ties keep the
/// dreamer's order: stale memory before new entries).
pub fn rank(proposals: &mut [ProposalDraft], sessions: &[DreamSession], days: u32) {
    let revisions = Revisions::new(sessions, days);
    for p in proposals.iter_mut() {
        p.impact = revisions.of(p);
    }
    proposals.sort_by_key(|p| std::cmp::Reverse(p.impact.as_ref().map(|i| i.prevented)));
}
