//! Words in any script: tokens with their place in the original text (NFKC, Chinese and
//! Japanese segmented), stop words, and stems in the dream's language.

use std::cell::{Cell, RefCell};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

/// Chinese and Japanese script: no spaces between words, so runs of it are segmented with a
/// dictionary (jieba) instead of split on whitespace.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F)
}

/// Sentence-ending punctuation of Chinese and Japanese (full stop, full-width ! and ?), which
/// ends a sentence with no space after it.
pub(crate) fn is_cjk_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

fn jieba() -> &'static jieba_rs::Jieba {
    static J: std::sync::OnceLock<jieba_rs::Jieba> = std::sync::OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

/// A word of a text with where it is: `word` is normalised (NFKC, lowercase), `start..end` the
/// bytes of the original text it came from, so quotes are cut from what people wrote.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tok {
    pub word: String,
    pub start: usize,
    pub end: usize,
}

/// The words of a text, in any script: whitespace-separated tokens with their punctuation
/// split off (NFKC first, so full-width letters and punctuation count as their plain forms),
/// Chinese and Japanese runs segmented into words. Links, hashtags, contractions and
/// hyphenated words stay whole; punctuation and emoji are features, not words.
pub(crate) fn tokens(text: &str) -> Vec<Tok> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_start = 0;
    let mut last_end = 0;
    let flush = |out: &mut Vec<Tok>, cur: &mut String, start: usize, end: usize| {
        if !cur.is_empty() {
            // In place: a dream tokenizes every text more than once, so a copy per word shows.
            let keep = cur.trim_end_matches(['\'', '’', '-', '.', '_']).len();
            cur.truncate(keep);
            if cur.contains('’') {
                *cur = cur.replace('’', "'");
            }
            if cur.chars().any(char::is_alphanumeric) {
                out.push(Tok {
                    word: std::mem::take(cur),
                    start,
                    end,
                });
            } else {
                cur.clear();
            }
        }
    };
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            flush(&mut out, &mut cur, cur_start, last_end);
            chars.next();
            continue;
        }
        // A link is one token up to the next space, less trailing punctuation.
        if cur.is_empty()
            && (text[i..].starts_with("http://")
                || text[i..].starts_with("https://")
                || text[i..].starts_with("www."))
        {
            let end = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| i + e);
            let link = text[i..end].trim_end_matches(['.', ',', ')', '!', '?', '。', '，']);
            out.push(Tok {
                word: link.to_lowercase(),
                start: i,
                end: i + link.len(),
            });
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            continue;
        }
        // "#话题#": a Chinese hashtag is the whole run between its marks, not segmented.
        if is_cjk(c) && cur == "#" {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if !is_cjk(d) || is_cjk_end(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let run = &text[i..end];
            // Its closing mark, plain or full-width, is part of it: "#蓝鲸咖啡#" either way.
            let closed = match chars.peek() {
                Some(&(j, d @ ('#' | '＃'))) => {
                    end = j + d.len_utf8();
                    chars.next();
                    true
                }
                _ => false,
            };
            out.push(Tok {
                word: if closed {
                    format!("#{run}#")
                } else {
                    format!("#{run}")
                },
                start: cur_start,
                end,
            });
            cur.clear();
            last_end = end;
            continue;
        }
        if is_cjk(c) {
            flush(&mut out, &mut cur, cur_start, last_end);
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if !is_cjk(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let run = &text[i..end];
            let mut at = i;
            for piece in jieba().cut(run, true) {
                out.push(Tok {
                    word: piece.to_string(),
                    start: at,
                    end: at + piece.len(),
                });
                at += piece.len();
            }
            last_end = end;
            continue;
        }
        chars.next();
        // Plain ASCII, most of what people write: the same rules as below, without the
        // Unicode tables.
        if c.is_ascii() {
            let keep = c.is_ascii_alphanumeric()
                || (matches!(c, '\'' | '-' | '_' | '.' | '@') && !cur.is_empty())
                || (c == '#' && cur.is_empty());
            if keep {
                if cur.is_empty() {
                    cur_start = i;
                }
                cur.push(c.to_ascii_lowercase());
                last_end = i + 1;
            } else {
                flush(&mut out, &mut cur, cur_start, last_end);
            }
            continue;
        }
        let end = i + c.len_utf8();
        // Full-width and other compatibility forms read as their plain letters and marks.
        let mut plain = ['\0'; 4];
        let mut n = 0;
        if c.is_ascii() {
            plain[0] = c;
            n = 1;
        } else {
            for d in std::iter::once(c).nfkc() {
                if n < plain.len() {
                    plain[n] = d;
                    n += 1;
                }
            }
        }
        for &d in &plain[..n] {
            let keep = d.is_alphanumeric()
                || ((d == '\'' || d == '’' || d == '-' || d == '_' || d == '.' || d == '@')
                    && !cur.is_empty())
                || (d == '#' && cur.is_empty());
            if keep {
                if cur.is_empty() {
                    cur_start = i;
                }
                cur.extend(d.to_lowercase());
                last_end = end;
            } else {
                flush(&mut out, &mut cur, cur_start, last_end);
            }
        }
    }
    flush(&mut out, &mut cur, cur_start, last_end);
    out
}

/// The words of a text, normalised (see [`tokens`]).
pub(crate) fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.word).collect()
}

/// Words joined for display: with spaces, except between Chinese or Japanese words.
pub(crate) fn join_words<S: AsRef<str>>(words: &[S]) -> String {
    let mut out = String::new();
    for w in words {
        let w = w.as_ref();
        let tight =
            out.chars().next_back().is_some_and(is_cjk) && w.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !tight {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The token that separates sentences in `words_with_breaks`.
pub(crate) const BREAK: &str = "\n";

/// `words`, with a `BREAK` token after each sentence and line.
#[cfg(test)]
pub(crate) fn words_with_breaks(text: &str) -> Vec<String> {
    with_breaks(&super::style::said(text))
}

/// The words of sentences ([`super::style::said`]), a `BREAK` after each.
pub(crate) fn with_breaks(said: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::with_capacity(said.iter().map(|(_, w)| w.len() + 1).sum());
    for (_, w) in said {
        out.extend(w.iter().cloned());
        out.push(BREAK.to_string());
    }
    out
}

#[rustfmt::skip]
const STOP: &[&str] = &[
    
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "at", "by", "is",
    "are", "was", "were", "be", "been", "it", "its", "it's", "this", "that", "these", "those",
    "we", "you", "our", "your", "i", "me", "my", "as", "from", "so", "if", "than", "then", "there",
    "they", "their", "he", "she", "his", "her", "us", "will", "can", "do", "does", "have", "has",
    "had", "not", "all", "any", "some", "more", "what", "which", "who", "how", "when", "up",
    "about", "into", "over", "out", "get", "got", "let", "let's", "we're", "you're", "i'm",
    "we'll", "you'll", "i'll", "don't", "please",
];

pub(crate) fn is_stop(w: &str) -> bool {
    word_set(STOP).contains(w)
}

/// A token that can be part of a word rule: not a number, not a ticket id, not too long.
pub(crate) fn is_rule_word(w: &str) -> bool {
    w != BREAK && !w.chars().any(|c| c.is_ascii_digit()) && w.chars().count() <= 40
}

thread_local! {
    /// The stemmer of the language the sessions being dreamed over are written in; set once
    /// per dream by [`use_language_of`] (English until then).
    static STEMMER: std::cell::RefCell<rust_stemmers::Stemmer> =
        std::cell::RefCell::new(rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
}

/// Detect the language of `sample` (a few of the window's texts) and stem words as that
/// language does for the rest of this thread's dream. Unreliable or unsupported: English.
pub(crate) fn use_language_of(sample: &str) {
    use rust_stemmers::Algorithm as A;
    use whatlang::Lang as L;
    let alg = match whatlang::detect(sample)
        .filter(|i| i.confidence() > 0.3)
        .map(|i| i.lang())
    {
        Some(L::Fra) => A::French,
        Some(L::Deu) => A::German,
        Some(L::Spa) => A::Spanish,
        Some(L::Ita) => A::Italian,
        Some(L::Por) => A::Portuguese,
        Some(L::Nld) => A::Dutch,
        Some(L::Swe) => A::Swedish,
        Some(L::Nob) => A::Norwegian,
        Some(L::Dan) => A::Danish,
        Some(L::Fin) => A::Finnish,
        Some(L::Rus) | Some(L::Ukr) => A::Russian,
        Some(L::Hun) => A::Hungarian,
        Some(L::Ron) => A::Romanian,
        Some(L::Tur) => A::Turkish,
        Some(L::Ara) => A::Arabic,
        Some(L::Ell) => A::Greek,
        Some(L::Tam) => A::Tamil,
        _ => A::English,
    };
    use_language(alg);
}

/// The language this thread's dream stems words in, to hand to a helper thread.
pub(crate) fn language() -> rust_stemmers::Algorithm {
    LANGUAGE.with(Cell::get)
}

/// Stem words in `alg` for the rest of this thread's dream.
pub(crate) fn use_language(alg: rust_stemmers::Algorithm) {
    if LANGUAGE.with(Cell::get) == alg {
        return;
    }
    LANGUAGE.with(|l| l.set(alg));
    STEM_CACHE.with(|c| c.borrow_mut().clear());
    STEMMER.with(|s| *s.borrow_mut() = rust_stemmers::Stemmer::create(alg));
    STEMMER_GENERATION.with(|g| g.set(g.get() + 1));
}

/// `f` over `items` on two threads, in order: reading texts is most of a dream's work and
/// needs nothing from the others, so the second core halves it. The helper stems in the
/// dream's language; one item or one core, and it all runs here.
pub(crate) fn par_map<'a, T: Sync, R: Send>(
    items: &'a [T],
    f: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    par_map_on(cores, items, f)
}

/// [`par_map`] as if the machine had `cores` cores (tests use two whatever it has).
fn par_map_on<'a, T: Sync, R: Send>(
    cores: usize,
    items: &'a [T],
    f: impl Fn(&'a T) -> R + Sync,
) -> Vec<R> {
    if cores < 2 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let (head, tail) = items.split_at(items.len() / 2);
    let alg = language();
    std::thread::scope(|scope| {
        let f = &f;
        let helper = scope.spawn(move || {
            use_language(alg);
            tail.iter().map(f).collect::<Vec<R>>()
        });
        let mut out: Vec<R> = head.iter().map(f).collect();
        // A panic in the helper is the same bug as one here: pass it on.
        out.extend(
            helper
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        out
    })
}

/// Items read a slice at a time: enough to keep both threads busy, few enough that a long
/// window is never held read all at once.
pub(crate) const SLICE: usize = 1024;

/// A word list as a set, shared by reference within the thread.
pub(crate) type WordSet<T> = Rc<HashSet<T>>;

thread_local! {
    /// Stems worked out in this thread's language (cleared when the language changes).
    static STEM_CACHE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::default());
    static LANGUAGE: Cell<rust_stemmers::Algorithm> = const { Cell::new(rust_stemmers::Algorithm::English) };
    static STEMMER_GENERATION: Cell<u64> = const { Cell::new(0) };
    /// Per word list: the stemmer generation it was stemmed with, and its stems.
    static STEM_SETS: RefCell<HashMap<usize, (u64, WordSet<String>)>> = RefCell::new(HashMap::default());
    static WORD_SETS: RefCell<HashMap<usize, WordSet<&'static str>>> = RefCell::new(HashMap::default());
}

/// A fixed word list as a set, built once: checked against every word people wrote.
pub(crate) fn word_set(list: &'static [&'static str]) -> WordSet<&'static str> {
    let key = list.as_ptr() as usize;
    WORD_SETS.with(|sets| {
        sets.borrow_mut()
            .entry(key)
            .or_insert_with(|| Rc::new(list.iter().copied().collect()))
            .clone()
    })
}

/// The stems of a fixed word list in the dream's language, worked out once per dream: word
/// lists are checked against every word people wrote, and stemming them each time is slow.
pub(crate) fn stem_set(list: &'static [&'static str]) -> WordSet<String> {
    let generation = STEMMER_GENERATION.with(|g| g.get());
    let key = list.as_ptr() as usize;
    STEM_SETS.with(|sets| {
        if let Some((g, set)) = sets.borrow().get(&key) {
            if *g == generation {
                return set.clone();
            }
        }
        let set: WordSet<String> = Rc::new(list.iter().map(|w| stem(w)).collect());
        sets.borrow_mut().insert(key, (generation, set.clone()));
        set
    })
}

/// The stem of a word in the dream's language ("emojis" and "emoji", "synergies" and
/// "synergy" meet). Hashtags, links, numbers and Chinese or Japanese words stay as they are.
pub(crate) fn stem(w: &str) -> String {
    if w.len() <= 3
        || w.starts_with('#')
        || w.contains(['/', '@', '.'])
        || w.chars().any(|c| c.is_ascii_digit() || is_cjk(c))
    {
        return w.to_string();
    }
    // Remembered per thread and language: the same few thousand words are stemmed over and
    // over (every statement, memory entry and topic check).
    STEM_CACHE.with(|c| {
        if let Some(st) = c.borrow().get(w) {
            return st.clone();
        }
        let plain = w.replace('\'', "");
        let st = STEMMER.with(|s| s.borrow().stem(&plain).into_owned());
        let mut c = c.borrow_mut();
        // A bound, so a window of made-up words cannot grow it without end.
        if c.len() >= 200_000 {
            c.clear();
        }
        c.insert(w.to_string(), st.clone());
        st
    })
}

/// Whether two content words are forms of one word ("flag" / "flagged", "reversible" /
/// "irreversible"), so paraphrases of one memory entry meet.
pub(crate) fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    (short.len() >= 4 && long.starts_with(short) && long.len() - short.len() <= 3)
        || (short.len() >= 6 && long.contains(short))
}

#[cfg(test)]
mod par_tests {
    use super::*;

    #[test]
    fn reading_on_two_threads_keeps_order_and_the_dreams_language() {
        use_language(rust_stemmers::Algorithm::French);
        let words: Vec<String> = (0..501).map(|i| format!("continuations{i}x")).collect();
        let plain = ["mangeaient", "heureusement", "chanteuses"];
        let items: Vec<&str> = (0..400).map(|i| plain[i % 3]).collect();
        // The helper stems as this thread does: French, not the English default.
        let stems = par_map_on(2, &items, |w| stem(w));
        let here: Vec<String> = items.iter().map(|w| stem(w)).collect();
        assert_eq!(stems, here);
        let english = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        assert!(
            plain.iter().all(|w| stem(w) != english.stem(w)),
            "the test needs words the two languages stem apart"
        );
        assert_eq!(
            par_map_on(2, &words, |w| w.len()),
            words.iter().map(|w| w.len()).collect::<Vec<_>>()
        );
        use_language(rust_stemmers::Algorithm::English);
    }

    #[test]
    #[should_panic(expected = "bad item")]
    fn a_panic_on_the_helper_reaches_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        par_map_on(2, &items, |&i| if i == 90 { panic!("bad item") } else { i });
    }
}
