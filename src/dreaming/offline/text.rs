//! Text as the dreamer sees it: word tokens, structural features of a draft (exclamation
//! marks, headline form, list style, emoji, hashtags, links, ticket references, length),
//! sentences, and short quotes cut from the original text.

use std::collections::HashMap;

/// A structural property of a text that reviewers add or remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Feature {
    Exclaim,
    QuestionHead,
    Bullets,
    Numbered,
    Emoji,
    Hashtag,
    Link,
    Ticket,
    /// A length limit; the number lives with the finding.
    MaxWords,
}

pub(crate) const FEATURES: [Feature; 8] = [
    Feature::Exclaim,
    Feature::QuestionHead,
    Feature::Bullets,
    Feature::Numbered,
    Feature::Emoji,
    Feature::Hashtag,
    Feature::Link,
    Feature::Ticket,
];

impl Feature {
    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            Feature::Exclaim => "exclamation",
            Feature::QuestionHead => "question-headline",
            Feature::Bullets => "bullets",
            Feature::Numbered => "numbered",
            Feature::Emoji => "emoji",
            Feature::Hashtag => "hashtag",
            Feature::Link => "link",
            Feature::Ticket => "ticket",
            Feature::MaxWords => "length",
        }
    }
    /// Words people use when they talk about this feature (in corrections and memory).
    pub(crate) fn keywords(self) -> &'static [&'static str] {
        match self {
            Feature::Exclaim => &["exclamation", "exclamations"],
            Feature::QuestionHead => &["question", "questions", "headline", "headlines", "title"],
            Feature::Bullets => &["bullet", "bullets", "bulleted"],
            Feature::Numbered => &["numbered", "numbers", "numbering"],
            Feature::Emoji => &["emoji", "emojis", "emoticon", "emoticons"],
            Feature::Hashtag => &["hashtag", "hashtags"],
            Feature::Link => &["link", "links", "url", "urls"],
            Feature::Ticket => &["ticket", "reference", "ref"],
            Feature::MaxWords => &["words", "shorter", "length", "long", "brief", "concise"],
        }
    }
}

/// Structural facts about one text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    pub bits: u16,
    pub words: u32,
}

impl Shape {
    pub(crate) fn has(&self, f: Feature) -> bool {
        self.bits & f.bit() != 0
    }
}

pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

fn is_link(tok: &str) -> bool {
    let t = tok.to_ascii_lowercase();
    t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.")
}

fn is_ticket(tok: &str) -> bool {
    let t = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '#' && c != '-');
    if let Some(rest) = t.strip_prefix('#') {
        return rest.len() >= 3 && rest.chars().all(|c| c.is_ascii_digit());
    }
    match t.split_once('-') {
        Some((a, b)) => {
            a.len() >= 2
                && a.chars().all(|c| c.is_ascii_alphabetic())
                && b.len() >= 2
                && b.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

fn list_marker(line: &str) -> Option<Feature> {
    let l = line.trim_start();
    if l.starts_with("- ") || l.starts_with("* ") || l.starts_with("• ") {
        return Some(Feature::Bullets);
    }
    let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 3 {
        let rest = &l[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(Feature::Numbered);
        }
    }
    None
}

pub(crate) fn shape(text: &str) -> Shape {
    let mut bits = 0u16;
    if text.contains('!') {
        bits |= Feature::Exclaim.bit();
    }
    if let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) {
        if first.ends_with('?') {
            bits |= Feature::QuestionHead.bit();
        }
    }
    for line in text.lines() {
        if let Some(f) = list_marker(line) {
            bits |= f.bit();
        }
    }
    if text.chars().any(is_emoji) {
        bits |= Feature::Emoji.bit();
    }
    let mut words = 0;
    for tok in text.split_whitespace() {
        if is_link(tok) {
            bits |= Feature::Link.bit();
        } else if tok.starts_with('#') && tok[1..].chars().next().is_some_and(char::is_alphabetic) {
            bits |= Feature::Hashtag.bit();
        }
        if is_ticket(tok) {
            bits |= Feature::Ticket.bit();
        }
        if tok.chars().any(char::is_alphanumeric) {
            words += 1;
        }
    }
    Shape { bits, words }
}

/// A word token, lowercased; `None` for punctuation and emoji (they are features, not words).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        if is_link(raw) {
            out.push(
                raw.trim_end_matches(['.', ',', ')', '!', '?'])
                    .to_ascii_lowercase(),
            );
            continue;
        }
        let mut cur = String::new();
        for c in raw.chars() {
            let keep = c.is_alphanumeric()
                || ((c == '\'' || c == '’' || c == '-' || c == '_' || c == '.' || c == '@')
                    && !cur.is_empty())
                || (c == '#' && cur.is_empty());
            if keep {
                cur.extend(c.to_lowercase());
            } else if !cur.is_empty() {
                push_word(&mut out, std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            push_word(&mut out, cur);
        }
    }
    out
}

/// The token that separates sentences in `words_with_breaks`.
pub(crate) const BREAK: &str = "\n";

/// `words`, with a `BREAK` token after each sentence and line.
pub(crate) fn words_with_breaks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        for s in sentences(line) {
            out.extend(words(s));
            out.push(BREAK.to_string());
        }
    }
    out
}

fn push_word(out: &mut Vec<String>, w: String) {
    let w = w
        .trim_end_matches(['\'', '’', '-', '.', '_'])
        .replace('’', "'");
    if w.chars().any(char::is_alphanumeric) {
        out.push(w);
    }
}

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
    STOP.contains(&w)
}

/// A token that can be part of a word rule: not a number, not a ticket id, not too long.
pub(crate) fn is_rule_word(w: &str) -> bool {
    w != BREAK && !w.chars().any(|c| c.is_ascii_digit()) && w.chars().count() <= 40
}

/// Light stemming so "emojis" and "emoji", "marks" and "mark" meet.
pub(crate) fn stem(w: &str) -> String {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
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

/// Sentences of a text, each a slice of the original (so a quote really appears in it).
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        // A full stop inside a link or a number ("example.com", "2.5") does not end a sentence.
        let ends = match c {
            '\n' => true,
            '.' | '!' | '?' => it.peek().is_none_or(|(_, n)| n.is_whitespace()),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// At most `max` characters of `s`, cut on a character boundary around byte offset `at`.
pub(crate) fn clip(s: &str, at: usize, max: usize) -> String {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    if chars.len() <= max {
        return s.to_string();
    }
    let pos = chars.iter().position(|(i, _)| *i >= at).unwrap_or(0);
    let from = pos.saturating_sub(max / 3).min(chars.len() - max);
    let to = from + max;
    let begin = chars[from].0;
    let end = chars.get(to).map_or(s.len(), |(i, _)| *i);
    s[begin..end].trim().to_string()
}

/// The first line or sentence of `text` that contains `needle` (lowercase), as a short quote.
pub(crate) fn quote_containing(text: &str, needle: &str) -> Option<String> {
    for part in text.lines().flat_map(sentences) {
        let low = part.to_lowercase();
        if let Some(at) = low.find(needle) {
            // Lowercasing may shift byte offsets on non-ASCII text; clamp to a boundary.
            let mut at = at.min(part.len());
            while !part.is_char_boundary(at) {
                at -= 1;
            }
            return Some(clip(part, at, 120));
        }
    }
    None
}

/// The first line of `text` for which `pred` holds, as a short quote.
pub(crate) fn quote_line(text: &str, pred: impl Fn(&str) -> bool) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && pred(l))
        .map(|l| clip(l, 0, 120))
}

pub(crate) fn has_feature_line(line: &str, f: Feature) -> bool {
    match f {
        Feature::Bullets | Feature::Numbered => list_marker(line) == Some(f),
        Feature::QuestionHead => line.ends_with('?'),
        _ => shape(line).has(f),
    }
}

/// Interns words and lines to small ids so counting over thousands of sessions stays cheap.
#[derive(Default)]
pub(crate) struct Lexicon {
    ids: HashMap<String, u32>,
    pub words: Vec<String>,
}

impl Lexicon {
    pub(crate) fn id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(w.to_string(), id);
        self.words.push(w.to_string());
        id
    }
    pub(crate) fn get(&self, w: &str) -> Option<u32> {
        self.ids.get(w).copied()
    }
    /// Word ids with `BREAK` between sentences, so phrases never span two sentences.
    pub(crate) fn ids(&mut self, text: &str) -> Vec<u32> {
        words_with_breaks(text).iter().map(|w| self.id(w)).collect()
    }
}

/// Normalised form of a line, for matching added sign-offs and headers.
pub(crate) fn norm_line(line: &str) -> String {
    words(line).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_sees_structure() {
        let s =
            shape("Ready for autumn?\n- one\n- two\nVisit https://x.example #Tea 🍂 Ref TCK-4821!");
        for f in [
            Feature::QuestionHead,
            Feature::Bullets,
            Feature::Link,
            Feature::Hashtag,
            Feature::Emoji,
            Feature::Ticket,
            Feature::Exclaim,
        ] {
            assert!(s.has(f), "{f:?}");
        }
        assert!(!s.has(Feature::Numbered));
        assert!(shape("1. first\n2. second").has(Feature::Numbered));
    }

    #[test]
    fn words_keep_hashtags_links_and_contractions() {
        assert_eq!(
            words("Don't miss #AutumnBlend at https://t.example/a, friends!"),
            vec![
                "don't",
                "miss",
                "#autumnblend",
                "at",
                "https://t.example/a",
                "friends"
            ]
        );
    }

    #[test]
    fn quotes_come_from_the_text() {
        let t = "Meet our blend. It is a seamless way to start the day!";
        let q = quote_containing(t, "seamless").unwrap();
        assert!(t.contains(&q));
        let long = "word ".repeat(100) + "needle " + &"word ".repeat(100);
        let q = quote_containing(&long, "needle").unwrap();
        assert!(q.contains("needle") && q.chars().count() <= 120);
    }
}
