//! What the agent reads: its approved memory for a session's tags, as the text that goes into
//! its system prompt. Team-wide entries and entries whose scope the tags match go in, never
//! another client's. Past the budget, entries are ranked (scoped before team-wide, better
//! supported and newer first) and the ones left out are named. `reverie memory prompt`, the
//! preview in the app and every chat turn use this one function, so they agree byte for byte.

use serde::{Deserialize, Serialize};

use crate::llm::estimate_tokens;
use crate::model::{scope_label, MemoryEntry, Scope};

/// About how much memory goes into one prompt: 1,500 tokens is some 120 short rules.
pub const BUDGET_TOKENS: u32 = 1_500;

const HEADER: &str =
    "Team memory: what this team has learned from past work, approved by a person. \
Follow it unless the person you work with asks otherwise.";

/// The memory part of an agent's system prompt, and what it is made of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MemoryPrompt {
    /// Whether the agent reads memory at all (its memory switch).
    pub enabled: bool,
    /// The tags the session carries, that chose the entries.
    pub tags: Scope,
    /// Exactly the text added to the system prompt; empty when memory is off or has nothing
    /// for these tags.
    pub text: String,
    /// About how many tokens the text is.
    pub tokens: u32,
    pub budget: u32,
    /// The entries in the text, in the order they appear.
    pub used: Vec<MemoryEntry>,
    /// Entries that apply but did not fit in the budget.
    pub left_out: Vec<MemoryEntry>,
    /// What the preview says about it, in plain words.
    pub note: String,
}

/// Whether an entry applies to a session with `tags`: team-wide, or every pair of its scope is
/// among the tags.
pub fn applies(entry: &Scope, tags: &Scope) -> bool {
    entry.iter().all(|(k, v)| tags.get(k) == Some(v))
}

fn line(e: &MemoryEntry) -> String {
    format!(
        "- {}\n",
        e.content.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The memory text for `tags` from the agent's live `entries`.
pub fn build(enabled: bool, entries: &[MemoryEntry], tags: &Scope, budget: u32) -> MemoryPrompt {
    let mut prompt = MemoryPrompt {
        enabled,
        tags: tags.clone(),
        text: String::new(),
        tokens: 0,
        budget,
        used: Vec::new(),
        left_out: Vec::new(),
        note: String::new(),
    };
    if !enabled {
        prompt.note =
            "Memory is off for this agent: nothing from memory goes into its prompt.".into();
        return prompt;
    }
    let mut applicable: Vec<&MemoryEntry> =
        entries.iter().filter(|e| applies(&e.scope, tags)).collect();
    // Ranked for the budget: the client's own rules first, then the best supported and newest.
    applicable.sort_by(|a, b| {
        b.scope
            .len()
            .cmp(&a.scope.len())
            .then(b.support.cmp(&a.support))
            .then(b.updated_at.cmp(&a.updated_at))
            .then(a.id.cmp(&b.id))
    });
    let mut spent = estimate_tokens(HEADER) as u32 + 10;
    let mut kept = Vec::new();
    for e in applicable {
        let cost = estimate_tokens(&line(e)) as u32 + 2;
        if spent + cost <= budget {
            spent += cost;
            kept.push(e.clone());
        } else {
            prompt.left_out.push(e.clone());
        }
    }
    if kept.is_empty() {
        prompt.note = match prompt.left_out.len() {
            0 => "No memory applies to these tags yet.".into(),
            n => format!("{n} entries apply, but none fits in {budget} tokens."),
        };
        return prompt;
    }
    // Shown by scope, team-wide first, each group in the order the entries were made.
    kept.sort_by(|a, b| {
        (!a.scope.is_empty(), scope_label(&a.scope), a.id).cmp(&(
            !b.scope.is_empty(),
            scope_label(&b.scope),
            b.id,
        ))
    });
    let mut text = format!("{HEADER}\n");
    let mut current: Option<&Scope> = None;
    for e in &kept {
        if current != Some(&e.scope) {
            let heading = if e.scope.is_empty() {
                "Team-wide".to_string()
            } else {
                format!("For {}", scope_label(&e.scope))
            };
            text.push_str(&format!("\n{heading}:\n"));
            current = Some(&e.scope);
        }
        text.push_str(&line(e));
    }
    prompt.tokens = estimate_tokens(&text) as u32;
    prompt.text = text;
    prompt.note = match prompt.left_out.len() {
        0 => format!(
            "{} from memory, about {} tokens.",
            plural(kept.len(), "entry", "entries"),
            prompt.tokens
        ),
        n => format!(
            "{} from memory, about {} tokens; {} left out to stay within {budget} tokens.",
            plural(kept.len(), "entry", "entries"),
            prompt.tokens,
            plural(n, "entry", "entries")
        ),
    };
    prompt.used = kept;
    prompt
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole system prompt: the agent's own, then its memory.
pub fn system_prompt(agent_prompt: &str, memory: &MemoryPrompt) -> String {
    match (agent_prompt.trim(), memory.text.is_empty()) {
        (p, true) => p.to_string(),
        ("", false) => memory.text.clone(),
        (p, false) => format!("{p}\n\n{}", memory.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MemorySource;

    fn entry(id: i64, content: &str, client: Option<&str>, support: u32) -> MemoryEntry {
        let scope: Scope = client
            .map(|c| Scope::from([("client".to_string(), c.to_string())]))
            .unwrap_or_default();
        MemoryEntry {
            id,
            content: content.into(),
            scope_label: scope_label(&scope),
            scope,
            source: MemorySource::Person,
            dream_id: None,
            session_ids: vec![],
            support,
            created_at: "2026-11-01T00:00:00Z".parse().unwrap(),
            updated_at: "2026-11-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn a_client_reads_team_wide_memory_and_its_own_never_another_clients() {
        let entries = vec![
            entry(1, "Keep posts under 60 words.", None, 3),
            entry(2, "No exclamation marks.", Some("Harbour Tea"), 6),
            entry(3, "Add #RideFernwood.", Some("Fernwood Cycles"), 6),
        ];
        let tags = Scope::from([("client".to_string(), "Harbour Tea".to_string())]);
        let p = build(true, &entries, &tags, BUDGET_TOKENS);
        assert_eq!(p.used.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2]);
        assert!(
            p.text
                .contains("Team-wide:\n- Keep posts under 60 words.\n"),
            "{}",
            p.text
        );
        assert!(p
            .text
            .contains("For client: Harbour Tea:\n- No exclamation marks.\n"));
        assert!(!p.text.contains("RideFernwood"));
        let none = build(true, &entries, &Scope::new(), BUDGET_TOKENS);
        assert_eq!(none.used.len(), 1, "no tags: team-wide only");
        let off = build(false, &entries, &tags, BUDGET_TOKENS);
        assert!(off.text.is_empty() && off.note.contains("off"));
        assert_eq!(system_prompt("You draft posts.", &off), "You draft posts.");
        assert!(
            system_prompt("You draft posts.", &p).starts_with("You draft posts.\n\nTeam memory")
        );
    }

    #[test]
    fn past_the_budget_scoped_and_well_supported_entries_win_and_the_rest_are_named() {
        let mut entries: Vec<MemoryEntry> = (0..40)
            .map(|i| {
                entry(
                    i,
                    &format!("Team rule number {i} about something or other."),
                    None,
                    i as u32,
                )
            })
            .collect();
        entries.push(entry(
            100,
            "Harbour Tea: calm headlines.",
            Some("Harbour Tea"),
            0,
        ));
        let tags = Scope::from([("client".to_string(), "Harbour Tea".to_string())]);
        let p = build(true, &entries, &tags, 120);
        assert!(p.tokens <= 120, "{}", p.tokens);
        assert!(
            p.used.iter().any(|e| e.id == 100),
            "the client's own rule goes in first"
        );
        assert!(!p.left_out.is_empty());
        let best_left = p.left_out.iter().map(|e| e.support).max().unwrap();
        let worst_used = p
            .used
            .iter()
            .filter(|e| e.scope.is_empty())
            .map(|e| e.support)
            .min()
            .unwrap();
        assert!(
            worst_used >= best_left,
            "better supported entries go in first"
        );
        assert!(p.note.contains("left out"), "{}", p.note);
    }
}
