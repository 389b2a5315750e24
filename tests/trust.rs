//! What must hold for a team to let dreams run unattended (issue 9), through the engine's API on
//! real SQLite files: auto-apply applies only well-supported additions and says why for every
//! proposal; decisions follow one state machine (nothing of an undone dream can be applied, a
//! single change or a rejection can be taken back); a dream can be stopped from another
//! process; imports and rubrics lose nothing and refuse what they cannot read; every foreign
//! key has an index; the demo never dreams on its own at once.

mod common;

use std::io::Write;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use reverie::api;
use reverie::dreaming::DreamRequest;
use reverie::import::ImportOptions;
use reverie::model::{Decision, DreamStatus, ProposalOp, Trigger};
use reverie::rubric::Rubric;
use reverie::{Error, ErrorCode};

fn now() -> DateTime<Utc> {
    "2026-11-20T00:00:00Z".parse().unwrap()
}

fn workspace(auto_apply: bool) -> (tempfile::TempDir, api::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("r.db")).unwrap();
    api::sessions::import_file(
        &mut conn,
        &common::fixture("sessions.jsonl"),
        &ImportOptions::default(),
        now(),
        &mut |_| {},
    )
    .unwrap();
    let mut rubric = api::rubric::get(&conn, "social-drafts").unwrap().rubric;
    rubric.dreaming.auto_apply = auto_apply;
    api::rubric::save(&conn, "social-drafts", &rubric, now()).unwrap();
    (dir, conn)
}

fn dream(conn: &mut api::Connection) -> reverie::model::DreamReport {
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Manual,
    };
    api::dreams::dream(conn, &req, now(), &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn memory(conn: &api::Connection) -> Vec<String> {
    api::memory::list(conn, "social-drafts")
        .unwrap()
        .into_iter()
        .map(|e| e.content)
        .collect()
}

#[test]
fn auto_apply_applies_only_well_supported_additions_and_says_why_for_each() {
    let (_d, mut conn) = workspace(true);
    let r = dream(&mut conn);
    assert!(!r.proposals.is_empty());
    for p in &r.proposals {
        let note = p
            .auto_note
            .as_deref()
            .unwrap_or_else(|| panic!("no note: {p:?}"));
        if p.decision == Decision::Applied {
            assert_eq!(p.op, ProposalOp::Add, "{p:?}");
            assert!(p.flags.is_empty(), "{p:?}");
            assert!(p.support >= 3 && p.support_days >= 3, "{p:?}");
            assert!(note.starts_with("Applied without a person"), "{note}");
        } else {
            assert_eq!(p.decision, Decision::Pending, "{p:?}");
            assert!(note.starts_with("Waits for you"), "{note}");
        }
        if p.op != ProposalOp::Add {
            assert_eq!(p.decision, Decision::Pending, "{p:?}");
        }
    }
    // Without auto-apply no proposal carries a note.
    let (_d2, mut conn2) = workspace(false);
    assert!(dream(&mut conn2)
        .proposals
        .iter()
        .all(|p| p.auto_note.is_none()));
}

#[test]
fn nothing_of_an_undone_dream_can_be_approved_and_decisions_can_be_taken_back() {
    let (_d, mut conn) = workspace(false);
    let r = dream(&mut conn);
    let ids: Vec<i64> = r.proposals.iter().map(|p| p.id).collect();
    assert!(ids.len() >= 3, "{:#?}", r.proposals);
    let before = memory(&conn);

    // Approve one, reject one, then take both decisions back.
    api::review::approve(&mut conn, &ids[..1], now()).unwrap();
    api::review::reject(&mut conn, &ids[1..2], Some("no"), now()).unwrap();
    assert_ne!(memory(&conn), before);
    let back = api::review::take_back(&mut conn, &ids[..2], now()).unwrap();
    assert!(back.iter().all(|p| p.decision == Decision::Pending));
    assert_eq!(memory(&conn), before, "the applied change left memory");
    let e = api::review::take_back(&mut conn, &ids[..1], now()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlreadyDecided, "{e}");

    // Approve again, undo the whole dream: memory is as before, and nothing of the dream
    // can be decided any more.
    api::review::approve(&mut conn, &ids[..2], now()).unwrap();
    api::dreams::undo(&mut conn, r.dream.id, now()).unwrap();
    assert_eq!(memory(&conn), before);
    let e = api::review::approve(&mut conn, &ids[2..3], now()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlreadyUndone, "{e}");
    assert_eq!(
        memory(&conn),
        before,
        "approving after the undo changed memory"
    );
    let e = api::dreams::undo(&mut conn, r.dream.id, now()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlreadyUndone);
}

#[test]
fn a_dream_stops_when_another_process_asks() {
    let (_d, mut conn) = workspace(false);
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Manual,
    };
    let begun = api::dreams::begin(&mut conn, &req, now()).unwrap();
    // Another connection, as another process would have.
    let other = api::open(std::path::Path::new(conn.path().unwrap())).unwrap();
    api::dreams::cancel(&other, begun.dream_id, now()).unwrap();
    let e = api::dreams::run(
        &mut conn,
        &begun,
        now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(e, Error::Canceled), "{e}");
    let d = api::dreams::get(&conn, begun.dream_id).unwrap();
    assert_eq!(d.status, DreamStatus::Canceled);
    assert!(d.finished_at.unwrap() >= d.started_at);
    let e = api::dreams::cancel(&other, begun.dream_id, now()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotRunning);
}

#[test]
fn dream_now_joins_a_dream_already_running_for_the_agent() {
    let (_d, mut conn) = workspace(false);
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Scheduled,
    };
    let begun = match api::dreams::start(&mut conn, &req, now()).unwrap() {
        api::dreams::Started::New(b) => b,
        api::dreams::Started::Joined(_) => panic!("nothing was running"),
    };
    match api::dreams::start(&mut conn, &req, now()).unwrap() {
        api::dreams::Started::Joined(d) => assert_eq!(d.id, begun.dream_id),
        api::dreams::Started::New(_) => panic!("a second dream started"),
    }
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

fn line(id: &str, started: &str) -> String {
    serde_json::json!({"id": id, "agent": "a", "started_at": started,
        "messages": [{"role": "user", "content": "hi"}]})
    .to_string()
}

#[test]
fn an_import_loses_no_good_line_and_names_every_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("r.db")).unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(line("s-1", "2026-11-02T09:00:00Z").bytes());
    bytes.extend(b"\n{\"id\": \"s-2\", \"agent\": \"a\", \"note\": \"caf\xE9\"}\n");
    bytes.extend(line("s-3", "2026-11-03T09:00:00Z").bytes());
    bytes.push(b'\n');
    bytes.extend(line("s-1", "2026-11-04T09:00:00Z").bytes());
    bytes.push(b'\n');
    bytes.extend(line("s-4", "1900-01-01T00:00:00Z").bytes());
    bytes.push(b'\n');
    bytes.extend(line("s-5", "2026-11-05T09:00:00Z").bytes());
    let file = write(dir.path(), "s.jsonl", &bytes);
    let r = api::sessions::import_file(
        &mut conn,
        &file,
        &ImportOptions::default(),
        now(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!((r.imported, r.failed), (3, 3), "{r:?}");
    let lines: Vec<u64> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 4, 5], "{r:?}");
    assert!(r.errors[0].message.contains("UTF-8"), "{r:?}");
    assert!(r.errors[1].message.contains("first on line 1"), "{r:?}");
    assert!(r.errors[2].message.contains("started_at"), "{r:?}");
    let page = api::sessions::list(&conn, "a", &Default::default()).unwrap();
    let mut ids: Vec<String> = page.sessions.into_iter().map(|s| s.id).collect();
    ids.sort();
    assert_eq!(ids, ["s-1", "s-3", "s-5"]);
}

#[test]
fn memory_import_ignores_unknown_fields_and_counts_repeats_as_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("r.db")).unwrap();
    api::agents::create(&mut conn, "a", None, now()).unwrap();
    let file = write(
        dir.path(),
        "m.jsonl",
        b"\xEF\xBB\xBF{\"id\": 7, \"content\": \"Keep posts short.\", \"scope\": {}}\n{\"content\": \"Keep posts short.\"}\n{\"content\": 3}\n{\"content\": \"No emoji.\", \"scope\": {\"client\": \"Quill\"}, \"created_at\": \"x\"}\n",
    );
    let r = api::memory::import_file(&mut conn, "a", &file, now()).unwrap();
    assert_eq!((r.imported, r.updated, r.failed), (2, 1, 1), "{r:?}");
    assert_eq!(r.errors[0].line, 3);
}

#[test]
fn a_rubric_file_that_is_not_text_or_never_fires_is_refused_with_its_place() {
    let good = Rubric::default().to_yaml();
    assert!(
        Rubric::from_yaml(&format!("\u{feff}{good}")).is_ok(),
        "a BOM is accepted"
    );
    let nul = good.replacen("signal: high", "signal: hi\0gh", 1);
    let e = Rubric::from_yaml(&nul).unwrap_err();
    assert!(e[0].message.contains("NUL"), "{e:?}");
    assert_eq!(e[0].line, Some(4));
    let never = good.replace("0 2 * * *", "0 2 30 2 *");
    let e = Rubric::from_yaml(&never).unwrap_err();
    assert!(e[0].message.contains("never runs"), "{e:?}");
    assert_eq!(e[0].field, "dreaming.schedule");
    let long = good.replacen(
        "description: Agent completed",
        &format!("description: {} Agent completed", "x".repeat(2000)),
        1,
    );
    let e = Rubric::from_yaml(&long).unwrap_err();
    assert_eq!(e[0].field, "outcomes[0].description", "{e:?}");
    let lower = format!("{good}  auto_apply_min_days: 1\n");
    let e = Rubric::from_yaml(&lower).unwrap_err();
    assert_eq!(e[0].field, "dreaming.auto_apply_min_days", "{e:?}");
    let raised = format!("{good}  auto_apply_min_sessions: 5\n");
    let r = Rubric::from_yaml(&raised).unwrap();
    assert_eq!(r.dreaming.min_sessions(), 5);
    assert_eq!(r.to_yaml(), raised, "round trip");
}

#[test]
fn every_foreign_key_has_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let conn = api::open(&dir.path().join("r.db")).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in tables {
        let fks: Vec<String> = conn
            .prepare(&format!(
                "SELECT \"from\" FROM pragma_foreign_key_list('{t}')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for col in fks {
            let leading: i64 = conn
                .query_row(
                    &format!(
                        "SELECT COUNT(*) FROM pragma_index_list('{t}') l
                         JOIN pragma_index_info(l.name) i ON i.seqno = 0 WHERE i.name = ?1"
                    ),
                    [&col],
                    |r| r.get(0),
                )
                .unwrap();
            let pk_first: bool = conn
                .query_row(
                    &format!("SELECT pk = 1 FROM pragma_table_info('{t}') WHERE name = ?1"),
                    [&col],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(leading > 0 || pk_first, "{t}.{col} has no index");
        }
    }
}

#[test]
fn the_demo_does_not_dream_on_its_own_until_tomorrow_night() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("r.db")).unwrap();
    api::agents::create_demo(&mut conn, now()).unwrap();
    let s = api::schedule::overview(&conn, now()).unwrap();
    let next = s[0].next_run.unwrap();
    assert!(
        next > now() + chrono::Duration::hours(12),
        "next run {next}"
    );
    assert!(
        next < now() + chrono::Duration::hours(60),
        "next run {next}"
    );
}
