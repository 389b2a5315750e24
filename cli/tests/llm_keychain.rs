//! The key in a real OS keychain: kernel keyutils (`keyctl session - …`) or Secret Service
//! (gnome-keyring inside `dbus-run-session`); `REVERIE_KEYCHAIN_BACKEND` picks one on Linux.
//! Without a reachable keychain these tests say so and pass, unless
//! `REVERIE_KEYCHAIN_REQUIRED=1` (scripts/test.sh sets it), when they fail.

mod common;
#[path = "../../tests/llm_server/mod.rs"]
mod llm_server;

use std::io::Write;
use std::process::{Command, Stdio};

use llm_server::{Answer, Server};
use reverie::secret::{Keychain, Secret};
use serde_json::json;

fn service(tag: &str) -> String {
    format!("app.reverie.test.{tag}.{}", std::process::id())
}

/// The keychain, or `None` (with a note) when there is none and none is required.
fn keychain(tag: &str) -> Option<Keychain> {
    let k = Keychain::with_service(service(tag));
    let probe = Secret::new("probe-value-123");
    match k.set("probe", &probe).and_then(|_| k.remove("probe")) {
        Ok(_) => Some(k),
        Err(e) if std::env::var("REVERIE_KEYCHAIN_REQUIRED").as_deref() == Ok("1") => {
            panic!("a keychain backend is required here but failed: {e}")
        }
        Err(e) => {
            eprintln!("skipping: no keychain backend here ({e})");
            None
        }
    }
}

#[test]
fn a_key_is_added_replaced_read_and_removed() {
    let Some(k) = keychain("roundtrip") else {
        return;
    };
    let account = "anthropic-api-key";
    assert_eq!(k.get(account).unwrap(), None, "a missing entry is Ok(None)");
    k.set(account, &Secret::new("sk-ant-first-0123456789"))
        .unwrap();
    assert_eq!(
        k.get(account).unwrap().unwrap().expose(),
        "sk-ant-first-0123456789"
    );
    k.set(account, &Secret::new("sk-ant-second-0123456789"))
        .unwrap();
    assert_eq!(
        k.get(account).unwrap().unwrap().expose(),
        "sk-ant-second-0123456789"
    );
    assert!(k.remove(account).unwrap());
    assert_eq!(k.get(account).unwrap(), None);
    assert!(
        !k.remove(account).unwrap(),
        "removing twice is not an error"
    );
}

fn cli(db: &std::path::Path, service: &str, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("REVERIE_KEYCHAIN_SERVICE", service)
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("ANTHROPIC_BASE_URL")
        .env_remove("REVERIE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_stores_the_key_from_stdin_and_uses_it_from_the_keychain() {
    let Some(k) = keychain("cli") else { return };
    let key = "sk-ant-api03-KEYCHAINCLI-a1b2c3d4e5f6a7b8";
    let server = Server::start(|_, _| {
        Answer::json(
            200,
            json!({"id": "m", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
            "content": [{"type": "text", "text": "OK"}], "stop_reason": "end_turn",
            "usage": {"input_tokens": 5, "output_tokens": 1}}),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let svc = k.service().to_string();
    let (code, out, err) = cli(
        &db,
        &svc,
        &[
            "provider",
            "set",
            "--kind",
            "anthropic",
            "--base-url",
            &server.addr,
            "--model",
            "claude-haiku-4-5",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cli(&db, &svc, &["provider", "key", "set"], &format!("{key}\n"));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.trim(),
        "Stored the Anthropic key in the system keychain."
    );
    // Keys are kept per provider and server, so this one is only ever sent to this server.
    let account = reverie::llm::provider::keychain_account(
        reverie::model::ProviderKind::Anthropic,
        &server.addr,
    );
    assert_eq!(k.get(&account).unwrap().unwrap().expose(), key);
    assert_eq!(k.get("anthropic-api-key").unwrap(), None);

    let (_, out, _) = cli(&db, &svc, &["--json", "provider", "show"], "");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["provider"]["key"], "keychain");
    assert!(!out.contains(key));

    let (code, out, err) = cli(&db, &svc, &["provider", "test"], "");
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "Connected to Anthropic (claude-haiku-4-5): OK");
    assert_eq!(server.requests()[0].header("x-api-key"), Some(key));

    let (code, out, _) = cli(&db, &svc, &["provider", "key", "remove"], "");
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        "Removed the Anthropic key from the system keychain."
    );
    assert_eq!(k.get(&account).unwrap(), None);
    let (code, _, err) = cli(&db, &svc, &["provider", "test"], "");
    assert_eq!(code, 1);
    assert!(err.contains("no API key is saved for Anthropic"), "{err}");
}
