use chrono::{Duration, FixedOffset};

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn dream(status: DreamStatus, pending: u32, applied: u32) -> Dream {
    Dream {
        number: 1,
        id: 7,
        agent: "social-drafts".into(),
        status,
        trigger: crate::model::Trigger::Scheduled,
        window_days: 7,
        window_start: at("2026-11-17T02:00:00Z"),
        window_end: at("2026-11-24T02:00:00Z"),
        sessions_read: 24,
        memory_version_start: 0,
        model: "offline".into(),
        input_tokens: 0,
        output_tokens: 0,
        cached_tokens: 0,
        cost_usd: 0.0,
        warning: None,
        error: None,
        notes: Vec::new(),
        started_at: at("2026-11-24T02:00:00Z"),
        finished_at: Some(at("2026-11-24T02:00:03Z")),
        proposals: pending + applied,
        pending,
        applied,
        rejected: 0,
        undone: false,
    }
}

#[test]
fn a_finished_dream_says_how_many_changes_wait() {
    let n = dream_finished("Social drafts", &dream(DreamStatus::Completed, 4, 0)).unwrap();
    assert_eq!(n.summary, "Social drafts: 4 memory changes to review");
    assert_eq!(
        n.body,
        "From 24 sessions. Open the dream to approve or reject each change."
    );
    assert_eq!(n.dream_id, 7);
    let one = dream_finished("Social drafts", &dream(DreamStatus::Completed, 1, 0)).unwrap();
    assert_eq!(one.summary, "Social drafts: 1 memory change to review");
}

#[test]
fn nothing_found_and_auto_applied_read_plainly() {
    let none = dream_finished("Social drafts", &dream(DreamStatus::Completed, 0, 0)).unwrap();
    assert_eq!(none.summary, "Social drafts: nothing new to learn");
    assert!(none.body.contains("read 24 sessions"), "{}", none.body);
    let auto = dream_finished("Social drafts", &dream(DreamStatus::Completed, 0, 3)).unwrap();
    assert_eq!(auto.summary, "Social drafts: learned 3 new things");
    assert!(auto.body.contains("undo"), "{}", auto.body);
    let both = dream_finished("Social drafts", &dream(DreamStatus::Completed, 1, 2)).unwrap();
    assert_eq!(
        both.summary,
        "Social drafts: learned 2 new things, 1 more to review"
    );
}

#[test]
fn a_warning_is_passed_on_in_short() {
    let mut d = dream(DreamStatus::Completed, 2, 0);
    d.warning = Some(
        "Too little signal: 3 sessions in 7 days (about 3 a week; 20 a week or more is best). These proposals may be noise."
            .into(),
    );
    let n = dream_finished("Social drafts", &d).unwrap();
    assert!(
        n.body.ends_with(
            "Too little signal: 3 sessions in 7 days (about 3 a week; 20 a week or more is best)."
        ),
        "{}",
        n.body
    );
}

#[test]
fn a_failed_dream_says_why_and_that_memory_is_safe() {
    let mut d = dream(DreamStatus::Failed, 0, 0);
    d.error = Some("database error: disk I/O error".into());
    let n = dream_finished("Social drafts", &d).unwrap();
    assert_eq!(
        n.summary,
        "Social drafts: dream failed — database error: disk I/O error"
    );
    assert!(n.body.contains("Memory is unchanged"));
    d.error = Some("x ".repeat(100));
    let long = dream_finished("Social drafts", &d).unwrap();
    assert!(long.summary.ends_with('…') && long.summary.chars().count() < 120);
}

#[test]
fn canceled_and_interrupted_dreams_stay_quiet() {
    for s in [
        DreamStatus::Canceled,
        DreamStatus::Interrupted,
        DreamStatus::Running,
    ] {
        assert!(dream_finished("Social drafts", &dream(s, 0, 0)).is_none());
    }
}

#[test]
fn times_are_said_as_a_person_would() {
    let tz = FixedOffset::east_opt(3600).unwrap();
    let now = tz.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(); // a Tuesday afternoon
    let t = |d, h, m| tz.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
    assert_eq!(when(&now, &now), "now");
    assert_eq!(when(&t(24, 15, 0), &(now + Duration::seconds(30))), "now");
    assert_eq!(when(&t(24, 16, 30), &now), "today at 16:30");
    assert_eq!(when(&t(24, 22, 0), &now), "tonight at 22:00");
    assert_eq!(when(&t(25, 2, 0), &now), "tonight at 2:00");
    assert_eq!(when(&t(25, 9, 5), &now), "tomorrow at 9:05");
    assert_eq!(when(&t(27, 2, 0), &now), "Friday at 2:00");
    assert_eq!(
        when(&tz.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap(), &now),
        "on 3 Dec at 2:00"
    );
    // At 1:00 the coming 2:00 is today's, not "tonight".
    let early = t(24, 1, 0);
    assert_eq!(when(&t(24, 2, 0), &early), "today at 2:00");
    assert_eq!(when(&t(25, 2, 0), &early), "tomorrow at 2:00");
}

fn schedule(name: &str, next: Option<&str>, pending: u32) -> AgentSchedule {
    AgentSchedule {
        agent: name.to_lowercase().replace(' ', "-"),
        name: name.into(),
        schedule: "0 2 * * *".into(),
        words: "Every night at 2:00".into(),
        next_run: next.map(at),
        next_run_words: None,
        last: None,
        pending,
    }
}

#[test]
fn the_tray_names_the_next_dream_and_what_waits() {
    let now = at("2026-11-24T15:00:00Z");
    let list = [
        schedule("Support bot", Some("2026-11-25T06:30:00Z"), 1),
        schedule("Social drafts", Some("2026-11-25T02:00:00Z"), 2),
        schedule("Never", None, 0),
    ];
    assert_eq!(
        tray_status(&list, &[], now, &Utc),
        vec![
            "Next dream: Social drafts, tonight at 2:00",
            "3 changes waiting for review"
        ]
    );
    assert_eq!(
        tray_status(&list[2..], &["Social drafts".into()], now, &Utc),
        vec![
            "Dreaming now: Social drafts",
            "No dreams scheduled",
            "Nothing waiting for review"
        ]
    );
    assert_eq!(tray_status(&[], &[], now, &Utc), vec!["No agents yet"]);
    let one = [schedule("Social drafts", Some("2026-11-24T15:00:00Z"), 1)];
    assert_eq!(
        tray_status(&one, &[], now, &Utc),
        vec![
            "Next dream: Social drafts, now",
            "1 change waiting for review"
        ]
    );
}
