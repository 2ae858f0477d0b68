//! An in-memory [`TokenStore`] for tests and for runs that must not touch the OS keyring.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::{SecretError, TokenStore, validate_profile, validate_token};
use crate::jira::ApiToken;

/// Tokens in a map behind a mutex. Clones share the map, so a test can hand one clone
/// to the code under test and inspect another.
#[derive(Clone, Default)]
pub struct MemoryStore {
    tokens: Arc<Mutex<BTreeMap<String, ApiToken>>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A store that already holds `token` for `profile`.
    pub fn with_token(profile: impl Into<String>, token: impl Into<ApiToken>) -> MemoryStore {
        let store = MemoryStore::new();
        store.lock().insert(profile.into(), token.into());
        store
    }

    /// The profiles that have a token, sorted.
    pub fn profiles(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, ApiToken>> {
        // A panic elsewhere while holding the lock leaves the map consistent (every
        // operation is a single map call), so poisoning is no reason to fail.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("profiles", &self.profiles())
            .finish_non_exhaustive()
    }
}

impl TokenStore for MemoryStore {
    fn get(&self, profile: &str) -> Result<Option<ApiToken>, SecretError> {
        validate_profile(profile)?;
        Ok(self.lock().get(profile).cloned())
    }

    fn set(&self, profile: &str, token: &ApiToken) -> Result<(), SecretError> {
        validate_profile(profile)?;
        validate_token(token)?;
        self.lock().insert(profile.to_owned(), token.clone());
        Ok(())
    }

    fn delete(&self, profile: &str) -> Result<bool, SecretError> {
        validate_profile(profile)?;
        Ok(self.lock().remove(profile).is_some())
    }

    fn backend(&self) -> &str {
        "memory"
    }
}
