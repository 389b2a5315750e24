//! How many input tokens the LLM curator spends per reviewed session, against the raw
//! transcripts' tokens, as the window grows. Goal: at most 10% of the raw tokens, and flat (a
//! bounded prompt) past 100 sessions.
//!
//! Tokens are estimated as characters / 4 on both sides (raw transcripts and the prompt the
//! curator would send: instructions, tool schema, rubric + memory, findings, excerpts); the
//! prompt is built by the same `llm::prompt::build` the curator uses, from the offline tier's
//! real output on synthetic sessions of about 1,000 tokens each.
//!
//! `cargo bench --bench curator_tokens`

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use reverie::dreaming::curator::prompt;
use reverie::dreaming::offline::{self, DreamInput, DreamSession};
use reverie::llm::estimate_tokens;
use reverie::model::{Feedback, MemoryEntry, MemorySource, Message, Role, Verdict};
use reverie::rubric::Rubric;

const CLIENTS: &[&str] = &[
    "Harbour Tea",
    "Fernwood Cycles",
    "Quill Books",
    "Saltmarsh Gym",
    "Ode Bakery",
    "Kiln Studio",
];
const SIZES: &[usize] = &[50, 100, 200, 400, 1000];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const SENTENCES: &[&str] = &[
    "Our autumn range brings smoked black tea, dried apple and a little clove to the table.",
    "Drop by this weekend and the team will walk you through every option in the shop.",
    "We have kept prices the same as last year, and members still get ten percent off.",
    "Bookings open on Monday at nine, and the first twenty places always go quickly.",
    "Every order ships in recycled packaging from our workshop by the harbour.",
    "The new schedule adds two early sessions for people who like to start before work.",
    "We tested this recipe for three weeks before it earned a place on the menu.",
    "Thank you to everyone who came last month; the photos are up on our page now.",
];

fn draft(r: &mut Lcg, n: usize) -> String {
    (0..n)
        .map(|_| r.pick(SENTENCES))
        .collect::<Vec<_>>()
        .join(" ")
}

fn sessions(n: usize, now: DateTime<Utc>) -> Vec<DreamSession> {
    let mut r = Lcg(42);
    (0..n)
        .map(|i| {
            let client = CLIENTS[i % CLIENTS.len()];
            let first = format!("{}! {}", draft(&mut r, 1), draft(&mut r, 5));
            let second = format!("{} {}", draft(&mut r, 6), "Book now!");
            // Each client has a habit reviewers correct: exclamation marks, a hashtag, length.
            let final_text = match i % CLIENTS.len() {
                0 => second.replace('!', "."),
                1 => format!("{second} #RideFernwood"),
                2 => second.split(". ").take(3).collect::<Vec<_>>().join(". "),
                _ => second.clone(),
            };
            let mut tags = BTreeMap::new();
            tags.insert("client".to_string(), client.to_string());
            let msg = |role, content: String| Message {
                role,
                content,
                tool_calls: Vec::new(),
                stopped: false,
            };
            DreamSession {
                graders: Default::default(),
                id: format!("s-{i:05}"),
                started_at: now - Duration::minutes(((n - i) * 29) as i64),
                tags,
                messages: vec![
                    msg(
                        Role::User,
                        format!("Draft today's post for {client}: {}", draft(&mut r, 1)),
                    ),
                    msg(Role::Assistant, first),
                    msg(
                        Role::User,
                        "Shorter please, and match how we usually sound.".into(),
                    ),
                    msg(
                        Role::Tool,
                        format!("{{\"brand_notes\": \"{}\"}}", draft(&mut r, 3)),
                    ),
                    msg(Role::Assistant, second),
                ],
                feedback: vec![Feedback {
                    message: 4,
                    verdict: if i % 5 == 0 {
                        Verdict::Accepted
                    } else {
                        Verdict::Revised
                    },
                    final_text: Some(final_text),
                    comment: Some("no exclamation marks, end with our hashtag".into()),
                }],
                outcomes: [("task_completed_first_pass".to_string(), i % 3 == 0)]
                    .into_iter()
                    .collect(),
            }
        })
        .collect()
}

fn memory(now: DateTime<Utc>) -> Vec<MemoryEntry> {
    (0..12)
        .map(|i| MemoryEntry {
            id: i + 1,
            content: format!(
                "{}: keep posts under 80 words and sign off with the team name.",
                CLIENTS[i as usize % CLIENTS.len()]
            ),
            scope: BTreeMap::new(),
            scope_label: "Team-wide".into(),
            source: MemorySource::Person,
            dream_id: None,
            session_ids: Vec::new(),
            support: 3,
            created_at: now,
            updated_at: now,
        })
        .collect()
}

fn main() {
    let now: DateTime<Utc> = "2026-11-24T08:00:00Z".parse().unwrap();
    let rubric = Rubric::default();
    let memory = memory(now);
    println!("curator input tokens vs raw transcript tokens (chars/4 estimate)");
    println!(
        "{:>9} {:>12} {:>12} {:>8} {:>15} {:>10}",
        "sessions", "raw tokens", "prompt", "ratio", "prompt/session", "offline"
    );
    let mut failed = false;
    let mut prompts = Vec::new();
    for &n in SIZES {
        let window = sessions(n, now);
        let out = offline::run(&DreamInput {
            rubric: &rubric,
            sessions: &window,
            memory: &memory,
            rejected: &[],
            now,
        });
        let p = prompt::build(&rubric, &memory, &window, &out.proposals, &out.residual, 0);
        let schema = p.schema.as_ref().map(|s| s.to_string()).unwrap_or_default();
        let tokens = p.estimate_tokens() + estimate_tokens(&schema);
        let raw = (prompt::raw_chars(&window) as u64).div_ceil(4);
        let ratio = tokens as f64 / raw as f64;
        println!(
            "{n:>9} {raw:>12} {tokens:>12} {:>7.1}% {:>15.1} {:>10}",
            ratio * 100.0,
            tokens as f64 / n as f64,
            out.proposals.len()
        );
        if ratio > 0.10 {
            failed = true;
        }
        prompts.push((n, tokens));
    }
    let past_100: Vec<u64> = prompts
        .iter()
        .filter(|(n, _)| *n >= 200)
        .map(|(_, t)| *t)
        .collect();
    let flat = past_100.iter().max().unwrap() - past_100.iter().min().unwrap() <= past_100[0] / 10;
    println!(
        "goal: ratio <= 10% at every size: {}; prompt flat (within 10%) from 200 sessions on: {}",
        if failed { "MISSED" } else { "met" },
        if flat { "met" } else { "MISSED" }
    );
    if failed || !flat {
        std::process::exit(1);
    }
}
