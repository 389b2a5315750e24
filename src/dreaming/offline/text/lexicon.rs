//! Interned words and lines, words by family, and finding a phrase again in any of its forms.

use rustc_hash::FxHashMap as HashMap;

use super::{clip, sentences, stem, tokens, BREAK};

/// Interns words and lines to small ids so counting over thousands of sessions stays cheap.
/// Words ([`Lexicon::ids`], [`Lexicon::word`]) are interned by family: the forms of one word
/// ("synergy", "synergies", "synergistic") share an id, and `words[id]` is the form people
/// wrote most. Lines and answers ([`Lexicon::id`], [`Lexicon::get`]) are interned exactly.
#[derive(Default)]
pub(crate) struct Lexicon {
    ids: HashMap<String, u32>,
    pub words: Vec<String>,
    /// Per id: the forms seen and how often, when interned as words.
    forms: Vec<Vec<(String, u32)>>,
    /// Family keys: a stem, and the stem less its last one to three letters, so forms a
    /// stemmer leaves apart ("synergi", "synergist") still meet.
    stems: HashMap<String, u32>,
    shorter: HashMap<String, u32>,
    /// Word -> id, for words already seen (stemming each occurrence again is the cost).
    seen: HashMap<String, u32>,
}

/// The shortest stem that joins others by its prefix: below it, "form" would meet "format".
const FAMILY_MIN: usize = 6;

impl Lexicon {
    pub(crate) fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.words.push(w.to_string());
        self.forms.push(Vec::new());
        id
    }

    pub(crate) fn get(&self, w: &str) -> Option<u32> {
        self.ids.get(w).copied()
    }

    /// The family of `w` among those seen, without adding it.
    fn family(&self, stem: &str) -> Option<u32> {
        if let Some(&id) = self.stems.get(stem) {
            return Some(id);
        }
        let chars: Vec<(usize, char)> = stem.char_indices().collect();
        if chars.len() < FAMILY_MIN || !stem.chars().all(char::is_alphabetic) {
            return None;
        }
        // A seen stem that is this one less up to three letters, or this one plus up to three.
        for cut in 1..=3 {
            if chars.len() - cut < FAMILY_MIN {
                break;
            }
            if let Some(&id) = self.stems.get(&stem[..chars[chars.len() - cut].0]) {
                return Some(id);
            }
        }
        self.shorter.get(stem).copied()
    }

    /// The id of a word's family, adding it when new.
    pub(crate) fn word_id(&mut self, w: &str) -> u32 {
        let id = match self.seen.get(w) {
            Some(&id) => id,
            None => {
                let st = stem(w);
                let id = match self.family(&st) {
                    Some(id) => id,
                    None => {
                        let id = self.words.len() as u32;
                        self.words.push(w.to_string());
                        self.forms.push(Vec::new());
                        id
                    }
                };
                if !self.stems.contains_key(&st) {
                    let chars: Vec<(usize, char)> = st.char_indices().collect();
                    if chars.len() >= FAMILY_MIN && st.chars().all(char::is_alphabetic) {
                        for cut in 1..=3 {
                            if chars.len() - cut < FAMILY_MIN {
                                break;
                            }
                            self.shorter
                                .entry(st[..chars[chars.len() - cut].0].to_string())
                                .or_insert(id);
                        }
                    }
                    self.stems.insert(st, id);
                }
                self.seen.insert(w.to_string(), id);
                id
            }
        };
        let forms = &mut self.forms[id as usize];
        let n = match forms.iter_mut().find(|(f, _)| f == w) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                forms.push((w.to_string(), 1));
                1
            }
        };
        // The family is shown as the form people wrote most (the first one on a tie).
        let shown = &self.words[id as usize];
        if shown != w {
            let shown_n = forms
                .iter()
                .find(|(f, _)| f == shown)
                .map_or(0, |(_, n)| *n);
            if n > shown_n {
                self.words[id as usize] = w.to_string();
            }
        }
        id
    }

    /// The family id of a word, if one of its forms was seen.
    pub(crate) fn word(&self, w: &str) -> Option<u32> {
        if let Some(&id) = self.seen.get(w) {
            return Some(id);
        }
        if w == BREAK {
            return self.get(BREAK);
        }
        self.family(&stem(w))
    }

    /// The forms of a word family people wrote, most used first.
    pub(crate) fn forms(&self, id: u32) -> Vec<&str> {
        let mut f: Vec<&(String, u32)> = self.forms[id as usize].iter().collect();
        f.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        f.into_iter().map(|(w, _)| w.as_str()).collect()
    }

    /// Word family ids with `BREAK` between sentences, so phrases never span two sentences.
    #[cfg(test)]
    pub(crate) fn ids(&mut self, text: &str) -> Vec<u32> {
        self.ids_of(&super::words_with_breaks(text))
    }

    /// [`Lexicon::ids`] of words already read ([`words_with_breaks`]).
    pub(crate) fn ids_of(&mut self, words: &[String]) -> Vec<u32> {
        words
            .iter()
            .map(|w| {
                if w == BREAK {
                    self.id(w)
                } else {
                    self.word_id(w)
                }
            })
            .collect()
    }
}

/// Where a phrase (word family ids, as [`Lexicon::ids`] gives them) first appears in `text`:
/// the bytes of the original text, so it can be shown as people wrote it, in any form of its
/// words and any script.
pub(crate) fn find_gram(text: &str, gram: &[u32], lex: &Lexicon) -> Option<(usize, usize)> {
    if gram.is_empty() {
        return None;
    }
    let toks = tokens(text);
    let ids: Vec<Option<u32>> = toks.iter().map(|t| lex.word(&t.word)).collect();
    (0..toks.len().saturating_sub(gram.len() - 1)).find_map(|i| {
        let hit = gram.iter().enumerate().all(|(k, &g)| ids[i + k] == Some(g));
        hit.then(|| (toks[i].start, toks[i + gram.len() - 1].end))
    })
}

/// The sentence of `text` around byte `at`, as a short quote.
pub(crate) fn quote_around(text: &str, at: usize) -> String {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if at < offset + line.len() {
            for s in sentences(line) {
                let start = s.as_ptr() as usize - line.as_ptr() as usize + offset;
                if at < start + s.len() {
                    return clip(s, at.saturating_sub(start), 120);
                }
            }
            return clip(line.trim(), 0, 120);
        }
        offset += line.len();
    }
    clip(text.trim(), 0, 120)
}
