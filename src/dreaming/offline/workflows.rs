//! Workflows: the tool-call sequences that good sessions converge on. A sequence is a
//! candidate when sessions following it go well clearly more often than sessions that did
//! something else (compared in `support::decide`).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::model::Role;

use super::support::{Item, Pol, Table};
use super::DreamSession;

/// The tool names a session called, in order, with immediate repeats collapsed.
pub(crate) fn sequence(s: &DreamSession) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in s.messages.iter().filter(|m| m.role == Role::Assistant) {
        for call in &m.tool_calls {
            if out.last() != Some(&call.name) {
                out.push(call.name.clone());
            }
        }
    }
    out
}

/// Good and bad sessions that used one sequence in one scope.
type Outcomes = (Vec<u32>, Vec<u32>);

/// Interned sequences, and per scope how sessions with each sequence went.
#[derive(Default)]
pub(crate) struct Workflows {
    pub seqs: Vec<Vec<String>>,
    ids: HashMap<Vec<String>, u32>,
    /// (scope, seq) -> (good sessions, bad sessions, good session ids, bad session ids)
    tally: BTreeMap<(u32, u32), Outcomes>,
}

impl Workflows {
    /// Records one session; `balance` is its weighted grade (above zero: it went well).
    pub(crate) fn add(&mut self, session: u32, seq: Vec<String>, balance: f64, scopes: &[u32]) {
        if seq.len() < 2 || balance == 0.0 {
            return;
        }
        let next = self.seqs.len() as u32;
        let id = *self.ids.entry(seq.clone()).or_insert(next);
        if id == next {
            self.seqs.push(seq);
        }
        for &s in scopes {
            let t = self.tally.entry((s, id)).or_default();
            if balance > 0.0 {
                t.0.push(session);
            } else {
                t.1.push(session);
            }
        }
    }

    /// For each scope, the sequence most good sessions used becomes a candidate, compared with
    /// every session in that scope that used another sequence.
    pub(crate) fn into_table(self, table: &mut Table) -> Vec<Vec<String>> {
        let mut per_scope: BTreeMap<u32, Vec<(u32, &Outcomes)>> = BTreeMap::new();
        for ((scope, seq), t) in &self.tally {
            per_scope.entry(*scope).or_default().push((*seq, t));
        }
        // A sequence that is the favourite somewhere is tallied in every scope, so promotion
        // can see scopes where it did not work.
        let mut favourites: Vec<u32> = Vec::new();
        for rows in per_scope.values() {
            if let Some((seq, _)) = rows
                .iter()
                .max_by(|a, b| a.1 .0.len().cmp(&b.1 .0.len()).then(b.0.cmp(&a.0)))
            {
                if !favourites.contains(seq) {
                    favourites.push(*seq);
                }
            }
        }
        for (scope, rows) in &per_scope {
            let total_ok: usize = rows.iter().map(|(_, t)| t.0.len()).sum();
            let total: usize = rows.iter().map(|(_, t)| t.0.len() + t.1.len()).sum();
            for &fav in &favourites {
                let (ok, bad) = rows
                    .iter()
                    .find(|(s, _)| *s == fav)
                    .map(|(_, t)| (t.0.clone(), t.1.len()))
                    .unwrap_or_default();
                let cell = table.cell(*scope, (Pol::Require, Item::Workflow(fav)));
                cell.other_ok += (total_ok - ok.len()) as u32;
                cell.other_n += (total - ok.len() - bad) as u32;
                cell.contra += bad as u32;
                cell.support.extend(ok);
            }
        }
        self.seqs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dreaming::offline::support::{decide, Guards, ScopeTag};

    #[test]
    fn the_sequence_that_works_is_found() {
        let mut t = Table::default();
        let s = t.scope(ScopeTag(None));
        let mut w = Workflows::default();
        let good = vec!["lookup".to_string(), "check_policy".into(), "reply".into()];
        let bad = vec!["lookup".to_string(), "reply".into()];
        for i in 0..10 {
            w.add(i, good.clone(), 3.0, &[s]);
        }
        for i in 10..16 {
            w.add(i, bad.clone(), -3.0, &[s]);
        }
        w.add(16, bad.clone(), 1.0, &[s]);
        let seqs = w.into_table(&mut t);
        let days: Vec<i32> = (0..20).map(|i| i % 5).collect();
        let g = Guards {
            min_support: 4,
            min_days: 3,
            min_lower_bound: 0.55,
        };
        let found = decide(t, &days, &g);
        assert_eq!(found.len(), 1);
        let Item::Workflow(id) = found[0].key.1 else {
            panic!()
        };
        assert_eq!(seqs[id as usize], good);
    }
}
