//! What a proposed change would have spared: of the window's drafts that people revised,
//! rejected or corrected, how many the change speaks to. Where the change is a check on a
//! draft's text (a banned word, a structure, a length), the check is the one progress uses
//! and a revision counts when the draft broke it and the text the person used did not;
//! otherwise the revised sessions behind the proposal count. The review is ordered by it.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::model::{Impact, ProposalOp, Role, Verdict};

use super::{effect, grade, DreamSession, ProposalDraft};

static EMPTY: Vec<usize> = Vec::new();

/// One draft people did not use as written: the answer, and the text they used instead if
/// they said (a rejection or a follow-up correction has none).
struct Revision<'a> {
    session: &'a DreamSession,
    draft: effect::Draft<'a>,
    used: Option<effect::Draft<'a>>,
}

/// The window's revisions, counted once for every proposal.
pub struct Revisions<'a> {
    list: Vec<Revision<'a>>,
    days: u32,
    /// Revisions by session id, and by tag: a proposal looks only at its own sessions and
    /// its own scope's, so counting stays linear in proposals plus revisions (thousands of
    /// clients each with their own proposals).
    by_session: HashMap<&'a str, Vec<usize>>,
    by_tag: HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> Revisions<'a> {
    /// `known`: shapes the dream already read, by text.
    pub fn new(sessions: &'a [DreamSession], days: u32, known: &super::Shapes) -> Self {
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
                        draft: effect::Draft::keeping_lowercase(&m.content),
                        used: f
                            .final_text
                            .as_deref()
                            .map(effect::Draft::keeping_lowercase),
                    }),
                    Verdict::Rejected => list.push(Revision {
                        session: s,
                        draft: effect::Draft::keeping_lowercase(&m.content),
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
                        draft: effect::Draft::keeping_lowercase(&m.content),
                        used: None,
                    });
                }
            }
        }
        // Nearly every draft is checked by some proposal of its scope: read them all now, on
        // both cores. The text used instead is read only when its draft broke a check.
        for d in list
            .iter()
            .flat_map(|r| std::iter::once(&r.draft).chain(&r.used))
        {
            if let Some(shape) = known.get(d.text()) {
                d.know(shape);
            }
        }
        let texts: Vec<&effect::Draft> = list.iter().map(|r| &r.draft).collect();
        effect::Draft::read_all(&texts);
        let mut by_session: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut by_tag: HashMap<(&str, &str), Vec<usize>> = HashMap::default();
        for (i, r) in list.iter().enumerate() {
            by_session.entry(r.session.id.as_str()).or_default().push(i);
            for (k, v) in &r.session.tags {
                by_tag.entry((k.as_str(), v.as_str())).or_default().push(i);
            }
        }
        Revisions {
            list,
            days,
            by_session,
            by_tag,
        }
    }

    /// How much of the window's revised work `p` would have spared; `None` for a change that
    /// speaks to no draft (two entries combined) or when nothing was revised.
    pub fn of(&self, p: &ProposalDraft) -> Option<Impact> {
        if p.op == ProposalOp::Merge || self.list.is_empty() {
            return None;
        }
        // The revisions behind the proposal count whatever they say.
        let mut spared: HashSet<usize> = p
            .supporting
            .iter()
            .filter_map(|id| self.by_session.get(id.as_str()))
            .flatten()
            .copied()
            .collect();
        let check = match p.op {
            ProposalOp::Add | ProposalOp::Refine => effect::matcher(&p.as_entry()),
            _ => None,
        };
        if let Some(c) = check {
            let in_scope = |s: &DreamSession| p.scope.iter().all(|(k, v)| s.tags.get(k) == Some(v));
            // A scoped proposal reads its scope's revisions only (the fewest of its tags').
            let scoped: Option<&Vec<usize>> = p
                .scope
                .iter()
                .map(|(k, v)| self.by_tag.get(&(k.as_str(), v.as_str())))
                .min_by_key(|l| l.map_or(0, Vec::len))
                .map(|l| l.unwrap_or(&EMPTY));
            let all: Vec<usize>;
            let candidates = match scoped {
                Some(l) => l,
                None => {
                    all = (0..self.list.len()).collect();
                    &all
                }
            };
            for &i in candidates {
                let r = &self.list[i];
                if !spared.contains(&i)
                    && in_scope(r.session)
                    && c.breaks_draft(&r.draft)
                    && r.used.as_ref().is_none_or(|u| !c.breaks_draft(u))
                {
                    spared.insert(i);
                }
            }
        }
        let prevented = spared.len() as u32;
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
pub fn rank(
    proposals: &mut [ProposalDraft],
    sessions: &[DreamSession],
    days: u32,
    known: &super::Shapes,
) {
    let revisions = Revisions::new(sessions, days, known);
    for p in proposals.iter_mut() {
        p.impact = revisions.of(p);
    }
    proposals.sort_by_key(|p| std::cmp::Reverse(p.impact.as_ref().map(|i| i.prevented)));
}
