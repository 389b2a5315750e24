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
        graders: Default::default(),
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
        reason: None,
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
        reason: None,
    }];
    let out = run(&input(&rubric, &sessions, &rejected));
    assert_eq!(out.proposals.len(), 1);
    assert!(out.notes.iter().any(|n| n.contains("grew from 3 to 8")));
}

#[test]
fn a_rejection_reaches_other_scopes_as_its_reason_says() {
    let rubric = Rubric::default();
    let sessions = window();
    let found = run(&input(&rubric, &sessions, &[])).proposals[0].clone();
    // The same rule, rejected for another client.
    let other = found
        .pattern
        .replace("client=Harbour Tea", "client=Bright Bakery");
    assert_ne!(other, found.pattern);
    let rejected = |reason: Option<&str>, support| {
        [RejectedPattern {
            pattern: other.clone(),
            support,
            reason: reason.map(str::to_string),
        }]
    };
    // "Not a standing rule" is wrong everywhere: held back until support doubles.
    let r = rejected(Some("Not a standing rule, just noise"), 6);
    let out = run(&input(&rubric, &sessions, &r));
    assert!(out.proposals.is_empty(), "{:#?}", out.proposals);
    assert!(
        out.notes.iter().any(|n| n.contains("another client")),
        "{:?}",
        out.notes
    );
    // "Wrong client" says nothing about this one.
    let r = rejected(Some("Wrong client for this"), 6);
    assert_eq!(run(&input(&rubric, &sessions, &r)).proposals.len(), 1);
    // No reason: more support needed than the rejected one had.
    let r = rejected(None, 7);
    assert!(run(&input(&rubric, &sessions, &r)).proposals.is_empty());
    let r = rejected(None, 3);
    let out = run(&input(&rubric, &sessions, &r));
    assert_eq!(out.proposals.len(), 1);
    assert!(out.proposals[0]
        .rationale
        .contains("rejected for another client or group"));
}

#[test]
fn what_rules_cannot_explain_goes_to_the_curator_and_nothing_else() {
    let rubric = Rubric::default();
    let mut sessions = window();
    // One session with an edit no rule explains and a wish nobody else voiced.
    let mut odd = session(
        20,
        "Bright Bakery",
        "Our sourdough is back on the shelves this week.",
        Some("Our sourdough is back. Ask the team about the starter's story."),
        Some("Always mention the starter's name, Gerald."),
    );
    odd.id = "odd-one".into();
    sessions.push(odd);
    let out = run(&input(&rubric, &sessions, &[]));
    let r = out
        .residual
        .iter()
        .find(|r| r.session_id == "odd-one")
        .expect("the odd session is unexplained");
    assert!(r.edited);
    assert!(r.said.iter().any(|s| s.contains("Gerald")), "{r:?}");
    // Sessions the seamless rule explains are not sent again.
    assert!(!out
        .residual
        .iter()
        .any(|r| r.session_id.starts_with("Harbour Tea-")));
    let p = crate::dreaming::curator::prompt::build(
        &rubric,
        &[],
        &sessions,
        &out.proposals,
        &out.residual,
        0,
    );
    assert!(p.user.contains("Gerald"));
    assert!(p.user.contains("odd-one"));
    assert!(
        !p.user.contains("Harbour Tea-3"),
        "an explained session was excerpted"
    );
}

#[test]
fn one_preference_found_two_ways_is_one_proposal_in_any_language() {
    // Reviewers strip the exclamation marks from every draft, and in the follow-ups say so in
    // Chinese: the edit and the words are one rule, with the sessions of both behind it.
    let rubric = Rubric::default();
    let said = ["别再用感叹号了", "不要用感叹号", "感叹号太多了，一个都别用"];
    let mut sessions = Vec::new();
    for n in 0..9 {
        sessions.push(session(
            n,
            "青禾书店",
            "新书到店啦！欢迎来看看！",
            Some("新书到店了。欢迎来看看。"),
            Some(said[n % said.len()]),
        ));
    }
    let out = run(&input(&rubric, &sessions, &[]));
    let about: Vec<&ProposalDraft> = out
        .proposals
        .iter()
        .filter(|p| {
            p.content.contains("感叹号") || p.content.to_lowercase().contains("exclamation")
        })
        .collect();
    assert_eq!(
        about.len(),
        1,
        "{:#?}",
        out.proposals.iter().map(|p| &p.content).collect::<Vec<_>>()
    );
    assert_eq!(about[0].support, 9, "{:?}", about[0].supporting);
}
