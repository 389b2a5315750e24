//! DreamBench "chinese": a team writing social posts in Simplified Chinese (公众号, 小红书,
//! 微博, 朋友圈) for twelve shops over ten days. Drafts and revisions use full-width
//! punctuation (，。！？); reviewers revise, reject or correct the agent in chat, in Chinese
//! and in their own words (不要用感叹号 / 别老用感叹号，显得很浮夸 / 感叹号太多了).
//!
//! Planted: two team-wide preferences (never 赋能; no exclamation marks) and one for ten of
//! the twelve shops (words to drop, a slogan or topic tag to add, 你 instead of 您, no prices,
//! no emoji, statement titles, how to book). Truth keys are the Chinese strings a correct
//! proposal contains. Traps: a one-off (双十一 greeting "仅限这一篇"), rules of one shop that
//! others do not share (闭环, 您, emoji, question titles are fine elsewhere), capped noise.

use reverie::model::{Feedback, Role, Verdict};

use super::gen::{Rng, Workload};
use super::real::*;

const AGENT: &str = "wenan-writer";
const TAG: &str = "client";

/// A shop and its own preference (if any).
struct Shop {
    name: &'static str,
    own: Option<Pref>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Drop a word: (sentences with it, the same sentences without it).
    Drop(&'static [(&'static str, &'static str)]),
    /// Add a closing line.
    Add(&'static str),
    /// Write 你, not 您.
    Ni,
    /// No price sentence.
    NoPrice,
    /// No emoji.
    NoEmoji,
    /// A statement title, not a question.
    StatementTitle,
}

struct Pref {
    kind: &'static str,
    keys: &'static [&'static str],
    how: Kind,
    voice: Voice,
}

const ZHUASHOU: &[(&str, &str)] = &[
    (
        "会员日是我们和用户沟通的重要抓手。",
        "会员日是我们和用户聊天的好机会。",
    ),
    (
        "以新品为抓手，把体验做得更好。",
        "借着新品，把体验做得更好。",
    ),
    ("服务是我们最重要的抓手。", "服务是我们最看重的事。"),
];
const BIHUAN: &[(&str, &str)] = &[
    (
        "从预订到售后，打造服务闭环。",
        "从预订到售后，我们全程陪着你。",
    ),
    ("线上线下形成体验闭环。", "线上线下，体验一样好。"),
];
const MAOHAIZI: &[(&str, &str)] = &[
    ("给毛孩子准备的新零食到了。", "给狗狗猫咪准备的新零食到了。"),
    ("带上你家的毛孩子来玩吧。", "带上你家的狗狗猫咪来玩吧。"),
    (
        "每个毛孩子都值得被好好照顾。",
        "每只狗狗猫咪都值得被好好照顾。",
    ),
];

const SHOPS: [Shop; 12] = [
    Shop {
        name: "山茶花茶饮",
        own: None,
    },
    Shop {
        name: "北辰健身",
        own: Some(Pref {
            kind: "statement-title",
            keys: &["问句", "疑问句", "问号", "？", "陈述句", "question"],
            how: Kind::StatementTitle,
            voice: Voice {
                dos: &["标题改成陈述句", "标题{直接|}说事{就行|}"],
                donts: &["标题别用问句", "标题不要{带|}问号"],
                complaints: &["标题又是问句", "标题怎么又在提问"],
                rules: &["北辰的标题都用陈述句"],
            },
        }),
    },
    Shop {
        name: "青禾书店",
        own: Some(Pref {
            kind: "slogan",
            keys: &["陪你读好书", "青禾书店，陪你读好书"],
            how: Kind::Add("青禾书店，陪你读好书。"),
            voice: Voice {
                dos: &[
                    "在结尾加上“青禾书店，陪你读好书。”",
                    "结尾{记得|}加slogan：青禾书店，陪你读好书",
                    "最后一句{要是|写}“陪你读好书”",
                ],
                donts: &["别漏了结尾的“陪你读好书”"],
                complaints: &["slogan又漏了", "结尾的口号呢？"],
                rules: &["青禾每条推文都以“陪你读好书”结尾"],
            },
        }),
    },
    Shop {
        name: "蓝鲸咖啡",
        own: Some(Pref {
            kind: "topic-tag",
            keys: &[
                "#蓝鲸咖啡#",
                "蓝鲸咖啡#",
                "话题",
                "话题标签",
                "标签",
                "hashtag",
                "hashtags",
            ],
            how: Kind::Add("#蓝鲸咖啡#"),
            voice: Voice {
                dos: &[
                    "{记得|}带上#蓝鲸咖啡#话题",
                    "结尾加#蓝鲸咖啡#",
                    "话题标签#蓝鲸咖啡#{别漏了|要加上}",
                ],
                donts: &["别忘了话题标签"],
                complaints: &["话题标签又忘了", "没带话题"],
                rules: &["蓝鲸的微博都要带#蓝鲸咖啡#"],
            },
        }),
    },
    Shop {
        name: "云栖民宿",
        own: Some(Pref {
            kind: "booking-dm",
            keys: &["私信", "预订请私信"],
            how: Kind::Add("预订请私信我们。"),
            voice: Voice {
                dos: &[
                    "结尾加一句“预订请私信我们”",
                    "{记得|}写上预订方式：私信",
                    "加上“预订请私信”",
                ],
                donts: &["别忘了写怎么预订"],
                complaints: &["预订方式又漏了", "客人不知道怎么订"],
                rules: &["每条都要告诉大家私信预订"],
            },
        }),
    },
    Shop {
        name: "小满烘焙",
        own: Some(Pref {
            kind: "no-price",
            keys: &["价格", "价钱", "多少钱", "售价", "标价"],
            how: Kind::NoPrice,
            voice: Voice {
                dos: &["把价格删掉", "{售价|价格}那句去掉"],
                donts: &["不要提价格", "价格别写进去{，门店会调价|}", "别写多少钱"],
                complaints: &["怎么又写了价格", "价格写上去，调价了怎么办"],
                rules: &["小满的推文从不写价格"],
            },
        }),
    },
    Shop {
        name: "星河数码",
        own: Some(Pref {
            kind: "ban-zhuashou",
            keys: &["抓手"],
            how: Kind::Drop(ZHUASHOU),
            voice: Voice {
                dos: &["“抓手”换掉", "把“抓手”改成大白话"],
                donts: &["别用“抓手”", "不要写抓手"],
                complaints: &["“抓手”是黑话", "又是抓手"],
                rules: &["星河的文案不用“抓手”这种词"],
            },
        }),
    },
    Shop {
        name: "禾木花艺",
        own: None,
    },
    Shop {
        name: "南山瑜伽",
        own: Some(Pref {
            kind: "ni-not-nin",
            keys: &["您", "你"],
            how: Kind::Ni,
            voice: Voice {
                dos: &["用“你”{就好|}", "“您”改成“你”"],
                donts: &["别用“您”{，太客气了|}", "不要写“您”"],
                complaints: &["“您”太生分了", "又是“您”"],
                rules: &["我们跟学员是朋友，{一律|都}用“你”"],
            },
        }),
    },
    Shop {
        name: "橙子宠物",
        own: Some(Pref {
            kind: "ban-maohaizi",
            keys: &["毛孩子"],
            how: Kind::Drop(MAOHAIZI),
            voice: Voice {
                dos: &["“毛孩子”改成“狗狗猫咪”"],
                donts: &["别叫“毛孩子”{，老板不喜欢|}", "不要用毛孩子这个说法"],
                complaints: &["又写毛孩子了", "“毛孩子”太腻了"],
                rules: &["橙子宠物不用“毛孩子”"],
            },
        }),
    },
    Shop {
        name: "白鹭旅行",
        own: Some(Pref {
            kind: "ban-bihuan",
            keys: &["闭环"],
            how: Kind::Drop(BIHUAN),
            voice: Voice {
                dos: &["把“闭环”改成大白话"],
                donts: &["“闭环”别用了", "不要说闭环{，用户听不懂|}"],
                complaints: &["闭环是什么意思？用户看不懂", "又是闭环"],
                rules: &["白鹭的稿子里不出现“闭环”"],
            },
        }),
    },
    Shop {
        name: "墨言文具",
        own: Some(Pref {
            kind: "no-emoji",
            keys: &["表情", "表情符号", "emoji", "表情包"],
            how: Kind::NoEmoji,
            voice: Voice {
                dos: &["emoji都删了", "把表情去掉"],
                donts: &["不要加表情符号", "别放emoji"],
                complaints: &["表情太多了", "怎么又有表情"],
                rules: &["墨言的调性比较安静，不用表情"],
            },
        }),
    },
];

const FUNENG: &[(&str, &str)] = &[
    (
        "我们希望用$s的服务为每一位顾客赋能。",
        "我们希望用$s的服务帮到每一位顾客。",
    ),
    ("$t，为你的日常生活赋能。", "$t，让你的日常更轻松一点。"),
    ("赋能社区，连接彼此。", "服务社区，连接彼此。"),
    ("以内容赋能会员。", "用好内容回馈会员。"),
];

const FUNENG_VOICE: Voice = Voice {
    dos: &[
        "把“赋能”换成大白话",
        "{删掉|去掉}“赋能”{这个词|两个字|}",
        "换个说法，{别用赋能|不要赋能}",
    ],
    donts: &[
        "别再用“赋能”了",
        "不要写“赋能”{，太空了|，听着像PPT|}",
        "{以后|}别{用|写}赋能",
    ],
    complaints: &[
        "又是赋能……",
        "“赋能”听起来像PPT",
        "赋能这种词{用户看不懂|太官方了}",
        "怎么又有“赋能”",
    ],
    rules: &["我们的文案{一律|从来}不用“赋能”", "赋能是禁用词"],
};
const EXCLAIM_VOICE: Voice = Voice {
    dos: &[
        "{把|}感叹号{都|全部|}{去掉|删掉|换成句号}",
        "句号就行{，不要感叹号|}",
        "{语气|}平实一点，{用句号|去掉感叹号}",
    ],
    donts: &[
        "不要用感叹号",
        "别老用感叹号{，显得很浮夸|，像在喊|}",
        "一个感叹号都别用",
        "{以后|}别再加感叹号了",
    ],
    complaints: &[
        "感叹号太多了",
        "又用感叹号了",
        "{这么多|满屏}感叹号{，太吵了|}",
    ],
    rules: &["我们{从来|}不用感叹号", "{团队|我们}的规矩是不用感叹号"],
};

const FRAMES: Frames = Frames {
    dos: &[
        "^",
        "请^",
        "麻烦^",
        "记得^",
        "下次^",
        "以后都^",
        "^，谢谢",
        "^哈",
        "^吧",
    ],
    donts: &["^", "^！", "^。", "说过了，^", "^哦"],
    joins: &["，", "。", "；", " ", "——"],
};

const TOPICS: [&str; 7] = [
    "秋季新品",
    "周末活动",
    "会员日",
    "新店开业",
    "冬日限定",
    "用户故事",
    "年终回馈",
];

const BODY: [&str; 12] = [
    "$t来了，$s为你准备了不少惊喜。",
    "这个周末，欢迎大家来店里坐坐。",
    "名额有限，先到先得。",
    "感谢每一位一直支持$s的朋友。",
    "更多详情，请关注我们的后续推送。",
    "现在就来体验吧。",
    "我们准备了几款新品，等你来尝鲜。",
    "期待与你见面。",
    "活动期间，会员可以享受双倍积分。",
    "店里新添了几张座位，来的人多也不用排队。",
    "天气转凉，记得多穿一件。",
    "这次我们非常用心，希望你会喜欢。",
];

const NOISE: [(&str, &str); 8] = [
    ("非常", "十分"),
    ("大家", "各位"),
    ("惊喜", "小惊喜"),
    ("坐坐", "逛逛"),
    ("期待", "盼着"),
    ("尝鲜", "试试"),
    ("后续推送", "下一条推送"),
    ("多穿一件", "添件衣服"),
];

const ONE_OFF_ASKS: [&str; 4] = [
    "仅限这一篇：结尾加上“双十一快乐”",
    "这次特别，结尾加一句双十一快乐{，以后不用|}",
    "只有今天这条要加“双十一快乐”",
    "就这一次，加上双十一的祝福",
];
const ONE_OFF_ADD: &str = "祝大家双十一快乐。";

const REVIEWERS: [&str; 5] = ["小林", "阿杰", "王蕾", "陈晨", "周周"];
const EMOJI: [&str; 4] = ["✨", "📚", "🎉", "☕"];

#[derive(Clone, Default)]
struct Plan {
    funeng: bool,
    exclaim: bool,
    own: bool,
    one_off: bool,
    noise: bool,
}

pub fn generate(seed: u64) -> Workload {
    let mut rng = Rng::new(seed ^ 0x2D4E);
    let cal = Calendar::new((2026, 11, 13), 10, true);
    let now = cal.now;
    let mut slots = Vec::new();
    for si in 0..SHOPS.len() {
        for t in cal.times(&mut rng, 28) {
            slots.push((si, t));
        }
    }
    let times: Vec<_> = slots.iter().map(|s| s.1).collect();
    let all: Vec<usize> = (0..slots.len()).collect();
    let of =
        |si: usize| -> Vec<usize> { all.iter().copied().filter(|&i| slots[i].0 == si).collect() };
    let mut plans = vec![Plan::default(); slots.len()];
    for i in spread(&mut rng, &times, &all, 0.15, 3, now) {
        plans[i].funeng = true;
    }
    for i in spread(&mut rng, &times, &all, 0.25, 3, now) {
        plans[i].exclaim = true;
    }
    for (si, s) in SHOPS.iter().enumerate() {
        if s.own.is_some() {
            for i in spread(&mut rng, &times, &of(si), 0.3, 4, now) {
                plans[i].own = true;
            }
        }
    }
    let home = SHOPS.iter().position(|s| s.name == "山茶花茶饮").unwrap();
    for i in spread(&mut rng, &times, &of(home), 0.0, 3, now) {
        plans[i].one_off = true;
    }
    for p in plans.iter_mut() {
        p.noise = rng.chance(0.15);
    }

    let mut ledger = Ledger::default();
    let mut cap = Cap::default();
    let mut records = Vec::new();
    let mut counters = [0usize; 12];
    for (i, (si, at)) in slots.iter().enumerate() {
        let k = counters[*si];
        counters[*si] += 1;
        let id = format!("zh-{:02}-{:03}", si, k);
        let p = &plans[i];
        if p.funeng {
            ledger.note("赋能", &id, *at);
        }
        if p.exclaim {
            ledger.note("！", &id, *at);
        }
        if p.own {
            ledger.note(SHOPS[*si].name, &id, *at);
        }
        records.push(session(&mut rng, &SHOPS[*si], p, id, *at, &mut cap));
    }
    ledger.check("赋能", now);
    ledger.check("！", now);
    for s in SHOPS.iter().filter(|s| s.own.is_some()) {
        ledger.check(s.name, now);
    }
    sort_records(&mut records);

    let mut truths = vec![
        truth("ban-funeng", None, &["赋能"]),
        truth(
            "no-exclamation",
            None,
            &["感叹号", "叹号", "！", "!", "exclamation"],
        ),
    ];
    for s in &SHOPS {
        if let Some(o) = &s.own {
            truths.push(truth(o.kind, Some(s.name), o.keys));
        }
    }
    let mut traps = vec![
        trap("one-shop-only", &["闭环"], Some("白鹭旅行")),
        trap("one-shop-only", &["您"], Some("南山瑜伽")),
        trap(
            "one-shop-only",
            &["表情", "表情符号", "emoji"],
            Some("墨言文具"),
        ),
        trap(
            "one-shop-only",
            &["问句", "疑问句", "问号", "陈述句"],
            Some("北辰健身"),
        ),
        trap("one-off", &["双十一"], None),
    ];
    for (a, _) in NOISE {
        traps.push(trap("noise", &[a], None));
    }
    Workload {
        domain: "chinese",
        tag: TAG,
        records,
        memory: vec![],
        truths,
        traps,
        now,
    }
}

/// Chat manners of this team: a lead-in, a soft ending, now and then a 的/得 slip.
fn zh_manner(rng: &mut Rng, s: &str) -> String {
    let mut s = s.to_string();
    if rng.chance(0.3) {
        s = format!(
            "{}{s}",
            rng.pick(&[
                "嗯，",
                "另外，",
                "还有，",
                "小问题：",
                "整体可以，",
                "改一下："
            ])
        );
    }
    if rng.chance(0.25) {
        s.push_str(rng.pick::<&str>(&["～", "哈", " 🙏", "，辛苦", "。"]));
    }
    if rng.chance(0.1) {
        s = s.replacen('的', "得", 1);
    }
    s
}

#[derive(Clone)]
struct Post {
    title: String,
    body: Vec<String>,
    tail: Vec<String>,
}

impl Post {
    fn render(&self) -> String {
        let mut out = format!("{}\n\n{}", self.title, self.body.concat());
        if !self.tail.is_empty() {
            out.push_str("\n\n");
            out.push_str(&self.tail.join("\n"));
        }
        out
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
    let s = shop.name;
    let t = *rng.pick(&TOPICS);
    let asks = [
        "帮我写一条$s的公众号推文，主题是$t。",
        "给$s写个小红书文案，$t",
        "$s这周要发微博，写一下$t",
        "写一段$s的朋友圈文案：$t",
        "$s的$t，出个文案，150字以内",
        "麻烦写下$s$t的推送",
    ];
    let ask = asks[rng.below(asks.len())]
        .replace("$s", s)
        .replace("$t", t);
    let mut messages = vec![msg(Role::User, ask)];
    let fill_st = |x: &str| x.replace("$s", s).replace("$t", t);
    let own = shop.own.as_ref();
    let kind = own.map(|o| o.how);

    // Good post (what the team wants) and the draft (with this session's slips).
    let question_titles = [
        "想在这个季节换个状态吗？",
        "这个周末去哪儿？",
        "$t你准备好了吗？",
    ];
    let statement_titles = ["$t｜$s", "$s$t上线", "$t，来$s看看", "$s：$t"];
    let good_title = fill_st(rng.pick::<&str>(&statement_titles));
    let q_title = fill_st(rng.pick::<&str>(&question_titles));
    let mut good = Post {
        title: good_title.clone(),
        body: Vec::new(),
        tail: Vec::new(),
    };
    let mut draft_title = good_title.clone();
    if kind == Some(Kind::StatementTitle) {
        if p.own {
            draft_title = q_title;
        }
    } else if rng.chance(0.2) {
        // Elsewhere a question title is fine.
        good.title = q_title.clone();
        draft_title = q_title;
    }
    let n = 3 + rng.below(2);
    let mut picks: Vec<usize> = Vec::new();
    while picks.len() < n {
        let k = rng.below(BODY.len());
        if !picks.contains(&k) {
            picks.push(k);
        }
    }
    let mut body: Vec<String> = picks.iter().map(|&k| fill_st(BODY[k])).collect();
    let mut good_body = body.clone();
    // Words a shop drops, in the draft when it slips; other shops keep 闭环.
    if let Some(Kind::Drop(pairs)) = kind {
        if p.own {
            let (a, b) = *rng.pick(pairs);
            body.insert(1, a.to_string());
            good_body.insert(1, b.to_string());
        }
    } else if rng.chance(0.2) {
        let (a, _) = *rng.pick(BIHUAN);
        body.insert(1, a.to_string());
        good_body.insert(1, a.to_string());
    }
    if p.funeng {
        let (a, b) = *rng.pick(FUNENG);
        body.insert(0, fill_st(a));
        good_body.insert(0, fill_st(b));
    }
    if kind == Some(Kind::NoPrice) && p.own {
        let price = ["18", "26", "32", "45"][rng.below(4)];
        body.push(format!("新品售价{price}元，会员享九折。"));
    }
    // 您: 南山瑜伽 wants 你; elsewhere 您 is fine.
    let nin = ["欢迎您随时来逛逛。", "期待您的到来。"];
    let ni = ["欢迎你随时来逛逛。", "期待你的到来。"];
    let k = rng.below(2);
    if kind == Some(Kind::Ni) {
        if p.own {
            body.push(nin[k].into());
            good_body.push(ni[k].into());
        } else if rng.chance(0.5) {
            body.push(ni[k].into());
            good_body.push(ni[k].into());
        }
    } else if rng.chance(0.25) {
        body.push(nin[k].into());
        good_body.push(nin[k].into());
    }
    if p.exclaim {
        // The slip: a sentence or two shout.
        let m = 1 + rng.below(2);
        for x in body.iter_mut().take(m) {
            if x.ends_with('。') {
                x.pop();
                x.push('！');
            }
        }
        if rng.chance(0.4) && !draft_title.ends_with('？') {
            draft_title.push('！');
        }
    }
    // Emoji: 墨言 has none; elsewhere a sparkle is fine.
    if kind == Some(Kind::NoEmoji) {
        if p.own {
            let e = *rng.pick(&EMOJI);
            let last = body.len() - 1;
            body[last].push_str(e);
            draft_title.push_str(e);
        }
    } else if rng.chance(0.25) {
        // The first sentence is in both versions (rewritten, maybe, but there).
        let e = *rng.pick(&EMOJI);
        body[0].push_str(e);
        good_body[0].push_str(e);
    }
    let mut tail = Vec::new();
    if let Some(Kind::Add(line)) = kind {
        good.tail.push(line.to_string());
        if !p.own {
            tail.push(line.to_string());
        }
    }
    good.body = good_body;
    if p.one_off {
        good.body.push(ONE_OFF_ADD.into());
    }
    let draft = Post {
        title: draft_title,
        body,
        tail,
    };
    let draft_text = draft.render();
    let mut final_text = good.render();
    if p.noise {
        let (a, b) = *rng.pick(&NOISE);
        if final_text.contains(a) && cap.take(a, 2) {
            final_text = final_text.replacen(a, b, 1);
        }
    }

    // What the reviewer says.
    let mut says: Vec<String> = Vec::new();
    if p.funeng {
        says.push(compose(rng, &FUNENG_VOICE, &FRAMES, &[]));
    }
    if p.exclaim {
        says.push(compose(rng, &EXCLAIM_VOICE, &FRAMES, &[]));
    }
    if p.own {
        if let Some(o) = own {
            says.push(compose(rng, &o.voice, &FRAMES, &[]));
        }
    }
    if p.one_off {
        let t = *rng.pick(&ONE_OFF_ASKS);
        let at = rng.below(says.len() + 1);
        says.insert(at, expand(rng, t));
    }
    let mut feedback = Vec::new();
    messages.push(msg(Role::Assistant, draft_text.clone()));
    if says.is_empty() {
        let verdict = if final_text != draft_text {
            Verdict::Revised
        } else {
            Verdict::Accepted
        };
        feedback.push(Feedback {
            message: 1,
            verdict,
            final_text: (verdict == Verdict::Revised).then_some(final_text),
            comment: rng
                .chance(0.08)
                .then(|| rng.pick(&["可以", "不错", "好的，发了", "👍"]).to_string()),
        });
    } else {
        let sep = if rng.chance(0.5) { "。" } else { "\n" };
        let comment = zh_manner(rng, &join_said(&says, sep));
        let additive = matches!(kind, Some(Kind::Add(_))) && p.own && !p.funeng && !p.exclaim;
        match rng.below(100) {
            // Corrected in chat; the second draft is used as is.
            0..=24 if !p.one_off => {
                messages.push(msg(Role::User, comment));
                messages.push(msg(Role::Assistant, final_text));
                feedback.push(Feedback {
                    message: 3,
                    verdict: Verdict::Accepted,
                    final_text: None,
                    comment: None,
                });
            }
            25..=39 if !p.one_off => {
                feedback.push(Feedback {
                    message: 1,
                    verdict: Verdict::Rejected,
                    final_text: None,
                    comment: Some(comment),
                });
            }
            40..=49 if additive => {
                feedback.push(Feedback {
                    message: 1,
                    verdict: Verdict::Accepted,
                    final_text: None,
                    comment: Some(comment),
                });
            }
            x => {
                feedback.push(Feedback {
                    message: 1,
                    verdict: Verdict::Revised,
                    final_text: Some(final_text),
                    comment: (x % 3 != 0 || p.one_off).then_some(comment),
                });
            }
        }
    }
    let user = *rng.pick(&REVIEWERS);
    record(
        id,
        AGENT,
        at,
        4 + rng.below(15) as i64,
        user,
        TAG,
        s,
        messages,
        feedback,
    )
}
