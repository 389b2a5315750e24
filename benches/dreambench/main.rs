//! DreamBench: `cargo bench --bench dreambench`. Generates seeded workloads with planted
//! preferences and traps in three domains (the third, code review, is held out: it was never
//! looked at while building the miner), runs the offline dreamer, scores it, then times a
//! 10,000-session window. Workloads are also written to `target/dreambench/<domain>.jsonl`.
//! `DREAMBENCH_VERBOSE=1` prints every missed truth and unmatched proposal.

mod domains;
mod gen;
mod score;

use std::io::Write;
use std::time::Instant;

use reverie::dreaming::offline::{run, DreamInput, DreamSession};
use reverie::model::Trigger;
use reverie::rubric::Rubric;

fn sessions(w: &gen::Workload) -> Vec<DreamSession> {
    w.records
        .iter()
        .map(|r| DreamSession {
            id: r.id.clone(),
            started_at: r.started_at,
            tags: r.tags.clone(),
            messages: r.messages.clone(),
            feedback: r.feedback.clone(),
            outcomes: r.outcomes.clone(),
        })
        .collect()
}

fn write_jsonl(w: &gen::Workload, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/dreambench");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    if let Ok(mut f) = std::fs::File::create(dir.join(format!("{name}.jsonl"))) {
        for r in &w.records {
            let _ = writeln!(
                f,
                "{}",
                serde_json::to_string(r).expect("record serializes")
            );
        }
    }
    if let Ok(mut f) = std::fs::File::create(dir.join(format!("{name}.memory.jsonl"))) {
        for m in &w.memory {
            let _ = writeln!(
                f,
                "{}",
                serde_json::json!({"content": m.content, "scope": m.scope})
            );
        }
    }
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The whole dream as the app runs it: 10,000 sessions imported into a real SQLite file, then
/// `dreaming::dream` (load the window, grade, mine, store grades and proposals).
fn pipeline() {
    let w = gen::generate(&domains::SOCIAL, 42, 10_000 / 20, 20);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sessions.jsonl");
    let mut f = std::fs::File::create(&file).expect("create");
    for r in &w.records {
        writeln!(
            f,
            "{}",
            serde_json::to_string(r).expect("record serializes")
        )
        .expect("write");
    }
    drop(f);
    let now = w.now;
    drop(w);
    let mut conn = reverie::store::db::open(&dir.path().join("bench.db")).expect("db");
    let opts = reverie::import::ImportOptions::default();
    let t = Instant::now();
    let report =
        reverie::import::import_file(&mut conn, &file, &opts, now, &mut |_| {}).expect("import");
    let import_s = t.elapsed().as_secs_f64();
    let agent = reverie::store::agents::list(&conn).expect("agents")[0]
        .slug
        .clone();
    let before = peak_kb();
    let t = Instant::now();
    let req = reverie::dreaming::DreamRequest {
        agent,
        window_days: Some(7),
        trigger: Trigger::Manual,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let r = reverie::dreaming::dream(&mut conn, &req, now, &cancel, &mut |_| {}).expect("dream");
    println!(
        "\nPipeline (real SQLite file): imported {} sessions in {:.2} s; dream over {} sessions in {:.2} s, {} proposals; peak memory {:.1} MB (process; {:.1} MB before the dream)",
        report.imported,
        import_s,
        r.dream.sessions_read,
        t.elapsed().as_secs_f64(),
        r.proposals.len(),
        peak_kb() as f64 / 1024.0,
        before as f64 / 1024.0
    );
}

fn main() {
    // `DREAMBENCH_PIPELINE=1` runs only the whole-pipeline dream, so its peak memory is its own.
    if std::env::var("DREAMBENCH_PIPELINE").is_ok() {
        pipeline();
        return;
    }
    let verbose = std::env::var("DREAMBENCH_VERBOSE").is_ok();
    let rubric = Rubric::default();
    println!("DreamBench (offline dreamer), ~20 sessions per scope per week, 7-day window\n");
    println!(
        "{:<22} {:>8} {:>7} {:>9} {:>7} {:>10} {:>6} {:>6} {:>8}",
        "workload",
        "sessions",
        "truths",
        "proposals",
        "recall",
        "precision",
        "traps",
        "stale",
        "dupes"
    );
    let runs: [(&'static domains::Domain, u64, &str); 5] = [
        (&domains::SOCIAL, 1, "social"),
        (&domains::SOCIAL, 7, "social-seed7"),
        (&domains::SUPPORT, 2, "support"),
        (&domains::SUPPORT, 11, "support-seed11"),
        (&domains::REVIEW, 3, "review (held out)"),
    ];
    let mut all_ok = true;
    for (d, seed, label) in runs {
        let w = gen::generate(d, seed, d.scopes.len(), 20);
        if seed < 4 {
            write_jsonl(&w, w.domain);
        }
        let ss = sessions(&w);
        let out = run(&DreamInput {
            rubric: &rubric,
            sessions: &ss,
            memory: &w.memory,
            rejected: &[],
            now: w.now,
        });
        let s = score::score(&w, &out.proposals);
        println!(
            "{:<22} {:>8} {:>7} {:>9} {:>7.3} {:>10.3} {:>6} {:>6} {:>8}",
            label,
            ss.len(),
            s.truths,
            s.proposals,
            s.recall(),
            s.precision(),
            s.traps.len(),
            if s.stale { "yes" } else { "NO" },
            if s.dupes { "yes" } else { "NO" }
        );
        all_ok &=
            s.recall() >= 0.95 && s.precision() >= 0.95 && s.traps.is_empty() && s.stale && s.dupes;
        if verbose || !s.traps.is_empty() {
            for t in &s.traps {
                println!("    trap promoted: {t}");
            }
        }
        if verbose {
            for m in &s.missed {
                println!("    missed: {m}");
            }
            for u in &s.unmatched {
                println!("    unmatched: {u}");
            }
            if std::env::var("DREAMBENCH_ALL").is_ok() {
                for p in &out.proposals {
                    println!(
                        "    proposal: [{}] {:?} {}",
                        p.op.as_str(),
                        p.scope,
                        p.content
                    );
                }
            }
            for n in &out.notes {
                println!("    note: {n}");
            }
        }
    }
    println!(
        "\ngoals (recall ≥ 0.95, precision ≥ 0.95, 0 traps, stale and duplicates handled): {}",
        if all_ok { "met" } else { "NOT met" }
    );

    println!("\nScale: social domain, 20 sessions per client per week");
    let base = peak_kb();
    let mut times = Vec::new();
    for n in [2_500usize, 5_000, 10_000] {
        let w = gen::generate(&domains::SOCIAL, 42, n / 20, 20);
        let ss = sessions(&w);
        drop(w);
        let before = peak_kb();
        let t = Instant::now();
        let out = run(&DreamInput {
            rubric: &rubric,
            sessions: &ss,
            memory: &[],
            rejected: &[],
            now: chrono::Utc::now(),
        });
        let el = t.elapsed().as_secs_f64();
        times.push((n, el));
        println!(
            "  {:>6} sessions: {:>6.2} s, {:>4} proposals, peak memory {:>6.1} MB (process; {:.1} MB before this run, {:.1} MB at start)",
            ss.len(),
            el,
            out.proposals.len(),
            peak_kb() as f64 / 1024.0,
            before as f64 / 1024.0,
            base as f64 / 1024.0
        );
    }
    let (n0, t0) = times[0];
    let (n2, t2) = times[2];
    println!(
        "  growth 2.5k → 10k: {:.2}× time for {:.0}× sessions ({})",
        t2 / t0.max(1e-9),
        n2 as f64 / n0 as f64,
        if t2 / t0.max(1e-9) <= 1.25 * n2 as f64 / n0 as f64 {
            "linear or better"
        } else {
            "worse than linear"
        }
    );
    pipeline();
}
