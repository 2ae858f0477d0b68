//! Instant start and prefetch, the whole app headless against the emulator: the last
//! view comes back from the cache file stale and is replaced by fresh answers, a broken
//! cache file is ignored, the token never reaches the file, and a prefetched issue opens
//! without a request (counted at the emulator).

#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::cache;
use jtui::emulator::{seed, server};
use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::state::{LoadStatus, Pane};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
const JQL: &str = "project = NAV ORDER BY updated DESC";
/// The site the cached view belongs to, as `jtui demo` names it.
const SITE: &str = "demo";

async fn emulator() -> server::RunningEmulator {
    server::start(seed::demo_store(600), server::ServerOptions::default())
        .await
        .expect("emulator starts")
}

fn app(emulator: &server::RunningEmulator) -> App {
    let base = url::Url::parse(&emulator.base_url).unwrap();
    let client = JiraClient::new(
        base,
        Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN)),
    )
    .unwrap();
    let mut app = App::new(client, "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    app.draw(&mut terminal).unwrap();
    let buffer = terminal.backend().buffer();
    (0..HEIGHT)
        .map(|y| {
            (0..WIDTH)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A first session: run `JQL`, move to the fourth row, open it, and settle (which
/// writes the view). Returns the opened key.
async fn first_session(dir: &std::path::Path, emulator: &server::RunningEmulator) -> String {
    let mut app = app(emulator).with_view_cache(dir, "demo", SITE);
    assert!(app.cached_jql().is_none(), "no cache yet");
    app.start(JQL);
    app.settle().await;
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    let opened = app.state.search.rows[3].key.clone();
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, opened);
    opened
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_view_is_drawn_stale_in_the_first_frame_then_revalidated() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator().await;
    let opened = first_session(dir.path(), &emulator).await;
    let file = cache::path(dir.path(), "demo");
    assert!(file.exists(), "written when the view settled");

    let before = emulator.request_log().len();
    let mut app = app(&emulator).with_view_cache(dir.path(), "demo", SITE);
    assert_eq!(app.cached_jql(), Some(JQL));
    // The first frame, before any request: the last view, marked stale.
    let first = screen(&app);
    assert_eq!(emulator.request_log().len(), before, "nothing asked yet");
    assert_eq!(app.state.search.rows.len(), 50);
    assert_eq!(app.state.search.selected, 3);
    assert_eq!(app.state.focus, Pane::Issue);
    assert!(first.contains(&opened), "{first}");
    let summary = app.state.issue.detail.as_ref().unwrap().summary.clone();
    assert!(first.contains(&summary[..20.min(summary.len())]), "{first}");
    assert_eq!(first.matches(" stale ").count(), 3, "{first}");

    app.start(JQL);
    assert!(
        app.state.search.rows.len() == 50 && app.state.stale.results,
        "the cached rows stay while the fresh ones load"
    );
    app.settle().await;
    let fresh = screen(&app);
    assert!(!fresh.contains(" stale "), "{fresh}");
    assert!(!app.state.stale.any());
    assert_eq!(app.state.search.selected, 3);
    assert_eq!(app.state.search.rows[3].key, opened, "same row highlighted");
    assert_eq!(
        emulator.request_count("GET", &format!("/rest/api/3/issue/{opened}")),
        2,
        "the open issue asked for again once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_file_never_holds_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator().await;
    first_session(dir.path(), &emulator).await;
    let bytes = std::fs::read(cache::path(dir.path(), "demo")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        seed::DEMO_EMAIL,
        seed::DEMO_TOKEN
    ));
    assert!(text.contains("NAV-"), "the view is there");
    assert!(!text.contains(seed::DEMO_TOKEN), "token in the cache file");
    assert!(!text.contains(&basic), "auth header in the cache file");
    assert!(bytes.len() <= cache::MAX_VIEW_BYTES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_old_and_foreign_cache_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator().await;
    first_session(dir.path(), &emulator).await;
    let file = cache::path(dir.path(), "demo");
    let good = std::fs::read_to_string(&file).unwrap();

    let old_version = good.replacen(
        &format!("\"version\":{}", cache::VIEW_CACHE_VERSION),
        "\"version\":0",
        1,
    );
    assert_ne!(old_version, good);
    let bad: [(&str, String); 4] = [
        ("garbage", "\u{0}not json at all {{{".to_owned()),
        ("truncated", good[..good.len() / 2].to_owned()),
        ("old version", old_version),
        ("empty", String::new()),
    ];
    for (what, contents) in bad {
        std::fs::write(&file, contents).unwrap();
        let app = app(&emulator).with_view_cache(dir.path(), "demo", SITE);
        assert!(app.cached_jql().is_none(), "{what}");
        assert!(app.state.search.rows.is_empty(), "{what}");
        assert!(!app.state.stale.any(), "{what}");
    }

    std::fs::write(&file, &good).unwrap();
    let other_site = app(&emulator).with_view_cache(dir.path(), "demo", "https://else.example");
    assert!(other_site.cached_jql().is_none(), "another site's view");

    // A broken file does not stop a session, which then writes a good one.
    std::fs::write(&file, "{").unwrap();
    let mut app = app(&emulator).with_view_cache(dir.path(), "demo", SITE);
    app.start(JQL);
    app.settle().await;
    assert_eq!(app.state.search.rows.len(), 50);
    let reread = cache::load(&file, SITE).unwrap().unwrap();
    assert_eq!(reread.jql, JQL);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_view_cache_nothing_is_read_or_written() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = emulator().await;
    // What `--no-cache` does: the app is given no view cache at all.
    let mut app = app(&emulator);
    app.start(JQL);
    app.settle().await;
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(app.state.issue.detail.is_some());
    assert!(!cache::path(dir.path(), "demo").exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prefetched_issue_opens_in_the_next_frame_without_a_request() {
    let emulator = emulator().await;
    let mut app = app(&emulator);
    app.start(JQL);
    app.settle().await;
    key(&mut app, KeyCode::Char('j'));
    let target = app.state.search.rows[1].key.clone();
    let issue_path = format!("/rest/api/3/issue/{target}");
    let comments_path = format!("{issue_path}/comment");
    assert_eq!(
        emulator.request_count("GET", &issue_path),
        0,
        "not before the dwell"
    );
    app.settle_prefetch().await;
    assert_eq!(emulator.request_count("GET", &issue_path), 1, "prefetched");
    assert_eq!(emulator.request_count("GET", &comments_path), 1);

    key(&mut app, KeyCode::Enter);
    // No settle: the very next frame shows it.
    assert_eq!(app.state.focus, Pane::Issue);
    assert_eq!(app.state.issue.status, LoadStatus::Idle);
    assert!(!app.state.is_busy());
    let shown = screen(&app);
    let detail = app.state.issue.detail.as_ref().unwrap();
    assert_eq!(detail.key, target);
    assert!(shown.contains(&format!("{target} ")), "{shown}");
    assert!(!shown.contains("loading"), "{shown}");
    app.settle_prefetch().await;
    assert_eq!(
        emulator.request_count("GET", &issue_path),
        1,
        "no new request"
    );
    assert_eq!(emulator.request_count("GET", &comments_path), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_on_quickly_prefetches_only_where_the_cursor_rests() {
    let emulator = emulator().await;
    let mut app = app(&emulator);
    app.start(JQL);
    // The first row is prefetched once the results land; let that finish first.
    app.settle_prefetch().await;
    let before = emulator.request_log().len();
    for _ in 0..10 {
        key(&mut app, KeyCode::Char('j'));
    }
    app.settle_prefetch().await;
    let fetched: Vec<String> = emulator
        .request_log()
        .into_iter()
        .skip(before)
        .filter(|(m, p)| {
            m == "GET" && p.starts_with("/rest/api/3/issue/") && !p.ends_with("/comment")
        })
        .map(|(_, p)| p)
        .collect();
    let rested = &app.state.search.rows[10].key;
    assert_eq!(fetched, vec![format!("/rest/api/3/issue/{rested}")]);
}
