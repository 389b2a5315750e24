//! Helpers shared by the integration tests: run the real `reverie` binary on a temp database.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn reverie(db: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("REVERIE_DB")
        .output()
        .expect("run reverie");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A Reverie JSONL file of `n` small sessions for agent `agent`.
pub fn synthetic_sessions(n: usize, agent: &str) -> String {
    let mut s = String::with_capacity(n * 400);
    for i in 0..n {
        let day = 1 + (i % 28);
        s.push_str(&serde_json::json!({
            "id": format!("s-{i:05}"),
            "agent": agent,
            "started_at": format!("2026-10-{day:02}T09:{:02}:00Z", i % 60),
            "user": "mei",
            "tags": {"client": format!("Client {}", i % 12)},
            "messages": [
                {"role": "user", "content": format!("Draft post number {i} for today.")},
                {"role": "assistant", "content": "Meet our autumn blend! Warm, spicy and smooth."},
                {"role": "user", "content": "No exclamation marks, please."}
            ],
            "feedback": [{"message": 1, "verdict": "revised", "final_text": "Meet our autumn blend. Warm, spicy and smooth."}],
            "outcomes": {"task_completed_first_pass": false}
        }).to_string());
        s.push('\n');
    }
    s
}
