//! The key never leaves for anywhere but the provider: a whole headless run (configure, test
//! the connection, dream with the curator, review, export, then a refused key and an
//! unreachable server) and afterwards every file written (database, WAL, exports, the data
//! folder) and every printed or serialized payload is scanned for the key.

mod common;
#[path = "../../tests/llm_server/mod.rs"]
mod llm_server;

use std::path::Path;
use std::process::Command;

use llm_server::{anthropic, Answer, Server};
use serde_json::json;

const KEY: &str = "sk-ant-api03-SCANME-9d8c7b6a5f4e3d2c1b0a-ZZ";

fn run(dir: &Path, base_env: Option<&str>, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(dir.join("reverie.db"))
        .arg("--now")
        .arg("2026-11-24T08:00:00Z")
        .args(args)
        .env("ANTHROPIC_API_KEY", KEY)
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("REVERIE_KEYCHAIN_SERVICE", "app.reverie.test.scan")
        .env_remove("REVERIE_DB")
        .env_remove("ANTHROPIC_BASE_URL")
        .envs(base_env.map(|b| ("ANTHROPIC_BASE_URL", b)))
        .output()
        .unwrap();
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn the_key_appears_in_no_file_output_or_payload_of_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let answer = json!([{"op": "add", "content": "Fernwood Cycles posts say how long a service takes.",
        "scope": [{"key": "client", "value": "Fernwood Cycles"}], "targets": [],
        "evidence": [{"session_id": "s-0002", "quote": "done in 15 minutes while you wait"}],
        "confidence": 0.8, "rationale": "Seen twice."}]);
    let good = Server::start(anthropic(answer));
    let refused = Server::start(|_, _| {
        Answer::error(
            401,
            "authentication_error",
            &format!("invalid x-api-key {KEY}"),
        )
    });
    let fixture = common::fixture("sessions.jsonl");

    let mut printed = Vec::new();
    let mut r = |base: Option<&str>, args: &[&str]| printed.push(run(d, base, args));
    r(None, &["import", fixture.to_str().unwrap()]);
    r(
        None,
        &["provider", "set", "--kind", "anthropic", "--batches", "off"],
    );
    // The key comes from ANTHROPIC_API_KEY, so the server comes from ANTHROPIC_BASE_URL: an
    // environment's key goes only to the environment's (or the default) server.
    r(Some(&good.addr), &["provider", "show"]);
    r(Some(&good.addr), &["--json", "provider", "show"]);
    r(Some(&good.addr), &["provider", "test"]);
    r(Some(&good.addr), &["--json", "provider", "test"]);
    r(
        Some(&good.addr),
        &["dream", "--agent", "social-drafts", "--window-days", "30"],
    );
    r(
        Some(&good.addr),
        &[
            "--json",
            "dream",
            "--agent",
            "social-drafts",
            "--window-days",
            "30",
        ],
    );
    r(
        Some(&good.addr),
        &["--json", "dream", "list", "--agent", "social-drafts"],
    );
    r(Some(&good.addr), &["--json", "review", "list"]);
    r(Some(&good.addr), &["review", "approve", "1"]);
    r(
        Some(&good.addr),
        &["memory", "export", "--agent", "social-drafts"],
    );
    r(
        Some(&good.addr),
        &[
            "memory",
            "export",
            "--agent",
            "social-drafts",
            "--format",
            "jsonl",
        ],
    );
    // A refused key (whose error body even echoes it) and an unreachable server.
    r(Some(&refused.addr), &["provider", "test"]);
    r(Some(&refused.addr), &["--json", "provider", "test"]);
    r(
        Some(&refused.addr),
        &[
            "--json",
            "dream",
            "--agent",
            "social-drafts",
            "--window-days",
            "30",
        ],
    );
    r(Some("http://127.0.0.1:9"), &["provider", "test"]);
    r(
        Some("http://127.0.0.1:9"),
        &[
            "--json",
            "dream",
            "--agent",
            "social-drafts",
            "--window-days",
            "30",
        ],
    );
    let all = printed.join("\n");
    std::fs::write(d.join("export.md"), &printed[11]).unwrap();
    std::fs::write(d.join("export.jsonl"), &printed[12]).unwrap();

    // The run did what it says: the key went to the provider, and the answers are readable.
    assert!(good
        .requests()
        .iter()
        .all(|q| q.header("x-api-key") == Some(KEY)));
    assert!(
        all.contains("Connected to Anthropic (claude-sonnet-4-5-20250929): OK"),
        "{all}"
    );
    assert!(all.contains("how long a service takes"), "{all}");
    assert!(
        all.contains("the key was refused; check it in Settings"),
        "{all}"
    );
    assert!(all.contains("could not reach Anthropic"), "{all}");

    assert!(!all.contains(KEY), "the key was printed:\n{all}");
    let mut written = Vec::new();
    files(d, &mut written);
    assert!(written.iter().any(|p| p.ends_with("reverie.db")));
    for p in &written {
        let bytes = std::fs::read(p).unwrap();
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the key is in {}",
            p.display()
        );
    }

    // In-process payloads: what the shell would send over IPC.
    let secret = reverie::secret::Secret::new(KEY);
    assert!(serde_json::to_string(&secret).is_err());
    assert!(!format!("{secret:?} {secret}").contains(KEY));
    let conn = reverie::store::db::open(&d.join("reverie.db")).unwrap();
    let status =
        reverie::llm::provider::status(&conn, &reverie::secret::Keychain::default()).unwrap();
    assert!(!serde_json::to_string(&status).unwrap().contains(KEY));
    let report = reverie::dreaming::report(&conn, 1).unwrap();
    assert!(!serde_json::to_string(&report).unwrap().contains(KEY));
}
