//! Helpers shared by the engine's integration tests: fixtures and synthetic session files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
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
