//! What must never reach memory without a person looking. Transcripts are untrusted, so any
//! text a dream proposes (the offline tier's or the curator's) is checked here, after Unicode
//! normalisation (NFKC, so full-width letters and look-alike dots count), for families of
//! things an attacker or a careless paste could smuggle in: links and bare domains in any
//! script, email addresses, phone numbers, payment cards, national id numbers, secrets,
//! instructions aimed at the agent's operator or tools, and a team-wide change of language or
//! persona. A flagged proposal is never applied automatically; each flag says in plain words
//! what was found.

mod found;
mod lists;

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Flag, FlagKind, Scope};

/// Flags for a proposal's text and scope, each naming what it found. Empty when nothing is.
pub fn check(content: &str, scope: &Scope) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut texts = vec![content.to_string()];
    texts.extend(scope.iter().map(|(k, v)| format!("{k}: {v}")));
    for t in &texts {
        check_text(t, &mut flags);
    }
    if scope.is_empty() {
        team_wide_persona(&normalize(content), &mut flags);
    }
    let mut seen = std::collections::HashSet::new();
    flags.retain(|f| seen.insert((f.kind, f.detail.clone())));
    flags
}

/// The text as the checks read it: NFKC (full-width and styled letters become plain), no
/// zero-width characters, the dots and at-signs people write to dodge filters made real.
pub fn normalize(text: &str) -> String {
    let t: String = text
        .nfkc()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'))
        .map(|c| match c {
            // Ideographic and half-width full stops separate labels of a domain name too.
            '\u{3002}' | '\u{FF61}' | '\u{FE52}' => '.',
            c => c,
        })
        .collect();
    static DOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\})\s*")
            .expect("valid")
    });
    // "evil dot com": a spelled-out dot before something that reads like a domain ending.
    static SPELLED_DOT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)([\p{L}\p{N}])\s+dot\s+([a-z]{2,})\b").expect("valid"));
    static AT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\})\s*").expect("valid")
    });
    let t = DOT.replace_all(&t, ".");
    let t = SPELLED_DOT.replace_all(&t, "$1.$2");
    AT.replace_all(&t, "@").into_owned()
}

fn check_text(text: &str, flags: &mut Vec<Flag>) {
    let t = normalize(text);
    found::links_and_addresses(&t, flags);
    found::numbers(&t, flags);
    found::secrets(&t, flags);
    found::instructions(&t, flags);
}

fn flag(kind: FlagKind, detail: impl Into<String>) -> Flag {
    Flag {
        kind,
        detail: detail.into(),
    }
}

/// A rule for every client that changes the language the agent writes in or who it is: a
/// person decides that, never a pattern in transcripts.
fn team_wide_persona(t: &str, flags: &mut Vec<Flag>) {
    let low = t.to_lowercase();
    static LANGUAGE: LazyLock<Regex> = LazyLock::new(|| {
        let names = lists::LANGUAGES.join("|");
        Regex::new(&format!(
            r"(?i)\b(?:write|writes|writing|reply|replies|respond|answer|speak|talk|communicate|use|post|translate|draft|only)\b[^.!?\n]{{0,40}}?\b(?:in|into)\s+(?:plain\s+|simple\s+|formal\s+|informal\s+)?({names})\b|\b({names})\s+only\b"
        ))
        .expect("valid")
    });
    if let Some(c) = LANGUAGE.captures(&low) {
        let lang = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        flags.push(flag(
            FlagKind::Persona,
            format!("a change of language for every client ({lang})"),
        ));
    }
    static NATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!("(?i)({})", lists::NATIVE_LANGUAGES.join("|"))).expect("valid")
    });
    if let Some(m) = NATIVE.find(t) {
        flags.push(flag(
            FlagKind::Persona,
            format!("a change of language for every client ({})", m.as_str()),
        ));
    }
    static PERSONA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:you are (?:now |actually )?(?:a|an|the)\b|act as\b|acting as\b|pretend (?:to be|you are)|role-?play|adopt (?:a|the|this) (?:persona|character|identity)|persona\b|speak as\b|call yourself|your name is|introduce yourself as|sign (?:off|every (?:message|post|reply)) as\b)",
        )
        .expect("valid")
    });
    if let Some(m) = PERSONA.find(&low) {
        flags.push(flag(
            FlagKind::Persona,
            format!(
                "a change of persona for every client (\"{}\")",
                m.as_str().trim()
            ),
        ));
    }
}

#[cfg(test)]
mod tests;
