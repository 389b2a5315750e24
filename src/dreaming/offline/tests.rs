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
    let add = |content: &str, sessions: &[&str]| ProposalDraft {
        op: ProposalOp::Add,
        content: content.into(),
        scope: Scope::from([("client".to_string(), "青禾书店".to_string())]),
        targets: vec![],
        evidence: sessions
            .iter()
            .map(|s| crate::model::Evidence {
                session_id: s.to_string(),
                quote: "…".into(),
            })
            .collect(),
        confidence: 0.7,
        rationale: String::new(),
        pattern: format!("p|{content}"),
        support: sessions.len() as u32,
        support_days: sessions.len() as u32,
        flags: vec![],
        supporting: sessions.iter().map(|s| s.to_string()).collect(),
        impact: None,
    };
    let mut ps = vec![
        add("青禾书店: no exclamation marks.", &["s1", "s2", "s3"]),
        add("Never use the word 'regards'.", &["s4", "s5", "s6"]),
        add("青禾书店: end with '#青禾书店'.", &["s7", "s8", "s9"]),
        // What people said, in Chinese, about the first: the same rule.
        add("感叹号太多了——一个感叹号都别用。", &["s3", "s10", "s11"]),
        // Other words, other hashtags: rules of their own.
        add("Never use the word 'faithfully'.", &["s4", "s12", "s13"]),
        add("青禾书店: add hashtags.", &["s14", "s15", "s16"]),
    ];
    super::propose::fold_same(&mut ps);
    let contents: Vec<&str> = ps.iter().map(|p| p.content.as_str()).collect();
    assert_eq!(
        contents,
        [
            "青禾书店: no exclamation marks.",
            "Never use the word 'regards'.",
            "青禾书店: end with '#青禾书店'.",
            "Never use the word 'faithfully'.",
            "青禾书店: add hashtags."
        ]
    );
    assert_eq!(ps[0].support, 5, "{:?}", ps[0].supporting);
    assert_eq!(ps[0].evidence.len(), 5);
}

/// A proposal to add `content` for one client (or team-wide), seen in three sessions.
fn added(client: Option<&str>, content: &str, pattern: &str) -> ProposalDraft {
    ProposalDraft {
        op: ProposalOp::Add,
        content: content.into(),
        scope: client
            .map(|c| Scope::from([("client".to_string(), c.to_string())]))
            .unwrap_or_default(),
        targets: vec![],
        evidence: vec![],
        confidence: 0.7,
        rationale: String::new(),
        pattern: pattern.into(),
        support: 3,
        support_days: 3,
        flags: vec![],
        supporting: vec![],
        impact: None,
    }
}

#[test]
fn a_rule_folds_into_its_own_scope_or_the_team_wide_one_never_another_clients() {
    let add = |client: Option<&str>, content: &str, s: &str| ProposalDraft {
        supporting: vec![s.to_string()],
        ..added(client, content, &format!("p|{content}|{client:?}"))
    };
    let mut ps = vec![
        add(Some("Ana"), "No exclamation marks.", "a1"),
        add(Some("Ben"), "Never use exclamation marks.", "b1"),
        add(Some("Ana"), "Drop the exclamation marks.", "a2"),
        add(None, "No exclamation marks at all.", "t1"),
        add(Some("Cy"), "No exclamation marks.", "c1"),
    ];
    super::propose::fold_same(&mut ps);
    let kept: Vec<(String, Vec<String>)> = ps
        .iter()
        .map(|p| (p.content.clone(), p.supporting.clone()))
        .collect();
    assert_eq!(
        kept,
        [
            (
                "No exclamation marks.".into(),
                vec!["a1".into(), "a2".into()]
            ),
            ("Never use exclamation marks.".into(), vec!["b1".into()]),
            (
                "No exclamation marks at all.".into(),
                vec!["t1".into(), "c1".into()]
            ),
        ]
    );
}

#[test]
fn less_of_it_and_the_voice_wanted_are_read_the_way_they_are_meant() {
    use super::statements::{self, Source};
    use super::support::Pol;
    use super::text::Feature;
    let entry = |t: &str| crate::model::MemoryEntry {
        id: 0,
        content: t.into(),
        scope: Scope::new(),
        scope_label: String::new(),
        source: crate::model::MemorySource::Dream,
        dream_id: None,
        session_ids: vec![],
        support: 0,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    };
    for (t, want) in [
        ("Use no exclamation marks.", (Pol::Forbid, Feature::Exclaim)),
        (
            "Please use no emoji in these.",
            (Pol::Forbid, Feature::Emoji),
        ),
        ("Go easy on the emoji.", (Pol::Forbid, Feature::Emoji)),
        (
            "Tone down the exclamation marks.",
            (Pol::Forbid, Feature::Exclaim),
        ),
        ("Stay away from hashtags.", (Pol::Forbid, Feature::Hashtag)),
        // The passive wanted, the active ruled out, in either order.
        (
            "Use the passive voice, not the active.",
            (Pol::Require, Feature::Passive),
        ),
        (
            "Prefer passive over active voice.",
            (Pol::Require, Feature::Passive),
        ),
        (
            "Use passive rather than active voice.",
            (Pol::Require, Feature::Passive),
        ),
        // The active wanted: no passive sentences.
        (
            "Write in the active voice, not the passive.",
            (Pol::Forbid, Feature::Passive),
        ),
        (
            "Active voice please, not passive.",
            (Pol::Forbid, Feature::Passive),
        ),
    ] {
        let e = entry(t);
        assert_eq!(super::hygiene::read(&e).topic, Some(want), "memory: {t}");
        let said = statements::read(t, Source::FollowUp).expect(t);
        assert_eq!(
            super::corrections::topic(said.pol, &said.stems),
            Some(want),
            "said: {t}"
        );
    }
    // Only the voice is decided by which one is ruled out, and only when it is set against
    // the other; what else a sentence asks keeps its polarity.
    for (t, want) in [
        (
            "No emoji; prefer passive over active.",
            Some((Pol::Forbid, Feature::Emoji)),
        ),
        (
            "Don't mix active and passive voice.",
            Some((Pol::Forbid, Feature::Passive)),
        ),
        (
            "Passive reads worse than active voice.",
            Some((Pol::Forbid, Feature::Passive)),
        ),
        (
            "Don't write in the active voice, use passive.",
            Some((Pol::Require, Feature::Passive)),
        ),
        // Clauses end at any mark, wide ones too.
        (
            "Passive again — not active, passive.",
            Some((Pol::Require, Feature::Passive)),
        ),
    ] {
        let said = statements::read(t, Source::Comment).expect(t);
        assert_eq!(
            super::corrections::topic(said.pol, &said.stems),
            want,
            "said: {t}"
        );
    }
    let e = entry("No emoji. Active voice; passive only for disclaimers.");
    assert_eq!(super::hygiene::read(&e).pol, Pol::Forbid);
    assert_eq!(
        super::corrections::wants_passive("Active voice; passive only for disclaimers."),
        None
    );
    // Verbs of "less of it" open plain instructions, not standing corrections; a condition
    // is no rule at all.
    let plain = statements::read("Reduce the batch size to 50 and rerun.", Source::FollowUp);
    assert!(
        plain
            .as_ref()
            .is_none_or(|r| !r.marked && r.pol == Pol::Forbid),
        "{plain:?}"
    );
    let cond = statements::read("With no arguments, print the usage.", Source::FollowUp);
    assert!(
        cond.as_ref().is_none_or(|r| r.pol == Pol::Require),
        "{cond:?}"
    );
    // A forbidding verb after a requiring opening forbids: "always" says how long, not what.
    for t in [
        "Always avoid exclamation marks.",
        "You should go easy on the emoji.",
    ] {
        let said = statements::read(t, Source::FollowUp).expect(t);
        assert_eq!(said.pol, Pol::Forbid, "{t}");
        assert!(said.marked, "{t}");
    }
    // The words that say "less of it" are not what it is about.
    let said = statements::read("Steer clear of jargon.", Source::FollowUp).unwrap();
    assert_eq!(
        (said.pol, said.stems),
        (Pol::Forbid, vec!["jargon".to_string()])
    );
}

#[test]
fn what_one_client_said_of_a_team_rule_is_that_rule_heard_there() {
    let drafts: Vec<DreamSession> = (0..3)
        .map(|n| {
            session(
                n,
                "Kiln",
                "Dear valued customer,\n\nWe are glad to share news.\n\nSincerely,\nMei",
                Some("Hi Rosa,\n\nWe're glad to share news.\n\nThanks,\nMei"),
                None,
            )
        })
        .collect();
    let mut ps = vec![
        added(
            None,
            "Use contractions (we're, don't).",
            "style-yes-contractions|team",
        ),
        added(None, "Sign off with 'Thanks,'.", "require-line|team|thanks"),
        added(
            None,
            "Start with 'Hi' and the person's first name, for example 'Hi Rosa,'.",
            "require-line-shape|team|hi",
        ),
        added(
            Some("Kiln"),
            "Kiln: use contractions, say \"we're\".",
            "said-yes|client=Kiln|a",
        ),
        added(
            Some("Kiln"),
            "Kiln: \"Sincerely\" is too formal.",
            "said-no|client=Kiln|b",
        ),
        added(None, "No \"Dear valued customer\", ever.", "said-no|team|c"),
        // The sign-off said across clients, either way: the closing rule too.
        added(
            None,
            "\"Sincerely\" is too formal for us.",
            "said-no|team|f",
        ),
        added(
            None,
            "End with \"Thanks\" and your name.",
            "said-yes|team|g",
        ),
        added(
            Some("Kiln"),
            "Kiln: we sign off with Thanks, always.",
            "said-yes|client=Kiln|h",
        ),
        // Its own rule, and an exception to a team rule: kept.
        added(
            Some("Kiln"),
            "Kiln: never mention the kiln fire.",
            "said-no|client=Kiln|d",
        ),
        added(
            Some("Kiln"),
            "Kiln: no contractions, they are lawyers.",
            "said-no|client=Kiln|e",
        ),
    ];
    super::mine::team_echoes(&mut ps, &drafts);
    let left: Vec<&str> = ps.iter().map(|p| p.pattern.as_str()).collect();
    assert_eq!(
        left,
        [
            "style-yes-contractions|team",
            "require-line|team|thanks",
            "require-line-shape|team|hi",
            "said-no|client=Kiln|d",
            "said-no|client=Kiln|e"
        ]
    );
}

#[test]
fn a_greeting_left_out_where_people_said_to_use_their_name_is_that_rule() {
    let mut ps = vec![
        added(None, "Use their first name.", "said-yes|team|a"),
        added(None, "Leave out the line 'Hello,'.", "ban-line|team|hello"),
        added(
            Some("Roam"),
            "Roam: leave out the line 'Hi there,'.",
            "ban-line|client=Roam|hi there",
        ),
        // Not a greeting, and a name said the other way: both kept.
        added(
            None,
            "Leave out the line 'Kind regards,'.",
            "ban-line|team|kind regards",
        ),
        added(
            Some("Kiln"),
            "Kiln: never name the supplier.",
            "said-no|client=Kiln|b",
        ),
    ];
    super::mine::line_shapes(&mut ps);
    let left: Vec<&str> = ps.iter().map(|p| p.pattern.as_str()).collect();
    assert_eq!(
        left,
        [
            "said-yes|team|a",
            "ban-line|team|kind regards",
            "said-no|client=Kiln|b"
        ]
    );
    // Without a rule about names, the greeting's removal is a rule of its own.
    let mut ps = vec![added(
        None,
        "Leave out the line 'Hello,'.",
        "ban-line|team|hello",
    )];
    super::mine::line_shapes(&mut ps);
    assert_eq!(ps.len(), 1);
}

/// `n` sessions per client, about a day apart within each, where the person answers the same draft
/// with the client's lines in turn.
fn clients_saying(said: &[(&str, &[&str])], draft: &str, n: usize) -> Vec<DreamSession> {
    let mut sessions = Vec::new();
    for (c, (client, lines)) in said.iter().enumerate() {
        for k in 0..n {
            sessions.push(session(
                k * 2 + c * 20,
                client,
                draft,
                None,
                Some(lines[k % lines.len()]),
            ));
        }
    }
    sessions.sort_by_key(|s| s.started_at);
    sessions
}

#[test]
fn a_rule_found_in_two_clients_is_worded_in_each_ones_own_words() {
    let rubric = Rubric::default();
    let said: [(&str, &[&str]); 4] = [
        ("Billing", &["We don't unwrap results in billing."]),
        ("Phones", &["Never unwrap results again."]),
        ("Quiet", &["Thanks, looks fine."]),
        ("Calm", &["Thanks, looks fine."]),
    ];
    let sessions = clients_saying(&said, "let v = parse(input).unwrap();", 5);
    let out = run(&input(&rubric, &sessions, &[]));
    let of = |client: &str| {
        out.proposals
            .iter()
            .find(|p| p.scope.get("client").map(String::as_str) == Some(client))
            .map(|p| p.content.to_lowercase())
            .unwrap_or_else(|| panic!("no rule for {client}: {:#?}", out.proposals))
    };
    assert!(of("Billing").contains("billing"), "{}", of("Billing"));
    assert!(!of("Phones").contains("billing"), "{}", of("Phones"));
}

#[test]
fn one_topic_said_two_ways_in_one_client_and_the_other_way_in_another_gives_each_its_own() {
    let rubric = Rubric::default();
    let said: [(&str, &[&str]); 4] = [
        // One rule said two ways in one client: it holds there.
        (
            "Northwind",
            &[
                "No refunds, only store credit.",
                "Always make it store credit, not a refund.",
            ],
        ),
        // The same words, the other way, in another: that client's own rule.
        ("Kiln", &["Always offer a refund."]),
        ("Quiet", &["Thanks, looks fine."]),
        ("Calm", &["Thanks, looks fine."]),
    ];
    let sessions = clients_saying(&said, "We can refund that for you today.", 6);
    let out = run(&input(&rubric, &sessions, &[]));
    let of = |client: &str| -> Vec<String> {
        out.proposals
            .iter()
            .filter(|p| p.scope.get("client").map(String::as_str) == Some(client))
            .map(|p| p.content.to_lowercase())
            .collect()
    };
    assert!(
        of("Northwind").iter().any(|c| c.contains("credit")),
        "{:#?}",
        out.proposals
    );
    // Kiln's "always offer a refund" is not turned into Northwind's "no refunds" for Kiln.
    assert!(
        of("Kiln")
            .iter()
            .all(|c| c.contains("offer a refund") && !c.contains("credit")),
        "{:#?}",
        out.proposals
    );
}

#[test]
fn a_request_sharing_one_word_with_a_ban_is_not_said_against_it() {
    // "Use the Button from @acme/ui" names the button the ban is about, and asks for the same
    // thing in other words: it does not count against "no raw <button>".
    let rubric = Rubric::default();
    let said: [(&str, &[&str]); 3] = [
        (
            "Web",
            &[
                "No raw <button> again, please.",
                "You need to use the `Button` from @acme/ui.",
                "Never a raw <button> in the dashboard.",
                "Please no raw <button>.",
            ],
        ),
        ("Quiet", &["Thanks, looks fine."]),
        ("Calm", &["Thanks, looks fine."]),
    ];
    let sessions = clients_saying(&said, "<button onClick={save}>Save</button>", 4);
    let out = run(&input(&rubric, &sessions, &[]));
    assert!(
        out.proposals.iter().any(|p| {
            p.scope.get("client").map(String::as_str) == Some("Web")
                && p.content.to_lowercase().contains("button")
        }),
        "{:#?}",
        out.proposals
    );
}

#[test]
fn a_rule_every_reviewer_of_one_client_asks_for_stays_that_clients() {
    // Three reviewers agree, but all of them about one client: the client's rule.
    let rubric = Rubric::default();
    let said: [(&str, &[&str]); 3] = [
        ("Solo", &["Never say 'synergy' in our posts."]),
        ("Quiet", &["Thanks, looks fine."]),
        ("Calm", &["Thanks, looks fine."]),
    ];
    let mut sessions = clients_saying(&said, "Our synergy is unmatched this autumn.", 6);
    for (i, s) in sessions.iter_mut().enumerate() {
        let reviewer = if s.tags["client"] == "Solo" {
            ["Ana", "Bo", "Cy"][i % 3]
        } else {
            ["Dee", "Eli"][i % 2]
        };
        s.tags.insert("user".into(), reviewer.into());
    }
    let out = run(&input(&rubric, &sessions, &[]));
    let synergy: Vec<_> = out
        .proposals
        .iter()
        .filter(|p| p.content.to_lowercase().contains("synergy"))
        .collect();
    assert!(!synergy.is_empty(), "{:#?}", out.proposals);
    assert!(
        synergy
            .iter()
            .all(|p| p.scope.get("client").map(String::as_str) == Some("Solo")),
        "{synergy:#?}"
    );
}

#[test]
fn a_line_people_added_and_named_in_their_own_words_is_one_rule() {
    // The reviewers add the booking line; the comments name it ("the booking link", once
    // said backwards as a bare complaint) or, without a polarity word, complain about what
    // the edit removes. Each is the edit's rule, not a second one.
    let rubric = Rubric::default();
    let mut sessions = Vec::new();
    let link_said = [
        "No booking link",
        "please add the booking link",
        "Don't post without the booking link!",
    ];
    let word_said = ["\"indulge\" sounds like a diet ad."];
    for n in 0..6 {
        let mut s = session(
            n,
            "Ridge",
            "Indulge in a new route this week.",
            Some("Enjoy a new route this week.\nBook: ridge.example/book"),
            None,
        );
        s.feedback[0].comment = Some(if n % 2 == 0 {
            link_said[n / 2 % link_said.len()].to_string()
        } else {
            word_said[0].to_string()
        });
        sessions.push(s);
    }
    let out = run(&input(&rubric, &sessions, &[]));
    let said: Vec<&str> = out
        .proposals
        .iter()
        .filter(|p| p.pattern.starts_with("said-"))
        .map(|p| p.content.as_str())
        .collect();
    assert!(said.is_empty(), "{:#?}", out.proposals);
    assert!(
        out.proposals
            .iter()
            .any(|p| p.content.contains("ridge.example/book")),
        "{:#?}",
        out.proposals
    );
}

#[test]
fn a_rule_every_client_says_is_the_teams_not_each_clients_word() {
    // Reviewers of four clients add the order number and say so in their own words: one
    // team-wide rule in their words, not "always include 'order'" once per client.
    let rubric = Rubric::default();
    let said = [
        "Always add the order number.",
        "Please quote the order number.",
        "No order number again!",
    ];
    let mut sessions = Vec::new();
    for (c, client) in ["Atlas", "Lumen", "Tidal", "Verdant"].iter().enumerate() {
        for n in 0..5 {
            let order = 4100 + c * 10 + n;
            let mut s = session(
                n * 2 + c,
                client,
                "Thanks for writing in. Your parcel left the warehouse today.",
                Some(&format!(
                    "Thanks for writing in about order {order}. Your parcel left the warehouse today."
                )),
                None,
            );
            s.feedback[0].comment = Some(said[(n + c) % said.len()].to_string());
            sessions.push(s);
        }
        // A reply about something else, used as drafted.
        sessions.push(session(
            11 + c,
            client,
            "Thanks for the photo of the shelf. It looks great.",
            None,
            None,
        ));
    }
    sessions.sort_by_key(|s| s.started_at);
    let out = run(&input(&rubric, &sessions, &[]));
    let order: Vec<&ProposalDraft> = out
        .proposals
        .iter()
        .filter(|p| p.content.to_lowercase().contains("order"))
        .collect();
    assert_eq!(order.len(), 1, "{:#?}", out.proposals);
    assert!(order[0].scope.is_empty(), "{:#?}", order[0]);
}

#[test]
fn a_remark_made_on_the_drafts_a_rule_changes_is_that_rules_reason() {
    // "Sounds like shouting" is said only on the drafts whose exclamation marks reviewers
    // take out, and instructs nothing: the exclamation rule's reason, not a second rule.
    let rubric = Rubric::default();
    let remarks = [
        "This sounds like shouting.",
        "Sounds like we're shouting at people.",
        "It sounds like shouting to me.",
    ];
    let mut sessions = Vec::new();
    for n in 0..9 {
        let mut s = session(
            n,
            "Harbour",
            "Our autumn blend is here! Warm up with a cup today!",
            Some("Our autumn blend is here. Warm up with a cup today."),
            None,
        );
        s.feedback[0].comment = Some(remarks[n % remarks.len()].to_string());
        sessions.push(s);
        sessions.push(session(
            n + 40,
            "Harbour",
            "The market stall opens at nine. Come and taste the new blend.",
            None,
            None,
        ));
    }
    sessions.sort_by_key(|s| s.started_at);
    let out = run(&input(&rubric, &sessions, &[]));
    let said: Vec<&str> = out
        .proposals
        .iter()
        .filter(|p| p.pattern.starts_with("said-"))
        .map(|p| p.content.as_str())
        .collect();
    assert!(said.is_empty(), "{:#?}", out.proposals);
    let rule = out
        .proposals
        .iter()
        .find(|p| p.content.to_lowercase().contains("exclamation"))
        .unwrap_or_else(|| panic!("no exclamation rule: {:#?}", out.proposals));
    assert!(rule.supporting.len() >= 9, "{rule:#?}");
}

#[test]
fn a_word_removed_only_with_a_banned_one_went_with_the_rewrite() {
    // "闭环" goes in every revision; "形成" only in drafts whose sentence went with it.
    let rubric = Rubric::default();
    let mut sessions = Vec::new();
    let pairs = [
        (
            "线上线下形成体验闭环。周五见。",
            "线上线下，体验一样好。周五见。",
        ),
        (
            "从预订到售后，打造服务闭环。周五见。",
            "从预订到售后，都有人管。周五见。",
        ),
    ];
    for n in 0..10 {
        let (draft, fin) = pairs[n % pairs.len()];
        sessions.push(session(n, "白鹭旅行", draft, Some(fin), None));
    }
    let out = run(&input(&rubric, &sessions, &[]));
    let bans: Vec<&str> = out
        .proposals
        .iter()
        .filter(|p| p.pattern.starts_with("ban-phrase|"))
        .map(|p| p.pattern.as_str())
        .collect();
    assert!(bans.iter().any(|b| b.ends_with("|闭环")), "{bans:?}");
    assert!(!bans.iter().any(|b| b.contains("形成")), "{bans:?}");
}

#[test]
fn a_link_is_a_host_not_a_price_a_time_or_a_file() {
    use super::mine::is_link;
    for yes in [
        "https://x.io/a",
        "www.kiln.shop",
        "ridge.example/book",
        "ridge.example",
    ] {
        assert!(is_link(yes), "{yes}");
    }
    for no in [
        "12.50",
        "19.30",
        "12.05.2025",
        "README.md",
        "main.rs",
        "e.g.",
        "ok.",
    ] {
        assert!(!is_link(no), "{no}");
    }
}

#[test]
fn a_remark_with_no_instruction_is_no_rule() {
    // "Sounds like a police report", written beside a verdict, says something is wrong, not
    // what to do; with no edit to stand behind, it is not proposed. Said as an instruction,
    // it is.
    let rubric = Rubric::default();
    let as_comments = |lines: &[&str]| -> Vec<DreamSession> {
        let said: [(&str, &[&str]); 3] = [
            ("Orchard", lines),
            ("Quiet", &["Thanks, looks fine."]),
            ("Calm", &["Thanks, looks fine."]),
        ];
        let mut sessions = clients_saying(&said, "The fence was fixed by our team on Monday.", 6);
        for s in &mut sessions {
            let said = s.messages.pop().map(|m| m.content);
            s.feedback[0].comment = said;
        }
        sessions
    };
    let police = |sessions: &[DreamSession]| {
        let out = run(&input(&rubric, sessions, &[]));
        out.proposals.iter().any(|p| p.content.contains("police"))
    };
    assert!(!police(&as_comments(&[
        "This sounds like a police report.",
        "Sounds like a police report to me.",
    ])));
    assert!(police(&as_comments(&[
        "Never write like a police report.",
        "No police report tone, please.",
    ])));
}
