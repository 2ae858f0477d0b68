//! The token lifecycle against the emulator over loopback: read-only sessions send no
//! writes (counted at the emulator), the permission probe tells a limited user from a full
//! one, expiry warnings come at fixed clock offsets, rotation checks the new token before
//! dropping the old one, logout --all empties the keyring, and a token revoked mid-session
//! is named as such.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod screen;
}

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::cli::account::{self, LoginArgs, Prompter, StatusOptions};
use jtui::config::{self, Config, Profile};
use jtui::emulator::store::Credential;
use jtui::emulator::{seed, server};
use jtui::jira::access::{Needed, READ_ONLY_POSTS, WRITE_SCOPE};
use jtui::jira::{ApiToken, Credentials, JiraClient, JiraError};
use jtui::secrets::{MemoryStore, TokenStore};
use jtui::session::{self, EnvVars, TOKEN_PAGE};
use reqwest::Method;
use serde_json::json;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 40;
/// A second classic token of the demo user, added to the emulator for rotation.
const NEW_TOKEN: &str = "jtui-demo-token-rotated";

/// A scripted user: answers in order, and everything said is kept.
#[derive(Default)]
struct Script {
    answers: Vec<String>,
    said: Vec<String>,
}

impl Script {
    fn answering(answers: &[&str]) -> Self {
        Self {
            answers: answers.iter().map(|a| (*a).to_owned()).collect(),
            said: Vec::new(),
        }
    }

    fn out(&self) -> String {
        self.said.join("\n")
    }
}

impl Prompter for Script {
    fn line(&mut self, prompt: &str) -> std::io::Result<String> {
        self.said.push(prompt.to_owned());
        assert!(!self.answers.is_empty(), "unexpected question: {prompt}");
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

/// Noon UTC on the demo site's "today", so the local date is the same in any time zone
/// from UTC-11 to UTC+11.
fn at(date: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{date}T12:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn day(date: &str) -> NaiveDate {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jtui-tokens-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn emulator() -> server::RunningEmulator {
    server::start(seed::demo_store(200), server::ServerOptions::default())
        .await
        .unwrap()
}

fn client(emulator: &server::RunningEmulator, email: &str, token: &str) -> JiraClient {
    JiraClient::new(
        url::Url::parse(&emulator.base_url).unwrap(),
        Credentials::new(email, ApiToken::new(token)),
    )
    .unwrap()
}

fn load(path: &Path) -> Config {
    config::load_optional(path).unwrap().unwrap().config
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> String {
    support::screen::app_screen(app, WIDTH, HEIGHT)
}

/// Signs the demo user in as profile `default` at `now`, the token given as on stdin.
async fn sign_in(
    emulator: &server::RunningEmulator,
    path: &Path,
    store: Arc<MemoryStore>,
    expires: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Script {
    let mut script = Script::default();
    let args = LoginArgs {
        site: Some(emulator.base_url.clone()),
        email: Some(seed::DEMO_EMAIL.into()),
        token_stdin: true,
        expires,
        now: Some(now),
        ..LoginArgs::default()
    };
    account::login(
        args,
        Some(ApiToken::new(seed::DEMO_TOKEN)),
        &EnvVars::default(),
        store,
        path,
        &mut script,
    )
    .await
    .unwrap();
    script
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_sends_no_write_at_all() {
    let emulator = emulator().await;
    let read_only = client(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN).with_read_only(true);
    let mut app = App::new(read_only.clone(), "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    assert!(app.state.read_only, "the app knows its client is read-only");

    // Browse as a user would: projects, a project's issues, an issue, a JQL search.
    app.start("updated >= -30d ORDER BY updated DESC");
    app.settle().await;
    key(&mut app, KeyCode::BackTab);
    type_text(&mut app, "NAV");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Char('o'));
    app.settle().await;
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('/'));
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "project = WEB ORDER BY key");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(!app.state.search.rows.is_empty(), "the session still reads");

    // The hook editors use: refused, and said in the status line.
    assert!(!app.state.allow_write("edit the summary of NAV-1"));
    let shown = screen(&app);
    assert!(shown.contains("[read-only]"), "{shown}");
    assert!(shown.contains("read-only profile"), "{shown}");

    // Writes straight through the client never leave the process.
    let body = json!({ "body": { "type": "doc", "version": 1, "content": [
        { "type": "paragraph", "content": [{ "type": "text", "text": "triaged" }] }
    ] } });
    let before = emulator.request_log().len();
    for (method, segments) in [
        (Method::POST, vec!["issue", "NAV-1", "comment"]),
        (Method::PUT, vec!["issue", "NAV-1"]),
        (Method::DELETE, vec!["issue", "NAV-1"]),
        (Method::POST, vec!["issue", "NAV-1", "transitions"]),
    ] {
        let err = read_only
            .send_write(method, &segments, Some(&body), "change NAV-1")
            .await
            .unwrap_err();
        assert!(matches!(err, JiraError::ReadOnly { .. }), "{err:?}");
        assert!(err.to_string().contains("read-only profile"), "{err}");
    }
    assert!(
        read_only
            .ensure_writable(&Method::POST, "issue/NAV-1/comment")
            .is_err()
    );
    assert!(
        read_only
            .ensure_writable(&Method::POST, "search/jql")
            .is_ok()
    );
    assert_eq!(emulator.request_log().len(), before, "nothing was sent");

    let log = emulator.request_log();
    let writes: Vec<_> = log
        .iter()
        .filter(|(method, path)| {
            method != "GET"
                && !(method == "POST"
                    && READ_ONLY_POSTS.contains(&path.trim_start_matches("/rest/api/3/")))
        })
        .collect();
    assert!(writes.is_empty(), "writes reached Jira: {writes:?}");
    assert!(emulator.request_count("POST", "/rest/api/3/search/jql") >= 3);
    assert!(emulator.request_count("GET", "/rest/api/3/myself") >= 1);

    // The same write from a client that may write does reach the emulator, and is
    // applied: the guard above is what kept it home.
    let writable = read_only.clone().with_read_only(false);
    let created = writable
        .send_write(
            Method::POST,
            &["issue", "NAV-1", "comment"],
            Some(&body),
            "add a comment to NAV-1",
        )
        .await
        .unwrap();
    assert!(created.is_some_and(|c| c["id"].is_string()));
    assert_eq!(
        emulator.request_count("POST", "/rest/api/3/issue/NAV-1/comment"),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_permission_probe_tells_a_viewer_from_a_full_user() {
    let emulator = emulator().await;
    let keys: Vec<&str> = account::PROBED_PERMISSIONS
        .iter()
        .map(|(k, _)| *k)
        .collect();
    let viewer = client(&emulator, seed::DEMO_VIEWER_EMAIL, seed::DEMO_VIEWER_TOKEN);
    let found = viewer.my_permissions(&keys).await.unwrap();
    assert_eq!(found.has("BROWSE_PROJECTS"), Some(true));
    for key in &keys[1..] {
        assert_eq!(found.has(key), Some(false), "{key}");
    }
    assert_eq!(found.permissions["EDIT_ISSUES"].name, "Edit Issues");
    let full = client(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN);
    let found = full.my_permissions(&keys).await.unwrap();
    assert!(keys.iter().all(|k| found.has(k) == Some(true)));

    // `jtui status` for each: what the token can do, read with harmless GETs only.
    let dir = temp_dir("probe");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    for (name, email, token) in [
        ("viewer", seed::DEMO_VIEWER_EMAIL, seed::DEMO_VIEWER_TOKEN),
        ("dev", seed::DEMO_EMAIL, seed::DEMO_TOKEN),
    ] {
        config::upsert_profile(&path, name, &Profile::new(&emulator.base_url, email), false)
            .unwrap();
        store.set(name, &ApiToken::new(token)).unwrap();
    }
    let config = load(&path);
    let status = |profile: &'static str| {
        let (config, store) = (config.clone(), store.clone());
        async move {
            let mut script = Script::default();
            account::status_with(
                &EnvVars::default(),
                Some(&config),
                Some(profile),
                store,
                StatusOptions::default(),
                &mut script,
            )
            .await
            .unwrap();
            script.out()
        }
    };
    let out = status("viewer").await;
    assert!(
        out.contains("yes  browse projects and issues (BROWSE_PROJECTS)"),
        "{out}"
    );
    assert!(out.contains("no   edit issues (EDIT_ISSUES)"), "{out}");
    assert!(out.contains("no   comment (ADD_COMMENTS)"), "{out}");
    assert!(
        out.contains("may not change anything: `jtui profile read-only --profile viewer`"),
        "{out}"
    );
    let out = status("dev").await;
    assert!(out.contains("yes  edit issues (EDIT_ISSUES)"), "{out}");
    assert!(!out.contains("may not change anything"), "{out}");
    assert!(!out.contains(seed::DEMO_TOKEN) && !out.contains(seed::DEMO_VIEWER_TOKEN));
    let log = emulator.request_log();
    assert!(log.iter().all(|(method, _)| method == "GET"), "{log:?}");
    assert_eq!(
        emulator.request_count("GET", "/rest/api/3/mypermissions"),
        4
    );
}

#[test]
fn expiry_warnings_come_at_fixed_offsets() {
    let mut profile = Profile::new("https://acme.atlassian.net", "me@acme.example");
    let warn = |profile: &Profile, today: &str| {
        session::expiry::warning("work", profile, day(today), true)
    };
    assert_eq!(warn(&profile, "2026-11-20"), None, "no date, no warning");
    profile.token_expires = Some("2026-12-08".into());
    // 15 days before: not yet (the default is 14).
    assert_eq!(warn(&profile, "2026-11-23"), None);
    assert_eq!(
        warn(&profile, "2026-11-24").as_deref(),
        Some("API token for profile 'work' expires in 14 days (2026-12-08): jtui login --rotate")
    );
    assert_eq!(
        warn(&profile, "2026-11-28").as_deref(),
        Some("API token for profile 'work' expires in 10 days (2026-12-08): jtui login --rotate")
    );
    assert_eq!(
        warn(&profile, "2026-12-07").as_deref(),
        Some("API token for profile 'work' expires tomorrow (2026-12-08): jtui login --rotate")
    );
    assert_eq!(
        warn(&profile, "2026-12-08").as_deref(),
        Some("API token for profile 'work' expires today (2026-12-08): jtui login --rotate")
    );
    assert_eq!(
        warn(&profile, "2026-12-09").as_deref(),
        Some("API token for profile 'work' expired on 2026-12-08: jtui login --rotate")
    );
    // `expiry_warning_days` moves the threshold; a profile that is not the default is named.
    profile.expiry_warning_days = Some(3);
    assert_eq!(warn(&profile, "2026-12-04"), None);
    assert_eq!(
        session::expiry::warning("work", &profile, day("2026-12-05"), false).as_deref(),
        Some(
            "API token for profile 'work' expires in 3 days (2026-12-08): jtui login --rotate --profile work"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiry_date_given_at_login_is_checked_recorded_and_warned_about() {
    let emulator = emulator().await;
    let now = at("2026-11-20");

    // Ten days ahead: recorded, and the warning comes at once.
    let dir = temp_dir("expires");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    let script = sign_in(
        &emulator,
        &path,
        store.clone(),
        Some(day("2026-11-30")),
        now,
    )
    .await;
    let out = script.out();
    assert!(
        out.contains(
            "API token for profile 'default' expires in 10 days (2026-11-30): jtui login --rotate"
        ),
        "{out}"
    );
    let config = load(&path);
    let (_, profile) = config.profile(None).unwrap();
    assert_eq!(profile.token_expires.as_deref(), Some("2026-11-30"));
    assert_eq!(
        profile.token_stored_at.as_deref(),
        Some("2026-11-20T12:00:00Z")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(seed::DEMO_TOKEN));

    // `jtui status` shows the date and the warning.
    let mut script = Script::default();
    let options = StatusOptions {
        read_only: false,
        now: Some(now),
    };
    account::status_with(
        &EnvVars::default(),
        Some(&config),
        None,
        store.clone(),
        options,
        &mut script,
    )
    .await
    .unwrap();
    let out = script.out();
    assert!(out.contains("Stored:   2026-11-20"), "{out}");
    assert!(out.contains("Expires:  in 10 days (2026-11-30)"), "{out}");
    assert!(
        out.contains("Warning:  API token for profile 'default' expires in 10 days"),
        "{out}"
    );

    // And so does the TUI's status line, for the session this profile makes.
    let session =
        session::resolve(&EnvVars::default(), Some(&config), None, store.as_ref()).unwrap();
    let warning = session.expiry_warning(day("2026-11-20"), true);
    assert!(warning.is_some());
    // A token from JIRA_API_TOKEN is another token: its expiry is unknown.
    let env = EnvVars {
        token: Some("from-env".into()),
        ..EnvVars::default()
    };
    let from_env = session::resolve(&env, Some(&config), None, store.as_ref()).unwrap();
    assert_eq!(from_env.expiry_warning(day("2026-11-20"), true), None);
    let mut app = App::new(session.client().unwrap(), "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app.state.token_warning = warning;
    let shown = screen(&app);
    assert!(
        shown.contains("API token for profile 'default' expires in 10 days (2026-11-30)"),
        "{shown}"
    );

    // Asked interactively: impossible dates are explained and asked again.
    let dir = temp_dir("expires-asked");
    let path = dir.join("config.toml");
    let mut script = Script::answering(&[
        &emulator.base_url,
        seed::DEMO_EMAIL,
        seed::DEMO_TOKEN,
        "soon",
        "2028-01-01",
        "2026-12-01",
    ]);
    let args = LoginArgs {
        now: Some(now),
        ..LoginArgs::default()
    };
    account::login(
        args,
        None,
        &EnvVars::default(),
        Arc::new(MemoryStore::default()),
        &path,
        &mut script,
    )
    .await
    .unwrap();
    let out = script.out();
    assert!(
        out.contains("'soon' is not a date like 2027-03-01"),
        "{out}"
    );
    assert!(out.contains("expire within a year"), "{out}");
    let config = load(&path);
    let (_, profile) = config.profile(None).unwrap();
    assert_eq!(profile.token_expires.as_deref(), Some("2026-12-01"));

    // `--expires` in the past stops the login before anything happens.
    let dir = temp_dir("expires-past");
    let path = dir.join("config.toml");
    let store = Arc::new(MemoryStore::default());
    let args = LoginArgs {
        site: Some(emulator.base_url.clone()),
        email: Some(seed::DEMO_EMAIL.into()),
        expires: Some(day("2026-11-19")),
        now: Some(now),
        ..LoginArgs::default()
    };
    let err = account::login(
        args,
        Some(ApiToken::new(seed::DEMO_TOKEN)),
        &EnvVars::default(),
        store.clone(),
        &path,
        &mut Script::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("in the past") && err.contains("Nothing was saved"),
        "{err}"
    );
    assert!(store.profiles().is_empty());
    assert!(!path.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_checks_the_new_token_before_dropping_the_old_one() {
    let emulator = emulator().await;
    emulator.db().write().unwrap().modify(|store| {
        store.credentials.push(Credential {
            email: seed::DEMO_EMAIL.into(),
            token: NEW_TOKEN.into(),
            account_id: seed::DEMO_ACCOUNT_ID.into(),
            scoped: false,
        });
    });
    let dir = temp_dir("rotate");
    let path = dir.join("config.toml");
    std::fs::write(&path, "# my jtui settings\n").unwrap();
    let store = Arc::new(MemoryStore::default());
    sign_in(
        &emulator,
        &path,
        store.clone(),
        Some(day("2026-12-01")),
        at("2026-11-20"),
    )
    .await;
    let before = std::fs::read_to_string(&path).unwrap();

    // A bad new token: refused, and the old one stays in the keyring as it was.
    let rotate = |now: &str, expires: Option<&str>| LoginArgs {
        rotate: true,
        token_stdin: true,
        expires: expires.map(day),
        now: Some(at(now)),
        ..LoginArgs::default()
    };
    let mut script = Script::default();
    let err = account::login(
        rotate("2026-11-25", None),
        Some(ApiToken::new("not-a-valid-token")),
        &EnvVars::default(),
        store.clone(),
        &path,
        &mut script,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("rejected the API token"), "{err}");
    assert!(err.contains("old token is still in place"), "{err}");
    assert!(!err.contains("not-a-valid-token"));
    assert_eq!(
        store.get("default").unwrap().unwrap().expose_secret(),
        seed::DEMO_TOKEN
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);

    // A good one, asked for interactively: replaced in one step, with new dates.
    let mut script = Script::answering(&[NEW_TOKEN, "2027-11-01"]);
    let args = LoginArgs {
        token_stdin: false,
        ..rotate("2026-11-25", None)
    };
    account::login(
        args,
        None,
        &EnvVars::default(),
        store.clone(),
        &path,
        &mut script,
    )
    .await
    .unwrap();
    let out = script.out();
    assert!(
        out.contains("Replacing the API token of profile 'default'"),
        "{out}"
    );
    assert!(
        out.contains("Replaced the API token of profile 'default' in memory"),
        "{out}"
    );
    assert!(
        out.contains(&format!("Revoke the old token at {TOKEN_PAGE}")),
        "{out}"
    );
    assert!(!out.contains(NEW_TOKEN) && !out.contains(seed::DEMO_TOKEN));
    assert_eq!(
        store.get("default").unwrap().unwrap().expose_secret(),
        NEW_TOKEN
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# my jtui settings"), "{text}");
    let config = load(&path);
    let (_, profile) = config.profile(None).unwrap();
    assert_eq!(profile.site, emulator.base_url);
    assert_eq!(profile.email, seed::DEMO_EMAIL);
    assert_eq!(
        profile.token_stored_at.as_deref(),
        Some("2026-11-25T12:00:00Z")
    );
    assert_eq!(profile.token_expires.as_deref(), Some("2027-11-01"));
    let session =
        session::resolve(&EnvVars::default(), Some(&config), None, store.as_ref()).unwrap();
    assert_eq!(
        session.client().unwrap().myself().await.unwrap().account_id,
        seed::DEMO_ACCOUNT_ID
    );

    // A rotation without an expiry drops the old token's date instead of keeping it.
    account::login(
        rotate("2026-11-26", None),
        Some(ApiToken::new(seed::DEMO_TOKEN)),
        &EnvVars::default(),
        store.clone(),
        &path,
        &mut Script::default(),
    )
    .await
    .unwrap();
    assert_eq!(load(&path).profile(None).unwrap().1.token_expires, None);

    // Rotation keeps the profile's site and e-mail, and needs a profile to rotate.
    let args = LoginArgs {
        site: Some("https://elsewhere.atlassian.net".into()),
        ..rotate("2026-11-26", None)
    };
    let err = account::login(
        args,
        Some(ApiToken::new(NEW_TOKEN)),
        &EnvVars::default(),
        store.clone(),
        &path,
        &mut Script::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("keeps the profile's site and e-mail"), "{err}");
    let err = account::login(
        rotate("2026-11-26", None),
        Some(ApiToken::new(NEW_TOKEN)),
        &EnvVars::default(),
        store.clone(),
        &dir.join("missing.toml"),
        &mut Script::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("run `jtui login`"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_all_removes_every_profiles_token_then_links_to_revoking() {
    let dir = temp_dir("logout-all");
    let path = dir.join("config.toml");
    for name in ["home", "work"] {
        config::upsert_profile(
            &path,
            name,
            &Profile::new(format!("https://{name}.atlassian.net"), "me@example.com"),
            false,
        )
        .unwrap();
    }
    let config = load(&path);
    let store = Arc::new(MemoryStore::default());
    for name in ["home", "work", "unrelated"] {
        store
            .set(name, &ApiToken::new(format!("tok-{name}")))
            .unwrap();
    }
    let mut script = Script::default();
    account::logout(None, true, Some(&config), store.clone(), &mut script)
        .await
        .unwrap();
    let out = script.out();
    assert!(
        out.contains("Removed the API token of profile 'home' from memory."),
        "{out}"
    );
    assert!(
        out.contains("Removed the API token of profile 'work' from memory."),
        "{out}"
    );
    assert_eq!(out.matches(TOKEN_PAGE).count(), 1, "{out}");
    let removed_at = out.find("profile 'work'").unwrap();
    assert!(
        out.find(TOKEN_PAGE).unwrap() > removed_at,
        "the link comes after the removal"
    );
    assert!(!out.contains("tok-"));
    // Only the profiles of this config: another entry of the service is not jtui's to take.
    assert_eq!(store.profiles(), vec!["unrelated".to_owned()]);

    // Again: nothing left to remove, and it says so.
    let mut script = Script::default();
    account::logout(None, true, Some(&config), store.clone(), &mut script)
        .await
        .unwrap();
    assert!(
        script
            .out()
            .contains("No API token stored for profile 'home' in memory."),
        "{}",
        script.out()
    );
    let mut script = Script::default();
    account::logout(None, true, None, store.clone(), &mut script)
        .await
        .unwrap();
    assert!(script.out().contains("No profiles configured"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_mid_session_is_named_with_the_way_out() {
    let emulator = emulator().await;
    let mut app = App::new(
        client(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN),
        "demo",
    );
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app.start("project = NAV ORDER BY key");
    app.settle().await;
    assert!(app.state.message.is_none(), "{:?}", app.state.message);

    // The user revokes the token on Atlassian's page while jtui runs.
    emulator.db().write().unwrap().modify(|store| {
        store.credentials.retain(|c| c.token != seed::DEMO_TOKEN);
    });
    key(&mut app, KeyCode::Char('r'));
    app.settle().await;
    let message = app.state.message.as_ref().expect("the failure is shown");
    assert!(message.is_error);
    assert!(
        message.text.contains("revoked or has expired"),
        "{}",
        message.text
    );
    assert!(
        message.text.contains("jtui login --rotate"),
        "{}",
        message.text
    );
    assert!(screen(&app).contains("revoked or has expired"));
}

/// A stand-in for Jira that refuses writes the way Cloud does: 403 for a missing
/// permission on the site, the gateway's 401 for a scoped token without the scope, and a
/// plain 401 for a token that is no good.
async fn refusing_server() -> String {
    use axum::http::{StatusCode, Uri};
    let app = axum::Router::new().fallback(|method: axum::http::Method, uri: Uri| async move {
        let path = uri.path().to_owned();
        let json = |status: StatusCode, body: serde_json::Value| {
            (
                status,
                [("content-type", "application/json")],
                body.to_string(),
            )
        };
        if path.starts_with("/ex/jira/") {
            json(
                StatusCode::UNAUTHORIZED,
                json!({"code": 401, "message": "Unauthorized; scope does not match"}),
            )
        } else if method == axum::http::Method::POST {
            json(
                StatusCode::FORBIDDEN,
                json!({"errorMessages": ["You do not have permission to add comments to this issue."], "errors": {}}),
            )
        } else {
            json(
                StatusCode::UNAUTHORIZED,
                json!({"errorMessages": ["You are not authenticated. Authentication required to perform this operation."], "errors": {}}),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_writes_name_the_permission_or_scope_they_need() {
    let base = refusing_server().await;
    let creds = || Credentials::new("me@example.com", ApiToken::new("s3cret-token"));
    let site = JiraClient::new(url::Url::parse(&base).unwrap(), creds()).unwrap();
    let body = json!({ "body": { "type": "doc", "version": 1, "content": [] } });

    let err = site
        .send_write(
            Method::POST,
            &["issue", "NAV-1", "comment"],
            Some(&body),
            "add a comment to NAV-1",
        )
        .await
        .unwrap_err();
    match &err {
        JiraError::Denied { needs, status, .. } => {
            assert_eq!(*needs, Needed::Permission("ADD_COMMENTS"));
            assert_eq!(*status, 403);
        }
        other => panic!("expected Denied, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("Jira refused to add a comment to NAV-1 (403)"),
        "{text}"
    );
    assert!(text.contains("the Jira permission ADD_COMMENTS"), "{text}");
    assert!(text.contains("jtui profile read-only"), "{text}");

    let gateway = JiraClient::new(
        url::Url::parse(&format!("{base}/ex/jira/cloud-1")).unwrap(),
        creds(),
    )
    .unwrap();
    assert!(gateway.is_gateway() && !site.is_gateway());
    let err = gateway
        .send_write(
            Method::POST,
            &["issue", "NAV-1", "comment"],
            Some(&body),
            "add a comment to NAV-1",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, JiraError::Denied { needs: Needed::Scope(s), status: 401, .. } if *s == WRITE_SCOPE),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("the API token scope write:jira-work"),
        "{text}"
    );
    assert!(text.contains("jtui login --rotate"), "{text}");

    // A 401 that is about the token itself stays that: no permission would help.
    let err = site
        .send_write(
            Method::PUT,
            &["issue", "NAV-2"],
            Some(&json!({"fields": {}})),
            "edit NAV-2",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, JiraError::Unauthorized { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("s3cret-token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_can_be_switched_to_read_only_and_back() {
    let emulator = emulator().await;
    let dir = temp_dir("profile-ro");
    let path = dir.join("config.toml");
    std::fs::write(&path, "# keep me\n").unwrap();
    let store = Arc::new(MemoryStore::default());
    sign_in(&emulator, &path, store.clone(), None, at("2026-11-20")).await;

    let mut script = Script::default();
    account::set_read_only(None, true, Some(&load(&path)), &path, &mut script).unwrap();
    assert!(script.out().contains("Profile 'default' is read-only now"));
    let config = load(&path);
    assert!(config.profile(None).unwrap().1.read_only);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("# keep me")
    );
    let session =
        session::resolve(&EnvVars::default(), Some(&config), None, store.as_ref()).unwrap();
    assert!(session.read_only() && session.client().unwrap().is_read_only());

    let mut script = Script::default();
    account::status_with(
        &EnvVars::default(),
        Some(&config),
        None,
        store.clone(),
        StatusOptions {
            read_only: false,
            now: Some(at("2026-11-20")),
        },
        &mut script,
    )
    .await
    .unwrap();
    let out = script.out();
    assert!(
        out.contains("Mode:     read-only (the profile says read_only = true)"),
        "{out}"
    );
    assert!(out.contains("Expires:  not recorded"), "{out}");

    account::set_read_only(None, false, Some(&config), &path, &mut Script::default()).unwrap();
    let config = load(&path);
    assert!(!config.profile(None).unwrap().1.read_only);
    let session =
        session::resolve(&EnvVars::default(), Some(&config), None, store.as_ref()).unwrap();
    assert!(!session.client().unwrap().is_read_only());

    // No such profile: said, nothing written.
    let err = account::set_read_only(
        Some("nope"),
        true,
        Some(&config),
        &path,
        &mut Script::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("no profile named 'nope'"), "{err}");
}
