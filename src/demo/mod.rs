//! The demo workspace offered on first run: one agent with three weeks of a small social-media
//! team's sessions, feedback and memory, so a newcomer presses "Dream now" and reviews real
//! proposals with no API key. The sessions hold preferences nobody wrote down (one per client,
//! one team-wide), a one-off request, some noise, and memory with a stale entry and a
//! near-duplicate pair, for the dreamer to find or to leave alone.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::import::record::SessionRecord;
use crate::model::{
    Agent, AgentPatch, Feedback, MemorySource, Message, Role, ScheduleOutcome, ScheduleRecord,
    Scope, Verdict,
};
use crate::store::memory::{Cause, NewEntry, Writer};
use crate::store::{agents, sessions};

mod content;

use content::*;
pub use content::{DEMO_AGENT, DEMO_NAME};

/// The parts of one post, and how it is written.
struct Post<'a> {
    client: &'a Client,
    topic: &'a Topic,
    cta: &'a str,
    /// The "Elevate your…" sentence, if the post has one, and the verb it uses.
    elevate: Option<(&'a str, &'a str)>,
    corrected_detail: bool,
    casual: bool,
    /// Fernwood only: a bike emoji at the end (the client likes them).
    bike: bool,
}

impl Post<'_> {
    /// The post; `breaks_rule` writes it the way the client's reviewers keep correcting.
    fn text(&self, breaks_rule: bool) -> String {
        let t = self.topic;
        let detail = if self.corrected_detail {
            t.detail.1
        } else {
            t.detail.0
        };
        let elevate = self
            .elevate
            .map(|(s, verb)| format!("{} ", s.replace("{}", verb)))
            .unwrap_or_default();
        let body = format!("{} {elevate}{detail}", t.body);
        let voice = self.client.voice;
        let (opener, cta) = match self.casual {
            true => {
                let stop = if voice == Voice::Fernwood { "!" } else { "." };
                (
                    format!("{}{stop} {}", self.client.casual.0, t.opener),
                    self.client.casual.1,
                )
            }
            false => (t.opener.to_string(), self.cta),
        };
        match voice {
            Voice::Harbour => {
                let mark = if breaks_rule { "!" } else { "." };
                format!("{opener}{mark}\n{body} {cta}{mark}\n\n— The Harbour Tea team")
            }
            Voice::Fernwood => {
                let bike = if self.bike { " 🚲" } else { "" };
                let tag = if breaks_rule { "" } else { "\n\n#RideFernwood" };
                format!("{opener}! {body} {cta}!{bike}{tag}")
            }
            Voice::Quill => {
                let (a, b) = if breaks_rule {
                    (" 📚", " ✨")
                } else {
                    ("", "")
                };
                format!("{opener}.{a}\n{body} {cta}.{b}")
            }
        }
    }
}

/// splitmix64, for jitter that is the same on every machine.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn msg(role: Role, content: impl Into<String>) -> Message {
    Message {
        role,
        content: content.into(),
        tool_calls: vec![],
        stopped: false,
    }
}

fn feedback(
    message: u32,
    verdict: Verdict,
    final_text: Option<String>,
    comment: Option<&str>,
) -> Feedback {
    Feedback {
        message,
        verdict,
        final_text,
        comment: comment.map(str::to_string),
    }
}

/// The demo's sessions: working days of the three weeks before `now`, six or seven sessions a
/// day between 9:00 and 17:00, every one finished before `now`.
fn demo_sessions(now: DateTime<Utc>) -> Vec<SessionRecord> {
    let mut out = Vec::new();
    let mut seen = [0usize; 3];
    let mut elevated = [0usize; 3];
    let first = now - Duration::days(DAYS);
    for back in (0..=DAYS).rev() {
        let date = (now - Duration::days(back)).date_naive();
        let weekday = date.weekday();
        if matches!(weekday, Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let seed = date.num_days_from_ce() as u64;
        let slots = 6 + (mix(seed) % 2) as usize;
        for slot in 0..slots {
            let jitter = mix(seed * 16 + slot as u64);
            let minute = 9 * 60 + (slot * 480 / slots) as i64 + (jitter % 35) as i64;
            let start = date
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                + Duration::minutes(minute);
            let end = start + Duration::minutes(4 + ((jitter >> 8) % 12) as i64);
            if start < first || end > now - Duration::minutes(5) {
                continue;
            }
            let ci = out.len() % 3;
            // Each client starts at another point of its cycle, so the clients' rejections and
            // one-off requests fall on different days.
            let (c, k) = (&CLIENTS[ci], seen[ci] + 4 * ci);
            seen[ci] += 1;
            let kind = c.cycle[k % c.cycle.len()];
            let elevate = matches!(kind, Fix { elevate: true }).then(|| {
                elevated[ci] += 1;
                c.elevate[(elevated[ci] - 1) % c.elevate.len()]
            });
            let id = format!("demo-{:03}", out.len() + 1);
            out.push(session(c, k, kind, elevate, weekday, id, start, end));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn session(
    c: &Client,
    k: usize,
    kind: Kind,
    elevate: Option<(&'static str, &'static str)>,
    weekday: Weekday,
    id: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> SessionRecord {
    let topic = &c.topics[(k * 5 + k / 6) % c.topics.len()];
    let ask = ASKS[(k + weekday.num_days_from_monday() as usize) % ASKS.len()]
        .replace("{c}", c.name)
        .replace("{s}", topic.subject);
    let mut post = Post {
        client: c,
        topic,
        cta: c.ctas[(k * 3 + 1) % c.ctas.len()],
        elevate: elevate.map(|(s, _)| (s, "Elevate")),
        corrected_detail: false,
        casual: false,
        bike: c.voice == Voice::Fernwood && k % 3 == 1,
    };
    let mut messages = vec![msg(Role::User, ask)];
    let feedback = match kind {
        Fix { .. } => {
            messages.push(msg(Role::Assistant, post.text(true)));
            post.elevate = elevate;
            let comment = k.is_multiple_of(2).then_some(c.fix_comment);
            feedback(1, Verdict::Revised, Some(post.text(false)), comment)
        }
        Accept => {
            messages.push(msg(Role::Assistant, post.text(false)));
            feedback(1, Verdict::Accepted, None, None)
        }
        Correct => {
            messages.push(msg(Role::Assistant, post.text(true)));
            messages.push(msg(Role::User, c.corrections[k / 10 % 2]));
            messages.push(msg(Role::Assistant, post.text(false)));
            feedback(3, Verdict::Accepted, None, None)
        }
        Tweak { fix } => {
            messages.push(msg(Role::Assistant, post.text(fix)));
            post.corrected_detail = true;
            feedback(
                1,
                Verdict::Revised,
                Some(post.text(false)),
                Some("the client changed a detail"),
            )
        }
        Reject => {
            messages.push(msg(Role::Assistant, post.text(true)));
            feedback(1, Verdict::Rejected, None, Some(c.rejections[k / 10 % 2]))
        }
        OneOff => {
            messages.push(msg(Role::Assistant, post.text(false)));
            let why = c.casual.2[k / 10 % 2];
            let ask = if (k / 10 + c.voice as usize).is_multiple_of(2) {
                format!("Use a casual tone for this Friday post only. {why}.")
            } else {
                format!("Go with a casual tone for this post only. {why}.")
            };
            messages.push(msg(Role::User, ask));
            post.casual = true;
            messages.push(msg(Role::Assistant, post.text(false)));
            feedback(3, Verdict::Accepted, None, Some("perfect for this one"))
        }
    };
    // Some sessions carry outcomes the team recorded by hand.
    let mut outcomes = BTreeMap::new();
    if k.is_multiple_of(3) {
        outcomes.insert("task_completed_first_pass".to_string(), kind == Accept);
        outcomes.insert(
            "user_accepted_output".to_string(),
            feedback.verdict == Verdict::Accepted,
        );
    }
    SessionRecord {
        id,
        agent: DEMO_AGENT.to_string(),
        started_at: start,
        ended_at: Some(end),
        user: Some(c.users[k % c.users.len()].to_string()),
        tags: Scope::from([("client".to_string(), c.name.to_string())]),
        messages,
        feedback: vec![feedback],
        outcomes,
        extra: serde_json::Map::new(),
    }
}

/// Create the demo agent with its sessions and memory, in one transaction. If it exists already,
/// `AlreadyExists`: the app then just opens it.
pub fn create_demo(conn: &mut Connection, now: DateTime<Utc>) -> Result<Agent> {
    let tx = conn.transaction()?;
    if agents::id_of(&tx, DEMO_AGENT).is_ok() {
        return Err(Error::AlreadyExists(format!(
            "the demo agent \"{DEMO_NAME}\" already exists; open it from the agent list"
        )));
    }
    let since = now - Duration::days(DAYS + 3);
    agents::create(&tx, DEMO_AGENT, Some(DEMO_NAME), since)?;
    let patch = AgentPatch {
        system_prompt: Some(SYSTEM_PROMPT.to_string()),
        ..Default::default()
    };
    agents::update(&tx, DEMO_AGENT, &patch, since)?;
    let agent_id = agents::id_of(&tx, DEMO_AGENT)?;
    for (i, (client, content)) in MEMORY.iter().enumerate() {
        let writer = Writer {
            conn: &tx,
            agent_id,
            // Written by the demo's made-up team, not by the person trying it.
            cause: Cause {
                actor: "demo".into(),
                ..Default::default()
            },
            now: since + Duration::hours(2 + 5 * i as i64),
        };
        writer.add(&NewEntry {
            content: content.to_string(),
            scope: client
                .map(|c| Scope::from([("client".to_string(), c.to_string())]))
                .unwrap_or_default(),
            source: MemorySource::Person,
            session_ids: vec![],
        })?;
    }
    for rec in demo_sessions(now) {
        rec.check()
            .map_err(|e| Error::Internal(format!("demo session {}: {e}", rec.id)))?;
        sessions::upsert(&tx, agent_id, &rec, "demo", None, now)?;
    }
    // The agent looks three weeks old, so its schedule would find slots already past and
    // dream at once, on top of the person's own first "Dream now". Its first scheduled dream
    // is tomorrow night instead.
    let rubric = agents::rubric(&tx, DEMO_AGENT)?;
    if let Ok(s) = crate::schedule::Schedule::parse(&rubric.dreaming.schedule) {
        let noon_tomorrow = (now.with_timezone(&chrono::Local).date_naive() + Duration::days(1))
            .and_hms_opt(12, 0, 0)
            .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now + Duration::days(1));
        let mut slot = now;
        while let Some(next) = s.next_after(slot).filter(|t| *t < noon_tomorrow) {
            slot = next;
        }
        crate::store::schedule::record(
            &tx,
            agent_id,
            &ScheduleRecord {
                slot,
                outcome: ScheduleOutcome::Skipped,
                reason: Some(
                    "The demo was just made: its first scheduled dream is tomorrow night, so nothing runs on its own while you explore it.".into(),
                ),
                dream_id: None,
                at: now,
            },
        )?;
    }
    tx.commit()?;
    crate::dreaming::grading::ensure(conn, DEMO_AGENT, now)?;
    agents::get(conn, DEMO_AGENT)
}
