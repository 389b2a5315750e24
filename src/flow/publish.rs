//! Publishing approved memory where agents read it, after every change to memory:
//!
//! - `claude-md` / `agents-md`: a section of `CLAUDE.md` / `AGENTS.md` between two marker
//!   comments; the person's own text around it is kept byte for byte; the file is created if
//!   missing.
//! - `claude-memory`: a Claude Code memory folder: a marked section of `MEMORY.md` indexes one
//!   `reverie-<scope>.md` file per scope, kept within what Claude Code loads of `MEMORY.md`
//!   (the first 200 lines, 25 KB).
//! - `markdown` and `jsonl`: whole files (the export formats).
//!
//! Every file is written atomically (a temporary file, then a rename). What Reverie wrote is
//! remembered by a hash: when the managed part changed outside Reverie since, nothing is
//! written and the destination says why, until the person publishes again on purpose.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{scope_label, Destination, DestinationKind, MemoryEntry, PreviewFile, Scope};
use crate::work::prompt::applies;

/// What Claude Code loads of `MEMORY.md`.
pub const MEMORY_MD_LINES: usize = 200;
pub const MEMORY_MD_BYTES: usize = 25 * 1024;

fn start_marker(agent: &str) -> String {
    format!("<!-- reverie:memory {agent} (written by Reverie after every change; edit memory in Reverie, not here) -->")
}

fn end_marker(agent: &str) -> String {
    format!("<!-- /reverie:memory {agent} -->")
}

/// A stable 64-bit hash (FNV-1a) of what was written, hex: the same on every platform and
/// version, unlike the standard library's hasher.
pub fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The entries a destination gets: all of memory, or team-wide ones plus those for its tags.
pub fn entries_for<'a>(entries: &'a [MemoryEntry], tags: &Scope) -> Vec<&'a MemoryEntry> {
    entries
        .iter()
        .filter(|e| tags.is_empty() || applies(&e.scope, tags))
        .collect()
}

/// Entries grouped by scope, team-wide first, each group in the order entries were made.
fn grouped<'a>(entries: &[&'a MemoryEntry]) -> Vec<(String, Vec<&'a MemoryEntry>)> {
    let mut groups: Vec<(String, Vec<&MemoryEntry>)> = Vec::new();
    let mut sorted: Vec<&MemoryEntry> = entries.to_vec();
    sorted.sort_by(|a, b| {
        (!a.scope.is_empty(), scope_label(&a.scope), a.id).cmp(&(
            !b.scope.is_empty(),
            scope_label(&b.scope),
            b.id,
        ))
    });
    for e in sorted {
        let label = if e.scope.is_empty() {
            "Team-wide".to_string()
        } else {
            scope_label(&e.scope)
        };
        match groups.last_mut() {
            Some((l, v)) if *l == label => v.push(e),
            _ => groups.push((label, vec![e])),
        }
    }
    groups
}

fn bullet(e: &MemoryEntry) -> String {
    format!(
        "- {}\n",
        e.content.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The Markdown of the managed section (markers excluded).
fn section(agent_name: &str, entries: &[&MemoryEntry], enabled: bool) -> String {
    let mut s = format!(
        "## Team memory: {agent_name}\n\nLearned from past sessions and approved by a person in Reverie.\n"
    );
    if !enabled {
        s.push_str("\nMemory is off for this agent in Reverie, so nothing is listed.\n");
        return s;
    }
    if entries.is_empty() {
        s.push_str("\nNothing approved yet.\n");
        return s;
    }
    for (label, list) in grouped(entries) {
        s.push_str(&format!("\n### {label}\n\n"));
        for e in list {
            s.push_str(&bullet(e));
        }
    }
    s
}

/// Where the managed section sits in `text`: (start of the start marker, end of the end
/// marker) in bytes.
fn find_section(text: &str, agent: &str) -> Option<(usize, usize)> {
    let start = text.find(&start_marker(agent))?;
    let end_m = end_marker(agent);
    let end = text[start..].find(&end_m)? + start + end_m.len();
    Some((start, end))
}

/// The section between the markers as it is in `text` now.
fn current_section<'t>(text: &'t str, agent: &str) -> Option<&'t str> {
    let (a, b) = find_section(text, agent)?;
    let inner_start = a + start_marker(agent).len();
    let inner_end = b - end_marker(agent).len();
    Some(text[inner_start..inner_end].trim_matches('\n'))
}

/// `existing` with the managed section replaced by `body` (or added at the end).
fn splice(existing: &str, agent: &str, body: &str) -> String {
    let block = format!(
        "{}\n{}\n{}",
        start_marker(agent),
        body.trim_end(),
        end_marker(agent)
    );
    match find_section(existing, agent) {
        Some((a, b)) => format!("{}{}{}", &existing[..a], block, &existing[b..]),
        None if existing.is_empty() => format!("{block}\n"),
        None => {
            let sep = if existing.ends_with("\n\n") {
                ""
            } else if existing.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{existing}{sep}{block}\n")
        }
    }
}

/// Write `content` to `path` atomically: a temporary file beside it, then a rename, so a
/// reader never sees half a file and a crash leaves the old one.
pub fn write_atomic(path: &Path, content: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("could not create {}", dir.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.reverie-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(content.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("could not write {}", path.display()), e)
    })
}

fn read_or_empty(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::io(format!("could not read {}", path.display()), e)),
    }
}

/// A file name for a scope's topic file: `reverie-team-wide.md`, `reverie-client-harbour-tea.md`.
fn topic_file(label: &str) -> String {
    let slug = crate::model::slug_from_name(label);
    format!(
        "reverie-{}.md",
        if slug.is_empty() { "memory" } else { &slug }
    )
}

/// The files a destination consists of after publishing, with their whole content, and the
/// hash of the parts Reverie manages in them.
pub struct Rendered {
    pub files: Vec<PreviewFile>,
    /// Reverie's topic files that no longer have entries (removed on write).
    pub stale: Vec<PathBuf>,
    pub hash: String,
}

/// What publishing `entries` to `dest` would write, and the hash of the managed parts as
/// they are on disk now (to tell whether someone edited them since the last write).
pub fn render(
    dest: &Destination,
    agent_name: &str,
    entries: &[&MemoryEntry],
    enabled: bool,
) -> Result<(Rendered, Option<String>)> {
    let path = Path::new(&dest.path);
    let agent = dest.agent.as_str();
    Ok(match dest.kind {
        DestinationKind::ClaudeMd | DestinationKind::AgentsMd => {
            let existing = read_or_empty(path)?;
            let body = section(agent_name, entries, enabled);
            let on_disk = current_section(&existing, agent).map(hash);
            let managed = hash(body.trim_matches('\n'));
            (
                Rendered {
                    files: vec![PreviewFile {
                        path: dest.path.clone(),
                        content: splice(&existing, agent, &body),
                        keeps_existing: !existing.is_empty(),
                    }],
                    stale: vec![],
                    hash: managed,
                },
                on_disk,
            )
        }
        DestinationKind::Markdown | DestinationKind::Jsonl => {
            let owned: Vec<MemoryEntry> = entries.iter().map(|e| (*e).clone()).collect();
            let content = match dest.kind {
                DestinationKind::Markdown => crate::export::memory::markdown(agent_name, &owned),
                _ => crate::export::memory::jsonl(&owned),
            };
            let on_disk = match std::fs::read_to_string(path) {
                Ok(t) => Some(hash(&t)),
                Err(_) => None,
            };
            let h = hash(&content);
            (
                Rendered {
                    files: vec![PreviewFile {
                        path: dest.path.clone(),
                        content,
                        keeps_existing: false,
                    }],
                    stale: vec![],
                    hash: h,
                },
                on_disk,
            )
        }
        DestinationKind::ClaudeMemory => claude_memory(dest, agent_name, entries, enabled)?,
    })
}

/// A Claude Code memory folder: `MEMORY.md` holds a marked index (within the part Claude Code
/// loads), one `reverie-<scope>.md` file per scope holds the entries.
fn claude_memory(
    dest: &Destination,
    agent_name: &str,
    entries: &[&MemoryEntry],
    enabled: bool,
) -> Result<(Rendered, Option<String>)> {
    let dir = Path::new(&dest.path);
    let agent = dest.agent.as_str();
    let index_path = dir.join("MEMORY.md");
    let existing = read_or_empty(&index_path)?;
    let groups = if enabled { grouped(entries) } else { vec![] };
    let mut files = Vec::new();
    let mut index =
        format!("## Team memory: {agent_name}\n\nApproved in Reverie; details per scope:\n\n");
    for (label, list) in &groups {
        let name = topic_file(label);
        let mut body =
            format!("# {label}\n\nTeam memory for {agent_name}, approved in Reverie.\n\n");
        for e in list {
            body.push_str(&bullet(e));
        }
        let first = list[0]
            .content
            .split_whitespace()
            .take(12)
            .collect::<Vec<_>>()
            .join(" ");
        index.push_str(&format!(
            "- [{label}]({name}): {} {}, e.g. \"{first}\"\n",
            list.len(),
            if list.len() == 1 { "rule" } else { "rules" }
        ));
        files.push(PreviewFile {
            path: dir.join(&name).display().to_string(),
            content: body,
            keeps_existing: false,
        });
    }
    if !enabled {
        index.push_str("Memory is off for this agent in Reverie.\n");
    } else if groups.is_empty() {
        index.push_str("Nothing approved yet.\n");
    }
    // Claude Code reads only the start of MEMORY.md: if the index would push past that, one
    // line pointing to a full index file takes its place.
    let mut content = splice(&existing, agent, &index);
    if content.lines().count() > MEMORY_MD_LINES || content.len() > MEMORY_MD_BYTES {
        let full = dir.join("reverie-index.md");
        files.push(PreviewFile {
            path: full.display().to_string(),
            content: index.replace("## Team memory", "# Team memory"),
            keeps_existing: false,
        });
        index = format!(
            "## Team memory: {agent_name}\n\nApproved in Reverie: see [reverie-index.md](reverie-index.md).\n"
        );
        content = splice(&existing, agent, &index);
    }
    let keeps = !existing.is_empty();
    let mut managed = index.trim_matches('\n').to_string();
    for f in &files {
        managed.push_str(&f.content);
    }
    // What is on disk now: the section, and every reverie-*.md file there.
    let mut on_disk = current_section(&existing, agent).map(str::to_string);
    let ours = reverie_files(dir);
    if let Some(d) = on_disk.as_mut() {
        for p in &ours {
            d.push_str(&std::fs::read_to_string(p).unwrap_or_default());
        }
    }
    let written: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let stale = ours
        .into_iter()
        .filter(|p| !written.contains(&p.display().to_string()))
        .collect();
    files.insert(
        0,
        PreviewFile {
            path: index_path.display().to_string(),
            content,
            keeps_existing: keeps,
        },
    );
    Ok((
        Rendered {
            files,
            stale,
            hash: hash(&managed),
        },
        on_disk.map(|d| hash(&d)),
    ))
}

/// Reverie's own files in a Claude Code memory folder, sorted.
fn reverie_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reverie-") && n.ends_with(".md"))
        })
        .collect();
    out.sort();
    out
}

/// Write what `render` made. `last` is the hash of the last write; when the managed part on
/// disk no longer matches it (edited or removed outside Reverie), nothing is written unless
/// `force`.
pub fn write(
    dest: &Destination,
    rendered: &Rendered,
    on_disk: Option<String>,
    last: Option<&str>,
    force: bool,
) -> Result<()> {
    if let (Some(last), false) = (last, force) {
        if on_disk.as_deref() != Some(last) {
            let what = match dest.kind {
                DestinationKind::ClaudeMd | DestinationKind::AgentsMd => {
                    "the section Reverie writes was edited or removed"
                }
                DestinationKind::ClaudeMemory => {
                    "Reverie's part of the memory folder was edited or removed"
                }
                _ => "the file was edited or removed",
            };
            return Err(Error::ChangedSince(format!(
                "{}: {what} outside Reverie since the last write, so nothing was written; keep what you need in Reverie's memory, then publish again to replace it",
                dest.path
            )));
        }
    }
    for f in &rendered.files {
        // Unchanged files are not rewritten: a memory of hundreds of scopes stays cheap to
        // publish, and tools watching the files see only real changes.
        if std::fs::read_to_string(&f.path).is_ok_and(|old| old == f.content) {
            continue;
        }
        write_atomic(Path::new(&f.path), &f.content)?;
    }
    for p in &rendered.stale {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_replaced_and_the_rest_kept_byte_for_byte() {
        let mine = "# Project\r\n\nMy own notes — keep them.  \n";
        let once = splice(mine, "a", "## Team memory: A\n\n- one\n");
        assert!(once.starts_with(mine));
        let twice = splice(&once, "a", "## Team memory: A\n\n- two\n");
        assert!(twice.starts_with(mine));
        assert!(twice.contains("- two") && !twice.contains("- one"));
        assert_eq!(
            current_section(&twice, "a"),
            Some("## Team memory: A\n\n- two")
        );
        // Another agent's section in the same file is left alone.
        let both = splice(&twice, "b", "## Team memory: B\n\n- other\n");
        let again = splice(&both, "a", "## Team memory: A\n\n- three\n");
        assert!(again.contains("- other") && again.contains("- three"));
    }

    #[test]
    fn hashes_are_stable() {
        assert_eq!(hash(""), "cbf29ce484222325");
        assert_ne!(hash("a"), hash("b"));
    }
}
