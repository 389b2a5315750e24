//! Whether memory helped, measured with the matchers the dreamer finds patterns with: each
//! session graded once as a dream would grade it, and for each memory entry a test of whether a
//! draft breaks it (a word or phrase it bans, a structure it bans or requires, a length limit).

use crate::model::{Grade, MemoryEntry, Role};
use crate::rubric::Rubric;

use super::hygiene::{self, covers};
use super::support::Pol;
use super::text::{self, Feature};
use super::{grade, DreamSession};

/// Each session's grades as a dream with this rubric and memory gives them.
pub fn grade_sessions(
    rubric: &Rubric,
    memory: &[MemoryEntry],
    sessions: &[DreamSession],
) -> Vec<(String, Vec<Grade>)> {
    let entries: Vec<hygiene::Entry> = memory.iter().map(hygiene::read).collect();
    sessions
        .iter()
        .map(|s| {
            let forbidden: Vec<(String, String)> = entries
                .iter()
                .filter(|e| e.pol == Pol::Forbid && covers(&e.entry.scope, &s.tags))
                .filter_map(|e| e.phrase.clone().map(|p| (p, e.entry.content.clone())))
                .collect();
            let signs = grade::signs(s, &forbidden);
            (s.id.clone(), grade::grade_session(rubric, s, &signs))
        })
        .collect()
}

/// What breaking an entry means for a draft; `None` when the entry says nothing a draft's text
/// can be checked against (a workflow, a fact to remember).
pub struct Matcher {
    test: Box<dyn Fn(&str) -> bool + Send + Sync>,
    /// "used an exclamation mark", "said \"seamless\"", "had no hashtag".
    pub words: String,
}

impl Matcher {
    pub fn breaks(&self, draft: &str) -> bool {
        (self.test)(draft)
    }
}

fn feature_words(f: Feature, present: bool) -> &'static str {
    match (f, present) {
        (Feature::Exclaim, true) => "used an exclamation mark",
        (Feature::Exclaim, false) => "had no exclamation mark",
        (Feature::QuestionHead, true) => "opened with a question",
        (Feature::QuestionHead, false) => "did not open with a question",
        (Feature::Bullets, true) => "used bullet points",
        (Feature::Bullets, false) => "had no bullet points",
        (Feature::Numbered, true) => "used a numbered list",
        (Feature::Numbered, false) => "had no numbered list",
        (Feature::Emoji, true) => "used an emoji",
        (Feature::Emoji, false) => "had no emoji",
        (Feature::Hashtag, true) => "used a hashtag",
        (Feature::Hashtag, false) => "had no hashtag",
        (Feature::Link, true) => "had a link",
        (Feature::Link, false) => "had no link",
        (Feature::Ticket, true) => "named a ticket",
        (Feature::Ticket, false) => "named no ticket",
        (Feature::MaxWords, _) => "ran over the length limit",
        (Feature::Passive, true) => "used the passive voice",
        (Feature::Passive, false) => "had no passive sentence",
        (Feature::LongSentences, _) => "had long sentences",
        (Feature::Contractions, true) => "used contractions",
        (Feature::Contractions, false) => "used no contractions",
        (Feature::Greeting, true) => "opened with a greeting",
        (Feature::Greeting, false) => "had no greeting",
        (Feature::Hedging, true) => "hedged",
        (Feature::Hedging, false) => "did not hedge",
    }
}

/// How a draft breaks `entry`, if the entry says something a draft can be checked against.
pub fn matcher(entry: &MemoryEntry) -> Option<Matcher> {
    let e = hygiene::read(entry);
    if let (Pol::Forbid, Some(phrase)) = (e.pol, e.phrase.clone()) {
        return Some(Matcher {
            words: format!("said \"{phrase}\""),
            test: Box::new(move |d| grade::contains_word(&d.to_lowercase(), &phrase)),
        });
    }
    let (pol, f) = e.topic?;
    match (pol, f) {
        (_, Feature::MaxWords) => {
            let limit = e.number?;
            Some(Matcher {
                words: format!("ran over {limit} words"),
                test: Box::new(move |d| text::shape(d).words > limit),
            })
        }
        (_, Feature::LongSentences) => {
            let limit = e.number.unwrap_or(25);
            Some(Matcher {
                words: format!("had a sentence over {limit} words"),
                test: Box::new(move |d| text::shape(d).longest > limit),
            })
        }
        (Pol::Forbid, f) => Some(Matcher {
            words: feature_words(f, true).into(),
            test: Box::new(move |d| text::shape(d).has(f)),
        }),
        (Pol::Require, f) => Some(Matcher {
            words: feature_words(f, false).into(),
            test: Box::new(move |d| !text::shape(d).has(f)),
        }),
    }
}

/// The drafts of a session: the answers people gave a verdict on, or else its last answer.
pub fn drafts(s: &DreamSession) -> Vec<&str> {
    let judged: Vec<&str> = s
        .feedback
        .iter()
        .filter_map(|f| s.messages.get(f.message as usize))
        .filter(|m| m.role == Role::Assistant && !m.content.trim().is_empty())
        .map(|m| m.content.as_str())
        .collect();
    if !judged.is_empty() {
        return judged;
    }
    s.messages
        .iter()
        .rev()
        .find(|m| m.role == Role::Assistant && !m.content.trim().is_empty())
        .map(|m| vec![m.content.as_str()])
        .unwrap_or_default()
}

/// Whether `entry` applies to a session with these tags.
pub fn applies(entry: &MemoryEntry, s: &DreamSession) -> bool {
    covers(&entry.scope, &s.tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MemorySource, Scope};
    use chrono::Utc;

    fn entry(content: &str) -> MemoryEntry {
        MemoryEntry {
            id: 1,
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
    fn entries_become_checks_on_drafts() {
        let m = matcher(&entry("No exclamation marks in posts.")).expect("a structure it bans");
        assert!(m.breaks("Our new blend is here!"));
        assert!(!m.breaks("Our new blend is here."));
        let m = matcher(&entry("Never say \"seamless\".")).expect("a word it bans");
        assert!(m.breaks("A seamless checkout."));
        assert!(!m.breaks("A smooth checkout."));
        assert!(
            matcher(&entry("The shop closes on Mondays.")).is_none(),
            "a fact, not a check"
        );
    }
}
