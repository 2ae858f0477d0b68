//! Sign-in against the emulator over loopback: `jtui login` checks before it saves,
//! each failure has its own message, scoped tokens go through the gateway, and the
//! token is never printed or written outside the keyring.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jtui::cli::account::{self, LoginArgs, Prompter};
use jtui::config::{self, AuthMode};
use jtui::emulator::{seed, server};
use jtui::jira::ApiToken;
use jtui::secrets::{MemoryStore, TokenStore};
use jtui::session::{self, EnvVars, SessionError, TokenSource};

/// A scripted user: answers in order, and everything said is kept.
#[derive(Default)]
struct Script {
    answers: Vec<String>,
    said: Vec<String>,
}

impl Prompter for Script {
    fn line(&mut self, prompt: &str) -> std::io::Result<String> {
        self.said.push(prompt.to_owned());
        Ok(self.answers.remove(0))
    }
    fn secret(&mut self, prompt: &str) -> std::io::Result<String> {
        self.line(prompt)
    }
    fn say(&mut self, text: &str) {
        self.said.push(text.to_owned());
    }
    fn interactive(&self) -> bool {
        true
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jtui-login-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn emulator() -> server::RunningEmulator {
    server::start(seed::demo_store(50), server::ServerOptions::default())
        .await
        .unwrap()
}

fn everything_written(dir: &Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            out.push_str(&std::fs::read_to_string(path).unwrap_or_default());
        }
    }
    out
}

async fn login_with(
    site: &str,
    token: &str,
    scoped: bool,
    config_path: &Path,
    store: Arc<MemoryStore>,
) -> (anyhow::Result<()>, Script) {
    let mut script = Script {
        // The last answer skips the expiry date question.
        answers: vec![
            site.into(),
            seed::DEMO_EMAIL.into(),
            token.into(),
            String::new(),
        ],
        said: vec![],
    };
    let args = LoginArgs {
        scoped,
        ..LoginArgs::default()
    };
    let result = account::login(
        args,
        None,
        &EnvVars::default(),
        store,
        config_path,
        &mut script,
    )
    .await;
    (result, script)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_checks_then_stores_token_in_keyring_and_site_in_config() {
    let emulator = emulator().await;
    let dir = temp_dir("ok");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    let (result, script) = login_with(
        &emulator.base_url,
        seed::DEMO_TOKEN,
        false,
        &path,
        store.clone(),
    )
    .await;
    result.unwrap();
    assert!(
        script
            .said
            .iter()
            .any(|s| s.contains("https://id.atlassian.com/manage-profile/security/api-tokens"))
    );
    assert!(script.said.iter().any(|s| s.contains("Signed in to")));
    assert_eq!(
        store.get("default").unwrap().unwrap().expose_secret(),
        seed::DEMO_TOKEN
    );

    let loaded = config::load_optional(&path).unwrap().unwrap();
    let (name, profile) = loaded.config.profile(None).unwrap();
    assert_eq!(name, "default");
    assert_eq!(profile.site, emulator.base_url);
    assert_eq!(profile.email, seed::DEMO_EMAIL);
    assert_eq!(profile.auth, AuthMode::Classic);
    assert!(profile.token_stored_at.is_some());
    assert!(
        !everything_written(&dir).contains(seed::DEMO_TOKEN),
        "the token never reaches the config"
    );
    assert!(
        !script.said.join("\n").contains(seed::DEMO_TOKEN),
        "nor the screen"
    );

    // The stored session works end to end.
    let session = session::resolve(
        &EnvVars::default(),
        Some(&loaded.config),
        None,
        store.as_ref(),
    )
    .unwrap();
    assert_eq!(session.source, TokenSource::Keyring("memory".into()));
    let me = session.client().unwrap().myself().await.unwrap();
    assert_eq!(me.account_id, seed::DEMO_ACCOUNT_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_is_rejected_and_nothing_is_saved() {
    let emulator = emulator().await;
    let dir = temp_dir("bad");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    let (result, script) = login_with(
        &emulator.base_url,
        "wrong-token",
        false,
        &path,
        store.clone(),
    )
    .await;
    let message = result.unwrap_err().to_string();
    assert!(message.contains("rejected the API token"), "{message}");
    assert!(message.contains("Nothing was saved"), "{message}");
    assert!(!message.contains("wrong-token"));
    assert!(!script.said.join("\n").contains("wrong-token"));
    assert!(store.get("default").unwrap().is_none());
    assert!(!path.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_site_and_a_site_that_is_not_jira_say_so() {
    let dir = temp_dir("site");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());

    // Nothing listens here: bind a port, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (result, _) = login_with(
        &format!("http://127.0.0.1:{port}"),
        "t",
        false,
        &path,
        store.clone(),
    )
    .await;
    let message = result.unwrap_err().to_string();
    assert!(message.contains("could not reach"), "{message}");

    // Something answers, but it is not Jira.
    let app = axum::Router::new()
        .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "<html>nope</html>") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (result, _) = login_with(&format!("http://{addr}"), "t", false, &path, store.clone()).await;
    let message = result.unwrap_err().to_string();
    assert!(
        message.contains("does not look like a Jira Cloud site"),
        "{message}"
    );

    // Plain http to a real host is refused before anything is sent.
    let (result, _) = login_with(
        "http://acme.atlassian.net",
        "t",
        false,
        &path,
        store.clone(),
    )
    .await;
    assert!(result.unwrap_err().to_string().contains("https"));
    assert!(store.get("default").unwrap().is_none());
    assert!(!path.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scoped_token_is_detected_and_used_through_the_gateway() {
    let emulator = emulator().await;
    let dir = temp_dir("scoped");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    // Not told it is scoped: the site's 401 leads to tenant_info and the gateway.
    let (result, script) = login_with(
        &emulator.base_url,
        seed::DEMO_SCOPED_TOKEN,
        false,
        &path,
        store.clone(),
    )
    .await;
    result.unwrap();
    assert!(
        script.said.iter().any(|s| s.contains("/ex/jira/")),
        "{:?}",
        script.said
    );
    let loaded = config::load_optional(&path).unwrap().unwrap();
    let (_, profile) = loaded.config.profile(None).unwrap();
    assert_eq!(profile.auth, AuthMode::Scoped);
    assert_eq!(profile.cloud_id.as_deref(), Some(server::CLOUD_ID));

    let session = session::resolve(
        &EnvVars::default(),
        Some(&loaded.config),
        None,
        store.as_ref(),
    )
    .unwrap();
    assert!(session.is_scoped());
    assert!(
        session
            .api_base
            .as_str()
            .ends_with(&format!("/ex/jira/{}", server::CLOUD_ID))
    );
    let client = session.client().unwrap();
    assert_eq!(
        client.myself().await.unwrap().account_id,
        seed::DEMO_ACCOUNT_ID
    );
    assert_eq!(
        client.browse_url("NAV-1").as_str(),
        format!("{}/browse/NAV-1", emulator.base_url)
    );

    // The same token on the site itself is refused, as Jira Cloud does.
    let direct = jtui::jira::JiraClient::new(
        url::Url::parse(&emulator.base_url).unwrap(),
        jtui::jira::Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_SCOPED_TOKEN)),
    )
    .unwrap();
    assert!(matches!(
        direct.myself().await,
        Err(jtui::jira::JiraError::Unauthorized { .. })
    ));

    // And `--scoped` goes straight to the gateway.
    let dir = temp_dir("scoped-flag");
    let path = dir.join("config.toml");
    let (result, _) = login_with(
        &emulator.base_url,
        seed::DEMO_SCOPED_TOKEN,
        true,
        &path,
        Arc::new(MemoryStore::default()),
    )
    .await;
    result.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_logout_never_print_the_token() {
    let emulator = emulator().await;
    let dir = temp_dir("status");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    login_with(
        &emulator.base_url,
        seed::DEMO_TOKEN,
        false,
        &path,
        store.clone(),
    )
    .await
    .0
    .unwrap();
    let config = config::load_optional(&path).unwrap().unwrap().config;

    let mut script = Script::default();
    account::status(
        &EnvVars::default(),
        Some(&config),
        None,
        store.clone(),
        &mut script,
    )
    .await
    .unwrap();
    let out = script.said.join("\n");
    assert!(
        out.contains(&emulator.base_url) && out.contains(seed::DEMO_EMAIL),
        "{out}"
    );
    assert!(
        out.contains("OS keyring (memory)") && out.contains("accepts it"),
        "{out}"
    );
    assert!(!out.contains(seed::DEMO_TOKEN));

    // JIRA_API_TOKEN wins over the keyring, and a wrong one is reported, not printed.
    let env = EnvVars {
        token: Some("env-token-xyz".into()),
        ..EnvVars::default()
    };
    let mut script = Script::default();
    let err = account::status(&env, Some(&config), None, store.clone(), &mut script)
        .await
        .unwrap_err();
    let out = format!("{}\n{err}", script.said.join("\n"));
    assert!(
        out.contains("JIRA_API_TOKEN") && out.contains("does not accept"),
        "{out}"
    );
    assert!(!out.contains("env-token-xyz"));

    let mut script = Script::default();
    account::logout(None, false, Some(&config), store.clone(), &mut script)
        .await
        .unwrap();
    let out = script.said.join("\n");
    assert!(
        out.contains("Removed the API token of profile 'default'"),
        "{out}"
    );
    assert!(out.contains("https://id.atlassian.com/manage-profile/security/api-tokens"));
    assert!(store.get("default").unwrap().is_none());
}

#[test]
fn resolution_order_env_then_keyring() {
    let store = MemoryStore::default();
    // Nothing at all: the welcome screen's case.
    assert!(matches!(
        session::resolve(&EnvVars::default(), None, None, &store),
        Err(SessionError::NotConfigured)
    ));
    // The environment alone makes a whole session.
    let env = EnvVars {
        base_url: Some("https://acme.atlassian.net".into()),
        email: Some("me@acme.example".into()),
        token: Some("tok-env".into()),
        gateway: None,
    };
    let s = session::resolve(&env, None, None, &store).unwrap();
    assert_eq!(s.source, TokenSource::Env);
    assert_eq!(s.site.as_str(), "https://acme.atlassian.net/");
    assert!(
        !format!("{s:?} {env:?}").contains("tok-env"),
        "Debug redacts the token"
    );
    // A profile asked for but no config.
    assert!(matches!(
        session::resolve(&env, None, Some("work"), &store),
        Err(SessionError::UnknownProfile(_))
    ));
}

#[test]
fn sites_are_normalised() {
    let n = |s: &str| session::normalize_site(s).map(|u| u.to_string());
    assert_eq!(n("acme").unwrap(), "https://acme.atlassian.net/");
    assert_eq!(
        n("acme.atlassian.net").unwrap(),
        "https://acme.atlassian.net/"
    );
    assert_eq!(
        n("https://acme.atlassian.net/jira/software/projects/NAV").unwrap(),
        "https://acme.atlassian.net/"
    );
    assert_eq!(
        n("http://127.0.0.1:8080/").unwrap(),
        "http://127.0.0.1:8080/"
    );
    assert!(n("http://acme.atlassian.net").is_err());
    assert!(n("ftp://acme").is_err());
    assert!(n("https://user:pw@acme.atlassian.net").is_err());
    assert!(n("  ").is_err());
}
