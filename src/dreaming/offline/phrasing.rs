//! Writing a finding as one plain sentence a team lead understands, with the numbers behind
//! it, plus the stable pattern key used to remember rejections.

use super::support::{gram_len, Finding, Item, Pol};
use super::text::Feature;

/// Names needed to turn ids back into words.
pub(crate) struct Names<'a> {
    pub words: &'a [String],
    /// The word families behind `words`, to find a phrase in any of its forms.
    pub lex: &'a super::text::Lexicon,
    pub lines: &'a [String],
    /// Representative sentence of each correction group.
    pub said: &'a [String],
    /// A group's wording in one scope, from what people there said, where a group was found
    /// in a scope of its own.
    pub said_in: &'a rustc_hash::FxHashMap<(u32, super::support::ScopeTag), String>,
    /// Each question group's sample question and interned answers.
    pub questions: &'a [String],
    pub answers: &'a [String],
    pub seqs: &'a [Vec<String>],
}

pub(crate) struct Rendered {
    pub content: String,
    pub rationale: String,
    pub pattern: String,
}

pub(crate) fn phrase_text(item: &Item, n: &Names) -> Option<String> {
    match item {
        Item::Phrase(g) => Some(super::text::join_words(
            &g[..gram_len(g)]
                .iter()
                .map(|&w| n.words[w as usize].as_str())
                .collect::<Vec<_>>(),
        )),
        Item::Line(l) => Some(n.lines[*l as usize].clone()),
        _ => None,
    }
}

fn scope_label(f: &Finding) -> Option<String> {
    f.scope.as_ref().map(|s| match &s.0 {
        Some((_, v)) => v.clone(),
        None => "Untagged sessions".to_string(),
    })
}

pub(crate) fn scope_key(f: &Finding) -> String {
    match f.scope.as_ref().and_then(|s| s.0.as_ref()) {
        Some((k, v)) => format!("{k}={v}"),
        None => "team".into(),
    }
}

fn feature_rule(pol: Pol, f: Feature, limit: u32) -> String {
    match (pol, f) {
        (Pol::Forbid, Feature::Exclaim) => "no exclamation marks".into(),
        (Pol::Require, Feature::Exclaim) => "end on an exclamation mark".into(),
        (Pol::Forbid, Feature::QuestionHead) => "open with a statement, not a question".into(),
        (Pol::Require, Feature::QuestionHead) => "open with a question".into(),
        (_, Feature::Numbered) => "use numbered lists, not bullet points".into(),
        (_, Feature::Bullets) => "use bullet points, not numbered lists".into(),
        (Pol::Forbid, Feature::Emoji) => "no emoji".into(),
        (Pol::Require, Feature::Emoji) => "include an emoji".into(),
        (Pol::Forbid, Feature::Hashtag) => "no hashtags".into(),
        (Pol::Require, Feature::Hashtag) => "add hashtags".into(),
        (Pol::Forbid, Feature::Link) => "no links".into(),
        (Pol::Require, Feature::Link) => "include a link".into(),
        (Pol::Forbid, Feature::Ticket) => "leave out ticket references".into(),
        (Pol::Require, Feature::Ticket) => "include the ticket reference".into(),
        (_, Feature::MaxWords) => format!("keep it under {limit} words"),
        (Pol::Forbid, Feature::Passive) => {
            "write in the active voice (say who does what), not the passive".into()
        }
        (Pol::Require, Feature::Passive) => "use the passive voice".into(),
        (_, Feature::LongSentences) => {
            format!("keep sentences short, at most {limit} words each")
        }
        (Pol::Require, Feature::Contractions) => {
            "use contractions (we're, it's, don't) for a conversational tone".into()
        }
        (Pol::Forbid, Feature::Contractions) => {
            "don't use contractions: write \"we are\", not \"we're\"".into()
        }
        (Pol::Forbid, Feature::Greeting) => "don't open with a greeting".into(),
        (Pol::Require, Feature::Greeting) => "open with a greeting".into(),
        (Pol::Forbid, Feature::Hedging) => {
            "say things plainly, without hedging words such as \"might\", \"perhaps\" or \"we think\"".into()
        }
        (Pol::Require, Feature::Hedging) => {
            "soften claims with words such as \"might\" or \"perhaps\"".into()
        }
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s)
}

/// "'a'", "'a' or 'b'", "'a', 'b' or 'c'".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Where people put a line they require.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Place {
    First,
    Last,
    /// The sign-off above the sender's name.
    SignOff,
}

/// `position`: for a required line, where people put it.
pub(crate) fn render(
    f: &Finding,
    n: &Names,
    limit: u32,
    position: Option<Place>,
    original: Option<&str>,
) -> Rendered {
    let (pol, item) = f.key;
    let k = f.support.len() as u32;
    let total = k + f.contra;
    let scope = scope_key(f);
    let (rule, why, pattern) = match item {
        Item::Phrase(_) | Item::Line(_) => {
            let p = phrase_text(&item, n).unwrap_or_default();
            let shown = original.map(str::to_string).unwrap_or_else(|| p.clone());
            let kind = if matches!(item, Item::Line(_)) {
                "line"
            } else {
                "phrase"
            };
            match pol {
                Pol::Forbid => {
                    let alt = f
                        .alts
                        .first()
                        .filter(|(a, c)| *c * 2 >= k && !a.is_empty() && *a != p);
                    let what = if !p.contains(' ') {
                        "the word"
                    } else {
                        "the phrase"
                    };
                    // Other forms of the one word people removed ("synergies", "synergistic").
                    let others = match item {
                        Item::Phrase(g) if gram_len(&g) == 1 => n
                            .lex
                            .forms(g[0])
                            .into_iter()
                            .filter(|f| *f != p)
                            .take(3)
                            .map(quote)
                            .collect::<Vec<_>>(),
                        _ => vec![],
                    };
                    let also = match others.len() {
                        0 => String::new(),
                        _ => format!(" (nor {})", or_list(&others)),
                    };
                    // A phrase as the drafts had it, capitalised only if it was mid-sentence too.
                    let written = match original {
                        Some(o) if kind == "phrase" && p.contains(' ') => {
                            let mut c = o.chars();
                            match c.next() {
                                Some(f) if !c.as_str().chars().any(char::is_uppercase) => {
                                    f.to_lowercase().chain(c).collect()
                                }
                                _ => o.to_string(),
                            }
                        }
                        _ => p.clone(),
                    };
                    let rule = match alt {
                        Some((a, _)) => {
                            format!("use {} instead of {}{also}", quote(a), quote(&written))
                        }
                        None if kind == "line" => format!("leave out the line {}", quote(&shown)),
                        None => format!("never use {what} {}{also}", quote(&written)),
                    };
                    let verb = if alt.is_some() { "replaced" } else { "removed" };
                    (
                        rule,
                        format!("reviewers {verb} it in {k} of {total} drafts"),
                        format!("ban-{kind}|{scope}|{p}"),
                    )
                }
                Pol::Require => {
                    let rule = if kind == "line" {
                        let at = match position {
                            Some(Place::First) => "start with",
                            Some(Place::SignOff) => "sign off with",
                            _ => "end with",
                        };
                        format!("{at} {}", quote(&shown))
                    } else if p.starts_with('#') {
                        format!("always include the hashtag {}", shown)
                    } else {
                        format!("always include {}", quote(&shown))
                    };
                    (
                        rule,
                        format!("reviewers added it in {k} of {total} drafts"),
                        format!("require-{kind}|{scope}|{p}"),
                    )
                }
            }
        }
        Item::Feature(feat) => {
            let rule = feature_rule(pol, feat, limit);
            let why = if feat == Feature::LongSentences {
                format!("reviewers split long sentences in {k} sessions")
            } else if feat == Feature::MaxWords {
                format!(
                    "reviewers cut drafts down in {k} sessions and no text they used ran longer"
                )
            } else {
                format!("reviewers changed this in {k} of {total} drafts")
            };
            let p = match pol {
                Pol::Forbid => "no",
                Pol::Require => "yes",
            };
            (rule, why, format!("style-{p}-{}|{scope}", feat.name()))
        }
        Item::Said(g) => {
            let said = f
                .scope
                .as_ref()
                .and_then(|s| n.said_in.get(&(g, s.clone())))
                .unwrap_or(&n.said[g as usize]);
            let rep = said.trim_end_matches(['.', '!', ' ']).to_string();
            let p = match pol {
                Pol::Forbid => "no",
                Pol::Require => "yes",
            };
            // The pattern keeps the group's own wording, whatever the scope's: a rejection
            // is remembered by its pattern.
            let group = n.said[g as usize].trim_end_matches(['.', '!', ' ']);
            (
                lower_first(&rep),
                format!("people asked for this in {k} sessions on {} days", f.days),
                format!("said-{p}|{scope}|{}", group.to_lowercase()),
            )
        }
        Item::Answer(q, a) => {
            let question = &n.questions[q as usize];
            let answer = original.unwrap_or(&n.answers[a as usize]);
            (
                format!(
                    "assume {} rather than asking {}",
                    quote(answer),
                    quote(question)
                ),
                format!("the answer was the same in {k} of {total} sessions"),
                format!(
                    "answer|{scope}|{}={}",
                    question.to_lowercase(),
                    n.answers[a as usize]
                ),
            )
        }
        Item::Workflow(s) => {
            let seq = n.seqs[s as usize].join(" → ");
            (
                format!("follow the steps {seq}"),
                format!(
                    "{k} of {total} sessions that did went well, against {} of {} that did something else",
                    f.other_ok, f.other_n
                ),
                format!("workflow|{scope}|{seq}"),
            )
        }
    };
    let reach = if f.scope.is_none() && f.scopes_held > 1 {
        format!(
            ", across {} different clients or groups at once",
            f.scopes_held
        )
    } else {
        String::new()
    };
    // The content is the rule alone: it becomes the memory entry the agent reads, so the
    // numbers behind it live in the rationale, where they stay true.
    let content = match scope_label(f) {
        Some(label) => format!("{label}: {rule}."),
        None => format!("{}.", upper_first(&rule)),
    };
    let against = match f.contra {
        0 => "no text people used went against it".to_string(),
        1 => "1 text people used went against it".to_string(),
        c => format!("{c} texts people used went against it"),
    };
    // The strength is shown beside the change in words ("Strong: 6 sessions on 4 days"); the
    // rationale says what was seen, not a percentage.
    let rationale = format!(
        "{}{reach}. Seen in {k} sessions on {} different days; {against}.",
        upper_first(&why),
        f.days,
    );
    Rendered {
        content,
        rationale,
        pattern,
    }
}

pub(crate) fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), s.chars().nth(1)) {
        // Keep "I" and acronyms as typed.
        (Some(f), Some(n)) if !n.is_uppercase() => f.to_lowercase().chain(c).collect(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dreaming::offline::support::{ScopeTag, NONE};

    #[test]
    fn a_ban_reads_as_a_sentence_with_numbers() {
        let mut lex = crate::dreaming::offline::text::Lexicon::default();
        lex.ids("seamless smooth");
        let words = lex.words.clone();
        let n = Names {
            words: &words,
            lex: &lex,
            lines: &[],
            said: &[],
            said_in: &Default::default(),
            questions: &[],
            answers: &[],
            seqs: &[],
        };
        let f = Finding {
            key: (Pol::Forbid, Item::Phrase([0, NONE, NONE, NONE])),
            scope: Some(ScopeTag(Some(("client".into(), "Harbour Tea".into())))),
            support: vec![1, 2, 3, 4, 5, 6],
            contra: 0,
            days: 5,
            confidence: 0.7,
            scopes_held: 1,
            alts: vec![],
            max_words: 0,
            other_n: 0,
            other_ok: 0,
        };
        let r = render(&f, &n, 0, None, None);
        assert_eq!(r.content, "Harbour Tea: never use the word 'seamless'.");
        assert!(
            r.rationale.starts_with(
                "Reviewers removed it in 6 of 6 drafts. Seen in 6 sessions on 5 different days"
            ),
            "{}",
            r.rationale
        );
        assert_eq!(r.pattern, "ban-phrase|client=Harbour Tea|seamless");
    }
}
