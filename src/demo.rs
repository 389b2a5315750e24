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
use crate::model::{Agent, AgentPatch, Feedback, MemorySource, Message, Role, Scope, Verdict};
use crate::store::memory::{Cause, NewEntry, Writer};
use crate::store::{agents, sessions};

pub const DEMO_AGENT: &str = "social-drafts-demo";
pub const DEMO_NAME: &str = "Social drafts (demo)";

/// How far back the sessions go: three weeks, so any review window up to that has a full week.
const DAYS: i64 = 21;

const SYSTEM_PROMPT: &str = "You draft social media posts for the agency's clients: Harbour Tea \
(a tea shop), Fernwood Cycles (a bike shop) and Quill & Ink Books (a bookshop). Write one \
ready-to-post draft per request in the client's voice, and follow what memory says about each client.";

/// What happens in one session.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The draft breaks the client's unwritten rule and the reviewer fixes it; with `elevate`,
    /// the draft also says "Elevate your…" and the reviewer picks another verb (team-wide).
    Fix {
        elevate: bool,
    },
    Accept,
    /// The person corrects the first draft in the chat and uses the second.
    Correct,
    /// The reviewer changes one detail (a price, a time): noise. With `fix`, the draft also
    /// breaks the client's rule and the reviewer fixes that too.
    Tweak {
        fix: bool,
    },
    Reject,
    /// A casual tone asked for one post only: must never become a rule.
    OneOff,
}

use Kind::*;

const FIX: Kind = Fix { elevate: false };
/// "Elevate" sits at every third place of each cycle, so any week holds two per client.
const FIX_E: Kind = Fix { elevate: true };

#[derive(Debug, Clone, Copy, PartialEq)]
enum Voice {
    /// Calm: reviewers remove exclamation marks.
    Harbour,
    /// Upbeat: exclamation marks stay; reviewers append #RideFernwood on its own line.
    Fernwood,
    /// Quiet: reviewers remove emoji (memory still asks for them).
    Quill,
}

struct Topic {
    subject: &'static str,
    opener: &'static str,
    body: &'static str,
    /// The detail as drafted, and as a reviewer sometimes corrects it.
    detail: (&'static str, &'static str),
}

struct Client {
    name: &'static str,
    voice: Voice,
    users: [&'static str; 3],
    topics: [Topic; 6],
    ctas: [&'static str; 4],
    /// "{} your …" sentences: drafts say "Elevate", reviewers the verb given.
    elevate: [(&'static str, &'static str); 3],
    corrections: [&'static str; 2],
    fix_comment: &'static str,
    rejections: [&'static str; 2],
    /// Opener and call to action of a casual draft, and why casual this once.
    casual: (&'static str, &'static str, [&'static str; 2]),
    cycle: [Kind; 10],
}

const fn topic(
    subject: &'static str,
    opener: &'static str,
    body: &'static str,
    detail: (&'static str, &'static str),
) -> Topic {
    Topic {
        subject,
        opener,
        body,
        detail,
    }
}

const CLIENTS: [Client; 3] = [
    Client {
        name: "Harbour Tea",
        voice: Voice::Harbour,
        users: ["mei", "mei", "ana"],
        topics: [
            topic("the Assam breakfast blend being back in stock", "Our Assam breakfast blend is back in stock", "Malty, bold and made for a splash of milk.", ("Tins are £8.50 in the shop and online.", "Tins are £8.95 in the shop and online.")),
            topic("Saturday's Darjeeling tasting", "Join us for a Darjeeling tasting this Saturday", "We're pouring three first flushes side by side, from light and floral to brisk.", ("Drop in any time from 10am to 1pm.", "Drop in any time from 11am to 2pm.")),
            topic("the new chai spice blend", "Meet our new chai spice blend", "Cinnamon, cardamom and a little black pepper, simmered with milk or brewed strong.", ("A 100g pouch makes about forty cups.", "A 100g pouch makes about thirty cups.")),
            topic("the holiday gift boxes", "Our holiday gift boxes are ready", "Each one holds four loose-leaf teas, a brass infuser and a handwritten card.", ("Order by 18 December for delivery before Christmas.", "Order by 16 December for delivery before Christmas.")),
            topic("a brewing tip for green tea", "A quick tip for better green tea", "Let the kettle cool for a couple of minutes, then steep the sencha for two minutes at most.", ("Water at about 80°C keeps it sweet, not bitter.", "Water at about 75°C keeps it sweet, not bitter.")),
            topic("the chamomile and honey blend", "Chamomile and honey is our quiet favourite this month", "Soft, floral and caffeine-free, it's the cup we make after closing.", ("It's 20% off until Sunday.", "It's 15% off until Sunday.")),
        ],
        ctas: ["Pop into the shop on Quay Street", "Come and see us on Quay Street", "Ask us anything at the counter", "Say hello next time you're passing"],
        elevate: [("{} your mornings with a proper pot.", "Brighten"), ("{} your afternoon break.", "Treat"), ("{} your tea shelf this season.", "Refresh")],
        corrections: ["No exclamation marks, please — Harbour Tea likes a calm voice.", "Can you drop the exclamation marks? They read as shouting."],
        fix_comment: "took out the exclamation marks",
        rejections: ["Not this week: the client wants to lead with the gift boxes.", "Too salesy for Harbour Tea; I'll write this one myself."],
        casual: ("Right, tea people, gather round", "Kettle's on, see you on Quay Street", ["It goes out with the staff photo", "It's for the charity bake sale"]),
        cycle: [FIX_E, Accept, FIX, FIX_E, Correct, Tweak { fix: false }, FIX_E, Reject, FIX, OneOff],
    },
    Client {
        name: "Fernwood Cycles",
        voice: Voice::Fernwood,
        users: ["tom", "tom", "mei"],
        topics: [
            topic("the winter service special", "Winter is coming for your drivetrain", "Our winter service strips, cleans and re-greases everything that grinds, squeaks or slips.", ("It's £65 until the end of the month.", "It's £60 until the end of the month.")),
            topic("the Saturday social ride", "The Saturday social ride is on", "Thirty easy miles along the river, a café stop halfway and nobody gets dropped.", ("We roll out from the shop at 9am.", "We roll out from the shop at 8:30am.")),
            topic("the Kestrel GR2 gravel bike arriving", "The Kestrel GR2 has landed", "Wide tyres, relaxed geometry and mounts for everything: it's built for long days on rough roads.", ("Test rides are free all week.", "Test rides are free until Sunday.")),
            topic("Thursday's puncture clinic", "Puncture clinic this Thursday", "Bring your bike and we'll show you how to fix a flat at the roadside in under ten minutes.", ("It starts at 6pm and it's free.", "It starts at 6:30pm and it's free.")),
            topic("the e-bike demo day", "E-bike demo day is this Sunday", "Try five different e-bikes on a short loop round the park, with our mechanics on hand.", ("Book a slot on our website.", "Book a slot in the shop.")),
            topic("bike fitting", "Say goodbye to aching knees", "A proper bike fit sorts saddle height, reach and cleats in about an hour.", ("Fits are £90 and include a follow-up check.", "Fits are £85 and include a follow-up check.")),
        ],
        ctas: ["See you at the shop", "Come and say hello", "Grab your helmet and join us", "Give us a call to book"],
        elevate: [("{} your weekend rides.", "Upgrade"), ("{} your commute this winter.", "Sort out"), ("{} your riding this season.", "Improve")],
        corrections: ["Add #RideFernwood at the end, as always.", "Please finish with #RideFernwood on its own line."],
        fix_comment: "added our hashtag",
        rejections: ["We can't quote prices before Fernwood confirms them.", "Wrong date, the ride moved; I'll redo it."],
        casual: ("Right then, legends", "Bring snacks, obviously", ["It's for the club's birthday ride", "It's the mechanics' fancy-dress day"]),
        cycle: [FIX_E, FIX, Accept, FIX_E, Tweak { fix: true }, Correct, FIX_E, FIX, Reject, OneOff],
    },
    Client {
        name: "Quill & Ink Books",
        voice: Voice::Quill,
        users: ["ana", "ana", "tom"],
        topics: [
            topic("Elin Rhys's new poetry collection", "Elin Rhys's new poetry collection is on our front table", "Short, sharp poems about the sea and the people who wait for it.", ("Signed copies are £12.99.", "Signed copies are £14.99.")),
            topic("Thursday's book club", "Book club meets this Thursday", "We're talking about The Salt Path, and newcomers are always welcome.", ("Tea and biscuits from 7pm.", "Tea and biscuits from 7:30pm.")),
            topic("children's story hour", "Story hour is back on Saturday mornings", "Our booksellers read picture books aloud for little ones aged three to seven.", ("It runs from 10:30am to 11:15am.", "It runs from 10am to 10:45am.")),
            topic("the staff pick of the week", "This week's staff pick comes from Priya", "A quiet, clever detective novel set in a snowed-in library.", ("It's in the window display now.", "It's on the counter by the till now.")),
            topic("the autumn reading table", "Our autumn reading table is ready", "Ghost stories, big histories and a few cosy mysteries for dark evenings.", ("Three paperbacks for £20 until Sunday.", "Three paperbacks for £25 until Sunday.")),
            topic("the author evening with Tom Ashby", "Tom Ashby joins us for an author evening", "He'll read from his new walking memoir and sign copies afterwards.", ("Tickets are £5 and include a glass of wine.", "Tickets are £6 and include a glass of wine.")),
        ],
        ctas: ["Come and browse", "Pop in and say hello", "Find us on Market Lane", "We'd love to see you there"],
        elevate: [("{} your reading pile this season.", "Top up"), ("{} your weekend.", "Fill"), ("{} your bedside table.", "Restock")],
        corrections: ["Lose the emoji, please — they feel cheap for Quill & Ink.", "No emoji on Quill & Ink posts, please."],
        fix_comment: "no emoji for Quill & Ink",
        rejections: ["The event details changed; holding this one.", "Priya wants to write her pick herself."],
        casual: ("Hello, lovely bookish people", "Come and hang out with us", ["It's the shop's birthday week", "It's for World Book Day"]),
        cycle: [FIX_E, Accept, FIX, FIX_E, Correct, FIX, FIX_E, Tweak { fix: false }, Reject, OneOff],
    },
];

const ASKS: [&str; 4] = [
    "Can you draft an Instagram post for {c} about {s}?",
    "Draft today's post for {c}: {s}.",
    "{c} would like a Facebook post on {s}, going out tomorrow morning.",
    "Need a short post for {c} about {s}, please.",
];

/// Memory the team typed before the demo's weeks: (scope, text). The Harbour Tea sign-off is
/// there twice in other words; the Quill & Ink emoji entry is stale.
const MEMORY: [(Option<&str>, &str); 8] = [
    (None, "Write in British English (colour, favourite, organise)."),
    (Some("Harbour Tea"), "Harbour Tea: mention the shop on Quay Street when a post is about something happening in store."),
    (Some("Harbour Tea"), "Harbour Tea: sign off every post with '— The Harbour Tea team'."),
    (Some("Fernwood Cycles"), "Fernwood Cycles: keep the tone upbeat; exclamation marks are fine here."),
    (Some("Fernwood Cycles"), "Fernwood Cycles: the workshop is closed on Mondays, so never offer Monday bookings."),
    (Some("Quill & Ink Books"), "Quill & Ink Books: add a couple of emoji to every post to keep it friendly."),
    (Some("Quill & Ink Books"), "Quill & Ink Books: always give the full date and time for events."),
    (Some("Harbour Tea"), "Harbour Tea: end each post with the line '— The Harbour Tea team'."),
];

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
            cause: Cause::person(),
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
        sessions::upsert(&tx, agent_id, &rec, "demo", now)?;
    }
    tx.commit()?;
    agents::get(conn, DEMO_AGENT)
}
