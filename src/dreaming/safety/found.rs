//! The detectors, each adding a [`Flag`] per thing it finds. They read normalised text.

use std::sync::LazyLock;

use regex::Regex;

use super::{flag, lists};
use crate::model::{Flag, FlagKind};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid pattern")
}

/// `s` cut to `max` characters, for naming what was found without repeating all of it.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// Links with a scheme, `www.` addresses, bare domains in any script, IP addresses, and
/// email addresses.
pub fn links_and_addresses(t: &str, flags: &mut Vec<Flag>) {
    static SCHEME: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:https?|ftp|sftp|file|ws|wss|hxxps?|mailto|javascript|data|tel|sms|ipfs|magnet):\S*|\bwww\d?\.\S+",
        )
    });
    for m in SCHEME.find_iter(t) {
        flags.push(flag(
            FlagKind::Link,
            format!("a link ({})", clip(m.as_str(), 60)),
        ));
    }
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| re(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.\p{L}{2,}"));
    for m in EMAIL.find_iter(t) {
        flags.push(flag(
            FlagKind::Email,
            format!("an email address ({})", clip(m.as_str(), 60)),
        ));
    }
    let without_emails = EMAIL.replace_all(t, " ");
    // A host: labels of letters (any script), digits and dashes, joined by dots, then maybe a
    // path. The last label must be a top-level domain for it to count.
    static HOST: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}[\p{L}\p{N}])?\.)+(?:xn--[a-z0-9-]{2,59}|[\p{L}]{2,63})(?::\d{2,5})?(?:/[^\s]*)?",
        )
    });
    for m in HOST.find_iter(&without_emails) {
        let whole = m.as_str();
        let host = whole.split(['/', ':']).next().unwrap_or(whole);
        let tld = host.rsplit('.').next().unwrap_or("").to_lowercase();
        // "e.g." and "U.S." are not domains: every label there is one letter.
        let labels: Vec<&str> = host.split('.').collect();
        if labels.iter().all(|l| l.chars().count() == 1) {
            continue;
        }
        // `README.md`, `main.rs`: a file name, unless a path follows.
        let file_name = lists::FILE_LIKE_TLDS.contains(&tld.as_str())
            && labels.len() == 2
            && !whole.contains('/');
        // A host with a path after it reads as a link whatever its ending.
        let with_path = whole.contains('/') && tld.chars().all(char::is_alphabetic);
        if (lists::is_tld(&tld) || with_path) && !file_name {
            flags.push(flag(
                FlagKind::Link,
                format!(
                    "a web address ({})",
                    clip(whole.trim_end_matches(['.', ',', ')']), 60)
                ),
            ));
        }
    }
    static IP: LazyLock<Regex> =
        LazyLock::new(|| re(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?\b|\[[0-9a-fA-F:]{6,}\]"));
    for m in IP.find_iter(t) {
        flags.push(flag(
            FlagKind::Link,
            format!("an internet address ({})", m.as_str()),
        ));
    }
}

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// IBAN's mod-97 check.
fn iban_ok(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() < 15 || s.len() > 34 {
        return false;
    }
    let moved = format!("{}{}", &s[4..], &s[..4]);
    let mut rem: u64 = 0;
    for c in moved.chars() {
        let v = match c.to_digit(36) {
            Some(v) => v as u64,
            None => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Payment cards, national id numbers, bank accounts and phone numbers.
pub fn numbers(t: &str, flags: &mut Vec<Flag>) {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut add = |flags: &mut Vec<Flag>, m: regex::Match, kind, what: &str| {
        taken.push((m.start(), m.end()));
        flags.push(flag(kind, format!("{what} ({})", clip(m.as_str(), 30))));
    };
    static CARD: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d(?:[ -]?\d){12,18}\b"));
    for m in CARD.find_iter(t) {
        let d = digits(m.as_str());
        if (13..=19).contains(&d.len()) && luhn(&d) {
            add(flags, m, FlagKind::PaymentCard, "a payment card number");
        }
    }
    static IBAN: LazyLock<Regex> =
        LazyLock::new(|| re(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"));
    for m in IBAN.find_iter(t) {
        if iban_ok(m.as_str()) {
            add(
                flags,
                m,
                FlagKind::NationalId,
                "a bank account number (IBAN)",
            );
        }
    }
    let ids: [(&LazyLock<Regex>, &str); 0] = [];
    let _ = ids;
    static SSN: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{3}-\d{2}-\d{4}\b"));
    for m in SSN.find_iter(t) {
        let s = m.as_str();
        if !s.starts_with("000") && !s.starts_with("666") && !s.starts_with('9') {
            add(
                flags,
                m,
                FlagKind::NationalId,
                "a US social security number",
            );
        }
    }
    static NINO: LazyLock<Regex> = LazyLock::new(|| {
        re(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
    });
    for m in NINO.find_iter(t) {
        add(
            flags,
            m,
            FlagKind::NationalId,
            "a UK National Insurance number",
        );
    }
    static SIN: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{3}[ -]\d{3}[ -]\d{3}\b"));
    for m in SIN.find_iter(t) {
        if luhn(&digits(m.as_str())) {
            add(
                flags,
                m,
                FlagKind::NationalId,
                "a Canadian social insurance number",
            );
        }
    }
    static AADHAAR: LazyLock<Regex> = LazyLock::new(|| re(r"\b[2-9]\d{3} \d{4} \d{4}\b"));
    for m in AADHAAR.find_iter(t) {
        add(flags, m, FlagKind::NationalId, "an Indian Aadhaar number");
    }
    static CN_ID: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{17}[\dXx]\b"));
    for m in CN_ID.find_iter(t) {
        add(
            flags,
            m,
            FlagKind::NationalId,
            "a Chinese resident identity number",
        );
    }
    static DNI: LazyLock<Regex> = LazyLock::new(|| re(r"\b\d{8}-?[A-Z]\b"));
    for m in DNI.find_iter(t) {
        let d = digits(m.as_str());
        let n = d.iter().fold(0u64, |a, &x| a * 10 + x as u64);
        let letter = "TRWAGMYFPDXBNJZSQVHLCKE".as_bytes()[(n % 23) as usize] as char;
        if m.as_str().ends_with(letter) {
            add(
                flags,
                m,
                FlagKind::NationalId,
                "a Spanish identity number (DNI)",
            );
        }
    }
    // Phones: "+" and 7 to 15 digits, or groups of digits with separators, not a date.
    static PHONE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:\+|\b00)\d[\d ().-]{5,20}\d\b|\(?\b\d{2,5}\)?[ .-]\d{2,5}[ .-]\d{2,5}(?:[ .-]\d{2,5})?\b",
        )
    });
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")
    });
    for m in PHONE.find_iter(t) {
        let s = m.as_str().trim();
        let n = digits(s).len();
        let overlaps = taken.iter().any(|&(a, b)| m.start() < b && a < m.end());
        if (7..=15).contains(&n) && !DATE.is_match(s) && !overlaps {
            flags.push(flag(
                FlagKind::Phone,
                format!("a phone number ({})", clip(s, 30)),
            ));
        }
    }
}

/// Shannon entropy of `s` in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// API keys of the common families, tokens, private keys, written-out passwords, and long
/// random-looking strings.
pub fn secrets(t: &str, flags: &mut Vec<Flag>) {
    for (r, what) in crate::secret::key_shapes() {
        for m in r.find_iter(t) {
            let shown: String = m.as_str().chars().take(7).collect();
            flags.push(flag(FlagKind::Secret, format!("{what} ({shown}…)")));
        }
    }
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:password|passwd|passphrase|pwd|passcode|pin code|secret|api[ _-]?key|access[ _-]?key|secret[ _-]?key|auth[ _-]?token|token|private[ _-]?key|client[ _-]?secret)\s*(?:[:=]|\bis\b|\bwas\b)\s*\S{3,}",
        )
    });
    for m in PAIR.find_iter(t) {
        let label = m.as_str().split([':', '=']).next().unwrap_or("").trim();
        let label = label
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        flags.push(flag(
            FlagKind::Secret,
            format!("a written-out {} (\"{label}: …\")", label.to_lowercase()),
        ));
    }
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z0-9/+._=-]{24,}"));
    for m in TOKEN.find_iter(t) {
        let s = m.as_str().trim_matches(['.', '-', '_', '/']);
        let has_digit = s.chars().any(|c| c.is_ascii_digit());
        let has_letter = s.chars().any(|c| c.is_ascii_alphabetic());
        let words = s.split(['.', '-', '_', '/']).filter(|p| !p.is_empty());
        // Paths and hyphenated phrases are made of words; a key is one long random run.
        let longest = words.map(str::len).max().unwrap_or(0);
        if s.len() >= 24 && has_digit && has_letter && longest >= 16 && entropy(s) >= 3.5 {
            let shown: String = s.chars().take(6).collect();
            flags.push(flag(
                FlagKind::Secret,
                format!("a long random-looking string, possibly a key ({shown}…)"),
            ));
        }
    }
}

/// Instructions aimed at the agent's operator or its tools: overriding its instructions,
/// revealing or sending keys and environment variables, payment data, running commands.
pub fn instructions(t: &str, flags: &mut Vec<Flag>) {
    let low = t.to_lowercase();
    static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            (
                r"\b(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|abandon|discard)\b(?:\s+\w+){0,4}?\s+(?:instructions?|rules|prompts?|guidelines|directions|directives|policies|polic(?:y|ies)|constraints|guardrails|system message|context)\b",
                "an instruction to set aside the agent's instructions",
            ),
            (
                r"\b(?:ignore[zr]?|oubliez|oublie)\b.{0,30}\binstructions?\b|\bignora\b.{0,30}\b(?:instrucciones|istruzioni)\b|\bignor(?:e|iere|ieren)\b.{0,30}\banweisungen\b|\bignore\b.{0,30}\binstruções\b|игнорируй.{0,30}инструкци|忽略.{0,12}(?:指令|说明|指示|规则)|指示を無視|지시.{0,8}무시",
                "an instruction to set aside the agent's instructions",
            ),
            (
                r"\b(?:reveal|print|show|output|leak|send|share|e-?mail|post|upload|exfiltrate|dump|display|repeat|tell|give|forward|paste|copy)\b(?:\s+\S+){0,6}?\s+(?:(?:api|access|secret|private|ssh)[ _-]?keys?|keys?|tokens?|passwords?|credentials?|secrets?|system prompt|hidden (?:prompt|instructions)|instructions you were given|env(?:ironment)?(?: variables?| vars?)?|\.env)\b",
                "an instruction to reveal or send keys, passwords or hidden instructions",
            ),
            (
                r"\b(?:environment variables?|env vars?|process\.env|os\.environ|getenv|printenv|\$env:|\.env file)\b",
                "a reference to environment variables",
            ),
            (
                r"\b(?:credit card|card number|card details|cvv|cvc|security code|expiry date|bank details|bank account|routing number|sort code|wire transfer|payment details|billing details|iban|swift code|bic code|send money|transfer money|transfer funds|make a payment|gift cards?|bitcoin|crypto wallet)\b",
                "a request involving payment data",
            ),
            (
                r"\brm\s+-[a-z]*[rf]|\bsudo\b|\bcurl\s+\S|\bwget\s+\S|\bchmod\s+[0-7+]|\bchown\b|\bpowershell\b|\bcmd\.exe\b|\bbash\s+-c\b|\|\s*(?:sh|bash|zsh|python|perl)\b|\bbase64\s+(?:-d|--decode)\b|\beval\s*\(|\bexec\s*\(|\bos\.system\b|\bsubprocess\b|\$\(|\bnc\s+-[a-z]*e\b|\bmkfifo\b|\bdd\s+if=|\bformat\s+c:|\bdrop\s+table\b|\bdelete\s+from\b",
                "a computer command that could do harm",
            ),
            (
                r"\b(?:run|execute|invoke|call)\s+(?:this|the following|these|the)\s+(?:command|script|code|tool|function)s?\b|\b(?:jailbreak|developer mode|dan mode|god mode)\b|\b(?:new|updated|real|actual|hidden)\s+(?:system\s+)?instructions\b|\bsystem prompt\b",
                "an instruction aimed at the agent's operator or tools",
            ),
        ]
        .into_iter()
        .map(|(p, what)| (re(p), what))
        .collect()
    });
    // `$API_KEY`, `${HOME}`, `%APPDATA%`: a variable of the machine the agent runs on.
    static VARIABLE: LazyLock<Regex> =
        LazyLock::new(|| re(r"\$\{?[A-Z][A-Z0-9_]{2,}\}?|%[A-Z][A-Z0-9_]{2,}%"));
    if let Some(m) = VARIABLE.find(t) {
        flags.push(flag(
            FlagKind::Instruction,
            format!("a reference to environment variables (\"{}\")", m.as_str()),
        ));
    }
    for (r, what) in RULES.iter() {
        if let Some(m) = r.find(&low) {
            flags.push(flag(
                FlagKind::Instruction,
                format!("{what} (\"{}\")", clip(m.as_str().trim(), 50)),
            ));
        }
    }
}
