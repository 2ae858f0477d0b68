//! The token store contract on the in-memory store, the lookup order (environment first,
//! then the store), and that nothing holding a token prints it.

use std::sync::Arc;

use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::secrets::{
    KeyringStore, MemoryStore, SecretError, StoreAction, TokenSource, TokenStore, resolve_token,
    token_from_env_value,
};

const TOKEN: &str = "ATATT3xFfGF0-very-secret-token-value";

/// A store whose every call fails, to prove a lookup never reached it.
#[derive(Debug)]
struct BrokenStore;

impl TokenStore for BrokenStore {
    fn get(&self, profile: &str) -> Result<Option<ApiToken>, SecretError> {
        Err(broken(StoreAction::Read, profile))
    }
    fn set(&self, profile: &str, _token: &ApiToken) -> Result<(), SecretError> {
        Err(broken(StoreAction::Store, profile))
    }
    fn delete(&self, profile: &str) -> Result<bool, SecretError> {
        Err(broken(StoreAction::Delete, profile))
    }
    fn backend(&self) -> &str {
        "broken"
    }
}

fn broken(action: StoreAction, profile: &str) -> SecretError {
    SecretError::Backend {
        backend: "broken",
        action,
        profile: profile.to_owned(),
        detail: "always fails".into(),
    }
}

#[test]
fn memory_store_keeps_one_token_per_profile() {
    let store = MemoryStore::new();
    assert_eq!(store.backend(), "memory");
    assert_eq!(store.get("work").unwrap(), None);
    assert!(!store.delete("work").unwrap());

    store.set("work", &ApiToken::new("work-1")).unwrap();
    store.set("home", &ApiToken::new("home-1")).unwrap();
    assert_eq!(store.get("work").unwrap(), Some(ApiToken::new("work-1")));

    store.set("work", &ApiToken::new("work-2")).unwrap();
    assert_eq!(store.get("work").unwrap(), Some(ApiToken::new("work-2")));
    assert_eq!(store.profiles(), ["home", "work"]);

    assert!(store.delete("work").unwrap());
    assert!(!store.delete("work").unwrap());
    assert_eq!(store.get("work").unwrap(), None);
    assert_eq!(store.get("home").unwrap(), Some(ApiToken::new("home-1")));
}

#[test]
fn memory_store_clones_share_their_tokens() {
    let store = MemoryStore::new();
    let handed_out: Arc<dyn TokenStore> = Arc::new(store.clone());
    handed_out.set("default", &ApiToken::new(TOKEN)).unwrap();
    assert_eq!(store.get("default").unwrap(), Some(ApiToken::new(TOKEN)));
    assert!(store.delete("default").unwrap());
    assert_eq!(handed_out.get("default").unwrap(), None);
}

#[test]
fn memory_store_is_safe_to_share_between_threads() {
    let store = MemoryStore::new();
    let writers: Vec<_> = (0..8)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .set(&format!("p{n}"), &ApiToken::new(format!("t{n}")))
                    .unwrap();
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(store.profiles().len(), 8);
    assert_eq!(store.get("p5").unwrap(), Some(ApiToken::new("t5")));
}

#[test]
fn stores_refuse_bad_profiles_and_empty_tokens() {
    let store = MemoryStore::new();
    for bad in ["", " padded ", "line\nbreak"] {
        assert!(
            matches!(store.get(bad), Err(SecretError::InvalidProfile { .. })),
            "{bad:?}"
        );
        assert!(matches!(
            store.set(bad, &ApiToken::new("t")),
            Err(SecretError::InvalidProfile { .. })
        ));
        assert!(matches!(
            store.delete(bad),
            Err(SecretError::InvalidProfile { .. })
        ));
    }
    assert!(matches!(
        store.set("default", &ApiToken::new("")),
        Err(SecretError::EmptyToken)
    ));
    assert!(store.profiles().is_empty());

    // The keyring store checks the same before it touches any keyring.
    let keyring = KeyringStore::detect();
    assert!(matches!(
        keyring.set("", &ApiToken::new("t")),
        Err(SecretError::InvalidProfile { .. })
    ));
    assert!(matches!(
        keyring.set("default", &ApiToken::new("  ")),
        Err(SecretError::EmptyToken)
    ));
}

#[test]
fn the_environment_wins_and_the_store_is_not_asked() {
    let env = token_from_env_value(Some(format!("{TOKEN}\n")));
    let (token, source) = resolve_token(env, &BrokenStore, "default")
        .unwrap()
        .unwrap();
    assert_eq!(token, ApiToken::new(TOKEN));
    assert_eq!(source, TokenSource::Env);
}

#[test]
fn without_the_environment_the_store_answers() {
    let store = MemoryStore::with_token("default", TOKEN);
    let blank_env = token_from_env_value(Some("   ".into()));
    assert_eq!(
        resolve_token(blank_env, &store, "default").unwrap(),
        Some((ApiToken::new(TOKEN), TokenSource::Store))
    );
    assert_eq!(resolve_token(None, &store, "other").unwrap(), None);
    let err = resolve_token(None, &BrokenStore, "default").unwrap_err();
    assert!(err.to_string().contains("Set JIRA_API_TOKEN"), "{err}");
}

#[test]
fn nothing_that_holds_a_token_prints_it() {
    let token = ApiToken::new(TOKEN);
    let memory = MemoryStore::with_token("default", token.clone());
    let shared: Arc<dyn TokenStore> = Arc::new(memory.clone());
    let boxed: Box<dyn TokenStore> = Box::new(memory.clone());
    let credentials = Credentials::new("me@example.com", token.clone());
    let client = JiraClient::new(
        url::Url::parse("https://example.atlassian.net").unwrap(),
        credentials.clone(),
    )
    .unwrap();
    let resolved = resolve_token(Some(token.clone()), &memory, "default").unwrap();
    let looked_up = memory.get("default");

    let printed = [
        format!("{token:?}"),
        format!("{token}"),
        format!("{memory:?}"),
        format!("{memory:#?}"),
        format!("{shared:?}"),
        format!("{boxed:?}"),
        format!("{credentials:?}"),
        format!("{client:?}"),
        format!("{resolved:?}"),
        format!("{looked_up:?}"),
        format!("{:?}", KeyringStore::detect()),
    ];
    for text in &printed {
        assert!(!text.contains(TOKEN), "token printed: {text}");
        assert!(
            !text.contains("very-secret"),
            "part of the token printed: {text}"
        );
    }
    assert!(printed[0] == "***" && printed[1] == "***");
    assert!(printed[2].contains("default"), "{}", printed[2]);
}
