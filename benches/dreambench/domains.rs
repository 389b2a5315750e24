//! Vocabularies of the DreamBench domains. Each domain is only words: the planting logic in
//! `gen.rs` is shared, so a miner tuned to one domain's words would fail the others.

pub struct Domain {
    pub name: &'static str,
    pub agent: &'static str,
    pub tag: &'static str,
    pub scopes: &'static [&'static str],
    pub ask: &'static [&'static str],
    /// Body sentences; `{s}` is the scope name.
    pub body: &'static [&'static str],
    /// (subject, predicate): statement "Subject is predicate." / question "Is subject predicate?"
    pub heads: &'static [(&'static str, &'static str)],
    pub list_items: &'static [&'static str],
    /// Carrier sentences for a word that may be banned; `{w}` is the word.
    pub carriers: &'static [&'static str],
    /// (word, what reviewers write instead)
    pub words: &'static [(&'static str, &'static str)],
    /// Topics people tell the agent to stay away from.
    pub topics: &'static [(&'static str, &'static str)],
    /// (question, possible answers)
    pub questions: &'static [(&'static str, &'static [&'static str])],
    pub signoffs: &'static [&'static str],
    pub link_label: &'static str,
    pub tools: Option<Tools>,
    /// Memory entries: (stale entry contradicting a team-wide rule, duplicate pair, control).
    pub stale: &'static str,
    pub dupes: (&'static str, &'static str),
    pub control: &'static str,
    /// Words a reviewer swaps at random (noise).
    pub noise: &'static [(&'static str, &'static str)],
    pub one_off: (&'static str, &'static str),
}

pub struct Tools {
    pub team: &'static [&'static str],
    pub special: &'static [&'static str],
}

pub const SOCIAL: Domain = Domain {
    name: "social",
    agent: "social-drafts",
    tag: "client",
    scopes: &[
        "Harbour Tea",
        "Bright Bakery",
        "Fern Florist",
        "Atlas Gym",
        "Paper Lantern Books",
        "Cobalt Bikes",
        "Maple Dental",
        "Juniper Yoga",
        "Orbit Coffee",
        "Willow Pets",
        "Quarry Climbing",
        "Saffron Kitchen",
    ],
    ask: &[
        "Draft today's post for {s}.",
        "Write a social post for {s} about this week.",
        "Can you draft the next {s} post?",
    ],
    body: &[
        "Our team at {s} has been busy getting everything ready for you.",
        "Drop by this weekend and say hello to the crew.",
        "We love seeing familiar faces and meeting new neighbours.",
        "Tag a friend who would enjoy this.",
        "Stock is limited, so come early.",
        "Thanks for supporting a local business like {s}.",
        "Every order helps us grow a little more.",
        "The new season brings fresh ideas and a few surprises.",
        "Our opening hours stay the same all week.",
        "Follow along for more news from {s}.",
    ],
    heads: &[
        ("this weekend", "the best time to visit"),
        ("our new range", "worth the wait"),
        ("the autumn menu", "finally here"),
        ("this the season", "for something new"),
    ],
    list_items: &[
        "fresh stock every morning",
        "friendly advice from the team",
        "gift cards at the counter",
        "free local delivery",
    ],
    carriers: &[
        "It is a {w} way to treat yourself.",
        "Expect a {w} experience from start to finish.",
        "Everything here feels {w} and easy.",
    ],
    words: &[
        ("seamless", "smooth"),
        ("synergy", "teamwork"),
        ("delightful", "lovely"),
        ("curated", "chosen"),
        ("elevate", "lift"),
        ("unparalleled", "great"),
        ("game-changing", "new"),
        ("bespoke", "custom"),
        ("vibrant", "lively"),
        ("artisanal", "handmade"),
        ("revolutionary", "fresh"),
        ("world-class", "excellent"),
    ],
    topics: &[
        ("prices", "We have great prices this week."),
        ("the weather", "Whatever the weather, we are open."),
        ("competitors", "Unlike competitors, we go further."),
    ],
    questions: &[
        (
            "Which platform is this post for?",
            &["Instagram", "Facebook", "LinkedIn", "TikTok"],
        ),
        (
            "Should I mention the opening hours?",
            &["Yes", "No", "Only on weekdays"],
        ),
    ],
    signoffs: &[
        "See you soon, the {s} team",
        "With love from {s}",
        "Cheers from all of us at {s}",
    ],
    link_label: "Shop online",
    tools: None,
    stale: "Always end posts with an exclamation mark to sound upbeat!",
    dupes: (
        "Mention the loyalty card in weekend posts.",
        "In weekend posts, mention our loyalty card.",
    ),
    control: "Posts go out at 9am local time.",
    noise: &[
        ("busy", "hard at work"),
        ("familiar", "friendly"),
        ("fresh", "new"),
        ("crew", "team"),
        ("early", "soon"),
        ("surprises", "treats"),
    ],
    one_off: (
        "Casual tone for this Friday post only, please.",
        "Happy Friday, friends",
    ),
};

pub const SUPPORT: Domain = Domain {
    name: "support",
    agent: "support-replies",
    tag: "product",
    scopes: &[
        "Ledger",
        "Atlas CRM",
        "Beacon",
        "Billing",
        "Courier",
        "Drift Chat",
        "Echo Notes",
        "Forge CI",
    ],
    ask: &[
        "Reply to this {s} ticket from a customer who cannot log in.",
        "Draft a reply for the {s} ticket below.",
        "Customer asks about an invoice in {s}; please answer.",
    ],
    body: &[
        "Thanks for reaching out about {s}.",
        "I checked your account and can see what happened.",
        "The change should show up within a few minutes.",
        "If it does not, clearing the browser cache usually helps.",
        "Our status page shows no ongoing incidents.",
        "I have added a note to your account so the team has context.",
        "You can also manage this from the settings page.",
        "Let me know if anything else comes up.",
        "We appreciate your patience while we looked into this.",
        "This affects only your workspace, not your data.",
    ],
    heads: &[
        ("your issue", "resolved now"),
        ("the sync", "working again"),
        ("your invoice", "corrected"),
        ("this", "a known bug"),
    ],
    list_items: &[
        "open the settings page",
        "choose the billing tab",
        "select the invoice",
        "press download",
    ],
    carriers: &[
        "That is a {w} limitation today.",
        "This is a {w} part of how the product works.",
        "We know it feels {w} at first.",
    ],
    words: &[
        ("unfortunately", "sadly"),
        ("simply", "just"),
        ("obviously", "clearly"),
        ("kindly", "please"),
        ("apologies", "sorry"),
        ("inconvenience", "trouble"),
        ("leverage", "use"),
        ("utilize", "use"),
        ("asap", "soon"),
        ("escalate", "pass on"),
    ],
    topics: &[
        ("refunds", "We may be able to offer refunds."),
        ("the roadmap", "The roadmap includes a fix."),
        ("other customers", "Other customers saw this too."),
    ],
    questions: &[
        (
            "Which plan is the customer on?",
            &["Business", "Starter", "Enterprise", "Free"],
        ),
        (
            "Should I offer a call?",
            &["No", "Yes", "Only for Enterprise"],
        ),
    ],
    signoffs: &[
        "Best regards, {s} Support",
        "Kind regards, the {s} team",
        "Talk soon, {s} Support",
    ],
    link_label: "Help centre",
    tools: Some(Tools {
        team: &["search_kb", "lookup_account", "draft_reply"],
        special: &["lookup_account", "check_refund_policy", "draft_reply"],
    }),
    stale: "Always open replies with a question to engage the customer?",
    dupes: (
        "Never share internal ticket notes with customers.",
        "Do not share internal notes from tickets with customers.",
    ),
    control: "Our support hours are 8:00 to 18:00 CET.",
    noise: &[
        ("checked", "looked at"),
        ("usually", "often"),
        ("patience", "time"),
        ("minutes", "moments"),
        ("context", "details"),
        ("workspace", "account"),
    ],
    one_off: (
        "Keep it extra formal just this once, it is a VIP.",
        "Yours faithfully",
    ),
};

/// Held out: used only for evaluation, never while building the miner.
pub const REVIEW: Domain = Domain {
    name: "review",
    agent: "code-review",
    tag: "repo",
    scopes: &[
        "payments-api",
        "web-shell",
        "mobile-app",
        "auth-service",
        "data-pipeline",
        "infra-tools",
        "search",
        "notifications",
        "billing-ui",
        "design-system",
    ],
    ask: &[
        "Review this pull request in {s}.",
        "Write review comments for the {s} change.",
        "Please review the diff for {s}.",
    ],
    body: &[
        "The change in {s} looks mostly good to me.",
        "Consider extracting this block into a helper function.",
        "This loop allocates on every iteration.",
        "The error path is not covered by a test.",
        "Naming here could be clearer for the next reader.",
        "Please add a short comment explaining the retry.",
        "The migration should be reversible.",
        "This duplicates logic that already exists in {s}.",
        "The log line leaks the user email.",
        "Happy to approve once the tests pass.",
    ],
    heads: &[
        ("this change", "ready to merge"),
        ("the retry logic", "correct"),
        ("the new endpoint", "safe"),
        ("this test", "flaky"),
    ],
    list_items: &[
        "rename the variable",
        "add a unit test",
        "remove the debug print",
        "update the changelog",
    ],
    carriers: &[
        "The approach is {w} overall.",
        "This is a {w} refactor.",
        "The result feels {w} to read.",
    ],
    words: &[
        ("nit", "minor"),
        ("trivial", "small"),
        ("just", "only"),
        ("obviously", "clearly"),
        ("wrong", "incorrect"),
        ("hacky", "fragile"),
        ("lgtm", "approved"),
        ("ugly", "hard to read"),
        ("dumb", "surprising"),
        ("sloppy", "rushed"),
    ],
    topics: &[
        ("style preferences", "Style preferences aside, this works."),
        ("the deadline", "Given the deadline, this is fine."),
        ("other teams", "Other teams do it differently."),
    ],
    questions: &[
        (
            "Should I block the merge on these comments?",
            &["No", "Yes", "Only for security issues"],
        ),
        (
            "Which Rust edition does the repo use?",
            &["2021", "2018", "2024"],
        ),
    ],
    signoffs: &[
        "Thanks, {s} reviewers",
        "Reviewed by the {s} owners",
        "Cheers, {s} maintainers",
    ],
    link_label: "Guidelines",
    tools: Some(Tools {
        team: &["read_diff", "run_tests", "post_review"],
        special: &["read_diff", "run_linter", "run_tests", "post_review"],
    }),
    stale: "Always include an emoji to keep reviews friendly 🙂",
    dupes: (
        "Flag any migration that is not reversible.",
        "Any irreversible migration must be flagged.",
    ),
    control: "The main branch is protected.",
    noise: &[
        ("mostly", "largely"),
        ("clearer", "simpler"),
        ("short", "brief"),
        ("reversible", "undoable"),
        ("reader", "maintainer"),
        ("block", "section"),
    ],
    one_off: (
        "Be gentle for this one only, it is their first PR.",
        "Welcome aboard",
    ),
};
