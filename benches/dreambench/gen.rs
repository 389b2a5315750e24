//! DreamBench workload generator: seeded, deterministic sessions in the interchange format
//! (`SessionRecord`) with planted preferences and traps, and the ground truth to score
//! against. Includable from an integration test with `#[path = "../benches/dreambench/gen.rs"]`
//! (together with `domains.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use reverie::import::record::SessionRecord;
use reverie::model::{
    Feedback, MemoryEntry, MemorySource, Message, Role, Scope, ToolCall, Verdict,
};

use super::domains::Domain;

/// splitmix64: small, seeded, reproducible everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Pref {
    Ban(String, String),
    NoExclaim,
    Statement,
    Numbered,
    MaxWords(u32),
    Hashtag(String),
    SignOff(String),
    Link(String),
    NoEmoji,
    Avoid(String, String),
    Answer(usize, String),
    Workflow(Vec<String>),
}

/// Something the dreamer should propose (op `add`), handle (`refine` of a stale entry) or merge.
#[derive(Debug, Clone)]
pub struct Truth {
    pub kind: String,
    /// Tag value, or `None` for team-wide.
    pub scope: Option<String>,
    /// Any of these (lowercase) in the proposal's text counts; for a length, the number.
    pub keys: Vec<String>,
    pub op: &'static str,
    pub targets: Vec<i64>,
}

/// Something the dreamer must not propose; `except_scope: Some(x)` means "anywhere but x",
/// `only_scope: Some(x)` means "only in x" (`Some(None)`: only team-wide). With `targets`, the
/// trap is any refine or remove of those memory entries (entries the sessions agree with),
/// whatever its words.
#[derive(Debug, Clone, Default)]
pub struct Trap {
    pub kind: String,
    pub keys: Vec<String>,
    pub except_scope: Option<String>,
    pub only_scope: Option<Option<String>>,
    pub targets: Vec<i64>,
}

pub struct Workload {
    pub domain: &'static str,
    pub tag: &'static str,
    pub records: Vec<SessionRecord>,
    pub memory: Vec<MemoryEntry>,
    pub truths: Vec<Truth>,
    pub traps: Vec<Trap>,
    pub now: DateTime<Utc>,
}

fn key_of(p: &Pref) -> (String, Vec<String>) {
    match p {
        Pref::Ban(w, _) => ("ban".into(), vec![w.clone()]),
        Pref::NoExclaim => ("no-exclamation".into(), vec!["exclamation".into()]),
        Pref::Statement => (
            "statement-headline".into(),
            vec!["question".into(), "statement".into()],
        ),
        Pref::Numbered => ("numbered-list".into(), vec!["numbered".into()]),
        Pref::MaxWords(n) => ("length".into(), vec![n.to_string()]),
        Pref::Hashtag(h) => ("hashtag".into(), vec![h.to_lowercase()]),
        Pref::SignOff(s) => ("sign-off".into(), vec![s.to_lowercase()]),
        Pref::Link(u) => ("link".into(), vec![u.to_lowercase()]),
        Pref::NoEmoji => ("no-emoji".into(), vec!["emoji".into()]),
        Pref::Avoid(t, _) => ("correction".into(), vec![t.clone()]),
        Pref::Answer(_, a) => ("answer".into(), vec![a.to_lowercase()]),
        Pref::Workflow(seq) => ("workflow".into(), vec![seq.join(" → ").to_lowercase()]),
    }
}

fn words(s: &str) -> u32 {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count() as u32
}

fn fill(t: &str, scope: &str) -> String {
    t.replace("{s}", scope)
}

fn slug(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Preferences of one scope: a ban on its own word plus two from a rotation.
fn scope_prefs(d: &Domain, i: usize, scope: &str, special: bool) -> Vec<Pref> {
    let w = d.words[2 + i % (d.words.len() - 2)];
    let mut out = vec![Pref::Ban(w.0.into(), w.1.into())];
    let rotation = |k: usize| -> Pref {
        match k % 7 {
            0 => Pref::Numbered,
            1 => Pref::MaxWords([40, 50, 60][i % 3]),
            2 => Pref::Hashtag(format!("#{}", slug(scope))),
            3 => Pref::SignOff(fill(d.signoffs[i % d.signoffs.len()], scope)),
            4 => Pref::Link(format!(
                "https://{}.example/{}",
                slug(scope).to_lowercase(),
                d.link_label.split(' ').next().unwrap_or("x").to_lowercase()
            )),
            5 => {
                let t = d.topics[i % d.topics.len()];
                Pref::Avoid(t.0.into(), t.1.into())
            }
            _ => {
                let q = i % d.questions.len();
                Pref::Answer(q, d.questions[q].1[i % d.questions[q].1.len()].into())
            }
        }
    };
    out.push(rotation(i));
    out.push(rotation(i + 3));
    if special {
        if let Some(t) = &d.tools {
            out.push(Pref::Workflow(
                t.special.iter().map(|s| s.to_string()).collect(),
            ));
        }
    }
    out
}

fn team_prefs(d: &Domain) -> Vec<Pref> {
    let (w, r) = d.words[0];
    let mut out = vec![Pref::Ban(w.into(), r.into())];
    out.push(match d.name {
        "social" => Pref::NoExclaim,
        "support" => Pref::Statement,
        _ => Pref::NoEmoji,
    });
    if let Some(t) = &d.tools {
        out.push(Pref::Workflow(
            t.team.iter().map(|s| s.to_string()).collect(),
        ));
    }
    out
}

fn msg(role: Role, content: String) -> Message {
    Message {
        role,
        content,
        tool_calls: vec![],
        stopped: false,
    }
}

/// `scopes`: how many scopes (more than the domain names get numbered copies);
/// `per_week`: sessions per scope in the 7-day window.
pub fn generate(d: &'static Domain, seed: u64, scopes: usize, per_week: usize) -> Workload {
    let mut rng = Rng::new(seed);
    let start = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
    let now = start + Duration::days(7);
    let names: Vec<String> = (0..scopes)
        .map(|i| match i / d.scopes.len() {
            0 => d.scopes[i].to_string(),
            n => format!("{} {}", d.scopes[i % d.scopes.len()], n + 1),
        })
        .collect();
    let special = 3 % scopes;
    let team = team_prefs(d);
    let mut truths = Vec::new();
    let mut traps = Vec::new();
    for p in &team {
        let (kind, keys) = key_of(p);
        truths.push(Truth {
            kind,
            scope: None,
            keys,
            op: "add",
            targets: vec![],
        });
    }
    let prefs: Vec<Vec<Pref>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| scope_prefs(d, i, n, i == special))
        .collect();
    // Scope 1's ban is already in memory: proposing it again is a mistake.
    for (i, ps) in prefs.iter().enumerate() {
        for p in ps {
            let (kind, keys) = key_of(p);
            if i == 1 && matches!(p, Pref::Ban(..)) {
                traps.push(Trap {
                    kind: "already-in-memory".into(),
                    keys,
                    ..Default::default()
                });
                continue;
            }
            truths.push(Truth {
                kind,
                scope: Some(names[i].clone()),
                keys,
                op: "add",
                targets: vec![],
            });
        }
    }
    // Scope 0's banned word shows up everywhere; elsewhere reviewers keep it.
    let trap_word = d.words[2].0.to_string();
    traps.push(Trap {
        kind: "one-client-only".into(),
        keys: vec![trap_word.clone()],
        except_scope: Some(names[0].clone()),
        ..Default::default()
    });
    traps.push(Trap {
        kind: "one-off".into(),
        keys: vec![d.one_off.1.to_lowercase()],
        ..Default::default()
    });
    for (w, _) in d.noise {
        traps.push(Trap {
            kind: "noise".into(),
            keys: vec![w.to_string()],
            ..Default::default()
        });
    }

    let mut records = Vec::new();
    let one_off_at: Vec<usize> = (0..3).map(|k| (k * 5 + 2) % scopes).collect();
    for (si, scope) in names.iter().enumerate() {
        let mut ps = team.clone();
        if si == special {
            ps.retain(|p| !matches!(p, Pref::Workflow(_)));
        }
        ps.extend(prefs[si].iter().cloned());
        for k in 0..per_week {
            let at = start
                + Duration::minutes((k * 7 * 24 * 60 / per_week) as i64 + rng.below(90) as i64);
            let one_off = one_off_at.contains(&si) && k == per_week / 2;
            let id = format!("{}-{:03}-{:04}", d.name, si, k);
            records.push(session(
                d,
                &mut rng,
                id,
                scope,
                &ps,
                at,
                one_off,
                si == 0,
                &trap_word,
            ));
        }
    }
    records.sort_by(|a, b| {
        a.started_at
            .cmp(&b.started_at)
            .then_with(|| a.id.cmp(&b.id))
    });

    let entry = |id: i64, content: String, scope: Scope| MemoryEntry {
        id,
        content,
        scope_label: reverie::model::scope_label(&scope),
        scope,
        source: MemorySource::Person,
        dream_id: None,
        session_ids: vec![],
        support: 0,
        created_at: start - Duration::days(30),
        updated_at: start - Duration::days(30),
    };
    let s1 = Scope::from([(d.tag.to_string(), names[1 % scopes].clone())]);
    let known = match &prefs[1 % scopes][0] {
        Pref::Ban(w, _) => format!("{}: never use the word '{w}'.", names[1 % scopes]),
        _ => unreachable!(),
    };
    let memory = vec![
        entry(1, d.stale.into(), Scope::new()),
        entry(2, d.dupes.0.into(), Scope::new()),
        entry(3, d.dupes.1.into(), Scope::new()),
        entry(4, d.control.into(), Scope::new()),
        entry(5, known, s1),
    ];
    truths.push(Truth {
        kind: "stale".into(),
        scope: None,
        keys: vec![],
        op: "refine",
        targets: vec![1],
    });
    truths.push(Truth {
        kind: "duplicates".into(),
        scope: None,
        keys: vec![],
        op: "merge",
        targets: vec![2, 3],
    });
    Workload {
        domain: d.name,
        tag: d.tag,
        records,
        memory,
        truths,
        traps,
        now,
    }
}

#[allow(clippy::too_many_arguments)]
fn session(
    d: &Domain,
    rng: &mut Rng,
    id: String,
    scope: &str,
    ps: &[Pref],
    at: DateTime<Utc>,
    one_off: bool,
    is_trap_home: bool,
    trap_word: &str,
) -> SessionRecord {
    let mut messages = vec![msg(Role::User, fill(rng.pick::<&str>(d.ask), scope))];
    let mut feedback = Vec::new();
    for p in ps {
        if let Pref::Answer(q, a) = p {
            if rng.chance(0.45) {
                messages.push(msg(Role::Assistant, d.questions[*q].0.into()));
                messages.push(msg(Role::User, format!("{a}.")));
            }
        }
    }
    if !ps.iter().any(|p| matches!(p, Pref::Answer(..))) && rng.chance(0.15) {
        let (q, answers) = rng.pick(d.questions);
        messages.push(msg(Role::Assistant, q.to_string()));
        messages.push(msg(Role::User, format!("{}.", rng.pick(answers))));
    }
    // Tools: follow the scope's workflow, or skip its middle step and fail.
    let mut failed = false;
    if let Some(seq) = ps.iter().find_map(|p| {
        if let Pref::Workflow(s) = p {
            Some(s)
        } else {
            None
        }
    }) {
        let skip = rng.chance(0.25);
        failed = skip;
        for (n, t) in seq.iter().enumerate() {
            if skip && n == seq.len() - 2 {
                continue;
            }
            messages.push(Message {
                role: Role::Assistant,
                content: String::new(),
                tool_calls: vec![ToolCall {
                    name: t.clone(),
                    input: serde_json::json!({"query": scope}),
                }],
                stopped: false,
            });
            messages.push(msg(Role::Tool, format!("{t}: ok")));
        }
    }
    // The draft, violating each preference with some probability.
    let mut draft = Draft::default();
    if rng.chance(0.7) {
        let (subj, pred) = rng.pick(d.heads);
        draft.head = Some((subj.to_string(), pred.to_string()));
    }
    let n_body = 2 + rng.below(3);
    for _ in 0..n_body {
        let s = fill(rng.pick::<&str>(d.body), scope);
        if !draft.body.contains(&s) {
            draft.body.push(s);
        }
    }
    if !is_trap_home && rng.chance(0.3) {
        draft
            .body
            .push(rng.pick(d.carriers).replace("{w}", trap_word));
    }
    if rng.chance(0.35) {
        draft.list = Some(rng.chance(0.5));
    }
    draft.question = rng.chance(0.25);
    let mut avoid: Option<(String, String)> = None;
    for p in ps {
        let violate = rng.chance(0.5);
        match p {
            Pref::Ban(w, _) if violate => {
                draft.body.insert(1, rng.pick(d.carriers).replace("{w}", w));
            }
            Pref::NoExclaim => draft.exclaim = violate,
            Pref::Statement => draft.question = violate && draft.head.is_some(),
            Pref::Numbered => {
                draft.list = draft.list.map(|_| !violate).or(violate.then_some(false))
            }
            Pref::MaxWords(n) => {
                draft.limit = Some(*n);
                draft.long = violate;
            }
            Pref::NoEmoji => draft.emoji = violate,
            Pref::Hashtag(h) => draft.tail.push((h.clone(), !violate)),
            Pref::SignOff(s) => draft.tail.push((s.clone(), !violate)),
            Pref::Link(u) => draft
                .tail
                .push((format!("{}: {u}", d.link_label), !violate)),
            Pref::Avoid(t, sentence) if violate => avoid = Some((t.clone(), sentence.to_string())),
            _ => {}
        }
    }
    if !ps.contains(&Pref::NoEmoji) && rng.chance(0.2) {
        draft.emoji = true;
    }
    if !ps.contains(&Pref::NoExclaim) && rng.chance(0.3) {
        draft.exclaim = true;
    }
    if draft.long {
        for s in d.body {
            let s = fill(s, scope);
            if !draft.body.contains(&s) {
                draft.body.push(s);
            }
        }
    }
    if let Some((topic, sentence)) = &avoid {
        let mut first = draft.clone();
        first.body.insert(0, sentence.clone());
        messages.push(msg(Role::Assistant, first.render(d, scope)));
        let say = [
            format!("Please don't mention {topic}."),
            format!("No {topic} please."),
            format!("Never bring up {topic} in these."),
            format!("Don't talk about {topic}."),
        ];
        messages.push(msg(Role::User, rng.pick(&say).clone()));
    }
    if one_off {
        messages.push(msg(Role::User, d.one_off.0.into()));
    }
    let text = draft.render(d, scope);
    messages.push(msg(Role::Assistant, text.clone()));
    let idx = (messages.len() - 1) as u32;
    // The reviewer fixes every violation, sometimes adds a random edit, and uses the result.
    let mut fixed = draft.clone();
    for p in ps {
        match p {
            Pref::Ban(w, r) => {
                fixed.body = fixed
                    .body
                    .iter()
                    .map(|s| s.replace(w.as_str(), r))
                    .collect()
            }
            Pref::NoExclaim => fixed.exclaim = false,
            Pref::Statement => fixed.question = false,
            Pref::Numbered => fixed.list = fixed.list.map(|_| true),
            Pref::NoEmoji => fixed.emoji = false,
            Pref::Hashtag(_) | Pref::SignOff(_) | Pref::Link(_) => {
                fixed.tail.iter_mut().for_each(|t| t.1 = true)
            }
            _ => {}
        }
    }
    if let Some(n) = fixed.limit {
        while words(&fixed.render(d, scope)) > n && fixed.body.len() > 1 {
            fixed.body.pop();
        }
    }
    let mut fin = fixed.render(d, scope);
    if one_off {
        fin = format!("{fin}\n{}", d.one_off.1);
    }
    if rng.chance(0.3) {
        let (a, b) = rng.pick(d.noise);
        fin = fin.replacen(a, b, 1);
    }
    let verdict = if failed {
        Verdict::Rejected
    } else if fin != text {
        Verdict::Revised
    } else {
        Verdict::Accepted
    };
    if failed {
        messages.push(msg(
            Role::User,
            "This is not right, it misses a step.".into(),
        ));
    }
    feedback.push(Feedback {
        message: idx,
        verdict,
        final_text: (verdict == Verdict::Revised).then_some(fin),
        comment: None,
    });
    let mut outcomes = BTreeMap::new();
    if rng.chance(0.3) {
        outcomes.insert(
            "task_completed_first_pass".to_string(),
            verdict == Verdict::Accepted,
        );
    }
    SessionRecord {
        id,
        agent: d.agent.into(),
        started_at: at,
        ended_at: Some(at + Duration::minutes(5)),
        user: Some(["mei", "sam", "ola"][rng.below(3)].into()),
        tags: Scope::from([(d.tag.to_string(), scope.to_string())]),
        messages,
        feedback,
        outcomes,
        extra: Default::default(),
    }
}

#[derive(Clone, Default)]
struct Draft {
    head: Option<(String, String)>,
    question: bool,
    body: Vec<String>,
    list: Option<bool>,
    exclaim: bool,
    emoji: bool,
    long: bool,
    limit: Option<u32>,
    /// Required trailing lines and whether they are present.
    tail: Vec<(String, bool)>,
}

impl Draft {
    fn render(&self, d: &Domain, scope: &str) -> String {
        let mut lines = Vec::new();
        if let Some((subj, pred)) = &self.head {
            let mut h = if self.question {
                format!("Is {subj} {pred}?")
            } else {
                let mut c = subj.chars();
                let first: String = c
                    .next()
                    .map(|f| f.to_uppercase().collect())
                    .unwrap_or_default();
                format!("{first}{} is {pred}.", c.as_str())
            };
            if self.emoji {
                h.push_str(" 🎉");
            }
            lines.push(h);
        }
        let mut body = self.body.join(" ");
        if self.exclaim {
            body = body.replacen('.', "!", 1);
        }
        lines.push(body);
        if let Some(numbered) = self.list {
            for (n, item) in d.list_items.iter().take(3).enumerate() {
                lines.push(if numbered {
                    format!("{}. {item}", n + 1)
                } else {
                    format!("- {item}")
                });
            }
        }
        for (t, present) in &self.tail {
            if *present {
                lines.push(t.clone());
            }
        }
        let _ = scope;
        lines.join("\n")
    }
}
