//! Scoring proposals against planted truth. Matching is domain-agnostic: a proposal matches a
//! truth when its scope is the truth's scope, its operation fits, and one of the truth's key
//! terms appears in its text as whole words (a length matches any number within 10%). Chinese
//! has no spaces between words, so next to a CJK character a key needs no word boundary.
//! A refine or remove of a memory entry the sessions agree with is a trap whatever its words.

use reverie::dreaming::offline::ProposalDraft;
use reverie::model::ProposalOp;

use super::gen::{Trap, Truth, Workload};

#[derive(Debug, Default)]
pub struct Score {
    pub truths: usize,
    pub found: usize,
    pub proposals: usize,
    pub matched: usize,
    pub traps: Vec<String>,
    pub stale: bool,
    pub dupes: bool,
    pub missed: Vec<String>,
    pub unmatched: Vec<String>,
}

impl Score {
    pub fn recall(&self) -> f64 {
        if self.truths == 0 {
            1.0
        } else {
            self.found as f64 / self.truths as f64
        }
    }
    pub fn precision(&self) -> f64 {
        if self.proposals == 0 {
            1.0
        } else {
            self.matched as f64 / self.proposals as f64
        }
    }
}

/// CJK ideographs, kana, hangul and full-width forms: scripts written without spaces.
fn cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

fn has_term(text: &str, term: &str) -> bool {
    let t = text.to_lowercase();
    let (first, last) = (term.chars().next(), term.chars().next_back());
    // A word boundary is needed between two letters of spaced scripts only.
    let apart =
        |c: char, edge: Option<char>| !c.is_alphanumeric() || cjk(c) || edge.is_some_and(cjk);
    t.match_indices(term).any(|(i, _)| {
        let before = t[..i].chars().next_back().is_none_or(|c| apart(c, first));
        let after = t[i + term.len()..]
            .chars()
            .next()
            .is_none_or(|c| apart(c, last));
        before && after
    })
}

fn scope_value(p: &ProposalDraft, tag: &str) -> Option<String> {
    p.scope.get(tag).cloned()
}

/// "(repo: web) " for a scoped proposal, nothing for a team-wide one.
fn scope_note(p: &ProposalDraft, tag: &str) -> String {
    scope_value(p, tag)
        .map(|v| format!("({tag}: {v}) "))
        .unwrap_or_default()
}

fn matches(p: &ProposalDraft, t: &Truth, tag: &str) -> bool {
    match t.op {
        "refine" => {
            matches!(p.op, ProposalOp::Refine | ProposalOp::Remove)
                && t.targets.iter().all(|x| p.targets.contains(x))
        }
        "merge" => p.op == ProposalOp::Merge && t.targets.iter().all(|x| p.targets.contains(x)),
        _ => {
            if !matches!(p.op, ProposalOp::Add | ProposalOp::Refine)
                || scope_value(p, tag) != t.scope
            {
                return false;
            }
            if t.kind == "length" {
                let n: f64 = t.keys[0].parse().unwrap_or(0.0);
                return p
                    .content
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|x| x.parse::<f64>().ok())
                    .any(|x| (x - n).abs() <= 0.1 * n);
            }
            t.keys.iter().any(|k| has_term(&p.content, k))
        }
    }
}

/// A refine or remove of an entry the sessions agree with (or never touch).
fn is_entry_trap(p: &ProposalDraft, t: &Trap) -> bool {
    !t.targets.is_empty()
        && matches!(p.op, ProposalOp::Refine | ProposalOp::Remove)
        && p.targets.iter().any(|x| t.targets.contains(x))
}

fn is_trap(p: &ProposalDraft, t: &Trap, tag: &str) -> bool {
    if p.op == ProposalOp::Merge {
        return false;
    }
    if !t.targets.is_empty() {
        return is_entry_trap(p, t);
    }
    let scope_ok = match &t.except_scope {
        Some(home) => scope_value(p, tag).as_deref() != Some(home.as_str()),
        None => true,
    };
    let only_ok = match &t.only_scope {
        Some(only) => scope_value(p, tag) == *only,
        None => true,
    };
    scope_ok && only_ok && t.keys.iter().any(|k| has_term(&p.content, k))
}

pub fn score(w: &Workload, proposals: &[ProposalDraft]) -> Score {
    let mut s = Score {
        proposals: proposals.len(),
        ..Default::default()
    };
    let main: Vec<&Truth> = w.truths.iter().filter(|t| t.op == "add").collect();
    s.truths = main.len();
    let mut taken = vec![false; main.len()];
    let hygiene: Vec<&Truth> = w.truths.iter().filter(|t| t.op != "add").collect();
    let mut handled = vec![false; hygiene.len()];
    for p in proposals {
        // Changing an entry the evidence agrees with is wrong whatever else the text says.
        if let Some(t) = w.traps.iter().find(|t| is_entry_trap(p, t)) {
            s.traps.push(format!(
                "{}: [{} {:?}] {}",
                t.kind,
                p.op.as_str(),
                p.targets,
                p.content
            ));
            s.unmatched.push(format!(
                "[{} {:?}] {}{}",
                p.op.as_str(),
                p.targets,
                scope_note(p, w.tag),
                p.content
            ));
            continue;
        }
        let mut ok = false;
        for (i, t) in main.iter().enumerate() {
            if !taken[i] && matches(p, t, w.tag) {
                taken[i] = true;
                ok = true;
                break;
            }
        }
        for (i, t) in hygiene.iter().enumerate() {
            if matches(p, t, w.tag) {
                ok = true;
                handled[i] = true;
                if t.op == "refine" {
                    s.stale = true;
                } else {
                    s.dupes = true;
                }
            }
        }
        if let Some(t) = w.traps.iter().find(|t| !ok && is_trap(p, t, w.tag)) {
            s.traps
                .push(format!("{}: {}{}", t.kind, scope_note(p, w.tag), p.content));
        }
        if ok {
            s.matched += 1;
        } else {
            s.unmatched.push(format!(
                "[{}] {}{}   ({})",
                p.op.as_str(),
                scope_note(p, w.tag),
                p.content,
                p.pattern
            ));
        }
    }
    s.found = taken.iter().filter(|x| **x).count();
    for (i, t) in main.iter().enumerate() {
        if !taken[i] {
            s.missed
                .push(format!("{} {:?} {:?}", t.kind, t.scope, t.keys));
        }
    }
    for (i, t) in hygiene.iter().enumerate() {
        if !handled[i] {
            s.missed
                .push(format!("{} ({} of entries {:?})", t.kind, t.op, t.targets));
        }
    }
    s
}
