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
    pub words: Vec<String>,
    pub topic: Option<(Pol, Feature)>,
    /// A quoted phrase ("never say 'seamless'"), lowercased.
    pub phrase: Option<String>,
    pub number: Option<u32>,
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

pub(crate) fn read(entry: &MemoryEntry) -> Entry<'_> {
    let b = body(&entry.content);
    let first = text::sentences(b).into_iter().next().unwrap_or(b);
    let low = format!(" {} ", b.to_lowercase());
    let pol = corrections::corrective(first).unwrap_or({
        if [" never ", " don't ", " do not ", " avoid ", " no "]
            .iter()
            .any(|w| low.contains(w))
        {
            Pol::Forbid
        } else {
            Pol::Require
        }
    });
    let words = corrections::content_words(b);
    let topic = corrections::topic(pol, &words);
    let number = text::words(b).iter().find_map(|w| w.parse::<u32>().ok());
    Entry {
        entry,
        pol,
        words,
        topic,
        phrase: quoted(b),
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

/// `Some(true)` when the entry says the same as the finding, `Some(false)` when it says the
/// opposite, `None` when it is about something else.
pub(crate) fn compare(e: &Entry, t: &Terms) -> Option<bool> {
    if let (Some((tp, tf)), Some((ep, ef))) = (t.topic, e.topic) {
        let lists = [Feature::Bullets, Feature::Numbered];
        if tf == ef {
            if tf == Feature::MaxWords {
                if let (Some(a), Some(b)) = (t.number, e.number) {
                    let (a, b) = (a as f64, b as f64);
                    return Some((a - b).abs() <= 0.15 * a.max(b));
                }
            }
            return Some(tp == ep);
        }
        if lists.contains(&tf) && lists.contains(&ef) {
            return Some(false);
        }
        return None;
    }
    if t.topic.is_some() {
        return None;
    }
    if let Some(p) = &t.phrase {
        let pw: Vec<String> = text::words(p).iter().map(|w| text::stem(w)).collect();
        let hit = e.phrase.as_deref() == Some(p.as_str())
            || (!pw.is_empty() && pw.iter().all(|w| e.words.contains(w) || text::is_stop(w)));
        return hit.then_some(t.pol == e.pol);
    }
    let inter = t.words.iter().filter(|w| e.words.contains(w)).count();
    let union = t.words.len() + e.words.len() - inter;
    (union > 0 && inter * 2 >= union).then_some(t.pol == e.pol)
}

/// Memory entries whose scope covers a finding in `scope` (a team-wide entry covers all).
pub(crate) fn covers(entry: &Scope, scope: &Scope) -> bool {
    entry.is_empty() || entry == scope
}

/// Pairs of entries in the same scope that say the same thing; each entry in one pair at most.
pub(crate) fn duplicates<'a>(
    entries: &[Entry<'a>],
    skip: &[i64],
) -> Vec<(Entry<'a>, Entry<'a>, f64)> {
    let mut used: Vec<i64> = skip.to_vec();
    let mut out = Vec::new();
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.entry.id);
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if used.contains(&a.entry.id) || used.contains(&b.entry.id) {
                continue;
            }
            if a.entry.scope != b.entry.scope || a.pol != b.pol {
                continue;
            }
            let inter = a
                .words
                .iter()
                .filter(|w| b.words.iter().any(|x| text::same_word(w, x)))
                .count();
            let union = (a.words.len() + b.words.len())
                .saturating_sub(inter)
                .max(inter);
            let j = if union == 0 {
                0.0
            } else {
                inter as f64 / union as f64
            };
            let same_topic = a.topic.is_some() && a.topic == b.topic && a.number == b.number;
            let same_phrase = a.phrase.is_some() && a.phrase == b.phrase;
            if j >= 0.6 || same_topic || same_phrase {
                used.push(a.entry.id);
                used.push(b.entry.id);
                out.push((
                    (*a).clone(),
                    (*b).clone(),
                    j.max(if same_topic || same_phrase { 0.8 } else { 0.0 }),
                ));
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
        assert_eq!(compare(&e, &t), Some(false));
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
}
