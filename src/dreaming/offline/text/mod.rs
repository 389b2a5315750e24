//! Text as the dreamer sees it: word tokens, structural features of a draft (exclamation
//! marks, headline form, list style, emoji, hashtags, links, ticket references, length),
//! sentences, and short quotes cut from the original text.

mod lexicon;
mod style;
mod words;

pub(crate) use lexicon::*;
pub(crate) use style::*;
pub(crate) use words::*;

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
    /// Sentences in the passive voice ("the order was shipped by our team").
    Passive,
    /// Long sentences; a limit per sentence lives with the finding.
    LongSentences,
    /// Contractions ("we're", "don't").
    Contractions,
    /// A greeting to open ("Hi Sam,").
    Greeting,
    /// Hedging words ("might", "perhaps", "we think").
    Hedging,
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
            Feature::Passive => "passive",
            Feature::LongSentences => "long-sentences",
            Feature::Contractions => "contractions",
            Feature::Greeting => "greeting",
            Feature::Hedging => "hedging",
        }
    }
    /// Words people use when they talk about this feature (in corrections and memory), in
    /// English and, for the features whose names are single words there, in Chinese and
    /// Japanese (segmented text yields them as words).
    pub(crate) fn keywords(self) -> &'static [&'static str] {
        match self {
            Feature::Exclaim => &[
                "exclamation",
                "exclamations",
                "感叹号",
                // jieba may split 感叹号 into 感叹 + 号.
                "感叹",
                "叹号",
                "惊叹号",
                "感嘆符",
                "感嘆詞",
                "びっくりマーク",
            ],
            Feature::QuestionHead => &[
                "question",
                "questions",
                "headline",
                "headlines",
                "title",
                "问句",
                "疑问句",
                "疑問文",
            ],
            Feature::Bullets => &["bullet", "bullets", "bulleted", "项目符号", "箇条書き"],
            Feature::Numbered => &["numbered", "numbers", "numbering", "编号", "番号付き"],
            Feature::Emoji => &[
                "emoji",
                "emojis",
                "emoticon",
                "emoticons",
                "表情",
                "表情符号",
                "表情包",
                "颜文字",
                "絵文字",
                "顔文字",
            ],
            Feature::Hashtag => &["hashtag", "hashtags", "话题标签", "井号", "ハッシュタグ"],
            Feature::Link => &["link", "links", "url", "urls", "链接", "网址", "リンク"],
            Feature::Ticket => &["ticket", "reference", "ref"],
            Feature::MaxWords => &[
                "words", "shorter", "short", "length", "long", "brief", "concise", "wordy",
                "lengthy", "succinct", "terse", "tight",
            ],
            Feature::Passive => &["passive", "active", "voice", "doer"],
            Feature::LongSentences => &["sentence", "sentences", "run-on"],
            Feature::Contractions => &["contraction", "contractions"],
            Feature::Greeting => &["greeting", "greetings", "salutation", "hello"],
            Feature::Hedging => &[
                "hedge",
                "hedges",
                "hedging",
                "waffle",
                "waffling",
                "tentative",
            ],
        }
    }
}

/// Structural facts about one text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    pub bits: u16,
    pub words: u32,
    /// Style: sentences, the longest one in words, passive sentences, contractions, hedges.
    pub sentences: u32,
    pub longest: u32,
    pub passive: u32,
    pub contractions: u32,
    /// Long forms that could have been contracted ("we are", "do not").
    pub long_forms: u32,
    pub hedges: u32,
    pub greeting: bool,
}

impl Shape {
    pub(crate) fn has(&self, f: Feature) -> bool {
        self.bits & f.bit() != 0
    }
}

pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF)
}

pub(crate) fn is_link(tok: &str) -> bool {
    // Without a lowercase copy: every whitespace-separated token of every text is checked.
    let starts = |p: &str| {
        tok.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    starts("http://") || starts("https://") || starts("www.")
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
    shape_of(text, &style::said(text))
}

/// [`shape`] of a text whose sentences are already split into words ([`style::said`]).
pub(crate) fn shape_of(text: &str, said: &[(&str, Vec<String>)]) -> Shape {
    let mut bits = 0u16;
    if text.contains(['!', '！']) {
        bits |= Feature::Exclaim.bit();
    }
    if let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) {
        if first.ends_with(['?', '？']) {
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
        if tok.chars().any(char::is_alphanumeric) && !tok.chars().any(is_cjk) {
            words += 1;
        }
    }
    // Chinese and Japanese have no spaces: count their segmented words.
    if text.chars().any(is_cjk) {
        words += tokens(text)
            .iter()
            .filter(|t| t.word.chars().any(is_cjk))
            .count() as u32;
    }
    let mut shape = Shape {
        bits,
        words,
        ..Shape::default()
    };
    style::style_of(said, &mut shape);
    shape
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
            c if is_cjk_end(c) => true,
            // Chinese text often uses plain ! and ? with no space after.
            '.' | '!' | '?' => {
                it.peek()
                    .is_none_or(|(_, n)| n.is_whitespace() || (c != '.' && is_cjk(*n)))
                    && !(c == '.' && abbreviation(&text[start..i]))
            }
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

/// Whether `before` ends in an abbreviation whose full stop goes on with the sentence
/// ("use prefixes, e.g. `feat:`", "tabs vs. spaces").
fn abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // Bare "eg"/"ie" are words too ("Don't test in IE.").
    matches!(
        last.as_str(),
        "e.g" | "i.e" | "vs" | "cf" | "approx" | "incl" | "esp" | "resp"
    )
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
        Feature::QuestionHead => line.ends_with(['?', '？']),
        _ => shape(line).has(f),
    }
}

/// A text read once for every pass that needs it: its words with sentence breaks, its shape
/// and its lines normalised, each sentence split into words only once (reading is most of a
/// dream's work).
pub(crate) struct Read {
    pub words: Vec<String>,
    pub shape: Shape,
    /// Every line as [`norm_line`] has it, blank lines included.
    pub lines: Vec<String>,
}

pub(crate) fn read(text: &str) -> Read {
    // Each sentence is split into words once, for the words, the style and the lines alike.
    let mut said = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        let from = said.len();
        said.extend(sentences(line).into_iter().map(|s| (s, words(s))));
        lines.push(join_line(&said[from..]));
    }
    Read {
        shape: shape_of(text, &said),
        words: with_breaks(&said),
        lines,
    }
}

/// Normalised form of a line, for matching added sign-offs and headers: its sentences' words.
pub(crate) fn norm_line(line: &str) -> String {
    let said: Vec<_> = sentences(line).into_iter().map(|s| (s, words(s))).collect();
    join_line(&said)
}

fn join_line(said: &[(&str, Vec<String>)]) -> String {
    let mut out = String::new();
    for w in said.iter().flat_map(|(_, w)| w) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
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

    #[test]
    fn any_script_reads_as_words() {
        // Full-width letters and punctuation read as their plain forms.
        assert_eq!(words("ＡＢＣ！ Café"), vec!["abc", "café"]);
        // Chinese is segmented into words, punctuation is not a word.
        let w = words("我们的产品为客户赋能，打造闭环！");
        assert!(w.contains(&"赋能".to_string()), "{w:?}");
        assert!(w.iter().all(|x| !x.contains(['，', '！'])), "{w:?}");
        // Full-width marks end sentences and count as features.
        assert_eq!(sentences("你好！今天上新。请看").len(), 3);
        // An abbreviation's full stop goes on with the sentence; a plain one ends it.
        assert_eq!(
            sentences("Use prefixes, e.g. `feat:` or `fix:`. Tabs vs. spaces: tabs."),
            vec![
                "Use prefixes, e.g. `feat:` or `fix:`.",
                "Tabs vs. spaces: tabs."
            ]
        );
        assert_eq!(sentences("Add tests, etc. Then push.").len(), 2);
        assert!(shape("太棒了！").has(Feature::Exclaim));
        assert!(shape("今天来店里吗？\n好").has(Feature::QuestionHead));
        // Spans point into the original text.
        let t = "Visit us ＮＯＷ at Harbour Tea";
        for tok in tokens(t) {
            assert!(t.is_char_boundary(tok.start) && t.is_char_boundary(tok.end));
        }
        let now = tokens(t).into_iter().find(|x| x.word == "now").unwrap();
        assert_eq!(&t[now.start..now.end], "ＮＯＷ");
        // A Chinese hashtag stays whole, marks and all, and counts as a hashtag.
        let w = words("今天上新 #蓝鲸咖啡# 欢迎来店");
        assert!(w.contains(&"#蓝鲸咖啡#".to_string()), "{w:?}");
        let w = words("今天上新 ＃蓝鲸咖啡＃ 欢迎来店");
        assert!(w.contains(&"#蓝鲸咖啡#".to_string()), "{w:?}");
        assert!(shape("今天上新 #蓝鲸咖啡#").has(Feature::Hashtag));
    }

    #[test]
    fn forms_of_one_word_are_one_family() {
        let mut lex = Lexicon::default();
        let a = lex.ids("synergy synergies synergistic emoji emojis form format");
        assert_eq!(a[0], a[1]);
        assert_eq!(a[0], a[2]);
        assert_eq!(a[3], a[4]);
        assert_ne!(a[5], a[6], "short stems do not join by prefix");
        assert_eq!(lex.word("Synergies".to_lowercase().as_str()), Some(a[0]));
        assert_eq!(lex.forms(a[0]).len(), 3);
        // Found in any of its forms, quoted from the original.
        let t = "We love our synergistic approach. Really.";
        let (x, y) = find_gram(t, &[a[0]], &lex).unwrap();
        assert_eq!(&t[x..y], "synergistic");
        assert_eq!(quote_around(t, x), "We love our synergistic approach.");
    }
}
