//! Memory hygiene: reading existing entries well enough to tell whether a finding is already
//! in memory, whether recent sessions contradict an entry (stale), and which entries say the
//! same thing twice (merge).

use crate::model::{MemoryEntry, Scope};

use super::corrections;
use super::support::Pol;
use super::text::{self, Feature};

/// A memory entry, read for comparison.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub entry: &'a MemoryEntry,
    pub pol: Pol,
    /// Whether the polarity was said outright ("never", "always", "no"), not assumed.
    pub sure: bool,
    /// The entry's clauses ("keep it short; no emoji"), each read for what it asks.
    pub clauses: Vec<Clause>,
    pub words: Vec<String>,
    /// The canonical stems of its clauses: what it means, for comparing entries.
    pub meaning: Vec<String>,
    pub topic: Option<(Pol, Feature)>,
    /// A quoted phrase ("never say 'seamless'"), lowercased.
    pub phrase: Option<String>,
    pub number: Option<u32>,
    /// Whether a clause asks for a quiet tone ([`says_calm`]).
    pub calm: bool,
}

/// Drops a leading "Harbour Tea:" style label so it does not count as content.
fn body(content: &str) -> &str {
    match content.split_once(": ") {
        Some((label, rest)) if label.split_whitespace().count() <= 4 && !rest.is_empty() => rest,
        _ => content,
    }
}

fn quoted(s: &str) -> Option<String> {
    for (open, close) in [('\'', '\''), ('"', '"'), ('‘', '’'), ('“', '”')] {
        let mut from = 0;
        while let Some(i) = s[from..].find(open).map(|i| i + from) {
            let start = i + open.len_utf8();
            // An apostrophe inside a word ("don't") does not open a quote.
            let inside_word = open == '\''
                && s[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            let Some(j) = s[start..].find(close).map(|j| j + start) else {
                break;
            };
            let inner = &s[start..j];
            if !inside_word && !inner.trim().is_empty() && inner.split_whitespace().count() <= 6 {
                return Some(text::norm_line(inner));
            }
            from = if inside_word {
                start
            } else {
                j + close.len_utf8()
            };
        }
    }
    None
}

/// One clause of an entry and what it asks for.
#[derive(Debug, Clone)]
pub(crate) struct Clause {
    pub pol: Pol,
    /// Said outright ("never", "don't", "always"), rather than assumed.
    pub marked: bool,
    pub stems: Vec<String>,
}

/// The clauses of an entry: its sentences, split again at ";", ":", "but" and commas that
/// start a new instruction, each read like something a person said.
fn clauses(b: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    for sentence in text::sentences(b) {
        let low = sentence.to_lowercase();
        let mut parts = vec![sentence];
        for sep in [
            ";", " but ", " - ", " — ", ": ", ", and ", ", no ", ", never ", ", don't ",
        ] {
            if low.contains(sep) {
                parts = parts
                    .into_iter()
                    .flat_map(|p| {
                        let mut v = Vec::new();
                        let mut rest = p;
                        // Keep the separator's polarity word with the clause it opens.
                        let keep = sep.trim_start_matches([',', ' ']).trim_end();
                        while let Some(i) = rest.to_lowercase().find(sep) {
                            if !rest.is_char_boundary(i) || !rest.is_char_boundary(i + sep.len()) {
                                break;
                            }
                            v.push(&rest[..i]);
                            let next = &rest[i + sep.len()..];
                            rest = if ["no", "never", "don't"].contains(&keep) {
                                &rest[i + sep.len() - keep.len() - 1..]
                            } else {
                                next
                            };
                        }
                        v.push(rest);
                        v
                    })
                    .collect();
            }
        }
        for p in parts {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            match super::statements::read(p, super::statements::Source::Comment) {
                // An entry is an instruction: "use them" is as clear as "always use them".
                Some(r) => out.push(Clause {
                    pol: r.pol,
                    marked: r.directive,
                    stems: r.stems,
                }),
                None => {
                    let stems = super::statements::content_stems(p);
                    // "— use them.", "avoid it": no topic of its own, but it says what the
                    // entry wants of the topic before it.
                    let said = super::statements::polarity_word(p);
                    if !stems.is_empty() || said.is_some() {
                        out.push(Clause {
                            pol: said.unwrap_or(Pol::Require),
                            marked: said.is_some(),
                            stems,
                        });
                    }
                }
            }
        }
    }
    out
}

pub(crate) fn read(entry: &MemoryEntry) -> Entry<'_> {
    let b = body(&entry.content);
    let first = text::sentences(b).into_iter().next().unwrap_or(b);
    let low = format!(" {} ", b.to_lowercase());
    let clauses = clauses(b);
    let said = corrections::corrective(first).or_else(|| {
        [
            " never ",
            " don't ",
            " do not ",
            " avoid ",
            " no ",
            " without ",
        ]
        .iter()
        .any(|w| low.contains(w))
        .then_some(Pol::Forbid)
    });
    let (pol, sure) = match (said, clauses.iter().find(|c| c.marked)) {
        // "A few emoji make posts feel friendly — use them": the instruction decides.
        (None, Some(c)) if c.stems.is_empty() => (c.pol, true),
        (Some(p), _) => (p, true),
        (None, Some(c)) => (c.pol, true),
        (None, None) => (Pol::Require, false),
    };
    // What the entry is about, in the canonical stems statements use ("rival" and
    // "competitor" alike); the plain content words only when no clause could be read.
    let mut meaning: Vec<String> = clauses
        .iter()
        .flat_map(|c| c.stems.iter().cloned())
        .collect();
    let mut words = corrections::content_words(b);
    if meaning.is_empty() {
        meaning = words.clone();
    }
    meaning.sort();
    meaning.dedup();
    // Every word, for topics ("open with a question") and phrases.
    words.extend(meaning.iter().cloned());
    words.sort();
    words.dedup();
    // "Passive, not active": the active voice is what it rules out, not its topic. Only the
    // sentence that names both voices says so, and only when the voice is what it is about.
    let mut pol = pol;
    let names_both =
        |w: &[String]| w.contains(&text::stem("active")) && w.contains(&text::stem("passive"));
    let about_voice = names_both(&words)
        && matches!(corrections::topic(pol, &words), Some((_, Feature::Passive)));
    // Looked for only in an entry about the voice: most entries are not.
    let voice_sentence = || {
        text::sentences(b).into_iter().find(|x| {
            let w = text::words(x);
            w.iter().any(|t| t == "active") && w.iter().any(|t| t == "passive")
        })
    };
    if about_voice && voice_sentence().and_then(corrections::wants_passive) == Some(true) {
        let active = text::stem("active");
        words.retain(|x| *x != active && x != "active");
        meaning.retain(|x| *x != active);
        pol = Pol::Require;
    }
    let phrase = quoted(b);
    // "Never use the word 'curated'" is about that word, not about length or style.
    let topic = match &phrase {
        Some(_) => None,
        None => corrections::topic(pol, &words),
    };
    // Full-width digits ("３００") are read as digits too.
    let number = if !b.is_ascii() || b.bytes().any(|c| c.is_ascii_digit()) {
        text::words(b).iter().find_map(|w| w.parse::<u32>().ok())
    } else {
        None
    };
    let calm = clauses.iter().any(|c| asks_calm(c.pol, &c.stems));
    Entry {
        entry,
        pol,
        sure,
        calm,
        clauses,
        words,
        meaning,
        topic,
        phrase,
        number,
    }
}

/// What a finding is about, in the same terms as an `Entry`.
#[derive(Debug, Clone)]
pub(crate) struct Terms {
    pub pol: Pol,
    pub topic: Option<(Pol, Feature)>,
    /// Content words (stemmed) the finding must be found in.
    pub words: Vec<String>,
    /// Words the entry must contain all of (a phrase, an answer, tool names).
    pub phrase: Option<String>,
    pub number: Option<u32>,
}

impl Terms {
    /// The phrase's words, stemmed, as entries are compared with them.
    pub(crate) fn phrase_words(&self) -> Vec<String> {
        self.phrase
            .as_deref()
            .map(|p| text::words(p).iter().map(|w| text::stem(w)).collect())
            .unwrap_or_default()
    }
}

/// How an entry stands to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stance {
    /// It says the same, in whatever words.
    Same,
    /// It says the opposite, outright.
    Opposite,
    /// It is about the same thing, but whether it agrees cannot be told: not proposed again,
    /// and not called a contradiction either.
    Related,
}

/// Whether two stems name one thing: equal, one a form of the other, or one inside the other.
fn alike(a: &str, b: &str) -> bool {
    text::same_word(a, b)
        || (a.chars().count() >= 3 && b.chars().count() > a.chars().count() && b.ends_with(a))
        || (b.chars().count() >= 3 && a.chars().count() > b.chars().count() && a.ends_with(b))
}

/// How `e` stands to the finding `t`, or `None` when it is about something else.
/// `phrase_words` is [`Terms::phrase_words`], worked out once when one finding is compared
/// with a whole memory. A contradiction is claimed only against what the entry says
/// outright: an entry whose polarity had to be assumed is at most `Related`.
pub(crate) fn compare_with(e: &Entry, t: &Terms, phrase_words: &[String]) -> Option<Stance> {
    let stance = |agree: bool, sure: bool| match (agree, sure) {
        (true, _) => Stance::Same,
        (false, true) => Stance::Opposite,
        (false, false) => Stance::Related,
    };
    if calm_either_way(e, t) {
        return Some(Stance::Same);
    }
    if let (Some((tp, tf)), Some((ep, ef))) = (t.topic, e.topic) {
        let lists = [Feature::Bullets, Feature::Numbered];
        if tf == ef {
            if tf == Feature::MaxWords || tf == Feature::LongSentences {
                if let (Some(a), Some(b)) = (t.number, e.number) {
                    let (a, b) = (a as f64, b as f64);
                    return Some(stance((a - b).abs() <= 0.15 * a.max(b), true));
                }
            }
            return Some(stance(tp == ep, e.sure));
        }
        if lists.contains(&tf) && lists.contains(&ef) {
            return Some(stance(false, e.sure));
        }
        return None;
    }
    if t.topic.is_some() {
        return None;
    }
    if let Some(p) = &t.phrase {
        let pw = phrase_words;
        let hit = e.phrase.as_deref() == Some(p.as_str())
            || (!pw.is_empty() && pw.iter().all(|w| e.words.contains(w) || text::is_stop(w)));
        if !hit {
            return None;
        }
        // The clause that names the phrase says whether it is wanted.
        let clause = e
            .clauses
            .iter()
            .find(|c| pw.iter().any(|w| c.stems.contains(w)));
        return Some(match clause {
            Some(c) => stance(c.pol == t.pol, c.marked),
            None => stance(t.pol == e.pol, e.sure),
        });
    }
    if t.words.is_empty() {
        return None;
    }
    // A finding in people's words: the clause that covers most of its topic, or whose own
    // topic it covers.
    // Substantially about the same: most of the finding's topic, and a fair part of the
    // clause ("no other customers" is not "don't share notes with customers").
    let shared = |c: &Clause| {
        t.words
            .iter()
            .filter(|w| c.stems.iter().any(|x| alike(w, x)))
            .count()
    };
    let best = e
        .clauses
        .iter()
        .map(|c| (shared(c), c))
        .filter(|&(k, c)| k > 0 && k * 2 >= t.words.len() && k * 3 >= c.stems.len())
        .map(|(k, c)| (k as f64 / (t.words.len() + c.stems.len()) as f64, c))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => Some(stance(c.pol == t.pol, c.marked)),
        _ => {
            let inter = t.words.iter().filter(|w| e.meaning.contains(w)).count();
            let union = t.words.len() + e.meaning.len() - inter;
            (union > 0 && inter * 2 >= union).then_some(stance(t.pol == e.pol, e.sure))
        }
    }
}

/// Words for a quiet tone, and for its opposite: asking for one is forbidding the other.
const CALM: &[&str] = &[
    "calm",
    "calmer",
    "quiet",
    "quieter",
    "understated",
    "restrained",
    "subdued",
    "low-key",
    "measured",
    "sober",
    "toned-down",
];
const LOUD: &[&str] = &[
    "shout",
    "shouting",
    "shouty",
    "loud",
    "louder",
    "caps",
    "capitals",
    "all-caps",
    "uppercase",
    "exclamation",
    "exclamations",
    "hype",
    "hyped",
    "hypey",
    "scream",
    "screaming",
    "yell",
    "yelling",
];

/// Whether `e` and `t` both ask for a quiet tone, however each puts it: "headlines short and
/// calm" already says "no shouting in headlines" and "no exclamation marks", so a dream must
/// not propose those again (nor call the entry contradicted by them).
fn calm_either_way(e: &Entry, t: &Terms) -> bool {
    // The entry's side first: read once, and most entries ask for no calm at all.
    e.calm && (t.topic == Some((Pol::Forbid, Feature::Exclaim)) || asks_calm(t.pol, &t.words))
}

fn asks_calm(pol: Pol, stems: &[String]) -> bool {
    let set = match pol {
        Pol::Require => text::stem_set(CALM),
        Pol::Forbid => text::stem_set(LOUD),
    };
    stems.iter().any(|w| set.contains(w))
}

/// Whether one clause of `e` asks for a quiet tone ("keep it calm", "no shouting").
pub(crate) fn says_calm(e: &Entry) -> bool {
    e.calm
}

/// Memory's banned phrases ("never say 'seamless'") by the scope they hold in, with the entry
/// that bans each: a session is checked against its own scope's and the team-wide ones only,
/// so thousands of entries cost a lookup per session, not a pass over all of them.
#[derive(Default)]
pub(crate) struct Banned(std::collections::HashMap<Scope, Vec<(String, String)>>);

impl Banned {
    pub(crate) fn of(entries: &[Entry]) -> Self {
        let mut by_scope: std::collections::HashMap<Scope, Vec<(String, String)>> =
            std::collections::HashMap::new();
        for e in entries.iter().filter(|e| e.pol == Pol::Forbid) {
            if let Some(p) = &e.phrase {
                by_scope
                    .entry(e.entry.scope.clone())
                    .or_default()
                    .push((p.clone(), e.entry.content.clone()));
            }
        }
        Banned(by_scope)
    }

    /// The phrases banned for a session with these tags: team-wide ones, then its scope's.
    pub(crate) fn for_tags(&self, tags: &Scope) -> Vec<(String, String)> {
        let team = self.0.get(&Scope::new()).into_iter().flatten();
        let own = (!tags.is_empty())
            .then(|| self.0.get(tags))
            .flatten()
            .into_iter()
            .flatten();
        team.chain(own).cloned().collect()
    }
}

/// Memory entries whose scope covers a finding in `scope` (a team-wide entry covers all).
pub(crate) fn covers(entry: &Scope, scope: &Scope) -> bool {
    entry.is_empty() || entry == scope
}

/// The start of `w` up to the first character boundary at or after `bytes`, if it is that long.
fn head(w: &str, bytes: usize) -> Option<&str> {
    (w.len() >= bytes).then(|| {
        let end = (bytes..=w.len())
            .find(|&i| w.is_char_boundary(i))
            .unwrap_or(w.len());
        &w[..end]
    })
}

/// Keys under which two forms of one word meet (see [`text::same_word`], which measures in
/// bytes). A word is filed under its start (at least 4 bytes, or the whole shorter word) for the
/// "same start" rule, and under its first 6 bytes and every 6-byte piece of it for the "one
/// contains the other" rule; it is looked up by the other side of each: its start, its pieces
/// among others' first 6 bytes, its first 6 bytes among others' pieces. Two words that
/// `same_word` joins always meet; pairs that meet are then checked with `same_word` itself.
/// Looking pieces up only among starts keeps lists short: a common ending ("-ation") is a
/// piece of many words but the start of few.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Start,
    First6,
    Piece,
}

fn word_keys(w: &str, filed: bool) -> Vec<(Key, &str)> {
    let (own, theirs) = if filed {
        (Key::First6, Key::Piece)
    } else {
        (Key::Piece, Key::First6)
    };
    let mut keys = vec![(Key::Start, head(w, 4).unwrap_or(w))];
    keys.extend(head(w, 6).map(|h| (own, h)));
    for (i, _) in w.char_indices() {
        match head(&w[i..], 6) {
            Some(piece) => keys.push((theirs, piece)),
            None => break,
        }
    }
    keys
}

/// How much two entries mean the same: the Jaccard overlap of their meaning words (0 to 1).
pub(crate) fn overlap(a: &Entry, b: &Entry) -> f64 {
    let inter = a
        .meaning
        .iter()
        .filter(|w| b.meaning.iter().any(|x| text::same_word(w, x)))
        .count();
    let union = (a.meaning.len() + b.meaning.len())
        .saturating_sub(inter)
        .max(inter);
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Pairs of entries in the same scope that say the same thing; each entry in one pair at most.
/// Candidates come from an index of word forms, topics and phrases, and only those that share
/// enough words to possibly count as the same are compared, so a memory of thousands of
/// entries costs about as much as the pairs that really overlap.
pub(crate) fn duplicates<'a>(
    entries: &[Entry<'a>],
    skip: &[i64],
) -> Vec<(Entry<'a>, Entry<'a>, f64)> {
    use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

    let skip: HashSet<i64> = skip.iter().copied().collect();
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.entry.id);
    // Only entries of the same scope and polarity can pair: each such group is searched on
    // its own, the groups shared between two threads.
    let mut group_of: HashMap<(&Scope, bool), usize> = HashMap::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, e) in sorted.iter().enumerate() {
        let next = groups.len();
        let g = *group_of
            .entry((&e.entry.scope, e.pol == Pol::Forbid))
            .or_insert(next);
        if g == next {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    // Largest first, dealt alternately to the two halves `par_map` gives its threads, so one
    // big team-wide group and another do not land on the same thread.
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    let (even, odd): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    let groups: Vec<Vec<usize>> = even.into_iter().chain(odd).map(|(_, g)| g).collect();
    let found = text::par_map(&groups, |members| {
        let group: Vec<&Entry> = members.iter().map(|&i| sorted[i]).collect();
        pairs_in(&group, &skip)
            .into_iter()
            .map(|(a, b, sim)| (members[a], members[b], sim))
            .collect::<Vec<_>>()
    });
    // In entry order, as one pass over all entries would find them.
    let mut found: Vec<(usize, usize, f64)> = found.into_iter().flatten().collect();
    found.sort_by_key(|&(a, _, _)| a);
    found
        .into_iter()
        .map(|(a, b, sim)| ((*sorted[a]).clone(), (*sorted[b]).clone(), sim))
        .collect()
}

/// Pairs among entries of one scope and polarity (in id order), by their positions there:
/// each entry in one pair at most, its earliest partner.
fn pairs_in(sorted: &[&Entry], skip: &rustc_hash::FxHashSet<i64>) -> Vec<(usize, usize, f64)> {
    use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

    let mut used: HashSet<i64> = HashSet::default();
    let taken = |used: &HashSet<i64>, id: i64| used.contains(&id) || skip.contains(&id);
    let mut out = Vec::new();
    // word key -> entries, in order.
    let mut words: HashMap<(Key, &str), Vec<usize>> = HashMap::default();
    let mut alike: HashMap<String, Vec<usize>> = HashMap::default();
    let same_key = |e: &Entry| -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(t) = e.topic {
            keys.push(format!("{t:?}|{:?}", e.number));
        }
        keys.extend(e.phrase.iter().map(|p| format!("'{p}")));
        keys
    };
    let mut keys: Vec<(Key, &str)> = Vec::new();
    for (i, e) in sorted.iter().enumerate() {
        keys.clear();
        keys.extend(e.meaning.iter().flat_map(|w| word_keys(w, true)));
        keys.sort_unstable();
        keys.dedup();
        for &k in &keys {
            words.entry(k).or_default().push(i);
        }
        for k in same_key(e) {
            alike.entry(k).or_default().push(i);
        }
    }
    let mut shared = vec![0usize; sorted.len()];
    let mut seen = vec![0usize; sorted.len()];
    let mut stamp = 0usize;
    // Reused for every entry: most entries find no partner, so these are all they allocate.
    let (mut touched, mut candidates): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    for (i, a) in sorted.iter().enumerate() {
        if taken(&used, a.entry.id) {
            continue;
        }
        // How many of a's words could have a partner in each later entry: an upper bound on
        // the words they share. `seen[j] == stamp` marks j as counted for the current word.
        touched.clear();
        for w in &a.meaning {
            stamp += 1;
            for k in word_keys(w, false) {
                let Some(list) = words.get(&k) else {
                    continue;
                };
                // Lists are in entry order: only the later entries are partners to count.
                let later = list.partition_point(|&j| j <= i);
                for &j in &list[later..] {
                    if seen[j] != stamp {
                        seen[j] = stamp;
                        if shared[j] == 0 {
                            touched.push(j);
                        }
                        shared[j] += 1;
                    }
                }
            }
        }
        // Jaccard >= 0.6 needs shared >= 0.375 × (|a| + |b|).
        candidates.clear();
        for &j in &touched {
            if 8 * shared[j] >= 3 * (a.meaning.len() + sorted[j].meaning.len()) {
                candidates.push(j);
            }
            shared[j] = 0;
        }
        for k in same_key(a) {
            if let Some(list) = alike.get(&k) {
                candidates.extend(list.iter().copied().filter(|&j| j > i));
            }
        }
        // In entry order, as pairs were always tried: the earliest partner wins.
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            let b = sorted[j];
            if taken(&used, b.entry.id) {
                continue;
            }
            let jac = overlap(a, b);
            let same_topic = a.topic.is_some() && a.topic == b.topic && a.number == b.number;
            let same_phrase = a.phrase.is_some() && a.phrase == b.phrase;
            if jac >= 0.6 || same_topic || same_phrase {
                used.insert(a.entry.id);
                used.insert(b.entry.id);
                out.push((
                    i,
                    j,
                    jac.max(if same_topic || same_phrase { 0.8 } else { 0.0 }),
                ));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MemorySource;
    use chrono::Utc;

    fn entry(id: i64, content: &str) -> MemoryEntry {
        MemoryEntry {
            id,
            content: content.into(),
            scope: Scope::new(),
            scope_label: "Team-wide".into(),
            source: MemorySource::Person,
            dream_id: None,
            session_ids: vec![],
            support: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn an_entry_asking_for_calm_already_says_no_shouting() {
        let calm = entry(1, "The founder wants headlines short and calm.");
        let e = read(&calm);
        let no_bangs = Terms {
            pol: Pol::Forbid,
            topic: Some((Pol::Forbid, Feature::Exclaim)),
            words: vec![text::stem("exclamation")],
            phrase: None,
            number: None,
        };
        assert_eq!(compare_with(&e, &no_bangs, &[]), Some(Stance::Same));
        let shouting = entry(2, "No shouting in headlines.");
        assert!(says_calm(&read(&shouting)) && says_calm(&e));
        // The opposite asks for noise; an entry about something else says nothing of tone.
        assert!(!says_calm(&read(&entry(
            3,
            "Use exclamation marks to sound upbeat."
        ))));
        let other = entry(4, "Keep posts under 80 words.");
        assert_ne!(
            compare_with(&read(&other), &no_bangs, &[]),
            Some(Stance::Same)
        );
    }

    #[test]
    fn entries_are_read_for_polarity_topic_and_phrase() {
        let e1 = entry(1, "Harbour Tea: never use the word 'seamless'.");
        let e = read(&e1);
        assert_eq!(e.pol, Pol::Forbid);
        assert_eq!(e.phrase.as_deref(), Some("seamless"));
        let e2 = entry(2, "Always use exclamation marks to sound upbeat!");
        let e = read(&e2);
        assert_eq!(e.topic, Some((Pol::Require, Feature::Exclaim)));
        let t = Terms {
            pol: Pol::Forbid,
            topic: Some((Pol::Forbid, Feature::Exclaim)),
            words: vec![],
            phrase: None,
            number: None,
        };
        assert_eq!(
            compare_with(&e, &t, &t.phrase_words()),
            Some(Stance::Opposite)
        );
    }

    #[test]
    fn entries_in_their_own_words_are_understood() {
        let said = |words: &[&str], pol| Terms {
            pol,
            topic: None,
            words: words.iter().map(|w| text::stem(w)).collect(),
            phrase: None,
            number: None,
        };
        // A rule stated in other words is the same rule, not a contradiction.
        let e1 = entry(1, "The founder wants headlines short and calm.");
        let e = read(&e1);
        let t = Terms {
            pol: Pol::Require,
            topic: Some((Pol::Require, Feature::MaxWords)),
            words: vec![],
            phrase: None,
            number: Some(50),
        };
        assert_ne!(compare_with(&e, &t, &[]), Some(Stance::Opposite));
        // Two clauses, two polarities: each is compared on its own.
        let e2 = entry(2, "Avoid jargon; plain words only.");
        let e = read(&e2);
        let plain = said(&["plain", "words"], Pol::Require);
        assert_eq!(compare_with(&e, &plain, &[]), Some(Stance::Same));
        let jargon = said(&["jargon"], Pol::Require);
        assert_eq!(compare_with(&e, &jargon, &[]), Some(Stance::Opposite));
        // A topic first, then what to do with it.
        let e4 = entry(4, "A few emoji make posts feel friendly 😊 — use them.");
        let e = read(&e4);
        let t = Terms {
            pol: Pol::Forbid,
            topic: Some((Pol::Forbid, Feature::Emoji)),
            words: vec![],
            phrase: None,
            number: None,
        };
        assert_eq!(compare_with(&e, &t, &[]), Some(Stance::Opposite));
        // Entries that mean the same in other words pair up.
        let (a, b) = (
            entry(5, "Don't mention what competitors charge."),
            entry(6, "Leave rival pricing out of our posts."),
        );
        let pair = [read(&a), read(&b)];
        assert_eq!(duplicates(&pair, &[]).len(), 1);
        // Polarity that had to be assumed never makes a contradiction.
        let e3 = entry(3, "Order numbers in the subject line.");
        let e = read(&e3);
        let t = said(&["order", "number", "subject"], Pol::Forbid);
        assert_eq!(compare_with(&e, &t, &[]), Some(Stance::Related));
    }

    #[test]
    fn duplicates_pair_up_once() {
        let es = [
            entry(1, "Mention the weekly newsletter in Sunday posts."),
            entry(2, "In Sunday posts, mention our weekly newsletter."),
            entry(3, "The shop opens at 8am."),
        ];
        let read: Vec<Entry> = es.iter().map(read).collect();
        let d = duplicates(&read, &[]);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].0.entry.id, d[0].1.entry.id), (1, 2));
    }

    #[test]
    fn duplicates_pair_within_a_scope_in_id_order_and_skip_what_was_refined() {
        let scoped = |id: i64, client: &str, content: &str| MemoryEntry {
            scope: Scope::from([("client".to_string(), client.to_string())]),
            ..entry(id, content)
        };
        let es = [
            scoped(7, "Kiln", "Mention the weekly newsletter in Sunday posts."),
            scoped(2, "Ana", "Mention the weekly newsletter in Sunday posts."),
            scoped(5, "Kiln", "In Sunday posts, mention our weekly newsletter."),
            scoped(4, "Ana", "In Sunday posts, mention our weekly newsletter."),
            scoped(3, "Ana", "Sunday posts mention the weekly newsletter."),
            // Same words, another client: never a pair across scopes.
            scoped(9, "Cy", "Mention the weekly newsletter in Sunday posts."),
        ];
        let read: Vec<Entry> = es.iter().map(read).collect();
        let ids = |d: Vec<(Entry, Entry, f64)>| -> Vec<(i64, i64)> {
            d.iter().map(|(a, b, _)| (a.entry.id, b.entry.id)).collect()
        };
        // In id order across scopes; each entry in one pair at most.
        assert_eq!(ids(duplicates(&read, &[])), [(2, 3), (5, 7)]);
        // An entry a refinement already replaces pairs with nothing.
        assert_eq!(ids(duplicates(&read, &[3])), [(2, 4), (5, 7)]);
    }
}
