//! Mechanics shared by the real-work workloads (`coding`, `helpdesk`, `chinese`, `style`,
//! `own_words`): expanding phrase alternatives, typos, calendars, spreading a preference's
//! evidence over sessions and days, records and memory entries. Only mechanics live here:
//! every domain writes its own vocabulary and plants its own preferences with its own logic,
//! and none of it was written while looking at the dreamer's miner.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use reverie::import::record::SessionRecord;
use reverie::model::{Feedback, MemoryEntry, MemorySource, Message, Role, Scope, ToolCall};

use super::gen::{Rng, Trap, Truth};

/// Expands `{a|b|c}` alternatives (not nested; `{|x}` makes `x` optional) and tidies the
/// spaces an empty alternative leaves. Never pass code through this: code has braces.
pub fn expand(rng: &mut Rng, t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = i + rest[i..]
            .find('}')
            .expect("closing brace in a phrase template");
        let alts: Vec<&str> = rest[i + 1..j].split('|').collect();
        out.push_str(rng.pick::<&str>(&alts));
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
    tidy(&out)
}

/// Collapses double spaces and spaces before punctuation.
pub fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == ' ' && (out.ends_with(' ') || out.ends_with('\n') || out.is_empty()) {
            continue;
        }
        if matches!(c, ',' | '.' | '?' | ';' | ':' | '!') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// `$name` slots filled from `vars` (longest names first, so `$pkg2` is not read as `$pkg`).
pub fn fill(t: &str, vars: &[(&str, &str)]) -> String {
    let mut vs: Vec<&(&str, &str)> = vars.iter().collect();
    vs.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let mut s = t.to_string();
    for (k, v) in vs {
        s = s.replace(&format!("${k}"), v);
    }
    s
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn decapitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep "I", acronyms and code as they are.
        Some(f) if f.is_uppercase() && !c.clone().next().is_some_and(char::is_uppercase) => {
            if s.starts_with("I ") || s.starts_with("I'") {
                s.to_string()
            } else {
                f.to_lowercase().collect::<String>() + c.as_str()
            }
        }
        _ => s.to_string(),
    }
}

/// One typo (swapped, dropped or doubled letter) in a random plain word of five or more
/// letters that contains none of `protect` (the words a preference is recognised by).
pub fn typo(rng: &mut Rng, s: &str, protect: &[&str]) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let ok: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| {
            w.len() >= 5
                && w.chars().all(|c| c.is_ascii_alphabetic())
                && !protect.iter().any(|p| {
                    let wl = w.to_lowercase();
                    let pl = p.to_lowercase();
                    wl.contains(&pl) || pl.contains(&wl)
                })
        })
        .map(|(i, _)| i)
        .collect();
    if ok.is_empty() {
        return s.to_string();
    }
    let i = *rng.pick(&ok);
    let mut cs: Vec<char> = words[i].chars().collect();
    let p = 1 + rng.below(cs.len() - 2);
    match rng.below(3) {
        0 => cs.swap(p, p + 1),
        1 => {
            cs.remove(p);
        }
        _ => {
            let c = cs[p];
            cs.insert(p, c);
        }
    }
    let w: String = cs.into_iter().collect();
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = w;
    out.join(" ")
}

/// The days a workload spans: `days` calendar days before `now`, weekends only if the team
/// works them (and then with fewer sessions).
pub struct Calendar {
    pub now: DateTime<Utc>,
    pub days: Vec<NaiveDate>,
    /// Relative weight of each day (weekends are quieter).
    weight: Vec<u32>,
}

impl Calendar {
    /// `now` is midnight UTC at the end of the last day.
    pub fn new(end: (i32, u32, u32), days: i64, weekends: bool) -> Calendar {
        let now = Utc.with_ymd_and_hms(end.0, end.1, end.2, 0, 0, 0).unwrap();
        let mut ds = Vec::new();
        let mut weight = Vec::new();
        for k in (1..=days).rev() {
            let d = (now - Duration::days(k)).date_naive();
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            if weekend && !weekends {
                continue;
            }
            ds.push(d);
            weight.push(if weekend { 1 } else { 3 });
        }
        Calendar {
            now,
            days: ds,
            weight,
        }
    }

    /// `n` session start times spread over the calendar (every day gets its share, working
    /// hours, a little jitter), sorted.
    pub fn times(&self, rng: &mut Rng, n: usize) -> Vec<DateTime<Utc>> {
        let total: u32 = self.weight.iter().sum();
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            // Walk the cumulative weights at evenly spaced points, then jitter by a day now and then.
            let point = ((k as u64 * total as u64 + rng.below(total as usize) as u64) / n as u64)
                as u32
                % total;
            let mut acc = 0;
            let mut di = 0;
            for (i, w) in self.weight.iter().enumerate() {
                acc += w;
                if point < acc {
                    di = i;
                    break;
                }
            }
            if rng.chance(0.15) {
                di = (di + 1).min(self.days.len() - 1);
            }
            let day = self.days[di];
            let minutes = 8 * 60 + rng.below(10 * 60) as i64;
            let t = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
                + Duration::minutes(minutes);
            out.push(t);
        }
        out.sort();
        out
    }
}

/// Picks sessions among `cands` (indexes into `times`) with probability `p`, then tops the
/// pick up until it has at least `min` sessions on at least 3 distinct days within the 7 days
/// before `now`: every planted preference gets the support a careful miner asks for, even if
/// the miner only reads a week.
pub fn spread(
    rng: &mut Rng,
    times: &[DateTime<Utc>],
    cands: &[usize],
    p: f64,
    min: usize,
    now: DateTime<Utc>,
) -> Vec<usize> {
    let recent = |i: usize| times[i] >= now - Duration::days(7);
    let mut chosen: BTreeSet<usize> = cands.iter().copied().filter(|_| rng.chance(p)).collect();
    loop {
        let days: BTreeSet<NaiveDate> = chosen
            .iter()
            .filter(|&&i| recent(i))
            .map(|&i| times[i].date_naive())
            .collect();
        let n_recent = chosen.iter().filter(|&&i| recent(i)).count();
        if n_recent >= min && days.len() >= 3 {
            break;
        }
        let fresh: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|i| {
                !chosen.contains(i) && recent(*i) && !days.contains(&times[*i].date_naive())
            })
            .collect();
        let any: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|i| !chosen.contains(i) && recent(*i))
            .collect();
        let pool = if days.len() < 3 && !fresh.is_empty() {
            fresh
        } else {
            any
        };
        assert!(
            !pool.is_empty(),
            "not enough sessions to support a planted preference"
        );
        chosen.insert(*rng.pick(&pool));
    }
    chosen.into_iter().collect()
}

/// Sessions (ids and days) that show each planted preference, checked at the end: a truth
/// with less than 3 sessions on 3 days in the last week is a bug in the generator.
#[derive(Default)]
pub struct Ledger {
    seen: BTreeMap<String, BTreeSet<(String, NaiveDate)>>,
}

impl Ledger {
    pub fn note(&mut self, key: &str, id: &str, at: DateTime<Utc>) {
        self.seen
            .entry(key.to_string())
            .or_default()
            .insert((id.to_string(), at.date_naive()));
    }

    /// Panics unless `key` has ≥ 3 sessions on ≥ 3 days within the week before `now`.
    pub fn check(&self, key: &str, now: DateTime<Utc>) {
        let week = (now - Duration::days(7)).date_naive();
        let s = self.seen.get(key).cloned().unwrap_or_default();
        let recent: Vec<_> = s.iter().filter(|(_, d)| *d >= week).collect();
        let days: BTreeSet<_> = recent.iter().map(|(_, d)| *d).collect();
        assert!(
            recent.len() >= 3 && days.len() >= 3,
            "planted preference `{key}` has {} sessions on {} days in the last week",
            recent.len(),
            days.len()
        );
    }
}

/// Limits how often a noise edit may repeat, so noise never adds up to a preference.
#[derive(Default)]
pub struct Cap(HashMap<String, usize>);

impl Cap {
    pub fn take(&mut self, key: &str, max: usize) -> bool {
        let n = self.0.entry(key.to_string()).or_default();
        if *n >= max {
            false
        } else {
            *n += 1;
            true
        }
    }
}

pub fn msg(role: Role, content: impl Into<String>) -> Message {
    Message {
        role,
        content: content.into(),
        tool_calls: vec![],
        stopped: false,
    }
}

pub fn tool(name: &str, input: serde_json::Value) -> Message {
    Message {
        role: Role::Assistant,
        content: String::new(),
        tool_calls: vec![ToolCall {
            name: name.into(),
            input,
        }],
        stopped: false,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn record(
    id: String,
    agent: &str,
    at: DateTime<Utc>,
    minutes: i64,
    user: &str,
    tag: &str,
    scope: &str,
    messages: Vec<Message>,
    feedback: Vec<Feedback>,
) -> SessionRecord {
    SessionRecord {
        id,
        agent: agent.into(),
        started_at: at,
        ended_at: Some(at + Duration::minutes(minutes)),
        user: Some(user.into()),
        tags: Scope::from([(tag.to_string(), scope.to_string())]),
        messages,
        feedback,
        outcomes: BTreeMap::new(),
        extra: Default::default(),
    }
}

/// A memory entry a person typed; `scope` is a tag value of `tag`, or team-wide.
pub fn entry(
    id: i64,
    content: &str,
    tag: &str,
    scope: Option<&str>,
    at: DateTime<Utc>,
) -> MemoryEntry {
    let scope: Scope = scope
        .map(|v| Scope::from([(tag.to_string(), v.to_string())]))
        .unwrap_or_default();
    MemoryEntry {
        id,
        content: content.into(),
        scope_label: reverie::model::scope_label(&scope),
        scope,
        source: MemorySource::Person,
        dream_id: None,
        session_ids: vec![],
        support: 0,
        created_at: at,
        updated_at: at,
    }
}

pub fn truth(kind: &str, scope: Option<&str>, keys: &[&str]) -> Truth {
    Truth {
        kind: kind.into(),
        scope: scope.map(str::to_string),
        keys: keys.iter().map(|k| k.to_lowercase()).collect(),
        op: "add",
        targets: vec![],
    }
}

/// A trap anywhere (`except`: anywhere but that scope).
pub fn trap(kind: &str, keys: &[&str], except: Option<&str>) -> Trap {
    Trap {
        kind: kind.into(),
        keys: keys.iter().map(|k| k.to_lowercase()).collect(),
        except_scope: except.map(str::to_string),
        ..Default::default()
    }
}

/// A trap only in one scope (`None`: only team-wide proposals).
pub fn trap_in(kind: &str, keys: &[&str], scope: Option<&str>) -> Trap {
    Trap {
        kind: kind.into(),
        keys: keys.iter().map(|k| k.to_lowercase()).collect(),
        only_scope: Some(scope.map(str::to_string)),
        ..Default::default()
    }
}

/// A trap for any refine or remove of these memory entries.
pub fn trap_entries(kind: &str, targets: &[i64]) -> Trap {
    Trap {
        kind: kind.into(),
        targets: targets.to_vec(),
        ..Default::default()
    }
}

pub fn sort_records(records: &mut [SessionRecord]) {
    records.sort_by(|a, b| {
        a.started_at
            .cmp(&b.started_at)
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The ways one preference can be voiced: verb phrases to ask for ("run the formatter before
/// handing it back"), whole "don't" sentences, complaints ("you forgot to run fmt again") and
/// statements of the rule ("we always format"). Each may hold `{a|b}` alternatives and `$var`
/// slots.
pub struct Voice {
    pub dos: &'static [&'static str],
    pub donts: &'static [&'static str],
    pub complaints: &'static [&'static str],
    pub rules: &'static [&'static str],
}

/// A language's sentence frames around a voiced core (`^` is the core) and the joins between
/// a complaint and a request.
pub struct Frames {
    pub dos: &'static [&'static str],
    pub donts: &'static [&'static str],
    pub joins: &'static [&'static str],
}

/// One way of saying what `v` wants: a frame around a request, a complaint, a complaint and a
/// request, or the rule itself, with slots filled and alternatives expanded.
pub fn compose(rng: &mut Rng, v: &Voice, f: &Frames, vars: &[(&str, &str)]) -> String {
    fn ask(rng: &mut Rng, v: &Voice, f: &Frames) -> Option<String> {
        let n = v.dos.len() + v.donts.len();
        if n == 0 {
            return None;
        }
        let i = rng.below(n);
        Some(if i < v.dos.len() {
            rng.pick(f.dos).replace('^', v.dos[i])
        } else {
            rng.pick(f.donts).replace('^', v.donts[i - v.dos.len()])
        })
    }
    let pick = |rng: &mut Rng, xs: &'static [&'static str]| -> Option<String> {
        (!xs.is_empty()).then(|| rng.pick(xs).to_string())
    };
    let parts: Vec<Option<String>> = match rng.below(10) {
        0..=3 => vec![ask(rng, v, f)],
        4 | 5 => vec![pick(rng, v.complaints)],
        6 | 7 => vec![pick(rng, v.complaints), ask(rng, v, f)],
        8 => vec![pick(rng, v.rules)],
        _ => vec![ask(rng, v, f), pick(rng, v.rules)],
    };
    let mut parts: Vec<String> = parts.into_iter().flatten().collect();
    if parts.is_empty() {
        parts = ask(rng, v, f)
            .or_else(|| pick(rng, v.complaints))
            .or_else(|| pick(rng, v.rules))
            .into_iter()
            .collect();
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let p = expand(rng, &fill(p, vars));
        if i == 0 {
            out.push_str(&capitalize(&p));
        } else {
            let mut j = *rng.pick(f.joins);
            // "...?" is not followed by ", " or ". ".
            if out.ends_with(['?', '!', '.', '？', '！', '。'])
                && j.trim_start().starts_with([',', '.', '，', '。'])
            {
                j = if j.is_ascii() { " " } else { "" };
            }
            // Latin joins end a sentence with ". "; the next one starts with a capital.
            let cap = j.trim_end().ends_with(['.', '?', '!', ':']);
            out.push_str(j);
            out.push_str(&if cap { capitalize(&p) } else { p });
        }
    }
    out
}

/// Sentences said one after another: `sep` between them, except that a sentence already
/// ending in ".", "?", "!" (or 。？！) is followed by a space (or nothing, in Chinese).
pub fn join_said(parts: &[String], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if sep != "\n" && out.ends_with(['.', '?', '!']) {
                out.push(' ');
            } else if sep != "\n" && out.ends_with(['。', '？', '！']) {
            } else {
                out.push_str(sep);
            }
        }
        out.push_str(p);
    }
    out
}

/// How people type in chat: sometimes lowercase, sometimes a typo, an opener or a closer,
/// a full stop or none.
pub struct Manner {
    pub openers: &'static [&'static str],
    pub closers: &'static [&'static str],
    pub lowercase: f64,
    pub typos: f64,
}

pub fn in_manner(rng: &mut Rng, s: &str, m: &Manner, protect: &[&str]) -> String {
    let mut s = s.to_string();
    if rng.chance(m.typos) {
        s = typo(rng, &s, protect);
    }
    let opener = if rng.chance(0.35) {
        *rng.pick(m.openers)
    } else {
        ""
    };
    if !opener.is_empty() {
        s = format!("{opener}{}", decapitalize(&s));
    }
    if rng.chance(m.lowercase) {
        s = decapitalize(&s);
    } else {
        s = capitalize(&s);
    }
    let ends = s.ends_with(['.', '?', '!', ')', '`']);
    if !ends && rng.chance(0.5) {
        s.push('.');
    }
    if rng.chance(0.3) {
        let c = rng.pick::<&str>(m.closers);
        // No "(again)" after "again".
        let word = c.trim().trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() || !s.to_lowercase().contains(&word.to_lowercase()) {
            s.push_str(c);
        }
    }
    s
}
