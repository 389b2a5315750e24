//! Dream records through the engine API with injected time: interrupted dreams, single flight,
//! cancel. A real SQLite file each.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Duration, Utc};
use reverie::dreaming::{self, DreamRequest};
use reverie::model::{DreamStatus, Trigger};
use reverie::store::db;
use reverie::store::{agents, dreams, memory};
use reverie::Error;

mod common;

fn now() -> DateTime<Utc> {
    "2026-11-24T08:00:00Z".parse().unwrap()
}

fn setup() -> (tempfile::TempDir, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("x.db")).unwrap();
    let opts = reverie::import::ImportOptions::default();
    reverie::import::import_file(
        &mut conn,
        &common::fixture("sessions.jsonl"),
        &opts,
        now(),
        &mut |_| {},
    )
    .unwrap();
    (dir, conn)
}

fn req() -> DreamRequest {
    DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Manual,
    }
}

#[test]
fn a_dream_cut_off_midway_is_marked_interrupted_and_memory_is_untouched() {
    let (_dir, mut conn) = setup();
    let agent_id = agents::id_of(&conn, "social-drafts").unwrap();
    let before = memory::list(&conn, agent_id).unwrap();
    // What a killed process leaves behind: a running dream whose heartbeat stopped.
    let started = now() - Duration::hours(3);
    let dead = dreams::create(
        &conn,
        &dreams::NewDream {
            agent_id,
            trigger: Trigger::Scheduled,
            window_days: 7,
            window_start: started - Duration::days(7),
            window_end: started,
            memory_version_start: 0,
            model: "offline",
        },
        started,
    )
    .unwrap();
    let r = dreaming::dream(
        &mut conn,
        &req(),
        now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(r.dream.status, DreamStatus::Completed);
    let old = dreams::get(&conn, dead).unwrap();
    assert_eq!(old.status, DreamStatus::Interrupted);
    assert!(old.error.unwrap().contains("Memory was not changed"));
    assert_eq!(memory::list(&conn, agent_id).unwrap(), before);
}

#[test]
fn one_dream_per_agent_at_a_time() {
    let (_dir, mut conn) = setup();
    let agent_id = agents::id_of(&conn, "social-drafts").unwrap();
    let running = dreams::create(
        &conn,
        &dreams::NewDream {
            agent_id,
            trigger: Trigger::Scheduled,
            window_days: 7,
            window_start: now() - Duration::days(7),
            window_end: now(),
            memory_version_start: 0,
            model: "offline",
        },
        now() - Duration::minutes(1),
    )
    .unwrap();
    let err = dreaming::dream(
        &mut conn,
        &req(),
        now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, Error::DreamRunning(_)), "{err}");
    assert!(err.to_string().contains(&format!("#{running}")));
}

#[test]
fn a_canceled_dream_is_recorded_and_proposes_nothing() {
    let (_dir, mut conn) = setup();
    let mut steps = Vec::new();
    let err = dreaming::dream(&mut conn, &req(), now(), &AtomicBool::new(true), &mut |p| {
        steps.push(p.step.clone())
    })
    .unwrap_err();
    assert!(matches!(err, Error::Canceled));
    assert!(steps.is_empty());
    let agent_id = agents::id_of(&conn, "social-drafts").unwrap();
    let list = dreams::list(&conn, agent_id, 10).unwrap();
    assert_eq!(list[0].status, DreamStatus::Canceled);
    assert_eq!(list[0].proposals, 0);
}

#[test]
fn progress_is_reported_in_plain_words() {
    let (_dir, mut conn) = setup();
    let mut steps = Vec::new();
    dreaming::dream(
        &mut conn,
        &req(),
        now(),
        &AtomicBool::new(false),
        &mut |p| steps.push((p.step.clone(), p.fraction)),
    )
    .unwrap();
    assert_eq!(steps.first().unwrap().0, "Reading sessions");
    assert!(
        steps.iter().any(|(s, _)| s == "Reviewing 24 sessions"),
        "{steps:?}"
    );
    assert_eq!(steps.last().unwrap().1, 1.0);
    assert!(steps.windows(2).all(|w| w[0].1 <= w[1].1));
}
