//! The statistics behind a proposal: per-scope tallies of supporting and contradicting
//! sessions, the guards (several sessions, several days, a Wilson lower bound), and promotion
//! of a rule from single scopes to team-wide.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use super::text::Feature;

/// Whether a rule asks for something (`Require`) or forbids it (`Forbid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Pol {
    Require,
    Forbid,
}

/// Up to four word ids, padded with `NONE`.
pub(crate) type Gram = [u32; 4];
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) fn gram_len(g: &Gram) -> usize {
    g.iter().take_while(|&&w| w != NONE).count()
}

/// What a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Item {
    /// A word or short phrase.
    Phrase(Gram),
    /// A whole line (a sign-off, a header), by line id.
    Line(u32),
    Feature(Feature),
    /// A group of similar corrections people typed.
    Said(u32),
    /// A clarifying question group and the answer given.
    Answer(u32, u32),
    /// A tool sequence, by sequence id.
    Workflow(u32),
}

pub(crate) type Key = (Pol, Item);

/// Tallies for one rule in one scope.
#[derive(Debug, Default, Clone)]
pub(crate) struct Cell {
    /// Sessions that support the rule (may repeat; deduplicated by `settle`).
    pub support: Vec<u32>,
    /// Used texts (accepted drafts, final texts) or sessions that contradict it.
    pub contra: u32,
    /// What the removed phrase was replaced with, and how often.
    pub alts: HashMap<String, u32>,
    /// For a length limit: the longest final text among supporting sessions.
    pub max_words: u32,
    /// For workflows: sessions with another tool sequence, and how many of them went well.
    pub other_n: u32,
    pub other_ok: u32,
}

/// A scope the dreamer mines separately: one tag (`client=Harbour Tea`) or the untagged sessions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ScopeTag(pub Option<(String, String)>);

#[derive(Default)]
pub(crate) struct Table {
    pub cells: HashMap<(u32, Key), Cell>,
    pub scopes: Vec<ScopeTag>,
    scope_ids: HashMap<ScopeTag, u32>,
}

impl Table {
    pub(crate) fn scope(&mut self, tag: ScopeTag) -> u32 {
        if let Some(&id) = self.scope_ids.get(&tag) {
            return id;
        }
        let id = self.scopes.len() as u32;
        self.scope_ids.insert(tag.clone(), id);
        self.scopes.push(tag);
        id
    }
    pub(crate) fn cell(&mut self, scope: u32, key: Key) -> &mut Cell {
        self.cells.entry((scope, key)).or_default()
    }
    /// How many scopes each tag dimension ("client", "user"; `None`: untagged) has.
    pub(crate) fn scopes_per_dim(&self) -> BTreeMap<Option<&str>, usize> {
        let mut dims: BTreeMap<Option<&str>, usize> = BTreeMap::new();
        for s in &self.scopes {
            *dims
                .entry(s.0.as_ref().map(|(k, _)| k.as_str()))
                .or_default() += 1;
        }
        dims
    }
    pub(crate) fn support(&mut self, scopes: &[u32], key: Key, session: u32) {
        for &s in scopes {
            self.cell(s, key).support.push(session);
        }
    }
}

/// Thresholds every proposal has to clear.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guards {
    pub min_support: usize,
    pub min_days: usize,
    pub min_lower_bound: f64,
}

pub(crate) const Z: f64 = 1.645;

/// Wilson score interval lower bound for `k` successes in `n` trials.
pub(crate) fn wilson_lower(k: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    let p = k / n;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * n);
    let spread = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).clamp(0.0, 1.0)
}

pub(crate) fn wilson_upper(k: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return 1.0;
    }
    1.0 - wilson_lower(n - k, n)
}

/// A rule that cleared the guards, in one scope (or team-wide when `scope` is `None`).
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub key: Key,
    /// `None`: team-wide.
    pub scope: Option<ScopeTag>,
    pub support: Vec<u32>,
    pub contra: u32,
    pub days: usize,
    pub confidence: f64,
    /// How many scopes it held in, when promoted.
    pub scopes_held: usize,
    pub alts: Vec<(String, u32)>,
    pub max_words: u32,
    pub other_n: u32,
    pub other_ok: u32,
}

/// Sorts and deduplicates supporting sessions; returns the number of distinct days.
pub(crate) fn settle(cell: &mut Cell, day_of: &[i32]) -> usize {
    cell.support.sort_unstable();
    cell.support.dedup();
    cell.support
        .iter()
        .map(|&s| day_of[s as usize])
        .collect::<BTreeSet<_>>()
        .len()
}

fn score(key: &Key, cell: &Cell, days: usize, g: &Guards) -> Option<f64> {
    let k = cell.support.len();
    // A question with a handful of possible answers repeats an answer by chance more easily.
    let min = if matches!(key.1, Item::Answer(..)) {
        g.min_support + 1
    } else {
        g.min_support
    };
    if k < min || days < g.min_days {
        return None;
    }
    let lb = wilson_lower(k as f64, (k as u32 + cell.contra) as f64);
    if let Item::Workflow(_) = key.1 {
        // A workflow must do clearly better than the sessions that did something else.
        let other_ub = wilson_upper(cell.other_ok as f64, cell.other_n as f64);
        if cell.other_n < 3 || k * 2 < k + cell.contra as usize || lb <= other_ub {
            return None;
        }
        return Some(lb);
    }
    (lb >= g.min_lower_bound).then_some(lb)
}

fn finding(
    key: Key,
    scope: Option<ScopeTag>,
    cell: &Cell,
    days: usize,
    confidence: f64,
) -> Finding {
    let mut alts: Vec<(String, u32)> = cell.alts.iter().map(|(a, n)| (a.clone(), *n)).collect();
    alts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Finding {
        key,
        scope,
        support: cell.support.clone(),
        contra: cell.contra,
        days,
        confidence,
        scopes_held: 1,
        alts,
        max_words: cell.max_words,
        other_n: cell.other_n,
        other_ok: cell.other_ok,
    }
}

/// Applies the guards in every scope, promotes rules that hold across most scopes of a tag
/// (and are contradicted by none) to team-wide, and returns the surviving findings.
pub(crate) fn decide(mut table: Table, day_of: &[i32], g: &Guards) -> Vec<Finding> {
    // Group cells by key, then by tag name; BTreeMaps keep the result independent of hashing.
    let mut by_key: BTreeMap<Key, Vec<(u32, Cell, usize)>> = BTreeMap::new();
    for ((scope, key), mut cell) in table.cells.drain() {
        let days = settle(&mut cell, day_of);
        by_key.entry(key).or_default().push((scope, cell, days));
    }
    let scopes = &table.scopes;
    let dims = table.scopes_per_dim();
    let mut out = Vec::new();
    for (key, mut cells) in by_key {
        cells.sort_by(|a, b| scopes[a.0 as usize].cmp(&scopes[b.0 as usize]));
        let mut promoted = false;
        // Said mostly in one scope of any dimension, at least twice as often as in any other
        // ("every change in the gateway gets a changelog entry", with a few echoes elsewhere;
        // three reviewers of one client all asking for it): that scope's rule, not the team's.
        // Edits need no such check: the texts other scopes used speak against them.
        // A tag every session carries alike ("channel=email") has one scope: it says nothing.
        // The cells of one tag dimension ("client", "user").
        let cells_in = |dim: &str| -> Vec<&(u32, Cell, usize)> {
            cells
                .iter()
                .filter(|(s, _, _)| {
                    scopes[*s as usize]
                        .0
                        .as_ref()
                        .is_some_and(|(k, _)| k == dim)
                })
                .collect()
        };
        let mostly_one_scope = matches!(key.1, Item::Said(_))
            && dims.iter().filter(|(_, &n)| n >= 2).any(|(dim, _)| {
                let Some(dim) = dim else { return false };
                let mut sizes: Vec<usize> = cells_in(dim)
                    .iter()
                    .map(|(_, c, _)| c.support.len())
                    .collect();
                sizes.sort_unstable_by(|a, b| b.cmp(a));
                let top = sizes.first().copied().unwrap_or(0);
                // Unless three other scopes hold it too: said most at one client, and twice
                // or more at several others, is the team's.
                let others_holding = sizes.iter().skip(1).filter(|&&k| k >= 2).count();
                top >= 3 && top >= 2 * sizes.get(1).copied().unwrap_or(0) && others_holding < 3
            });
        for (&dim, &n_scopes) in &dims {
            let Some(dim) = dim else { continue };
            let in_dim = cells_in(dim);
            if promoted || in_dim.is_empty() {
                continue;
            }
            let mut chance = 0;
            let mut holding = 0;
            let mut contradicted = false;
            let mut pooled = Cell::default();
            for (_, c, _) in &in_dim {
                let (k, x) = (c.support.len() as u32, c.contra);
                if k + x == 0 {
                    continue;
                }
                if k + x >= 2 {
                    chance += 1;
                }
                let against = match key.1 {
                    // A workflow is contradicted where it does no better than the alternatives.
                    Item::Workflow(_) => {
                        c.other_n >= 2
                            && k + x >= 2
                            && (k as f64 / (k + x) as f64) <= c.other_ok as f64 / c.other_n as f64
                    }
                    // A question answered otherwise in another scope: answers differ by scope.
                    Item::Answer(..) => x >= 2 && x * 3 >= k + x,
                    // Clearly not held there: few would follow it (a noisy client, where the
                    // rule holds about as often as not, neither holds nor stands against it).
                    _ => x >= 2 && (k == 0 || wilson_upper(k as f64, (k + x) as f64) < 0.5),
                };
                if against {
                    contradicted = true;
                } else if k >= 2 && k >= x {
                    holding += 1;
                }
                pooled.support.extend(&c.support);
                pooled.contra += c.contra;
                pooled.max_words = pooled.max_words.max(c.max_words);
                pooled.other_n += c.other_n;
                pooled.other_ok += c.other_ok;
                for (a, n) in &c.alts {
                    *pooled.alts.entry(a.clone()).or_default() += n;
                }
            }
            let min_holding = if n_scopes >= 4 { 3 } else { 2 };
            if contradicted || holding < min_holding || (holding as f64) < 0.6 * chance as f64 {
                continue;
            }
            if mostly_one_scope {
                continue;
            }
            let days = settle(&mut pooled, day_of);
            if let Some(conf) = score(&key, &pooled, days, g) {
                let mut f = finding(key, None, &pooled, days, conf);
                f.scopes_held = holding;
                out.push(f);
                promoted = true;
            }
        }
        if promoted {
            continue;
        }
        let mut local: Vec<Finding> = Vec::new();
        for (scope, cell, days) in &cells {
            if let Some(conf) = score(&key, cell, *days, g) {
                let tag = scopes[*scope as usize].clone();
                let team = tag.0.is_none();
                local.push(finding(key, (!team).then_some(tag), cell, *days, conf));
            }
        }
        out.extend(dedupe_dimensions(local));
    }
    out
}

/// When a rule holds under two tag names (say `client` and `channel`) for the same sessions,
/// keep the scope that explains it best.
fn dedupe_dimensions(mut local: Vec<Finding>) -> Vec<Finding> {
    local.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(b.support.len().cmp(&a.support.len()))
            .then_with(|| a.scope.cmp(&b.scope))
    });
    let mut kept: Vec<Finding> = Vec::new();
    for f in local {
        let clash = kept.iter().any(|k| {
            let dim = |x: &Finding| {
                x.scope
                    .as_ref()
                    .and_then(|s| s.0.as_ref().map(|(k, _)| k.clone()))
            };
            if dim(k) == dim(&f) {
                return false;
            }
            let shared = f
                .support
                .iter()
                .filter(|s| k.support.binary_search(s).is_ok())
                .count();
            shared * 2 >= f.support.len().min(k.support.len())
        });
        if !clash {
            kept.push(f);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(v: &str) -> ScopeTag {
        ScopeTag(Some(("client".into(), v.into())))
    }

    const G: Guards = Guards {
        min_support: 4,
        min_days: 3,
        min_lower_bound: 0.55,
    };

    #[test]
    fn wilson_needs_volume_not_just_a_perfect_ratio() {
        assert!(wilson_lower(2.0, 2.0) < 0.55);
        assert!(wilson_lower(6.0, 6.0) > 0.65);
        assert!(wilson_lower(6.0, 12.0) < 0.55);
        assert!(wilson_upper(0.0, 5.0) < 0.45);
    }

    #[test]
    fn a_rule_for_one_client_stays_with_that_client() {
        let mut t = Table::default();
        let key = (Pol::Forbid, Item::Feature(Feature::Exclaim));
        let days: Vec<i32> = (0..100).map(|i| i % 7).collect();
        let a = t.scope(tag("A"));
        let b = t.scope(tag("B"));
        let c = t.scope(tag("C"));
        let d = t.scope(tag("D"));
        for i in 0..8 {
            t.support(&[a], key, i);
        }
        t.cell(b, key).contra = 6;
        t.cell(c, key).contra = 5;
        t.cell(d, key);
        let found = decide(t, &days, &G);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].scope, Some(tag("A")));
    }

    #[test]
    fn a_rule_in_most_clients_is_promoted_once() {
        let mut t = Table::default();
        let key = (Pol::Forbid, Item::Feature(Feature::Emoji));
        let days: Vec<i32> = (0..100).map(|i| i % 7).collect();
        for (n, name) in ["A", "B", "C", "D"].iter().enumerate() {
            let s = t.scope(tag(name));
            for i in 0..5 {
                t.support(&[s], key, (n * 10 + i) as u32);
            }
        }
        let found = decide(t, &days, &G);
        assert_eq!(found.len(), 1);
        assert!(found[0].scope.is_none());
        assert_eq!(found[0].support.len(), 20);
    }

    #[test]
    fn a_thing_said_mostly_in_one_client_stays_with_it() {
        let days: Vec<i32> = (0..100).map(|i| i % 7).collect();
        let decide_with = |counts: &[usize]| {
            let mut t = Table::default();
            let key = (Pol::Require, Item::Said(0));
            for (n, &k) in counts.iter().enumerate() {
                let s = t.scope(tag(&format!("C{n}")));
                for i in 0..k {
                    t.support(&[s], key, (n * 20 + i) as u32);
                }
            }
            decide(t, &days, &G)
        };
        // Eight times in one client, a few echoes in two others: that client's rule.
        let found = decide_with(&[8, 3, 3, 0, 0, 0]);
        assert!(found.iter().all(|f| f.scope.is_some()), "{found:?}");
        assert!(found.iter().any(|f| f.scope == Some(tag("C0"))));
        // Said about as often in several clients: the team's.
        let found = decide_with(&[5, 4, 5, 0, 0, 0]);
        assert_eq!(found.len(), 1);
        assert!(found[0].scope.is_none());
        // Said most in one client, and twice or more in three others: the team's too.
        let found = decide_with(&[6, 2, 2, 2, 0, 0]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].scope.is_none());
        // A tag every session carries alike is no scope a rule could be said mostly in.
        let mut t = Table::default();
        let key = (Pol::Require, Item::Said(0));
        let channel = t.scope(ScopeTag(Some(("channel".into(), "email".into()))));
        for (n, k) in [5usize, 4, 5, 0, 0, 0].into_iter().enumerate() {
            let s = t.scope(tag(&format!("C{n}")));
            for i in 0..k {
                t.support(&[s, channel], key, (n * 20 + i) as u32);
            }
        }
        let found = decide(t, &days, &G);
        assert!(found.iter().any(|f| f.scope.is_none()), "{found:?}");
    }
}
