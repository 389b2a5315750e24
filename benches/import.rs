//! Import throughput: Reverie-format sessions into a fresh SQLite file, then the same file
//! again (all updates). Goal: >= 5,000 sessions/s both ways; exits non-zero when missed.
//! Run: `cargo bench --bench import` (10,000 sessions, release build). `REVERIE_BENCH_QUICK=1`
//! imports 2,000 and is what CI runs (`cargo bench --profile dev --bench import`).

// The allocator the app and the command line run (see cli/src/main.rs), so the bench measures
// what people run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use reverie::import::{import_file, ImportOptions};

#[path = "../tests/common.rs"]
mod common;

const GOAL_PER_S: f64 = 5_000.0;

fn main() {
    let quick = std::env::var_os("REVERIE_BENCH_QUICK").is_some();
    let n = if quick { 2_000 } else { 10_000 };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sessions.jsonl");
    std::fs::write(&file, common::synthetic_sessions(n, "social-drafts")).unwrap();
    let size = std::fs::metadata(&file).unwrap().len();
    let mut conn = reverie::store::db::open(&dir.path().join("bench.db")).unwrap();
    let now = chrono::Utc::now();
    let mut missed = false;
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
        let rate = n as f64 / secs;
        missed |= rate < GOAL_PER_S;
        println!(
            "import {label:<22} {n} sessions ({:.1} MB) in {:.3} s = {rate:.0} sessions/s",
            size as f64 / 1e6,
            secs,
        );
    }
    println!(
        "goal: >= {GOAL_PER_S:.0} sessions/s: {}",
        if missed { "MISSED" } else { "met" }
    );
    if missed {
        std::process::exit(1);
    }
}
