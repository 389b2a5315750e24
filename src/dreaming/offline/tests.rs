//! End-to-end checks of `run` on small hand-made windows.

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::model::{Role, Verdict};

fn msg(role: Role, c: &str) -> Message {
    Message {
        role,
        content: c.into(),
        tool_calls: vec![],
        stopped: false,
    }
}

fn session(
    n: usize,
    client: &str,
    draft: &str,
    fin: Option<&str>,
    follow: Option<&str>,
) -> DreamSession {
    let mut messages = vec![
        msg(Role::User, "Draft today's post."),
        msg(Role::Assistant, draft),
    ];
    if let Some(f) = follow {
        messages.push(msg(Role::User, f));
    }
    DreamSession {
        id: format!("{client}-{n}"),
        started_at: Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap()
            + Duration::hours(13 * n as i64),
        tags: Scope::from([("client".to_string(), client.to_string())]),
        messages,
        feedback: vec![Feedback {
            message: 1,
            verdict: if fin.is_some() {
                Verdict::Revised
            } else {
                Verdict::Accepted
            },
            final_text: fin.map(str::to_string),
            comment: None,
        }],
        outcomes: BTreeMap::new(),
    }
}

fn window() -> Vec<DreamSession> {
    let mut out = Vec::new();
    for n in 0..8 {
        out.push(session(
            n,
            "Harbour Tea",
            "Our seamless autumn blend is here. Warm up with a cup today.",
            Some("Our smooth autumn blend is here. Warm up with a cup today."),
            None,
        ));
        out.push(session(
            n,
            "Bright Bakery",
            "A seamless morning starts with our rye. Come by soon.",
            None,
            None,
        ));
    }
    out.push(session(
        9,
        "Harbour Tea",
        "Meet the team at the market.",
        Some("Meet the team at the market. Happy Friday, friends."),
        Some("Casual tone for this Friday post only."),
    ));
    out
}

fn input<'a>(
    rubric: &'a Rubric,
    sessions: &'a [DreamSession],
    rejected: &'a [RejectedPattern],
) -> DreamInput<'a> {
    DreamInput {
        rubric,
        sessions,
        memory: &[],
        rejected,
        now: Utc::now(),
    }
}

#[test]
fn a_client_rule_is_proposed_for_that_client_only() {
    let rubric = Rubric::default();
    let sessions = window();
    let out = run(&input(&rubric, &sessions, &[]));
    assert_eq!(out.grades.len(), sessions.len());
    assert_eq!(out.proposals.len(), 1, "{:#?}", out.proposals);
    let p = &out.proposals[0];
    assert_eq!(
        p.scope,
        Scope::from([("client".to_string(), "Harbour Tea".to_string())])
    );
    assert!(
        p.content.contains("'seamless'") && p.rationale.contains("8 of 8"),
        "{}",
        p.content
    );
    assert!(!p.content.to_lowercase().contains("friday"));
    assert!(p.confidence > 0.5 && p.confidence <= 1.0);
    for e in &p.evidence {
        let s = sessions.iter().find(|s| s.id == e.session_id).unwrap();
        assert!(s.messages.iter().any(|m| m.content.contains(&e.quote)));
        assert!(e.quote.chars().count() <= 120);
    }
    // Deterministic.
    let again = run(&input(&rubric, &sessions, &[]));
    assert_eq!(again.proposals, out.proposals);
}

#[test]
fn a_rejected_pattern_is_held_back_until_support_doubles() {
    let rubric = Rubric::default();
    let sessions = window();
    let pattern = run(&input(&rubric, &sessions, &[])).proposals[0]
        .pattern
        .clone();
    let rejected = [RejectedPattern {
        pattern: pattern.clone(),
        support: 6,
    }];
    let out = run(&input(&rubric, &sessions, &rejected));
    assert!(out.proposals.is_empty());
    assert!(
        out.notes
            .iter()
            .any(|n| n.starts_with("Held back 1 change you rejected before")),
        "{:?}",
        out.notes
    );
    let rejected = [RejectedPattern {
        pattern,
        support: 3,
    }];
    let out = run(&input(&rubric, &sessions, &rejected));
    assert_eq!(out.proposals.len(), 1);
    assert!(out.notes.iter().any(|n| n.contains("grew from 3 to 8")));
}
