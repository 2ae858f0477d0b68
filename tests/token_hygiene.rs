//! Token hygiene: a whole session with a recognisable token, then a search for it in
//! every file jtui wrote and everything it printed. The session: `jtui login
//! --token-stdin` and `jtui status` as child processes (their own home, config, state and
//! cache dirs, logging at trace level), the real binary in a pty that crashes on purpose
//! and leaves a crash report, and a headless `App` browsing in this process with its log
//! at trace level too: searches, issues, completion, filters, edits (assign, a summary,
//! a comment draft written to disk), a 404, retried 503s, and finally the token revoked
//! mid-session. Then `jtui status` with the revoked token and
//! `jtui logout`. The token appears nowhere, in any form a careless line could print it:
//! as is, or inside the Basic auth header.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support {
    pub mod pty;
    // Shared with the keyring tests; this file needs only part of it.
    #[allow(dead_code)]
    pub mod secrets;
}

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::crash::DEBUG_PANIC_VAR;
use jtui::drafts::DraftStore;
use jtui::emulator::store::Credential;
use jtui::emulator::{Fault, FaultRule, seed, server};
use jtui::jira::retry::RetryPolicy;
use jtui::secrets::{KeyringStore, TokenStore};
use jtui::session::{self, EnvVars};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::pty::{Pty, jtui_bin};
use support::secrets::{Forget, unavailable, unique_profile};

/// Recognisable anywhere: a prefix no other text has, and random-looking hex.
const TOKEN: &str = "TOKEN-HYGIENE-7f3a9c1e5b2d40680d1e";
/// Set to 1 by CI: the kernel keyring `jtui login` falls back to must work.
const REQUIRE_KEYRING: &str = "JTUI_TEST_KEYUTILS";
const STEP: Duration = Duration::from_secs(20);

/// Every form of the token a leak could take.
fn secret_forms() -> Vec<String> {
    let basic = STANDARD.encode(format!("{}:{TOKEN}", seed::DEMO_EMAIL));
    vec![
        TOKEN.to_owned(),
        // The distinctive part alone, in case something cut the prefix.
        "7f3a9c1e5b2d40680d1e".to_owned(),
        basic.clone(),
        // A line cut through the header value still shows most of it.
        basic[..basic.len() / 2].to_owned(),
        STANDARD.encode(TOKEN),
    ]
}

fn assert_no_token(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for form in secret_forms() {
        assert!(!text.contains(&form), "the token ({form}) is in {what}");
    }
}

/// A private home: `HOME` and every XDG dir inside one temp dir.
struct Dirs {
    root: tempfile::TempDir,
}

impl Dirs {
    fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("jtui-hygiene-")
            .tempdir()
            .unwrap();
        for sub in ["home", "config", "data", "state", "cache", "runtime"] {
            std::fs::create_dir_all(root.path().join(sub)).unwrap();
        }
        Self { root }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.root.path().join(sub)
    }

    fn env(&self) -> Vec<(String, String)> {
        let p = |sub: &str| self.path(sub).display().to_string();
        vec![
            ("HOME".into(), p("home")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_STATE_HOME".into(), p("state")),
            ("XDG_CACHE_HOME".into(), p("cache")),
            ("XDG_RUNTIME_DIR".into(), p("runtime")),
            ("JTUI_LOG".into(), "trace".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ]
    }

    fn config_path(&self) -> PathBuf {
        self.path("config").join("jtui").join("config.toml")
    }

    /// Every file under the root, recursively.
    fn files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut todo = vec![self.root.path().to_path_buf()];
        while let Some(dir) = todo.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    found.push(path);
                }
            }
        }
        found
    }
}

/// Runs `jtui args...` with only the private dirs in its environment (no session bus:
/// `jtui login` keeps the token in the kernel keyring), `stdin` on its standard input.
/// Off the runtime's threads, so the emulator in this process keeps answering.
async fn run_jtui(dirs: &Dirs, args: &[&str], stdin: &str) -> Output {
    let env = dirs.env();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(jtui_bin())
            .args(&args)
            .env_clear()
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// What a command printed, for the scan and for failure messages.
fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Everything in-process tracing writes, at trace level, into the state dir's log.
fn log_to(path: &Path) {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .unwrap();
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
    let mut terminal = Terminal::new(TestBackend::new(140, 44)).unwrap();
    app.draw(&mut terminal).unwrap();
    let buffer = terminal.backend().buffer();
    buffer.content.iter().map(|c| c.symbol()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_nowhere_after_a_whole_session() {
    let dirs = Dirs::new();
    let state = dirs.path("state").join("jtui");
    std::fs::create_dir_all(&state).unwrap();
    log_to(&state.join("in-process.log"));
    let mut store = seed::demo_store(60);
    store.credentials.push(Credential {
        email: seed::DEMO_EMAIL.into(),
        token: TOKEN.into(),
        account_id: seed::DEMO_ACCOUNT_ID.into(),
        scoped: false,
    });
    let emulator = server::start(store, server::ServerOptions::default())
        .await
        .unwrap();
    let profile = unique_profile("hygiene");
    let keyring = KeyringStore::keyutils();
    // Whatever happens below, the kernel keyring forgets the token afterwards.
    let _forget = Forget {
        store: &keyring,
        profile: profile.clone(),
    };
    let mut everything_printed: Vec<(String, Vec<u8>)> = Vec::new();

    // 1. Sign in, as a script would.
    let login = run_jtui(
        &dirs,
        &[
            "-p",
            &profile,
            "login",
            "--site",
            &emulator.base_url,
            "--email",
            seed::DEMO_EMAIL,
            "--token-stdin",
        ],
        &format!("{TOKEN}\n"),
    )
    .await;
    everything_printed.push(("jtui login".into(), printed(&login).into_bytes()));
    if !login.status.success() {
        let text = printed(&login);
        assert_no_token("the failed login's output", text.as_bytes());
        if text.contains("keyring") || text.contains("keyutils") {
            unavailable(REQUIRE_KEYRING, "kernel keyring", &text);
            return;
        }
        panic!("jtui login failed: {text}");
    }
    assert_eq!(
        keyring
            .get(&profile)
            .unwrap()
            .map(|t| t.expose_secret().to_owned()),
        Some(TOKEN.to_owned()),
        "the token went to the keyring"
    );

    // 2. Status, with the token from the keyring.
    let status = run_jtui(&dirs, &["-p", &profile, "status"], "").await;
    assert!(status.status.success(), "{}", printed(&status));
    assert!(printed(&status).contains(seed::DEMO_EMAIL));
    everything_printed.push(("jtui status".into(), printed(&status).into_bytes()));

    // 3. The real UI in a pty, crashing on purpose once results show: a crash report.
    let mut env: Vec<(String, String)> = dirs.env();
    env.push((DEBUG_PANIC_VAR.into(), "content".into()));
    env.push(("TERM".into(), "xterm-256color".into()));
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut pty = Pty::spawn(support::pty::jtui(&["-p", &profile]), &env_refs, 120, 40);
    let crashed = tokio::task::spawn_blocking(move || {
        let status = pty.wait_exit(STEP);
        (status, pty.raw_output())
    })
    .await
    .unwrap();
    assert!(
        !crashed.0.success(),
        "the deliberate panic ended the session"
    );
    everything_printed.push(("the crashing session's terminal".into(), crashed.1));

    // 4. Browse in this process through the same sign-in: config, keyring, session.
    let config = jtui::config::load_optional(&dirs.config_path())
        .unwrap()
        .unwrap()
        .config;
    let session =
        session::resolve(&EnvVars::default(), Some(&config), Some(&profile), &keyring).unwrap();
    let client = session.client().unwrap().with_retry_policy(RetryPolicy {
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    });
    let mut app = App::new(client, "hygiene")
        .with_history(&state, &profile)
        .with_drafts(DraftStore::new(&state, &profile));
    app.theme = jtui::ui::Theme::default();
    app.state.size = (140, 44);
    let mut screens = String::new();
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    assert!(!app.state.search.rows.is_empty());
    screens.push_str(&screen(&app));
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    screens.push_str(&screen(&app));
    // A query typed and run (so it lands in the history file), with completion.
    key(&mut app, KeyCode::Char('/'));
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "project = NAV AND status = ");
    key(&mut app, KeyCode::Tab);
    app.settle().await;
    screens.push_str(&screen(&app));
    key(&mut app, KeyCode::Esc);
    type_text(&mut app, "Done");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Char('f'));
    app.settle().await;
    screens.push_str(&screen(&app));
    key(&mut app, KeyCode::Esc);
    // Edits: assign to me, a new summary, a comment left as a draft, then another posted.
    key(&mut app, KeyCode::Char('a'));
    app.settle().await;
    key(&mut app, KeyCode::Char('e'));
    app.settle().await;
    type_text(&mut app, "summary");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, " (checked)");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Char('c'));
    app.settle().await;
    type_text(&mut app, "A draft that stays on disk");
    app.settle().await;
    screens.push_str(&screen(&app));
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    let drafts_dir = state.join("drafts");
    assert!(
        dirs.files().iter().any(|f| f.starts_with(&drafts_dir)),
        "a draft was written: {:?}",
        dirs.files()
    );
    screens.push_str(&screen(&app));
    // Errors: a missing issue, and a flaky network that recovers.
    key(&mut app, KeyCode::Char('g'));
    type_text(&mut app, "NAV-99999");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    screens.push_str(&screen(&app));
    emulator
        .faults()
        .add(FaultRule::new("/rest/api/3/search/jql", Fault::HtmlError(503)).times(2));
    key(&mut app, KeyCode::Char('r'));
    app.settle().await;
    // Revoked mid-session: the 401 and what the app says about it.
    assert!(emulator.revoke_token(seed::DEMO_EMAIL, TOKEN));
    app.state.focus = jtui::state::Pane::Results;
    key(&mut app, KeyCode::Char('r'));
    app.settle().await;
    assert!(app.state.session_ended.is_some());
    screens.push_str(&screen(&app));
    everything_printed.push(("the app's screens".into(), screens.into_bytes()));
    everything_printed.push(("the app's Debug".into(), format!("{app:?}").into_bytes()));
    drop(app);

    // 5. Status with the revoked token, then sign out.
    let revoked = run_jtui(&dirs, &["-p", &profile, "status"], "").await;
    assert!(printed(&revoked).contains("401"), "{}", printed(&revoked));
    everything_printed.push((
        "jtui status, revoked".into(),
        printed(&revoked).into_bytes(),
    ));
    let logout = run_jtui(&dirs, &["-p", &profile, "logout"], "").await;
    assert!(logout.status.success(), "{}", printed(&logout));
    everything_printed.push(("jtui logout".into(), printed(&logout).into_bytes()));
    assert_eq!(keyring.get(&profile).unwrap(), None, "logout forgot it");

    // The scan: everything printed, and every file written.
    for (what, bytes) in &everything_printed {
        assert_no_token(what, bytes);
    }
    let files = dirs.files();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(dirs.root.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    for file in &files {
        assert_no_token(&file.display().to_string(), &std::fs::read(file).unwrap());
    }
    // The scan covered what a session leaves behind, so it means something.
    let has = |part: &str| names.iter().any(|n| n.contains(part));
    assert!(has("config.toml"), "{names:?}");
    assert!(has("jtui.log"), "the binary's log: {names:?}");
    assert!(has("in-process.log"), "{names:?}");
    assert!(has("crash-"), "a crash report: {names:?}");
    assert!(has("history"), "the JQL history: {names:?}");
    let log = std::fs::read_to_string(state.join("in-process.log")).unwrap();
    assert!(log.contains("jira request"), "requests were logged");
    assert!(
        log.contains("401") || log.contains("rejected"),
        "the 401 was logged"
    );
}
