//! What people say to the agent after a draft: corrections in imperative or corrective form
//! ("don't…", "never…", "always…", "no X please"), one-off requests that must never become
//! rules, and clarifying questions the agent asks whose answer is always the same. Grouped by
//! content-word overlap so different wordings of one correction meet.

use std::collections::{BTreeMap, BTreeSet};

use super::support::Pol;
use super::text::{self, Feature};

const FILLER: &[&str] = &[
    "ok", "okay", "thanks", "thank", "you", "also", "and", "but", "so", "hey", "hi", "please",
    "pls", "actually", "again", "oh", "well", "hmm", "one", "more", "thing", "remember", "note",
    "reminder", "as", "usual", "we", "you", "should", "must", "need", "to", "i", "said", "told",
    "already", "yes", "no,", "sorry", "great", "good", "nice", "looks", "but,",
];

const FORBID: &[&str] = &[
    "don't",
    "dont",
    "do not",
    "never",
    "avoid",
    "stop",
    "no more",
    "no",
    "without",
    "drop",
    "remove",
    "lose",
    "skip",
    "cut",
    "get rid of",
    "quit",
    "we don't",
    "not",
    // "Use no emoji" forbids, whatever "use" alone asks; so do the verbs of "less of it".
    "use no",
    "include no",
    "add no",
    "put no",
    "go easy on",
    "tone down",
    "cut down on",
    "cut back on",
    "ease up on",
    "steer clear of",
    "stay away from",
    "keep away from",
    "hold off on",
    "minimise",
    "minimize",
    "reduce",
    "less",
    "fewer",
    "hold back on",
    "say no to",
    "lay off",
    "ease off",
];

const REQUIRE: &[&str] = &[
    "always",
    "make sure",
    "be sure to",
    "remember to",
    "use",
    "include",
    "add",
    "keep",
    "end with",
    "start with",
    "open with",
    "sign off",
    "put",
    "mention",
    "stick to",
    "switch to",
    "go with",
    "prefer",
    "write",
    "lead with",
    "close with",
    "finish with",
    "limit",
    "replace",
];

/// Words that only carry the polarity or the request, not the topic.
const GENERIC: &[&str] = &[
    "don't", "dont", "do", "not", "never", "avoid", "stop", "no", "without", "drop", "remove",
    "lose", "skip", "cut", "rid", "quit", "always", "make", "sure", "be", "remember", "use",
    "using", "include", "add", "keep", "sign", "put", "mention", "stick", "switch", "go", "prefer",
    "write", "limit", "replace", "word", "words_", "phrase", "term", "instead", "again", "anymore",
    "ever", "any", "please", "them", "those", "thing", "stuff", "like", "one", "ones", "every",
    "each", "time", "should", "must",
];

fn strip_lead(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '#');
        let first = t
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("");
        if !first.is_empty() && FILLER.contains(&first) && t.len() > first.len() {
            s = &t[first.len()..];
        } else {
            return t;
        }
    }
}

fn starts_with_phrase(s: &str, p: &str) -> bool {
    s.starts_with(p) && s[p.len()..].starts_with(|c: char| c.is_whitespace() || c == ',')
}

/// The polarity of a sentence that reads as a standing correction, or `None`.
pub(crate) fn corrective(sentence: &str) -> Option<Pol> {
    let low = sentence.to_lowercase().replace('’', "'");
    let s = strip_lead(&low);
    if s.ends_with('?') && !s.starts_with("can you") && !s.starts_with("could you") {
        return None;
    }
    let s = s
        .strip_prefix("can you ")
        .or_else(|| s.strip_prefix("could you "))
        .map(strip_lead)
        .unwrap_or(s);
    // Longest phrase first so "no more" wins over "no".
    let mut best: Option<(usize, Pol)> = None;
    for (list, pol) in [(FORBID, Pol::Forbid), (REQUIRE, Pol::Require)] {
        for p in list {
            if starts_with_phrase(s, p) && best.is_none_or(|(l, _)| p.len() > l) {
                best = Some((p.len(), pol));
            }
        }
    }
    if let Some((_, pol)) = best {
        return Some(pol);
    }
    if s.contains(" instead of ") || s.contains(" rather than ") {
        return Some(Pol::Require);
    }
    None
}

/// Content words of a sentence: what it is about, stemmed.
pub(crate) fn content_words(sentence: &str) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for w in text::words(sentence) {
        if text::is_stop(&w)
            || GENERIC.contains(&w.as_str())
            || w.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        out.insert(text::stem(&w));
    }
    out.into_iter().collect()
}

/// Whether a follow-up message asks to reformat (list, length, headline, layout).
pub(crate) fn reformat_request(message: &str) -> bool {
    let words = content_words(message);
    const FORMAT: &[&str] = &[
        "format",
        "layout",
        "shorter",
        "longer",
        "paragraph",
        "list",
        "table",
        "structure",
    ];
    words.iter().any(|w| {
        FORMAT.iter().any(|f| text::stem(f) == *w)
            || [
                Feature::Bullets,
                Feature::Numbered,
                Feature::MaxWords,
                Feature::QuestionHead,
            ]
            .iter()
            .any(|f| text::stem_set(f.keywords()).contains(w))
    })
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    let inter = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Groups word sets by overlap: exact sets first, then each set joins the most frequent
/// earlier set it overlaps by at least half. Returns the group of each input and each group's
/// defining words. Deterministic: ties break on the words themselves.
pub(crate) fn cluster(sets: &[Vec<String>]) -> (Vec<u32>, Vec<Vec<String>>) {
    let mut exact: BTreeMap<&[String], usize> = BTreeMap::new();
    for s in sets {
        *exact.entry(s.as_slice()).or_default() += 1;
    }
    let mut order: Vec<(&[String], usize)> = exact.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut heads: Vec<Vec<String>> = Vec::new();
    let mut index: BTreeMap<&String, Vec<u32>> = BTreeMap::new();
    let mut group_of: BTreeMap<&[String], u32> = BTreeMap::new();
    for (set, _) in &order {
        let mut best: Option<(f64, u32)> = None;
        let mut tried = BTreeSet::new();
        for w in set.iter() {
            for &g in index.get(w).map(Vec::as_slice).unwrap_or(&[]) {
                if tried.insert(g) {
                    let j = jaccard(set, &heads[g as usize]);
                    if j >= 0.5 && best.is_none_or(|(bj, _)| j > bj) {
                        best = Some((j, g));
                    }
                }
            }
        }
        let g = match best {
            Some((_, g)) => g,
            None => {
                let g = heads.len() as u32;
                heads.push(set.to_vec());
                for w in set.iter() {
                    index.entry(w).or_default().push(g);
                }
                g
            }
        };
        group_of.insert(set, g);
    }
    let groups = sets.iter().map(|s| group_of[s.as_slice()]).collect();
    (groups, heads)
}

/// The feature a correction or memory entry talks about, with the polarity normalised the
/// way edit mining records it (lists: the style to use).
pub(crate) fn topic(pol: Pol, words: &[String]) -> Option<(Pol, Feature)> {
    topics(pol, words).into_iter().next()
}

/// Every feature a correction may be about, the likeliest first: "don't hedge, we have the
/// numbers" names hedging, and numbers only in passing.
pub(crate) fn topics(pol: Pol, words: &[String]) -> Vec<(Pol, Feature)> {
    let mut out = Vec::new();
    let has = |f: Feature| {
        let keys = text::stem_set(f.keywords());
        words.iter().any(|w| keys.contains(w))
    };
    // "Numbered" stems to "number", which is as often an order number or "we have the
    // numbers": a numbered list is a number with a list word, or the CJK word for it.
    let listish = ["list", "step", "point", "item"]
        .iter()
        .any(|l| words.contains(&text::stem(l)));
    let numbered = has(Feature::Numbered)
        && (listish
            || Feature::Numbered
                .keywords()
                .iter()
                .any(|k| k.chars().any(text::is_cjk) && words.iter().any(|w| w == k)));
    if numbered && !has(Feature::Bullets) {
        out.push(match pol {
            Pol::Require => (Pol::Require, Feature::Numbered),
            Pol::Forbid => (Pol::Require, Feature::Bullets),
        });
    } else if has(Feature::Bullets) {
        out.push(match pol {
            Pol::Require => (Pol::Require, Feature::Bullets),
            Pol::Forbid => (Pol::Require, Feature::Numbered),
        });
    }
    let lead = [
        "headline", "title", "open", "opening", "start", "lead", "first", "begin", "hook",
    ];
    // Stemmed once per word looked for, not once per word compared with.
    let has_word = |x: &str| {
        let x = text::stem(x);
        words.contains(&x)
    };
    if has_word("question") && lead.iter().any(|l| has_word(l)) {
        out.push((pol, Feature::QuestionHead));
    }
    for f in [
        Feature::Exclaim,
        Feature::Emoji,
        Feature::Hashtag,
        Feature::Link,
        Feature::Ticket,
        Feature::Contractions,
        Feature::Greeting,
        Feature::Hedging,
    ] {
        if has(f) {
            out.push((pol, f));
        }
    }
    // "Use the active voice" and "no passive" are one rule: no passive sentences.
    // Naming both is the active-voice rule however it is put ("active, not passive").
    if has_word("passive") && has_word("active") {
        out.push((Pol::Forbid, Feature::Passive));
    } else if has_word("passive") || (has_word("active") && has_word("voice")) || has_word("doer") {
        // "Put the doer first" is the active voice in plain words.
        let active = has_word("active") || has_word("doer");
        out.push(match (pol, active) {
            (Pol::Require, true) | (Pol::Forbid, false) => (Pol::Forbid, Feature::Passive),
            _ => (Pol::Require, Feature::Passive),
        });
    }
    if has(Feature::LongSentences) {
        out.push((Pol::Require, Feature::LongSentences));
    }
    if has(Feature::MaxWords) {
        out.push((Pol::Require, Feature::MaxWords));
    }
    out
}

/// Of a sentence naming both voices, whether it wants the passive: `Some(true)` when the
/// active is the one ruled out ("passive, not active", "passive rather than active", "avoid the
/// active voice; passive reads more formally"), `Some(false)` when the passive is, `None` when
/// it names one voice or its words do not say which.
pub(crate) fn wants_passive(sentence: &str) -> Option<bool> {
    let low = sentence.to_lowercase().replace('’', "'");
    let at = |x: &str| {
        low.match_indices(x).map(|(i, _)| i).find(|&i| {
            let before = low[..i].chars().next_back();
            let after = low[i + x.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
    };
    let (a, p) = (at("active")?, at("passive")?);
    // Joined, not set against each other: "don't mix active and passive".
    let (first, second) = if a < p { (a, p) } else { (p, a) };
    let between = text::words(&low[first..second]);
    if between
        .iter()
        .any(|w| ["and", "or", "nor", "between", "mix", "mixing"].contains(&w.as_str()))
        && !low[first..second].contains([',', ';'])
    {
        return None;
    }
    // Ruled out: a negation or a contrast in the same clause, a few words before the voice
    // ("not the active", "rather than active", "instead of passive", "passive over active").
    let ruled_out = |i: usize| {
        let clause_start = low[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, ',' | ';' | '.' | ':' | '—' | '('))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let before = text::words(&low[clause_start..i]);
        let near = &before[before.len().saturating_sub(4)..];
        let has = |w: &str| near.iter().any(|x| x == w);
        const AGAINST: &[&str] = &[
            "not", "no", "never", "don't", "dont", "avoid", "without", "instead", "over", "stop",
            "drop",
        ];
        AGAINST.iter().any(|w| has(w)) || (has("than") && has("rather"))
    };
    match (ruled_out(a), ruled_out(p)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// A clarifying question at the end of an assistant message, if it asks one.
pub(crate) fn question(message: &str) -> Option<&str> {
    let last = *text::sentences(message).last()?;
    (last.ends_with('?')
        && last.split_whitespace().count() <= 25
        && message.split_whitespace().count() <= 60)
        .then_some(last)
}

/// A short answer, normalised for comparison ("Instagram, please." → "instagram").
pub(crate) fn answer(message: &str) -> Option<String> {
    let first = *text::sentences(message).first()?;
    let w: Vec<String> = text::words(strip_lead(&first.to_lowercase()))
        .into_iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "it's" | "its" | "please" | "thanks" | "the" | "use" | "go" | "with"
            )
        })
        .collect();
    (!w.is_empty() && w.len() <= 6).then(|| w.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrective_grammar() {
        assert_eq!(
            corrective("Please don't use exclamation marks."),
            Some(Pol::Forbid)
        );
        assert_eq!(corrective("No emoji please"), Some(Pol::Forbid));
        assert_eq!(
            corrective("Thanks! Always sign off with the team name."),
            None
        );
        assert_eq!(
            corrective("Always sign off with the team name."),
            Some(Pol::Require)
        );
        assert_eq!(
            corrective("Can you use numbered steps?"),
            Some(Pol::Require)
        );
        assert_eq!(corrective("What a lovely draft"), None);
        assert_eq!(corrective("Is this for Instagram?"), None);
    }

    #[test]
    fn paraphrases_share_a_group() {
        let sets: Vec<Vec<String>> = [
            "Don't use exclamation marks.",
            "No exclamation marks, please.",
            "Never mention prices.",
        ]
        .iter()
        .map(|s| content_words(s))
        .collect();
        let (g, heads) = cluster(&sets);
        assert_eq!(g[0], g[1]);
        assert_ne!(g[0], g[2]);
        assert_eq!(heads.len(), 2);
    }

    #[test]
    fn active_and_passive_in_one_breath_is_the_active_voice_rule() {
        let active = Some((Pol::Forbid, Feature::Passive));
        for (pol, s) in [
            (Pol::Require, "Write in the active voice, not the passive."),
            (Pol::Require, "We write in active voice"),
            (Pol::Forbid, "No passive voice"),
            (
                Pol::Forbid,
                "Don't write passive sentences; active is clearer",
            ),
        ] {
            assert_eq!(topic(pol, &content_words(s)), active, "{s}");
        }
    }

    #[test]
    fn numbers_are_a_numbered_list_only_with_a_list_word() {
        let w = content_words("Don't hedge, we have the numbers");
        assert_eq!(
            topic(Pol::Forbid, &w),
            Some((Pol::Forbid, Feature::Hedging))
        );
        let w = content_words("Always add the order number");
        assert_eq!(topic(Pol::Require, &w), None);
        let w = content_words("Use numbered steps");
        assert_eq!(
            topic(Pol::Require, &w),
            Some((Pol::Require, Feature::Numbered))
        );
        // Every feature it names, the likeliest first.
        let w = content_words("No hashtags and no exclamation marks");
        assert_eq!(
            topics(Pol::Forbid, &w),
            [
                (Pol::Forbid, Feature::Exclaim),
                (Pol::Forbid, Feature::Hashtag)
            ]
        );
    }

    #[test]
    fn topics_of_list_style() {
        let w = content_words("No bullet points please");
        assert_eq!(
            topic(Pol::Forbid, &w),
            Some((Pol::Require, Feature::Numbered))
        );
        let w = content_words("Don't open with a question");
        assert_eq!(
            topic(Pol::Forbid, &w),
            Some((Pol::Forbid, Feature::QuestionHead))
        );
    }
}
