//! The import command end to end: real binary, real SQLite file.

mod common;

use common::{fixture, reverie, synthetic_sessions};

#[test]
fn ten_thousand_sessions_import_then_update_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let file = dir.path().join("sessions.jsonl");
    std::fs::write(&file, synthetic_sessions(10_000, "social-drafts")).unwrap();
    let f = file.to_str().unwrap();

    let first = reverie(&db, &["import", f, "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let j = first.json();
    assert_eq!(
        (
            j["imported"].as_u64(),
            j["updated"].as_u64(),
            j["failed"].as_u64()
        ),
        (Some(10_000), Some(0), Some(0))
    );

    let second = reverie(&db, &["import", f, "--json"]).json();
    assert_eq!(
        (second["imported"].as_u64(), second["updated"].as_u64()),
        (Some(0), Some(10_000))
    );

    let agents = reverie(&db, &["agent", "list", "--json"]).json();
    assert_eq!(agents["agents"][0]["slug"], "social-drafts");
    assert_eq!(agents["agents"][0]["sessions"], 10_000);
}

#[test]
fn broken_lines_are_reported_by_number_and_the_rest_land() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = reverie(
        &db,
        &[
            "import",
            fixture("broken.jsonl").to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(
        run.code, 3,
        "some lines failed, and the exit status says so: {}",
        run.stderr
    );
    let j = run.json();
    let lines: Vec<u64> = j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 4, 5]);
    assert_eq!(j["failed"], 3);
    assert_eq!(j["imported"], 3);
    for e in j["errors"].as_array().unwrap() {
        assert!(
            e["message"].as_str().unwrap().len() > 20,
            "error says too little: {e}"
        );
    }
    // Nothing half-written: only the good sessions exist, each complete.
    let agents = reverie(&db, &["agent", "list", "--json"]).json();
    let total: u64 = agents["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["sessions"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 3);

    // People get the same facts in words.
    let text = reverie(&db, &["import", fixture("broken.jsonl").to_str().unwrap()]);
    assert!(text.stdout.contains("line 2:"), "{}", text.stdout);
    assert!(text.stdout.contains("line 5:"), "{}", text.stdout);
}

#[test]
fn sample_sessions_import_and_show_in_agent_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let j = reverie(
        &db,
        &[
            "import",
            fixture("sessions.jsonl").to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(j["failed"], 0, "{j}");
    assert_eq!(j["format"], "reverie");
    assert!(j["imported"].as_u64().unwrap() >= 20);
    let a = reverie(&db, &["agent", "show", "social-drafts", "--json"]).json();
    assert_eq!(a["agent"]["sessions"], j["imported"]);
    // The new agent got the default rubric.
    let r = reverie(
        &db,
        &["rubric", "show", "--agent", "social-drafts", "--json"],
    )
    .json();
    assert_eq!(r["rubric"]["outcomes"].as_array().unwrap().len(), 4);
}

#[test]
fn other_formats_are_detected_and_go_to_the_right_agent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let a = reverie(
        &db,
        &[
            "import",
            fixture("anthropic.json").to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    assert_eq!(
        (a["format"].as_str(), a["imported"].as_u64()),
        (Some("anthropic"), Some(1)),
        "{a}"
    );
    let o = reverie(
        &db,
        &[
            "import",
            fixture("openai.json").to_str().unwrap(),
            "--agent",
            "support",
            "--json",
        ],
    )
    .json();
    assert_eq!(
        (o["format"].as_str(), o["imported"].as_u64()),
        (Some("openai"), Some(1)),
        "{o}"
    );
    let dir_cc = fixture("claude-code");
    let cc_file = std::fs::read_dir(dir_cc.join("-home-mei-harbour-site"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let c = reverie(&db, &["import", cc_file.to_str().unwrap(), "--json"]).json();
    assert_eq!(c["format"], "claude-code", "{c}");
    let slugs: Vec<String> = reverie(&db, &["agent", "list", "--json"]).json()["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap().to_string())
        .collect();
    assert!(slugs.contains(&"imported".to_string()), "{slugs:?}");
    assert!(slugs.contains(&"support".to_string()), "{slugs:?}");
    assert!(slugs.contains(&"harbour-site".to_string()), "{slugs:?}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let run = reverie(&db, &["import", "/nonexistent/file.jsonl", "--json"]);
    assert_ne!(run.code, 0);
    assert_eq!(run.json()["error"]["code"], "io");
    let run = reverie(&db, &["import", "/nonexistent/file.jsonl"]);
    assert!(
        run.stderr
            .contains("could not read /nonexistent/file.jsonl"),
        "{}",
        run.stderr
    );
}
