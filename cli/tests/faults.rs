//! The fault suite: the real `reverie` binary on real SQLite files, killed with SIGKILL at
//! random moments of an import, a dream, an approval and an undo, and run many at once.
//! After every kill the database is intact, nothing is half-written (a batch of sessions, a
//! dream's changes, an approval, an undo: all or nothing), memory is exactly as before or
//! exactly as after, and a dead dream never blocks the agent's next one. Concurrent writers
//! (imports, dreams and hundreds of approvals at once) are never refused as "locked".
//!
//! Short form (CI): a few trials of each. Long form, 30 trials of each kill and 10 rounds of
//! the concurrent writers:
//! `REVERIE_FAULT_LONG=1 cargo test --release -p reverie-cli --test faults -- --nocapture --test-threads 1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, reverie, synthetic_sessions};
use rusqlite::Connection;

fn long() -> bool {
    std::env::var_os("REVERIE_FAULT_LONG").is_some()
}

fn trials() -> usize {
    if long() {
        30
    } else {
        3
    }
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("REVERIE_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn reverie")
}

/// Run to the end and say how long it took.
fn timed(db: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let out = spawn(db, args).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.elapsed()
}

/// Start, then SIGKILL at a random moment within `within`.
fn kill_during(db: &Path, args: &[&str], within: Duration, rng: &mut fastrand::Rng) {
    let mut child = spawn(db, args);
    let at = within.mul_f64(rng.f64() * 1.1);
    std::thread::sleep(at);
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
}

fn copy(from: &Path, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    // A checkpointed template is one file.
    std::fs::copy(from, &to).unwrap();
    to
}

fn checkpoint(db: &Path) {
    let c = Connection::open(db).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

fn intact(db: &Path) -> Connection {
    let c = Connection::open(db).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{}", db.display());
    let broken: i64 = c
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0, "{}", db.display());
    c
}

/// Live memory, exactly: every live entry's id, text, scope and support.
fn memory(c: &Connection) -> Vec<(i64, String, String, i64)> {
    c.prepare(
        "SELECT id, content, scope, support FROM memory_entries WHERE deleted_at IS NULL ORDER BY id",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn killing_an_import_never_leaves_a_half_written_session() {
    let dir = tempfile::tempdir().unwrap();
    let n = 5_000;
    let file = dir.path().join("s.jsonl");
    std::fs::write(&file, synthetic_sessions(n, "social-drafts")).unwrap();
    let took = timed(
        &dir.path().join("measure.db"),
        &["import", file.to_str().unwrap()],
    );
    let mut rng = fastrand::Rng::with_seed(1);
    for t in 0..trials() {
        let db = dir.path().join(format!("i{t}.db"));
        kill_during(&db, &["import", file.to_str().unwrap()], took, &mut rng);
        if !db.exists() {
            continue;
        }
        let c = intact(&db);
        let (sessions, partial): (i64, i64) = c
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(s.message_count != (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id)), 0)
                 FROM sessions s",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or((0, 0));
        assert_eq!(partial, 0, "a session is half-written");
        assert_eq!(sessions % 1000, 0, "a batch is half-written: {sessions}");
        drop(c);
        // Importing again finishes the job: the same as one clean import.
        let again = reverie(&db, &["--json", "import", file.to_str().unwrap()]);
        assert_eq!(again.code, 0, "{}", again.stderr);
        let r = again.json();
        assert_eq!(
            r["imported"].as_u64().unwrap() + r["updated"].as_u64().unwrap(),
            n as u64
        );
        let c = intact(&db);
        let total: i64 = c
            .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))
            .unwrap();
        assert_eq!(total, 3 * n as i64);
    }
}

/// A workspace with sessions of 30 days and some memory, checkpointed into one file.
fn template(dir: &Path, auto_apply: bool) -> PathBuf {
    let db = dir.join(format!("template-{auto_apply}.db"));
    let file = dir.join("many.jsonl");
    std::fs::write(&file, synthetic_sessions(1_500, "social-drafts")).unwrap();
    for args in [
        vec!["import", file.to_str().unwrap()],
        vec!["import", fixture("sessions.jsonl").to_str().unwrap()],
    ] {
        let r = reverie(&db, &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let mem = dir.join("memory.jsonl");
    std::fs::write(
        &mem,
        "{\"content\": \"Always add emoji.\", \"scope\": {}}\n{\"content\": \"Keep posts under 60 words.\", \"scope\": {}}\n",
    )
    .unwrap();
    let r = reverie(
        &db,
        &[
            "memory",
            "import",
            "--agent",
            "social-drafts",
            mem.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    if auto_apply {
        let shown = reverie(&db, &["rubric", "show", "--agent", "social-drafts"]).stdout;
        let yaml = dir.join("rubric.yaml");
        std::fs::write(
            &yaml,
            shown.replace("auto_apply: false", "auto_apply: true"),
        )
        .unwrap();
        let r = reverie(
            &db,
            &[
                "rubric",
                "set",
                "--agent",
                "social-drafts",
                yaml.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    checkpoint(&db);
    db
}

const DREAM: &[&str] = &[
    "--now",
    "2026-11-21T00:00:00Z",
    "dream",
    "--agent",
    "social-drafts",
    "--offline",
    "--window-days",
    "60",
];

#[test]
fn killing_a_dream_leaves_memory_exactly_before_or_after_and_never_blocks_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(2);
    for auto_apply in [false, true] {
        let template = template(dir.path(), auto_apply);
        let before = memory(&intact(&template));
        let full = copy(&template, dir.path(), "full.db");
        let took = timed(&full, DREAM);
        let after = memory(&intact(&full));
        if auto_apply {
            assert_ne!(before, after, "the auto-apply dream changes memory");
        }
        for t in 0..trials() {
            let db = copy(&template, dir.path(), &format!("d{auto_apply}{t}.db"));
            kill_during(&db, DREAM, took, &mut rng);
            let now = memory(&intact(&db));
            assert!(
                now == before || now == after,
                "memory is half-changed after a kill"
            );
            // The next command sees the dead dream for what it is, and dreams at once.
            let list = reverie(
                &db,
                &["--json", "dream", "list", "--agent", "social-drafts"],
            );
            for d in list.json()["dreams"].as_array().unwrap() {
                assert_ne!(
                    d["status"], "running",
                    "a dead dream still shows as running"
                );
            }
            let next = reverie(&db, DREAM);
            assert_eq!(next.code, 0, "the next dream was blocked: {}", next.stderr);
        }
    }
}

/// A workspace with one completed dream whose proposals wait for review.
fn reviewed_template(dir: &Path) -> (PathBuf, Vec<String>, String) {
    let db = template(dir, false);
    let r = reverie(&db, &[&["--json"], DREAM].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = r.json();
    let ids: Vec<String> = report["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].to_string())
        .collect();
    assert!(ids.len() >= 3, "{report}");
    checkpoint(&db);
    (db, ids, report["dream"]["id"].to_string())
}

#[test]
fn killing_an_approval_or_an_undo_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (template, ids, dream) = reviewed_template(dir.path());
    let before = memory(&intact(&template));
    let approve: Vec<&str> = ["review", "approve"]
        .into_iter()
        .chain(ids.iter().map(String::as_str))
        .collect();
    let approved = copy(&template, dir.path(), "approved.db");
    let took = timed(&approved, &approve);
    checkpoint(&approved);
    let after = memory(&intact(&approved));
    assert_ne!(before, after);
    let undone = copy(&approved, dir.path(), "undone.db");
    let undo_took = timed(&undone, &["dream", "undo", &dream]);
    assert_eq!(
        memory(&intact(&undone)),
        before,
        "undo restores memory exactly"
    );

    let mut rng = fastrand::Rng::with_seed(3);
    for t in 0..trials() {
        let db = copy(&template, dir.path(), &format!("a{t}.db"));
        kill_during(&db, &approve, took, &mut rng);
        let now = memory(&intact(&db));
        assert!(
            now == before || now == after,
            "an approval was half-applied"
        );

        let db = copy(&approved, dir.path(), &format!("u{t}.db"));
        kill_during(&db, &["dream", "undo", &dream], undo_took, &mut rng);
        let now = memory(&intact(&db));
        assert!(now == before || now == after, "an undo was half-done");
    }
}

#[test]
fn many_writers_at_once_are_never_refused_as_locked() {
    let rounds = if long() { 10 } else { 1 };
    let dir = tempfile::tempdir().unwrap();
    // Import files for four agents, and two agents with sessions to dream over.
    let files: Vec<PathBuf> = (0..4)
        .map(|i| {
            let f = dir.path().join(format!("imp{i}.jsonl"));
            std::fs::write(&f, synthetic_sessions(1_500, &format!("importer-{i}"))).unwrap();
            f
        })
        .collect();
    for round in 0..rounds {
        let db = dir.path().join(format!("busy{round}.db"));
        for agent in ["dreamer-a", "dreamer-b"] {
            let f = dir.path().join(format!("{agent}.jsonl"));
            std::fs::write(&f, synthetic_sessions(800, agent)).unwrap();
            assert_eq!(reverie(&db, &["import", f.to_str().unwrap()]).code, 0);
        }
        // 200 proposals waiting for review, so 200 approvals and rejections can race.
        {
            let c = Connection::open(&db).unwrap();
            c.execute_batch(
                "INSERT INTO dreams (agent_id, status, trigger, window_days, window_start, window_end,
                    memory_version_start, model, started_at, heartbeat_at, finished_at)
                 VALUES (1, 'completed', 'manual', 7, '2026-10-01T00:00:00.000Z', '2026-10-08T00:00:00.000Z',
                    0, 'offline', '2026-10-08T00:00:00.000Z', '2026-10-08T00:00:00.000Z', '2026-10-08T00:00:01.000Z')",
            )
            .unwrap();
            let dream = c.last_insert_rowid();
            for i in 0..200 {
                c.execute(
                    "INSERT INTO proposals (dream_id, agent_id, op, content, scope, confidence, rationale, pattern)
                     VALUES (?1, 1, 'add', ?2, '{}', 0.9, 'test', ?3)",
                    rusqlite::params![dream, format!("Rule number {i} for the busy test."), format!("busy|{i}")],
                )
                .unwrap();
            }
        }
        let mut children: Vec<(String, Child)> = Vec::new();
        for f in &files {
            children.push((
                "import".into(),
                spawn(&db, &["import", f.to_str().unwrap()]),
            ));
        }
        for agent in ["dreamer-a", "dreamer-b"] {
            let args = [
                "--now",
                "2026-10-30T00:00:00Z",
                "dream",
                "--agent",
                agent,
                "--offline",
                "--window-days",
                "30",
            ];
            children.push(("dream".into(), spawn(&db, &args)));
        }
        let ids: Vec<i64> = {
            let c = Connection::open(&db).unwrap();
            let mut stmt = c
                .prepare("SELECT id FROM proposals WHERE pattern LIKE 'busy|%' ORDER BY id")
                .unwrap();
            let ids = stmt
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            ids
        };
        for (i, id) in ids.iter().enumerate() {
            let id = id.to_string();
            let verb = if i % 2 == 0 { "approve" } else { "reject" };
            children.push((verb.into(), spawn(&db, &["review", verb, &id])));
        }
        let mut refused = Vec::new();
        for (what, child) in children {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            if !out.status.success() || err.contains("locked") || err.contains("busy") {
                refused.push(format!("{what}: {err}"));
            }
        }
        assert!(
            refused.is_empty(),
            "round {round}: {} refused:\n{}",
            refused.len(),
            refused.join("\n")
        );
        let c = intact(&db);
        let waiting: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM proposals WHERE pattern LIKE 'busy|%' AND decision = 'pending'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(waiting, 0, "every approval and rejection landed");
    }
}
