//! `reverie source` and `reverie publish` through the real binary: a Claude Code project
//! folder synced with a tag, a CLAUDE.md destination that follows every memory change made
//! by any verb, and plain errors for paths that are not there.

mod common;

use common::{fixture, reverie};

#[test]
fn sources_sync_and_publishing_follows_every_memory_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(reverie(&db, &["agent", "create", "site"]).code, 0);
    // A copy of a Claude Code project folder.
    let project = dir.path().join("-home-mei-harbour-site");
    std::fs::create_dir(&project).unwrap();
    for e in std::fs::read_dir(fixture("claude-code/-home-mei-harbour-site")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), project.join(e.file_name())).unwrap();
    }
    let add = reverie(
        &db,
        &[
            "--json",
            "source",
            "add",
            "--agent",
            "site",
            project.to_str().unwrap(),
            "--tag",
            "repo=harbour-site",
        ],
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let v = add.json();
    assert_eq!(v["report"]["imported"], 1);
    assert_eq!(v["source"]["tags"]["repo"], "harbour-site");
    // Unchanged: a second sync reads nothing.
    let sync = reverie(&db, &["--json", "source", "sync", "--agent", "site"]).json();
    assert_eq!(sync["synced"][0]["report"]["files_read"], 0);
    let list = reverie(&db, &["source", "list"]);
    assert!(
        list.stdout.contains("harbour-site") && list.stdout.contains("1 sessions"),
        "{}",
        list.stdout
    );

    // Publish to a CLAUDE.md with the person's own notes in it.
    let claude_md = dir.path().join("CLAUDE.md");
    std::fs::write(&claude_md, "# My notes\n\nKeep this.\n").unwrap();
    let preview = reverie(
        &db,
        &[
            "publish",
            "add",
            "--agent",
            "site",
            claude_md.to_str().unwrap(),
            "--as",
            "claude-md",
            "--preview",
        ],
    );
    assert!(
        preview.stdout.contains("Keep this.") && preview.stdout.contains("Nothing approved yet")
    );
    assert_eq!(
        std::fs::read_to_string(&claude_md).unwrap(),
        "# My notes\n\nKeep this.\n",
        "a preview writes nothing"
    );
    let r = reverie(
        &db,
        &[
            "publish",
            "add",
            "--agent",
            "site",
            claude_md.to_str().unwrap(),
            "--as",
            "claude-md",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A memory change made by another verb publishes too.
    let memory = dir.path().join("m.jsonl");
    std::fs::write(
        &memory,
        "{\"content\": \"Run the formatter before handing back.\"}\n",
    )
    .unwrap();
    assert_eq!(
        reverie(
            &db,
            &[
                "memory",
                "import",
                "--agent",
                "site",
                memory.to_str().unwrap()
            ]
        )
        .code,
        0
    );
    let text = std::fs::read_to_string(&claude_md).unwrap();
    assert!(text.starts_with("# My notes\n\nKeep this.\n"));
    assert!(
        text.contains("- Run the formatter before handing back."),
        "{text}"
    );

    let list = reverie(&db, &["--json", "publish", "list"]).json();
    let id = list["destinations"][0]["id"].as_i64().unwrap();
    assert_eq!(list["destinations"][0]["kind"], "claude-md");
    // An edit inside the section stops the next write, says so, and --force replaces it.
    std::fs::write(
        &claude_md,
        text.replace("before handing back", "before handing back!!"),
    )
    .unwrap();
    let now = reverie(&db, &["publish", "now", "--agent", "site"]);
    assert_eq!(now.code, 3, "{}{}", now.stdout, now.stderr);
    assert!(now.stdout.contains("outside Reverie"), "{}", now.stdout);
    assert_eq!(
        reverie(&db, &["publish", "now", "--agent", "site", "--force"]).code,
        0
    );
    assert!(!std::fs::read_to_string(&claude_md).unwrap().contains("!!"));
    assert_eq!(
        reverie(&db, &["publish", "remove", &id.to_string()]).code,
        0
    );
    assert_eq!(
        reverie(&db, &["--json", "publish", "list"]).json()["destinations"],
        serde_json::json!([])
    );
}

#[test]
fn paths_that_are_not_there_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(reverie(&db, &["agent", "create", "site"]).code, 0);
    let r = reverie(
        &db,
        &["source", "add", "--agent", "site", "/nowhere/at/all"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("/nowhere/at/all"), "{}", r.stderr);
    let r = reverie(
        &db,
        &[
            "publish",
            "add",
            "--agent",
            "site",
            dir.path().to_str().unwrap(),
            "--as",
            "claude-md",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is a folder"), "{}", r.stderr);
}

#[test]
fn a_folder_imports_every_session_file_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let folder = dir.path().join("drop");
    std::fs::create_dir_all(folder.join("day-2")).unwrap();
    std::fs::copy(fixture("sessions.jsonl"), folder.join("sessions.jsonl")).unwrap();
    std::fs::copy(
        fixture("anthropic.json"),
        folder.join("day-2/anthropic.json"),
    )
    .unwrap();
    std::fs::write(folder.join("notes.txt"), "not a session file").unwrap();
    std::fs::write(folder.join("bad.jsonl"), "{oops\n").unwrap();
    let r = reverie(
        &db,
        &[
            "--json",
            "import",
            folder.to_str().unwrap(),
            "--agent",
            "drop",
        ],
    );
    assert_eq!(r.code, 3, "some lines failed: {}", r.stderr);
    let v = r.json();
    assert_eq!(v["imported"], 25, "{v}");
    let errors = v["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["message"].as_str().unwrap().starts_with("bad.jsonl")),
        "{v}"
    );
}
