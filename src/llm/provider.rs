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

/// Keys this process was given for one server each (tests, embedding): never stored, never
/// sent anywhere but their server.
static PROCESS_KEYS: std::sync::Mutex<Vec<(ProviderKind, String, Secret)>> =
    std::sync::Mutex::new(Vec::new());

/// Use `key` for `kind` at `base` in this process only (it is not stored anywhere).
pub fn use_key_in_process(kind: ProviderKind, base: &str, key: Secret) {
    let base = base.trim_end_matches('/').to_ascii_lowercase();
    let mut keys = PROCESS_KEYS.lock().expect("lock");
    keys.retain(|(k, b, _)| !(*k == kind && *b == base));
    keys.push((kind, base, key));
}

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

/// The host of `http(s)://host[:port][/path]`, lowercase, without brackets.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    host.split(':').next().unwrap_or("")
}

/// Whether `host` is this computer: plain http is safe only there.
fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "::1"
        || h.parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `https://host[:port][/path]`, or `http://` to this computer only, without a trailing slash.
pub fn check_base_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let (secure, rest) = if let Some(r) = u.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = u.strip_prefix("http://") {
        (false, r)
    } else {
        (true, "")
    };
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(Error::invalid_field(
            "base_url",
            format!(
                "\"{url}\" is not a base URL; write it like https://api.anthropic.com or http://localhost:11434/v1"
            ),
        ));
    }
    let host = host_of(u);
    if !secure && !is_loopback(host) {
        return Err(Error::invalid_field(
            "base_url",
            format!(
                "plain http:// is allowed only for a server on this computer (localhost); {host} is elsewhere, so use https:// for it, or your key and transcripts would cross the network unencrypted"
            ),
        ));
    }
    Ok(u.to_string())
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Where requests go, and whether the environment chose it: the address stored in Settings
/// always wins; `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` apply only when none is stored (an
/// environment never silently redirects what the app saved).
fn base_url(c: &ProviderConfig) -> (String, bool) {
    if let Some(stored) = &c.base_url {
        return (stored.clone(), false);
    }
    match env_nonempty(c.kind.base_url_env()).and_then(|u| check_base_url(&u).ok()) {
        Some(u) => (u, true),
        None => (c.kind.default_base_url().to_string(), false),
    }
}

/// Whether a request to `base` needs a key: Anthropic always; OpenAI's own API does; a local
/// server (Ollama, llama.cpp, …) does not.
fn key_needed(kind: ProviderKind, base: &str) -> bool {
    kind == ProviderKind::Anthropic || base.contains("api.openai.com")
}

/// The keychain account of a key: one per provider and server, so a key saved for one server
/// is never sent to another.
pub fn keychain_account(kind: ProviderKind, base: &str) -> String {
    format!(
        "{}@{}",
        kind.as_str(),
        base.trim_end_matches('/').to_ascii_lowercase()
    )
}

/// The key for `kind` at `base`. The environment's key (command line only) is used only with
/// the default server or the environment's own base URL, never with a server saved in Settings.
fn find_key(
    kind: ProviderKind,
    base: &str,
    base_from_env: bool,
    keychain: &Keychain,
) -> (Option<Secret>, KeySource) {
    let exact = base.trim_end_matches('/').to_ascii_lowercase();
    if let Some((_, _, k)) = PROCESS_KEYS
        .lock()
        .expect("lock")
        .iter()
        .find(|(k, b, _)| *k == kind && *b == exact)
    {
        return (Some(k.clone()), KeySource::Environment);
    }
    if ENV_KEYS.load(Ordering::Relaxed) && (base_from_env || base == kind.default_base_url()) {
        if let Some(k) = env_nonempty(kind.key_env()) {
            return (Some(Secret::new(k.trim())), KeySource::Environment);
        }
    }
    let account = keychain_account(kind, base);
    match keychain.get(&account) {
        Ok(Some(k)) => (Some(k), KeySource::Keychain),
        Ok(None) => match adopt_legacy_key(kind, &account, keychain) {
            Some(k) => (Some(k), KeySource::Keychain),
            None => (None, KeySource::Missing),
        },
        Err(_) => (None, KeySource::KeychainUnavailable),
    }
}

/// Before keys were per server, each provider had one; it belongs to the server in use now
/// (the one it was saved for), so it moves to that server's account once.
fn adopt_legacy_key(kind: ProviderKind, account: &str, keychain: &Keychain) -> Option<Secret> {
    let legacy = kind.keychain_account();
    let key = keychain.get(legacy).ok()??;
    keychain.set(account, &key).ok()?;
    let _ = keychain.remove(legacy);
    Some(key)
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
    let (_, mut key) = find_key(c.kind, &base, from_env, keychain);
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
    let (base, from_env) = base_url(&c);
    // An address from the environment is checked like a stored one.
    let base = check_base_url(&base)?;
    let (key, source) = find_key(c.kind, &base, from_env, keychain);
    if key.is_none() && key_needed(c.kind, &base) {
        if source == KeySource::KeychainUnavailable {
            return Err(Error::KeychainLocked(format!(
                "the system keychain could not be read, so there is no API key for {}; unlock the keychain, or set {} for the command line",
                c.kind.label(),
                c.kind.key_env()
            )));
        }
        return Err(Error::NoKey(format!(
            "no API key is saved for {} at {base}; add one in Settings (keys are kept per server, so a new address needs its key again)",
            c.kind.label(),
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

/// The Anthropic server and key for Claude Managed Agents: the server saved in Settings when
/// the provider is Anthropic, else `ANTHROPIC_BASE_URL` (as the SDKs read it), else Anthropic's
/// own; the key is the one saved for that server (the curator's key is reused).
pub fn anthropic_access(conn: &Connection, keychain: &Keychain) -> Result<(String, Secret)> {
    let kind = ProviderKind::Anthropic;
    // The same server the curator would use, so one saved key serves both.
    let (base, env) = match load(conn)? {
        Some(c) if c.kind == kind => base_url(&c),
        _ => match env_nonempty(kind.base_url_env()) {
            Some(u) => (u, true),
            None => (kind.default_base_url().to_string(), false),
        },
    };
    let base = check_base_url(&base)?;
    match find_key(kind, &base, env, keychain) {
        (Some(key), _) => Ok((base, key)),
        (None, KeySource::KeychainUnavailable) => Err(Error::KeychainLocked(
            "the system keychain could not be read, so there is no Anthropic API key; unlock the keychain, or set ANTHROPIC_API_KEY for the command line".into(),
        )),
        (None, _) => Err(Error::NoKey(format!(
            "Claude Managed Agents need an Anthropic API key for {base}: add it in Settings, or set ANTHROPIC_API_KEY for the command line"
        ))),
    }
}

/// Add or replace the key for `kind` in the keychain.
/// The server a key for `kind` is for: the one chosen in Settings when it is of that kind,
/// else that kind's default server.
fn key_base(conn: &Connection, kind: ProviderKind) -> Result<String> {
    Ok(match load(conn)? {
        Some(c) if c.kind == kind => base_url(&c).0,
        _ => kind.default_base_url().to_string(),
    })
}

pub fn set_key(
    conn: &Connection,
    kind: ProviderKind,
    key: &Secret,
    keychain: &Keychain,
) -> Result<()> {
    keychain.set(&keychain_account(kind, &key_base(conn, kind)?), key)
}

/// Remove the key for `kind` (at its server) from the keychain; `false` if there was none.
pub fn remove_key(conn: &Connection, kind: ProviderKind, keychain: &Keychain) -> Result<bool> {
    let removed = keychain.remove(&keychain_account(kind, &key_base(conn, kind)?))?;
    // A key saved before keys were per server goes too.
    Ok(keychain.remove(kind.keychain_account())? || removed)
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
