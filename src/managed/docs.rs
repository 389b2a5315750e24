//! Memory as a store's documents and back: one Markdown document per scope (`/team.md`,
//! `/clients/harbour-tea.md`), each entry a bullet under a heading that names the scope; and
//! the line-by-line difference between two stores as adds, removals and refinements.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{scope_label, MemoryEntry, Scope};

/// `Harbour Tea` → `harbour-tea`: lowercase letters and digits, dashes between words.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_lowercase());
    }
    if out.is_empty() {
        "other".into()
    } else {
        out
    }
}

fn plural(key: &str) -> String {
    let k = slug(key);
    if k.ends_with('s') {
        k
    } else {
        format!("{k}s")
    }
}

/// Where a scope's entries live in the store.
pub fn path_of(scope: &Scope) -> String {
    if scope.is_empty() {
        return "/team.md".into();
    }
    let parts: Vec<String> = scope
        .iter()
        .map(|(k, v)| format!("{}/{}", plural(k), slug(v)))
        .collect();
    format!("/{}.md", parts.join("/"))
}

/// A scope's document: a heading in the scope's words, then one bullet per entry.
pub fn render(scope: &Scope, entries: &[&str]) -> String {
    let mut out = format!("# {}\n\n", scope_label(scope));
    for e in entries {
        // An entry is one line in the document; a line break inside would split it in two.
        let one_line = e.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!("- {one_line}\n"));
    }
    out
}

/// Every document the store should hold for this memory, by path.
pub fn documents(entries: &[MemoryEntry]) -> BTreeMap<String, String> {
    let mut by_scope: BTreeMap<Scope, Vec<&str>> = BTreeMap::new();
    for e in entries {
        by_scope
            .entry(e.scope.clone())
            .or_default()
            .push(&e.content);
    }
    by_scope
        .into_iter()
        .map(|(scope, list)| (path_of(&scope), render(&scope, &list)))
        .collect()
}

/// A document read back: its scope and its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub scope: Scope,
    pub entries: Vec<String>,
}

/// The scope a heading names ("Team-wide", "client: Harbour Tea · channel: email").
fn heading_scope(label: &str) -> Option<Scope> {
    let label = label.trim();
    if label.eq_ignore_ascii_case("team-wide") || label.eq_ignore_ascii_case("team wide") {
        return Some(Scope::new());
    }
    let mut scope = Scope::new();
    for part in label.split(" · ") {
        let (k, v) = part.split_once(':')?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || v.is_empty() {
            return None;
        }
        scope.insert(k.to_string(), v.to_string());
    }
    Some(scope)
}

/// The scope a path stands for, with values matched to `known` scopes where a slug agrees
/// (`/clients/harbour-tea.md` → `client: Harbour Tea`); a top-level document is team-wide.
fn path_scope(path: &str, known: &[Scope]) -> Scope {
    if let Some(s) = known.iter().find(|s| path_of(s) == path) {
        return s.clone();
    }
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    let parts: Vec<&str> = trimmed.split('/').collect();
    if parts.len() < 2 || !parts.len().is_multiple_of(2) {
        return Scope::new();
    }
    let mut scope = Scope::new();
    for pair in parts.chunks(2) {
        let key = pair[0].strip_suffix('s').unwrap_or(pair[0]);
        scope.insert(key.to_string(), pair[1].replace('-', " "));
    }
    scope
}

/// A document's scope and entries: bullets (`-`, `*`, `1.`) are entries, as is each other
/// paragraph; headings are structure, and the first one may name the scope.
pub fn parse(path: &str, content: &str, known: &[Scope]) -> Doc {
    let mut scope = None;
    let mut entries: Vec<String> = Vec::new();
    let mut open = false;
    for (i, line) in content.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            open = false;
            continue;
        }
        if let Some(h) = t.strip_prefix('#') {
            if i == 0 || (scope.is_none() && entries.is_empty()) {
                scope = heading_scope(h.trim_start_matches('#'));
            }
            open = false;
            continue;
        }
        let bullet = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| {
                let digits = t.chars().take_while(char::is_ascii_digit).count();
                (digits > 0)
                    .then(|| t[digits..].strip_prefix(". "))
                    .flatten()
            });
        match bullet {
            Some(b) => {
                entries.push(b.trim().to_string());
                open = true;
            }
            // An indented or wrapped line continues the entry before it.
            None if open => {
                let last = entries.last_mut().expect("open implies an entry");
                last.push(' ');
                last.push_str(t);
            }
            None => {
                entries.push(t.to_string());
                open = true;
            }
        }
    }
    entries.retain(|e| !e.is_empty());
    // A path Reverie wrote names its scope for certain; a heading someone (or a dream)
    // rewrote may not.
    let written = known.iter().find(|s| path_of(s) == path).cloned();
    Doc {
        scope: written.or(scope).unwrap_or_else(|| path_scope(path, known)),
        entries,
    }
}

/// One line-level change between two stores.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Add {
        scope: Scope,
        text: String,
        path: String,
    },
    Remove {
        scope: Scope,
        text: String,
        path: String,
    },
    Refine {
        scope: Scope,
        old: String,
        new: String,
        path: String,
    },
}

pub fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches('.')
        .to_lowercase()
}

fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// A removed line and an added one this similar are one entry reworded.
const REFINE_SIMILARITY: f64 = 0.4;

/// What changed from `before` to `after` (documents by path), document by document and line by
/// line; an entry reworded in place is a refinement, not a removal and an addition.
pub fn diff(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    known: &[Scope],
) -> Vec<Change> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for path in paths {
        let old = before.get(path).map(|c| parse(path, c, known));
        let new = after.get(path).map(|c| parse(path, c, known));
        // What leaves or changes belongs to the scope it was in; what arrives, to its new one.
        let old_scope = old
            .as_ref()
            .or(new.as_ref())
            .map(|d| d.scope.clone())
            .unwrap_or_default();
        let scope = new
            .as_ref()
            .or(old.as_ref())
            .map(|d| d.scope.clone())
            .unwrap_or_default();
        let old_entries = old.map(|d| d.entries).unwrap_or_default();
        let new_entries = new.map(|d| d.entries).unwrap_or_default();
        let old_set: BTreeSet<String> = old_entries.iter().map(|e| norm(e)).collect();
        let new_set: BTreeSet<String> = new_entries.iter().map(|e| norm(e)).collect();
        let mut removed: Vec<&String> = old_entries
            .iter()
            .filter(|e| !new_set.contains(&norm(e)))
            .collect();
        let mut added: Vec<&String> = new_entries
            .iter()
            .filter(|e| !old_set.contains(&norm(e)))
            .collect();
        // Pair the most similar first, so each rewording finds its own original.
        let mut pairs = Vec::new();
        for (i, r) in removed.iter().enumerate() {
            for (j, a) in added.iter().enumerate() {
                let s = similarity(r, a);
                if s >= REFINE_SIMILARITY {
                    pairs.push((s, i, j));
                }
            }
        }
        pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
        let (mut used_r, mut used_a) = (BTreeSet::new(), BTreeSet::new());
        for (_, i, j) in pairs {
            if used_r.contains(&i) || used_a.contains(&j) {
                continue;
            }
            used_r.insert(i);
            used_a.insert(j);
            changes.push(Change::Refine {
                scope: old_scope.clone(),
                old: removed[i].clone(),
                new: added[j].clone(),
                path: path.clone(),
            });
        }
        let mut i = 0;
        removed.retain(|_| {
            i += 1;
            !used_r.contains(&(i - 1))
        });
        let mut j = 0;
        added.retain(|_| {
            j += 1;
            !used_a.contains(&(j - 1))
        });
        for r in removed {
            changes.push(Change::Remove {
                scope: old_scope.clone(),
                text: r.clone(),
                path: path.clone(),
            });
        }
        for a in added {
            changes.push(Change::Add {
                scope: scope.clone(),
                text: a.clone(),
                path: path.clone(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(k: &str, v: &str) -> Scope {
        Scope::from([(k.to_string(), v.to_string())])
    }

    #[test]
    fn documents_round_trip_through_their_paths_and_headings() {
        let harbour = scope("client", "Harbour Tea");
        assert_eq!(path_of(&harbour), "/clients/harbour-tea.md");
        assert_eq!(path_of(&Scope::new()), "/team.md");
        let text = render(
            &harbour,
            &["No exclamation marks.", "Sign off as the Harbour team."],
        );
        let doc = parse("/clients/harbour-tea.md", &text, &[]);
        assert_eq!(doc.scope, harbour);
        assert_eq!(doc.entries.len(), 2);
        // Without a heading, the path and the known scopes say whose it is.
        let doc = parse(
            "/clients/harbour-tea.md",
            "Keep posts short.\n",
            std::slice::from_ref(&harbour),
        );
        assert_eq!(doc.scope, harbour);
        assert_eq!(
            parse("/style.md", "- Plain words.\n", &[]).scope,
            Scope::new()
        );
    }

    #[test]
    fn a_reworded_line_is_a_refinement_and_a_new_document_adds() {
        let team = Scope::new();
        let before = BTreeMap::from([(
            "/team.md".to_string(),
            render(
                &team,
                &["Write in British English.", "Never post on Sundays."],
            ),
        )]);
        let after = BTreeMap::from([
            (
                "/team.md".to_string(),
                render(&team, &["Write in British English (colour, organise)."]),
            ),
            (
                "/clients/fernwood.md".to_string(),
                "# client: Fernwood\n\n- Mention the shop hours.\n".to_string(),
            ),
        ]);
        let changes = diff(&before, &after, &[]);
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert!(changes.iter().any(
            |c| matches!(c, Change::Refine { old, .. } if old == "Write in British English.")
        ));
        assert!(changes
            .iter()
            .any(|c| matches!(c, Change::Remove { text, .. } if text == "Never post on Sundays.")));
        assert!(changes.iter().any(
            |c| matches!(c, Change::Add { scope, .. } if scope == &scope_of("client", "Fernwood"))
        ));
    }

    fn scope_of(k: &str, v: &str) -> Scope {
        scope(k, v)
    }
}
