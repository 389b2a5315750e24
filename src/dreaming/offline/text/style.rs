//! Style facts of a text: passive sentences, hedging, greetings, contractions, sentence
//! length (see `Shape`).

use super::{is_cjk, sentences, words, Shape};

/// Past participles that do not end in -ed.
#[rustfmt::skip]
const PARTICIPLES: &[&str] = &[
    "made", "done", "given", "taken", "sent", "built", "written", "shown", "seen", "known",
    "found", "held", "kept", "left", "paid", "sold", "told", "bought", "brought", "caught",
    "chosen", "driven", "eaten", "fallen", "forgotten", "gotten", "grown", "hidden", "led",
    "lost", "meant", "met", "put", "read", "run", "set", "shut", "spent", "spoken", "stolen",
    "taught", "thought", "thrown", "understood", "won", "worn", "broken", "begun", "drawn",
    "flown", "frozen", "ridden", "shaken", "torn", "hit", "cut", "let", "hurt", "quit",
    "spread", "dealt", "felt", "heard", "laid", "said", "sought", "fed", "shot", "got",
    "forgiven", "bitten", "hung", "struck", "sworn", "woven", "beaten",
];

/// -ed words that after "is" describe a state or feeling rather than an action done.
#[rustfmt::skip]
const STATE_ED: &[&str] = &[
    "interested", "excited", "tired", "pleased", "delighted", "thrilled", "supposed", "used",
    "bored", "scared", "worried", "married", "qualified", "based", "located", "closed", "open",
    "sorry", "glad", "happy", "proud", "ready", "aware", "excellent", "advanced", "dedicated",
    "committed", "talented", "experienced", "detailed", "limited", "need",
];

const BE: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "get", "gets", "got",
];

#[rustfmt::skip]
const HEDGES: &[&str] = &[
    "might", "maybe", "perhaps", "possibly", "probably", "somewhat", "arguably", "seemingly",
    "apparently", "hopefully", "presumably", "fairly",
];
/// Pairs of words that people who write with contractions would have contracted ("we are",
/// "do not"): a text with them and no contraction keeps the long forms on purpose.
#[rustfmt::skip]
const LONG_FORMS: &[(&str, &str)] = &[
    ("we", "are"), ("you", "are"), ("they", "are"), ("i", "am"), ("it", "is"), ("that", "is"),
    ("there", "is"), ("what", "is"), ("we", "will"), ("you", "will"), ("we", "have"),
    ("we", "would"), ("do", "not"), ("does", "not"), ("did", "not"), ("is", "not"),
    ("are", "not"), ("was", "not"), ("were", "not"), ("will", "not"), ("can", "not"),
    ("would", "not"), ("should", "not"), ("could", "not"), ("have", "not"), ("has", "not"),
    ("let", "us"),
];
#[rustfmt::skip]
const HEDGE_PAIRS: &[(&str, &str)] = &[
    ("i", "think"), ("we", "think"), ("i", "believe"), ("we", "believe"), ("kind", "of"),
    ("sort", "of"), ("it", "seems"), ("may", "be"), ("could", "potentially"), ("we", "feel"),
    ("i", "feel"), ("not", "sure"), ("in", "theory"), ("to", "some"),
];

#[rustfmt::skip]
const GREETINGS: &[&str] = &[
    "hi", "hello", "hey", "dear", "greetings", "hiya", "howdy", "morning",
];

fn is_participle(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ed") && !STATE_ED.contains(&w)) || PARTICIPLES.contains(&w)
}

/// Whether a sentence (its words) is in the passive voice: "was shipped", "is being
/// reviewed", "were quickly sent".
pub(crate) fn is_passive<S: AsRef<str>>(w: &[S]) -> bool {
    w.iter().enumerate().any(|(i, x)| {
        if !BE.contains(&x.as_ref()) {
            return false;
        }
        let mut j = i + 1;
        while j < w.len()
            && j <= i + 2
            && (w[j].as_ref().ends_with("ly")
                || [
                    "not", "being", "been", "already", "also", "now", "then", "just",
                ]
                .contains(&w[j].as_ref()))
        {
            j += 1;
        }
        w.get(j).is_some_and(|p| is_participle(p.as_ref()))
    })
}

/// A hedging word ("might", "perhaps"), or the second word of a hedging pair ("we think").
pub(crate) fn is_hedge(prev: Option<&str>, w: &str) -> bool {
    HEDGES.contains(&w) || prev.is_some_and(|p| HEDGE_PAIRS.contains(&(p, w)))
}

/// Every sentence of a text, line by line, with its words.
pub(crate) fn said(text: &str) -> Vec<(&str, Vec<String>)> {
    text.lines()
        .flat_map(sentences)
        .map(|s| (s, words(s)))
        .collect()
}

/// Style facts of a text's sentences, already split into words ([`said`]): sentence lengths,
/// passive sentences, contractions, hedging, a greeting.
pub(crate) fn style_of(said: &[(&str, Vec<String>)], shape: &mut Shape) {
    let mut first = true;
    for (sentence, w) in said {
        let sentence = *sentence;
        if w.is_empty() {
            continue;
        }
        if first {
            shape.greeting = GREETINGS.contains(&w[0].as_str())
                || (w.len() > 1
                    && w[0] == "good"
                    && ["morning", "afternoon", "evening"].contains(&w[1].as_str()))
                || ["您好", "你好", "亲爱的"]
                    .iter()
                    .any(|g| sentence.starts_with(g));
            first = false;
        }
        shape.sentences += 1;
        let n = if sentence.chars().any(is_cjk) {
            w.len()
        } else {
            w.iter().filter(|x| !x.starts_with('#')).count()
        } as u32;
        shape.longest = shape.longest.max(n);
        for (i, x) in w.iter().enumerate() {
            if x.contains('\'') {
                let contraction = x.ends_with("n't")
                    || ["'re", "'ll", "'ve", "'m", "'d"]
                        .iter()
                        .any(|e| x.ends_with(e))
                    || [
                        "it's", "that's", "there's", "let's", "here's", "what's", "who's", "he's",
                        "she's", "where's",
                    ]
                    .contains(&x.as_str());
                shape.contractions += contraction as u32;
            }
            if x == "cannot"
                || w.get(i + 1)
                    .is_some_and(|y| LONG_FORMS.contains(&(x.as_str(), y.as_str())))
            {
                shape.long_forms += 1;
            }
            if HEDGES.contains(&x.as_str())
                || w.get(i + 1)
                    .is_some_and(|y| HEDGE_PAIRS.contains(&(x.as_str(), y.as_str())))
            {
                shape.hedges += 1;
            }
            let _ = i;
        }
        shape.passive += is_passive(w) as u32;
    }
}
