//! Auto-apply, safe by construction rather than by a keyword list: only a new entry may change
//! memory without a person, only when sessions on several days support it, and only when the
//! safety check found nothing in it. Every proposal of an auto-apply dream gets a sentence
//! saying why it was applied or why it waits.

use crate::dreaming::offline::ProposalDraft;
use crate::model::ProposalOp;
use crate::rubric::DreamingSettings;

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// `Ok(why it may be applied)` or `Err(why it waits for a person)`.
pub fn decide(p: &ProposalDraft, settings: &DreamingSettings) -> Result<String, String> {
    let waits = |why: String| Err(format!("Waits for you: {why}."));
    match p.op {
        ProposalOp::Add => {}
        ProposalOp::Remove => return waits("removing an entry always needs a person".into()),
        ProposalOp::Refine => return waits("changing an entry always needs a person".into()),
        ProposalOp::Merge => return waits("combining entries always needs a person".into()),
    }
    if !p.flags.is_empty() {
        let found: Vec<&str> = p.flags.iter().map(|f| f.detail.as_str()).collect();
        return waits(format!("it contains {}", found.join("; ")));
    }
    let (sessions, days) = (settings.min_sessions(), settings.min_days());
    if p.support < sessions || p.support_days < days {
        return waits(format!(
            "it was seen in {} on {}, and applying without a person needs at least {} on {}",
            plural(p.support, "session"),
            plural(p.support_days, "day"),
            plural(sessions, "session"),
            plural(days, "different day"),
        ));
    }
    Ok(format!(
        "Applied without a person: a new entry seen in {} on {}, with nothing flagged in it.",
        plural(p.support, "session"),
        plural(p.support_days, "different day"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flag, FlagKind, Scope};
    use crate::rubric::Rubric;

    fn add(support: u32, days: u32) -> ProposalDraft {
        ProposalDraft {
            op: ProposalOp::Add,
            content: "Keep posts under 60 words.".into(),
            scope: Scope::new(),
            targets: vec![],
            evidence: vec![],
            confidence: 0.9,
            rationale: String::new(),
            pattern: "p".into(),
            support,
            support_days: days,
            flags: vec![],
            supporting: vec![],
            impact: None,
        }
    }

    #[test]
    fn only_well_supported_unflagged_additions_apply() {
        let d = Rubric::default().dreaming;
        assert!(decide(&add(3, 3), &d).is_ok());
        let one_day = decide(&add(12, 1), &d).unwrap_err();
        assert!(one_day.contains("12 sessions on 1 day"), "{one_day}");
        assert!(decide(&add(2, 2), &d).is_err());
        for op in [ProposalOp::Remove, ProposalOp::Refine, ProposalOp::Merge] {
            let mut p = add(50, 20);
            p.op = op;
            assert!(decide(&p, &d).is_err(), "{op:?}");
        }
        let mut p = add(9, 9);
        p.flags = vec![Flag {
            kind: FlagKind::Link,
            detail: "a web address (bit.ly/x)".into(),
        }];
        let why = decide(&p, &d).unwrap_err();
        assert!(why.contains("bit.ly/x"), "{why}");
    }

    #[test]
    fn a_rubric_may_raise_the_bar_but_never_lower_it() {
        let mut d = Rubric::default().dreaming;
        d.auto_apply_min_sessions = Some(1);
        d.auto_apply_min_days = Some(1);
        assert!(decide(&add(2, 2), &d).is_err(), "the floor is 3 on 3");
        d.auto_apply_min_sessions = Some(10);
        d.auto_apply_min_days = Some(5);
        assert!(decide(&add(9, 9), &d).is_err());
        assert!(decide(&add(10, 5), &d).is_ok());
    }
}
