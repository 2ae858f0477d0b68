//! The API token in a real Secret Service (GNOME Keyring in CI) through `KeyringStore`.
//!
//! CI runs these inside a D-Bus session with an unlocked GNOME Keyring and sets
//! `JTUI_TEST_SECRET_SERVICE=1`, which turns a missing Secret Service into a failure.
//! Elsewhere (no Secret Service running) they end early with a note.
#![cfg(target_os = "linux")]

mod support {
    pub mod secrets;
}

use std::sync::Arc;
use std::time::Duration;

use jtui::jira::ApiToken;
use jtui::secrets::{KeyringStore, TokenStore};
use support::secrets::{Forget, unavailable, unique_profile, within};

/// Set to 1 by CI: the Secret Service must be there.
const REQUIRE: &str = "JTUI_TEST_SECRET_SERVICE";
const BACKEND: &str = "Secret Service";
/// Well above the store's own per-call timeout, so a hang shows up as that error first.
const WATCHDOG: Duration = Duration::from_secs(300);

/// The Secret Service store, explicitly (no fallback); `None` after a note where none runs
/// and none is required.
fn secret_service() -> Option<KeyringStore> {
    let detected = KeyringStore::detect();
    if detected.backend() == BACKEND {
        return Some(KeyringStore::secret_service());
    }
    let why = detected
        .fallback_reason()
        .unwrap_or("detect() chose another backend")
        .to_owned();
    unavailable(REQUIRE, BACKEND, &why);
    None
}

#[test]
fn stores_reads_overwrites_and_deletes_a_token() {
    let Some(store) = secret_service() else {
        return;
    };
    assert_eq!(store.backend(), BACKEND);
    let profile = unique_profile("ss-round-trip");
    let _forget = Forget {
        store: &store,
        profile: profile.clone(),
    };

    assert_eq!(store.get(&profile).unwrap(), None);
    assert!(!store.delete(&profile).unwrap(), "nothing to delete yet");

    let first = ApiToken::new("ATATT-first-token-for-the-secret-service");
    store.set(&profile, &first).unwrap();
    assert_eq!(store.get(&profile).unwrap(), Some(first));

    // Overwriting replaces the item rather than adding a second one: a second item would
    // make the next read ambiguous.
    let second = ApiToken::new("ATATT-second-token-replaces-the-first");
    store.set(&profile, &second).unwrap();
    assert_eq!(store.get(&profile).unwrap(), Some(second));

    assert!(store.delete(&profile).unwrap());
    assert_eq!(store.get(&profile).unwrap(), None);
    assert!(!store.delete(&profile).unwrap(), "already gone");
}

#[test]
fn each_profile_is_its_own_entry() {
    let Some(store) = secret_service() else {
        return;
    };
    let work = unique_profile("ss-work");
    let home = unique_profile("ss-home");
    let _forget_work = Forget {
        store: &store,
        profile: work.clone(),
    };
    let _forget_home = Forget {
        store: &store,
        profile: home.clone(),
    };

    store.set(&work, &ApiToken::new("token-of-work")).unwrap();
    store.set(&home, &ApiToken::new("token-of-home")).unwrap();
    assert_eq!(
        store.get(&work).unwrap(),
        Some(ApiToken::new("token-of-work"))
    );
    assert!(store.delete(&home).unwrap());
    assert_eq!(
        store.get(&work).unwrap(),
        Some(ApiToken::new("token-of-work")),
        "deleting one profile leaves the other"
    );
    assert_eq!(store.get(&home).unwrap(), None);
}

#[test]
fn detect_prefers_a_running_secret_service() {
    let Some(_) = secret_service() else {
        return;
    };
    let detected = KeyringStore::detect();
    assert_eq!(detected.backend(), BACKEND);
    assert_eq!(detected.fallback_reason(), None);
    assert!(detected.survives_reboot());
    assert_eq!(
        detected.entry_name("default"),
        "item with service=\"jtui\", username=\"default\", target=\"default\""
    );
}

/// The CLI runs on a multi-thread tokio runtime. keyring's Secret Service client blocks on
/// a runtime of its own, which panics on a thread already inside one; the store must be
/// callable from `spawn_blocking` (the documented way), straight from a task, and from a
/// current-thread runtime, without a panic or a deadlock.
#[test]
fn calls_from_inside_tokio_runtimes_neither_panic_nor_deadlock() {
    let Some(store) = secret_service() else {
        return;
    };
    let store: Arc<dyn TokenStore> = Arc::new(store);
    let profile = unique_profile("ss-tokio");
    within(WATCHDOG, "Secret Service calls from tokio", move || {
        let _forget = Forget {
            store: store.as_ref(),
            profile: profile.clone(),
        };
        let token = ApiToken::new("token-written-from-spawn-blocking");

        let multi = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        multi.block_on(async {
            let (writer, name, written) = (store.clone(), profile.clone(), token.clone());
            tokio::task::spawn_blocking(move || writer.set(&name, &written))
                .await
                .unwrap()
                .unwrap();

            let (reader, name) = (store.clone(), profile.clone());
            let from_task = tokio::spawn(async move { reader.get(&name) })
                .await
                .unwrap()
                .unwrap();
            assert_eq!(from_task, Some(token.clone()));

            assert_eq!(store.get(&profile).unwrap(), Some(token.clone()));
        });
        drop(multi);

        let single = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        single.block_on(async {
            assert_eq!(store.get(&profile).unwrap(), Some(token.clone()));
            assert!(store.delete(&profile).unwrap());
            assert_eq!(store.get(&profile).unwrap(), None);
        });
    });
}

/// Why the store runs each call on a thread of its own: the blocking Secret Service client
/// panics when called from a thread inside a tokio runtime. If a new zbus stops doing
/// this, the isolation can be reconsidered; the test above keeps guarding the store.
#[test]
fn the_blocking_secret_service_client_panics_inside_a_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        tokio::spawn(async {
            secret_service::blocking::SecretService::connect(secret_service::EncryptionType::Dh)
                .map(drop)
        })
        .await
    });
    let join_error = outcome.expect_err("connecting from a runtime thread should panic");
    assert!(join_error.is_panic(), "{join_error}");
}
