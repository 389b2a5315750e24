//! Agents.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Agent {
    pub slug: String,
    pub name: String,
    pub model: Option<String>,
    pub system_prompt: String,
    pub memory_enabled: bool,
    pub created_at: DateTime<Utc>,
    /// Number of sessions stored for this agent.
    pub sessions: i64,
    /// Number of live memory entries.
    pub memory_entries: i64,
    pub last_session_at: Option<DateTime<Utc>>,
    /// Changes from finished dreams still waiting for a person (the inbox).
    pub pending_review: i64,
    /// The newest finished dream with changes waiting, which the inbox opens.
    pub review_dream: Option<i64>,
    /// MCP clients may record feedback for this agent.
    pub mcp_write: bool,
}

/// Fields a person may change on an agent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AgentPatch {
    pub name: Option<String>,
    pub model: Option<String>,
    pub system_prompt: Option<String>,
    pub memory_enabled: Option<bool>,
    /// Let MCP clients record feedback (their sessions stay untrusted data).
    pub mcp_write: Option<bool>,
}

/// Whether a slug can name a new agent, and one made from the display name typed so far.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlugCheck {
    /// Why the slug cannot be used, in plain words; `None` when it can.
    pub problem: Option<String>,
    pub suggested: String,
}

/// The longest agent slug.
pub const SLUG_MAX: usize = 64;

/// Why `slug` is not a valid agent slug, if it is not.
pub fn slug_problem(slug: &str) -> Option<String> {
    let ok = !slug.is_empty()
        && slug.len() <= SLUG_MAX
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    (!ok).then(|| {
        format!(
            "\"{slug}\" is not a valid agent slug; use lowercase letters, digits and dashes (up to 64), e.g. social-drafts"
        )
    })
}

/// "social-drafts" -> "Social drafts".
pub fn name_from_slug(slug: &str) -> String {
    let spaced = slug.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A slug made from a display name: "Support replies!" gives "support-replies". Letters and
/// digits are kept (accents dropped, "Café" gives "cafe"), runs of anything else become one
/// dash; a name with no usable letters gives "".
pub fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(SLUG_MAX);
    out.trim_end_matches('-').to_string()
}

/// Latin letters with accents as their plain letters (what NFD then dropping marks gives).
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    use unicode_normalization::UnicodeNormalization;
    std::iter::once(c)
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<Vec<_>>()
        .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_names_follow_the_slug_rule() {
        assert_eq!(slug_from_name("Support replies!"), "support-replies");
        assert_eq!(slug_from_name("Café Crème"), "cafe-creme");
        assert_eq!(slug_from_name("  --  "), "");
        assert_eq!(slug_from_name(&"x".repeat(80)).len(), SLUG_MAX);
        for name in ["Support replies!", "Café Crème", "a--b", "Ünïcödé 42"] {
            let s = slug_from_name(name);
            assert!(s.is_empty() || slug_problem(&s).is_none(), "{s}");
        }
        assert!(slug_problem("Social").is_some());
        assert!(slug_problem("-x").is_some());
        assert!(slug_problem("social-drafts").is_none());
    }
}
