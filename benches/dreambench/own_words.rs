//! DreamBench "memory-own-words": a small agency's social posts for twelve clients over nine
//! days, with a memory that people wrote in their own words, long before this window:
//! "The founder wants headlines short and calm.", "keep it brief: nobody reads past the fold".
//! Sessions AGREE with most of it: reviewers shorten shouty headlines, cut Marlow's posts,
//! strip "journey" from Juniper's. A dreamer that reads those edits as news proposes the rule
//! again (a trap), and one that cannot see that the entry's words mean the same as the edits
//! may call the entry contradicted and refine or remove it (a trap: any refine or remove of an
//! agreeing entry). Two entries say the same thing in different words (a merge to find), one
//! entry is genuinely contradicted (the agent adds emoji because memory says so; reviewers
//! remove every one: a refine to find), one is never touched (changing it is a trap), and four
//! new preferences show in the sessions (adds to find).

use reverie::model::{Feedback, Role, Verdict};

use super::gen::{Rng, Workload};
use super::real::*;

const AGENT: &str = "social-posts";
const TAG: &str = "client";

const CLIENTS: [&str; 12] = [
    "Lark Bakery",
    "Marlow Print",
    "Juniper Yoga Studio",
    "Ridge Climbing",
    "Tessel Tiles",
    "Pike Cycles",
    "Olive Grove Deli",
    "Fenwick Florist",
    "Copperleaf Tea",
    "Brook Pottery",
    "Cedar Barbers",
    "Hollow Books",
];
const MARLOW: usize = 1;
const JUNIPER: usize = 2;
const REVIEWERS: [&str; 4] = ["jo", "ravi", "elin", "marc"];

/// The memory as people typed it.
const HEADLINES: &str = "The founder wants headlines short and calm.";
const BRIEF: &str = "keep it brief: nobody reads past the fold";
const RIVALS_A: &str = "Don't mention what competitors charge.";
const RIVALS_B: &str = "Leave rival pricing out of our posts.";
const EMOJI_ENTRY: &str = "A few emoji make posts feel friendly 😊 — use them.";
const FRIDAY: &str = "Weekend posts go out on Friday afternoon.";
const JOURNEY: &str = "Mia can't stand 'journey' — every studio says it.";

/// New preferences: (client, kind, keys, voice).
struct New {
    client: &'static str,
    kind: &'static str,
    keys: &'static [&'static str],
    voice: Voice,
}

const NEW: [New; 4] = [
    New {
        client: "Lark Bakery",
        kind: "ban-indulge",
        keys: &["indulge"],
        voice: Voice {
            dos: &["swap \"indulge\" for \"enjoy\""],
            donts: &["don't say \"indulge\"", "no \"indulge\"{ please|}"],
            complaints: &["\"indulge\" sounds like a diet ad", "indulge again{...|}"],
            rules: &["Lark never says indulge"],
        },
    },
    New {
        client: "Ridge Climbing",
        kind: "booking-link",
        keys: &["ridgeclimbing.example/book", "booking link", "link", "book"],
        voice: Voice {
            dos: &[
                "add the booking link",
                "link ridgeclimbing.example/book at the end",
            ],
            donts: &["don't post without the booking link"],
            complaints: &["where do people book?", "no booking link{ again|}"],
            rules: &["every Ridge post ends with the booking link"],
        },
    },
    New {
        client: "Tessel Tiles",
        kind: "sign-off",
        keys: &["tessel tiles, bristol", "bristol", "sign-off", "sign off"],
        voice: Voice {
            dos: &[
                "sign off with \"— Tessel Tiles, Bristol\"",
                "add the Bristol sign-off",
            ],
            donts: &["don't forget the sign-off"],
            complaints: &["missing the sign-off{ again|}"],
            rules: &["Tessel always signs \"— Tessel Tiles, Bristol\""],
        },
    },
    New {
        client: "Pike Cycles",
        kind: "ban-unleash",
        keys: &["unleash"],
        voice: Voice {
            dos: &["change \"unleash\" to something normal"],
            donts: &["no \"unleash\"", "don't write \"unleash\""],
            complaints: &[
                "\"unleash\" again? it's a bike shop",
                "unleash is so cringe",
            ],
            rules: &["Pike hates \"unleash\""],
        },
    },
];

const CALM: Voice = Voice {
    dos: &[
        "{calm|tone} the headline down",
        "shorter headline{ please|}",
        "make the headline {quieter|calmer|shorter}",
    ],
    donts: &["no shouting in headlines", "don't use caps in the headline"],
    complaints: &[
        "the headline is shouting",
        "headline's way too long{ again|}",
        "too loud",
    ],
    rules: &["remember what the founder said about headlines"],
};
const CUT: Voice = Voice {
    dos: &[
        "cut it {down|in half}",
        "keep it {brief|tight}",
        "trim it to a few lines",
    ],
    donts: &["don't make Marlow read an essay"],
    complaints: &[
        "too long{ again|}",
        "nobody scrolls that far",
        "way past the fold",
    ],
    rules: &["Marlow posts are short, always"],
};
const NO_EMOJI: Voice = Voice {
    dos: &["lose the emoji", "take the emoji out"],
    donts: &[
        "no emoji{ please|}",
        "don't add emoji{, whatever the notes say|}",
    ],
    complaints: &["the emoji make us look like a teen brand", "emoji again"],
    rules: &["we've stopped using emoji"],
};
const NOT_JOURNEY: Voice = Voice {
    dos: &["swap \"journey\" for \"practice\""],
    donts: &["not \"journey\"{, Mia will kill us|}", "don't say journey"],
    complaints: &["\"journey\" again"],
    rules: &["journey is out for Juniper, you know this"],
};

const FRAMES: Frames = Frames {
    dos: &["^", "please ^", "^ pls", "can you ^?", "^, thanks"],
    donts: &["^", "^!", "again: ^"],
    joins: &[". ", " / ", "; ", "\n"],
};
const MANNER: Manner = Manner {
    openers: &["ok, ", "nearly — ", "hmm ", "two things: "],
    closers: &[" thx", " ta", " 👍"],
    lowercase: 0.4,
    typos: 0.07,
};

const TOPICS: [(&str, &str); 6] = [
    ("autumn sale", "Autumn sale"),
    ("new menu", "New menu"),
    ("late opening", "Late opening"),
    ("open studio", "Open studio"),
    ("winter classes", "Winter classes"),
    ("gift cards", "Gift cards"),
];
const WHEN: [&str; 5] = [
    "Friday",
    "this Saturday",
    "next week",
    "from Monday",
    "on the 14th",
];

const BODY: [&str; 10] = [
    "Come and see what $c has been working on.",
    "We kept the prices the same as last year.",
    "Bring a friend and make an afternoon of it.",
    "Everything is made here, by the people you meet at the counter.",
    "There is plenty of room, so no need to book ahead.",
    "The door is open from ten until six.",
    "It is the same team you know, with a few new faces.",
    "Tell us what you think when you drop by.",
    "We are on the corner by the market, as always.",
    "Small batches, so the good stuff goes quickly.",
];

#[derive(Clone, Default)]
struct Plan {
    shout: bool,
    long_body: bool,
    emoji: bool,
    journey: bool,
    new: bool,
    rival: bool,
}

pub fn generate(seed: u64) -> Workload {
    let mut rng = Rng::new(seed ^ 0x0E1D);
    let cal = Calendar::new((2026, 11, 14), 9, true);
    let now = cal.now;
    let mut slots = Vec::new();
    for ci in 0..CLIENTS.len() {
        for t in cal.times(&mut rng, 24) {
            slots.push((ci, t));
        }
    }
    let times: Vec<_> = slots.iter().map(|s| s.1).collect();
    let all: Vec<usize> = (0..slots.len()).collect();
    let of =
        |ci: usize| -> Vec<usize> { all.iter().copied().filter(|&i| slots[i].0 == ci).collect() };
    let mut plans = vec![Plan::default(); slots.len()];
    for i in spread(&mut rng, &times, &all, 0.3, 3, now) {
        plans[i].shout = true;
    }
    for i in spread(&mut rng, &times, &all, 0.5, 3, now) {
        plans[i].emoji = true;
    }
    for i in spread(&mut rng, &times, &of(MARLOW), 0.4, 4, now) {
        plans[i].long_body = true;
    }
    for i in spread(&mut rng, &times, &of(JUNIPER), 0.35, 4, now) {
        plans[i].journey = true;
    }
    for n in &NEW {
        let ci = CLIENTS.iter().position(|c| *c == n.client).unwrap();
        for i in spread(&mut rng, &times, &of(ci), 0.3, 4, now) {
            plans[i].new = true;
        }
    }
    // Two sessions agree with the competitor entries: far too few to matter.
    for _ in 0..2 {
        let i = rng.below(slots.len());
        plans[i].rival = true;
    }

    let mut ledger = Ledger::default();
    let mut cap = Cap::default();
    let mut records = Vec::new();
    let mut counters = [0usize; 12];
    for (i, (ci, at)) in slots.iter().enumerate() {
        let k = counters[*ci];
        counters[*ci] += 1;
        let id = format!("posts-{:02}-{:03}", ci, k);
        let p = &plans[i];
        if p.emoji {
            ledger.note("emoji", &id, *at);
        }
        if p.new {
            ledger.note(CLIENTS[*ci], &id, *at);
        }
        if p.shout {
            ledger.note("headlines", &id, *at);
        }
        records.push(session(&mut rng, *ci, p, id, *at, &mut cap));
    }
    ledger.check("emoji", now);
    ledger.check("headlines", now);
    for n in &NEW {
        ledger.check(n.client, now);
    }
    sort_records(&mut records);

    let before = now - chrono::Duration::days(60);
    let memory = vec![
        entry(1, HEADLINES, TAG, None, before),
        entry(2, BRIEF, TAG, Some(CLIENTS[MARLOW]), before),
        entry(3, RIVALS_A, TAG, None, before),
        entry(4, RIVALS_B, TAG, None, before),
        entry(5, EMOJI_ENTRY, TAG, None, before),
        entry(6, FRIDAY, TAG, None, before),
        entry(7, JOURNEY, TAG, Some(CLIENTS[JUNIPER]), before),
    ];
    let mut truths: Vec<_> = NEW
        .iter()
        .map(|n| truth(n.kind, Some(n.client), n.keys))
        .collect();
    truths.push(super::gen::Truth {
        kind: "contradicted (emoji)".into(),
        scope: None,
        keys: vec![],
        op: "refine",
        targets: vec![5],
    });
    truths.push(super::gen::Truth {
        kind: "same meaning, different words".into(),
        scope: None,
        keys: vec![],
        op: "merge",
        targets: vec![3, 4],
    });
    let traps = vec![
        trap_entries("refine-of-agreeing-entry", &[1, 2, 7]),
        trap_entries("refine-of-untouched-entry", &[6]),
        trap_in(
            "already-in-memory",
            &[
                "headline",
                "headlines",
                "title",
                "titles",
                "exclamation",
                "calm",
                "calmer",
                "caps",
                "capital",
                "capitals",
                "uppercase",
                "shout",
                "shouting",
                "short",
                "shorter",
            ],
            None,
        ),
        trap_in(
            "already-in-memory",
            &[
                "brief",
                "short",
                "shorter",
                "length",
                "long",
                "words",
                "word",
                "fold",
                "concise",
                "sentences",
                "lines",
            ],
            Some(CLIENTS[MARLOW]),
        ),
        trap_in("already-in-memory", &["journey"], Some(CLIENTS[JUNIPER])),
        trap("one-client-only", &["journey"], Some(CLIENTS[JUNIPER])),
        // Words that leave with a shouty headline, not rules of their own.
        trap(
            "headline-side-effect",
            &[
                "contraction",
                "contractions",
                "won't",
                "we've",
                "huge",
                "news",
                "miss",
                "ever",
                "finally",
            ],
            None,
        ),
    ];
    Workload {
        domain: "memory-own-words",
        tag: TAG,
        records,
        memory,
        truths,
        traps,
        now,
    }
}

fn session(
    rng: &mut Rng,
    ci: usize,
    p: &Plan,
    id: String,
    at: chrono::DateTime<chrono::Utc>,
    cap: &mut Cap,
) -> reverie::import::record::SessionRecord {
    let c = CLIENTS[ci];
    let (topic, topic_cap) = *rng.pick(&TOPICS);
    let when = *rng.pick(&WHEN);
    let asks = [
        "Post for $c: $t, $w.",
        "Can you write the $c post about the $t? It's $w.",
        "$c — $t $w. Instagram and Facebook.",
        "Need a post for $c announcing the $t ($w).",
    ];
    let ask = asks[rng.below(asks.len())]
        .replace("$c", c)
        .replace("$t", topic)
        .replace("$w", when);
    let mut messages = vec![msg(Role::User, ask)];

    let calm = match rng.below(3) {
        0 => format!("{topic_cap} {when}"),
        1 => format!("{topic_cap} at {c}"),
        _ => format!("{topic_cap}, {when}"),
    };
    let title: String = topic
        .split(' ')
        .map(capitalize)
        .collect::<Vec<_>>()
        .join(" ");
    let shouty = match rng.below(3) {
        0 => format!("HUGE NEWS: Our {title} Is Finally Here And You Won't Want To Miss It!!!"),
        1 => format!(
            "Don't Miss Out — The Biggest {title} EVER Starts {}!!",
            capitalize(when)
        ),
        _ => format!(
            "{} IS HERE!!! Come And See Everything We've Been Working On All Month",
            topic_cap.to_uppercase()
        ),
    };
    let mut body: Vec<String> = Vec::new();
    // Marlow's drafts run long when the agent forgets; elsewhere a longer post is fine.
    let n = if p.long_body {
        7
    } else if ci != MARLOW && rng.chance(0.2) {
        5 + rng.below(2)
    } else {
        2 + rng.below(2)
    };
    let mut picks = Vec::new();
    while picks.len() < n {
        let k = rng.below(BODY.len());
        if !picks.contains(&k) {
            picks.push(k);
        }
    }
    for k in picks {
        body.push(BODY[k].replace("$c", c));
    }
    let mut good_body = if p.long_body {
        body[..2].to_vec()
    } else {
        body.clone()
    };
    // Other clients may write "journey"; Juniper's reviewers take it out.
    if ci == JUNIPER && p.journey {
        body.insert(0, "Every class is a step on your journey.".into());
        good_body.insert(0, "Every class is a step in your practice.".into());
    } else if ci != JUNIPER && rng.chance(0.1) {
        body.push("Thanks for being part of our journey.".into());
        good_body.push("Thanks for being part of our journey.".into());
    }
    let mut tail = Vec::new();
    let mut good_tail = Vec::new();
    let new = NEW.iter().find(|n| n.client == c);
    if let Some(n) = new {
        match n.kind {
            "ban-indulge" | "ban-unleash" => {
                let (bad, good) = if n.kind == "ban-indulge" {
                    (
                        "Come in and indulge in something warm.",
                        "Come in and enjoy something warm.",
                    )
                } else {
                    (
                        "Unleash your inner rider this weekend.",
                        "Get out on the bike this weekend.",
                    )
                };
                if p.new {
                    body.insert(1, bad.into());
                    good_body.insert(1.min(good_body.len()), good.into());
                }
            }
            "booking-link" => {
                good_tail.push("Book: ridgeclimbing.example/book".to_string());
                if !p.new {
                    tail.push("Book: ridgeclimbing.example/book".to_string());
                }
            }
            _ => {
                good_tail.push("— Tessel Tiles, Bristol".to_string());
                if !p.new {
                    tail.push("— Tessel Tiles, Bristol".to_string());
                }
            }
        }
    }
    if p.rival {
        body.push("We are cheaper than the big chains, too.".into());
    }
    let mut head = if p.shout { shouty } else { calm.clone() };
    if p.emoji {
        let e = *rng.pick(&["🎉", "✨", "😊", "🙌"]);
        head = format!("{head} {e}");
        let last = body.len() - 1;
        body[last] = format!("{} {}", body[last], rng.pick(&["💛", "☕", "🌿"]));
    }
    let render = |h: &str, b: &[String], t: &[String]| {
        let mut s = format!("{h}\n\n{}", b.join(" "));
        if !t.is_empty() {
            s.push_str("\n\n");
            s.push_str(&t.join("\n"));
        }
        s
    };
    let draft = render(&head, &body, &tail);
    let mut fin = render(&calm, &good_body, &good_tail);
    if rng.chance(0.12) {
        for (a, b) in [
            ("Bring a friend", "Bring your friends"),
            ("as always", "as ever"),
            ("goes quickly", "sells out fast"),
        ] {
            if fin.contains(a) && cap.take(a, 2) {
                fin = fin.replacen(a, b, 1);
                break;
            }
        }
    }
    messages.push(msg(Role::Assistant, draft.clone()));

    let mut says: Vec<String> = Vec::new();
    let vars: [(&str, &str); 0] = [];
    if p.shout && rng.chance(0.4) {
        says.push(compose(rng, &CALM, &FRAMES, &vars));
    }
    if p.long_body && rng.chance(0.4) {
        says.push(compose(rng, &CUT, &FRAMES, &vars));
    }
    if p.emoji && rng.chance(0.3) {
        says.push(compose(rng, &NO_EMOJI, &FRAMES, &vars));
    }
    if p.journey && ci == JUNIPER && rng.chance(0.4) {
        says.push(compose(rng, &NOT_JOURNEY, &FRAMES, &vars));
    }
    if p.new && rng.chance(0.5) {
        if let Some(n) = new {
            says.push(compose(rng, &n.voice, &FRAMES, &vars));
        }
    }
    let comment = (!says.is_empty()).then(|| {
        let joined = join_said(&says, ". ");
        in_manner(
            rng,
            &joined,
            &MANNER,
            &[
                "headline", "emoji", "journey", "indulge", "unleash", "booking", "Bristol",
            ],
        )
    });
    let verdict = if fin == draft {
        Verdict::Accepted
    } else {
        Verdict::Revised
    };
    let feedback = vec![Feedback {
        message: 1,
        verdict,
        final_text: (verdict == Verdict::Revised).then_some(fin),
        comment,
    }];
    let user = *rng.pick(&REVIEWERS);
    record(
        id,
        AGENT,
        at,
        3 + rng.below(12) as i64,
        user,
        TAG,
        c,
        messages,
        feedback,
    )
}
