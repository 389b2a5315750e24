//! Did it help? A generated history where drafts for a client keep their exclamation marks for
//! three weeks and reviewers strip them, a dream turns that into a rule a person approves, and
//! drafts rarely have one afterwards; a second rule, added by hand, changes nothing. The
//! entries' before/after counts are exact, the headline moves, the rule that changed nothing is
//! listed for review, and a dream leaves every stored grade as it was.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Duration, Timelike, Utc};
use reverie::api;
use reverie::dreaming::DreamRequest;
use reverie::model::{EffectVerdict, Scope, Trigger};
use serde_json::json;

const AGENT: &str = "posts";

struct Draft {
    at: DateTime<Utc>,
    exclaim: bool,
    seamless: bool,
}

fn history(start: DateTime<Utc>) -> (String, Vec<Draft>) {
    let mut lines = String::new();
    let mut drafts = Vec::new();
    for day in 0..49 {
        for (slot, hour) in [(0, 9), (1, 15)] {
            let i = day * 2 + slot;
            let at = start + Duration::days(day) + Duration::hours(hour);
            // Three weeks of "!" in 4 drafts of 5; afterwards in 1 of 10.
            let exclaim = if day < 21 { i % 5 != 0 } else { i % 10 == 0 };
            let seamless = i % 2 == 0;
            let mut draft = String::from("Meet our autumn blend");
            draft.push_str(if exclaim { "! " } else { ". " });
            draft.push_str(if seamless {
                "A seamless cup, warm and smooth."
            } else {
                "A gentle cup, warm and smooth."
            });
            let fixed = draft.replace('!', ".");
            let feedback = if exclaim {
                json!([{"message": 1, "verdict": "revised", "final_text": fixed}])
            } else {
                json!([{"message": 1, "verdict": "accepted"}])
            };
            lines.push_str(
                &json!({
                    "id": format!("s-{i:03}"), "agent": AGENT,
                    "started_at": at, "ended_at": at + Duration::minutes(if exclaim { 12 } else { 4 }),
                    "tags": {"client": "Harbour Tea"},
                    "messages": [
                        {"role": "user", "content": "Draft today's post for Harbour Tea."},
                        {"role": "assistant", "content": draft}
                    ],
                    "feedback": feedback,
                })
                .to_string(),
            );
            lines.push('\n');
            drafts.push(Draft {
                at,
                exclaim,
                seamless,
            });
        }
    }
    (lines, drafts)
}

#[test]
fn an_entrys_effect_and_the_headline_come_from_stored_grades_and_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("r.db")).unwrap();
    let now = Utc::now();
    let start = (now - Duration::days(56))
        .with_hour(0)
        .unwrap()
        .with_minute(0)
        .unwrap()
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    let (lines, drafts) = history(start);
    let file = dir.path().join("history.jsonl");
    std::fs::write(&file, lines).unwrap();
    api::agents::create(&mut conn, AGENT, None, start).unwrap();
    let report =
        api::sessions::import_file(&mut conn, &file, &Default::default(), start, &mut |_| {})
            .unwrap();
    assert_eq!(report.imported, 98);
    // Graded as they arrived, before anything read progress or dreamed.
    let graded: i64 = conn
        .query_row("SELECT COUNT(DISTINCT session_id) FROM grades", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(graded, 98, "every imported session is graded at import");

    // A rule added by hand on day 10 that drafts go on breaking at the same rate.
    let seamless_at = start + Duration::days(10);
    api::memory::add(
        &mut conn,
        AGENT,
        "Never say \"seamless\".",
        Scope::new(),
        seamless_at,
    )
    .unwrap();

    // Day 21: a dream over the three weeks; the person approves its exclamation-mark rule.
    let dream_at = start + Duration::days(21);
    let dream = api::dreams::dream(
        &mut conn,
        &DreamRequest {
            agent: AGENT.into(),
            window_days: Some(21),
            trigger: Trigger::Manual,
        },
        dream_at,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    let rule = dream
        .proposals
        .iter()
        .find(|p| p.content.to_lowercase().contains("exclamation"))
        .unwrap_or_else(|| {
            panic!(
                "the dream proposes the rule: {:?}",
                dream
                    .proposals
                    .iter()
                    .map(|p| &p.content)
                    .collect::<Vec<_>>()
            )
        });
    // What it would have spared: every draft of the window whose "!" a reviewer took out.
    let window: Vec<&Draft> = drafts
        .iter()
        .filter(|d| d.at >= dream_at - Duration::days(21) && d.at < dream_at)
        .collect();
    let stripped = window.iter().filter(|d| d.exclaim).count() as u32;
    let impact = rule.impact.as_ref().expect("an addition has an impact");
    assert_eq!((impact.prevented, impact.revised), (stripped, stripped));
    assert_eq!(
        impact.words,
        format!("Would have saved {stripped} of the last 21 days' {stripped} revisions")
    );
    // The review is ordered by it.
    let most = dream
        .proposals
        .iter()
        .filter_map(|p| p.impact.as_ref().map(|i| i.prevented))
        .max();
    assert_eq!(
        dream.proposals[0].impact.as_ref().map(|i| i.prevented),
        most
    );
    api::review::approve(&mut conn, &[rule.id], dream_at).unwrap();
    // Memory's history says who: the person, from the agent's first dream; the hand-written
    // rule is the person's own.
    let history = api::memory::history(&conn, AGENT).unwrap();
    let who: Vec<&str> = history.iter().map(|e| e.who.as_str()).collect();
    assert_eq!(who, ["you, from Dream 1", "you"]);

    let grades_before: Vec<(i64, String, String, String)> = {
        api::progress::report(&conn, AGENT, &Scope::new()).unwrap();
        let mut stmt = conn.prepare("SELECT session_id, outcome, value, reason FROM grades ORDER BY session_id, outcome").unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert!(!grades_before.is_empty());

    let r = api::progress::report(
        &conn,
        AGENT,
        &Scope::from([("client".to_string(), "Harbour Tea".to_string())]),
    )
    .unwrap();
    assert_eq!(r.clients, ["Harbour Tea"]);
    let exclaim = r
        .entries
        .iter()
        .find(|e| e.id != 0 && e.content.to_lowercase().contains("exclamation"))
        .unwrap();
    let expect = |f: &dyn Fn(&Draft) -> bool, after: bool, at: DateTime<Utc>| {
        let set: Vec<&Draft> = drafts.iter().filter(|d| (d.at >= at) == after).collect();
        (set.iter().filter(|d| f(d)).count() as u32, set.len() as u32)
    };
    assert_eq!(
        (exclaim.before.n, exclaim.before.of),
        expect(&|d| d.exclaim, false, exclaim.since),
        "{}",
        exclaim.words
    );
    assert_eq!(
        (exclaim.after.n, exclaim.after.of),
        expect(&|d| d.exclaim, true, exclaim.since),
        "{}",
        exclaim.words
    );
    assert_eq!(exclaim.verdict, EffectVerdict::Helps, "{}", exclaim.words);
    assert!(
        exclaim.words.contains("used an exclamation mark"),
        "{}",
        exclaim.words
    );

    let seamless = r
        .entries
        .iter()
        .find(|e| e.content.contains("seamless"))
        .unwrap();
    assert_eq!(
        (seamless.before.n, seamless.before.of),
        expect(&|d| d.seamless, false, seamless_at)
    );
    assert_eq!(
        (seamless.after.n, seamless.after.of),
        expect(&|d| d.seamless, true, seamless_at)
    );
    assert_eq!(
        seamless.verdict,
        EffectVerdict::NoChange,
        "{}",
        seamless.words
    );
    assert!(seamless.words.contains("keep, reword or remove?"));
    assert_eq!(
        r.entries[0].id, exclaim.id,
        "the most helpful entry comes first"
    );

    // The headline: accepted as drafted before and since the dream that changed memory.
    let h = &r.headline;
    let since = h.since.expect("a dream changed memory");
    let accepted = |after: bool| {
        let set: Vec<&Draft> = drafts.iter().filter(|d| (d.at >= since) == after).collect();
        (
            set.iter().filter(|d| !d.exclaim).count() as u32,
            set.len() as u32,
        )
    };
    assert_eq!((h.accepted_before.n, h.accepted_before.of), accepted(false));
    assert_eq!((h.accepted_after.n, h.accepted_after.of), accepted(true));
    assert!(h.accepted_after.rate().unwrap() > h.accepted_before.rate().unwrap() + 0.5);
    let words = format!(
        "Accepted as drafted: {:.0}% → {:.0}% since",
        h.accepted_before.rate().unwrap() * 100.0,
        h.accepted_after.rate().unwrap() * 100.0
    );
    assert!(h.words.starts_with(&words), "{}", h.words);
    assert!(h.minutes_after.unwrap() < h.minutes_before.unwrap());
    assert!(
        r.weeks.iter().all(|w| w.drafts == w.sessions),
        "one judged draft a session"
    );

    // Another dream: every stored grade stays as it was.
    let later = api::dreams::dream(
        &mut conn,
        &DreamRequest {
            agent: AGENT.into(),
            window_days: Some(60),
            trigger: Trigger::Manual,
        },
        now,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    let grades_after: Vec<(i64, String, String, String)> = {
        let mut stmt = conn.prepare("SELECT session_id, outcome, value, reason FROM grades ORDER BY session_id, outcome").unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(grades_before, grades_after);

    // That dream proposes removing the rule that changed nothing, with its numbers as the
    // reason and the drafts that still broke it as evidence; not the rule that helped.
    let remove = later
        .proposals
        .iter()
        .find(|p| p.targets == [seamless.id])
        .unwrap_or_else(|| {
            panic!(
                "a proposal to remove the entry that never helped: {:?}",
                later
                    .proposals
                    .iter()
                    .map(|p| (p.op, &p.content))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(remove.op, reverie::model::ProposalOp::Remove);
    let (b, a) = (
        expect(&|d| d.seamless, false, seamless_at),
        expect(&|d| d.seamless, true, seamless_at),
    );
    let numbers = format!(
        "said \"seamless\": {} of {} before it entered memory on {}, {} of {} in the",
        b.0,
        b.1,
        seamless_at.format("%b %-d"),
        a.0,
        a.1
    );
    assert!(remove.rationale.contains(&numbers), "{}", remove.rationale);
    assert!(!remove.evidence.is_empty());
    assert!(remove
        .evidence
        .iter()
        .all(|e| e.quote.to_lowercase().contains("seamless")));
    assert!(!later.proposals.iter().any(|p| p.targets == [exclaim.id]));
}
