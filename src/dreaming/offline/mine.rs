//! One pass over the window: grade, mine edits, corrections, questions and workflows into a
//! per-scope table, count contradictions over every text people used, decide, then compare
//! with memory and write proposals.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Evidence, Feedback, Grade, Role, Scope, Verdict};

use super::corrections;
use super::edits::{self, Contra};
use super::grade;
use super::hygiene;
use super::phrasing::Names;
use super::propose::Ctx;
use super::statements::{self, Source, Statement};
use super::support::{self, Finding, Guards, Item, Pol, ScopeTag, Table};
use super::text::{self, Feature, Lexicon};
use super::workflows::{self, Workflows};
use super::{DreamInput, DreamSession, ProposalDraft};

pub(crate) struct Mined {
    pub grades: Vec<(String, Vec<Grade>)>,
    pub proposals: Vec<ProposalDraft>,
    pub notes: Vec<String>,
    pub residual: Vec<super::Residual>,
    pub shapes: super::Shapes,
}

/// Sentences people typed, per session, keyed by the correction group or question group.
#[derive(Default)]
pub(crate) struct Said {
    pub by_session: HashMap<u32, Vec<(Item, String)>>,
}

/// A revision's draft and the text people used instead.
fn revised<'a>(s: &'a DreamSession, f: &'a Feedback) -> Option<(&'a str, &'a str)> {
    match (f.verdict, &f.final_text, s.messages.get(f.message as usize)) {
        (Verdict::Revised, Some(fin), Some(d)) => Some((d.content.as_str(), fin.as_str())),
        _ => None,
    }
}

/// The texts people used in `s`, as written or as they made them.
fn used_texts(s: &DreamSession) -> impl Iterator<Item = &str> {
    s.feedback.iter().filter_map(move |f| match f.verdict {
        Verdict::Accepted => s
            .messages
            .get(f.message as usize)
            .map(|m| m.content.as_str()),
        Verdict::Revised => f.final_text.as_deref(),
        Verdict::Rejected => None,
    })
}

pub(crate) fn mine(input: &DreamInput) -> Mined {
    let sessions = input.sessions;
    text::use_language_of(&language_sample(input));
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
    // A team's memory can be thousands of entries, each read like something a person said.
    let entries: Vec<hygiene::Entry> = text::par_map(input.memory, hygiene::read);
    let banned = hygiene::Banned::of(&entries);

    // Pass 1: grades, edits, corrections, questions, workflows.
    let mut grades = Vec::with_capacity(sessions.len());
    let mut flows = Workflows::default();
    let mut stmts: Vec<Statement> = Vec::new();
    // Sessions with a one-off request: their edits teach nothing lasting, to rules or curator.
    let mut one_offs: BTreeSet<u32> = BTreeSet::new();
    let mut asked: Vec<(u32, Vec<String>, String, String, String)> = Vec::new();
    let mut shapes = super::Shapes::default();
    // Each session is read on its own (on two threads, a slice at a time), then folded into
    // the tables here, in order. Folding is kept apart because word ids and table cells are
    // shared by every session.
    let indexed: Vec<(usize, &DreamSession)> = sessions.iter().enumerate().collect();
    for slice in indexed.chunks(text::SLICE) {
        let reads = text::par_map(slice, |&(i, s)| read_session(i as u32, s, input, &banned));
        for (&(i, _), pre) in slice.iter().zip(reads) {
            let i = i as u32;
            stmts.extend(pre.stmts);
            asked.extend(pre.asked);
            if pre.one_off {
                one_offs.insert(i);
            }
            for (draft, dr, fin, fr) in pre.edits {
                shapes.put(draft, dr.shape);
                shapes.put(fin, fr.shape);
                edits::mine_read(
                    (draft, &dr, fin, &fr),
                    &scopes[i as usize],
                    i,
                    &mut lex,
                    &mut lines,
                    &mut table,
                );
            }
            flows.add(i, pre.sequence, pre.went_well, &scopes[i as usize]);
            grades.push((sessions[i as usize].id.clone(), pre.grades));
        }
    }

    // What people said they want, grouped by meaning; questions grouped by wording.
    let mut said = Said::default();
    let groups = statements::group(&stmts);
    let mut said_words: Vec<Vec<String>> = groups.terms.clone();
    let said_rep: Vec<String> = groups.rule.clone();
    for (st, of) in stmts.iter().zip(&groups.of) {
        let i = st.session;
        for &g in of {
            table.support(
                &scopes[i as usize],
                (groups.pol[g as usize], Item::Said(g)),
                i,
            );
            said.by_session
                .entry(i)
                .or_default()
                .push((Item::Said(g), st.text.clone()));
        }
    }
    // A statement of the other polarity on the same topic, in the same scope, goes against it.
    let mut by_term: HashMap<(&str, Pol), Vec<u32>> = HashMap::default();
    for (g, terms) in groups.terms.iter().enumerate() {
        for t in terms {
            by_term
                .entry((t.as_str(), groups.pol[g]))
                .or_default()
                .push(g as u32);
        }
    }
    // Where a group has members of its own polarity, a member said the other way is the same
    // rule in other words ("don't hand-roll retry loops" beside "use pkg/retry", "store
    // credit, not a refund" beside "no refunds"). Where all its members there say the other
    // way, that scope holds the opposite, and they speak against it.
    let mut own_pol_in: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (st, of) in stmts.iter().zip(&groups.of) {
        for &g in of.iter().filter(|&&g| groups.pol[g as usize] == st.pol) {
            for &sc in &scopes[st.session as usize] {
                own_pol_in.insert((sc, g));
            }
        }
    }
    let mut against: BTreeSet<(u32, u32, u32)> = BTreeSet::new();
    for (st, of) in stmts.iter().zip(&groups.of).filter(|(st, _)| st.strong) {
        let other = match st.pol {
            Pol::Forbid => Pol::Require,
            Pol::Require => Pol::Forbid,
        };
        // It must be about what the group is about: most of what it names is the group's.
        // "Use the `Button` from @acme/ui" shares only "button" with "no raw <button>", and
        // asks for the same thing in other words.
        let mut shared: BTreeMap<u32, usize> = BTreeMap::new();
        for t in &st.stems {
            for &g in by_term.get(&(t.as_str(), other)).into_iter().flatten() {
                *shared.entry(g).or_default() += 1;
            }
        }
        for (g, n) in shared {
            if n * 2 <= st.stems.len() {
                continue;
            }
            for &sc in &scopes[st.session as usize] {
                if of.contains(&g) && own_pol_in.contains(&(sc, g)) {
                    continue;
                }
                against.insert((sc, g, st.session));
            }
        }
    }
    for (sc, g, _) in against {
        table
            .cell(sc, (groups.pol[g as usize], Item::Said(g)))
            .contra += 1;
    }
    said_words.iter_mut().for_each(|w| w.sort());
    let (qgroups, _) = corrections::cluster(&asked.iter().map(|a| a.1.clone()).collect::<Vec<_>>());
    let mut answers = Lexicon::default();
    let mut q_text: BTreeMap<u32, BTreeMap<String, u32>> = BTreeMap::new();
    let mut q_total: HashMap<(u32, u32), BTreeSet<u32>> = HashMap::default();
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

    // Groups in which nobody said which way they meant it, neither with a polarity word, as
    // an instruction nor as how the team works ("we log with tracing"): all remarks
    // ("'indulge' sounds like a diet ad"), read as asking for something only for want of a
    // polarity word.
    let mut unsure = vec![true; groups.pol.len()];
    for (st, of) in stmts.iter().zip(&groups.of) {
        if st.marked || st.directive || st.standing {
            of.iter().for_each(|&g| unsure[g as usize] = false);
        }
    }
    fold_said(&mut table, &said_words, &unsure, &lex, &lines);
    // A remark that found no edit to stand behind is no rule of its own: "this reads like a
    // police report" says something is wrong, not what to do.
    table
        .cells
        .retain(|(_, key), _| !matches!(key.1, Item::Said(g) if unsure[g as usize]));
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
    let mut best: HashMap<super::support::Key, usize> = HashMap::default();
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
        if key.1 == Item::Feature(Feature::LongSentences) && !cell.support.is_empty() {
            contra.sentence_limits.insert(s, cell.max_words);
            contra.widest_sentence = contra.widest_sentence.max(cell.max_words);
        }
    }
    let used: Vec<(usize, &str)> = sessions
        .iter()
        .enumerate()
        .flat_map(|(i, s)| used_texts(s).map(move |u| (i, u)))
        .collect();
    for slice in used.chunks(text::SLICE) {
        let reads = text::par_map(slice, |(_, u)| text::read(u));
        for (&(i, _), r) in slice.iter().zip(&reads) {
            contra.count(r, &scopes[i], &mut table);
        }
    }
    contra.finish(&mut table);

    let all_days: BTreeSet<i32> = day_of.iter().copied().collect();
    let guards = Guards {
        min_support: 3,
        min_days: all_days.len().clamp(1, 3),
        min_lower_bound: 0.5,
    };
    let findings = remarks_heard(
        local_echoes(
            prune(support::decide(table, &day_of, &guards), &lex, &lines),
            &said_words,
            &lex,
        ),
        &stmts,
        &groups,
        sessions.len(),
    );

    // A group found in a scope of its own is worded in what people there said: two repos'
    // "no unwrap" rules each in their own words ("we don't unwrap in billing" is billing's).
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.rule.len()];
    for (i, of) in groups.of.iter().enumerate() {
        for &g in of {
            members[g as usize].push(i);
        }
    }
    let mut said_in: HashMap<(u32, support::ScopeTag), String> = HashMap::default();
    for f in &findings {
        let (Item::Said(g), Some(scope)) = (f.key.1, &f.scope) else {
            continue;
        };
        debug_assert!(f.support.is_sorted());
        let here: BTreeSet<usize> = members[g as usize]
            .iter()
            .copied()
            .filter(|&i| f.support.binary_search(&stmts[i].session).is_ok())
            .collect();
        if !here.is_empty() {
            let rule = statements::clearest(&stmts, &here, &groups.terms[g as usize]);
            said_in.insert((g, scope.clone()), rule);
        }
    }
    let names = Names {
        words: &lex.words,
        lex: &lex,
        lines: &lines.words,
        said: &said_rep,
        said_in: &said_in,
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
    let residual = residual(input, &findings, &stmts, &groups, &one_offs);
    let (mut proposals, notes) = ctx.propose(findings, &entries);
    line_shapes(&mut proposals);
    team_echoes(&mut proposals, input.sessions);
    Mined {
        grades,
        proposals,
        notes,
        residual,
        shapes,
    }
}

/// What one session says, read on its own: everything of pass 1 but the folding into the
/// shared tables, so sessions can be read in parallel.
struct SessionRead<'a> {
    one_off: bool,
    stmts: Vec<Statement>,
    asked: Vec<(u32, Vec<String>, String, String, String)>,
    /// Revisions to mine: draft, the draft read, the text used, the text used read.
    edits: Vec<(&'a str, text::Read, &'a str, text::Read)>,
    sequence: Vec<String>,
    went_well: f64,
    grades: Vec<Grade>,
}

fn read_session<'a>(
    i: u32,
    s: &'a DreamSession,
    input: &DreamInput,
    banned: &hygiene::Banned,
) -> SessionRead<'a> {
    let mut one_off = false;
    let mut seen_assistant = false;
    let mut stmts = Vec::new();
    let mut asked = Vec::new();
    for (m, msg) in s.messages.iter().enumerate() {
        if msg.role == Role::Assistant {
            seen_assistant = true;
        }
        if msg.role != Role::User || m == 0 {
            continue;
        }
        one_off |= text::sentences(&msg.content)
            .iter()
            .any(|x| statements::one_off(x));
        // Anything typed after the agent's work (tool output may sit between) can correct it.
        if seen_assistant {
            stmts.extend(statements::find(i, &msg.content, Source::FollowUp));
        }
        let prev = &s.messages[m - 1];
        if prev.role != Role::Assistant {
            continue;
        }
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
    // What reviewers wrote with their verdicts says what they want, as corrections do.
    for f in &s.feedback {
        if let Some(c) = f.comment.as_deref() {
            let source = if f.verdict == Verdict::Rejected {
                Source::Rejection
            } else {
                Source::Comment
            };
            stmts.extend(statements::find(i, c, source));
        }
    }
    let mut edits = Vec::new();
    for (f, (draft, fin)) in s
        .feedback
        .iter()
        .filter_map(|f| revised(s, f).map(|p| (f, p)))
    {
        // An edit made "just for this post" teaches nothing lasting.
        let once = f
            .comment
            .as_deref()
            .is_some_and(|c| text::sentences(c).iter().any(|x| statements::one_off(x)));
        if !one_off && !once {
            edits.push((draft, text::read(draft), fin, text::read(fin)));
        }
    }
    let signs = grade::signs(s, &banned.for_tags(&s.tags));
    let grades = grade::grade_session(input.rubric, s, &signs);
    // Whether the steps worked: a rejected answer or a correction says they did not; an
    // answer people used (as is or polished for style) says they did. Only without
    // either do the rubric's grades decide.
    let went_well = if signs.rejected > 0 || signs.corrections > 0 {
        -1.0
    } else if signs.accepted + signs.revised > 0 {
        1.0
    } else {
        grade::balance(input.rubric, &grades)
    };
    SessionRead {
        one_off,
        stmts,
        asked,
        edits,
        sequence: workflows::sequence(s),
        went_well,
        grades,
    }
}

/// Sessions whose edits no finding explains, and statements in no group that became a
/// finding: what the curator should look at.
fn residual(
    input: &DreamInput,
    findings: &[Finding],
    stmts: &[Statement],
    groups: &statements::Groups,
    one_offs: &BTreeSet<u32>,
) -> Vec<super::Residual> {
    let mut explained: BTreeSet<u32> = BTreeSet::new();
    let mut said_found: BTreeSet<u32> = BTreeSet::new();
    for f in findings {
        explained.extend(&f.support);
        if let Item::Said(g) = f.key.1 {
            said_found.insert(g);
        }
    }
    let mut out: BTreeMap<u32, super::Residual> = BTreeMap::new();
    for (st, of) in stmts.iter().zip(&groups.of) {
        if of.iter().any(|g| said_found.contains(g)) || explained.contains(&st.session) {
            continue;
        }
        let s = &input.sessions[st.session as usize];
        out.entry(st.session)
            .or_insert_with(|| super::Residual {
                session_id: s.id.clone(),
                ..Default::default()
            })
            .said
            .push(st.text.clone());
    }
    for (i, s) in input.sessions.iter().enumerate() {
        let i = i as u32;
        let edited = s.feedback.iter().any(|f| f.verdict == Verdict::Revised);
        if edited && !explained.contains(&i) && !one_offs.contains(&i) {
            out.entry(i)
                .or_insert_with(|| super::Residual {
                    session_id: s.id.clone(),
                    ..Default::default()
                })
                .edited = true;
        }
    }
    out.into_values().collect()
}

/// Some of what people wrote in the window (spread over it), enough to tell its language.
fn language_sample(input: &DreamInput) -> String {
    let mut sample = String::new();
    let step = (input.sessions.len() / 40).max(1);
    for s in input.sessions.iter().step_by(step) {
        for m in s.messages.iter().filter(|m| m.role == Role::User).take(2) {
            sample.push_str(&m.content);
            sample.push('\n');
        }
        if sample.len() > 8_000 {
            break;
        }
    }
    sample
}

/// A correction that says what reviewers' edits already show ("no exclamation marks, please")
/// adds its sessions to that edit rule instead of becoming a second proposal.
fn fold_said(
    table: &mut Table,
    said_words: &[Vec<String>],
    unsure: &[bool],
    lex: &Lexicon,
    lines: &Lexicon,
) {
    let mut said_cells: Vec<(u32, super::support::Key)> = table
        .cells
        .keys()
        .filter(|(_, k)| matches!(k.1, Item::Said(_)))
        .copied()
        .collect();
    said_cells.sort();
    // Groups said in most scopes of a tag (three or more, twice or more in each): the team's.
    let dims = table.scopes_per_dim();
    let mut held: HashMap<(u32, &str), usize> = HashMap::default();
    for &(s, key) in &said_cells {
        let (Item::Said(id), Some((k, _))) = (key.1, &table.scopes[s as usize].0) else {
            continue;
        };
        if table.cells[&(s, key)].support.len() >= 2 {
            *held.entry((id, k.as_str())).or_default() += 1;
        }
    }
    let mut widely = vec![false; said_words.len()];
    for ((id, k), n) in held {
        widely[id as usize] |= n >= 3 && n * 2 >= dims[&Some(k)];
    }
    let mut phrases: HashMap<u32, Vec<(super::support::Key, Vec<String>)>> = HashMap::default();
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
        // A whole line ("— The Lumen Team") is found by its content words: "Lumen replies
        // are signed by The Lumen Team" says to add it.
        // A one-word line ("Thanks,") says too little to be what a group asks, unless it is
        // a token that names one thing: a hashtag or a link.
        if let Item::Line(id) = key.1 {
            // A link is one thing, not the words of its address.
            let line = &lines.words[id as usize];
            let (links, rest): (Vec<&str>, Vec<&str>) =
                line.split_whitespace().partition(|t| is_link(t));
            let mut w = corrections::content_words(&rest.join(" "));
            if !links.is_empty() {
                w.push(LINK.to_string());
            }
            let token = |x: &String| x.contains('#') || x == LINK;
            if cell.support.len() >= 2 && (w.len() >= 2 || w.iter().any(token)) {
                phrases.entry(s).or_default().push((key, w));
            }
        }
    }
    for (s, key) in said_cells {
        let (pol, Item::Said(id)) = key else { continue };
        let words = &said_words[id as usize];
        let supported = |t: &super::support::Key| {
            table
                .cells
                .get(&(s, *t))
                .is_some_and(|c| !c.support.is_empty())
        };
        // The first style it names that the drafts show here.
        let topics = corrections::topics(pol, words);
        let topic = topics.first().copied();
        let mut targets: Vec<super::support::Key> = topics
            .into_iter()
            .map(|(p, f)| (p, Item::Feature(f)))
            .find(supported)
            .into_iter()
            .collect();
        // Not a style the drafts show here ("the booking link" where no link feature was
        // found): the line the edits added, if it is what the group names. With no style
        // topic at all, a phrase too.
        if targets.is_empty() {
            if let Some(list) = phrases.get(&s) {
                targets.extend(
                    list.iter()
                        .filter(|(k, _)| topic.is_none() || matches!(k.1, Item::Line(_)))
                        .filter(|(k, w)| {
                            // Most of the line, two words or more when it has them: "the last
                            // line must be “陪你读好书”" names the slogan, not the shop before
                            // it. A link in the line is what "the booking link" names.
                            let names_link = ["link", "url", "websit"]
                                .iter()
                                .any(|l| words.iter().any(|x| x == l));
                            let shared = w
                                .iter()
                                .filter(|x| words.contains(x) || (names_link && *x == LINK))
                                .count();
                            // Said without a polarity word, the other way too, if it names
                            // all of it.
                            k.0 == pol && shared >= w.len().min(2) && shared * 5 >= w.len() * 3
                                || k.0 != pol && unsure[id as usize] && shared == w.len()
                        })
                        .map(|(k, _)| *k)
                        .filter(supported),
                );
            }
        }
        // Said without a polarity word, it may be either way and the edit says which; but
        // where an edit of its own polarity matches, that is the one (a new link added, the
        // old one removed).
        if targets.iter().any(|t| t.0 == pol) {
            targets.retain(|t| t.0 == pol);
        }
        if targets.is_empty() {
            continue;
        }
        // A word the edits added may be only part of what a group says across the team
        // ("add the order number", 'order' added): the group stays, to be heard team-wide,
        // and the clients' word rules under it are dropped (see `local_echoes`).
        if widely[id as usize] && !matches!(targets[0].1, Item::Feature(_) | Item::Line(_)) {
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

/// A line's link, as one of its words.
const LINK: &str = "\u{1}link";

/// Whether a token of a line is a link: what [`text::is_link`] finds in a draft ("https://…",
/// "www.…"), or a host ("ridgeclimbing.example", its path already cut off by the reading), not
/// a price, a time or a file name ("12.50", "README.md").
pub(super) fn is_link(t: &str) -> bool {
    const FILES: &[&str] = &[
        "md", "js", "ts", "py", "rs", "go", "rb", "sh", "txt", "pdf", "png", "jpg", "jpeg", "gif",
        "svg", "html", "css", "json", "yaml", "yml", "toml", "csv", "zip", "doc", "docx", "xls",
        "xlsx", "ppt", "pptx", "exe", "log", "lock",
    ];
    let t = t.trim_end_matches(['.', ',', ')', '!']);
    if text::is_link(t) || t.contains("://") {
        return true;
    }
    let host = t.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| {
            tld.chars().count() >= 2
                && tld.chars().all(char::is_alphabetic)
                && !FILES.contains(&tld.to_lowercase().as_str())
        })
}

/// The same short opening or closing line in many scopes, differing only in a name ("Hi Ana,",
/// "Hi Sunil,"): one team-wide rule about its shape, not one line per client.
pub(crate) fn line_shapes(proposals: &mut Vec<ProposalDraft>) {
    // kind ("require-line" / "ban-line"), first word -> indexes of proposals
    let mut shapes: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, p) in proposals.iter().enumerate() {
        let parts: Vec<&str> = p.pattern.split('|').collect();
        let [kind @ ("require-line" | "ban-line"), scope, line] = parts[..] else {
            continue;
        };
        let words: Vec<&str> = line.split(' ').collect();
        if scope == "team" || words.len() > 3 || words.len() < 2 {
            continue;
        }
        // The rest of the line as written is a name: capitalised words, nothing else.
        let written = p.content.split('\'').nth(1).unwrap_or("");
        let name_like = written.split_whitespace().skip(1).all(|w| {
            let w = w.trim_end_matches([',', '!', '.', ':']);
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
        });
        if !name_like {
            continue;
        }
        shapes
            .entry((kind.to_string(), words[0].to_string()))
            .or_default()
            .push(i);
    }
    let mut drop: BTreeSet<usize> = BTreeSet::new();
    let mut add = Vec::new();
    for ((kind, first), idx) in shapes {
        let scopes: BTreeSet<&Scope> = idx.iter().map(|&i| &proposals[i].scope).collect();
        if scopes.len() < 3 {
            continue;
        }
        let example = proposals[idx[0]]
            .content
            .split('\'')
            .nth(1)
            .unwrap_or(&first)
            .to_string();
        let lead = example
            .split_whitespace()
            .next()
            .unwrap_or(&first)
            .to_string();
        let (content, what) = if kind == "require-line" {
            (
                format!(
                    "Start with '{lead}' and the person's first name, for example '{example}'."
                ),
                "added",
            )
        } else {
            (
                format!("Don't open or close with a line like '{example}'."),
                "removed",
            )
        };
        let support: u32 = idx.iter().map(|&i| proposals[i].support).sum();
        let mut evidence: Vec<Evidence> = idx
            .iter()
            .flat_map(|&i| proposals[i].evidence.first().cloned())
            .collect();
        evidence.truncate(super::evidence::MAX_EVIDENCE);
        add.push(ProposalDraft {
            op: crate::model::ProposalOp::Add,
            content,
            scope: Scope::new(),
            targets: vec![],
            evidence,
            confidence: idx.iter().map(|&i| proposals[i].confidence).fold(0.0, f64::max),
            rationale: format!(
                "Reviewers {what} such a line in {} clients ({support} sessions), each with its own name: one rule for the shape.",
                scopes.len()
            ),
            pattern: format!("{kind}-shape|team|{first}"),
            support,
            support_days: idx.iter().map(|&i| proposals[i].support_days).max().unwrap_or(0),
            flags: vec![],
            supporting: {
                let all: BTreeSet<&String> =
                    idx.iter().flat_map(|&i| &proposals[i].supporting).collect();
                all.into_iter().cloned().collect()
            },
            impact: None,
        });
        drop.extend(idx);
    }
    const GREETING: &[&str] = &["dear", "hello", "hi", "hey", "greetings", "to"];
    let shape = add
        .iter()
        .any(|p| p.pattern.starts_with("require-line-shape|"));
    // A shape with a word of its own ("Hi <name>"), not a bare name.
    let named_shape = add.iter().any(|p| {
        p.pattern.starts_with("require-line-shape|")
            && p.pattern.ends_with(|c: char| c.is_alphabetic())
    });
    // Each said rule read once for the greeting. Once the greeting's shape is a team rule,
    // what people said about greeting them by name is that rule in their words. Otherwise it
    // is where a greeting left out belongs ("Hello," removed, "use their first name" said):
    // one preference seen twice, and the said rule tells the agent what to write instead.
    let mut said_greeting: Vec<&Scope> = Vec::new();
    for (i, p) in proposals.iter().enumerate() {
        if !p.pattern.starts_with("said-") {
            continue;
        }
        let e = p.as_entry();
        let e = hygiene::read(&e);
        let greeting = e.topic == Some((Pol::Require, Feature::Greeting));
        if shape && greeting {
            drop.insert(i);
            continue;
        }
        // "Use their first name", "greet them by name": the greeting, said two ways. A
        // product's or a variable's name is not the person's.
        let has = |w: &str| e.words.contains(&text::stem(w));
        let by_name = e.pol == Pol::Require
            && has("name")
            && ["first", "customer", "person", "greet", "their"]
                .iter()
                .any(|w| has(w));
        if greeting || by_name {
            said_greeting.push(&p.scope);
        }
    }
    // A greeting left out is the same rule as "Hi <name>" team-wide, or as a said rule about
    // the greeting that covers its scope.
    for (i, p) in proposals.iter().enumerate() {
        let parts: Vec<&str> = p.pattern.split('|').collect();
        if let ["ban-line", _, line] = parts[..] {
            let first = line.split(' ').next().unwrap_or("");
            if GREETING.contains(&first)
                && (named_shape || said_greeting.iter().any(|s| hygiene::covers(s, &p.scope)))
            {
                drop.insert(i);
            }
        }
    }
    // A closing replaced by the one people want ("Thanks," for "Kind regards,", "— The Lumen
    // Team" for "Kind regards, Sam"): leaving out the old sign-off or name is the same rule, in
    // its scope and in narrower ones. Greetings are the opening's, not the closing's.
    let closing_in: Vec<&Scope> = proposals
        .iter()
        .filter(|p| requires_closing(p))
        .map(|p| &p.scope)
        .collect();
    for (i, p) in proposals.iter().enumerate() {
        let quoted = p.content.split('\'').nth(1).unwrap_or("").trim();
        let words = quoted.split_whitespace().count();
        let greeting = GREETING.contains(
            &quoted
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(',')
                .to_lowercase()
                .as_str(),
        );
        let sign_off = quoted.ends_with([',', '，']) && words <= 4;
        let name = words <= 3 && !quoted.ends_with(['.', '!', '?', ':', ',', '，']);
        let old_closing = p.pattern.starts_with("ban-line|") && !greeting && (sign_off || name);
        if old_closing && closing_in.iter().any(|s| hygiene::covers(s, &p.scope)) {
            drop.insert(i);
        }
    }
    let mut i = 0;
    proposals.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    proposals.extend(add);
}

/// Whether `p` is a line rule for how texts end ("Sign off with 'Thanks,'", "end with '— The
/// Lumen Team'").
fn requires_closing(p: &ProposalDraft) -> bool {
    let c = p.content.to_lowercase();
    p.pattern.starts_with("require-line|")
        && (c.contains("sign off with '") || c.contains("end with '"))
}

/// What people said that a team-wide proposal already states: a style topic said in one
/// client ("say we're, not we are" beside the team's contractions rule), or the sign-off the
/// team's closing rule replaces or asks for ("'Sincerely' is too formal", "end with 'Thanks'"
/// beside "Sign off with 'Thanks,'"), said in one client or across them. It is the team rule
/// heard there.
pub(crate) fn team_echoes(proposals: &mut Vec<ProposalDraft>, sessions: &[DreamSession]) {
    let said = |p: &ProposalDraft| p.pattern.starts_with("said-");
    if !proposals.iter().any(said) {
        return;
    }
    let team: Vec<&ProposalDraft> = proposals.iter().filter(|p| p.scope.is_empty()).collect();
    let team_topics: BTreeSet<(Pol, Feature)> = team
        .iter()
        .filter_map(|p| {
            let entry = p.as_entry();
            hygiene::read(&entry).topic
        })
        .collect();
    let team_closing = team.iter().any(|p| requires_closing(p));
    // The words of the team's closing lines ("thanks"), as their patterns keep them.
    let closing_words: BTreeSet<String> = team
        .iter()
        .filter(|p| requires_closing(p))
        .filter_map(|p| p.pattern.split('|').nth(2))
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect();
    // The greeting's shape ("Start with 'Hi' and the person's first name") as a team rule.
    let team_opening = team
        .iter()
        .any(|p| p.pattern.starts_with("require-line-shape|"));
    // The short first and closing lines of the window's drafts, each with how many drafts it
    // opens or closes, read once ("Dear valued customer," on top, "Sincerely," above the name).
    let edges = std::cell::OnceCell::new();
    let edges = || {
        edges.get_or_init(|| {
            let mut first: HashMap<String, usize> = HashMap::default();
            let mut last: HashMap<String, usize> = HashMap::default();
            for d in sessions.iter().flat_map(super::effect::drafts) {
                let lines: Vec<&str> = d.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                let close =
                    super::edits::sign_off_above_name(&lines).or(lines.len().checked_sub(1));
                let open = (lines.len() > 1).then_some(0);
                for (at, map) in [(open, &mut first), (close, &mut last)] {
                    if let Some(l) = at
                        .map(|i| lines[i])
                        .filter(|l| l.split_whitespace().count() <= 5)
                    {
                        *map.entry(l.to_lowercase()).or_default() += 1;
                    }
                }
            }
            (first, last)
        })
    };
    // Where in the drafts a phrase is looked for: the first line, the last, or only a
    // sign-off proper ("Sincerely,", "Kind regards,"), not any last line (a post's "Book now"
    // is its call to action).
    #[derive(Clone, Copy, PartialEq)]
    enum Edge {
        Opening,
        Closing,
        SignOff,
    }
    // Whether `phrase` is a word of a greeting or sign-off, whoever's drafts had it.
    let in_edge = |phrase: &str, edge: Edge| {
        let (first, last) = edges();
        let lines = if edge == Edge::Opening { first } else { last };
        lines
            .iter()
            .filter(|(l, _)| {
                l.contains(phrase) && (edge != Edge::SignOff || l.ends_with([',', '，']))
            })
            .map(|(_, n)| n)
            .sum::<usize>()
            >= 2
    };
    proposals.retain(|p| {
        if !said(p) {
            return true;
        }
        let entry = p.as_entry();
        let e = hygiene::read(&entry);
        // The topic, quoted examples or not ("contractions; say \"we're\"").
        let topic = e.topic.or_else(|| corrections::topic(e.pol, &e.words));
        let scoped = !p.scope.is_empty();
        let echo_topic = scoped && topic.is_some_and(|t| team_topics.contains(&t));
        // The old sign-off banned, or the new one asked for by how texts end ("'Sincerely'
        // is too formal", "end with 'Thanks' and your name"). In one client, any word of its
        // last lines; across clients, a sign-off's.
        let about_ending = [
            "end", "sign", "sign-off", "signoff", "close", "closing", "finish",
        ]
        .iter()
        .any(|w| e.words.iter().any(|x| x == w));
        // Unquoted ("we sign off with Thanks, always"), a word of the closing line will do.
        let names_closing = || {
            e.words
                .iter()
                .any(|w| w.len() >= 3 && closing_words.iter().any(|c| c.starts_with(w.as_str())))
        };
        let echo_closing = team_closing
            && match (e.pol, e.phrase.as_deref()) {
                (Pol::Forbid, Some(ph)) if scoped => in_edge(ph, Edge::Closing),
                (Pol::Forbid, Some(ph)) => in_edge(ph, Edge::SignOff),
                (Pol::Forbid, None) => false,
                (Pol::Require, Some(ph)) => {
                    about_ending
                        && ph
                            .split_whitespace()
                            .all(|w| closing_words.contains(&w.to_lowercase()))
                }
                (Pol::Require, None) => about_ending && names_closing(),
            };
        // The greeting's shape is the precise form of "no 'Dear valued customer'", team-wide too.
        let echo_opening = team_opening
            && e.pol == Pol::Forbid
            && e.phrase
                .as_deref()
                .is_some_and(|ph| in_edge(ph, Edge::Opening));
        !(echo_topic || echo_closing || echo_opening)
    });
}

/// A rule that holds team-wide is not proposed again for single clients, whether it was found
/// as a style change or as something people said ("so much hedging" and the hedges removed).
fn local_echoes(fs: Vec<Finding>, said_words: &[Vec<String>], lex: &Lexicon) -> Vec<Finding> {
    let topic = |f: &Finding| -> Option<(Pol, Feature)> {
        match f.key.1 {
            Item::Feature(feat) => Some((f.key.0, feat)),
            Item::Said(g) => corrections::topic(f.key.0, &said_words[g as usize]),
            _ => None,
        }
    };
    let team: BTreeSet<(Pol, Item)> = fs
        .iter()
        .filter(|f| f.scope.is_none())
        .map(|f| f.key)
        .collect();
    let team_topics: BTreeSet<(Pol, Feature)> = fs
        .iter()
        .filter(|f| f.scope.is_none())
        .filter_map(topic)
        .collect();
    // Whether a group's words name every word of a phrase rule.
    let names_gram = |words: &[String], gram: &support::Gram| {
        gram[..support::gram_len(gram)]
            .iter()
            .all(|&w| words.contains(&text::stem(&lex.words[w as usize])))
    };
    // What people said that an edit rule or a style rule of the same scope (or team-wide)
    // already states precisely: the precise one is kept.
    let said_by_rule = |f: &Finding| -> bool {
        let Item::Said(g) = f.key.1 else { return false };
        let words = &said_words[g as usize];
        let t = topic(f);
        fs.iter().any(|o| {
            if o.key.0 != f.key.0 || !(o.scope.is_none() || o.scope == f.scope) {
                return false;
            }
            match o.key.1 {
                Item::Feature(feat) => t == Some((o.key.0, feat)),
                Item::Phrase(gram) => names_gram(words, &gram),
                _ => false,
            }
        })
    };
    // A client's word rule that a team-wide group already names ("always include 'order'"
    // under "add the order number"): the team's rule says it.
    let team_said: Vec<(Pol, &Vec<String>)> = fs
        .iter()
        .filter(|f| f.scope.is_none())
        .filter_map(|f| match f.key.1 {
            Item::Said(g) => Some((f.key.0, &said_words[g as usize])),
            _ => None,
        })
        .collect();
    let under_team_said = |f: &Finding| -> bool {
        let Item::Phrase(gram) = f.key.1 else {
            return false;
        };
        f.scope.is_some()
            && team_said
                .iter()
                .any(|(pol, words)| *pol == f.key.0 && names_gram(words, &gram))
    };
    let drop: Vec<bool> = fs
        .iter()
        .map(|f| said_by_rule(f) || under_team_said(f))
        .collect();
    fs.into_iter()
        .zip(drop)
        .filter(|(f, said)| {
            !said
                && (f.scope.is_none()
                    || !(team.contains(&f.key)
                        || topic(f).is_some_and(|t| team_topics.contains(&t))))
        })
        .map(|(f, _)| f)
        .collect()
}

/// A remark with no instruction in it ("too stiff at the end", "this reads like a police
/// report") made on the drafts a rule of the same scope (or the team's) changes, far more
/// often than that rule's share of all sessions: the reason for that edit, not a rule of its
/// own. Its sessions join the rule's.
fn remarks_heard(
    mut fs: Vec<Finding>,
    stmts: &[Statement],
    groups: &statements::Groups,
    sessions: usize,
) -> Vec<Finding> {
    // Per group: statements that instruct, and all of them. A remark is mostly remarks.
    let mut said = vec![(0usize, 0usize); groups.pol.len()];
    for (st, of) in stmts.iter().zip(&groups.of) {
        for &g in of {
            said[g as usize].0 += usize::from(st.directive || st.standing);
            said[g as usize].1 += 1;
        }
    }
    let instructs: Vec<bool> = said.iter().map(|&(i, n)| i * 2 >= n).collect();
    let mut into: Vec<Option<usize>> = vec![None; fs.len()];
    for (i, f) in fs.iter().enumerate() {
        let Item::Said(g) = f.key.1 else { continue };
        if instructs[g as usize] || f.support.len() < 3 {
            continue;
        }
        let best = fs
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                matches!(o.key.1, Item::Feature(_) | Item::Line(_) | Item::Phrase(_))
                    && (o.scope.is_none() || o.scope == f.scope)
            })
            .map(|(j, o)| {
                let shared = f
                    .support
                    .iter()
                    .filter(|s| o.support.binary_search(s).is_ok())
                    .count();
                (j, shared, o.support.len())
            })
            .filter(|&(_, shared, all)| {
                let covered = shared as f64 / f.support.len() as f64;
                let base = all as f64 / sessions.max(1) as f64;
                covered >= 0.8 && covered >= base + 0.3
            })
            .max_by(|a, b| {
                let lift = |x: &(usize, usize, usize)| x.1 as f64 / x.2.max(1) as f64;
                lift(a).total_cmp(&lift(b)).then(b.0.cmp(&a.0))
            });
        into[i] = best.map(|b| b.0);
    }
    for i in 0..fs.len() {
        if let Some(j) = into[i] {
            let moved = std::mem::take(&mut fs[i].support);
            let target = &mut fs[j].support;
            target.extend(moved);
            target.sort_unstable();
            target.dedup();
        }
    }
    fs.into_iter()
        .zip(into)
        .filter(|(_, into)| into.is_none())
        .map(|(f, _)| f)
        .collect()
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
                    .map(|w| lex.word(w).unwrap_or(u32::MAX))
                    .collect(),
            ),
            _ => None,
        }
    };
    let contains = |a: &[u32], b: &[u32]| b.len() < a.len() && a.windows(b.len()).any(|w| w == b);
    let n = fs.len();
    let mut drop = vec![false; n];
    // Only word and line rules of one scope and polarity are compared, each with the others
    // that share a word with it: cheap however many rules a big window yields.
    let all_toks: Vec<Option<Vec<u32>>> = fs.iter().map(toks).collect();
    let mut by_word: HashMap<(&Option<ScopeTag>, Pol, u32), Vec<usize>> = HashMap::default();
    for (i, t) in all_toks.iter().enumerate() {
        for &w in t.iter().flatten() {
            let list = by_word.entry((&fs[i].scope, fs[i].key.0, w)).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    for i in 0..n {
        let Some(ti) = &all_toks[i] else { continue };
        let mut others: Vec<usize> = ti
            .iter()
            .flat_map(|&w| {
                by_word
                    .get(&(&fs[i].scope, fs[i].key.0, w))
                    .into_iter()
                    .flatten()
            })
            .copied()
            .filter(|&j| j != i)
            .collect();
        others.sort_unstable();
        others.dedup();
        for j in others {
            let Some(tj) = &all_toks[j] else { continue };
            let (ti, tj) = (ti.as_slice(), tj.as_slice());
            if tj == ti
                && matches!(fs[j].key.1, Item::Line(_))
                && matches!(fs[i].key.1, Item::Phrase(_))
            {
                drop[i] = true;
            } else if contains(tj, ti) {
                // j is longer and holds i.
                if fs[j].support.len() * 5 >= fs[i].support.len() * 4 {
                    drop[i] = true;
                } else {
                    drop[j] = true;
                }
            }
        }
    }
    // A word removed only in drafts where a word removed more often went too ("形成" with
    // "闭环" in "形成体验闭环", rewritten whole) went with that rewrite: not a rule of its own.
    let mut bans: HashMap<&Option<ScopeTag>, Vec<usize>> = HashMap::default();
    for (i, f) in fs.iter().enumerate() {
        if f.key.0 == Pol::Forbid && matches!(f.key.1, Item::Phrase(_)) && !drop[i] {
            bans.entry(&f.scope).or_default().push(i);
        }
    }
    for list in bans.values() {
        for &i in list {
            let within = |j: usize| {
                j != i
                    && fs[j].support.len() >= 2 * fs[i].support.len()
                    && fs[i]
                        .support
                        .iter()
                        .all(|s| fs[j].support.binary_search(s).is_ok())
            };
            if list.iter().any(|&j| within(j)) {
                drop[i] = true;
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
