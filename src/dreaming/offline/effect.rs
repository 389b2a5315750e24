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
    let banned = hygiene::Banned::of(&entries);
    sessions
        .iter()
        .map(|s| {
            let signs = grade::signs(s, &banned.for_tags(&s.tags));
            (s.id.clone(), grade::grade_session(rubric, s, &signs))
        })
        .collect()
}

/// The drafts an entry is about, in words: "Drafts" for a team-wide one, "Drafts for Harbour
/// Tea" for a client's.
pub fn whose_drafts(scope: &crate::model::Scope) -> String {
    if scope.is_empty() {
        "Drafts".to_string()
    } else {
        format!(
            "Drafts for {}",
            scope.values().cloned().collect::<Vec<_>>().join(", ")
        )
    }
}

/// Days an entry has been in memory before its effect is judged.
pub const JUDGE_AFTER_DAYS: i64 = 21;

/// What breaking an entry means for a draft; `None` when the entry says nothing a draft's text
/// can be checked against (a workflow, a fact to remember).
pub struct Matcher {
    test: Box<dyn Fn(&Draft) -> bool + Send + Sync>,
    /// "used an exclamation mark", "said \"seamless\"", "had no hashtag".
    pub words: String,
}

impl Matcher {
    pub fn breaks(&self, draft: &str) -> bool {
        (self.test)(&Draft::new(draft))
    }

    /// [`Matcher::breaks`] for a draft many matchers check: it is read once for all of them.
    pub fn breaks_draft(&self, draft: &Draft) -> bool {
        (self.test)(draft)
    }
}

/// A draft as matchers read it, its shape worked out on first use: every proposal and memory
/// entry checks the same drafts, and reading them is the work.
pub struct Draft<'a> {
    text: &'a str,
    shape: std::cell::OnceCell<text::Shape>,
    /// Its lowercase, kept only for a window's drafts (see [`Draft::keeping_lowercase`]).
    lower: Option<std::cell::OnceCell<String>>,
}

impl<'a> Draft<'a> {
    pub fn new(text: &'a str) -> Self {
        Draft {
            text,
            shape: Default::default(),
            lower: None,
        }
    }

    /// A draft of a dream's window, which many proposals' banned phrases are checked against:
    /// its lowercase is kept too. (A whole history, checked for Progress, keeps only shapes: a
    /// copy of every draft would double what it holds.)
    pub fn keeping_lowercase(text: &'a str) -> Self {
        Draft {
            lower: Some(Default::default()),
            ..Draft::new(text)
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Its shape, as the dream already read it (reading it again is the cost being saved).
    pub(crate) fn know(&self, shape: text::Shape) {
        let _ = self.shape.set(shape);
    }

    /// Reads the shapes of drafts that will all be checked and are not read yet, up front,
    /// on two threads.
    pub(crate) fn read_all(drafts: &[&Draft]) {
        let unread: Vec<&&Draft> = drafts.iter().filter(|d| d.shape.get().is_none()).collect();
        let texts: Vec<&str> = unread.iter().map(|d| d.text).collect();
        let shapes = text::par_map(&texts, |t| text::shape(t));
        for (d, s) in unread.into_iter().zip(shapes) {
            d.know(s);
        }
    }

    fn shape(&self) -> &text::Shape {
        self.shape.get_or_init(|| text::shape(self.text))
    }

    fn lower(&self) -> std::borrow::Cow<'_, str> {
        match &self.lower {
            Some(kept) => kept
                .get_or_init(|| self.text.to_lowercase())
                .as_str()
                .into(),
            None => self.text.to_lowercase().into(),
        }
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
            test: Box::new(move |d| grade::contains_word(&d.lower(), &phrase)),
        });
    }
    let (pol, f) = e.topic?;
    match (pol, f) {
        (_, Feature::MaxWords) => {
            let limit = e.number?;
            Some(Matcher {
                words: format!("ran over {limit} words"),
                test: Box::new(move |d| d.shape().words > limit),
            })
        }
        (_, Feature::LongSentences) => {
            let limit = e.number.unwrap_or(25);
            Some(Matcher {
                words: format!("had a sentence over {limit} words"),
                test: Box::new(move |d| d.shape().longest > limit),
            })
        }
        (Pol::Forbid, f) => Some(Matcher {
            words: feature_words(f, true).into(),
            test: Box::new(move |d| d.shape().has(f)),
        }),
        (Pol::Require, f) => Some(Matcher {
            words: feature_words(f, false).into(),
            test: Box::new(move |d| !d.shape().has(f)),
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

/// Memory entries that did not change what the agent writes (enough drafts and weeks since
/// they entered memory, and drafts in their scope break them as often as before), as
/// proposals to remove them with those numbers as the reason. `history`: the agent's sessions
/// (all of them, so "before" has a baseline); `skip`: entries another proposal already changes.
pub fn unhelpful(
    memory: &[MemoryEntry],
    history: &[&DreamSession],
    now: chrono::DateTime<chrono::Utc>,
    skip: &[i64],
) -> Vec<super::ProposalDraft> {
    use crate::model::{EffectVerdict, Evidence, ProposalOp};
    let candidates: Vec<MemoryEntry> = memory
        .iter()
        .filter(|e| !skip.contains(&e.id))
        .cloned()
        .collect();
    let mut out = Vec::new();
    for fx in crate::store::progress::entry_effects(&candidates, history, now) {
        if fx.verdict != EffectVerdict::NoChange {
            continue;
        }
        let Some(entry) = candidates.iter().find(|e| e.id == fx.id) else {
            continue;
        };
        let Some(m) = matcher(entry) else { continue };
        // The drafts since that still broke it, newest first: what the person can open.
        let mut broke: Vec<(&DreamSession, &str)> = history
            .iter()
            .filter(|s| s.started_at >= entry.created_at && applies(entry, s))
            .filter_map(|s| drafts(s).into_iter().find(|d| m.breaks(d)).map(|d| (*s, d)))
            .collect();
        broke.sort_by_key(|(s, _)| std::cmp::Reverse(s.started_at));
        let evidence: Vec<Evidence> = broke
            .iter()
            .take(super::evidence::MAX_EVIDENCE)
            .map(|(s, d)| Evidence {
                session_id: s.id.clone(),
                quote: quote_breaking(d, &m),
            })
            .collect();
        let mut days: Vec<chrono::NaiveDate> = broke
            .iter()
            .map(|(s, _)| s.started_at.date_naive())
            .collect();
        days.sort_unstable();
        days.dedup();
        let weeks = (now - entry.created_at).num_days() / 7;
        out.push(super::ProposalDraft {
            op: ProposalOp::Remove,
            content: entry.content.clone(),
            scope: entry.scope.clone(),
            targets: vec![entry.id],
            evidence,
            // Clear numbers, but an entry may matter for reasons drafts do not show.
            confidence: 0.6,
            rationale: format!(
                "It has not changed what the agent writes. {} {}: {} of {} before it entered memory on {}, {} of {} in the {} weeks since. Remove it, or reword it so the agent follows it.",
                whose_drafts(&entry.scope),
                m.words,
                fx.before.n,
                fx.before.of,
                entry.created_at.format("%b %-d"),
                fx.after.n,
                fx.after.of,
                weeks
            ),
            pattern: format!("unhelpful|{}", entry.id),
            support: broke.len() as u32,
            support_days: days.len() as u32,
            flags: vec![],
            supporting: broke.iter().map(|(s, _)| s.id.clone()).collect(),
            impact: None,
        });
    }
    out
}

/// The sentence of `draft` that breaks the check, or its start.
fn quote_breaking(draft: &str, m: &Matcher) -> String {
    let sentence = draft
        .split_inclusive(['.', '!', '?', '\n', '。', '！', '？'])
        .map(str::trim)
        .find(|s| !s.is_empty() && m.breaks(s))
        .unwrap_or(draft.trim());
    let mut q: String = sentence.chars().take(160).collect();
    if q.len() < sentence.len() {
        q.push('…');
    }
    q
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
