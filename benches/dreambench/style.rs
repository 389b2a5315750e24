//! DreamBench "style": an agency's monthly update emails to twelve clients, reviewed by six
//! different people. The house style is team-wide and every reviewer enforces it on every
//! client: active voice, short sentences, contractions, "Hi <first name>," and "Thanks,",
//! no hedging. Reviewers mostly just rewrite; now and then they say why, each in their own
//! words ("passive again", "I ran out of breath", "we're not a bank").
//!
//! Truths are team-wide style rules. Traps are word bans for words that vanish only as a side
//! effect of those rewrites ("was", "by", "made" when a passive turns active; "which", "and"
//! when a sentence is split; "not", "will" when contracted; "valued", "customer" when the
//! greeting changes; "decision", "improvements" when a sentence is restructured). Those
//! words also appear in texts the reviewers keep, as they do in real writing. (A ban on
//! "Kind regards" or "Greetings," is the sign-off or greeting rule in other words, not a trap.)

use reverie::model::{Feedback, Role, Verdict};

use super::gen::{Rng, Workload};
use super::real::*;

const AGENT: &str = "client-updates";
const TAG: &str = "client";

/// (client, contact's first name)
const CLIENTS: [(&str, &str); 12] = [
    ("Harbor Dental", "Ana"),
    ("Kiln Ceramics", "Rosa"),
    ("Fable Kids Books", "Tariq"),
    ("Northstar Accounting", "Helen"),
    ("Greenway Gardens", "Piet"),
    ("Bolt Couriers", "Sunil"),
    ("Sable Salon", "Mara"),
    ("Peak Physio", "Owen"),
    ("Tandem Cafe", "Lucia"),
    ("Orchard Vets", "Ben"),
    ("Quill Legal", "Ingrid"),
    ("Driftwood Surf School", "Kai"),
];
const REVIEWERS: [&str; 6] = ["mei", "sam", "ola", "jonas", "priya", "lena"];

/// Work done: (who, past tense, object, plural object, tail, extra clause for long sentences).
struct Fact {
    who: &'static str,
    did: &'static str,
    what: &'static str,
    plural: bool,
    tail: &'static str,
    extra: &'static str,
}

const FACTS: [Fact; 10] = [
    Fact {
        who: "our design team",
        did: "redesigned",
        what: "the booking page",
        plural: false,
        tail: " in October",
        extra: " after reading the answers to the summer survey",
    },
    Fact {
        who: "we",
        did: "sent",
        what: "the autumn newsletter",
        plural: false,
        tail: " to 2,400 subscribers",
        extra: " on the first Monday of the month as planned",
    },
    Fact {
        who: "Ana from our team",
        did: "updated",
        what: "your opening hours on Google",
        plural: true,
        tail: "",
        extra: " so that the holiday hours show up correctly in search",
    },
    Fact {
        who: "our developers",
        did: "fixed",
        what: "the contact form bug",
        plural: false,
        tail: " on Tuesday",
        extra: " because it was sending some messages to the spam folder",
    },
    Fact {
        who: "we",
        did: "published",
        what: "three new blog posts",
        plural: true,
        tail: " this month",
        extra: " about the questions your customers ask most often",
    },
    Fact {
        who: "our photographer",
        did: "shot",
        what: "the new product photos",
        plural: true,
        tail: " last week",
        extra: " in natural light at your place on a quiet morning",
    },
    Fact {
        who: "we",
        did: "moved",
        what: "your website",
        plural: false,
        tail: " to a faster server",
        extra: " during the night so nobody would notice any downtime",
    },
    Fact {
        who: "our ads team",
        did: "paused",
        what: "the two weakest ads",
        plural: true,
        tail: "",
        extra: " because they cost twice as much per click as the others",
    },
    Fact {
        who: "we",
        did: "tested",
        what: "two new subject lines",
        plural: true,
        tail: "",
        extra: " on a small part of the list before the main send",
    },
    Fact {
        who: "Tom",
        did: "answered",
        what: "every new review on your profile",
        plural: false,
        tail: "",
        extra: " within a day, including the two unhappy ones",
    },
];

/// (restructured passive, what reviewers write)
const NOMINAL: [(&str, &str); 5] = [
    (
        "Improvements were made to the checkout page.",
        "We improved the checkout page.",
    ),
    (
        "A decision was made to move the newsletter to Thursdays.",
        "We decided to move the newsletter to Thursdays.",
    ),
    (
        "Changes were made to your Google profile.",
        "We updated your Google profile.",
    ),
    (
        "An investigation was carried out into the drop in bookings.",
        "We looked into the drop in bookings.",
    ),
    (
        "Some adjustments were made to the ad budget.",
        "We adjusted the ad budget.",
    ),
];

/// Claims: (subject, present tense, bare verb phrase)
const CLAIMS: [(&str, &str, &str); 6] = [
    (
        "the new booking page",
        "loads in under a second",
        "load in under a second",
    ),
    (
        "the redesign",
        "brings in more bookings",
        "bring in more bookings",
    ),
    ("the shorter emails", "get more clicks", "get more clicks"),
    (
        "the new photos",
        "make the shop look brighter",
        "make the shop look brighter",
    ),
    (
        "the faster server",
        "helps your search ranking",
        "help your search ranking",
    ),
    (
        "the new subject lines",
        "lift the open rate",
        "lift the open rate",
    ),
];
const HEDGES: [&str; 6] = [
    "We think $s $v.",
    "$S might $b.",
    "Perhaps $s $v.",
    "It seems that $s $v.",
    "We think $s might $b.",
    "$S may possibly $b.",
];

/// (stiff, with contractions)
const NOTES: [(&str, &str); 7] = [
    (
        "We are planning a spring campaign next.",
        "We're planning a spring campaign next.",
    ),
    (
        "You do not need to do anything.",
        "You don't need to do anything.",
    ),
    (
        "It is now possible to book online.",
        "It's now possible to book online.",
    ),
    (
        "We will send the full report on Friday.",
        "We'll send the full report on Friday.",
    ),
    (
        "We have added two new time slots.",
        "We've added two new time slots.",
    ),
    ("That is all for this month.", "That's all for this month."),
    (
        "We cannot change the domain until it renews.",
        "We can't change the domain until it renews.",
    ),
];

/// Sentences reviewers keep as they are; they hold the side-effect words in ordinary use.
const NEUTRAL: [&str; 10] = [
    "October was our busiest month so far.",
    "The workshop was a lot of fun.",
    "Drop by the studio any time.",
    "We made a short video for Instagram.",
    "Ana and Tom say hello.",
    "Tell us which day suits you for the review call.",
    "Bookings are up 12% on September.",
    "The next report will be ready by the 5th.",
    "Not sure about something? Just reply to this email.",
    "Your plan is the same as last month.",
];

const BAD_GREETINGS: [&str; 4] = [
    "Dear valued customer,",
    "Dear Sir or Madam,",
    "Greetings,",
    "Dear $client team,",
];
const BAD_SIGNOFFS: [&str; 4] = [
    "Kind regards,",
    "Best regards,",
    "Sincerely,",
    "Yours faithfully,",
];

const NOISE: [(&str, &str); 6] = [
    ("a lot of fun", "great fun"),
    ("Just reply to this email", "Reply any time"),
    ("say hello", "send their best"),
    ("busiest month so far", "busiest month yet"),
    ("any time", "whenever you like"),
    ("the same as last month", "unchanged"),
];

const ACTIVE: Voice = Voice {
    dos: &[
        "{use|write in} active voice",
        "say who did it{ — \"we fixed\", not \"was fixed\"|}",
        "put the doer first",
    ],
    donts: &[
        "no passive{ voice|}{ please|}",
        "don't write \"was fixed by\"",
    ],
    complaints: &[
        "{too much|so much} passive{ voice|}",
        "passive again{ 🙃|}",
        "this reads like a police report",
    ],
    rules: &["we write in active voice"],
};
const SHORT: Voice = Voice {
    dos: &[
        "split {this|that|the long} sentence{s|}",
        "{keep|make} sentences short{er|}",
        "one idea per sentence",
    ],
    donts: &["no {run-on|40-word} sentences"],
    complaints: &[
        "that sentence is {way|far} too long",
        "I ran out of breath",
        "too long{, split it|}",
    ],
    rules: &["we keep sentences under 20 words"],
};
const CONTRACT: Voice = Voice {
    dos: &[
        "use contractions",
        "{write|say} \"we're\" not \"we are\"",
        "contract {it|these}{, we're not a bank|}",
    ],
    donts: &["don't write \"do not\"{, it's stiff|}"],
    complaints: &[
        "{too|very} stiff{ — contractions|}",
        "sounds like a legal letter",
    ],
    rules: &["we always use contractions{, it's friendlier|}"],
};
const HEDGING: Voice = Voice {
    dos: &[
        "{drop|cut|lose} the hedging",
        "say it {straight|plainly}",
        "be confident{ — we know it works|}",
    ],
    donts: &[
        "no \"we think\"",
        "don't hedge{, we have the numbers|}",
        "no \"might\" or \"perhaps\"",
    ],
    complaints: &[
        "{so much|too much} hedging",
        "why so unsure?",
        "we know it's faster{, we measured it|}",
    ],
    rules: &["we don't hedge in client emails"],
};
const GREETING: Voice = Voice {
    dos: &[
        "{open|start} with \"Hi $first\"",
        "greet {them|$first} by name",
    ],
    donts: &[
        "no \"Dear valued customer\"{, please|}",
        "don't open with \"Dear Sir or Madam\"",
    ],
    complaints: &[
        "\"Dear valued customer\" is so cold",
        "{who|} writes \"Greetings\" in 2026{?|}",
    ],
    rules: &["we always open with Hi and the first name"],
};
const SIGNOFF: Voice = Voice {
    dos: &[
        "sign off with \"Thanks,\"",
        "{end|close} with \"Thanks\"{ and your name|}",
    ],
    donts: &["no \"Kind regards\"", "drop the \"Yours faithfully\""],
    complaints: &[
        "\"Sincerely\" is too formal{ for us|}",
        "too stiff at the end",
    ],
    rules: &["we sign off with Thanks, always"],
};

const FRAMES: Frames = Frames {
    dos: &[
        "^",
        "please ^",
        "^ please",
        "can we ^?",
        "^ — house style",
        "remember to ^",
        "^, as always",
    ],
    donts: &["^", "^!", "please, ^", "^ (house style)"],
    joins: &[". ", "; ", " — ", "\n"],
};
const MANNER: Manner = Manner {
    openers: &[
        "nice draft. ",
        "close! ",
        "mostly good — ",
        "edits: ",
        "fyi: ",
    ],
    closers: &[" thanks", " x", " :)"],
    lowercase: 0.3,
    typos: 0.06,
};

/// One body sentence and whether this draft breaks the house style in it.
#[derive(Clone)]
enum Unit {
    Fact { k: usize, passive: bool },
    Nominal(usize),
    Claim { k: usize, hedge: Option<usize> },
    Note { k: usize, stiff: bool },
    Neutral(usize),
}

fn cap_first(s: &str) -> String {
    capitalize(s)
}

fn fact_text(f: &Fact, passive: bool, extra: bool) -> String {
    let tail = if extra {
        format!("{}{}", f.tail, f.extra)
    } else {
        f.tail.to_string()
    };
    if passive {
        let be = if f.plural { "were" } else { "was" };
        let by = if f.who == "we" {
            String::new()
        } else {
            format!(" by {}", f.who)
        };
        format!("{} {be} {}{by}{tail}.", cap_first(f.what), f.did)
    } else {
        format!("{} {} {}{tail}.", cap_first(f.who), f.did, f.what)
    }
}

fn claim_text(k: usize, hedge: Option<usize>) -> String {
    let (s, v, b) = CLAIMS[k];
    match hedge {
        None => format!("{} {v}.", cap_first(s)),
        Some(h) => HEDGES[h]
            .replace("$S", &cap_first(s))
            .replace("$s", s)
            .replace("$v", v)
            .replace("$b", b),
    }
}

pub fn generate(seed: u64) -> Workload {
    let mut rng = Rng::new(seed ^ 0x57E1);
    let cal = Calendar::new((2026, 11, 27), 12, false);
    let now = cal.now;
    let mut slots = Vec::new();
    for ci in 0..CLIENTS.len() {
        for t in cal.times(&mut rng, 30) {
            slots.push((ci, t));
        }
    }
    let mut ledger = Ledger::default();
    let mut cap = Cap::default();
    let mut records = Vec::new();
    let mut counters = [0usize; 12];
    for (ci, at) in slots {
        let k = counters[ci];
        counters[ci] += 1;
        let id = format!("style-{:02}-{:03}", ci, k);
        let (rec, shown) = session(&mut rng, ci, id.clone(), at, &mut cap);
        for key in shown {
            ledger.note(key, &id, at);
        }
        records.push(rec);
    }
    for k in [
        "active",
        "short",
        "contractions",
        "hedging",
        "greeting",
        "sign-off",
    ] {
        ledger.check(k, now);
    }
    sort_records(&mut records);
    let truths = vec![
        truth("active-voice", None, &["active", "passive"]),
        truth(
            "short-sentences",
            None,
            &[
                "split",
                "short",
                "shorter",
                "long",
                "length",
                "words per sentence",
                "words each",
                "run-on",
                "one idea",
            ],
        ),
        truth(
            "contractions",
            None,
            &[
                "contraction",
                "contractions",
                "contracted",
                "contract",
                "we're",
                "don't",
                "it's",
                "we'll",
                "we've",
                "that's",
                "can't",
            ],
        ),
        truth(
            "no-hedging",
            None,
            &[
                "hedge",
                "hedging",
                "hedges",
                "might",
                "perhaps",
                "maybe",
                "we think",
                "possibly",
                "it seems",
                "may",
                "tentative",
                "qualifier",
                "qualifiers",
                "confident",
                "unsure",
            ],
        ),
        truth(
            "greeting",
            None,
            &[
                "greeting",
                "greetings",
                "greet",
                "dear",
                "hi",
                "salutation",
                "opening",
                "open",
                "first name",
            ],
        ),
        truth(
            "sign-off",
            None,
            &[
                "sign-off",
                "sign off",
                "signoff",
                "sign-offs",
                "closing",
                "close",
                "regards",
                "sincerely",
                "faithfully",
                "thanks",
            ],
        ),
    ];
    let traps = vec![
        trap(
            "passive-side-effect",
            &["was", "were", "by", "been", "made"],
            None,
        ),
        trap(
            "restructure-side-effect",
            &[
                "improvements",
                "decision",
                "changes",
                "adjustments",
                "investigation",
                "carried",
            ],
            None,
        ),
        trap("split-side-effect", &["which", "and"], None),
        trap(
            "contraction-side-effect",
            &["not", "are", "will", "is", "have", "cannot", "do"],
            None,
        ),
        // "Kind regards" or "Greetings" are the sign-off and greeting rules in other words, so
        // only content words that leave with the old greeting are traps.
        trap(
            "greeting-side-effect",
            &["valued", "customer", "customers", "madam", "sir"],
            None,
        ),
        trap("noise", &["fun", "busiest", "same"], None),
    ];
    Workload {
        domain: "style",
        tag: TAG,
        records,
        memory: vec![],
        truths,
        traps,
        now,
    }
}

/// One session, and which house rules its draft broke (for the ledger).
fn session(
    rng: &mut Rng,
    ci: usize,
    id: String,
    at: chrono::DateTime<chrono::Utc>,
    cap: &mut Cap,
) -> (reverie::import::record::SessionRecord, Vec<&'static str>) {
    let (client, first) = CLIENTS[ci];
    let asks = [
        "Write this month's update email for $c (to $f).",
        "Draft the November update for $c, it goes to $f.",
        "$c monthly update please — $f is the contact.",
        "Can you write up what we did for $c this month? Email to $f.",
    ];
    let ask = asks[rng.below(asks.len())]
        .replace("$c", client)
        .replace("$f", first);
    let mut messages = vec![msg(Role::User, ask)];

    // The body: two or three facts, maybe a restructured passive, a claim, a note, a neutral line.
    let mut units = Vec::new();
    let mut facts: Vec<usize> = Vec::new();
    let n_facts = 2 + rng.below(2);
    while facts.len() < n_facts {
        let k = rng.below(FACTS.len());
        if !facts.contains(&k) {
            facts.push(k);
        }
    }
    for &k in &facts {
        units.push(Unit::Fact {
            k,
            passive: rng.chance(0.25),
        });
    }
    if rng.chance(0.2) {
        units.push(Unit::Nominal(rng.below(NOMINAL.len())));
    }
    if rng.chance(0.8) {
        let k = rng.below(CLAIMS.len());
        let hedge = rng.chance(0.3).then(|| rng.below(HEDGES.len()));
        units.push(Unit::Claim { k, hedge });
    }
    if rng.chance(0.8) {
        units.push(Unit::Note {
            k: rng.below(NOTES.len()),
            stiff: rng.chance(0.3),
        });
    }
    if rng.chance(0.7) {
        units.insert(
            rng.below(units.len() + 1),
            Unit::Neutral(rng.below(NEUTRAL.len())),
        );
    }
    // A long sentence: the first two facts joined, with their extra clauses.
    let long = rng.chance(0.25).then(|| rng.below(3));
    let bad_greeting = rng.chance(0.25);
    let bad_signoff = rng.chance(0.25);

    let mut shown: Vec<&'static str> = Vec::new();
    let mut draft_body: Vec<String> = Vec::new();
    let mut final_body: Vec<String> = Vec::new();
    let mut fact_seen = 0;
    let mut pending_long: Option<(String, String)> = None;
    for u in &units {
        match u {
            Unit::Fact { k, passive } => {
                let f = &FACTS[*k];
                if *passive {
                    shown.push("active");
                }
                let with_extra = long.is_some() && fact_seen < 2;
                let d = fact_text(f, *passive, with_extra);
                let g = fact_text(f, false, with_extra);
                fact_seen += 1;
                if with_extra && fact_seen == 1 {
                    pending_long = Some((d, g));
                    continue;
                }
                if let (Some(j), Some((d0, g0))) = (long, pending_long.take()) {
                    shown.push("short");
                    let d0 = d0.trim_end_matches('.').to_string();
                    // "Tom answered..." keeps its capital; "Our team..." does not.
                    let named = f.who.starts_with(char::is_uppercase);
                    let lower = |x: &str, active: bool| {
                        if named && active {
                            x.to_string()
                        } else {
                            decapitalize(x)
                        }
                    };
                    let rest = lower(&d, !*passive);
                    let joined = match j {
                        0 => format!("{d0}, and {rest}"),
                        1 => format!("{d0}, which means {}", decapitalize(&claim_text(0, None))),
                        _ => format!("{d0}, and then {rest}"),
                    };
                    draft_body.push(joined);
                    final_body.push(g0);
                    match j {
                        1 => {
                            final_body
                                .push(format!("This means {}", decapitalize(&claim_text(0, None))));
                            draft_body.push(d);
                            final_body.push(g);
                        }
                        2 => final_body.push(format!("Then {}", lower(&g, true))),
                        _ => final_body.push(g),
                    }
                    continue;
                }
                draft_body.push(d);
                final_body.push(g);
            }
            Unit::Nominal(k) => {
                shown.push("active");
                draft_body.push(NOMINAL[*k].0.into());
                final_body.push(NOMINAL[*k].1.into());
            }
            Unit::Claim { k, hedge } => {
                if hedge.is_some() {
                    shown.push("hedging");
                }
                draft_body.push(claim_text(*k, *hedge));
                final_body.push(claim_text(*k, None));
            }
            Unit::Note { k, stiff } => {
                if *stiff {
                    shown.push("contractions");
                }
                draft_body.push(if *stiff { NOTES[*k].0 } else { NOTES[*k].1 }.into());
                final_body.push(NOTES[*k].1.into());
            }
            Unit::Neutral(k) => {
                draft_body.push(NEUTRAL[*k].into());
                final_body.push(NEUTRAL[*k].into());
            }
        }
    }
    if let Some((d0, g0)) = pending_long {
        draft_body.push(d0);
        final_body.push(g0);
    }
    let greet_good = format!("Hi {first},");
    let greet_draft = if bad_greeting {
        shown.push("greeting");
        rng.pick(&BAD_GREETINGS).replace("$client", client)
    } else {
        greet_good.clone()
    };
    let sign_draft = if bad_signoff {
        shown.push("sign-off");
        rng.pick(&BAD_SIGNOFFS).to_string()
    } else {
        "Thanks,".to_string()
    };
    let sender = *rng.pick(&["Mei", "Sam", "Ola", "Jonas", "Priya", "Lena"]);
    let render =
        |g: &str, body: &[String], s: &str| format!("{g}\n\n{}\n\n{s}\n{sender}", body.join(" "));
    let draft = render(&greet_draft, &draft_body, &sign_draft);
    let mut fin = render(&greet_good, &final_body, "Thanks,");
    if rng.chance(0.12) {
        let (a, b) = *rng.pick(&NOISE);
        if fin.contains(a) && cap.take(a, 2) {
            fin = fin.replacen(a, b, 1);
        }
    }
    messages.push(msg(Role::Assistant, draft.clone()));

    // A comment now and then, about one or two of the things fixed.
    let vars = [("first", first)];
    let mut topics: Vec<&Voice> = Vec::new();
    for s in &shown {
        let v = match *s {
            "active" => &ACTIVE,
            "short" => &SHORT,
            "contractions" => &CONTRACT,
            "hedging" => &HEDGING,
            "greeting" => &GREETING,
            _ => &SIGNOFF,
        };
        if !topics.iter().any(|t| std::ptr::eq(*t, v)) {
            topics.push(v);
        }
    }
    let mut feedback = Vec::new();
    if fin == draft {
        feedback.push(Feedback {
            message: 1,
            verdict: Verdict::Accepted,
            final_text: None,
            comment: None,
        });
    } else {
        let say = |rng: &mut Rng, n: usize| -> String {
            let mut parts = Vec::new();
            let mut pool = topics.clone();
            for _ in 0..n.min(pool.len()) {
                let i = rng.below(pool.len());
                parts.push(compose(rng, pool.remove(i), &FRAMES, &vars));
            }
            in_manner(
                rng,
                &join_said(&parts, ". "),
                &MANNER,
                &[
                    "active",
                    "passive",
                    "contractions",
                    "hedging",
                    "split",
                    "might",
                    "perhaps",
                ],
            )
        };
        match rng.below(100) {
            0..=6 if !topics.is_empty() => {
                // Back in chat, then the second draft goes out.
                let c = say(rng, 2);
                messages.push(msg(Role::User, c));
                messages.push(msg(Role::Assistant, fin));
                feedback.push(Feedback {
                    message: 3,
                    verdict: Verdict::Accepted,
                    final_text: None,
                    comment: None,
                });
            }
            7..=15 if !topics.is_empty() => {
                let c = say(rng, 3);
                feedback.push(Feedback {
                    message: 1,
                    verdict: Verdict::Rejected,
                    final_text: None,
                    comment: Some(c),
                });
            }
            x => {
                let comment = (x < 45 && !topics.is_empty()).then(|| {
                    let n = 1 + rng.below(2);
                    say(rng, n)
                });
                feedback.push(Feedback {
                    message: 1,
                    verdict: Verdict::Revised,
                    final_text: Some(fin),
                    comment,
                });
            }
        }
    }
    let user = *rng.pick(&REVIEWERS);
    (
        record(
            id,
            AGENT,
            at,
            5 + rng.below(20) as i64,
            user,
            TAG,
            client,
            messages,
            feedback,
        ),
        shown,
    )
}
