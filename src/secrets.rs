//! Where the Atlassian API token lives between runs: the OS keyring, one entry per profile.
//!
//! Everything goes through [`TokenStore`]: [`KeyringStore`] for the platform's native
//! store and [`MemoryStore`] for tests. The token is looked up in a fixed order:
//! the `JIRA_API_TOKEN` environment variable first (see [`resolve_token`]), then the store.
//!
//! # Entry names
//!
//! Every store keeps one entry per jtui profile, under the service [`SERVICE`] with the
//! profile name as the account. [`KeyringStore::entry_name`] gives the exact name per
//! backend:
//!
//! | backend | entry |
//! |---|---|
//! | macOS Keychain | generic password, service `jtui`, account `<profile>` |
//! | Windows Credential Manager | generic credential, target `<profile>.jtui` |
//! | Secret Service | item with attributes `service=jtui`, `username=<profile>`, `target=default` |
//! | kernel keyutils (user keyring) | `user` key `jtui:<profile>` in the user keyring (`@u`) |
//!
//! # Blocking
//!
//! Store methods block (a D-Bus round trip, a keychain call). From async code, call them
//! through `tokio::task::spawn_blocking`.

mod error;
#[cfg(target_os = "linux")]
mod keyutils;
mod memory;
mod native;

use std::sync::Arc;

pub use error::{SecretError, StoreAction};
pub use memory::MemoryStore;
pub use native::{KeyringStore, OP_TIMEOUT, PROBE_TIMEOUT};

use crate::jira::ApiToken;

/// The service every entry is filed under; the account is the profile name.
pub const SERVICE: &str = "jtui";
/// The environment variable that overrides the stored token for one session.
pub const TOKEN_ENV: &str = "JIRA_API_TOKEN";
/// Longest profile name accepted. Keyrings limit attribute lengths differently; this is
/// far below all of them and far above any name a person types.
pub const MAX_PROFILE_LEN: usize = 128;

/// A place that keeps one API token per jtui profile.
///
/// Every method may block; see the [module docs](self). Implementations never put the
/// token into an error or a `Debug` output.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The token stored for `profile`, or `None` when there is none.
    fn get(&self, profile: &str) -> Result<Option<ApiToken>, SecretError>;
    /// Stores `token` for `profile`, replacing any previous one.
    fn set(&self, profile: &str, token: &ApiToken) -> Result<(), SecretError>;
    /// Removes the token of `profile`; `true` when there was one.
    fn delete(&self, profile: &str) -> Result<bool, SecretError>;
    /// The store's name for people: "Secret Service", "macOS Keychain", "memory", ...
    fn backend(&self) -> &str;
    /// Whether a stored token outlives a reboot (the kernel keyring does not).
    fn survives_reboot(&self) -> bool {
        true
    }
}

/// The platform's keyring, chosen as [`KeyringStore::detect`] does (which blocks for a
/// moment to probe the Secret Service on Linux). Shared, so it can move into
/// `spawn_blocking` closures.
pub fn default_store() -> Arc<dyn TokenStore> {
    Arc::new(KeyringStore::detect())
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// The `JIRA_API_TOKEN` environment variable.
    Env,
    /// The token store.
    Store,
}

/// `JIRA_API_TOKEN`, trimmed; `None` when unset or blank.
pub fn env_token() -> Option<ApiToken> {
    token_from_env_value(std::env::var(TOKEN_ENV).ok())
}

/// Applies [`env_token`]'s rules to a value read elsewhere.
pub fn token_from_env_value(value: Option<String>) -> Option<ApiToken> {
    // A token pasted with a trailing newline is still the same token.
    let value = value?;
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| ApiToken::new(trimmed))
}

/// The token for `profile` in the documented order: `env` (the value of
/// `JIRA_API_TOKEN`, see [`env_token`]) first; the store is not asked at all then.
/// Blocks like the store does.
pub fn resolve_token(
    env: Option<ApiToken>,
    store: &dyn TokenStore,
    profile: &str,
) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
    if let Some(token) = env {
        return Ok(Some((token, TokenSource::Env)));
    }
    Ok(store.get(profile)?.map(|token| (token, TokenSource::Store)))
}

/// Checks a profile name before it becomes part of a keyring entry.
pub fn validate_profile(profile: &str) -> Result<(), SecretError> {
    let reason = if profile.is_empty() {
        "it is empty".to_owned()
    } else if profile.trim() != profile {
        "it starts or ends with white space".to_owned()
    } else if profile.chars().count() > MAX_PROFILE_LEN {
        format!("it is longer than {MAX_PROFILE_LEN} characters")
    } else if profile.chars().any(char::is_control) {
        "it contains control characters".to_owned()
    } else {
        return Ok(());
    };
    Err(SecretError::InvalidProfile {
        profile: profile.escape_debug().to_string(),
        reason,
    })
}

/// Rejects tokens no store can keep: keyutils refuses empty keys, and an empty token
/// would only fail later at Jira.
fn validate_token(token: &ApiToken) -> Result<(), SecretError> {
    if token.expose_secret().trim().is_empty() {
        Err(SecretError::EmptyToken)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_checked() {
        assert!(validate_profile("default").is_ok());
        assert!(validate_profile("work-site.atlassian.net").is_ok());
        assert!(validate_profile("ünïcode").is_ok());
        for bad in ["", " x", "x ", "a\nb", "a\u{1b}[31m"] {
            let err = validate_profile(bad).unwrap_err();
            assert!(
                matches!(err, SecretError::InvalidProfile { .. }),
                "{bad:?}: {err:?}"
            );
        }
        assert!(validate_profile(&"p".repeat(MAX_PROFILE_LEN)).is_ok());
        assert!(validate_profile(&"p".repeat(MAX_PROFILE_LEN + 1)).is_err());
        // The message names the bad profile without echoing raw control characters.
        let message = validate_profile("a\u{1b}b").unwrap_err().to_string();
        assert!(!message.contains('\u{1b}'), "{message}");
        assert!(message.contains("control characters"), "{message}");
    }

    #[test]
    fn env_values_are_trimmed_and_blank_means_unset() {
        assert_eq!(token_from_env_value(None), None);
        assert_eq!(token_from_env_value(Some("  \n".into())), None);
        assert_eq!(
            token_from_env_value(Some(" tok-123\n".into())),
            Some(ApiToken::new("tok-123"))
        );
    }

    #[test]
    fn empty_tokens_are_refused() {
        assert!(matches!(
            validate_token(&ApiToken::new(" ")),
            Err(SecretError::EmptyToken)
        ));
        assert!(validate_token(&ApiToken::new("t")).is_ok());
    }
}
