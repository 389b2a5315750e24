//! Evidence for a proposal: a few supporting sessions, spread over days, each with a short
//! quote that really appears in that session.

use crate::model::{Evidence, Role, Verdict};

use super::support::{Finding, Item, Pol};
use super::text::{self, Feature};
use super::DreamSession;

pub(crate) const MAX_EVIDENCE: usize = 5;

/// What to look for in a session to quote it.
pub(crate) struct Look<'a> {
    pub phrase: Option<&'a str>,
    /// A word rule's family ids, to find the phrase in whatever form each session used.
    pub gram: Option<(&'a [u32], &'a super::text::Lexicon)>,
    /// Sentences people typed in this session that belong to the finding (corrections, answers).
    pub said: &'a dyn Fn(u32) -> Option<String>,
    pub tools: &'a [String],
}

fn pairs(s: &DreamSession) -> impl Iterator<Item = (&str, Option<&str>)> {
    s.feedback.iter().filter_map(|f| {
        let draft = s.messages.get(f.message as usize)?;
        (draft.role == Role::Assistant).then(|| {
            let used = match f.verdict {
                Verdict::Accepted => Some(draft.content.as_str()),
                Verdict::Revised => f.final_text.as_deref(),
                Verdict::Rejected => None,
            };
            (draft.content.as_str(), used)
        })
    })
}

fn quote_for(s: &DreamSession, idx: u32, f: &Finding, look: &Look) -> Option<String> {
    let (pol, item) = f.key;
    let q = match item {
        Item::Phrase(_) if look.gram.is_some() => {
            let (gram, lex) = look.gram?;
            let find =
                |t: &str| text::find_gram(t, gram, lex).map(|(a, _)| text::quote_around(t, a));
            pairs(s).find_map(|(d, u)| match pol {
                Pol::Forbid => find(d),
                Pol::Require => u.and_then(find),
            })
        }
        Item::Phrase(_) | Item::Line(_) => {
            let p = look.phrase?;
            pairs(s).find_map(|(d, u)| match pol {
                Pol::Forbid => text::quote_containing(d, p),
                Pol::Require => u.and_then(|u| text::quote_containing(u, p)),
            })
        }
        Item::Feature(Feature::MaxWords) => {
            pairs(s).find_map(|(_, u)| u.map(|u| text::clip(u, 0, 120)))
        }
        Item::Feature(feat) => pairs(s).find_map(|(d, u)| {
            let t = if pol == Pol::Forbid { Some(d) } else { u };
            t.and_then(|t| text::quote_line(t, |l| text::has_feature_line(l, feat)))
        }),
        Item::Said(_) | Item::Answer(..) => None,
        Item::Workflow(_) => look.tools.iter().max_by_key(|t| t.len()).cloned(),
    };
    q.or_else(|| (look.said)(idx))
}

/// Up to `MAX_EVIDENCE` sessions, one per day first, in time order.
pub(crate) fn gather(
    f: &Finding,
    sessions: &[DreamSession],
    day_of: &[i32],
    look: &Look,
) -> Vec<Evidence> {
    let mut order: Vec<u32> = f.support.clone();
    order.sort_by(|&a, &b| {
        let (x, y) = (&sessions[a as usize], &sessions[b as usize]);
        x.started_at
            .cmp(&y.started_at)
            .then_with(|| x.id.cmp(&y.id))
    });
    let mut picked: Vec<u32> = Vec::new();
    let mut days: Vec<i32> = Vec::new();
    for pass in 0..2 {
        for &i in &order {
            if picked.len() >= MAX_EVIDENCE * 2 {
                break;
            }
            let d = day_of[i as usize];
            if picked.contains(&i) || (pass == 0 && days.contains(&d)) {
                continue;
            }
            picked.push(i);
            days.push(d);
        }
    }
    let mut out: Vec<(u32, Evidence)> = picked
        .into_iter()
        .filter_map(|i| {
            let s = &sessions[i as usize];
            let quote = quote_for(s, i, f, look)?;
            Some((
                i,
                Evidence {
                    session_id: s.id.clone(),
                    quote,
                },
            ))
        })
        .take(MAX_EVIDENCE)
        .collect();
    out.sort_by(|a, b| {
        let (x, y) = (&sessions[a.0 as usize], &sessions[b.0 as usize]);
        x.started_at
            .cmp(&y.started_at)
            .then_with(|| x.id.cmp(&y.id))
    });
    out.into_iter().map(|(_, e)| e).collect()
}
