//! Statements grouped by meaning: the topic stems they share, forms and paraphrases joined,
//! tools and domain words kept from chaining topics together.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use super::{has_cjk, Source, Statement};
use crate::dreaming::offline::support::Pol;

/// A topic before it is finished: polarity, its stems, its statements and their sessions.
type Topic = (Pol, Vec<String>, BTreeSet<usize>, BTreeSet<u32>);
/// A group of terms being built: the terms, the statements naming them, their sessions.
type Members = (Vec<usize>, BTreeSet<usize>, BTreeSet<u32>);

/// Statements grouped by meaning.
pub(crate) struct Groups {
    /// For each statement, the groups it belongs to (a sentence may ask two things).
    pub of: Vec<Vec<u32>>,
    /// Each group's polarity.
    pub pol: Vec<Pol>,
    /// Each group's topic: the stems that tie it together.
    pub terms: Vec<Vec<String>>,
    /// Each group in the clearest wording people used.
    pub rule: Vec<String>,
}

/// Groups statements of one polarity by the content stems they share. Forms of one stem
/// ("format", "formatt"; "fmt", "rustfmt") are one term; two terms join when the statements
/// using one mostly use the other too ("cargo" and "fmt"), so paraphrases meet through the
/// words they do share; a term used in many different statements ("code") ties nothing.
/// A group is a topic used in statements of at least three sessions; a statement joins every
/// group whose topic it names. Cost: linear in the statements (pairs within one sentence).
pub(crate) fn group(stmts: &[Statement]) -> Groups {
    let mut groups = Groups {
        of: vec![Vec::new(); stmts.len()],
        pol: Vec::new(),
        terms: Vec::new(),
        rule: Vec::new(),
    };
    let n = stmts.len();
    if n == 0 {
        return groups;
    }
    // How many statements (any polarity) use each stem: common ones are generic.
    let mut df: HashMap<&str, usize> = HashMap::default();
    for s in stmts {
        for t in &s.stems {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    // A stem in a third of everything people said, with different words each time, is the
    // domain itself ("code", "reply"), not a topic; one said the same way every time
    // ("other teams") is the topic people care most about.
    let mut partners: HashMap<&str, std::collections::HashSet<&str>> = HashMap::default();
    for s in stmts {
        for a in &s.stems {
            let p = partners.entry(a.as_str()).or_default();
            for b in &s.stems {
                if a != b && p.len() < 64 {
                    p.insert(b.as_str());
                }
            }
        }
    }
    // How many statements (either way) a stem is the only topic word of.
    let mut alone: HashMap<&str, usize> = HashMap::default();
    for s in stmts.iter().filter(|s| s.stems.len() == 1) {
        *alone.entry(s.stems[0].as_str()).or_default() += 1;
    }
    let generic = |t: &str| {
        let d = df[t];
        n >= 20 && d * 3 > n && d >= 10 && partners.get(t).map_or(0, |p| p.len()) * 2 > d.min(64)
    };
    // (polarity, topic terms, statements, sessions) of each topic, both polarities.
    let mut raw: Vec<Topic> = Vec::new();
    for pol in [Pol::Forbid, Pol::Require] {
        let idx: Vec<usize> = (0..n).filter(|&i| stmts[i].pol == pol).collect();
        let mut ids: HashMap<&str, usize> = HashMap::default();
        let mut terms: Vec<&str> = Vec::new();
        // Per term: distinct sessions (statements come in session order) and statements.
        let mut sessions: Vec<(usize, Option<u32>)> = Vec::new();
        let mut of_stmt: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &i in &idx {
            for t in &stmts[i].stems {
                if generic(t) {
                    continue;
                }
                let id = *ids.entry(t.as_str()).or_insert_with(|| {
                    terms.push(t.as_str());
                    sessions.push((0, None));
                    terms.len() - 1
                });
                let (count, last) = &mut sessions[id];
                if *last != Some(stmts[i].session) {
                    *count += 1;
                    *last = Some(stmts[i].session);
                }
                of_stmt[i].push(id);
            }
        }
        let mut parent: Vec<usize> = (0..terms.len()).collect();
        fn root(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        fn join(p: &mut [usize], a: usize, b: usize) {
            let (ra, rb) = (root(p, a), root(p, b));
            if ra != rb {
                p[ra.max(rb)] = ra.min(rb);
            }
        }
        // Forms of one stem: one is the start of the other (5+ letters), or its end
        // ([`is_form_end`]: "fmt" in "rustfmt", not "log" in "changelog"). Found through an
        // index of starts and ends, not all pairs.
        let mut starts: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut ends: HashMap<&str, Vec<usize>> = HashMap::default();
        for (id, t) in terms.iter().enumerate() {
            let bounds: Vec<usize> = t.char_indices().map(|(b, _)| b).skip(1).collect();
            let len = t.chars().count();
            for &b in &bounds {
                // A form: the same start and an ending of at most three letters ("format",
                // "formatt"), not another word that begins alike ("chang", "changelog").
                let head = t[..b].chars().count();
                if head >= 5 && len - head <= 3 {
                    starts.entry(&t[..b]).or_default().push(id);
                }
                if is_form_end(&t[b..]) {
                    ends.entry(&t[b..]).or_default().push(id);
                }
            }
        }
        for (id, t) in terms.iter().enumerate() {
            for other in starts.get(t).into_iter().chain(ends.get(t)).flatten() {
                join(&mut parent, id, *other);
            }
        }
        // Terms used together: in statements of at least two sessions, a third of the
        // rarer term's sessions.
        let mut co: HashMap<(usize, usize), (usize, Option<u32>)> = HashMap::default();
        for &i in &idx {
            let mine = &of_stmt[i];
            for (a, &x) in mine.iter().enumerate() {
                for &y in &mine[a + 1..] {
                    let e = co.entry((x.min(y), x.max(y))).or_insert((0, None));
                    if e.1 != Some(stmts[i].session) {
                        e.0 += 1;
                        e.1 = Some(stmts[i].session);
                    }
                }
            }
        }
        // Said together, even once: a partner said only beside the centre ("no dates — we
        // can't guarantee them") must not make it look like two topics. (One checklist
        // sentence, "run cargo fmt and cargo bench", can make a tool look like a centre.)
        let ever_together: std::collections::HashSet<(usize, usize)> = co.keys().copied().collect();
        let mut pairs: Vec<((usize, usize), usize)> =
            co.into_iter().map(|(k, v)| (k, v.0)).collect();
        pairs.sort_unstable();
        // Mostly together for the rarer term, and not a small corner of the commoner one: a
        // word used with everything ("code") joins nothing.
        let links: Vec<(usize, usize, f64)> = pairs
            .into_iter()
            .filter_map(|((x, y), together)| {
                let smaller = sessions[x].0.min(sessions[y].0);
                let larger = sessions[x].0.max(sessions[y].0);
                (together >= 2 && together * 3 >= smaller && together * 12 >= larger)
                    .then(|| (x, y, together as f64 / smaller as f64))
            })
            .collect();
        // A term linked to two topics that never meet ("cargo" in "cargo fmt" and "cargo
        // bench", "terraform" in "terraform fmt" and "terraform plan") is a tool, not a topic:
        // it keeps only its strongest link, so it cannot chain the two together.
        let mut adj: HashMap<usize, Vec<(usize, f64)>> = HashMap::default();
        for &(x, y, w) in &links {
            adj.entry(x).or_default().push((y, w));
            adj.entry(y).or_default().push((x, w));
        }
        let mut hub_keep: HashMap<usize, usize> = HashMap::default();
        for (&x, partners) in &adj {
            // Said on its own, often, it is a topic ("no \"indulge\"" beside "swap \"indulge\""
            // and "\"indulge\" sounds like a diet ad"): a tool is never the whole of a sentence.
            let said_alone = alone.get(terms[x]).copied().unwrap_or(0);
            if said_alone >= 2 && said_alone * 4 >= df[terms[x]] {
                continue;
            }
            // Its partners chain together, said with one another ("promise" with "delivery",
            // "delivery" with "commit"): one topic, and the term is its centre ("date").
            let mut part: Vec<usize> = (0..partners.len()).collect();
            for i in 0..partners.len() {
                for j in i + 1..partners.len() {
                    let (y, z) = (partners[i].0, partners[j].0);
                    if ever_together.contains(&(y.min(z), y.max(z)))
                        || root(&mut parent, y) == root(&mut parent, z)
                    {
                        join(&mut part, i, j);
                    }
                }
            }
            let apart = (0..partners.len()).any(|i| root(&mut part, i) != root(&mut part, 0));
            if apart {
                let best = partners
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|p| p.0)
                    .expect("partners");
                hub_keep.insert(x, best);
            }
        }
        for (x, y, _) in links {
            let ok = |a: usize, b: usize| hub_keep.get(&a).is_none_or(|&k| k == b);
            if ok(x, y) && ok(y, x) {
                join(&mut parent, x, y);
            }
        }
        // Groups with the sessions of their statements.
        let mut members: BTreeMap<usize, Members> = BTreeMap::new();
        for t in 0..terms.len() {
            let r = root(&mut parent, t);
            members.entry(r).or_default().0.push(t);
        }
        let root_of: Vec<usize> = (0..terms.len()).map(|t| root(&mut parent, t)).collect();
        // A statement belongs to a group when most of what it says (rare words weighing more)
        // is the group's topic: "loop in the team" does not join "don't talk about other teams".
        let idf = |t: &str| ((n as f64 + 1.0) / (df[t] as f64 + 1.0)).ln() + 1.0;
        // How many sessions name a topic in any of its forms and paraphrases: "print",
        // "println" and "stdout" said in different sessions are one well-talked-about topic.
        let mut reach: HashMap<usize, BTreeSet<u32>> = HashMap::default();
        for &i in &idx {
            for &t in &of_stmt[i] {
                reach
                    .entry(root_of[t])
                    .or_default()
                    .insert(stmts[i].session);
            }
        }
        for &i in &idx {
            let total: f64 = stmts[i].stems.iter().map(|t| idf(t)).sum();
            let mut share: BTreeMap<usize, f64> = BTreeMap::new();
            for &t in &of_stmt[i] {
                *share.entry(root_of[t]).or_default() += idf(terms[t]);
            }
            // The most talked-about topic the statement names, among those that are a fair
            // part of it; an incidental rare word ("which one we mean") is no topic of its own.
            let size = |r: &usize| reach.get(r).map_or(0, |s| s.len());
            let pick = share
                .iter()
                .filter(|(_, w)| **w * 10.0 >= total * 3.0)
                .max_by(|a, b| size(a.0).cmp(&size(b.0)).then(b.0.cmp(a.0)))
                .or_else(|| share.iter().max_by(|a, b| a.1.total_cmp(b.1)))
                .map(|(r, _)| *r);
            if let Some(r) = pick {
                let m = members.get_mut(&r).expect("every term has a group");
                m.1.insert(i);
                m.2.insert(stmts[i].session);
            }
        }
        for (_, (ts, used, sess)) in members {
            let mut topic: Vec<String> = ts.iter().map(|&t| terms[t].to_string()).collect();
            topic.sort();
            raw.push((pol, topic, used, sess));
        }
    }
    // One topic said both ways ("don't hand-roll retry loops" / "use retry.Do instead of a
    // hand-rolled loop", "don't hand me unformatted code" / "run the formatter") is one rule,
    // kept with the polarity most people used.
    let alike_terms = |a: &[String], b: &[String]| {
        a.iter().any(|x| {
            b.iter().any(|y| {
                x == y
                    || (x.chars().count() >= 4 && y.contains(x.as_str()))
                    || (y.chars().count() >= 4 && x.contains(y.as_str()))
            })
        })
    };
    let mut merged: Vec<bool> = vec![false; raw.len()];
    for i in 0..raw.len() {
        for j in i + 1..raw.len() {
            if merged[i] || merged[j] || raw[i].0 == raw[j].0 || !alike_terms(&raw[i].1, &raw[j].1)
            {
                continue;
            }
            // Most of the smaller side's sessions must be about the same thing: share terms.
            let (big, small) = if raw[i].3.len() >= raw[j].3.len() {
                (i, j)
            } else {
                (j, i)
            };
            let (_, st, su, ss) = raw[small].clone();
            let b = &mut raw[big];
            b.1.extend(st);
            b.1.sort();
            b.1.dedup();
            b.2.extend(su);
            b.3.extend(ss);
            merged[small] = true;
        }
    }
    for (k, (pol, topic, used, sess)) in raw.into_iter().enumerate() {
        if merged[k] || sess.len() < 3 {
            continue;
        }
        // Plain instructions alone ("add the migration", again and again) are the work
        // itself; a rule shows in how people say it: "always", "again", "you forgot", a
        // comment on a draft.
        let said_as_rule = used
            .iter()
            .filter(|&&i| {
                let st = &stmts[i];
                st.marked || st.standing || st.source != Source::FollowUp
            })
            .count();
        if said_as_rule * 3 < used.len() {
            continue;
        }
        let id = groups.pol.len() as u32;
        for &i in &used {
            groups.of[i].push(id);
        }
        groups.rule.push(clearest(stmts, &used, &topic));
        groups.pol.push(pol);
        groups.terms.push(topic);
    }
    groups
}

/// The stems of a rule said outside what it quotes at length (in quotes or backticks), or
/// `None` when it quotes nothing at length.
fn unquoted_stems(rule: &str) -> Option<Vec<String>> {
    let mut rest = String::with_capacity(rule.len());
    let mut last = 0;
    for (start, end, _) in super::quotes(rule, &['`', '"', '“', '\'', '‘'])
        .into_iter()
        .filter(|q| super::at_length(q.2))
    {
        rest.push_str(&rule[last..start]);
        rest.push(' ');
        last = end;
    }
    if last == 0 {
        return None;
    }
    rest.push_str(&rule[last..]);
    Some(super::content_stems(&rest))
}

/// Whether the end of a compound is a form of the word it ends with: four letters or more, or
/// a three-letter abbreviation without a vowel ("fmt" in "rustfmt", "pkg" in "gopkg"). A
/// short word of its own makes a new word when joined ("log" in "changelog", "set" in
/// "dataset"), so it names another thing.
pub(super) fn is_form_end(end: &str) -> bool {
    match end.chars().count() {
        0..=2 => false,
        3 => !end
            .chars()
            .any(|c| "aeiouy".contains(c) || !c.is_ascii_alphabetic()),
        _ => true,
    }
}

/// The wording of a group a team lead would write down: an instruction that names the topic,
/// said as a rule rather than a complaint, short, and the one people used most.
pub(crate) fn clearest(stmts: &[Statement], members: &BTreeSet<usize>, topic: &[String]) -> String {
    let mut count: HashMap<&str, usize> = HashMap::default();
    for &i in members {
        *count.entry(stmts[i].rule.as_str()).or_default() += 1;
    }
    let score = |i: usize| -> i64 {
        let s = &stmts[i];
        let words = s.rule.split_whitespace().count() as i64;
        // Topic words only inside a quoted example ("not like `Read the API token from an env
        // var`") name the example, not the rule.
        let named = match unquoted_stems(&s.rule) {
            Some(outside) => topic.iter().filter(|t| outside.contains(t)).count(),
            None => topic.iter().filter(|t| s.stems.contains(t)).count(),
        } as i64;
        let mut v = named * 4 + count[s.rule.as_str()] as i64 * 2;
        if s.marked {
            v += 3;
        }
        if s.standing {
            v += 1;
        }
        if s.source == Source::FollowUp {
            v += 1;
        }
        // Words beyond the topic are noise to the agent that reads the rule.
        v -= (s.stems.len() as i64 - named).max(0) * 2;
        if words > 14 {
            v -= words - 14;
        }
        if words < 3 && !has_cjk(&s.rule) {
            v -= 3;
        }
        // A question ("should be faster based on what?") asks the reader to guess the rule.
        if s.text.trim_end().ends_with(['?', '？']) {
            v -= 4;
        }
        v
    };
    let best = members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            score(a)
                .cmp(&score(b))
                .then_with(|| stmts[b].rule.len().cmp(&stmts[a].rule.len()))
                .then_with(|| stmts[b].rule.cmp(&stmts[a].rule))
        })
        .expect("a group has members");
    stmts[best].rule.clone()
}
