//! What the demo workspace holds: the agent, its clients and their unwritten preferences, the
//! tasks people ask for, and the memory it starts with.

pub const DEMO_AGENT: &str = "social-drafts-demo";
pub const DEMO_NAME: &str = "Social drafts (demo)";

/// How far back the sessions go: three weeks, so any review window up to that has a full week.
pub(super) const DAYS: i64 = 21;

pub(super) const SYSTEM_PROMPT: &str = "You draft social media posts for the agency's clients: Harbour Tea \
(a tea shop), Fernwood Cycles (a bike shop) and Quill & Ink Books (a bookshop). Write one \
ready-to-post draft per request in the client's voice, and follow what memory says about each client.";

/// What happens in one session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
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

pub(super) use Kind::*;

pub(super) const FIX: Kind = Fix { elevate: false };
/// "Elevate" sits at every third place of each cycle, so any week holds two per client.
pub(super) const FIX_E: Kind = Fix { elevate: true };

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Voice {
    /// Calm: reviewers remove exclamation marks.
    Harbour,
    /// Upbeat: exclamation marks stay; reviewers append #RideFernwood on its own line.
    Fernwood,
    /// Quiet: reviewers remove emoji (memory still asks for them).
    Quill,
}

pub(super) struct Topic {
    pub(super) subject: &'static str,
    pub(super) opener: &'static str,
    pub(super) body: &'static str,
    /// The detail as drafted, and as a reviewer sometimes corrects it.
    pub(super) detail: (&'static str, &'static str),
}

pub(super) struct Client {
    pub(super) name: &'static str,
    pub(super) voice: Voice,
    pub(super) users: [&'static str; 3],
    pub(super) topics: [Topic; 6],
    pub(super) ctas: [&'static str; 4],
    /// "{} your …" sentences: drafts say "Elevate", reviewers the verb given.
    pub(super) elevate: [(&'static str, &'static str); 3],
    pub(super) corrections: [&'static str; 2],
    pub(super) fix_comment: &'static str,
    pub(super) rejections: [&'static str; 2],
    /// Opener and call to action of a casual draft, and why casual this once.
    pub(super) casual: (&'static str, &'static str, [&'static str; 2]),
    pub(super) cycle: [Kind; 10],
}

pub(super) const fn topic(
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

pub(super) const CLIENTS: [Client; 3] = [
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

pub(super) const ASKS: [&str; 4] = [
    "Can you draft an Instagram post for {c} about {s}?",
    "Draft today's post for {c}: {s}.",
    "{c} would like a Facebook post on {s}, going out tomorrow morning.",
    "Need a short post for {c} about {s}, please.",
];

/// Memory the team typed before the demo's weeks: (scope, text). The Harbour Tea sign-off is
/// there twice in other words; the Quill & Ink emoji entry is stale.
pub(super) const MEMORY: [(Option<&str>, &str); 8] = [
    (None, "Write in British English (colour, favourite, organise)."),
    (Some("Harbour Tea"), "Harbour Tea: mention the shop on Quay Street when a post is about something happening in store."),
    (Some("Harbour Tea"), "Harbour Tea: sign off every post with '— The Harbour Tea team'."),
    (Some("Fernwood Cycles"), "Fernwood Cycles: keep the tone upbeat; exclamation marks are fine here."),
    (Some("Fernwood Cycles"), "Fernwood Cycles: the workshop is closed on Mondays, so never offer Monday bookings."),
    (Some("Quill & Ink Books"), "Quill & Ink Books: add a couple of emoji to every post to keep it friendly."),
    (Some("Quill & Ink Books"), "Quill & Ink Books: always give the full date and time for events."),
    (Some("Harbour Tea"), "Harbour Tea: end each post with the line '— The Harbour Tea team'."),
];
