//! Import throughput: 10,000 Reverie-format sessions into a fresh SQLite file, then the same
//! file again (all updates). Goal: >= 5,000 sessions/s on a 2-core machine (release build).
//! Run: `cargo bench --bench import`

use std::time::Instant;

use reverie::import::{import_file, ImportOptions};

#[path = "../tests/common.rs"]
mod common;

fn main() {
    let n = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sessions.jsonl");
    std::fs::write(&file, common::synthetic_sessions(n, "social-drafts")).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let mut conn = reverie::store::db::open(&dir.path().join("bench.db")).unwrap();
    let now = chrono::Utc::now();
    for label in ["fresh", "re-import (updates)"] {
        let t = Instant::now();
        let r = import_file(
            &mut conn,
            &file,
            &ImportOptions::default(),
            now,
            &mut |_| {},
        )
        .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(r.imported + r.updated, n as u64);
        println!(
            "import {label:<22} {n} sessions ({:.1} MB) in {:.3} s = {:.0} sessions/s",
            size as f64 / 1e6,
            secs,
            n as f64 / secs
        );
    }
}
