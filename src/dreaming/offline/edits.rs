//! What reviewers change between a draft and the text they used: words and short phrases
//! removed or added (with what replaced them), leading and trailing lines added or dropped
//! (sign-offs, headers), and structural features (see `text::Feature`). Each change is a
//! supporting observation in every scope of the session; contradictions are counted later
//! over every text people actually used (`count_contra`).

use std::collections::{HashMap, HashSet};

use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::support::{Gram, Item, Key, Pol, Table, NONE};
use super::text::{self, Feature, Lexicon, Shape, FEATURES};

pub(crate) const MAX_GRAM: usize = 4;

/// Grams of `ids[from..to]` that can carry a word rule. A longer change is a rewrite or a cut
/// (a whole sentence dropped for length), not a choice of words, and yields none.
pub(crate) fn grams_in(ids: &[u32], from: usize, to: usize, lex: &Lexicon, out: &mut Vec<Gram>) {
    let span = ids[from..to]
        .iter()
        .filter(|&&w| lex.words[w as usize] != text::BREAK)
        .count();
    if span > MAX_GRAM {
        return;
    }
    for i in from..to {
        for n in 1..=MAX_GRAM {
            if i + n > to {
                break;
            }
            let w = &ids[i..i + n];
            let word = |id: u32| lex.words[id as usize].as_str();
            if text::is_stop(word(w[0])) || text::is_stop(word(w[n - 1])) {
                continue;
            }
            if !w.iter().all(|&id| text::is_rule_word(word(id))) {
                continue;
            }
            let mut g = [NONE; 4];
            g[..n].copy_from_slice(w);
            out.push(g);
        }
    }
}

/// Every gram (1..=4 words) in a text, for presence checks.
pub(crate) fn all_grams(ids: &[u32]) -> HashSet<Gram> {
    let mut set = HashSet::with_capacity(ids.len() * MAX_GRAM);
    for i in 0..ids.len() {
        for n in 1..=MAX_GRAM.min(ids.len() - i) {
            let mut g = [NONE; 4];
            g[..n].copy_from_slice(&ids[i..i + n]);
            set.insert(g);
        }
    }
    set
}

pub(crate) fn edge_lines(t: &str) -> Vec<String> {
    let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = Vec::new();
    if lines.len() > 1 {
        out.push(text::norm_line(lines[0]));
        out.push(text::norm_line(lines[lines.len() - 1]));
    }
    out.retain(|l| {
        let n = l.split(' ').count();
        !l.is_empty() && n <= 20
    });
    out
}

/// Records what changed between one draft and the text the reviewer used.
#[allow(clippy::too_many_arguments)]
pub(crate) fn mine_pair(
    draft: &str,
    fin: &str,
    scopes: &[u32],
    session: u32,
    lex: &mut Lexicon,
    lines: &mut Lexicon,
    table: &mut Table,
) {
    let d = lex.ids(draft);
    let f = lex.ids(fin);
    let (dset, fset) = (all_grams(&d), all_grams(&f));
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut alts: Vec<(Gram, String)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &d, &f) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => grams_in(&d, old_index, old_index + old_len, lex, &mut removed),
            DiffOp::Insert {
                new_index, new_len, ..
            } => grams_in(&f, new_index, new_index + new_len, lex, &mut added),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                grams_in(&d, old_index, old_index + old_len, lex, &mut removed);
                grams_in(&f, new_index, new_index + new_len, lex, &mut added);
                if old_len <= MAX_GRAM && new_len <= MAX_GRAM {
                    let mut g = [NONE; 4];
                    g[..old_len].copy_from_slice(&d[old_index..old_index + old_len]);
                    let with: Vec<&str> = f[new_index..new_index + new_len]
                        .iter()
                        .map(|&i| lex.words[i as usize].as_str())
                        .collect();
                    alts.push((g, with.join(" ")));
                }
            }
        }
    }
    let mut seen: HashSet<Key> = HashSet::new();
    for g in removed {
        if !fset.contains(&g) {
            seen.insert((Pol::Forbid, Item::Phrase(g)));
        }
    }
    for g in added {
        if !dset.contains(&g) {
            seen.insert((Pol::Require, Item::Phrase(g)));
        }
    }
    // A line counts as added or dropped only when it is not a rewrite of a line on the other
    // side (a question turned into a statement, bullets turned into numbers).
    let (dl, fl) = (edge_lines(draft), edge_lines(fin));
    let dall: Vec<String> = draft.lines().map(text::norm_line).collect();
    let fall: Vec<String> = fin.lines().map(text::norm_line).collect();
    let rewritten = |l: &str, other: &[String]| other.iter().any(|o| line_overlap(l, o) >= 0.5);
    for l in &fl {
        if !rewritten(l, &dall) {
            seen.insert((Pol::Require, Item::Line(lines.id(l))));
        }
    }
    for l in &dl {
        if !rewritten(l, &fall) {
            seen.insert((Pol::Forbid, Item::Line(lines.id(l))));
        }
    }
    let (sd, sf) = (text::shape(draft), text::shape(fin));
    for key in feature_changes(&sd, &sf) {
        seen.insert(key);
    }
    for key in seen {
        table.support(scopes, key, session);
        if key.1 == Item::Feature(Feature::MaxWords) {
            for &s in scopes {
                let c = table.cell(s, key);
                c.max_words = c.max_words.max(sf.words);
            }
        }
    }
    for (g, with) in alts {
        let key = (Pol::Forbid, Item::Phrase(g));
        for &s in scopes {
            if let Some(c) = table.cells.get_mut(&(s, key)) {
                *c.alts.entry(with.clone()).or_default() += 1;
            }
        }
    }
}

fn line_overlap(a: &str, b: &str) -> f64 {
    let a: HashSet<&str> = a.split(' ').collect();
    let b: HashSet<&str> = b.split(' ').collect();
    let inter = a.intersection(&b).count();
    inter as f64 / (a.len() + b.len() - inter).max(1) as f64
}

fn feature_changes(d: &Shape, f: &Shape) -> Vec<Key> {
    let mut out = Vec::new();
    for feat in FEATURES {
        if matches!(feat, Feature::Bullets | Feature::Numbered) {
            continue;
        }
        match (d.has(feat), f.has(feat)) {
            (true, false) => out.push((Pol::Forbid, Item::Feature(feat))),
            (false, true) => out.push((Pol::Require, Item::Feature(feat))),
            _ => {}
        }
    }
    for (from, to) in [
        (Feature::Bullets, Feature::Numbered),
        (Feature::Numbered, Feature::Bullets),
    ] {
        if d.has(from) && !f.has(from) && f.has(to) {
            out.push((Pol::Require, Item::Feature(to)));
        }
    }
    if f.words + 5 <= d.words && f.words * 100 <= d.words * 85 {
        out.push((Pol::Require, Item::Feature(Feature::MaxWords)));
    }
    out
}

/// A limit people would write down: the longest accepted length rounded up to 5 or 10.
pub(crate) fn nice_limit(words: u32) -> u32 {
    let step = if words < 100 { 5 } else { 10 };
    words.div_ceil(step) * step
}

/// Whether a used text contradicts a structural rule.
pub(crate) fn contradicts_feature(pol: Pol, f: Feature, s: &Shape, limit: u32) -> bool {
    match (pol, f) {
        (_, Feature::MaxWords) => s.words > limit,
        (Pol::Forbid, f) => s.has(f),
        (Pol::Require, Feature::Numbered) => s.has(Feature::Bullets),
        (Pol::Require, Feature::Bullets) => s.has(Feature::Numbered),
        (Pol::Require, f) => !s.has(f),
    }
}

/// Counts, for every rule still in play, the used texts in each scope that contradict it:
/// a forbidden phrase or line that is present, a required one that is missing.
pub(crate) struct Contra<'a> {
    pub grams: HashMap<Gram, Vec<Pol>>,
    pub lines: HashMap<u32, Vec<Pol>>,
    pub features: Vec<Key>,
    /// Length limit per scope (falls back to the widest limit seen).
    pub limits: HashMap<u32, u32>,
    pub widest: u32,
    pub lex: &'a Lexicon,
    pub line_lex: &'a Lexicon,
    present: HashMap<(u32, Item), u32>,
    totals: HashMap<u32, u32>,
}

impl<'a> Contra<'a> {
    pub(crate) fn new(lex: &'a Lexicon, line_lex: &'a Lexicon) -> Self {
        Contra {
            grams: HashMap::new(),
            lines: HashMap::new(),
            features: Vec::new(),
            limits: HashMap::new(),
            widest: 0,
            lex,
            line_lex,
            present: HashMap::new(),
            totals: HashMap::new(),
        }
    }

    pub(crate) fn count(&mut self, used: &str, scopes: &[u32], table: &mut Table) {
        let mut ids = Vec::new();
        for w in text::words_with_breaks(used) {
            ids.push(self.lex.get(&w).unwrap_or(NONE));
        }
        let mut hits: HashSet<Item> = HashSet::new();
        for i in 0..ids.len() {
            for n in 1..=MAX_GRAM.min(ids.len() - i) {
                let mut g = [NONE; 4];
                g[..n].copy_from_slice(&ids[i..i + n]);
                if self.grams.contains_key(&g) {
                    hits.insert(Item::Phrase(g));
                }
            }
        }
        if !self.lines.is_empty() {
            for l in used.lines() {
                if let Some(id) = self.line_lex.get(&text::norm_line(l)) {
                    if self.lines.contains_key(&id) {
                        hits.insert(Item::Line(id));
                    }
                }
            }
        }
        for &s in scopes {
            *self.totals.entry(s).or_default() += 1;
            for &item in &hits {
                *self.present.entry((s, item)).or_default() += 1;
            }
        }
        let shape = text::shape(used);
        for &(pol, item) in &self.features {
            let Item::Feature(f) = item else { continue };
            for &s in scopes {
                let limit = nice_limit(*self.limits.get(&s).unwrap_or(&self.widest));
                if contradicts_feature(pol, f, &shape, limit) {
                    table.cell(s, (pol, item)).contra += 1;
                }
            }
        }
    }

    /// Turns presence counts into contradictions for phrase and line rules.
    pub(crate) fn finish(self, table: &mut Table) {
        let mut scopes: Vec<u32> = self.totals.keys().copied().collect();
        scopes.sort_unstable();
        let items = self
            .grams
            .iter()
            .flat_map(|(g, pols)| pols.iter().map(move |&p| (p, Item::Phrase(*g))))
            .chain(
                self.lines
                    .iter()
                    .flat_map(|(l, pols)| pols.iter().map(move |&p| (p, Item::Line(*l)))),
            );
        for (pol, item) in items {
            for &s in &scopes {
                let has = self.present.get(&(s, item)).copied().unwrap_or(0);
                let contra = match pol {
                    Pol::Forbid => has,
                    Pol::Require => self.totals[&s] - has,
                };
                if contra > 0 || table.cells.contains_key(&(s, (pol, item))) {
                    table.cell(s, (pol, item)).contra += contra;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(draft: &str, fin: &str) -> (Table, Lexicon, Lexicon) {
        let mut t = Table::default();
        let s = t.scope(super::super::support::ScopeTag(None));
        let (mut lex, mut lines) = (Lexicon::default(), Lexicon::default());
        mine_pair(draft, fin, &[s], 0, &mut lex, &mut lines, &mut t);
        (t, lex, lines)
    }

    fn phrase(lex: &Lexicon, p: &str) -> Item {
        let mut g = [NONE; 4];
        for (i, w) in p.split(' ').enumerate() {
            g[i] = lex.get(w).unwrap();
        }
        Item::Phrase(g)
    }

    #[test]
    fn a_replaced_word_is_removed_with_its_replacement() {
        let (t, lex, _) = mine(
            "Meet our seamless autumn blend! Order today.",
            "Meet our smooth autumn blend. Order today.\n#HarbourTea",
        );
        let cell = &t.cells[&(0, (Pol::Forbid, phrase(&lex, "seamless")))];
        assert_eq!(cell.alts.get("smooth"), Some(&1));
        assert!(t
            .cells
            .contains_key(&(0, (Pol::Forbid, Item::Feature(Feature::Exclaim)))));
        assert!(t
            .cells
            .contains_key(&(0, (Pol::Require, Item::Feature(Feature::Hashtag)))));
        assert!(t
            .cells
            .contains_key(&(0, (Pol::Require, phrase(&lex, "#harbourtea")))));
        // Unchanged context is not a change.
        assert!(!t
            .cells
            .contains_key(&(0, (Pol::Forbid, phrase(&lex, "autumn")))));
    }

    #[test]
    fn list_style_and_length() {
        let long = "- one thing here\n- two things there\n".repeat(4);
        let (t, _, _) = mine(&long, "1. one thing\n2. two things");
        assert!(t
            .cells
            .contains_key(&(0, (Pol::Require, Item::Feature(Feature::Numbered)))));
        let c = &t.cells[&(0, (Pol::Require, Item::Feature(Feature::MaxWords)))];
        assert_eq!(c.max_words, 6);
        assert_eq!(nice_limit(58), 60);
        assert_eq!(nice_limit(60), 60);
    }
}
