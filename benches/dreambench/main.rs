//! DreamBench: `cargo bench --bench dreambench`. Generates seeded workloads with planted
//! preferences and traps in three domains (the third, code review, is held out: it was never
//! looked at while building the miner), runs the offline dreamer, scores it, then times a
//! 10,000-session window. Workloads are also written to `target/dreambench/<domain>.jsonl`.
//!
//! A second table, "Real-work domains", runs workloads written independently of the miner,
//! each with its own generator and wording (`coding`, `support-comments`, `chinese`, `style`,
//! `memory-own-words`). Their goals are reported but only fail the run with
//! `DREAMBENCH_ENFORCE_REAL=1`.
//!
//! `DREAMBENCH_VERBOSE=1` prints every missed truth and unmatched proposal;
//! `DREAMBENCH_ONLY=coding` runs only the workloads whose label contains that text (and skips
//! the timing sections).

// The allocator the app and the command line run (see cli/src/main.rs), so the bench measures
// what people run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod chinese;
mod coding;
mod domains;
mod gen;
mod helpdesk;
mod own_words;
mod real;
mod score;
mod style;

use std::io::Write;
use std::time::Instant;

use reverie::dreaming::offline::{run, DreamInput, DreamSession};
use reverie::model::Trigger;
use reverie::rubric::Rubric;

fn sessions(w: &gen::Workload) -> Vec<DreamSession> {
    w.records
        .iter()
        .map(|r| DreamSession {
            graders: Default::default(),
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
/// Import `n` sessions into a real SQLite file and dream over them; the dream's seconds and the
/// process's peak memory in MB.
fn pipeline(n: usize) -> (f64, f64) {
    let w = gen::generate(&domains::SOCIAL, 42, n / 20, 20);
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
    // `DREAMBENCH_VERBOSE=1`: when each step of the dream began, to see where the time goes.
    let verbose = std::env::var("DREAMBENCH_VERBOSE").is_ok();
    let r = reverie::dreaming::dream(&mut conn, &req, now, &cancel, &mut |p| {
        if verbose {
            eprintln!("  {:>6.2} s  {p:?}", t.elapsed().as_secs_f64());
        }
    })
    .expect("dream");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "\nPipeline (real SQLite file): imported {} sessions in {:.2} s; dream over {} sessions in {:.2} s, {} proposals; peak memory {:.1} MB (process; {:.1} MB before the dream)",
        report.imported,
        import_s,
        r.dream.sessions_read,
        secs,
        r.proposals.len(),
        peak_kb() as f64 / 1024.0,
        before as f64 / 1024.0
    );
    (secs, peak_kb() as f64 / 1024.0)
}

/// A made-up word for `i`: distinct for every `i`, so entries made of them do not repeat.
fn word(mut i: usize) -> String {
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "do", "fu", "ga", "hi", "ju", "pe",
        "zo",
    ];
    let mut w = String::new();
    for _ in 0..4 {
        w.push_str(SYL[i % SYL.len()]);
        i /= SYL.len();
    }
    w
}

/// A memory of `n` distinct entries spread over the workload's scopes, about products and
/// places the sessions never mention, so the dreamer compares every finding with them but
/// none decides anything.
fn big_memory(w: &gen::Workload, n: usize) -> Vec<reverie::model::MemoryEntry> {
    const SHAPES: [&str; 5] = [
        "Mention {a} only when someone asks about {b}",
        "Keep the {a} price list next to the {b} order form",
        "Spell {a} and {b} the way the packaging does",
        "Put {a} before {b} in the delivery notes",
        "Call the {a} team before changing {b}",
    ];
    let scopes: Vec<reverie::model::Scope> = w
        .memory
        .iter()
        .map(|e| e.scope.clone())
        .chain(std::iter::once(Default::default()))
        .collect();
    (0..n)
        .map(|i| {
            let mut e = w.memory[0].clone();
            e.id = 10_000 + i as i64;
            e.content = SHAPES[i % SHAPES.len()]
                .replace("{a}", &word(2 * i + 7))
                .replace("{b}", &word(2 * i + 8))
                + ".";
            e.scope = scopes[i % scopes.len()].clone();
            e.scope_label = reverie::model::scope_label(&e.scope);
            e
        })
        .collect()
}

/// A dream over the same window (a busy team's week: 2,000 sessions) with 50 and with 5,000
/// memory entries: the second may take at most twice as long.
fn memory_scale(rubric: &Rubric) -> bool {
    let w = gen::generate(&domains::SOCIAL, 42, 2_000 / 20, 20);
    let ss = sessions(&w);
    let mut times = Vec::new();
    // The first dream of a process pays for what is built once (word lists, the stemmer,
    // threads' first pages): warm up, so both sizes are timed alike whatever ran before. Each
    // size is then timed three times and the fastest run kept: a single run on a shared
    // 2-core machine swings by a tenth either way, more than the margin the goal is about.
    for n in [0usize, 50, 5_000] {
        let memory = big_memory(&w, n);
        let mut best = f64::INFINITY;
        let mut proposals = 0;
        for _ in 0..if n == 0 { 1 } else { 3 } {
            let t = Instant::now();
            let out = run(&DreamInput {
                rubric,
                sessions: &ss,
                memory: &memory,
                rejected: &[],
                now: w.now,
            });
            best = best.min(t.elapsed().as_secs_f64());
            proposals = out.proposals.len();
        }
        if n == 0 {
            continue;
        }
        println!(
            "  {n:>5} memory entries: {best:>6.2} s over {} sessions, {proposals} proposals (fastest of 3)",
            ss.len(),
        );
        times.push(best);
    }
    let ratio = times[1] / times[0].max(1e-9);
    let ok = ratio <= 2.0;
    println!(
        "  5,000 vs 50 entries: {ratio:.2}× the time; goal at most 2×: {}",
        if ok { "met" } else { "MISSED" }
    );
    ok
}

fn print_header() {
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
}

/// Runs the offline dreamer over one workload, prints its row (and with `verbose`, what it
/// missed, what matched nothing and which traps it fell into) and returns the score.
fn run_workload(w: &gen::Workload, label: &str, rubric: &Rubric, verbose: bool) -> score::Score {
    let ss = sessions(w);
    let out = run(&DreamInput {
        rubric,
        sessions: &ss,
        memory: &w.memory,
        rejected: &[],
        now: w.now,
    });
    let s = score::score(w, &out.proposals);
    // "-": the workload plants no stale entry (or no duplicates) to find.
    let mark = |planted: bool, found: bool| match (planted, found) {
        (false, _) => "-",
        (true, true) => "yes",
        (true, false) => "NO",
    };
    println!(
        "{:<22} {:>8} {:>7} {:>9} {:>7.3} {:>10.3} {:>6} {:>6} {:>8}",
        label,
        ss.len(),
        s.truths,
        s.proposals,
        s.recall(),
        s.precision(),
        s.traps.len(),
        mark(w.truths.iter().any(|t| t.op == "refine"), s.stale),
        mark(w.truths.iter().any(|t| t.op == "merge"), s.dupes)
    );
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
                // `DREAMBENCH_ALL=why`: the reason and the sessions behind each, too.
                if std::env::var("DREAMBENCH_ALL").as_deref() == Ok("why") {
                    println!("        why: {}", p.rationale);
                    println!("        from: {}", p.supporting.join(" "));
                }
            }
        }
        for n in &out.notes {
            println!("    note: {n}");
        }
    }
    s
}

fn main() {
    // `REVERIE_BENCH_QUICK=1` (what CI runs): three workloads, scale up to 4,000 sessions.
    let quick = std::env::var_os("REVERIE_BENCH_QUICK").is_some();
    // `DREAMBENCH_PIPELINE=1` runs only the whole-pipeline dream over 10,000 sessions, so its
    // peak memory is its own; `DREAMBENCH_PIPELINE=100000` over that many. Goals (release
    // build): a second per 10,000 sessions, and at most 500 MB at 100,000.
    if let Ok(v) = std::env::var("DREAMBENCH_PIPELINE") {
        let n = v.parse::<usize>().ok().filter(|&n| n > 1).unwrap_or(10_000);
        let (secs, peak_mb) = pipeline(n);
        let time_ok = secs <= n as f64 / 10_000.0;
        let mem_ok = peak_mb <= 500.0;
        println!(
            "goals: dream ≤ {:.1} s: {}; peak memory ≤ 500 MB: {}",
            n as f64 / 10_000.0,
            if time_ok { "met" } else { "MISSED" },
            if mem_ok { "met" } else { "MISSED" }
        );
        std::process::exit(if time_ok && mem_ok { 0 } else { 1 });
    }
    // `DREAMBENCH_MEMORY=1` runs only the memory-size comparison.
    if std::env::var("DREAMBENCH_MEMORY").is_ok() {
        std::process::exit(if memory_scale(&Rubric::default()) {
            0
        } else {
            1
        });
    }
    let verbose = std::env::var("DREAMBENCH_VERBOSE").is_ok();
    // `DREAMBENCH_ONLY=coding`: only the workloads whose label contains this text.
    let only = std::env::var("DREAMBENCH_ONLY")
        .ok()
        .filter(|s| !s.is_empty());
    // Several with `|` ("social|coding"); `all` runs every workload without the timings.
    let wanted = |label: &str| {
        only.as_deref()
            .is_none_or(|o| o == "all" || o.split('|').any(|x| label.contains(x)))
    };
    let rubric = Rubric::default();
    println!("DreamBench (offline dreamer), ~20 sessions per scope per week, 7-day window\n");
    let runs: [(&'static domains::Domain, u64, &str); 5] = [
        (&domains::SOCIAL, 1, "social"),
        (&domains::SOCIAL, 7, "social-seed7"),
        (&domains::SUPPORT, 2, "support"),
        (&domains::SUPPORT, 11, "support-seed11"),
        (&domains::REVIEW, 3, "review (held out)"),
    ];
    let mut all_ok = true;
    let mut header = false;
    for (d, seed, label) in runs {
        if (quick && seed > 3) || !wanted(label) {
            continue;
        }
        if !header {
            print_header();
            header = true;
        }
        let w = gen::generate(d, seed, d.scopes.len(), 20);
        if seed < 4 {
            write_jsonl(&w, w.domain);
        }
        let s = run_workload(&w, label, &rubric, verbose);
        all_ok &=
            s.recall() >= 0.95 && s.precision() >= 0.95 && s.traps.is_empty() && s.stale && s.dupes;
    }
    if header {
        println!(
            "\ngoals (recall ≥ 0.95, precision ≥ 0.95, 0 traps, stale and duplicates handled): {}",
            if all_ok { "met" } else { "NOT met" }
        );
    }

    // Real-work domains: own generators, written without looking at the miner.
    type Gen = fn(u64) -> gen::Workload;
    let real: [(&str, Gen); 5] = [
        ("coding", coding::generate),
        ("support-comments", helpdesk::generate),
        ("chinese", chinese::generate),
        ("style", style::generate),
        ("memory-own-words", own_words::generate),
    ];
    // DREAMBENCH_SEEDS=4,5,6 draws other workloads from the same generators: held out from
    // tuning, to check a change generalises.
    let chosen: Option<Vec<u64>> = std::env::var("DREAMBENCH_SEEDS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect());
    let seeds: &[u64] = match &chosen {
        Some(list) => list,
        None if quick => &[1],
        None => &[1, 2, 3],
    };
    let mut real_ok = true;
    let mut header = false;
    for (name, make) in real {
        for &seed in seeds {
            let label = if seed == 1 {
                name.to_string()
            } else {
                format!("{name}-seed{seed}")
            };
            if !wanted(&label) {
                continue;
            }
            if !header {
                println!(
                    "\nReal-work domains (own generators, written without looking at the miner)\n"
                );
                print_header();
                header = true;
            }
            let w = make(seed);
            if seed == 1 {
                write_jsonl(&w, name);
            }
            let s = run_workload(&w, &label, &rubric, verbose);
            let planted = |op: &str| w.truths.iter().any(|t| t.op == op);
            real_ok &= s.recall() >= 0.9
                && s.precision() >= 0.9
                && s.traps.is_empty()
                && (s.stale || !planted("refine"))
                && (s.dupes || !planted("merge"));
        }
    }
    let enforce_real = std::env::var("DREAMBENCH_ENFORCE_REAL").is_ok_and(|v| v != "0");
    if header {
        println!(
            "\nreal-work goals (recall ≥ 0.9, precision ≥ 0.9, 0 traps, stale and duplicates handled where planted): {}{}",
            if real_ok { "met" } else { "NOT met" },
            if enforce_real {
                ""
            } else {
                " (reported only; DREAMBENCH_ENFORCE_REAL=1 makes them fail the run)"
            }
        );
    }
    if !enforce_real {
        real_ok = true;
    }
    if only.is_some() {
        std::process::exit(if all_ok && real_ok { 0 } else { 1 });
    }

    println!("\nScale: social domain, 20 sessions per client per week");
    let base = peak_kb();
    let mut times = Vec::new();
    let sizes: &[usize] = if quick {
        &[1_000, 2_000, 4_000]
    } else {
        &[2_500, 5_000, 10_000]
    };
    for &n in sizes {
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
    let growth = t2 / t0.max(1e-9);
    let linear = n2 as f64 / n0 as f64;
    // n log n is fine; anything steeper means a dream over a busy month stops being quick.
    let scale_ok = growth <= 1.5 * linear;
    println!(
        "  growth {n0} → {n2}: {growth:.2}× time for {linear:.0}× sessions; goal at most {:.1}×: {}",
        1.5 * linear,
        if scale_ok { "met" } else { "MISSED" }
    );
    let memory_ok = memory_scale(&rubric);
    pipeline(if quick { 2_000 } else { 10_000 });
    if !all_ok || !real_ok || !scale_ok || !memory_ok {
        std::process::exit(1);
    }
}
