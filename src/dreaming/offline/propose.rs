//! From findings to proposals: drop what memory already says, turn a finding that memory
//! contradicts into a refinement of that entry, merge near-duplicate entries, and attach
//! evidence, confidence and a rationale to each.

use rustc_hash::FxHashMap as HashMap;

use crate::model::{ProposalOp, Scope, Verdict};

use super::corrections;
use super::evidence::{self, Look};
use super::hygiene::{self, Entry, Terms};
use super::mine::Said;
use super::phrasing::{self, Names};
use super::support::{Finding, Item, Pol};
use super::text::{self, Feature};
use super::{DreamInput, ProposalDraft};

/// The same preference found two ways (by an edit and by what someone said, in two languages,
/// in other words): one proposal, the first in the dreamer's order (its wording is the more
/// precise), with the sessions and quotes of both. Two additions are the same when, read as
/// memory entries, they are about the same form of a draft (exclamation marks, emoji, a length)
/// or mean the same words with the same polarity; a team-wide one takes in a client's.
pub(crate) fn fold_same(proposals: &mut Vec<ProposalDraft>) {
    let entries: Vec<crate::model::MemoryEntry> =
        proposals.iter().map(ProposalDraft::as_entry).collect();
    let read: Vec<hygiene::Entry> = entries.iter().map(hygiene::read).collect();
    let same = |a: &hygiene::Entry, b: &hygiene::Entry| {
        // A quoted phrase ("end with '#MobileApp'") is its own rule, not "add hashtags".
        if a.phrase != b.phrase {
            return false;
        }
        if a.topic.is_some() || b.topic.is_some() {
            return a.topic == b.topic && a.number == b.number;
        }
        a.pol == b.pol && hygiene::overlap(a, b) >= 0.6
    };
    // Ways of working and answers are steps and facts, not wording to compare.
    let rule = |p: &ProposalDraft| {
        p.op == ProposalOp::Add
            && !p.pattern.starts_with("workflow|")
            && !p.pattern.starts_with("answer|")
    };
    // Each proposal is compared with the earlier ones of its own scope and the team-wide
    // ones only, so thousands of clients' proposals do not meet each other.
    let mut by_scope: HashMap<&Scope, Vec<usize>> = HashMap::default();
    let mut into: Vec<Option<usize>> = vec![None; proposals.len()];
    for j in 0..proposals.len() {
        if !rule(&proposals[j]) {
            continue;
        }
        let open = |list: Option<&Vec<usize>>| {
            list.into_iter()
                .flatten()
                .copied()
                .find(|&i| into[i].is_none() && same(&read[i], &read[j]))
        };
        let own = open(by_scope.get(&proposals[j].scope));
        let team = if proposals[j].scope.is_empty() {
            None
        } else {
            open(by_scope.get(&Scope::new()))
        };
        into[j] = match (own, team) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        by_scope.entry(&proposals[j].scope).or_default().push(j);
    }
    drop(read);
    drop(by_scope);
    let mut kept: Vec<Option<ProposalDraft>> = proposals.drain(..).map(Some).collect();
    for j in (0..kept.len()).rev() {
        if let Some(i) = into[j] {
            let p = kept[j].take().expect("folded once");
            fold(
                kept[i].as_mut().expect("a proposal kept is never folded"),
                p,
            );
        }
    }
    proposals.extend(kept.into_iter().flatten());
}

/// `p`'s sessions and quotes join `q`, which keeps its wording.
fn fold(q: &mut ProposalDraft, p: ProposalDraft) {
    for s in p.supporting {
        if !q.supporting.contains(&s) {
            q.supporting.push(s);
        }
    }
    q.support = q.support.max(q.supporting.len() as u32);
    q.support_days = q.support_days.max(p.support_days);
    q.confidence = q.confidence.max(p.confidence);
    for e in p.evidence {
        if q.evidence.len() >= evidence::MAX_EVIDENCE {
            break;
        }
        if !q.evidence.iter().any(|x| x.session_id == e.session_id) {
            q.evidence.push(e);
        }
    }
}

pub(crate) struct Ctx<'a> {
    pub input: &'a DreamInput<'a>,
    pub names: Names<'a>,
    pub day_of: &'a [i32],
    pub said: &'a Said,
    pub said_words: &'a [Vec<String>],
}

fn scope_of(f: &Finding) -> Scope {
    match f.scope.as_ref().and_then(|s| s.0.clone()) {
        Some((k, v)) => Scope::from([(k, v)]),
        None => Scope::new(),
    }
}

impl Ctx<'_> {
    fn terms(&self, f: &Finding, limit: u32) -> Terms {
        let (pol, item) = f.key;
        let mut t = Terms {
            pol,
            topic: None,
            words: vec![],
            phrase: None,
            number: None,
        };
        match item {
            Item::Phrase(_) | Item::Line(_) => t.phrase = phrasing::phrase_text(&item, &self.names),
            Item::Feature(feat) => {
                t.topic = Some((pol, feat));
                t.number = (feat == Feature::MaxWords).then_some(limit);
            }
            Item::Said(id) => {
                t.words = self.said_words[id as usize].clone();
                t.topic = corrections::topic(pol, &t.words);
            }
            Item::Answer(_, a) => t.phrase = Some(self.names.answers[a as usize].clone()),
            Item::Workflow(s) => t.phrase = Some(self.names.seqs[s as usize].join(" ")),
        }
        t
    }

    /// For a line rule: the line as people wrote it, and where it sits in the text.
    fn line_as_written(&self, f: &Finding) -> (Option<String>, Option<phrasing::Place>) {
        let (pol, Item::Line(l)) = f.key else {
            return (None, None);
        };
        let want = &self.names.lines[l as usize];
        for &i in &f.support {
            let s = &self.input.sessions[i as usize];
            for fb in s
                .feedback
                .iter()
                .filter(|fb| fb.verdict == Verdict::Revised)
            {
                let t = match pol {
                    Pol::Require => fb.final_text.as_deref(),
                    Pol::Forbid => s
                        .messages
                        .get(fb.message as usize)
                        .map(|m| m.content.as_str()),
                };
                let Some(t) = t else { continue };
                let ls: Vec<&str> = t.lines().map(str::trim).filter(|x| !x.is_empty()).collect();
                if let Some(pos) = ls.iter().position(|x| text::norm_line(x) == *want) {
                    let place = if pos == 0 && ls.len() > 1 {
                        phrasing::Place::First
                    } else if super::edits::sign_off_above_name(&ls) == Some(pos) {
                        phrasing::Place::SignOff
                    } else {
                        phrasing::Place::Last
                    };
                    return (Some(text::clip(ls[pos], 0, 120)), Some(place));
                }
            }
        }
        (None, None)
    }

    /// For a phrase: its spelling in the texts people wrote (a hashtag like `#RideFernwood`,
    /// a brand name, a Chinese phrase), since matching works on normalised word families.
    /// Required phrases come from the texts people used, forbidden ones from the drafts.
    fn phrase_as_written(&self, f: &Finding) -> Option<String> {
        let (pol, Item::Phrase(g)) = f.key else {
            return None;
        };
        let gram = &g[..super::support::gram_len(&g)];
        f.support.iter().find_map(|&i| {
            let s = &self.input.sessions[i as usize];
            s.feedback.iter().find_map(|fb| {
                let t = match pol {
                    Pol::Require => fb.final_text.as_deref()?,
                    Pol::Forbid => s.messages.get(fb.message as usize)?.content.as_str(),
                };
                let (a, b) = text::find_gram(t, gram, self.names.lex)?;
                Some(t[a..b].to_string())
            })
        })
    }

    fn answer_as_written(&self, f: &Finding) -> Option<String> {
        f.support.iter().find_map(|i| {
            self.said
                .by_session
                .get(i)?
                .iter()
                .find(|(it, _)| *it == f.key.1)
                .map(|(_, t)| t.clone())
        })
    }

    fn draft(&self, f: &Finding, entries: &[Entry]) -> (ProposalDraft, Terms) {
        let limit = super::edits::nice_limit(f.max_words);
        let (line, position) = self.line_as_written(f);
        let original = match f.key {
            (_, Item::Answer(..)) => self.answer_as_written(f),
            (Pol::Require, Item::Phrase(_)) => self.phrase_as_written(f),
            // Several words are quoted as the drafts had them: word families meet under one
            // form, and "may possible" is no phrase anyone wrote.
            (Pol::Forbid, Item::Phrase(g)) if super::support::gram_len(&g) > 1 => {
                self.phrase_as_written(f)
            }
            _ => line,
        };
        let r = phrasing::render(f, &self.names, limit, position, original.as_deref());
        let terms = self.terms(f, limit);
        let phrase = phrasing::phrase_text(&f.key.1, &self.names);
        let keywords: Vec<String> = match f.key.1 {
            Item::Feature(feat) => feat.keywords().iter().map(|k| k.to_string()).collect(),
            _ => phrase.iter().cloned().collect(),
        };
        let key = f.key.1;
        let said = |i: u32| -> Option<String> {
            let list = self.said.by_session.get(&i)?;
            list.iter()
                .find(|(it, _)| *it == key)
                .or_else(|| {
                    list.iter().find(|(_, t)| {
                        keywords
                            .iter()
                            .any(|k| t.to_lowercase().contains(k.as_str()))
                    })
                })
                .map(|(_, t)| t.clone())
        };
        let tools = match f.key.1 {
            Item::Workflow(s) => self.names.seqs[s as usize].clone(),
            _ => vec![],
        };
        let gram = match &f.key.1 {
            Item::Phrase(g) => Some(&g[..super::support::gram_len(g)]),
            _ => None,
        };
        let look = Look {
            phrase: phrase.as_deref(),
            gram: gram.map(|g| (g, self.names.lex)),
            said: &said,
            tools: &tools,
        };
        let ev = evidence::gather(f, self.input.sessions, self.day_of, &look);
        let _ = entries;
        let p = ProposalDraft {
            op: ProposalOp::Add,
            content: r.content,
            scope: scope_of(f),
            targets: vec![],
            evidence: ev,
            confidence: f.confidence,
            rationale: r.rationale,
            pattern: r.pattern,
            support: f.support.len() as u32,
            support_days: {
                let mut days: Vec<i32> =
                    f.support.iter().map(|&i| self.day_of[i as usize]).collect();
                days.sort_unstable();
                days.dedup();
                days.len() as u32
            },
            flags: vec![],
            supporting: f
                .support
                .iter()
                .map(|&i| self.input.sessions[i as usize].id.clone())
                .collect(),
            impact: None,
        };
        (p, terms)
    }

    pub(crate) fn propose(
        &self,
        findings: Vec<Finding>,
        entries: &[Entry],
    ) -> (Vec<ProposalDraft>, Vec<String>) {
        let mut out = Vec::new();
        let mut notes = Vec::new();
        let mut known = 0;
        // Findings are compared only with the entries that can cover them: their scope's and
        // the team-wide ones (a memory of thousands of entries over many clients stays cheap).
        let mut by_scope: std::collections::HashMap<&Scope, Vec<&Entry>> = Default::default();
        for e in entries {
            by_scope.entry(&e.entry.scope).or_default().push(e);
        }
        // Each finding is drafted and compared with the entries that cover it on two threads
        // (a memory of thousands of entries is most of this work); what earlier findings made
        // stale is taken into account after, in order.
        let compared = text::par_map(&findings, |f| {
            let (p, terms) = self.draft(f, entries);
            let pw = terms.phrase_words();
            let same_scope = by_scope.get(&p.scope).map_or(&[][..], Vec::as_slice);
            let team_wide = by_scope.get(&Scope::new()).map_or(&[][..], Vec::as_slice);
            let mut covering = same_scope.iter().chain(if p.scope.is_empty() {
                &[][..]
            } else {
                team_wide
            });
            // The wording chosen, read as an entry: a group's terms can miss what its words
            // plainly say ("no shouting in headlines" in a group that asks for calm ones).
            let as_entry = p.as_entry();
            let worded = hygiene::read(&as_entry);
            let calm = hygiene::says_calm(&worded);
            let known = covering.any(|e| {
                matches!(
                    hygiene::compare_with(e, &terms, &pw),
                    Some(hygiene::Stance::Same | hygiene::Stance::Related)
                ) || (calm && hygiene::says_calm(e))
            });
            let against: Vec<&Entry> = if known {
                Vec::new()
            } else {
                same_scope
                    .iter()
                    .copied()
                    .filter(|e| {
                        hygiene::compare_with(e, &terms, &pw) == Some(hygiene::Stance::Opposite)
                    })
                    .collect()
            };
            (p, known, against)
        });
        let mut stale: Vec<i64> = Vec::new();
        for (mut p, is_known, against) in compared {
            if is_known {
                known += 1;
                continue;
            }
            let against: Vec<&Entry> = against
                .into_iter()
                .filter(|e| !stale.contains(&e.entry.id))
                .collect();
            if !against.is_empty() {
                p.op = ProposalOp::Refine;
                p.targets = against.iter().map(|e| e.entry.id).collect();
                p.targets.sort_unstable();
                stale.extend(&p.targets);
                let old: Vec<String> = against
                    .iter()
                    .map(|e| format!("\"{}\"", e.entry.content))
                    .collect();
                p.rationale = format!(
                    "Memory says {}, but recent sessions show the opposite. {}",
                    old.join(" and "),
                    p.rationale
                );
                p.pattern = format!("stale|{}", p.pattern);
            }
            out.push(p);
        }
        for (a, b, sim) in hygiene::duplicates(entries, &stale) {
            let keep = if b.entry.content.len() > a.entry.content.len() {
                &b
            } else {
                &a
            };
            let scope_key = a
                .entry
                .scope
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .next()
                .unwrap_or("team".into());
            out.push(ProposalDraft {
                op: ProposalOp::Merge,
                content: keep.entry.content.clone(),
                scope: a.entry.scope.clone(),
                targets: vec![a.entry.id, b.entry.id],
                evidence: vec![],
                confidence: sim.clamp(0.0, 1.0),
                rationale: format!(
                    "Two memory entries say the same thing: \"{}\" and \"{}\". Keeping one avoids repeating it to the agent.",
                    a.entry.content, b.entry.content
                ),
                pattern: format!("merge|{scope_key}|{},{}", a.entry.id, b.entry.id),
                support: a.entry.support.max(b.entry.support),
                support_days: 0,
                flags: vec![],
                supporting: vec![],
                impact: None,
            });
        }
        if known > 0 {
            let what = if known == 1 {
                "pattern that memory already states"
            } else {
                "patterns that memory already states"
            };
            notes.push(format!("Skipped {known} {what}."));
        }
        (out, notes)
    }
}
