//! API keys in the OS keychain (Keychain on macOS, Credential Manager on Windows, Secret
//! Service with a kernel keyutils cache on Linux), and [`Secret`], the one type a key lives in
//! while Reverie holds it. A key never reaches the database, a log, an export, an error message
//! or anything serialized: `Secret` redacts itself and refuses to serialize.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Result};

/// Release builds keep their keys apart from development builds, so testing never touches a
/// person's real key.
pub const SERVICE_RELEASE: &str = "app.reverie.desktop";
pub const SERVICE_DEV: &str = "app.reverie.desktop.dev";
/// Overrides the keychain service name (tests use a throwaway one).
pub const SERVICE_ENV: &str = "REVERIE_KEYCHAIN_SERVICE";
/// Linux only: `keyutils` (kernel keyring, gone at reboot; works without D-Bus) or
/// `secret-service` (GNOME Keyring, KWallet). Unset: Secret Service with a keyutils cache.
pub const BACKEND_ENV: &str = "REVERIE_KEYCHAIN_BACKEND";

/// A secret string. Shows as `[redacted]`, refuses to serialize; read it with [`Secret::expose`]
/// only where it leaves the process for its one purpose (an HTTP header).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of this secret replaced by `[redacted]`.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret is never serialized"))
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed; a best effort, not a guarantee.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

/// The keychain service name for this build (or [`SERVICE_ENV`] when set).
pub fn service() -> String {
    match std::env::var(SERVICE_ENV) {
        Ok(s) if !s.trim().is_empty() => s,
        _ if cfg!(debug_assertions) => SERVICE_DEV.to_string(),
        _ => SERVICE_RELEASE.to_string(),
    }
}

/// One service's entries in the OS keychain.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Keychain { service: service() }
    }
}

impl Keychain {
    pub fn with_service(service: impl Into<String>) -> Self {
        Keychain {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The secret stored under `account`; `Ok(None)` when there is none.
    pub fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.entry(account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable("read the key from", e)),
        }
    }

    /// Store (add or replace) the secret under `account`.
    pub fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        if secret.expose().trim().is_empty() {
            return Err(Error::invalid("the key is empty"));
        }
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(|e| unavailable("store the key in", e))
    }

    /// Remove the secret under `account`. `Ok(false)` when there was none.
    pub fn remove(&self, account: &str) -> Result<bool> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable("remove the key from", e)),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        let backend = std::env::var(BACKEND_ENV).unwrap_or_default();
        let made = match backend.as_str() {
            #[cfg(target_os = "linux")]
            "keyutils" => {
                keyring::keyutils::KeyutilsCredential::new_with_target(None, &self.service, account)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(target_os = "linux")]
            "secret-service" => {
                keyring::secret_service::SsCredential::new_with_target(None, &self.service, account)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
            _ => keyring::Entry::new(&self.service, account),
        };
        made.map_err(|e| unavailable("open", e))
    }
}

/// A keychain failure as a readable error. Never formats a `BadEncoding` payload (the bytes
/// could be a key).
fn unavailable(what: &str, e: keyring::Error) -> Error {
    let why = match &e {
        keyring::Error::BadEncoding(_) => "the stored key is not valid text".to_string(),
        keyring::Error::NoStorageAccess(_) => {
            format!("the keychain is locked or unreachable ({e})")
        }
        keyring::Error::PlatformFailure(_) => format!("the keychain failed ({e})"),
        keyring::Error::Ambiguous(_) => "more than one key matches".to_string(),
        _ => e.to_string(),
    };
    Error::KeychainLocked(format!(
        "could not {what} the system keychain: {why}. On a machine without a keychain, set \
         ANTHROPIC_API_KEY or OPENAI_API_KEY for the command line instead"
    ))
}

/// The shapes of API keys, tokens and private keys of the common families, with what each is
/// in words. The safety check flags them in proposals; [`redact_key_shapes`] removes them from
/// what a provider's error says before anything is stored or shown.
static KEY_SHAPES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"sk-ant-[A-Za-z0-9_-]{8,}", "an Anthropic API key"),
        (
            r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}",
            "an OpenAI-style API key",
        ),
        (
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b",
            "an AWS access key",
        ),
        (r"\bgh[pousr]_[A-Za-z0-9]{20,}", "a GitHub token"),
        (r"\bgithub_pat_[A-Za-z0-9_]{20,}", "a GitHub token"),
        (r"\bglpat-[A-Za-z0-9_-]{20,}", "a GitLab token"),
        (r"\bxox[abposr]-[A-Za-z0-9-]{10,}", "a Slack token"),
        (r"\bAIza[0-9A-Za-z_-]{30,}", "a Google API key"),
        (
            r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}",
            "a Stripe key",
        ),
        (r"\bhf_[A-Za-z0-9]{30,}", "a Hugging Face token"),
        (r"\bnpm_[A-Za-z0-9]{30,}", "an npm token"),
        (
            r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
            "a JSON web token",
        ),
        (
            r"-----BEGIN [A-Z0-9 ]*(?:KEY|CERTIFICATE|PGP)[A-Z0-9 ]*-----",
            "a private key or certificate",
        ),
        (
            r"\bssh-(?:rsa|ed25519|dss) AAAA[0-9A-Za-z+/]{20,}",
            "an SSH key",
        ),
    ]
    .into_iter()
    .map(|(p, what)| (Regex::new(p).expect("valid pattern"), what))
    .collect()
});

pub fn key_shapes() -> &'static [(Regex, &'static str)] {
    &KEY_SHAPES
}

/// `text` with anything shaped like a key replaced by `[redacted]`.
pub fn redact_key_shapes(text: &str) -> String {
    let mut out = text.to_string();
    for (r, _) in KEY_SHAPES.iter() {
        out = r.replace_all(&out, "[redacted]").into_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_redacts_itself_and_refuses_to_serialize() {
        let s = Secret::new("sk-ant-api03-abcdefghijklmnop");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(format!("{s}"), "[redacted]");
        assert!(serde_json::to_string(&s).is_err());
        assert_eq!(
            s.scrub("bad key sk-ant-api03-abcdefghijklmnop here"),
            "bad key [redacted] here"
        );
    }

    #[test]
    fn key_shaped_text_is_redacted() {
        let t = redact_key_shapes(
            "bad key sk-ant-api03-abcdefghijklmnop and ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123 end",
        );
        assert_eq!(t, "bad key [redacted] and [redacted] end");
    }

    #[test]
    fn dev_builds_use_their_own_service_name() {
        if std::env::var(SERVICE_ENV).is_err() {
            assert_eq!(service(), SERVICE_DEV);
        }
    }
}
