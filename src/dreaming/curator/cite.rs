//! Checking the curator's proposals against the window: every proposal cites sessions of the
//! window and quotes that appear in them (whitespace, case, quote marks and our bracket
//! neutralising aside), targets live memory entries, and is not a duplicate of the offline
//! tier's proposals or of another curator proposal. What fails is dropped and counted.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::dreaming::offline::{DreamSession, ProposalDraft, RejectedPattern};
use crate::dreaming::safety;
use crate::model::scope_label;
use crate::model::{Evidence, MemoryEntry, ProposalOp, Scope};

/// Shortest quote that counts as evidence (a word or two proves nothing).
const MIN_QUOTE: usize = 8;
const MAX_CONTENT: usize = 600;

/// What came of the curator's answer.
#[derive(Debug, Default)]
pub struct Checked {
    pub kept: Vec<ProposalDraft>,
    /// Uncited, citing sessions outside the window, or quoting text that is not there.
    pub unsupported: usize,
    /// Malformed (unknown op, empty content, targets that are not live entries).
    pub malformed: usize,
    /// The same as an offline proposal or an earlier curator proposal.
    pub duplicates: usize,
    /// A pattern a person rejected before.
    pub rejected_before: usize,
    pub proposed: usize,
}

/// Lowercase, straight quotes, our neutralised brackets back, whitespace collapsed.
pub fn normalize(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '‹' => '<',
            '›' => '>',
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect();
    mapped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn haystack(s: &DreamSession) -> String {
    let mut t = String::new();
    for m in &s.messages {
        t.push_str(&m.content);
        t.push('\n');
    }
    for f in &s.feedback {
        for x in [&f.final_text, &f.comment].into_iter().flatten() {
            t.push_str(x);
            t.push('\n');
        }
    }
    normalize(&t)
}

fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(str::to_string)
        .collect()
}

fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return a.is_empty() && b.is_empty();
    }
    let inter = a.intersection(&b).count() as f64;
    let union = a.union(&b).count() as f64;
    inter / union >= 0.6
}

fn duplicate(a: &ProposalDraft, b: &ProposalDraft) -> bool {
    if a.op != b.op || a.scope != b.scope {
        return false;
    }
    let same_targets = !a.targets.is_empty() && {
        let (x, y): (BTreeSet<_>, BTreeSet<_>) =
            (a.targets.iter().collect(), b.targets.iter().collect());
        x == y
    };
    same_targets || similar(&a.content, &b.content)
}

/// A stable key for a curator proposal, so a rejection is remembered across dreams.
pub fn pattern(op: ProposalOp, scope: &Scope, content: &str) -> String {
    let key: Vec<String> = words(content).into_iter().take(12).collect();
    format!(
        "llm|{}|{}|{}",
        op.as_str(),
        scope_label(scope),
        key.join("-")
    )
}

fn parse_one(
    v: &Value,
    model: &str,
    sessions: &HashMap<&str, (String, i32)>,
    live: &HashSet<i64>,
) -> Result<ProposalDraft, bool> {
    // Err(true): unsupported evidence; Err(false): malformed.
    let op: ProposalOp = v["op"].as_str().and_then(|s| s.parse().ok()).ok_or(false)?;
    let content = v["content"].as_str().unwrap_or("").trim().to_string();
    if content.is_empty() || content.chars().count() > MAX_CONTENT {
        return Err(false);
    }
    let mut scope = Scope::new();
    for kv in v["scope"].as_array().into_iter().flatten() {
        let (Some(k), Some(val)) = (kv["key"].as_str(), kv["value"].as_str()) else {
            return Err(false);
        };
        if !k.trim().is_empty() {
            scope.insert(k.trim().to_string(), val.trim().to_string());
        }
    }
    let mut targets: Vec<i64> = v["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let needed = match op {
        ProposalOp::Add => {
            targets.clear();
            0
        }
        ProposalOp::Remove | ProposalOp::Refine => 1,
        ProposalOp::Merge => 2,
    };
    if targets.len() < needed || targets.iter().any(|t| !live.contains(t)) {
        return Err(false);
    }
    let mut evidence = Vec::new();
    for e in v["evidence"].as_array().into_iter().flatten() {
        let sid = e["session_id"].as_str().unwrap_or("").trim();
        let quote = e["quote"].as_str().unwrap_or("").trim();
        let q = normalize(quote.trim_end_matches('…').trim_matches('"'));
        let Some((hay, _)) = sessions.get(sid) else {
            return Err(true);
        };
        if q.chars().count() < MIN_QUOTE || !hay.contains(&q) {
            return Err(true);
        }
        evidence.push(Evidence {
            session_id: sid.to_string(),
            quote: quote.to_string(),
        });
    }
    if evidence.is_empty() {
        return Err(true);
    }
    // Only sessions whose quotes were found count as support (an unverified quote drops the
    // whole proposal above), so auto-apply's "3 sessions on 3 days" is about real evidence.
    let cited: BTreeSet<&str> = evidence.iter().map(|e| e.session_id.as_str()).collect();
    let support = cited.len() as u32;
    let support_days = cited
        .iter()
        .filter_map(|s| sessions.get(s).map(|(_, day)| *day))
        .collect::<BTreeSet<_>>()
        .len() as u32;
    let rationale = format!(
        "{} (Proposed by {model}.)",
        v["rationale"].as_str().unwrap_or("").trim()
    );
    let flags = safety::check(&content, &scope);
    let confidence = v["confidence"]
        .as_f64()
        .filter(|c| c.is_finite())
        .unwrap_or(0.5);
    let supporting: Vec<String> = cited.iter().map(|s| s.to_string()).collect();
    Ok(ProposalDraft {
        pattern: pattern(op, &scope, &content),
        op,
        content,
        scope,
        targets,
        evidence,
        confidence: confidence.clamp(0.0, 1.0),
        rationale: rationale.trim_start().to_string(),
        support,
        support_days,
        flags,
        supporting,
        impact: None,
    })
}

/// Check the curator's `{"proposals": […]}` against the window, memory, the offline tier's
/// proposals and past rejections.
pub fn check(
    answer: &Value,
    model: &str,
    sessions: &[DreamSession],
    memory: &[MemoryEntry],
    offline: &[ProposalDraft],
    rejected: &[RejectedPattern],
) -> Checked {
    let hay: HashMap<&str, (String, i32)> = sessions
        .iter()
        .map(|s| {
            let day = s.started_at.date_naive().to_epoch_days();
            (s.id.as_str(), (haystack(s), day))
        })
        .collect();
    let live: HashSet<i64> = memory.iter().map(|e| e.id).collect();
    let mut out = Checked::default();
    let items = answer["proposals"].as_array().cloned().unwrap_or_default();
    out.proposed = items.len();
    for v in &items {
        match parse_one(v, model, &hay, &live) {
            Err(true) => out.unsupported += 1,
            Err(false) => out.malformed += 1,
            Ok(p) if rejected.iter().any(|r| r.pattern == p.pattern) => out.rejected_before += 1,
            Ok(p) if offline.iter().chain(&out.kept).any(|o| duplicate(o, &p)) => {
                out.duplicates += 1
            }
            Ok(p) => out.kept.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_despite_whitespace_case_and_brackets() {
        let hay = normalize("Meet  our autumn\nblend! <b>Warm</b>");
        assert!(hay.contains(&normalize("meet our AUTUMN blend!")));
        assert!(hay.contains(&normalize("‹b›Warm‹/b›")));
        assert!(!hay.contains(&normalize("meet our winter blend")));
    }

    #[test]
    fn near_identical_content_is_a_duplicate() {
        assert!(similar(
            "Harbour Tea: never use exclamation marks.",
            "Never use exclamation marks for Harbour Tea."
        ));
        assert!(!similar(
            "Keep posts under 60 words.",
            "End with #RideFernwood."
        ));
    }
}
