//! `memory export`: an agent's memory as Markdown (for people) or JSON Lines (for tools).

use std::collections::BTreeMap;

use crate::model::{scope_label, MemoryEntry};

pub fn jsonl(entries: &[MemoryEntry]) -> String {
    entries
        .iter()
        .map(|e| serde_json::json!({"content": e.content, "scope": e.scope}).to_string() + "\n")
        .collect()
}

pub fn markdown(agent_name: &str, entries: &[MemoryEntry]) -> String {
    let mut groups: BTreeMap<(bool, String), Vec<&MemoryEntry>> = BTreeMap::new();
    for e in entries {
        groups
            .entry((!e.scope.is_empty(), scope_label(&e.scope)))
            .or_default()
            .push(e);
    }
    let mut out = format!("# {agent_name}: memory\n");
    if entries.is_empty() {
        out.push_str("\nNo memory entries yet.\n");
    }
    for ((_, label), list) in groups {
        out.push_str(&format!("\n## {label}\n\n"));
        for e in list {
            out.push_str(&format!("- {}\n", e.content.replace('\n', " ")));
        }
    }
    out
}
