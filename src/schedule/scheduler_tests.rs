use super::*;
use crate::import::{import_file, record::SessionRecord, ImportOptions};
use crate::model::{DreamStatus, Feedback, Message, Role, Verdict};
use crate::store::db;
use crate::store::dreams;
use chrono::{Duration, Local, TimeZone};

/// A local wall-clock time, as schedules are read in local time.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Local
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// Import `n` sessions for agent `a`, started over the `days` before `now`, arriving at `now`.
fn import(conn: &mut Connection, n: usize, now: DateTime<Utc>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.jsonl");
    let mut text = String::new();
    for i in 0..n {
        let rec = SessionRecord {
            id: format!("s-{}-{i}", now.timestamp()),
            agent: "a".into(),
            started_at: now - Duration::hours(1 + i as i64),
            ended_at: None,
            user: None,
            tags: Default::default(),
            messages: vec![
                Message {
                    role: Role::User,
                    content: "Draft a post".into(),
                    tool_calls: vec![],
                    stopped: false,
                },
                Message {
                    role: Role::Assistant,
                    content: "Here it is!".into(),
                    tool_calls: vec![],
                    stopped: false,
                },
            ],
            feedback: vec![Feedback {
                message: 1,
                verdict: Verdict::Accepted,
                final_text: None,
                comment: None,
            }],
            outcomes: Default::default(),
            extra: Default::default(),
        };
        text.push_str(&serde_json::to_string(&rec).unwrap());
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    import_file(conn, &path, &ImportOptions::default(), now, &mut |_| {}).unwrap();
}

fn tick_at(conn: &mut Connection, now: DateTime<Utc>) -> Vec<Outcome> {
    tick(conn, now, &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn dream_count(conn: &Connection) -> usize {
    dreams::list(conn, agents::id_of(conn, "a").unwrap(), 100)
        .unwrap()
        .len()
}

#[test]
fn next_run_is_the_next_local_slot() {
    let mut conn = db::open_in_memory().unwrap();
    let created = local(2026, 11, 23, 10, 0);
    import(&mut conn, 3, created);
    let o = overview(&conn, local(2026, 11, 23, 12, 0)).unwrap();
    assert_eq!(o[0].words, "Every night at 2:00");
    assert_eq!(o[0].next_run, Some(local(2026, 11, 24, 2, 0)));
    assert!(o[0].last.is_none());
}

#[test]
fn a_long_gap_runs_once_not_once_per_missed_slot() {
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, 5, local(2026, 11, 16, 10, 0)); // a Monday
                                                      // Not due before 2:00 on Tuesday.
    assert!(tick_at(&mut conn, local(2026, 11, 17, 1, 59)).is_empty());
    // The laptop was closed until Thursday noon: three slots missed, one dream.
    let now = local(2026, 11, 19, 12, 0);
    let out = tick_at(&mut conn, now);
    assert_eq!(out.len(), 1);
    assert!(matches!(&out[0], Outcome::Dreamed(r) if r.dream.trigger == Trigger::Scheduled));
    assert_eq!(dream_count(&conn), 1);
    let agent_id = agents::id_of(&conn, "a").unwrap();
    assert_eq!(
        crate::store::schedule::last(&conn, agent_id)
            .unwrap()
            .unwrap()
            .slot,
        local(2026, 11, 19, 2, 0)
    );
    // The same moment again does nothing.
    assert!(tick_at(&mut conn, now + Duration::minutes(5)).is_empty());
    assert_eq!(
        overview(&conn, now).unwrap()[0].next_run,
        Some(local(2026, 11, 20, 2, 0))
    );
}

#[test]
fn a_slot_with_no_new_sessions_is_skipped_with_a_reason() {
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, 5, local(2026, 11, 16, 10, 0));
    tick_at(&mut conn, local(2026, 11, 17, 2, 0));
    assert_eq!(dream_count(&conn), 1);
    let out = tick_at(&mut conn, local(2026, 11, 18, 2, 1));
    assert!(
        matches!(&out[0], Outcome::Skipped { reason, .. } if reason.contains("No new sessions")),
        "{out:?}"
    );
    assert_eq!(dream_count(&conn), 1);
    let o = overview(&conn, local(2026, 11, 18, 3, 0)).unwrap();
    let last = o[0].last.as_ref().unwrap();
    assert_eq!(last.outcome, ScheduleOutcome::Skipped);
    assert!(last.reason.as_deref().unwrap().contains("No new sessions"));
    // New sessions arrive; the next slot dreams again.
    import(&mut conn, 2, local(2026, 11, 18, 15, 0));
    let out = tick_at(&mut conn, local(2026, 11, 19, 2, 0));
    assert!(matches!(&out[0], Outcome::Dreamed(_)), "{out:?}");
    assert_eq!(dream_count(&conn), 2);
}

#[test]
fn a_running_dream_makes_the_slot_busy_and_a_dead_one_is_recovered() {
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, 5, local(2026, 11, 16, 10, 0));
    let agent_id = agents::id_of(&conn, "a").unwrap();
    let now = local(2026, 11, 17, 2, 0);
    let new = |started| dreams::NewDream {
        agent_id,
        trigger: Trigger::Manual,
        window_days: 7,
        window_start: started - Duration::days(7),
        window_end: started,
        memory_version_start: 0,
        model: "offline",
    };
    let live = dreams::create(
        &conn,
        &new(now - Duration::minutes(1)),
        now - Duration::minutes(1),
    )
    .unwrap();
    let out = tick_at(&mut conn, now);
    assert!(
        matches!(&out[0], Outcome::Busy { reason, .. } if reason.contains(&format!("#{live}"))),
        "{out:?}"
    );

    // The process running it died: its heartbeat stops, and the next slot recovers.
    let later = local(2026, 11, 18, 2, 0);
    import(&mut conn, 1, later - Duration::hours(3));
    let out = tick_at(&mut conn, later);
    assert!(matches!(&out[0], Outcome::Dreamed(_)), "{out:?}");
    assert_eq!(
        dreams::get(&conn, live).unwrap().status,
        DreamStatus::Interrupted
    );
}

#[test]
fn weekday_schedules_follow_posix_crontab() {
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, 5, local(2026, 11, 20, 10, 0)); // a Friday
    let mut r = agents::rubric(&conn, "a").unwrap();
    r.dreaming.schedule = "30 7 * * 1-5".into();
    agents::set_rubric(&conn, "a", &r, local(2026, 11, 20, 10, 0)).unwrap();
    // Saturday and Sunday pass without a dream; Monday 7:30 runs.
    assert!(tick_at(&mut conn, local(2026, 11, 22, 23, 0)).is_empty());
    let o = overview(&conn, local(2026, 11, 22, 23, 0)).unwrap();
    assert_eq!(o[0].words, "Weekdays at 7:30");
    assert_eq!(o[0].next_run, Some(local(2026, 11, 23, 7, 30)));
    assert_eq!(tick_at(&mut conn, local(2026, 11, 23, 7, 30)).len(), 1);
}

#[test]
fn next_wake_is_bounded() {
    let mut conn = db::open_in_memory().unwrap();
    let now = local(2026, 11, 23, 12, 0);
    import(&mut conn, 1, now);
    let wake = next_wake(&conn, now, Duration::minutes(1)).unwrap();
    assert_eq!(wake, now + Duration::minutes(1));
    let wake = next_wake(
        &conn,
        local(2026, 11, 24, 1, 59) + Duration::seconds(30),
        Duration::minutes(5),
    )
    .unwrap();
    assert_eq!(wake, local(2026, 11, 24, 2, 0));
}

#[test]
fn a_canceled_scheduled_dream_is_recorded_and_not_rerun_at_once() {
    let mut conn = db::open_in_memory().unwrap();
    import(&mut conn, 3, local(2026, 11, 23, 10, 0));
    let now = local(2026, 11, 24, 2, 0);
    // The person cancels as soon as the dream reports progress.
    let cancel = AtomicBool::new(false);
    let out = tick(&mut conn, now, &cancel, &mut |_| {
        cancel.store(true, std::sync::atomic::Ordering::Relaxed)
    })
    .unwrap();
    let Outcome::Canceled { dream_id, .. } = &out[0] else {
        panic!("{out:?}")
    };
    assert_eq!(
        dreams::get(&conn, *dream_id).unwrap().status,
        DreamStatus::Canceled
    );
    let o = overview(&conn, now + Duration::seconds(5)).unwrap();
    let last = o[0].last.as_ref().unwrap();
    assert_eq!(
        (last.outcome, last.dream_id),
        (ScheduleOutcome::Canceled, Some(*dream_id))
    );
    // The same slot does not start again; the next night's does.
    assert!(tick_at(&mut conn, now + Duration::seconds(5)).is_empty());
    assert_eq!(o[0].next_run, Some(local(2026, 11, 25, 2, 0)));
}
