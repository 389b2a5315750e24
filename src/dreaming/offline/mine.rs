//! One pass over the window: grade, mine edits, corrections, questions and workflows into a
//! per-scope table, count contradictions over every text people used, decide, then compare
//! with memory and write proposals.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Grade, Role, Verdict};

use super::corrections;
use super::edits::{self, Contra};
use super::grade;
use super::hygiene;
use super::phrasing::Names;
use super::propose::Ctx;
use super::support::{self, Finding, Guards, Item, Pol, ScopeTag, Table};
use super::text::{self, Feature, Lexicon};
use super::workflows::{self, Workflows};
use super::{DreamInput, ProposalDraft};

pub(crate) struct Mined {
    pub grades: Vec<(String, Vec<Grade>)>,
    pub proposals: Vec<ProposalDraft>,
    pub notes: Vec<String>,
}

/// Sentences people typed, per session, keyed by the correction group or question group.
#[derive(Default)]
pub(crate) struct Said {
    pub by_session: HashMap<u32, Vec<(Item, String)>>,
}

pub(crate) fn mine(input: &DreamInput) -> Mined {
    let sessions = input.sessions;
    let mut table = Table::default();
    let (mut lex, mut lines) = (Lexicon::default(), Lexicon::default());
    let scopes: Vec<Vec<u32>> = sessions
        .iter()
        .map(|s| {
            if s.tags.is_empty() {
                vec![table.scope(ScopeTag(None))]
            } else {
                s.tags
                    .iter()
                    .map(|(k, v)| table.scope(ScopeTag(Some((k.clone(), v.clone())))))
                    .collect()
            }
        })
        .collect();
    let day_of: Vec<i32> = sessions
        .iter()
        .map(|s| s.started_at.date_naive().to_epoch_days())
        .collect();
    let entries: Vec<hygiene::Entry> = input.memory.iter().map(hygiene::read).collect();

    // Pass 1: grades, edits, corrections, questions, workflows.
    let mut grades = Vec::with_capacity(sessions.len());
    let mut flows = Workflows::default();
    let mut corr: Vec<(u32, corrections::Correction)> = Vec::new();
    let mut asked: Vec<(u32, Vec<String>, String, String, String)> = Vec::new();
    for (i, s) in sessions.iter().enumerate() {
        let i = i as u32;
        let mut one_off = false;
        for (m, msg) in s.messages.iter().enumerate() {
            if msg.role != Role::User || m == 0 {
                continue;
            }
            one_off |= text::sentences(&msg.content)
                .iter()
                .any(|x| corrections::one_off(x));
            let prev = &s.messages[m - 1];
            if prev.role != Role::Assistant {
                continue;
            }
            corr.extend(corrections::find(&msg.content).into_iter().map(|c| (i, c)));
            let has_feedback = s.feedback.iter().any(|f| f.message as usize == m - 1);
            if let (false, Some(q), Some(a)) = (
                has_feedback,
                corrections::question(&prev.content),
                corrections::answer(&msg.content),
            ) {
                let first = text::sentences(&msg.content)
                    .first()
                    .map_or(String::new(), |x| {
                        text::clip(x.trim_end_matches(['.', '!']), 0, 120)
                    });
                asked.push((i, corrections::content_words(q), q.to_string(), a, first));
            }
        }
        if !one_off {
            for f in &s.feedback {
                if let (Verdict::Revised, Some(fin), Some(d)) =
                    (f.verdict, &f.final_text, s.messages.get(f.message as usize))
                {
                    edits::mine_pair(
                        &d.content,
                        fin,
                        &scopes[i as usize],
                        i,
                        &mut lex,
                        &mut lines,
                        &mut table,
                    );
                }
            }
        }
        let forbidden: Vec<(String, String)> = entries
            .iter()
            .filter(|e| e.pol == Pol::Forbid && hygiene::covers(&e.entry.scope, &s.tags))
            .filter_map(|e| e.phrase.clone().map(|p| (p, e.entry.content.clone())))
            .collect();
        let signs = grade::signs(s, &forbidden);
        let g = grade::grade_session(input.rubric, s, &signs);
        // Whether the steps worked: a rejected answer or a correction says they did not; an
        // answer people used (as is or polished for style) says they did. Only without
        // either do the rubric's grades decide.
        let went_well = if signs.rejected > 0 || signs.corrections > 0 {
            -1.0
        } else if signs.accepted + signs.revised > 0 {
            1.0
        } else {
            grade::balance(input.rubric, &g)
        };
        flows.add(i, workflows::sequence(s), went_well, &scopes[i as usize]);
        grades.push((s.id.clone(), g));
    }

    // Corrections and questions, grouped by wording.
    let mut said = Said::default();
    let (groups, heads) = corrections::cluster(
        &corr
            .iter()
            .map(|(_, c)| c.words.clone())
            .collect::<Vec<_>>(),
    );
    let mut said_ids: BTreeMap<(u32, Pol), u32> = BTreeMap::new();
    let mut said_texts: Vec<BTreeMap<String, u32>> = Vec::new();
    let mut said_words: Vec<Vec<String>> = Vec::new();
    for ((i, c), g) in corr.iter().zip(&groups) {
        let next = said_ids.len() as u32;
        let id = *said_ids.entry((*g, c.pol)).or_insert(next);
        if id == next {
            said_texts.push(BTreeMap::new());
            said_words.push(heads[*g as usize].clone());
        }
        *said_texts[id as usize].entry(c.text.clone()).or_default() += 1;
        table.support(&scopes[*i as usize], (c.pol, Item::Said(id)), *i);
        said.by_session
            .entry(*i)
            .or_default()
            .push((Item::Said(id), c.text.clone()));
    }
    let said_rep: Vec<String> = said_texts
        .iter()
        .map(|m| {
            m.iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default()
        })
        .collect();
    let (qgroups, _) = corrections::cluster(&asked.iter().map(|a| a.1.clone()).collect::<Vec<_>>());
    let mut answers = Lexicon::default();
    let mut q_text: BTreeMap<u32, BTreeMap<String, u32>> = BTreeMap::new();
    let mut q_total: HashMap<(u32, u32), BTreeSet<u32>> = HashMap::new();
    for ((i, _, q, a, first), g) in asked.iter().zip(&qgroups) {
        let aid = answers.id(a);
        *q_text.entry(*g).or_default().entry(q.clone()).or_default() += 1;
        table.support(
            &scopes[*i as usize],
            (Pol::Require, Item::Answer(*g, aid)),
            *i,
        );
        said.by_session
            .entry(*i)
            .or_default()
            .push((Item::Answer(*g, aid), first.clone()));
        for &s in &scopes[*i as usize] {
            q_total.entry((s, *g)).or_default().insert(*i);
        }
    }
    let questions: Vec<String> = (0..q_text.len() as u32)
        .map(|g| {
            q_text
                .get(&g)
                .and_then(|m| m.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))))
                .map(|(t, _)| t.clone())
                .unwrap_or_default()
        })
        .collect();
    let seqs = flows.into_table(&mut table);

    fold_said(&mut table, &said_words, &lex);
    // An answer given in one scope is contradicted wherever the same question got another.
    let mut answer_ids: BTreeMap<u32, BTreeSet<u32>> = BTreeMap::new();
    for (_, key) in table.cells.keys() {
        if let Item::Answer(g, a) = key.1 {
            answer_ids.entry(g).or_default().insert(a);
        }
    }
    let mut q_keys: Vec<(&(u32, u32), &BTreeSet<u32>)> = q_total.iter().collect();
    q_keys.sort_by_key(|(k, _)| **k);
    for (&(s, g), asked_in) in q_keys {
        for &a in answer_ids.get(&g).into_iter().flatten() {
            let cell = table.cell(s, (Pol::Require, Item::Answer(g, a)));
            cell.support.sort_unstable();
            cell.support.dedup();
            cell.contra = (asked_in.len() - cell.support.len()) as u32;
        }
    }

    // Pass 2: contradictions among texts people used, for rules still in play.
    let mut best: HashMap<super::support::Key, usize> = HashMap::new();
    for (&(_, key), cell) in &table.cells {
        let e = best.entry(key).or_default();
        *e = (*e).max(cell.support.len());
    }
    table.cells.retain(|(_, key), _| best[key] >= 2);
    let mut contra = Contra::new(&lex, &lines);
    for (&key, _) in best.iter().filter(|(_, &n)| n >= 2) {
        match key.1 {
            Item::Phrase(g) => contra.grams.entry(g).or_default().push(key.0),
            Item::Line(l) => contra.lines.entry(l).or_default().push(key.0),
            Item::Feature(_) => contra.features.push(key),
            _ => {}
        }
    }
    contra.features.sort();
    for (&(s, key), cell) in &table.cells {
        if key.1 == Item::Feature(Feature::MaxWords) && !cell.support.is_empty() {
            contra.limits.insert(s, cell.max_words);
            contra.widest = contra.widest.max(cell.max_words);
        }
    }
    for (i, s) in sessions.iter().enumerate() {
        for f in &s.feedback {
            let used = match f.verdict {
                Verdict::Accepted => s
                    .messages
                    .get(f.message as usize)
                    .map(|m| m.content.as_str()),
                Verdict::Revised => f.final_text.as_deref(),
                Verdict::Rejected => None,
            };
            if let Some(u) = used {
                contra.count(u, &scopes[i], &mut table);
            }
        }
    }
    contra.finish(&mut table);

    let all_days: BTreeSet<i32> = day_of.iter().copied().collect();
    let guards = Guards {
        min_support: 3,
        min_days: all_days.len().clamp(1, 3),
        min_lower_bound: 0.5,
    };
    let findings = prune(support::decide(table, &day_of, &guards), &lex, &lines);

    let names = Names {
        words: &lex.words,
        lines: &lines.words,
        said: &said_rep,
        questions: &questions,
        answers: &answers.words,
        seqs: &seqs,
    };
    let ctx = Ctx {
        input,
        names,
        day_of: &day_of,
        said: &said,
        said_words: &said_words,
    };
    let (proposals, notes) = ctx.propose(findings, &entries);
    Mined {
        grades,
        proposals,
        notes,
    }
}

/// A correction that says what reviewers' edits already show ("no exclamation marks, please")
/// adds its sessions to that edit rule instead of becoming a second proposal.
fn fold_said(table: &mut Table, said_words: &[Vec<String>], lex: &Lexicon) {
    let mut said_cells: Vec<(u32, super::support::Key)> = table
        .cells
        .keys()
        .filter(|(_, k)| matches!(k.1, Item::Said(_)))
        .copied()
        .collect();
    said_cells.sort();
    let mut phrases: HashMap<u32, Vec<(super::support::Key, Vec<String>)>> = HashMap::new();
    for (&(s, key), cell) in &table.cells {
        if let Item::Phrase(g) = key.1 {
            if cell.support.len() >= 2 {
                let w = g[..support::gram_len(&g)]
                    .iter()
                    .map(|&id| text::stem(&lex.words[id as usize]))
                    .collect();
                phrases.entry(s).or_default().push((key, w));
            }
        }
    }
    for (s, key) in said_cells {
        let (pol, Item::Said(id)) = key else { continue };
        let words = &said_words[id as usize];
        let mut targets: Vec<super::support::Key> = Vec::new();
        if let Some((p, f)) = corrections::topic(pol, words) {
            targets.push((p, Item::Feature(f)));
        } else if let Some(list) = phrases.get(&s) {
            targets.extend(
                list.iter()
                    .filter(|(k, w)| k.0 == pol && w.iter().all(|x| words.contains(x)))
                    .map(|(k, _)| *k),
            );
        }
        targets.retain(|t| {
            table
                .cells
                .get(&(s, *t))
                .is_some_and(|c| !c.support.is_empty())
        });
        if targets.is_empty() {
            continue;
        }
        let moved = table
            .cells
            .remove(&(s, key))
            .map(|c| c.support)
            .unwrap_or_default();
        for t in targets {
            table.cell(s, t).support.extend(&moved);
        }
    }
}

/// Among word and line rules of one scope, keep the most telling: a longer phrase when it
/// explains (nearly) every removal of its parts, the shorter one otherwise. A specific hashtag
/// or link rule replaces the generic one.
fn prune(mut fs: Vec<Finding>, lex: &Lexicon, lines: &Lexicon) -> Vec<Finding> {
    let toks = |f: &Finding| -> Option<Vec<u32>> {
        match f.key.1 {
            Item::Phrase(g) => Some(g[..support::gram_len(&g)].to_vec()),
            Item::Line(l) => Some(
                lines.words[l as usize]
                    .split(' ')
                    .map(|w| lex.get(w).unwrap_or(u32::MAX))
                    .collect(),
            ),
            _ => None,
        }
    };
    let contains = |a: &[u32], b: &[u32]| b.len() < a.len() && a.windows(b.len()).any(|w| w == b);
    let n = fs.len();
    let mut drop = vec![false; n];
    for i in 0..n {
        let Some(ti) = toks(&fs[i]) else { continue };
        for j in 0..n {
            if i == j || fs[i].scope != fs[j].scope || fs[i].key.0 != fs[j].key.0 {
                continue;
            }
            let Some(tj) = toks(&fs[j]) else { continue };
            if tj == ti
                && matches!(fs[j].key.1, Item::Line(_))
                && matches!(fs[i].key.1, Item::Phrase(_))
            {
                drop[i] = true;
            } else if contains(&tj, &ti) {
                // j is longer and holds i.
                if fs[j].support.len() * 5 >= fs[i].support.len() * 4 {
                    drop[i] = true;
                } else {
                    drop[j] = true;
                }
            }
        }
    }
    let specific: Vec<(Option<ScopeTag>, Feature)> = fs
        .iter()
        .zip(&drop)
        .filter(|(f, d)| !**d && f.key.0 == Pol::Require)
        .filter_map(|(f, _)| {
            let t = toks(f)?;
            let words: Vec<&str> = t
                .iter()
                .filter_map(|&w| lex.words.get(w as usize).map(String::as_str))
                .collect();
            if words.iter().any(|w| w.starts_with('#')) {
                Some((f.scope.clone(), Feature::Hashtag))
            } else if words
                .iter()
                .any(|w| w.starts_with("http") || w.starts_with("www."))
            {
                Some((f.scope.clone(), Feature::Link))
            } else {
                None
            }
        })
        .collect();
    // A word that only ever came in as a replacement belongs to the ban, not a rule of its own.
    let replacements: Vec<(Option<ScopeTag>, String)> = fs
        .iter()
        .filter(|f| f.key.0 == Pol::Forbid)
        .filter_map(|f| f.alts.first().map(|(a, _)| (f.scope.clone(), a.clone())))
        .collect();
    for (i, f) in fs.iter().enumerate() {
        if let (Pol::Require, Item::Phrase(g)) = f.key {
            let p: Vec<&str> = g[..support::gram_len(&g)]
                .iter()
                .map(|&w| lex.words[w as usize].as_str())
                .collect();
            let text = p.join(" ");
            if replacements
                .iter()
                .any(|(s, a)| *a == text && (s.is_none() || *s == f.scope))
            {
                drop[i] = true;
            }
        }
        if let (Pol::Require, Item::Feature(feat)) = f.key {
            if specific.contains(&(f.scope.clone(), feat)) {
                drop[i] = true;
            }
        }
    }
    let mut keep = drop.into_iter();
    fs.retain(|_| !keep.next().unwrap_or(false));
    fs
}
