//! An agent's progress, from stored grades and feedback (never a dream's window): outcome
//! rates, drafts accepted as written and the time to an accepted answer, week by week; the
//! headline before and since dreaming first changed memory; and each memory entry's effect.
//! Everything can be limited to some tags (one client).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use rusqlite::Connection;

use super::{agents, get_ts, memory, sessions};
use crate::dreaming::offline::effect;
use crate::dreaming::offline::DreamSession;
use crate::dreaming::MIN_SESSIONS_PER_WEEK;
use crate::error::Result;
use crate::model::{
    scope_label, Count, DreamMarker, EffectVerdict, EntryEffect, Headline, MemoryEntry,
    OutcomeRate, ProgressReport, Role, Scope, Verdict, WeekProgress,
};

fn week_of(t: DateTime<Utc>) -> DateTime<Utc> {
    let monday = t.date_naive() - Duration::days(t.weekday().num_days_from_monday() as i64);
    monday.and_time(NaiveTime::MIN).and_utc()
}

/// Every tag of `filter` is on the session.
fn matches(tags: &Scope, filter: &Scope) -> bool {
    filter.iter().all(|(k, v)| tags.get(k) == Some(v))
}

/// A broken-rule or acceptance rate drop this large (in share of drafts) counts as an effect.
const CLEAR_DROP: f64 = 0.15;
/// Drafts since an entry, and days, before its effect is judged.
const ENOUGH_DRAFTS: u32 = 5;
const ENOUGH_DAYS: i64 = effect::JUDGE_AFTER_DAYS;

fn pct(c: Count) -> String {
    match c.rate() {
        Some(r) => format!("{:.0}%", r * 100.0),
        None => "no drafts".into(),
    }
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%b %-d").to_string()
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}

/// A session's follow-ups after the first answer (rounds of correction).
fn rounds(s: &DreamSession) -> Option<f64> {
    let first = s.messages.iter().position(|m| m.role == Role::Assistant)?;
    Some(
        s.messages[first + 1..]
            .iter()
            .filter(|m| m.role == Role::User)
            .count() as f64,
    )
}

pub fn report(conn: &Connection, agent: &str, filter: &Scope) -> Result<ProgressReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let outcomes: Vec<String> = agents::rubric(conn, agent)?
        .outcomes
        .into_iter()
        .map(|o| o.name)
        .collect();
    let far_past = DateTime::<Utc>::from_timestamp(0, 0).expect("epoch");
    let far_future = Utc::now() + Duration::days(365 * 100);
    let (all, rowids) = sessions::window(conn, agent_id, far_past, far_future)?;
    let clients: Vec<String> = all
        .iter()
        .filter_map(|s| s.tags.get("client").cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let list: Vec<&DreamSession> = all.iter().filter(|s| matches(&s.tags, filter)).collect();
    let wanted: BTreeSet<i64> = list
        .iter()
        .filter_map(|s| rowids.get(&s.id).copied())
        .collect();
    let ended: BTreeMap<String, DateTime<Utc>> = {
        let mut stmt = conn.prepare(
            "SELECT external_id, ended_at FROM sessions WHERE agent_id = ?1 AND ended_at IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([agent_id], |r| Ok((r.get::<_, String>(0)?, get_ts(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };

    let mut weeks: BTreeMap<DateTime<Utc>, WeekProgress> = BTreeMap::new();
    let blank = |w| WeekProgress {
        week_start: w,
        sessions: 0,
        outcomes: BTreeMap::new(),
        drafts: 0,
        accepted_as_drafted: 0,
        minutes_to_accept: None,
        correction_rounds: None,
    };
    let mut minutes: BTreeMap<DateTime<Utc>, Vec<f64>> = BTreeMap::new();
    let mut week_rounds: BTreeMap<DateTime<Utc>, Vec<f64>> = BTreeMap::new();
    // (when, accepted as drafted?) of every judged draft; (when, minutes) and (when, rounds).
    let mut judged: Vec<(DateTime<Utc>, bool)> = Vec::new();
    let mut timed: Vec<(DateTime<Utc>, f64)> = Vec::new();
    let mut rounded: Vec<(DateTime<Utc>, f64)> = Vec::new();
    for s in &list {
        let w = week_of(s.started_at);
        let wk = weeks.entry(w).or_insert_with(|| blank(w));
        wk.sessions += 1;
        for f in &s.feedback {
            wk.drafts += 1;
            let ok = f.verdict == Verdict::Accepted;
            wk.accepted_as_drafted += ok as u32;
            judged.push((s.started_at, ok));
        }
        let used = s
            .feedback
            .iter()
            .any(|f| matches!(f.verdict, Verdict::Accepted | Verdict::Revised));
        if used {
            if let Some(end) = ended.get(&s.id).filter(|e| **e > s.started_at) {
                let m = (*end - s.started_at).num_seconds() as f64 / 60.0;
                minutes.entry(w).or_default().push(m);
                timed.push((s.started_at, m));
            }
            if let Some(r) = rounds(s) {
                week_rounds.entry(w).or_default().push(r);
                rounded.push((s.started_at, r));
            }
        }
    }

    let mut stmt = conn.prepare(
        "SELECT g.session_id, s.started_at, g.outcome, g.value FROM grades g JOIN sessions s ON s.id = g.session_id
         WHERE s.agent_id = ?1 AND g.value != 'unknown'",
    )?;
    let mut rows = stmt.query([agent_id])?;
    while let Some(r) = rows.next()? {
        if !wanted.contains(&r.get::<_, i64>(0)?) {
            continue;
        }
        let w = week_of(get_ts(r, 1)?);
        let outcome: String = r.get(2)?;
        let value: String = r.get(3)?;
        let rate = weeks
            .entry(w)
            .or_insert_with(|| blank(w))
            .outcomes
            .entry(outcome)
            .or_insert(OutcomeRate {
                met: 0,
                not_met: 0,
                rate: None,
            });
        if value == "met" {
            rate.met += 1;
        } else {
            rate.not_met += 1;
        }
    }
    // Fill the weeks between, so a quiet week shows as a gap, not as nothing.
    if let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().next_back()) {
        let mut w = first;
        while w < last {
            weeks.entry(w).or_insert_with(|| blank(w));
            w += Duration::days(7);
        }
    }
    let weeks: Vec<WeekProgress> = weeks
        .into_values()
        .map(|mut w| {
            for r in w.outcomes.values_mut() {
                r.rate = Some(r.met as f64 / (r.met + r.not_met) as f64);
            }
            w.minutes_to_accept = minutes.remove(&w.week_start).and_then(median);
            w.correction_rounds = week_rounds.get(&w.week_start).and_then(|v| mean(v));
            w
        })
        .collect();

    let mut stmt = conn.prepare(
        "SELECT d.id, COALESCE(d.finished_at, d.started_at),
            (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id AND p.decision = 'applied'),
            (SELECT COUNT(*) FROM dreams d2 WHERE d2.agent_id = d.agent_id AND d2.id <= d.id)
         FROM dreams d WHERE d.agent_id = ?1 AND d.status = 'completed' AND d.undone_at IS NULL ORDER BY d.started_at",
    )?;
    let dreams: Vec<DreamMarker> = stmt
        .query_map([agent_id], |r| {
            Ok(DreamMarker {
                dream_id: r.get(0)?,
                at: get_ts(r, 1)?,
                applied: r.get(2)?,
                number: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|d| d.applied > 0)
        .collect();

    // The headline: before and since the first dream that changed memory.
    let since = dreams.first().map(|d| d.at);
    let split = |t: DateTime<Utc>| since.is_some_and(|s| t >= s);
    let count = |after: bool| {
        let mut c = Count::default();
        for (t, ok) in &judged {
            if split(*t) == after {
                c.of += 1;
                c.n += *ok as u32;
            }
        }
        c
    };
    let avg = |v: &[(DateTime<Utc>, f64)], after: bool| {
        median(
            v.iter()
                .filter(|(t, _)| split(*t) == after)
                .map(|(_, x)| *x)
                .collect(),
        )
    };
    let (accepted_before, accepted_after) = (count(false), count(true));
    let words = match since {
        Some(s) if accepted_after.of > 0 => format!(
            "Accepted as drafted: {} → {} since {}",
            pct(accepted_before),
            pct(accepted_after),
            day(s)
        ),
        Some(s) => format!(
            "Accepted as drafted: {} before {}; no judged drafts since",
            pct(accepted_before),
            day(s)
        ),
        None if accepted_before.of > 0 => format!(
            "Accepted as drafted: {} (no dream has changed memory yet)",
            pct(accepted_before)
        ),
        None => "No feedback yet: accept, edit or reject answers to see how drafts do".into(),
    };
    let headline = Headline {
        since,
        accepted_before,
        accepted_after,
        minutes_before: avg(&timed, false),
        minutes_after: avg(&timed, true),
        rounds_before: avg(&rounded, false),
        rounds_after: avg(&rounded, true),
        words,
    };

    // Each entry's effect: drafts in its scope that broke it, before and since it was added.
    let memory: Vec<MemoryEntry> = memory::list(conn, agent_id)?
        .into_iter()
        // Limited to a client: that client's entries and team-wide ones.
        .filter(|e| {
            e.scope
                .iter()
                .all(|(k, v)| filter.get(k).is_none_or(|f| f == v))
        })
        .collect();
    let entries = entry_effects(&memory, &list, Utc::now());

    Ok(ProgressReport {
        labels: outcomes
            .iter()
            .map(|o| crate::rubric::outcome_label(o))
            .collect(),
        outcomes,
        weeks,
        dreams,
        guidance_per_week: MIN_SESSIONS_PER_WEEK as u32,
        tags: filter.clone(),
        clients,
        headline,
        entries,
    })
}

/// Each entry's effect: how often drafts in its scope broke it before and since it entered
/// memory (`list`: the sessions to count, any order), most helpful first. A dream reads the
/// same figures to propose removing entries that never helped.
pub fn entry_effects(
    memory: &[MemoryEntry],
    list: &[&DreamSession],
    now: DateTime<Utc>,
) -> Vec<EntryEffect> {
    let mut entries: Vec<EntryEffect> = Vec::new();
    // Each draft is read once, however many entries check it.
    let drafts: Vec<Vec<effect::Draft>> = list
        .iter()
        .map(|s| {
            effect::drafts(s)
                .into_iter()
                .map(effect::Draft::new)
                .collect()
        })
        .collect();
    for e in memory {
        let m = effect::matcher(e);
        let (mut before, mut after) = (Count::default(), Count::default());
        if let Some(m) = &m {
            for (s, ds) in list
                .iter()
                .zip(&drafts)
                .filter(|(s, _)| effect::applies(e, s))
            {
                let c = if s.started_at >= e.created_at {
                    &mut after
                } else {
                    &mut before
                };
                for d in ds {
                    c.of += 1;
                    c.n += m.breaks_draft(d) as u32;
                }
            }
        }
        let days = (now - e.created_at).num_days();
        let verdict = match (&m, before.rate(), after.rate()) {
            (None, _, _) => EffectVerdict::NotMeasurable,
            (_, Some(b), Some(a)) if after.of >= ENOUGH_DRAFTS && a <= b - CLEAR_DROP => {
                EffectVerdict::Helps
            }
            (_, None, _) => EffectVerdict::NoBaseline,
            _ if after.of >= ENOUGH_DRAFTS && days >= ENOUGH_DAYS => EffectVerdict::NoChange,
            _ => EffectVerdict::TooEarly,
        };
        let whose = effect::whose_drafts(&e.scope);
        let words = match (&m, verdict) {
            (None, _) => "Not measurable from the drafts' text (a fact or a way of working).".into(),
            (Some(m), EffectVerdict::NoChange) => format!(
                "{whose} {}: {} of {} before, {} of {} since {}. No change after {} weeks: keep, reword or remove?",
                m.words, before.n, before.of, after.n, after.of, day(e.created_at), days / 7
            ),
            (Some(m), _) => format!(
                "{whose} {}: {} of {} before, {} of {} since {}",
                m.words, before.n, before.of, after.n, after.of, day(e.created_at)
            ),
        };
        entries.push(EntryEffect {
            id: e.id,
            scope_label: scope_label(&e.scope),
            scope: e.scope.clone(),
            content: e.content.clone(),
            since: e.created_at,
            check: m.map(|m| m.words),
            before,
            after,
            verdict,
            words,
        });
    }
    // The most helpful first (the biggest drop), then those to review, then the rest.
    let drop = |x: &EntryEffect| match (x.before.rate(), x.after.rate()) {
        (Some(b), Some(a)) => b - a,
        _ => f64::NEG_INFINITY,
    };
    let rank = |v: EffectVerdict| match v {
        EffectVerdict::Helps => 0,
        EffectVerdict::NoChange => 1,
        EffectVerdict::TooEarly => 2,
        EffectVerdict::NoBaseline => 3,
        EffectVerdict::NotMeasurable => 4,
    };
    entries.sort_by(|a, b| {
        rank(a.verdict)
            .cmp(&rank(b.verdict))
            .then(drop(b).total_cmp(&drop(a)))
            .then(a.id.cmp(&b.id))
    });
    entries
}
