//! What reviewers change between a draft and the text they used: words and short phrases
//! removed or added (with what replaced them), leading and trailing lines added or dropped
//! (sign-offs, headers), and structural features (see `text::Feature`). Each change is a
//! supporting observation in every scope of the session; contradictions are counted later
//! over every text people actually used (`count_contra`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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

/// Whether `g` occurs in `ids`. A scan, not a set of every gram: a pair of texts has few
/// changed grams to look up, and building the sets was most of the work of an edit.
fn has_gram(ids: &[u32], g: &Gram) -> bool {
    let n = g.iter().position(|&w| w == NONE).unwrap_or(g.len());
    n > 0 && ids.windows(n).any(|w| w == &g[..n])
}

/// The first and last lines of a text (of two or more), normalised, when short enough to be a
/// greeting, a header or a sign-off, and a sign-off that sits above the sender's name.
/// `lines` is the text's lines as [`text::Read`] has them.
fn edge_lines(t: &str, lines: &[String]) -> Vec<String> {
    let kept: Vec<(&str, &String)> = t
        .lines()
        .zip(lines)
        .map(|(raw, l)| (raw.trim(), l))
        .filter(|(raw, _)| !raw.is_empty())
        .collect();
    let mut out = Vec::new();
    if kept.len() > 1 {
        out.push(kept[0].1.clone());
        out.push(kept[kept.len() - 1].1.clone());
    }
    let raw: Vec<&str> = kept.iter().map(|(r, _)| *r).collect();
    if let Some(i) = sign_off_above_name(&raw) {
        out.push(kept[i].1.clone());
    }
    out.retain(|l| {
        let n = l.split(' ').count();
        !l.is_empty() && n <= 20
    });
    out
}

/// Of a text's non-blank lines, the one that signs off above the sender's name ("Kind
/// regards," then "Mei"): a few words ending with a comma, then one to three words that end
/// no sentence. Letters end that way, so the sign-off is as much the text's end as the name.
pub(crate) fn sign_off_above_name(lines: &[&str]) -> Option<usize> {
    let n = lines.len();
    if n < 3 {
        return None;
    }
    let (sign, name) = (lines[n - 2], lines[n - 1]);
    let words = |l: &str| l.split_whitespace().count();
    let named = words(name) <= 3 && !name.ends_with(['.', '!', '?', ':', ',', '。', '！', '？']);
    (named && words(sign) <= 4 && sign.ends_with([',', '，'])).then_some(n - 2)
}

/// Records what changed between one draft and the text the reviewer used.
#[cfg(test)]
pub(crate) fn mine_pair(
    draft: &str,
    fin: &str,
    scopes: &[u32],
    session: u32,
    lex: &mut Lexicon,
    lines: &mut Lexicon,
    table: &mut Table,
) {
    let texts = (draft, &text::read(draft), fin, &text::read(fin));
    mine_read(texts, scopes, session, lex, lines, table);
}

/// [`mine_pair`] of texts already read: `(draft, its reading, final, its reading)`.
pub(crate) fn mine_read(
    (draft, dr, fin, fr): (&str, &text::Read, &str, &text::Read),
    scopes: &[u32],
    session: u32,
    lex: &mut Lexicon,
    lines: &mut Lexicon,
    table: &mut Table,
) {
    let d = lex.ids_of(&dr.words);
    let f = lex.ids_of(&fr.words);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut alts: Vec<(Gram, String)> = Vec::new();
    let ops = capture_diff_slices(Algorithm::Myers, &d, &f);
    // Sentences rewritten as a whole (passive into active, one long sentence into two): the
    // words that left or came with the rewrite are side effects, not choices of words.
    let (mut d_changed, mut f_changed) = (vec![false; d.len()], vec![false; f.len()]);
    for op in &ops {
        let (o, ol, n, nl) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index, old_len, 0, 0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        d_changed[o..o + ol].iter_mut().for_each(|c| *c = true);
        f_changed[n..n + nl].iter_mut().for_each(|c| *c = true);
    }
    let brk = lex.get(text::BREAK);
    let (d_segs, f_segs) = (segments(&d, brk), segments(&f, brk));
    let (sd, sf) = (dr.shape, fr.shape);
    // A passive sentence turned active changes more of the sentence than a word choice does.
    let share = if sd.passive > sf.passive { 3 } else { 2 };
    let (mut d_heavy, mut f_heavy) = (
        rewritten(d.len(), &d_segs, &d_changed, share),
        rewritten(f.len(), &f_segs, &f_changed, share),
    );
    // A closing line counts as replaced when both texts end with a short one and the draft's
    // is gone from the final ("Yours faithfully," -> "Thanks,"), above the same name or not.
    let same_name = match (d_segs.last(), f_segs.last()) {
        (Some(&(a, b)), Some(&(x, y))) => b - a <= 3 && d[a..b] == f[x..y],
        _ => false,
    };
    let close = |segs: &[(usize, usize)]| -> Option<(usize, usize)> {
        let back = if same_name && segs.len() > 1 { 2 } else { 1 };
        let &(start, end) = segs.get(segs.len().checked_sub(back)?)?;
        (end - start <= 3).then_some((start, end))
    };
    let replaced_close = match (close(&d_segs), close(&f_segs)) {
        (Some((a, b)), Some(_)) => d_changed[a..b].iter().all(|c| *c),
        _ => false,
    };
    side_effects(
        &dr.words,
        &d_segs,
        &mut d_heavy,
        &sd,
        &sf,
        true,
        replaced_close,
    );
    side_effects(
        &fr.words,
        &f_segs,
        &mut f_heavy,
        &sd,
        &sf,
        false,
        replaced_close,
    );
    let light =
        |heavy: &[bool], from: usize, len: usize| !heavy[from..from + len].iter().any(|h| *h);
    for op in ops {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } if light(&d_heavy, old_index, old_len) => {
                grams_in(&d, old_index, old_index + old_len, lex, &mut removed)
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } if light(&f_heavy, new_index, new_len) => {
                grams_in(&f, new_index, new_index + new_len, lex, &mut added)
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                if !light(&d_heavy, old_index, old_len) || !light(&f_heavy, new_index, new_len) {
                    continue;
                }
                // "cannot" for "can't", "we're" for "we are": the contractions rule, either
                // way, not a word to ban.
                let (old_w, new_w) = (
                    &dr.words[old_index..old_index + old_len],
                    &fr.words[new_index..new_index + new_len],
                );
                if is_contracted(old_w, new_w) || is_contracted(new_w, old_w) {
                    continue;
                }
                grams_in(&d, old_index, old_index + old_len, lex, &mut removed);
                grams_in(&f, new_index, new_index + new_len, lex, &mut added);
                if old_len <= MAX_GRAM && new_len <= MAX_GRAM {
                    let mut g = [NONE; 4];
                    g[..old_len].copy_from_slice(&d[old_index..old_index + old_len]);
                    // As people wrote it, not the family's first form.
                    alts.push((g, fr.words[new_index..new_index + new_len].join(" ")));
                }
            }
        }
    }
    let mut seen: HashSet<Key> = HashSet::default();
    for g in removed {
        if !has_gram(&f, &g) {
            seen.insert((Pol::Forbid, Item::Phrase(g)));
        }
    }
    for g in added {
        if !has_gram(&d, &g) {
            seen.insert((Pol::Require, Item::Phrase(g)));
        }
    }
    // A line counts as added or dropped only when it is not a rewrite of a line on the other
    // side (a question turned into a statement, bullets turned into numbers).
    let (dl, fl) = (edge_lines(draft, &dr.lines), edge_lines(fin, &fr.lines));
    // Every line of both texts matters only when an edge line changed (most edits keep the
    // first and last lines as they were).
    let same_edges = dl == fl;
    let (dall, fall): (&[String], &[String]) = if same_edges {
        (&[], &[])
    } else {
        (&dr.lines, &fr.lines)
    };
    // Each line's words sorted once: every changed edge line meets every line of the other text.
    let (dall_w, fall_w) = (
        dall.iter().map(|l| line_words(l)).collect::<Vec<_>>(),
        fall.iter().map(|l| line_words(l)).collect::<Vec<_>>(),
    );
    let rewritten = |l: &str, other: &[Vec<&str>]| {
        let w = line_words(l);
        other.iter().any(|o| overlap(&w, o) >= 0.5)
    };
    for l in fl.iter().filter(|_| !same_edges) {
        if !rewritten(l, &dall_w) {
            seen.insert((Pol::Require, Item::Line(lines.id(l))));
        }
    }
    // A long first or last line whose place a new line took was rewritten, however little of
    // it stayed (a shouty headline turned calm): its removal is no rule. A short one swapped
    // ("Dear valued customer," for "Hi Ana,") is the formula people change on purpose.
    let (d_first, d_last) = (
        dall.iter().find(|l| !l.is_empty()),
        dall.iter().rfind(|l| !l.is_empty()),
    );
    let (f_first, f_last) = (
        fall.iter().find(|l| !l.is_empty()),
        fall.iter().rfind(|l| !l.is_empty()),
    );
    let is_new = |l: Option<&String>| l.is_some_and(|n| !dall.contains(n));
    let replaced = |l: &String| {
        l.split(' ').count() > 6
            && ((d_first == Some(l) && is_new(f_first)) || (d_last == Some(l) && is_new(f_last)))
    };
    for l in dl.iter().filter(|_| !same_edges) {
        if !rewritten(l, &fall_w) && !replaced(l) {
            seen.insert((Pol::Forbid, Item::Line(lines.id(l))));
        }
    }
    // Contractions: only those changed in a sentence that was edited, not rewritten (a new
    // headline loses its "won't" without anyone deciding against contractions).
    let is_contraction = |w: &str| {
        w.contains('\'')
            && (w.ends_with("n't")
                || ["'re", "'ll", "'ve", "'m", "'d", "'s"]
                    .iter()
                    .any(|e| w.ends_with(e)))
    };
    // The words as written: a family joins "we're" with "were".
    let local = |words: &[String], changed: &[bool], heavy: &[bool]| {
        (0..words.len())
            .filter(|&i| changed[i] && !heavy[i] && is_contraction(&words[i]))
            .count()
    };
    let (lost, gained) = (
        local(&dr.words, &d_changed, &d_heavy),
        local(&fr.words, &f_changed, &f_heavy),
    );
    let mut contraction = Vec::new();
    if gained > 0 && lost == 0 && sd.contractions == 0 {
        contraction.push((Pol::Require, Item::Feature(Feature::Contractions)));
    }
    if lost > 0 && gained == 0 && sf.contractions == 0 {
        contraction.push((Pol::Forbid, Item::Feature(Feature::Contractions)));
    }
    for key in feature_changes(&sd, &sf).into_iter().chain(contraction) {
        seen.insert(key);
    }
    for key in seen {
        table.support(scopes, key, session);
        // The longest text (or sentence) people used, for the limit the rule states.
        let longest = match key.1 {
            Item::Feature(Feature::MaxWords) => Some(sf.words),
            Item::Feature(Feature::LongSentences) => Some(sf.longest),
            _ => None,
        };
        if let Some(n) = longest {
            for &s in scopes {
                let c = table.cell(s, key);
                c.max_words = c.max_words.max(n);
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

/// Whether `short` is `long` contracted: "can't" for "cannot" or "can not", "we're" for "we
/// are", "don't" for "do not", "won't" for "will not".
fn is_contracted(long: &[String], short: &[String]) -> bool {
    let [c] = short else { return false };
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    match c.as_str() {
        "can't" => long == ["cannot"] || long == ["can", "not"],
        "won't" => long == ["will", "not"],
        "shan't" => long == ["shall", "not"],
        "let's" => long == ["let", "us"],
        _ => {
            let Some((head, tail)) = c.split_once('\'') else {
                return false;
            };
            let (stem, second) = match tail {
                "t" if head.ends_with('n') => (&head[..head.len() - 1], "not"),
                "re" => (head, "are"),
                "ll" => (head, "will"),
                "ve" => (head, "have"),
                "m" => (head, "am"),
                "d" => (head, "would"),
                "s" => (head, "is"),
                _ => return false,
            };
            long == [stem, second] || (tail == "d" && long == [stem, "had"])
        }
    }
}

/// For each token, whether its sentence was mostly rewritten: at least five words, more than
/// one in `share` of them changed.
fn rewritten(
    len: usize,
    sentences: &[(usize, usize)],
    changed: &[bool],
    share: usize,
) -> Vec<bool> {
    let mut out = vec![false; len];
    for &(a, b) in sentences {
        let n = b - a;
        let c = changed[a..b].iter().filter(|x| **x).count();
        if n >= 5 && c * share > n {
            out[a..b].iter_mut().for_each(|x| *x = true);
        }
    }
    out
}

/// The sentences (and lines) of a text's word ids: the spans between `BREAK`s, empty ones left
/// out. Every pass over an edit's sentences reads these.
fn segments(ids: &[u32], brk: Option<u32>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..=ids.len() {
        if i == ids.len() || Some(ids[i]) == brk {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    out
}

/// Marks words whose change is the side effect of a style rule, not a choice of words: the
/// sentences of a passive rewrite, hedging words that went, and a greeting or sign-off line
/// replaced by another (the line rule and the style features say those).
fn side_effects(
    words: &[String],
    sentences: &[(usize, usize)],
    mask: &mut [bool],
    d: &Shape,
    f: &Shape,
    draft: bool,
    replaced_close: bool,
) {
    // The words as written, not their family's first form ("possibly" is a hedge, "possible"
    // is not).
    let word = |i: usize| words[i].as_str();
    if draft && d.passive > f.passive {
        for &(a, b) in sentences {
            let w: Vec<&str> = (a..b).map(word).collect();
            if text::is_passive(&w) {
                mask[a..b].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    if draft && d.hedges > f.hedges {
        for i in 0..words.len() {
            let prev = (i > 0).then(|| word(i - 1));
            if text::is_hedge(prev, word(i)) {
                mask[i] = true;
                if prev.is_some() && !text::is_hedge(None, word(i)) {
                    mask[i - 1] = true;
                }
            }
        }
    }
    // A short opening or closing sentence replaced by another: "Dear valued customer," ->
    // "Hi Piet,"; "Sincerely," -> "Thanks,".
    let short = |&(a, b): &(usize, usize)| b - a <= 5;
    if d.greeting || f.greeting {
        if let Some(first) = sentences.first().filter(|s| short(s)) {
            mask[first.0..first.1].iter_mut().for_each(|m| *m = true);
        }
    }
    // The closing lines: "Yours faithfully," and the name under it, replaced by others.
    for s in sentences
        .iter()
        .skip(1)
        .rev()
        .take(if replaced_close { 2 } else { 0 })
    {
        if s.1 - s.0 <= 3 {
            mask[s.0..s.1].iter_mut().for_each(|m| *m = true);
        } else {
            break;
        }
    }
}

/// A line's distinct words, sorted (blank lines have none).
fn line_words(l: &str) -> Vec<&str> {
    let mut w: Vec<&str> = l.split(' ').filter(|w| !w.is_empty()).collect();
    w.sort_unstable();
    w.dedup();
    w
}

/// How much two lines' words ([`line_words`]) overlap: shared over all.
fn overlap(a: &[&str], b: &[&str]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
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
    // Style: the passive rewritten into the active, long sentences split, contractions and
    // greetings added or removed, hedging cut.
    if d.passive > 0 && f.passive == 0 {
        out.push((Pol::Forbid, Item::Feature(Feature::Passive)));
    }
    if d.sentences > 0
        && f.sentences > d.sentences
        && d.longest >= 15
        && f.longest * 10 <= d.longest * 7
    {
        out.push((Pol::Require, Item::Feature(Feature::LongSentences)));
    }

    match (d.greeting, f.greeting) {
        (true, false) => out.push((Pol::Forbid, Item::Feature(Feature::Greeting))),
        (false, true) => out.push((Pol::Require, Item::Feature(Feature::Greeting))),
        _ => {}
    }
    if d.hedges > 0 && f.hedges == 0 {
        out.push((Pol::Forbid, Item::Feature(Feature::Hedging)));
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
        (_, Feature::LongSentences) => s.longest > limit,
        (Pol::Forbid, Feature::Passive) => s.passive > 0,
        (Pol::Require, Feature::Passive) => s.passive == 0,
        // A short text need not contain a contraction to be conversational.
        // Against contractions only when it kept a long form it could have contracted: a text
        // with no "we are" or "do not" in it says nothing either way.
        (Pol::Require, Feature::Contractions) => s.contractions == 0 && s.long_forms > 0,
        (Pol::Forbid, Feature::Contractions) => s.contractions > 0,
        (Pol::Forbid, Feature::Greeting) => s.greeting,
        (Pol::Require, Feature::Greeting) => !s.greeting,
        (Pol::Forbid, Feature::Hedging) => s.hedges > 0,
        (Pol::Require, Feature::Hedging) => s.hedges == 0,
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
    /// Sentence length limit per scope, likewise.
    pub sentence_limits: HashMap<u32, u32>,
    pub widest_sentence: u32,
    pub lex: &'a Lexicon,
    pub line_lex: &'a Lexicon,
    present: HashMap<(u32, Item), u32>,
    totals: HashMap<u32, u32>,
    /// By word id: whether a gram in play starts with it. Most words start none, and looking
    /// up every gram at every word was most of counting.
    starts: Vec<bool>,
}

impl<'a> Contra<'a> {
    pub(crate) fn new(lex: &'a Lexicon, line_lex: &'a Lexicon) -> Self {
        Contra {
            grams: HashMap::default(),
            lines: HashMap::default(),
            features: Vec::new(),
            limits: HashMap::default(),
            widest: 0,
            sentence_limits: HashMap::default(),
            widest_sentence: 0,
            lex,
            line_lex,
            present: HashMap::default(),
            totals: HashMap::default(),
            starts: Vec::new(),
        }
    }

    /// Counts one text people used (`read` is its [`text::read`]).
    pub(crate) fn count(&mut self, read: &text::Read, scopes: &[u32], table: &mut Table) {
        let mut ids = Vec::new();
        for w in &read.words {
            ids.push(self.lex.word(w).unwrap_or(NONE));
        }
        if self.starts.is_empty() {
            self.starts = vec![false; self.lex.words.len() + 1];
            for g in self.grams.keys() {
                if let Some(s) = self.starts.get_mut(g[0] as usize) {
                    *s = true;
                }
            }
        }
        let mut hits: HashSet<Item> = HashSet::default();
        for i in 0..ids.len() {
            if !self.starts.get(ids[i] as usize).copied().unwrap_or(false) {
                continue;
            }
            for n in 1..=MAX_GRAM.min(ids.len() - i) {
                let mut g = [NONE; 4];
                g[..n].copy_from_slice(&ids[i..i + n]);
                if self.grams.contains_key(&g) {
                    hits.insert(Item::Phrase(g));
                }
            }
        }
        if !self.lines.is_empty() {
            for l in &read.lines {
                if let Some(id) = self.line_lex.get(l) {
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
        let shape = &read.shape;
        for &(pol, item) in &self.features {
            let Item::Feature(f) = item else { continue };
            for &s in scopes {
                let limit = if f == Feature::LongSentences {
                    nice_limit(
                        *self
                            .sentence_limits
                            .get(&s)
                            .unwrap_or(&self.widest_sentence),
                    )
                } else {
                    nice_limit(*self.limits.get(&s).unwrap_or(&self.widest))
                };
                if contradicts_feature(pol, f, shape, limit) {
                    table.cell(s, (pol, item)).contra += 1;
                }
            }
        }
    }

    /// Turns presence counts into contradictions for phrase and line rules: writes what the
    /// used texts said against each change into the table. A change
    /// supported in two tagged scopes or more may become team-wide, and that is decided on every
    /// scope that speaks against it, so it is counted everywhere; any other change only where
    /// it has a cell. (Counting every change in every scope grew with clients times changes:
    /// thousands of clients, each with its own hashtag, made that quadratic.)
    pub(crate) fn finish(self, table: &mut Table) {
        let mut scopes: Vec<u32> = self.totals.keys().copied().collect();
        scopes.sort_unstable();
        let mut where_held: HashMap<Key, Vec<u32>> = HashMap::default();
        for (s, key) in table.cells.keys() {
            where_held.entry(*key).or_default().push(*s);
        }
        for v in where_held.values_mut() {
            v.sort_unstable();
        }
        let supported_in = |key: &Key| {
            where_held.get(key).map_or(0, |v| {
                v.iter()
                    .filter(|&&s| {
                        table.scopes[s as usize].0.is_some()
                            && !table.cells[&(s, *key)].support.is_empty()
                    })
                    .count()
            })
        };
        let items = self
            .grams
            .iter()
            .flat_map(|(g, pols)| pols.iter().map(move |&p| (p, Item::Phrase(*g))))
            .chain(
                self.lines
                    .iter()
                    .flat_map(|(l, pols)| pols.iter().map(move |&p| (p, Item::Line(*l)))),
            );
        let mut updates: Vec<(u32, Key, u32)> = Vec::new();
        for (pol, item) in items {
            let key = (pol, item);
            let everywhere = supported_in(&key) >= 2;
            let own: &[u32] = where_held.get(&key).map_or(&[], Vec::as_slice);
            let targets: &[u32] = if everywhere { &scopes } else { own };
            for &s in targets {
                let Some(&total) = self.totals.get(&s) else {
                    continue;
                };
                let has = self.present.get(&(s, item)).copied().unwrap_or(0);
                let contra = match pol {
                    Pol::Forbid => has,
                    Pol::Require => total - has,
                };
                if contra > 0 || own.binary_search(&s).is_ok() {
                    updates.push((s, key, contra));
                }
            }
        }
        for (s, key, contra) in updates {
            table.cell(s, key).contra += contra;
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
            g[i] = lex.word(w).unwrap();
        }
        Item::Phrase(g)
    }

    #[test]
    fn a_sign_off_above_the_name_is_a_line_and_its_words_no_ban() {
        let body = "Hi Ana,\n\nWe moved the launch to May and the team is ready.\n\n";
        let (t, lex, lines) = mine(
            &format!("{body}Kind regards,\nMei"),
            &format!("{body}Thanks,\nMei"),
        );
        let thanks = lines.get("thanks").expect("the sign-off is a line");
        assert!(t
            .cells
            .contains_key(&(0, (Pol::Require, Item::Line(thanks)))));
        assert!(lex
            .word("regards")
            .is_none_or(|id| !t
                .cells
                .keys()
                .any(|(_, (p, i))| *p == Pol::Forbid
                    && matches!(i, Item::Phrase(g) if g.contains(&id)))));
        assert_eq!(
            sign_off_above_name(&["Hi Ana,", "Body.", "Kind regards,", "Mei"]),
            Some(2)
        );
        assert_eq!(
            sign_off_above_name(&["Hi Ana,", "Body.", "See you soon."]),
            None
        );
    }

    #[test]
    fn a_contraction_swapped_in_is_the_contractions_rule_not_a_word_ban() {
        let w = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
        for (long, short) in [
            ("cannot", "can't"),
            ("can not", "can't"),
            ("we are", "we're"),
            ("do not", "don't"),
            ("will not", "won't"),
            ("it is", "it's"),
        ] {
            assert!(is_contracted(&w(long), &w(short)), "{long} / {short}");
        }
        assert!(!is_contracted(&w("we were"), &w("we're")));
        let (t, _, _) = mine(
            "We are planning a spring campaign. We cannot wait.",
            "We're planning a spring campaign. We can't wait.",
        );
        let keys: Vec<_> = t.cells.keys().map(|(_, k)| *k).collect();
        assert!(keys.contains(&(Pol::Require, Item::Feature(Feature::Contractions))));
        assert!(
            !keys.iter().any(|(_, i)| matches!(i, Item::Phrase(_))),
            "{keys:?}"
        );
        // A text with no long form says nothing against contractions; one that kept "we are"
        // does.
        let no_chance = text::shape("Hi Ana, the launch moved to May. Thanks.");
        let kept = text::shape("Hi Ana, we are moving the launch to May. Thanks.");
        let req = (Pol::Require, Feature::Contractions);
        assert!(!contradicts_feature(req.0, req.1, &no_chance, 0));
        assert!(contradicts_feature(req.0, req.1, &kept, 0));
    }

    #[test]
    fn a_hedge_in_a_family_with_a_plain_word_is_still_a_hedge() {
        let mut t = Table::default();
        let s = t.scope(super::super::support::ScopeTag(None));
        let (mut lex, mut lines) = (Lexicon::default(), Lexicon::default());
        // "possible" is met first, so "possibly" joins its family under that form.
        lex.ids("a possible date");
        mine_pair(
            "The new subject lines may possibly lift the open rate.",
            "The new subject lines lift the open rate.",
            &[s],
            0,
            &mut lex,
            &mut lines,
            &mut t,
        );
        // The hedging rule, and no ban on "may possible" (a phrase nobody wrote).
        let keys: Vec<_> = t.cells.keys().map(|(_, k)| *k).collect();
        assert!(keys.contains(&(Pol::Forbid, Item::Feature(Feature::Hedging))));
        assert!(
            !keys
                .iter()
                .any(|(p, i)| *p == Pol::Forbid && matches!(i, Item::Phrase(_))),
            "{keys:?}"
        );
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
    fn a_headline_rewritten_in_place_is_not_a_line_to_ban() {
        let banned = |t: &Table, lines: &Lexicon, l: &str| {
            lines
                .get(&text::norm_line(l))
                .is_some_and(|id| t.cells.contains_key(&(0, (Pol::Forbid, Item::Line(id)))))
        };
        let shouty = "HUGE NEWS: Our Open Studio Is Finally Here And You Won't Want To Miss It!!!";
        let (t, _, lines) = mine(
            &format!(
                "{shouty}
Doors open at 10 on Saturday.
See you there."
            ),
            "Open studio this Saturday
Doors open at 10 on Saturday.
See you there.",
        );
        assert!(!banned(&t, &lines, shouty));
        // Removed with nothing in its place, a long line is one to leave out.
        let filler = "I hope this email finds you well and that your week is going great";
        let (t, _, lines) = mine(
            &format!(
                "{filler}
Your order shipped today.
Thanks"
            ),
            "Your order shipped today.
Thanks",
        );
        assert!(banned(&t, &lines, filler));
        // A short opening swapped for another is still the old one left out.
        let (t, _, lines) = mine(
            "Dear valued customer,
Your order shipped.",
            "Hi Ana,
Your order shipped.",
        );
        assert!(banned(&t, &lines, "Dear valued customer,"));
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
