//! DreamBench "support-comments": an outsourced support team answering tickets for twelve
//! shops over a week (weekends too, quieter). The agent drafts a reply to each ticket;
//! reviewers accept it, revise it (the text they sent) or reject it, and often say why in a
//! comment, worded their own way every time ("always add the order number" / "include the
//! order # next time" / "where's the order reference?"). Sometimes the edit shows the fix,
//! sometimes only the comment does (an accepted draft with "next time add the order #"),
//! sometimes a rejection says what they want and the agent drafts again.
//!
//! Planted: three team-wide preferences (quote the order number, never promise delivery
//! dates, greet the customer by first name) and one preference for eight of the twelve shops.
//! Traps: one-off comments ("just for this customer, waive the restocking fee") that repeat on
//! three days in one shop, rules of one shop that others do not share (store credit instead of
//! refunds; no "unfortunately"), capped noise edits and ticket-specific comments.

use reverie::model::{Feedback, Role, Verdict};

use super::gen::{Rng, Workload};
use super::real::*;

const AGENT: &str = "support-desk";
const TAG: &str = "client";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Issue {
    Where,
    Damaged,
    WrongSize,
    Cancel,
    RefundStatus,
    Address,
    Discount,
}

const ISSUES: [Issue; 7] = [
    Issue::Where,
    Issue::Damaged,
    Issue::WrongSize,
    Issue::Cancel,
    Issue::RefundStatus,
    Issue::Address,
    Issue::Discount,
];

struct Shop {
    name: &'static str,
    prefix: &'static str,
    items: &'static [&'static str],
    /// The shop's own preference, if any.
    own: Option<ShopPref>,
}

struct ShopPref {
    kind: &'static str,
    keys: &'static [&'static str],
    /// Tickets where the preference can show.
    issues: &'static [Issue],
    voice: Voice,
}

const SHOPS: [Shop; 12] = [
    Shop {
        name: "Kettle & Co",
        prefix: "KC-",
        items: &["kettle", "teapot", "tea caddy"],
        own: Some(ShopPref {
            kind: "returns-portal",
            keys: &[
                "returns.kettleandco.example",
                "portal",
                "returns portal",
                "return link",
                "returns link",
            ],
            issues: &[Issue::Damaged, Issue::WrongSize, Issue::RefundStatus],
            voice: Voice {
                dos: &[
                    "add the returns portal link",
                    "link {them to|} returns.kettleandco.example",
                    "point them to the returns portal{ so they can print the label|}",
                ],
                donts: &["don't make them email us for a label, link the portal"],
                complaints: &[
                    "{no|missing} returns link",
                    "how are they supposed to start the return?",
                ],
                rules: &["every returns reply for Kettle links the portal"],
            },
        }),
    },
    Shop {
        name: "Lumen Lighting",
        prefix: "LL-",
        items: &["desk lamp", "pendant light", "floor lamp"],
        own: Some(ShopPref {
            kind: "sign-off",
            keys: &[
                "the lumen team",
                "lumen team",
                "sign-off",
                "sign off",
                "signoff",
                "sign",
                "signed",
            ],
            issues: &ISSUES,
            voice: Voice {
                dos: &[
                    "sign off as The Lumen Team",
                    "end with \"— The Lumen Team\"",
                    "use the team sign-off{, not your name|}",
                ],
                donts: &["don't sign with your own name{ for Lumen|}"],
                complaints: &["wrong sign-off{ again|}", "Lumen wants the team sign-off"],
                rules: &["Lumen replies are signed by The Lumen Team{, always|}"],
            },
        }),
    },
    Shop {
        name: "Northwind Outfitters",
        prefix: "NW",
        items: &["rain jacket", "hiking boots", "fleece"],
        own: Some(ShopPref {
            kind: "store-credit",
            keys: &["store credit", "credit", "refund", "refunds"],
            issues: &[Issue::Damaged, Issue::RefundStatus, Issue::Discount],
            voice: Voice {
                dos: &[
                    "offer store credit instead{ of a refund|}",
                    "make it store credit{, not a refund|}",
                ],
                donts: &[
                    "don't offer refunds{ for Northwind|}{, only store credit|}",
                    "no refunds{ — store credit only|}",
                ],
                complaints: &[
                    "Northwind doesn't do refunds{!|}",
                    "we can't refund {this|Northwind orders}",
                ],
                rules: &["Northwind policy is store credit, never refunds"],
            },
        }),
    },
    Shop {
        name: "Pebble Phones",
        prefix: "#PB-",
        items: &["phone", "charger", "phone case"],
        own: Some(ShopPref {
            kind: "imei",
            keys: &["imei"],
            issues: &[Issue::Damaged, Issue::WrongSize],
            voice: Voice {
                dos: &[
                    "ask for the IMEI",
                    "get the IMEI {first|before anything else}",
                    "ask them to dial *#06# and send the IMEI",
                ],
                donts: &["don't promise a swap before we have the IMEI"],
                complaints: &[
                    "we need the IMEI{ for the claim|}",
                    "{no|where's the} IMEI request?",
                ],
                rules: &["every Pebble device ticket needs the IMEI"],
            },
        }),
    },
    Shop {
        name: "Roam Luggage",
        prefix: "RL-",
        items: &["suitcase", "carry-on", "duffel"],
        own: Some(ShopPref {
            kind: "warranty",
            keys: &["warranty", "10-year", "ten-year"],
            issues: &[Issue::Damaged],
            voice: Voice {
                dos: &[
                    "mention the 10-year warranty",
                    "tell them it's covered by the {10-year|ten-year} warranty",
                ],
                donts: &["don't treat this as a goodwill gesture, it's the warranty"],
                complaints: &[
                    "{you|we} forgot the warranty{ again|}",
                    "this is a warranty case — say so",
                ],
                rules: &["Roam wants the warranty in every damage reply"],
            },
        }),
    },
    Shop {
        name: "Sprout Baby",
        prefix: "SB",
        items: &["stroller", "baby monitor", "high chair"],
        own: Some(ShopPref {
            kind: "no-unfortunately",
            keys: &["unfortunately"],
            issues: &[Issue::Cancel, Issue::Address],
            voice: Voice {
                dos: &["{lose|drop|cut} the \"unfortunately\""],
                donts: &[
                    "don't {start with|use} \"unfortunately\"",
                    "no \"unfortunately\" for Sprout",
                ],
                complaints: &[
                    "\"unfortunately\" again{...|}",
                    "Sprout hates \"unfortunately\"",
                ],
                rules: &["Sprout never says unfortunately{, they want it upbeat|}"],
            },
        }),
    },
    Shop {
        name: "Tidal Swimwear",
        prefix: "TS-",
        items: &["swimsuit", "board shorts", "rash vest"],
        own: Some(ShopPref {
            kind: "size-guide",
            keys: &[
                "size guide",
                "size-guide",
                "size chart",
                "sizing",
                "tidalswim.example/size-guide",
            ],
            issues: &[Issue::WrongSize],
            voice: Voice {
                dos: &[
                    "link the size guide",
                    "add the size guide link{ so they pick right next time|}",
                    "include tidalswim.example/size-guide",
                ],
                donts: &["don't send an exchange without the size guide"],
                complaints: &[
                    "{no|where's the} size guide?",
                    "size guide link missing{ again|}",
                ],
                rules: &["every size exchange gets the size guide link"],
            },
        }),
    },
    Shop {
        name: "Verdant Plants",
        prefix: "VP-",
        items: &["monstera", "fiddle-leaf fig", "snake plant"],
        own: Some(ShopPref {
            kind: "photo",
            keys: &["photo", "photos", "picture", "pictures", "image", "images"],
            issues: &[Issue::Damaged],
            voice: Voice {
                dos: &[
                    "ask for a photo{ of the plant|}",
                    "get a picture before we replace it",
                    "request a photo{ first|}",
                ],
                donts: &["don't replace anything without a photo"],
                complaints: &["we need a photo{ first|}", "no photo request{ again|}"],
                rules: &["we always ask for a photo before replacing a plant"],
            },
        }),
    },
    Shop {
        name: "Copper Pan Cookware",
        prefix: "CP-",
        items: &["skillet", "saucepan", "dutch oven"],
        own: None,
    },
    Shop {
        name: "Brightside Books",
        prefix: "BB-",
        items: &["book bundle", "hardback", "gift box"],
        own: None,
    },
    Shop {
        name: "Atlas Bikes",
        prefix: "AB-",
        items: &["bike helmet", "bike lights", "pannier"],
        own: None,
    },
    Shop {
        name: "Meadow Candles",
        prefix: "MC-",
        items: &["candle set", "diffuser", "wax melts"],
        own: None,
    },
];

const ORDER: Voice = Voice {
    dos: &[
        "add the order number",
        "include the order {#|number|no.}{ in every reply|}",
        "put the order {number|ref|reference} in {the first line|the reply|there}",
        "quote their order number{ back to them|}",
        "reference the order {number|#}{ so they know which one we mean|}",
    ],
    donts: &[
        "don't send a reply without the order number",
        "never leave out the order {#|number}",
    ],
    complaints: &[
        "where's the order reference?",
        "no order number{ again|}",
        "{the|} customer won't know which order this is about",
        "order # missing{ again|}",
        "which order is this? {they have three open|say it}",
    ],
    rules: &[
        "we always quote the order number",
        "every reply needs the order {number|#}",
        "order number goes in every reply, no exceptions",
    ],
};
const ORDER_KEYS: [&str; 9] = [
    "order number",
    "order #",
    "order no",
    "order reference",
    "order ref",
    "order id",
    "order numbers",
    "order",
    "orders",
];

const DATES: Voice = Voice {
    dos: &[
        "{remove|take out|drop} the delivery date",
        "say the carrier will update tracking instead",
    ],
    donts: &[
        "don't promise {a delivery date|dates|$weekday|arrival dates}",
        "never promise {a date|dates}{, the carrier decides|}",
        "no {dates|promises on dates}{ please| — we can't guarantee them|}",
    ],
    complaints: &[
        "we can't promise {$weekday|that|a date}",
        "who says it'll arrive by $weekday?",
        "{we don't control|we have no control over} the carrier{, so no dates|}",
        "{that|this} date {isn't|is not} ours to promise",
    ],
    rules: &[
        "we never commit to delivery dates",
        "dates are the carrier's call, not ours",
    ],
};
const DATES_KEYS: [&str; 11] = [
    "promise",
    "promises",
    "promising",
    "promised",
    "date",
    "dates",
    "guarantee",
    "guarantees",
    "arrival",
    "delivery",
    "commit",
];

const NAME: Voice = Voice {
    dos: &[
        "use their first name",
        "greet them by name",
        "say hi $first{ instead of hi there|}",
        "open with the customer's name",
    ],
    donts: &[
        "don't {open|start} with {\"hi there\"|\"hello\"|\"dear customer\"}",
        "no \"hi there\"{ please|}",
    ],
    complaints: &[
        "\"hi there\" sounds like a bot",
        "you didn't use {the customer's|her|their} name",
        "{the|} greeting's generic{ again|}",
    ],
    rules: &["we always greet customers by {first |}name"],
};
const NAME_KEYS: [&str; 6] = [
    "name",
    "first name",
    "names",
    "hi there",
    "by name",
    "greet",
];

const FRAMES: Frames = Frames {
    dos: &[
        "^",
        "please ^",
        "^ please",
        "can you ^?",
        "pls ^",
        "next time ^",
        "remember to ^",
        "^ next time",
        "always ^",
    ],
    donts: &["^", "please: ^", "^!", "^ pls"],
    joins: &[". ", " — ", "; ", ". ", "\n"],
};

const MANNER: Manner = Manner {
    openers: &[
        "hm, ",
        "almost — ",
        "nice but ",
        "ok, ",
        "good, just ",
        "small thing: ",
        "again: ",
    ],
    closers: &[" thanks", " 🙂", " ty", " !!"],
    lowercase: 0.3,
    typos: 0.08,
};

/// One-off instructions: (shop, what to do in words, the sentence the reviewer adds).
struct OneOff {
    shop: &'static str,
    asks: &'static [&'static str],
    adds: &'static str,
    keys: &'static [&'static str],
}

const ONE_OFFS: [OneOff; 3] = [
    OneOff {
        shop: "Copper Pan Cookware",
        asks: &["just for this customer, waive the restocking fee{ — she's been with us ten years|}", "one-time exception: no restocking fee {here|for this one}{, he's a trade customer|}", "waive the fee this once{, the box was damaged in our warehouse|}", "{special case|exception}: waive the restocking fee for this order only"],
        adds: "I've waived the restocking fee for you.",
        keys: &["restocking", "waive", "waived", "fee", "fees"],
    },
    OneOff {
        shop: "Roam Luggage",
        asks: &["only for this customer: offer a call with the repair team", "{this one's|this is} a VIP, offer a phone call{ just this time|}", "one-off: offer them a call, {they're|she's} travelling tomorrow"],
        adds: "If it helps, our repair team can call you today — just reply with a good time.",
        keys: &["call", "calls", "phone call"],
    },
    OneOff {
        shop: "Tidal Swimwear",
        asks: &["just for this weekend's orders, mention the holiday shipping cutoff", "add the holiday cutoff {this time|for now} — {only until Monday|it's only this weekend}", "{this weekend only|for this weekend}: mention the shipping cutoff"],
        adds: "Orders placed after Friday noon ship after the holiday.",
        keys: &["cutoff", "holiday"],
    },
];

/// Reviewer swaps that mean nothing (each used at most twice in the whole workload).
const NOISE: [(&str, &str); 10] = [
    ("Thanks for getting in touch.", "Thanks for reaching out."),
    ("Thanks for your message.", "Thanks for writing in."),
    ("Sorry to hear about this.", "I'm sorry about this."),
    (
        "Let me know if there's anything else.",
        "Just reply if anything else comes up.",
    ),
    (
        "Happy to help with anything else.",
        "Anything else, just ask.",
    ),
    ("ships today", "ships out today"),
    ("I've cancelled", "I have cancelled"),
    ("I've updated", "I have updated"),
    ("on its way", "in transit"),
    ("for you.", "for you now."),
];
const NOISE_COMMENTS: [&str; 8] = [
    "customer is in Canada, shipping takes longer there",
    "she already emailed twice, be extra nice",
    "check the address, it looked odd",
    "this is the third ticket from him this month",
    "fine",
    "good one",
    "perfect, sending",
    "👍",
];

const FIRST: [&str; 16] = [
    "Dana", "Marco", "Aisha", "Tom", "Yuki", "Lena", "Ravi", "Chloe", "Omar", "Greta", "Pablo",
    "Mei", "Jonas", "Sara", "Kwame", "Ines",
];
const LAST: [&str; 8] = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Silva",
    "Novak",
    "Hughes",
    "Brennan",
];
const WEEKDAYS: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const STAFF: [&str; 4] = ["Sam", "Ivy", "Theo", "Nadia"];
const REVIEWERS: [&str; 5] = ["dana", "marco", "li", "fatima", "joe"];

#[derive(Clone)]
struct Plan {
    issue: Issue,
    order: bool,
    date: bool,
    name: bool,
    own: bool,
    one_off: Option<usize>,
    noise: bool,
}

pub fn generate(seed: u64) -> Workload {
    let mut rng = Rng::new(seed ^ 0x5AFE);
    let cal = Calendar::new((2026, 11, 16), 7, true);
    let now = cal.now;
    let mut slots = Vec::new();
    for (si, _) in SHOPS.iter().enumerate() {
        for t in cal.times(&mut rng, 20) {
            slots.push((si, t));
        }
    }
    let times: Vec<_> = slots.iter().map(|s| s.1).collect();
    let all: Vec<usize> = (0..slots.len()).collect();
    let mut plans: Vec<Plan> = slots
        .iter()
        .map(|_| Plan {
            issue: *rng.pick(&ISSUES),
            order: false,
            date: false,
            name: false,
            own: false,
            one_off: None,
            noise: rng.chance(0.12),
        })
        .collect();
    let of =
        |si: usize| -> Vec<usize> { all.iter().copied().filter(|&i| slots[i].0 == si).collect() };
    // Shop preferences first: they decide the ticket.
    for (si, shop) in SHOPS.iter().enumerate() {
        if let Some(own) = &shop.own {
            for i in spread(&mut rng, &times, &of(si), 0.3, 4, now) {
                plans[i].own = true;
                if !own.issues.contains(&plans[i].issue) {
                    plans[i].issue = *rng.pick(own.issues);
                }
            }
        }
    }
    for (k, o) in ONE_OFFS.iter().enumerate() {
        let si = SHOPS.iter().position(|s| s.name == o.shop).unwrap();
        let free: Vec<usize> = of(si).into_iter().filter(|&i| !plans[i].own).collect();
        for i in spread(&mut rng, &times, &free, 0.0, 3, now) {
            plans[i].one_off = Some(k);
        }
    }
    for i in spread(&mut rng, &times, &all, 0.3, 3, now) {
        plans[i].order = true;
    }
    let datable: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| matches!(plans[i].issue, Issue::Where | Issue::Damaged))
        .collect();
    for i in spread(&mut rng, &times, &datable, 0.35, 3, now) {
        plans[i].date = true;
    }
    for i in spread(&mut rng, &times, &all, 0.2, 3, now) {
        plans[i].name = true;
    }

    let mut ledger = Ledger::default();
    let mut cap = Cap::default();
    let mut records = Vec::new();
    let mut counters = [0usize; 12];
    for (i, (si, at)) in slots.iter().enumerate() {
        let k = counters[*si];
        counters[*si] += 1;
        let id = format!("support-{:02}-{:03}", si, k);
        let p = &plans[i];
        for (flag, key) in [(p.order, "order"), (p.date, "dates"), (p.name, "name")] {
            if flag {
                ledger.note(key, &id, *at);
            }
        }
        if p.own {
            ledger.note(SHOPS[*si].name, &id, *at);
        }
        records.push(session(&mut rng, &SHOPS[*si], p, id, *at, &mut cap));
    }
    for k in ["order", "dates", "name"] {
        ledger.check(k, now);
    }
    for s in SHOPS.iter().filter(|s| s.own.is_some()) {
        ledger.check(s.name, now);
    }
    sort_records(&mut records);

    let mut truths = vec![
        truth("order-number", None, &ORDER_KEYS),
        truth("no-date-promises", None, &DATES_KEYS),
        truth("greet-by-name", None, &NAME_KEYS),
    ];
    for s in &SHOPS {
        if let Some(o) = &s.own {
            truths.push(truth(o.kind, Some(s.name), o.keys));
        }
    }
    let mut traps = vec![
        trap(
            "one-shop-only",
            &["store credit", "refund", "refunds"],
            Some("Northwind Outfitters"),
        ),
        trap("one-shop-only", &["unfortunately"], Some("Sprout Baby")),
    ];
    for o in &ONE_OFFS {
        traps.push(trap("one-off", o.keys, None));
    }
    for (a, _) in NOISE.iter().filter(|(a, _)| !a.ends_with('.')) {
        traps.push(trap("noise", &[a], None));
    }
    Workload {
        domain: "support-comments",
        tag: TAG,
        records,
        memory: vec![],
        truths,
        traps,
        now,
    }
}

/// A reply as parts, so a reviewer's fix is an edit of one part.
#[derive(Clone, PartialEq)]
struct Reply {
    greeting: String,
    sentences: Vec<String>,
    signoff: String,
}

impl Reply {
    fn render(&self) -> String {
        format!(
            "{}\n\n{}\n\n{}",
            self.greeting,
            self.sentences.join(" "),
            self.signoff
        )
    }
}

fn session(
    rng: &mut Rng,
    shop: &Shop,
    p: &Plan,
    id: String,
    at: chrono::DateTime<chrono::Utc>,
    cap: &mut Cap,
) -> reverie::import::record::SessionRecord {
    let first = *rng.pick(&FIRST);
    let last = *rng.pick(&LAST);
    let order = format!("{}{}", shop.prefix, 10_000 + rng.below(89_999));
    let item = *rng.pick(shop.items);
    let weekday = *rng.pick(&WEEKDAYS);
    let staff = *rng.pick(&STAFF);
    let vars = [
        ("first", first),
        ("weekday", weekday),
        ("order", order.as_str()),
    ];

    // The ticket, as the reviewer pastes it.
    let complaint = match p.issue {
        Issue::Where => expand(rng, "{Hi|Hello}, my order $order still hasn't arrived. It's been {nine days|two weeks|over a week}. Where is it?"),
        Issue::Damaged => expand(rng, "The $item {in|from} order $order arrived {cracked|broken|damaged}.{ Photos attached.| Not happy.|}"),
        Issue::WrongSize => expand(rng, "I got the wrong {size|colour} of $item (order $order). Can I swap it?"),
        Issue::Cancel => expand(rng, "Please cancel order $order, I ordered {by mistake|twice}."),
        Issue::RefundStatus => expand(rng, "I sent back order $order {two weeks ago|on the 3rd} and still have no refund."),
        Issue::Address => expand(rng, "Can I change the delivery address for $order? {I'm moving|Wrong postcode}."),
        Issue::Discount => expand(rng, "My discount code didn't work on order $order{, it says expired|}."),
    }
    .replace("$order", &order)
    .replace("$item", item);
    let asks = [
        "Ticket from $first $last:\n\n\"$text\"\n\nDraft a reply.",
        "New ticket ($shop)\nFrom: $first $last\n\n$text",
        "Reply to this one pls:\n\n$text\n\n— $first",
        "$shop ticket, customer $first $last: $text",
    ];
    let ask = asks[rng.below(asks.len())]
        .replace("$first", first)
        .replace("$last", last)
        .replace("$shop", shop.name)
        .replace("$text", &complaint);
    let mut messages = vec![msg(Role::User, ask)];

    // The draft as the agent writes it, and the reply as the team wants it.
    let own_kind = shop.own.as_ref().map(|o| o.kind);
    let pref_here = |kind: &str| own_kind == Some(kind);
    let greeting_good = format!("Hi {first},");
    let greeting_bad = rng
        .pick(&["Hi there,", "Hello,", "Dear customer,"])
        .to_string();
    let opening = rng
        .pick(&[
            "Thanks for getting in touch.",
            "Thanks for your message.",
            "Sorry to hear about this.",
            "Thanks for letting us know.",
        ])
        .to_string();
    let order_forms = [
        format!("I've looked up your order {order}."),
        format!("I checked order {order} for you."),
        format!("About your order {order}:"),
    ];
    let order_fix_forms = [
        format!("I've checked your order {order}."),
        format!("(Order {order})"),
        format!("Your order number is {order}."),
        format!("Re: order {order}."),
    ];
    let mut body: Vec<String> = Vec::new();
    let mut good_body: Vec<String> = Vec::new();
    let both = |s: String, body: &mut Vec<String>, good: &mut Vec<String>| {
        body.push(s.clone());
        good.push(s);
    };
    both(opening.clone(), &mut body, &mut good_body);
    if p.order {
        good_body.push(rng.pick(&order_fix_forms).clone());
    } else {
        both(rng.pick(&order_forms).clone(), &mut body, &mut good_body);
    }
    let refund_shop = pref_here("store-credit");
    let refund_bad = "I've issued a full refund to your card.".to_string();
    let refund_good = "I've added store credit for the full amount to your account.".to_string();
    match p.issue {
        Issue::Where => {
            both(expand(rng, "{Tracking shows it left our warehouse on $day|I've checked with the carrier and your parcel is on its way}.").replace("$day", rng.pick::<&str>(&WEEKDAYS)), &mut body, &mut good_body);
        }
        Issue::Damaged => {
            both(
                expand(rng, "I'm {so|really} sorry the $item arrived damaged.")
                    .replace("$item", item),
                &mut body,
                &mut good_body,
            );
            if pref_here("imei") {
                if p.own {
                    good_body.push(
                        "Could you send us the IMEI (dial *#06#) so we can log the claim?".into(),
                    );
                } else {
                    both(
                        "Could you send us the IMEI (dial *#06#) so we can log the claim?".into(),
                        &mut body,
                        &mut good_body,
                    );
                }
            }
            if pref_here("photo") {
                let s = expand(
                    rng,
                    "Could you send {us|} a photo of the plant{ so we can see what happened|}?",
                );
                if p.own {
                    good_body.push(s);
                } else {
                    both(s, &mut body, &mut good_body);
                }
            }
            if pref_here("warranty") {
                let s = "This is covered by our 10-year warranty.".to_string();
                if p.own {
                    good_body.push(s);
                } else {
                    both(s, &mut body, &mut good_body);
                }
            }
            if refund_shop {
                if p.own {
                    body.push(refund_bad.clone());
                    good_body.push(refund_good.clone());
                } else {
                    both(refund_good.clone(), &mut body, &mut good_body);
                }
            } else {
                both(
                    rng.pick(&[
                        "I've sent a replacement, which ships today.".to_string(),
                        refund_bad.clone(),
                    ])
                    .clone(),
                    &mut body,
                    &mut good_body,
                );
            }
        }
        Issue::WrongSize => {
            both(
                expand(rng, "I've set up an exchange for the right {size|one}."),
                &mut body,
                &mut good_body,
            );
            if pref_here("size-guide") {
                let s = "Our size guide is at tidalswim.example/size-guide.".to_string();
                if p.own {
                    good_body.push(s);
                } else {
                    both(s, &mut body, &mut good_body);
                }
            }
            if pref_here("imei") {
                let s =
                    "Could you send us the IMEI (dial *#06#) so we can log the swap?".to_string();
                if p.own {
                    good_body.push(s);
                } else {
                    both(s, &mut body, &mut good_body);
                }
            }
        }
        Issue::Cancel | Issue::Address => {
            let shipped = rng.chance(0.5) || (p.own && pref_here("no-unfortunately"));
            if shipped {
                let what = if p.issue == Issue::Cancel {
                    "it has already shipped, so I've set up a free return instead."
                } else {
                    "the parcel has already shipped, so I've asked the carrier to redirect it."
                };
                let bad = format!("Unfortunately, {what}");
                let good = capitalize(what);
                if pref_here("no-unfortunately") {
                    if p.own {
                        body.push(bad);
                        good_body.push(good);
                    } else {
                        both(good, &mut body, &mut good_body);
                    }
                } else {
                    // Other shops keep "unfortunately": it is Sprout's rule, not the team's.
                    both(
                        if rng.chance(0.7) { bad } else { good },
                        &mut body,
                        &mut good_body,
                    );
                }
            } else if p.issue == Issue::Cancel {
                both(
                    "I've cancelled the order and you won't be charged.".into(),
                    &mut body,
                    &mut good_body,
                );
            } else {
                both(
                    "I've updated the delivery address.".into(),
                    &mut body,
                    &mut good_body,
                );
            }
        }
        Issue::RefundStatus => {
            both(
                expand(rng, "Your return arrived on {Monday|the 5th|Tuesday}."),
                &mut body,
                &mut good_body,
            );
            if refund_shop {
                if p.own {
                    body.push(refund_bad.clone());
                    good_body.push(refund_good.clone());
                } else {
                    both(refund_good.clone(), &mut body, &mut good_body);
                }
            } else {
                both(
                    "The refund went out today; it can take 3–5 business days to show.".into(),
                    &mut body,
                    &mut good_body,
                );
            }
        }
        Issue::Discount => {
            if refund_shop {
                if p.own {
                    body.push("I've refunded the discount amount to your card.".into());
                    good_body.push("I've added the discount amount as store credit.".into());
                } else {
                    both(
                        "I've added the discount amount as store credit.".into(),
                        &mut body,
                        &mut good_body,
                    );
                }
            } else {
                both(
                    "I've refunded the difference to your card.".into(),
                    &mut body,
                    &mut good_body,
                );
            }
        }
    }
    if pref_here("returns-portal")
        && matches!(
            p.issue,
            Issue::Damaged | Issue::WrongSize | Issue::RefundStatus
        )
    {
        let s = "You can start the return at returns.kettleandco.example.".to_string();
        if p.own {
            good_body.push(s);
        } else {
            both(s, &mut body, &mut good_body);
        }
    }
    if p.date {
        body.push(
            expand(rng, "{It will arrive by $weekday.|You'll have it by $weekday at the latest.|We guarantee it will be with you by $weekday.|Expect it on $weekday.}")
                .replace("$weekday", weekday),
        );
        good_body.push(expand(rng, "{The carrier will update the tracking as it moves.|You can follow it with the tracking link in your confirmation email.}"));
    } else if matches!(p.issue, Issue::Where) && rng.chance(0.5) {
        both(
            "The carrier will update the tracking as it moves.".into(),
            &mut body,
            &mut good_body,
        );
    }
    let closing = rng
        .pick(&[
            "Let me know if there's anything else.",
            "Just reply to this email if you need anything.",
            "Happy to help with anything else.",
        ])
        .to_string();
    both(closing, &mut body, &mut good_body);
    let sign_bad = format!(
        "{}\n{staff}",
        rng.pick(&["Best,", "Kind regards,", "Thanks,"])
    );
    let (sign_draft, sign_good) = if pref_here("sign-off") {
        let good = "— The Lumen Team".to_string();
        if p.own {
            (sign_bad, good)
        } else {
            (good.clone(), good)
        }
    } else {
        (sign_bad.clone(), sign_bad)
    };
    let draft = Reply {
        greeting: if p.name {
            greeting_bad.clone()
        } else {
            greeting_good.clone()
        },
        sentences: body,
        signoff: sign_draft,
    };
    let mut fixed = Reply {
        greeting: greeting_good,
        sentences: good_body,
        signoff: sign_good,
    };
    if let Some(k) = p.one_off {
        let at = fixed.sentences.len() - 1;
        fixed.sentences.insert(at, ONE_OFFS[k].adds.to_string());
    }
    let mut final_text = fixed.render();
    if p.noise {
        let (a, b) = *rng.pick(&NOISE);
        if final_text.contains(a) && cap.take(a, 2) {
            final_text = final_text.replacen(a, b, 1);
        }
    }
    let draft_text = draft.render();
    messages.push(msg(Role::Assistant, draft_text.clone()));

    // What the reviewer says, about each thing they fixed.
    let protect: Vec<&str> = ORDER_KEYS
        .iter()
        .chain(DATES_KEYS.iter())
        .chain(shop.own.iter().flat_map(|o| o.keys.iter()))
        .copied()
        .chain([
            "unfortunately",
            "name",
            "first",
            "IMEI",
            "photo",
            "warranty",
            "refund",
            "credit",
        ])
        .collect();
    let mut says: Vec<String> = Vec::new();
    if p.order {
        says.push(compose(rng, &ORDER, &FRAMES, &vars));
    }
    if p.date {
        says.push(compose(rng, &DATES, &FRAMES, &vars));
    }
    if p.name {
        says.push(compose(rng, &NAME, &FRAMES, &vars));
    }
    if p.own {
        if let Some(o) = &shop.own {
            says.push(compose(rng, &o.voice, &FRAMES, &vars));
        }
    }
    let one_off_say = p.one_off.map(|k| {
        let t = *rng.pick(ONE_OFFS[k].asks);
        capitalize(&expand(rng, t))
    });
    let mut feedback = Vec::new();
    let violated = !says.is_empty();
    if !violated && one_off_say.is_none() {
        let verdict = if final_text != draft_text {
            Verdict::Revised
        } else {
            Verdict::Accepted
        };
        let comment = if rng.chance(0.12) {
            let k = rng.below(NOISE_COMMENTS.len());
            cap.take(&format!("c{k}"), 2)
                .then(|| NOISE_COMMENTS[k].to_string())
        } else {
            None
        };
        feedback.push(Feedback {
            message: 1,
            verdict,
            final_text: (verdict == Verdict::Revised).then_some(final_text),
            comment,
        });
    } else {
        // Say it in one comment, in whatever order came to mind.
        let mut parts = says.clone();
        if parts.len() > 1 && rng.chance(0.5) {
            parts.reverse();
        }
        if let Some(o) = &one_off_say {
            let at = rng.below(parts.len() + 1);
            parts.insert(at, o.clone());
        }
        let sep = if rng.chance(0.5) { ". " } else { "\n" };
        let joined = join_said(&parts, sep);
        let comment = in_manner(rng, &joined, &MANNER, &protect);
        // Only-a-comment acceptances are for small things the reviewer let through.
        let minor = p.order && !p.date && !p.name && !p.own && p.one_off.is_none();
        let mode = rng.below(100);
        if minor && mode < 25 {
            feedback.push(Feedback {
                message: 1,
                verdict: Verdict::Accepted,
                final_text: None,
                comment: Some(comment),
            });
        } else if mode < 55 || p.one_off.is_some() {
            let silent = violated && p.one_off.is_none() && rng.chance(0.35);
            feedback.push(Feedback {
                message: 1,
                verdict: Verdict::Revised,
                final_text: Some(final_text),
                comment: (!silent).then_some(comment),
            });
        } else {
            // Rejected: the comment says what they want; often the agent tries again.
            feedback.push(Feedback {
                message: 1,
                verdict: Verdict::Rejected,
                final_text: None,
                comment: Some(comment.clone()),
            });
            if rng.chance(0.6) {
                messages.push(msg(Role::User, comment));
                messages.push(msg(Role::Assistant, final_text));
                feedback.push(Feedback {
                    message: 3,
                    verdict: Verdict::Accepted,
                    final_text: None,
                    comment: None,
                });
            }
        }
    }
    let user = *rng.pick(&REVIEWERS);
    record(
        id,
        AGENT,
        at,
        3 + rng.below(20) as i64,
        user,
        TAG,
        shop.name,
        messages,
        feedback,
    )
}
