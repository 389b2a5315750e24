//! The optional AI provider for the curator: which one, its model and address, its key in
//! the OS keychain (never anywhere else), and a test request.

use std::sync::atomic::AtomicBool;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::llm::provider as choice;
use crate::model::{ProviderConfig, ProviderDefaults, ProviderKind, ProviderStatus};
use crate::secret::{Keychain, Secret};

/// Let `ANTHROPIC_API_KEY` / `OPENAI_API_KEY` supply the key in this process (the command
/// line does; the app uses the keychain only).
pub fn allow_env_keys() {
    choice::allow_env_keys()
}

/// The provider as dreams would use it now. The key itself never leaves the keychain.
pub fn status(conn: &Connection) -> Result<ProviderStatus> {
    choice::status(conn, &Keychain::default())
}

/// Choose the provider, or turn the AI tier off with `None`.
pub fn set(conn: &Connection, config: Option<ProviderConfig>) -> Result<ProviderStatus> {
    match config {
        Some(c) => choice::save(conn, &c)?,
        None => choice::clear(conn)?,
    }
    status(conn)
}

/// A change to some of the provider's settings; `None` keeps what is stored.
#[derive(Debug, Clone, Default)]
pub struct ProviderChange {
    /// `Some(None)` turns the AI tier off.
    pub kind: Option<Option<ProviderKind>>,
    /// `Some("")` goes back to the default address.
    pub base_url: Option<String>,
    /// `Some("")` goes back to the default model.
    pub model: Option<String>,
    pub use_batches: Option<bool>,
}

/// Change some settings and keep the rest. Switching kind forgets the other kind's address
/// and model.
pub fn change(conn: &Connection, c: ProviderChange) -> Result<ProviderStatus> {
    if c.kind == Some(None) {
        return set(conn, None);
    }
    let old = choice::load(conn)?;
    let kind = match (c.kind.flatten(), &old) {
        (Some(k), _) => k,
        (None, Some(o)) => o.kind,
        (None, None) => {
            return Err(Error::invalid_field(
                "kind",
                "say which provider: anthropic or openai",
            ))
        }
    };
    let keep = old.filter(|o| o.kind == kind);
    let text = |new: Option<String>, old: Option<String>| match new {
        Some(v) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
        None => old,
    };
    let config = ProviderConfig {
        kind,
        base_url: text(c.base_url, keep.as_ref().and_then(|o| o.base_url.clone())),
        model: text(c.model, keep.as_ref().and_then(|o| o.model.clone())),
        use_batches: c
            .use_batches
            .unwrap_or_else(|| keep.as_ref().is_some_and(|o| o.use_batches)),
    };
    set(conn, Some(config))
}

/// Whose key a key command means: `kind` when given, else the chosen provider's (Anthropic
/// when none is chosen).
pub fn key_kind(conn: &Connection, kind: Option<ProviderKind>) -> Result<ProviderKind> {
    Ok(match kind {
        Some(k) => k,
        None => choice::load(conn)?
            .map(|c| c.kind)
            .unwrap_or(ProviderKind::Anthropic),
    })
}

/// Store an API key in the OS keychain, for the server `kind` uses now (keys are kept per
/// provider and server). The key is wrapped at once so it cannot be logged.
pub fn key_set(conn: &Connection, kind: ProviderKind, key: String) -> Result<()> {
    let key = Secret::new(key.trim());
    if key.expose().is_empty() {
        return Err(Error::invalid_field(
            "key",
            "the key is empty; paste the whole key",
        ));
    }
    choice::set_key(conn, kind, &key, &Keychain::default())
}

/// Remove the key from the keychain; `false` if there was none.
pub fn key_remove(conn: &Connection, kind: ProviderKind) -> Result<bool> {
    choice::remove_key(conn, kind, &Keychain::default())
}

/// The smallest real request: does the provider answer, and does it accept the key?
pub fn test(conn: &Connection) -> Result<String> {
    let Some(p) = choice::resolve(conn, None, &Keychain::default())? else {
        return Err(Error::NoProvider(
            "no AI provider is chosen; choose one first".into(),
        ));
    };
    p.test(&AtomicBool::new(false))
}

/// What each provider uses when a field is left empty, with help in words, for Settings.
pub fn defaults() -> Vec<ProviderDefaults> {
    ProviderKind::ALL.iter().map(|k| k.defaults()).collect()
}
