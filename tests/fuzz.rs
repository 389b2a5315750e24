//! Mutation fuzzers for what people feed Reverie: session files and rubrics. Valid input is
//! mutated at random (bytes flipped, inserted, deleted, lines cut, fields given the wrong type,
//! invalid UTF-8, out-of-range dates) and read by the real importer into a real SQLite file.
//! Nothing may panic; every line is accounted for (imported, updated or reported with its
//! number); the database stays intact; a rubric error always points inside the file.
//!
//! Short form (CI): a few hundred cases. Long form, 5,000 import cases and 5,000 rubrics:
//! `REVERIE_FAULT_LONG=1 cargo test --release --test fuzz -- --nocapture`.

mod common;

use reverie::import::{import_file, ImportOptions};
use reverie::rubric::Rubric;
use serde_json::{json, Value};

fn long() -> bool {
    std::env::var_os("REVERIE_FAULT_LONG").is_some()
}

fn valid_line(rng: &mut fastrand::Rng, i: usize) -> Value {
    let day = 1 + rng.usize(0..28);
    let agent = ["social-drafts", "support", "review-bot"][rng.usize(0..3)];
    let client = ["Harbour Tea", "Fernwood", "Quill"][rng.usize(0..3)];
    let minute = rng.usize(0..60);
    json!({
        "id": format!("s-{i}"),
        "agent": agent,
        "started_at": format!("2026-10-{day:02}T09:{minute:02}:00Z"),
        "ended_at": format!("2026-10-{day:02}T10:00:00Z"),
        "user": "mei",
        "tags": {"client": client},
        "messages": [
            {"role": "user", "content": "Draft today's post."},
            {"role": "assistant", "content": "Meet our autumn blend! Warm and smooth."},
            {"role": "user", "content": "No exclamation marks, please."}
        ],
        "feedback": [{"message": 1, "verdict": "revised", "final_text": "Meet our autumn blend. Warm and smooth.", "comment": "calm"}],
        "outcomes": {"task_completed_first_pass": false}
    })
}

/// Replace a random field's value with a value of another type, or drop it.
fn mutate_field(rng: &mut fastrand::Rng, v: &mut Value) {
    let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    let k = &keys[rng.usize(0..keys.len())];
    let replacement = match rng.usize(0..9) {
        0 => Value::Null,
        1 => json!(12345678901234567890u64),
        2 => json!(-1),
        3 => json!("1900-01-01T00:00:00Z"),
        4 => json!("2999-12-31T00:00:00Z"),
        5 => json!([1, "two", null]),
        6 => json!({"nested": {"deep": true}}),
        7 => json!("x".repeat(rng.usize(0..2000))),
        _ => {
            v.as_object_mut().unwrap().remove(k);
            return;
        }
    };
    v[k] = replacement;
}

fn mutate_bytes(rng: &mut fastrand::Rng, b: &mut Vec<u8>) {
    for _ in 0..rng.usize(1..4) {
        if b.is_empty() {
            b.push(b'{');
        }
        let at = rng.usize(0..b.len());
        match rng.usize(0..7) {
            0 => b[at] = rng.u8(..),
            1 => b.insert(at, rng.u8(..)),
            2 => {
                b.remove(at);
            }
            3 => b.truncate(at),
            // Invalid UTF-8 of several kinds: a lone continuation, an overlong form, a surrogate.
            4 => b.splice(at..at, [0x80]).for_each(drop),
            5 => b.splice(at..at, [0xC0, 0xAF]).for_each(drop),
            _ => b.splice(at..at, [0xED, 0xA0, 0x80]).for_each(drop),
        }
    }
}

/// Lines the importer must account for: everything but lines that are only whitespace.
fn counted_lines(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let mut raw = raw;
        if i == 0 {
            raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
        }
        match std::str::from_utf8(raw) {
            Ok(s) if s.trim().is_empty() => {}
            _ => n += 1,
        }
    }
    n
}

#[test]
fn mutated_session_files_never_panic_and_account_for_every_line() {
    let cases = if long() { 5_000 } else { 400 };
    let per_file = 100;
    let mut rng = fastrand::Rng::with_seed(0x5EED);
    let dir = tempfile::tempdir().unwrap();
    let mut conn = reverie::store::db::open(&dir.path().join("fuzz.db")).unwrap();
    let now = "2026-11-01T00:00:00Z".parse().unwrap();
    let mut case = 0;
    let mut totals = (0u64, 0u64, 0u64);
    while case < cases {
        let mut bytes = Vec::new();
        if rng.bool() {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        for _ in 0..per_file {
            let id = rng.usize(0..cases);
            let mut v = valid_line(&mut rng, id);
            let mut line = match rng.usize(0..4) {
                0 => v.to_string().into_bytes(),
                1 => {
                    mutate_field(&mut rng, &mut v);
                    v.to_string().into_bytes()
                }
                _ => {
                    let mut b = v.to_string().into_bytes();
                    mutate_bytes(&mut rng, &mut b);
                    b
                }
            };
            if rng.usize(0..20) == 0 {
                line.extend_from_slice(b"\r");
            }
            bytes.extend(line);
            bytes.push(b'\n');
            case += 1;
        }
        let file = dir.path().join(format!("f{case}.jsonl"));
        std::fs::write(&file, &bytes).unwrap();
        let opts = ImportOptions {
            format: Some(reverie::import::Format::Reverie),
            agent: None,
            ..Default::default()
        };
        let r = import_file(&mut conn, &file, &opts, now, &mut |_| {})
            .unwrap_or_else(|e| panic!("the import itself failed on {}: {e}", file.display()));
        assert_eq!(
            r.imported + r.updated + r.failed,
            counted_lines(&bytes),
            "a line went missing in {}: {r:?}",
            file.display()
        );
        for e in &r.errors {
            assert!(e.line >= 1 && !e.message.is_empty(), "{e:?}");
        }
        totals.0 += r.imported;
        totals.1 += r.updated;
        totals.2 += r.failed;
    }
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let broken: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    // Each stored session is whole: its message count matches its messages.
    let partial: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sessions s WHERE s.message_count !=
                (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(partial, 0);
    println!(
        "import fuzz: {cases} lines, {} imported, {} updated, {} refused with a reason",
        totals.0, totals.1, totals.2
    );
    assert!(
        totals.0 > 0 && totals.2 > 0,
        "the fuzzer exercised both paths"
    );
}

const RUBRIC: &str = "outcomes:
  - name: task_completed_first_pass
    description: Agent completed the task without requiring user to re-explain or correct course
    signal: high
  - name: format_matched_request
    description: Output format matched what the user asked for (no reformat requests)
    signal: high
dreaming:
  schedule: \"0 2 * * *\"   # standard 5-field crontab, local time
  review_window_days: 7
  auto_apply: false
";

fn mutate_rubric(rng: &mut fastrand::Rng) -> String {
    let mut lines: Vec<String> = RUBRIC.lines().map(str::to_string).collect();
    for _ in 0..rng.usize(1..4) {
        let i = rng.usize(0..lines.len());
        match rng.usize(0..8) {
            0 => {
                let j = rng.usize(0..lines.len());
                lines.swap(i, j)
            }
            1 => {
                lines.remove(i);
            }
            2 => lines[i] = format!("  {}", lines[i]),
            3 => lines[i] = lines[i].trim_start().to_string(),
            4 => lines.insert(i, lines[i].clone()),
            5 => {
                let mut b = lines[i].clone().into_bytes();
                mutate_bytes(rng, &mut b);
                lines[i] = String::from_utf8_lossy(&b).into_owned();
            }
            6 => lines[i] = lines[i].replace(':', [":", " :", "::", ""][rng.usize(0..4)]),
            _ => {
                lines[i] = lines[i].replace(
                    ['7', '2', 'h'],
                    ["0", "99", "\u{0}", "-1", "high medium"][rng.usize(0..5)],
                )
            }
        }
        if lines.is_empty() {
            break;
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_rubrics_never_panic_and_every_error_points_inside_the_file() {
    let cases = if long() { 5_000 } else { 500 };
    let mut rng = fastrand::Rng::with_seed(0xB0B);
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..cases {
        let text = mutate_rubric(&mut rng);
        let lines = text.lines().count().max(1) as u32;
        match Rubric::from_yaml(&text) {
            Ok(r) => {
                valid += 1;
                let again = Rubric::from_yaml(&r.to_yaml()).expect("what it writes it reads");
                assert_eq!(again, r);
            }
            Err(issues) => {
                invalid += 1;
                assert!(!issues.is_empty());
                for i in &issues {
                    assert!(!i.message.is_empty() && !i.field.is_empty(), "{i:?}");
                    if let (Some(l), Some(c)) = (i.line, i.column) {
                        assert!(l >= 1 && l <= lines + 1 && c >= 1, "{i:?} in:\n{text}");
                    }
                }
            }
        }
    }
    println!("rubric fuzz: {cases} rubrics, {valid} valid, {invalid} refused with a place");
    assert!(invalid > 0 && valid > 0, "the fuzzer exercised both paths");
}
