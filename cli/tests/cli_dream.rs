//! Dreaming and review end to end through the CLI: dream, approve, reject, dream again, undo.

mod common;

use common::{fixture, reverie};
use serde_json::Value;

const NOW: &str = "2026-11-24T08:00:00Z";

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = reverie(
        &db,
        &["import", fixture("sessions.jsonl").to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, db)
}

fn dream(db: &std::path::Path) -> Value {
    let run = reverie(
        db,
        &[
            "dream",
            "--agent",
            "social-drafts",
            "--window-days",
            "30",
            "--now",
            NOW,
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn memory(db: &std::path::Path) -> Vec<Value> {
    reverie(
        db,
        &["memory", "list", "--agent", "social-drafts", "--json"],
    )
    .json()["entries"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn dream_proposes_scoped_rules_with_real_evidence_and_changes_nothing() {
    let (_dir, db) = setup();
    let d = dream(&db);
    assert_eq!(d["dream"]["status"], "completed");
    assert_eq!(d["dream"]["sessions_read"], 24);
    assert!(d["dream"]["warning"]
        .as_str()
        .unwrap()
        .contains("Too little signal"));
    let proposals = d["proposals"].as_array().unwrap();
    assert!(!proposals.is_empty());
    for p in proposals {
        for key in [
            "id",
            "op",
            "content",
            "scope",
            "targets",
            "evidence",
            "confidence",
            "rationale",
        ] {
            assert!(p.get(key).is_some(), "proposal lacks {key}: {p}");
        }
        // Each rule in the sample is one client's, so none may be team-wide.
        assert!(p["scope"]["client"].is_string(), "unscoped proposal: {p}");
        // Evidence cites sessions that exist, with quotes that really appear in them.
        let conn = rusqlite::Connection::open(&db).unwrap();
        for e in p["evidence"].as_array().unwrap() {
            let (id, quote) = (
                e["session_id"].as_str().unwrap(),
                e["quote"].as_str().unwrap(),
            );
            let found: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sessions s WHERE s.external_id = ?1 AND (
                        EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND instr(m.content, ?2) > 0)
                        OR EXISTS (SELECT 1 FROM feedback f WHERE f.session_id = s.id AND instr(f.final_text, ?2) > 0))",
                    [id, quote.trim_end_matches('…')],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                found, 1,
                "evidence {id}: {quote:?} not found in that session"
            );
        }
    }
    // The one-off "casual tone for this one" request never becomes a rule.
    assert!(!proposals.iter().any(|p| p["content"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("casual")));
    assert!(
        memory(&db).is_empty(),
        "a dream changed memory without approval"
    );
}

#[test]
fn approve_reject_dream_again_and_undo() {
    let (_dir, db) = setup();
    let d = dream(&db);
    let ids: Vec<String> = d["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].to_string())
        .collect();
    assert!(ids.len() >= 3, "{d}");
    let dream_id = d["dream"]["id"].to_string();

    let approve = reverie(
        &db,
        &[
            "review", "approve", &ids[0], &ids[1], "--json", "--now", NOW,
        ],
    );
    assert_eq!(approve.code, 0, "{}", approve.stderr);
    let reject = reverie(
        &db,
        &[
            "review",
            "reject",
            &ids[2],
            "--reason",
            "we like emoji",
            "--json",
            "--now",
            NOW,
        ],
    );
    assert_eq!(reject.code, 0, "{}", reject.stderr);
    assert_eq!(reject.json()["proposals"][0]["reason"], "we like emoji");

    let entries = memory(&db);
    assert_eq!(entries.len(), 2);
    let contents: Vec<&str> = entries
        .iter()
        .map(|e| e["content"].as_str().unwrap())
        .collect();
    for p in &d["proposals"].as_array().unwrap()[..2] {
        assert!(contents.contains(&p["content"].as_str().unwrap()));
    }
    // Deciding twice is refused.
    let again = reverie(&db, &["review", "approve", &ids[0], "--json"]);
    assert_eq!(again.json()["error"]["code"], "already_decided");
    assert!(
        reverie(&db, &["review", "list", "--json"]).json()["proposals"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The next dream repeats neither what memory now says nor what was rejected.
    let d2 = dream(&db);
    assert!(d2["proposals"].as_array().unwrap().is_empty(), "{d2}");
    let notes = d2["dream"]["notes"].to_string();
    assert!(notes.contains("rejected before"), "{notes}");

    // Undo restores memory exactly.
    let undo = reverie(&db, &["dream", "undo", &dream_id, "--json", "--now", NOW]);
    assert_eq!(undo.code, 0, "{}", undo.stderr);
    assert_eq!(undo.json()["reverted_changes"], 2);
    assert!(memory(&db).is_empty());
    let twice = reverie(&db, &["dream", "undo", &dream_id, "--json"]);
    assert_eq!(twice.json()["error"]["code"], "already_undone");
    let list = reverie(
        &db,
        &["dream", "list", "--agent", "social-drafts", "--json"],
    )
    .json();
    assert_eq!(list["dreams"].as_array().unwrap().len(), 2);
}

#[test]
fn auto_apply_applies_at_the_end_of_the_dream() {
    let (dir, db) = setup();
    let yaml = reverie(&db, &["rubric", "show", "--agent", "social-drafts"]).stdout;
    let file = dir.path().join("r.yaml");
    std::fs::write(&file, yaml.replace("auto_apply: false", "auto_apply: true")).unwrap();
    assert_eq!(
        reverie(
            &db,
            &[
                "rubric",
                "set",
                "--agent",
                "social-drafts",
                file.to_str().unwrap()
            ]
        )
        .code,
        0
    );
    let d = dream(&db);
    let n = d["proposals"].as_array().unwrap().len();
    assert!(n > 0);
    assert_eq!(d["dream"]["applied"], n);
    assert_eq!(memory(&db).len(), n);
}

#[test]
fn dream_needs_an_agent_and_a_sane_window() {
    let (_dir, db) = setup();
    let run = reverie(&db, &["dream", "--json"]);
    assert_eq!(run.json()["error"]["code"], "invalid_input");
    let run = reverie(
        &db,
        &[
            "dream",
            "--agent",
            "social-drafts",
            "--window-days",
            "0",
            "--json",
        ],
    );
    assert_eq!(run.json()["error"]["code"], "invalid_input");
    let run = reverie(&db, &["dream", "--agent", "nobody", "--json"]);
    assert_eq!(run.json()["error"]["code"], "not_found");
}
