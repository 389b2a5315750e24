//! A dream's notification reaches a real notification server with the words a person reads,
//! and a click on it comes back as the action that opens the review.
//!
//! Needs a session D-Bus with dunst owning `org.freedesktop.Notifications` (scripts/test.sh
//! starts both). Without one the test is skipped, unless `REVERIE_REQUIRE_NOTIFY=1` (set by
//! scripts/test.sh), in which case a missing server is a failure.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use reverie::dreaming::{self, DreamRequest};
use reverie::import::{import_file, ImportOptions};
use reverie::model::Trigger;
use reverie::notice;
use reverie::store::db;
use reverie_app_lib::notify;

fn required() -> bool {
    std::env::var("REVERIE_REQUIRE_NOTIFY").is_ok_and(|v| v == "1")
}

/// dunst is running and answering, or the test cannot prove delivery.
fn dunst_ready() -> Result<(), String> {
    let info = notify_rust::get_server_information()
        .map_err(|e| format!("no notification server on the session bus: {e}"))?;
    if info.name != "dunst" {
        return Err(format!(
            "the notification server is {}, not dunst",
            info.name
        ));
    }
    Ok(())
}

fn dunstctl(args: &[&str]) -> String {
    let out = Command::new("dunstctl")
        .args(args)
        .output()
        .expect("run dunstctl");
    assert!(out.status.success(), "dunstctl {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// (appname, summary, body) of every notification in dunst's history (closed ones).
fn history() -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(&dunstctl(&["history"])).unwrap();
    let field = |n: &serde_json::Value, k: &str| n[k]["data"].as_str().unwrap_or("").to_string();
    v["data"][0]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|n| (field(n, "appname"), field(n, "summary"), field(n, "body")))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_finished_dream_is_announced_and_a_click_opens_it() {
    if let Err(why) = dunst_ready() {
        assert!(!required(), "REVERIE_REQUIRE_NOTIFY=1 but {why}");
        eprintln!("skipped: {why}");
        return;
    }

    // A real dream over the sample sessions, so the text is what a person would get.
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("r.db")).unwrap();
    let now = "2026-11-24T02:00:00Z".parse().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/sessions.jsonl");
    import_file(
        &mut conn,
        &fixture,
        &ImportOptions::default(),
        now,
        &mut |_| {},
    )
    .unwrap();
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Scheduled,
    };
    let report =
        dreaming::dream(&mut conn, &req, now, &AtomicBool::new(false), &mut |_| {}).unwrap();
    let n = notice::dream_finished("Social drafts", &report.dream).unwrap();
    assert!(
        n.summary.starts_with("Social drafts: ")
            && (n.summary.ends_with(" to review") || n.summary.ends_with("nothing new to learn")),
        "{}",
        n.summary
    );

    let handle = notify::send(&n.summary, &n.body).expect("the server accepts the notification");
    assert_eq!(dunstctl(&["count", "displayed"]).trim(), "1");

    // A click (dunst's "action" on the newest notification) comes back as the open action.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || handle.wait_for_action(|a| tx.send(a.to_string()).unwrap()));
    std::thread::sleep(Duration::from_millis(300));
    dunstctl(&["action", "0"]);
    let action = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a click is reported");
    assert_eq!(action, notify::OPEN_ACTION);

    // Delivered with the right words: dunst keeps what it showed in its history once closed.
    dunstctl(&["close-all"]);
    let until = Instant::now() + Duration::from_secs(5);
    let wanted = (
        notify::APP_NAME.to_string(),
        n.summary.clone(),
        n.body.clone(),
    );
    loop {
        let seen = history();
        if seen.contains(&wanted) {
            break;
        }
        assert!(
            Instant::now() < until,
            "not in dunst's history: {wanted:?}\nseen: {seen:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
