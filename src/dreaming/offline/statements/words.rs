//! The words statements are read with: openings that forbid or ask, fillers, one-off
//! markers, words that carry no topic, synonyms. Plain data, one list per purpose.

/// Openings and endings that carry politeness or filler, not meaning.
#[rustfmt::skip]
pub(super) const FILLER: &[&str] = &[
    "ok", "okay", "thanks", "thank you", "thx", "hey", "hi", "hello", "also", "and", "but",
    "so", "well", "oh", "hmm", "actually", "please", "pls", "plz", "kindly", "just", "btw",
    "by the way", "one more thing", "quick note", "note", "fyi", "reminder", "as usual",
    "again", "yes", "sorry", "great", "good", "nice", "cool", "perfect", "looks good",
    "looks great", "ah", "right", "alright", "all right", "guys", "team", "folks", "honestly",
    "seriously", "for future reference", "going forward", "from now on", "in future",
    "in the future", "next time", "moving forward", "as always", "as i said", "as i mentioned",
    "like i said", "once again", "remember", "reminder", "hm", "uh", "um", "ugh",
];

/// Said to last.
#[rustfmt::skip]
pub(super) const STANDING: &[&str] = &[
    "always", "never", "every time", "each time", "everytime", "from now on", "going forward",
    "in future", "in the future", "next time", "again", "as usual", "as always", "remember",
    "make sure", "i told you", "as i said", "as i mentioned", "every", "whenever", "by default",
    "all the time", "consistently", "anymore", "any more", "still", "keep forgetting",
    "moving forward", "don't forget", "do not forget", "before you", "before handing",
    "before merging", "before sending", "before you send", "toujours", "jamais", "siempre",
    "nunca", "immer", "nie", "niemals", "sempre", "mai",
];

/// Said for this piece of work only.
#[rustfmt::skip]
pub(super) const ONE_OFF: &[&str] = &[
    "this time", "this once", "just this", "for now", "for today", "today only", "just for ",
    "only for ", "for this one", "this one only", "for this week", "this week only",
    "as an exception", "one-off", "one off", "just once", "only today", "only this",
    "for this post", "for this pr", "for this ticket", "for this customer", "for this client",
    "for this email", "for this reply", "for this draft", "for this one post", "in this case",
    "this particular", "temporarily", "for the moment", "until further notice",
    "pour cette fois", "juste pour", "solo esta vez", "por esta vez", "nur dieses mal",
    "ausnahmsweise",
];

/// One-off markers in Chinese and Japanese (matched without word boundaries).
#[rustfmt::skip]
pub(super) const ONE_OFF_CJK: &[&str] = &[
    "这次", "这一次", "仅此一次", "只是这次", "只这一次", "今天", "这篇", "暂时", "本次", "例外", "这回", "今回", "今日だけ",
    "一時的",
];

/// Openings that forbid (longest first when matching).
#[rustfmt::skip]
pub(super) const FORBID_LEAD: &[&str] = &[
    "don't", "dont", "do not", "never", "no more", "no", "avoid", "stop", "quit", "without",
    "drop", "remove", "lose", "skip", "cut", "get rid of", "leave out", "less", "fewer",
    "please don't", "you shouldn't", "shouldn't", "we don't", "we never", "we do not",
    "i don't want", "no need for",
    "no need to", "don't ever", "never ever", "stop using", "refrain from", "not", "nothing",
    "ne", "pas de", "évite", "evite", "no uses", "evita", "nicht", "kein", "keine", "vermeide",
    // A verb with "no" says none of it.
    "use no", "include no", "add no", "put no", "steer clear of", "stay away from",
    "keep away from", "say no to", "take out", "cut out", "strip out", "delete",
];

/// Verbs that open a plain instruction for less of something: they forbid, but like
/// [`REQUIRE_VERB`] say nothing of it lasting ("reduce the batch size" is the next piece of
/// work as often as a rule).
#[rustfmt::skip]
pub(super) const FORBID_VERB: &[&str] = &[
    "go easy on", "tone down", "cut down on", "cut back on", "ease up on", "ease off",
    "ease off on", "hold off on", "hold back on", "minimise", "minimize", "reduce", "lay off",
];

/// Openings that ask for something.
#[rustfmt::skip]
pub(super) const REQUIRE_LEAD: &[&str] = &[
    "always", "make sure", "be sure to", "remember to", "ensure", "stick to", "prefer", "must",
    "you must", "you should", "should", "you need to", "need to", "have to", "you have to",
    "i want", "we want", "i'd like", "we'd like", "i need", "we need", "let's always",
    "don't forget to", "do not forget to", "don't forget", "toujours", "siempre", "immer",
];

/// Verbs that open a plain instruction: they ask for something, but say nothing of it
/// lasting ("add the migration" is the next piece of work as often as a rule).
#[rustfmt::skip]
pub(super) const REQUIRE_VERB: &[&str] = &[
    "use", "include", "add", "keep", "end with", "start with", "open with", "sign off", "put",
    "mention", "switch to", "go with", "write", "lead with", "close with", "finish with",
    "limit", "replace", "utilise", "ajoute", "usa", "añade", "verwende", "füge",
];

/// Forbidding and requiring words of Chinese and Japanese (no spaces, so matched anywhere).
#[rustfmt::skip]
pub(super) const FORBID_CJK: &[&str] = &[
    "不要", "别", "不用", "请勿", "禁止", "避免", "少用", "去掉", "删掉", "删除", "不准", "不能", "勿", "不许", "不必",
    "太多", "过多", "太长",
    "やめて", "しないで", "使わないで",
];

/// Chinese and Japanese for "don't forget", "don't leave out" and "you forgot": they ask for
/// what they name, though some start with a forbidding word. Longer forms first.
#[rustfmt::skip]
pub(super) const FORGET_CJK: &[&str] = &[
    "不要忘记", "不要忘了", "不要忘", "别忘记", "别忘了", "别忘", "勿忘", "不要漏掉", "不要漏", "别漏掉",
    "别漏了", "别漏", "别落下", "忘记了", "忘记", "忘了", "漏掉了", "漏掉", "漏了", "没带", "没加", "忘れないで",
    "忘れずに", "忘れた",
];

#[rustfmt::skip]
pub(super) const REQUIRE_CJK: &[&str] = &[
    "务必", "记得", "一定要", "必须", "总是", "始终", "加上", "加", "使用", "保持", "要", "请", "必ず", "してください",
];

#[rustfmt::skip]
pub(super) const STANDING_CJK: &[&str] = &[
    "总是", "永远", "每次", "以后", "下次", "又", "再", "记得", "务必", "一定", "始终", "一直", "いつも", "毎回", "今後",
];

/// Complaints that mean "require": "you forgot to X", "where's the X?".
#[rustfmt::skip]
pub(super) const REQUIRE_COMPLAINT: &[(&str, &str)] = &[
    ("you forgot to ", "always "), ("you forgot ", "always include "),
    ("forgot to ", "always "), ("forgot ", "always include "), ("you didn't ", "always "),
    ("you did not ", "always "), ("didn't you ", "always "), ("you missed ", "always include "),
    ("you left out ", "always include "), ("you keep forgetting to ", "always "),
    ("you keep forgetting ", "always include "), ("why didn't you ", "always "),
    ("why did you not ", "always "), ("why is there no ", "always include "),
    ("why no ", "always include "), ("where's the ", "include the "),
    ("where is the ", "include the "), ("where are the ", "include the "),
    ("wheres the ", "include the "), ("where's ", "include "),
    ("did you forget ", "always include "), ("you still haven't ", "always "),
    ("you still didn't ", "always "), ("i don't see ", "always include "),
    ("missing ", "include "), ("needs ", "include "),
];

/// Complaints that mean "forbid": "why did you X?", "you keep X-ing".
#[rustfmt::skip]
pub(super) const FORBID_COMPLAINT: &[(&str, &str)] = &[
    ("why did you ", "don't "), ("why do you ", "don't "), ("why are you ", "don't "),
    ("you keep ", "stop "), ("you still ", "stop "), ("too many ", "fewer "),
    ("too much ", "less "), ("enough with ", "no "), ("there's too much ", "less "),
    ("there are too many ", "fewer "), ("way too much ", "less "), ("way too many ", "fewer "),
    ("far too much ", "less "), ("far too many ", "fewer "),
];

/// A sentence that starts a new piece of work rather than correcting this one.
#[rustfmt::skip]
pub(super) const NEW_TASK: &[&str] = &[
    "now", "next", "then", "another", "let's", "lets", "can we", "could we", "and now",
    "ok now", "great now", "also can you", "also could you", "after that", "first", "finally",
    "what about", "how about", "while you're at it", "one more", "here's", "here is",
];

/// First words that are not the verb of an imperative.
#[rustfmt::skip]
pub(super) const NOT_A_VERB: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've", "you", "you're", "you've", "he",
    "she", "it", "it's", "its", "they", "they're", "this", "that", "that's", "these", "those",
    "the", "a", "an", "my", "your", "our", "their", "his", "her", "there", "there's", "here",
    "what", "what's", "why", "how", "when", "where", "who", "which", "is", "are", "was", "were",
    "am", "be", "been", "do", "does", "did", "has", "have", "had", "can", "could", "would",
    "will", "shall", "may", "might", "looks", "sounds", "seems", "great", "good", "nice",
    "perfect", "thanks", "ok", "okay", "yes", "yeah", "yep", "no", "nope", "maybe", "perhaps",
    "probably", "not", "very", "so", "too", "much", "all", "some", "any", "one", "if",
    "because", "since", "as", "for", "in", "on", "at", "to", "from", "with", "of", "about",
    "after", "before", "love", "like", "hmm", "wow", "haha", "lol", "sure", "exactly", "right",
    "correct", "wrong", "still", "almost", "also", "just", "really", "nothing", "everything",
    "something", "someone", "nobody", "everyone", "me", "us",
];

/// Words that carry the polarity or the request, not the topic.
#[rustfmt::skip]
pub(super) const GENERIC: &[&str] = &[
    "don't", "dont", "do", "not", "never", "avoid", "stop", "no", "without", "drop", "remove",
    "lose", "skip", "cut", "rid", "quit", "always", "make", "sure", "be", "remember", "use",
    "using", "include", "including", "add", "adding", "keep", "put", "mention", "stick",
    "switch", "go", "prefer", "write", "limit", "replace", "instead", "again", "anymore",
    "ever", "any", "please", "them", "those", "thing", "things", "stuff", "like", "one", "ones",
    "every", "each", "time", "times", "should", "must", "need", "needs", "want", "forgot",
    "forget", "forgetting", "missed", "missing", "didn't", "did", "why", "where", "where's",
    "still", "keep", "keeps", "next", "future", "now", "going", "forward", "from", "ensure",
    "let's", "just", "also", "really", "actually", "whenever", "everytime", "default",
    "consistently", "told", "said", "mentioned", "usual", "moving", "left", "out", "see",
    "haven't", "shouldn't", "would", "could", "can", "you're", "i'd", "we'd", "too", "much",
    "many", "less", "fewer", "enough", "there's", "ok", "okay", "thanks", "thank", "hey", "hi",
    "yes", "sorry", "great", "good", "nice", "perfect", "me", "it", "here", "before", "after",
    "back", "get", "got", "give", "hand", "send", "answer", "reply", "draft", "version", "post",
    "message", "text", "response", "write", "written", "know", "think", "feel", "look", "looks",
    "seem", "seems", "way", "bit", "little", "lot", "while", "once", "today", "tomorrow",
    "yesterday", "week", "day",
    // Verbs of any request: they say what to do, not what about.
    "run", "check", "fix", "update", "change", "create", "set", "show", "move", "call",
    "handle", "build", "try", "start", "finish", "open", "close", "read", "review", "work",
    "take", "bring", "pull", "leave", "turn", "tell", "ask", "asking", "let", "help", "come",
    "doing", "done", "making", "made", "getting", "putting", "giving", "sending", "writing",
    "talk", "talking", "discuss", "discussing", "speak", "say", "saying", "bring", "bringing",
    "raise", "refer", "cite", "point", "explain", "describe", "tell", "telling", "show",
    "follow", "stay", "stick", "find", "try", "trying", "told", "goes", "go", "going", "sure",
    "happen", "seen", "used", "paste", "include", "includes", "included", "mentioning", "asked",
    "add", "added", "adding", "put", "ping", "wait", "hold", "care", "matter", "pls", "plz",
    "ty", "thx", "cant", "can't", "won't", "wont", "isn't", "doesn't", "didn't", "aren't",
    "wasn't", "ours", "yours", "theirs", "we're", "they're", "it's", "almost", "exception",
    "exceptions", "nearly", "basically", "totally", "quite", "e.g", "eg", "i.e", "ie", "etc",
    "ugh", "argh", "hmm", "word", "through", "via", "thing", "way", "part", "bit", "stuff",
    "ones", "one's", "kind", "sort", "lot", "lots",
];

/// Words of praise: a comment made only of them asks for nothing.
#[rustfmt::skip]
pub(super) const PRAISE: &[&str] = &[
    "job", "work", "done", "awesome", "excellent", "amazing", "love", "loved", "fantastic",
    "brilliant", "spot", "lovely", "well", "nailed", "wonderful", "superb", "fine", "approved",
    "lgtm", "ship", "shipit", "beautiful", "clear", "helpful", "solid", "neat", "ta", "cheers",
    "better", "thanks", "thank", "much", "improved", "good", "好", "很好", "不错", "完美", "棒", "赞",
];

/// Chinese and Japanese words that carry only grammar, politeness or polarity.
#[rustfmt::skip]
pub(super) const STOP_CJK: &[&str] = &[
    "的", "了", "是", "在", "和", "与", "我", "你", "您", "我们", "你们", "他", "她", "它", "请", "要", "不要", "别",
    "这", "那", "个", "一下", "吧", "吗", "呢", "啊", "也", "都", "就", "还", "又", "再", "用", "使用", "加上",
    "以后", "下次", "每次", "总是", "记得", "务必", "一定", "不", "没有", "把", "给", "让", "被", "着", "过", "会", "能",
    "可以", "应该", "必须", "一直", "始终", "永远", "不用", "请勿", "禁止", "避免", "少用", "去掉", "删掉", "删除", "不准",
    "不能", "勿", "这次", "今天", "这篇", "中", "里", "上", "下", "时候", "时", "而", "或", "及", "并", "但", "很",
    "太", "更", "最", "得", "地", "之", "所以", "因为", "如果", "已经", "还是", "就是", "一定要", "加", "保持", "写",
    "文案", "内容", "帖子", "里面", "结尾", "开头", "谢谢", "别忘了", "别忘", "忘", "忘了", "忘记", "别漏", "漏",
    "漏了", "没带", "没加",
    // Verbs of any request and the openings of a correction ("改一下：", "说过了，"), as
    // "change", "say" and "told" are in English.
    "改", "改成", "改为", "改一下", "说", "说过", "说过了", "叫", "写", "别写", "别用", "别说", "别叫", "不要写",
    "不要说", "不要用", "从来不", "有", "怎么", "词", "禁用", "辛苦", "另外", "哦", "哈", "啦", "呀", "嘛",
    // "小问题：" (nit:), "换个说法" (say it another way), "太多" (too many), "这个", "整体".
    "小问题", "问题", "小", "换个", "说法", "太多", "这个", "那个", "整体", "一点", "有点", "比较",
];

/// Words people use for one thing, written as the first of each list, so "brief titles" and
/// "short headlines" meet. Only everyday words of writing and work; domain words stay apart.
#[rustfmt::skip]
pub(super) const SYNONYMS: &[&[&str]] = &[
    &[ "short", "brief", "concise", "succinct", "terse", "shorter", "briefer", ], &[ "headline",
    "title", "heading", "subject", "headlines", "titles", "headings", ],
    &["sign-off", "signoff", "signature", "closing", "sign"],
    &["greeting", "salutation", "opener"], &[ "emoji", "emojis", "emoticon", "emoticons",
    "smiley", "smileys", ], &["exclamation", "exclamations", "bang", "bangs"], &[
    "price", "prices", "pricing", "cost", "costs", "charge", "charges", "fee", "fees", ], &[
    "competitor", "competitors", "rival", "rivals", "competition", ], &[ "discount",
    "discounts", "promo", "promos", "promotion", "promotions", "sale", "sales", "coupon", ], &[
    "customer", "customers", "client", "clients", "user", "users", ],
    &["link", "links", "url", "urls", "hyperlink"],
    &["bullet", "bullets", "bulleted", "dot points"], &["formal", "stiff", "corporate"],
    &["casual", "informal", "relaxed", "chatty"], &["jargon", "buzzword", "buzzwords", "lingo"],
    &["apologize", "apologise", "apology", "apologies", "sorry"],
    &["refund", "refunds", "reimburse", "reimbursement"],
    &["test", "tests", "testing", "unit-test", "unit-tests"],
    &["comment", "comments", "docstring", "docstrings"], &[ "dependency", "dependencies",
    "deps", "dep", "library", "libraries", "package", "packages", ],
    &["log", "logs", "logging", "logger"], &["lint", "linter", "linting", "clippy", "eslint"],
    &[
        "format", "formatted", "formatting", "formatter", "unformatted", "reformat", "fmt",
        "rustfmt", "gofmt", "prettier", "black", "swiftformat",
    ],
    &["changelog", "changelogs", "release-notes"],
];

/// Words that approve the work: what follows them is the next step, not a correction.
#[rustfmt::skip]
pub(super) const APPROVAL: &[&str] = &[
    "lgtm", "looks good", "looks great", "ship it", "perfect", "great", "nice", "awesome",
    "approved", "good to go", "all good", "works", "thanks", "thank you", "love it", "nailed it",
];
