//! Rubric and memory commands end to end.

mod common;

use common::{fixture, reverie};

fn db_with_agent() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = reverie(&db, &["agent", "create", "social-drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, db)
}

#[test]
fn broken_rubric_yaml_is_refused_with_line_and_column() {
    let (dir, db) = db_with_agent();
    let file = dir.path().join("rubric.yaml");
    std::fs::write(
        &file,
        "outcomes:\n  - name: task_completed_first_pass\n    description: Done first time\n    signal: urgent\ndreaming:\n  schedule: \"0 2 * *\"\n  review_window_days: 7\n  auto_apply: false\n",
    )
    .unwrap();
    let run = reverie(
        &db,
        &[
            "rubric",
            "set",
            "--agent",
            "social-drafts",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("rubric.yaml:line 4, column 13 (outcomes[0].signal)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("use high, medium or low"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 6, column 13 (dreaming.schedule)"),
        "{}",
        run.stderr
    );
    // Nothing changed.
    let r = reverie(
        &db,
        &["rubric", "show", "--agent", "social-drafts", "--json"],
    )
    .json();
    assert_eq!(r["rubric"]["outcomes"].as_array().unwrap().len(), 4);
}

#[test]
fn rubric_set_then_show_round_trips_exactly() {
    let (dir, db) = db_with_agent();
    let yaml = "outcomes:\n  - name: reply_resolved_issue\n    description: \"The customer's issue was solved: no follow-up needed\"\n    signal: high\n  - name: tone_on_brand\n    description: Tone matched the brand guide\n    signal: low\ndreaming:\n  schedule: \"30 7 * * 1-5\"\n  review_window_days: 14\n  auto_apply: true\n";
    let file = dir.path().join("rubric.yaml");
    std::fs::write(&file, yaml).unwrap();
    let run = reverie(
        &db,
        &[
            "rubric",
            "set",
            "--agent",
            "social-drafts",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown = reverie(&db, &["rubric", "show", "--agent", "social-drafts"]);
    assert_eq!(shown.stdout, yaml);
}

#[test]
fn memory_import_list_export() {
    let (dir, db) = db_with_agent();
    let file = dir.path().join("memory.jsonl");
    std::fs::write(
        &file,
        "{\"content\": \"Never use exclamation marks.\", \"scope\": {}}\n\
         {\"content\": \"Sign off with 'Steep well'.\", \"scope\": {\"client\": \"Harbour Tea\"}}\n\
         {\"content\": 12}\n",
    )
    .unwrap();
    let j = reverie(
        &db,
        &[
            "memory",
            "import",
            "--agent",
            "social-drafts",
            file.to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(
        (j["imported"].as_u64(), j["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(j["errors"][0]["line"], 3);
    // Importing again adds nothing twice.
    let again = reverie(
        &db,
        &[
            "memory",
            "import",
            "--agent",
            "social-drafts",
            file.to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(
        (again["imported"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(2))
    );

    let list = reverie(
        &db,
        &["memory", "list", "--agent", "social-drafts", "--json"],
    )
    .json();
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["scope"], serde_json::json!({}));
    assert_eq!(entries[1]["scope"]["client"], "Harbour Tea");

    let md = reverie(&db, &["memory", "export", "--agent", "social-drafts"]).stdout;
    assert!(
        md.contains("## Team-wide\n\n- Never use exclamation marks."),
        "{md}"
    );
    assert!(md.contains("## client: Harbour Tea"), "{md}");
    let jsonl = reverie(
        &db,
        &[
            "memory",
            "export",
            "--agent",
            "social-drafts",
            "--format",
            "jsonl",
        ],
    )
    .stdout;
    assert_eq!(jsonl.lines().count(), 2);
    // What export writes, import reads back.
    let back = dir.path().join("back.jsonl");
    std::fs::write(&back, &jsonl).unwrap();
    reverie(&db, &["agent", "create", "copy"]);
    let j = reverie(
        &db,
        &[
            "memory",
            "import",
            "--agent",
            "copy",
            back.to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(j["imported"], 2);
    let _ = fixture;
}

#[test]
fn unknown_agent_and_newer_database_are_clear_errors() {
    let (_dir, db) = db_with_agent();
    let run = reverie(&db, &["memory", "list", "--agent", "nobody", "--json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["error"]["code"], "not_found");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let run = reverie(&db, &["agent", "list"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("newer version of Reverie"),
        "{}",
        run.stderr
    );
}
