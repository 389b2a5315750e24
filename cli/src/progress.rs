//! `reverie progress`: the figures of the app's Progress view. `--json` prints weeks (start,
//! sessions, drafts, accepted_as_drafted, …), the headline, and each memory entry's effect
//! with `before` / `after` as `{"broken", "of"}`.

use clap::Args;
use reverie::api::progress;
use reverie::model::{Count, ProgressReport};
use serde_json::{json, Value};

use super::work::{parse_tag, scope};
use super::Ctx;

#[derive(Args)]
pub struct ProgressArgs {
    #[arg(long, value_name = "SLUG")]
    agent: String,
    /// Only sessions with this tag, such as client=Harbour Tea (repeat for more)
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
}

fn broken(c: Count) -> Value {
    json!({"broken": c.n, "of": c.of})
}

fn as_json(r: &ProgressReport) -> Value {
    json!({
        "tags": r.tags,
        "clients": r.clients,
        "weeks": r.weeks.iter().map(|w| json!({
            "start": w.week_start,
            "sessions": w.sessions,
            "drafts": w.drafts,
            "accepted_as_drafted": if w.drafts > 0 { json!(w.accepted_as_drafted as f64 / w.drafts as f64) } else { Value::Null },
            "accepted_as_drafted_count": w.accepted_as_drafted,
            "minutes_to_accept": w.minutes_to_accept,
            "correction_rounds": w.correction_rounds,
            "outcomes": w.outcomes,
        })).collect::<Vec<_>>(),
        "headline": {
            "since": r.headline.since,
            "accepted_before": {"accepted": r.headline.accepted_before.n, "of": r.headline.accepted_before.of, "rate": r.headline.accepted_before.rate()},
            "accepted_after": {"accepted": r.headline.accepted_after.n, "of": r.headline.accepted_after.of, "rate": r.headline.accepted_after.rate()},
            "minutes_before": r.headline.minutes_before,
            "minutes_after": r.headline.minutes_after,
            "rounds_before": r.headline.rounds_before,
            "rounds_after": r.headline.rounds_after,
            "words": r.headline.words,
        },
        "dreams": r.dreams,
        "entries": r.entries.iter().map(|e| json!({
            "id": e.id,
            "content": e.content,
            "scope": e.scope,
            "since": e.since,
            "check": e.check,
            "before": broken(e.before),
            "after": broken(e.after),
            "verdict": e.verdict,
            "words": e.words,
        })).collect::<Vec<_>>(),
    })
}

pub fn run(ctx: Ctx, args: ProgressArgs) -> reverie::Result<()> {
    let r = progress::report(&ctx.conn, &args.agent, &scope(args.tags)?)?;
    ctx.out(&as_json(&r), || {
        let mut s = r.headline.words.clone();
        for w in &r.weeks {
            s.push_str(&format!(
                "\n  week of {}: {} sessions, {} of {} drafts accepted as written",
                w.week_start.format("%Y-%m-%d"),
                w.sessions,
                w.accepted_as_drafted,
                w.drafts
            ));
        }
        if !r.entries.is_empty() {
            s.push_str("\nMemory entries:");
            for e in &r.entries {
                s.push_str(&format!(
                    "\n  #{} {} [{}]\n     {}",
                    e.id, e.content, e.verdict, e.words
                ));
            }
        }
        s
    });
    Ok(())
}
