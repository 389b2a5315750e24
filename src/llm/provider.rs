//! Which provider the curator uses, kept in the `settings` table under `provider.*` keys
//! (never the key itself: that lives in the OS keychain, or in `ANTHROPIC_API_KEY` /
//! `OPENAI_API_KEY` for the command line). Base URLs follow the official SDKs:
//! `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` win over the stored value, which wins over the default.

use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use crate::store::settings::{get, put};

use super::{PollPolicy, Provider, RetryPolicy};
use crate::error::{Error, Result};
pub use crate::model::{KeySource, ProviderConfig, ProviderKind, ProviderStatus};
use crate::secret::{Keychain, Secret};

const KIND: &str = "provider.kind";
const BASE_URL: &str = "provider.base_url";
const MODEL: &str = "provider.model";
const BATCHES: &str = "provider.use_batches";

static ENV_KEYS: AtomicBool = AtomicBool::new(false);

/// Let `ANTHROPIC_API_KEY` / `OPENAI_API_KEY` supply the key (the command line does; the app
/// uses the keychain only).
pub fn allow_env_keys() {
    ENV_KEYS.store(true, Ordering::Relaxed);
}

/// The stored provider, or `None` when dreams are offline only.
pub fn load(conn: &Connection) -> Result<Option<ProviderConfig>> {
    let Some(kind) = get(conn, KIND)? else {
        return Ok(None);
    };
    let kind: ProviderKind = kind
        .parse()
        .map_err(|e| Error::Internal(format!("the stored provider is unreadable: {e}")))?;
    Ok(Some(ProviderConfig {
        kind,
        base_url: get(conn, BASE_URL)?,
        model: get(conn, MODEL)?,
        use_batches: get(conn, BATCHES)?.as_deref() == Some("true"),
    }))
}

/// Store the provider; checks the base URL first.
pub fn save(conn: &Connection, c: &ProviderConfig) -> Result<()> {
    let base = c.base_url.as_deref().map(check_base_url).transpose()?;
    let model = c.model.as_deref().map(str::trim).filter(|m| !m.is_empty());
    put(conn, KIND, Some(c.kind.as_str()))?;
    put(conn, BASE_URL, base.as_deref())?;
    put(conn, MODEL, model)?;
    put(
        conn,
        BATCHES,
        Some(if c.use_batches { "true" } else { "false" }),
    )
}

/// Back to offline-only dreams.
pub fn clear(conn: &Connection) -> Result<()> {
    for k in [KIND, BASE_URL, MODEL, BATCHES] {
        put(conn, k, None)?;
    }
    Ok(())
}

/// `http(s)://host[:port][/path]`, without a trailing slash.
pub fn check_base_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.contains(char::is_whitespace) => Ok(u.to_string()),
        _ => Err(Error::invalid(format!(
            "\"{url}\" is not a base URL; write it like https://api.anthropic.com or http://localhost:11434/v1"
        ))),
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn base_url(c: &ProviderConfig) -> (String, bool) {
    match env_nonempty(c.kind.base_url_env()).and_then(|u| check_base_url(&u).ok()) {
        Some(u) => (u, true),
        None => (
            c.base_url
                .clone()
                .unwrap_or_else(|| c.kind.default_base_url().to_string()),
            false,
        ),
    }
}

/// Whether a request to `base` needs a key: Anthropic always; OpenAI's own API does; a local
/// server (Ollama, llama.cpp, …) does not.
fn key_needed(kind: ProviderKind, base: &str) -> bool {
    kind == ProviderKind::Anthropic || base.contains("api.openai.com")
}

fn find_key(kind: ProviderKind, keychain: &Keychain) -> (Option<Secret>, KeySource) {
    if ENV_KEYS.load(Ordering::Relaxed) {
        if let Some(k) = env_nonempty(kind.key_env()) {
            return (Some(Secret::new(k.trim())), KeySource::Environment);
        }
    }
    match keychain.get(kind.keychain_account()) {
        Ok(Some(k)) => (Some(k), KeySource::Keychain),
        Ok(None) => (None, KeySource::Missing),
        Err(_) => (None, KeySource::KeychainUnavailable),
    }
}

pub fn status(conn: &Connection, keychain: &Keychain) -> Result<ProviderStatus> {
    let Some(c) = load(conn)? else {
        return Ok(ProviderStatus {
            configured: false,
            kind: None,
            base_url: None,
            base_url_from_env: false,
            model: None,
            use_batches: false,
            key: KeySource::NotNeeded,
        });
    };
    let (base, from_env) = base_url(&c);
    let (_, mut key) = find_key(c.kind, keychain);
    if key != KeySource::Environment && key != KeySource::Keychain && !key_needed(c.kind, &base) {
        key = KeySource::NotNeeded;
    }
    Ok(ProviderStatus {
        configured: true,
        kind: Some(c.kind),
        base_url: Some(base),
        base_url_from_env: from_env,
        model: Some(
            c.model
                .clone()
                .unwrap_or_else(|| c.kind.default_model().into()),
        ),
        use_batches: c.use_batches && c.kind == ProviderKind::Anthropic,
        key,
    })
}

/// The provider to dream with for an agent whose own model is `agent_model`, or `None` when
/// no provider is configured. A configured provider without a needed key is an error that
/// says where to add one.
pub fn resolve(
    conn: &Connection,
    agent_model: Option<&str>,
    keychain: &Keychain,
) -> Result<Option<Provider>> {
    let Some(c) = load(conn)? else {
        return Ok(None);
    };
    let (base, _) = base_url(&c);
    let (key, source) = find_key(c.kind, keychain);
    if key.is_none() && key_needed(c.kind, &base) {
        if source == KeySource::KeychainUnavailable {
            return Err(Error::KeychainLocked(format!(
                "the system keychain could not be read, so there is no API key for {}; unlock the keychain, or set {} for the command line",
                c.kind.label(),
                c.kind.key_env()
            )));
        }
        return Err(Error::NoKey(format!(
            "no API key for {} is stored; add one in Settings (or set {} for the command line)",
            c.kind.label(),
            c.kind.key_env()
        )));
    }
    let model = agent_model
        .filter(|m| !m.trim().is_empty() && c.kind.fits(m))
        .map(str::to_string)
        .or(c.model.clone())
        .unwrap_or_else(|| c.kind.default_model().into());
    Ok(Some(Provider {
        kind: c.kind,
        base_url: base,
        model,
        use_batches: c.use_batches && c.kind == ProviderKind::Anthropic,
        key,
        retry: RetryPolicy::default(),
        poll: poll_policy(),
    }))
}

/// How often to ask about a Message Batch: every 30 s unless `REVERIE_BATCH_POLL_MS` says
/// otherwise (tests poll fast).
fn poll_policy() -> PollPolicy {
    let mut p = PollPolicy::default();
    if let Some(ms) = env_nonempty("REVERIE_BATCH_POLL_MS").and_then(|v| v.trim().parse().ok()) {
        p.interval = std::time::Duration::from_millis(ms);
    }
    p
}

/// Add or replace the key for `kind` in the keychain.
pub fn set_key(kind: ProviderKind, key: &Secret, keychain: &Keychain) -> Result<()> {
    keychain.set(kind.keychain_account(), key)
}

/// Remove the key for `kind` from the keychain; `false` if there was none.
pub fn remove_key(kind: ProviderKind, keychain: &Keychain) -> Result<bool> {
    keychain.remove(kind.keychain_account())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_provider_round_trips_and_clears() {
        let conn = crate::store::db::open_in_memory().unwrap();
        assert_eq!(load(&conn).unwrap(), None);
        let c = ProviderConfig {
            kind: ProviderKind::Openai,
            base_url: Some("http://localhost:11434/v1/".into()),
            model: Some("llama3.1".into()),
            use_batches: false,
        };
        save(&conn, &c).unwrap();
        let back = load(&conn).unwrap().unwrap();
        assert_eq!(back.base_url.as_deref(), Some("http://localhost:11434/v1"));
        assert_eq!(back.model.as_deref(), Some("llama3.1"));
        clear(&conn).unwrap();
        assert_eq!(load(&conn).unwrap(), None);
        assert!(check_base_url("localhost:1234").is_err());
    }

    #[test]
    fn an_agents_model_is_used_only_for_its_kind() {
        assert!(ProviderKind::Anthropic.fits("claude-haiku-4-5"));
        assert!(!ProviderKind::Anthropic.fits("llama3.1"));
        assert!(ProviderKind::Openai.fits("qwen2.5:7b"));
        assert!(!ProviderKind::Openai.fits("claude-opus-4-1"));
    }
}
