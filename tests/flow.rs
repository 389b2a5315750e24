//! Sessions in and memory out (issue 13), on real files: a real file-system watcher on a temp
//! folder imports a Claude Code log as it grows, reports a bad file while the others import,
//! and a restart imports nothing twice; publishing keeps the person's text byte for byte,
//! follows approvals and undo, stays within what Claude Code loads of MEMORY.md, and stops
//! when the file was edited outside Reverie.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reverie::api::{self, flow};
use reverie::dreaming::DreamRequest;
use reverie::model::{DestinationKind, Scope, Trigger};
use rusqlite::Connection;

fn now() -> DateTime<Utc> {
    "2026-11-24T08:00:00Z".parse().unwrap()
}

fn db(dir: &Path) -> Connection {
    api::open(&dir.join("r.db")).unwrap()
}

fn claude_log() -> Vec<String> {
    let dir = common::fixture("claude-code/-home-mei-harbour-site");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn messages_of(conn: &Connection, agent: &str) -> Vec<usize> {
    let page = api::sessions::list(conn, agent, &Default::default()).unwrap();
    page.sessions
        .iter()
        .map(|s| s.message_count as usize)
        .collect()
}

#[test]
fn a_watched_folder_imports_a_log_as_it_grows() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("project");
    std::fs::create_dir(&folder).unwrap();
    let mut conn = db(dir.path());
    api::agents::create(&mut conn, "site", None, now()).unwrap();
    let tags = Scope::from([("repo".to_string(), "harbour-site".to_string())]);
    let source = flow::add_source(&conn, "site", &folder, &tags, None, now()).unwrap();

    // The app's wiring: a real watcher whose changes sync the source.
    let (tx, rx) = mpsc::channel();
    let db_path = dir.path().join("r.db");
    let id = source.id;
    let _w = reverie::flow::watch::start(
        std::slice::from_ref(&std::path::PathBuf::from(&source.path)),
        Duration::from_millis(300),
        move |_| {
            let mut c = api::open(&db_path).unwrap();
            let s = flow::sync_source(&mut c, id, Utc::now()).unwrap();
            let _ = tx.send(s);
        },
    )
    .unwrap();

    // Claude Code writes its log line by line.
    let lines = claude_log();
    let log = folder.join("6f1c2a9e-3b7d-4e2a-9c51-8d0f4a7b2e13.jsonl");
    let mut f = std::fs::File::create(&log).unwrap();
    let half = lines.len() / 2;
    for l in &lines[..half] {
        writeln!(f, "{l}").unwrap();
    }
    f.flush().unwrap();
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the watcher synced");
    assert_eq!(first.report.files_read, 1);
    let early = messages_of(&conn, "site");
    assert_eq!(early.len(), 1, "one session");
    for l in &lines[half..] {
        writeln!(f, "{l}").unwrap();
    }
    f.flush().unwrap();
    drop(f);
    // Wait for the sync that saw the whole log.
    let mut grown = early.clone();
    for _ in 0..20 {
        if rx.recv_timeout(Duration::from_secs(5)).is_err() {
            break;
        }
        grown = messages_of(&conn, "site");
        if grown[0] > early[0] {
            break;
        }
    }
    assert_eq!(grown.len(), 1, "still one session: updated, not duplicated");
    assert!(grown[0] > early[0], "{early:?} -> {grown:?}");
    let s = api::sessions::list(&conn, "site", &Default::default()).unwrap();
    assert_eq!(
        s.sessions[0].tags.get("repo").map(String::as_str),
        Some("harbour-site")
    );

    // A bad file is reported with its place; the good one stays.
    std::fs::write(folder.join("broken.jsonl"), "{not json\n").unwrap();
    let mut reported = None;
    for _ in 0..10 {
        let Ok(s) = rx.recv_timeout(Duration::from_secs(5)) else {
            break;
        };
        if !s.source.problems.is_empty() {
            reported = Some(s);
            break;
        }
    }
    let s = reported.expect("the bad file was reported");
    assert!(s.source.problems[0].file.ends_with("broken.jsonl"));
    assert_eq!(messages_of(&conn, "site").len(), 1);

    // Restarting (a fresh sync of unchanged files) imports nothing again.
    let again = flow::sync(&mut conn, Some("site"), now()).unwrap();
    assert_eq!(again[0].report.files_read, 0);
    assert_eq!(again[0].report.imported, 0);
    assert_eq!(again[0].source.sessions, 1);
}

fn proposals_for(conn: &mut Connection, agent: &str) -> Vec<reverie::model::Proposal> {
    let req = DreamRequest {
        agent: agent.into(),
        window_days: Some(30),
        trigger: Trigger::Manual,
    };
    let begun = reverie::dreaming::begin(conn, &req, now())
        .unwrap()
        .offline();
    reverie::dreaming::run(conn, &begun, now(), &Default::default(), &mut |_| {})
        .unwrap()
        .proposals
}

#[test]
fn a_claude_md_section_follows_memory_and_leaves_the_rest_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db(dir.path());
    let opts = reverie::import::ImportOptions::default();
    reverie::import::import_file(
        &mut conn,
        &common::fixture("sessions.jsonl"),
        &opts,
        now(),
        &mut |_| {},
    )
    .unwrap();
    let claude_md = dir.path().join("CLAUDE.md");
    let mine = "# Harbour site\r\n\nRun `npm test` before pushing.\n\n<!-- my own comment -->\n";
    std::fs::write(&claude_md, mine).unwrap();
    let preview = flow::preview(
        &conn,
        "social-drafts",
        &claude_md,
        DestinationKind::ClaudeMd,
        &Scope::new(),
    )
    .unwrap();
    assert!(preview.files[0].keeps_existing);
    assert!(preview.files[0].content.starts_with(mine));
    let (dest, published) = flow::add_destination(
        &conn,
        "social-drafts",
        &claude_md,
        DestinationKind::ClaudeMd,
        &Scope::new(),
        now(),
    )
    .unwrap();
    assert_eq!(published.error, None);
    assert_eq!(
        std::fs::read_to_string(&claude_md).unwrap(),
        preview.files[0].content
    );

    // Approve a change: the section holds it, the person's text is byte-identical.
    let proposals = proposals_for(&mut conn, "social-drafts");
    let add = proposals
        .iter()
        .find(|p| p.op == reverie::model::ProposalOp::Add)
        .unwrap();
    api::review::approve(&mut conn, &[add.id], now()).unwrap();
    let text = std::fs::read_to_string(&claude_md).unwrap();
    assert!(
        text.starts_with(mine),
        "the person's text is kept byte for byte"
    );
    let rule = add
        .content
        .split(": ")
        .last()
        .unwrap()
        .trim_end_matches('.');
    assert!(text.contains(rule), "{text}");
    // Taken back: the entry leaves the file again.
    api::review::take_back(&mut conn, &[add.id], now()).unwrap();
    let text = std::fs::read_to_string(&claude_md).unwrap();
    assert!(!text.contains(rule) && text.starts_with(mine));

    // Someone edits the section by hand: the next change does not overwrite it.
    let edited = text.replace("Nothing approved yet.", "Nothing approved yet. (hand edit)");
    assert_ne!(edited, text);
    std::fs::write(&claude_md, &edited).unwrap();
    api::review::approve(&mut conn, &[add.id], now()).unwrap();
    assert_eq!(std::fs::read_to_string(&claude_md).unwrap(), edited);
    let d = flow::destinations(&conn, Some("social-drafts")).unwrap();
    assert!(
        d[0].last_error
            .as_deref()
            .unwrap_or("")
            .contains("outside Reverie"),
        "{d:?}"
    );
    // Publishing on purpose replaces it, still keeping the rest.
    let p = flow::publish_destination(&conn, dest.id, true, now()).unwrap();
    assert_eq!(p.error, None);
    let text = std::fs::read_to_string(&claude_md).unwrap();
    assert!(text.starts_with(mine) && text.contains(rule) && !text.contains("hand edit"));
    // Undoing the dream takes it out again.
    api::dreams::undo(&mut conn, add.dream_id, now()).unwrap();
    let text = std::fs::read_to_string(&claude_md).unwrap();
    assert!(text.starts_with(mine) && !text.contains(rule));
}

#[test]
fn a_claude_memory_folder_stays_within_what_claude_code_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db(dir.path());
    api::agents::create(&mut conn, "big", None, now()).unwrap();
    let folder = dir.path().join("memory");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("MEMORY.md"),
        "# Notes Claude Code wrote\n\n- keep me\n",
    )
    .unwrap();
    flow::add_destination(
        &conn,
        "big",
        &folder,
        DestinationKind::ClaudeMemory,
        &Scope::new(),
        now(),
    )
    .unwrap();
    // Hundreds of entries over many clients, imported at once (one publish).
    let file = dir.path().join("bulk.jsonl");
    let lines: String = (0..400)
        .map(|i| {
            serde_json::json!({"content": format!("Rule number {i} about the client's tone and words."),
                "scope": {"client": format!("Client {}", i % 300)}})
            .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&file, lines).unwrap();
    api::memory::import_file(&mut conn, "big", &file, now()).unwrap();
    let index = std::fs::read_to_string(folder.join("MEMORY.md")).unwrap();
    assert!(index.starts_with("# Notes Claude Code wrote\n\n- keep me\n"));
    assert!(
        index.lines().count() <= reverie::flow::publish::MEMORY_MD_LINES,
        "{} lines",
        index.lines().count()
    );
    assert!(index.len() <= reverie::flow::publish::MEMORY_MD_BYTES);
    // Every entry is in a topic file Claude Code can open.
    let all: String = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("reverie-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    for i in [0, 199, 399] {
        assert!(
            all.contains(&format!("Rule number {i} ")),
            "entry {i} is published"
        );
    }
}

#[test]
fn a_tagged_destination_gets_team_wide_entries_and_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db(dir.path());
    api::agents::create(&mut conn, "code", None, now()).unwrap();
    let repo = |r: &str| Scope::from([("repo".to_string(), r.to_string())]);
    api::memory::add(
        &mut conn,
        "code",
        "Run the formatter before handing back.",
        Scope::new(),
        now(),
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        "code",
        "Billing: never unwrap.",
        repo("billing"),
        now(),
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        "code",
        "Web: use the design system.",
        repo("web"),
        now(),
    )
    .unwrap();
    let agents_md = dir.path().join("AGENTS.md");
    flow::add_destination(
        &conn,
        "code",
        &agents_md,
        DestinationKind::AgentsMd,
        &repo("billing"),
        now(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&agents_md).unwrap();
    assert!(text.contains("Run the formatter") && text.contains("never unwrap"));
    assert!(
        !text.contains("design system"),
        "never another repo's memory"
    );
    // A JSON Lines destination is the memory import format.
    let jsonl = dir.path().join("memory.jsonl");
    flow::add_destination(
        &conn,
        "code",
        &jsonl,
        DestinationKind::Jsonl,
        &Scope::new(),
        now(),
    )
    .unwrap();
    let lines = std::fs::read_to_string(&jsonl).unwrap();
    assert_eq!(lines.lines().count(), 3);
    api::memory::delete(&mut conn, "code", 2, now()).unwrap();
    assert_eq!(std::fs::read_to_string(&jsonl).unwrap().lines().count(), 2);
}
