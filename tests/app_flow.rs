//! The whole app, headless, against the built-in emulator over real loopback HTTP:
//! keys in, screens out.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod screen;
}

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::app::desktop::{Desktop, write_osc52};
use jtui::emulator::{seed, server};
use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::state::{LoadStatus, Pane};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

async fn app_with(token: &str) -> (App, server::RunningEmulator) {
    app_on(seed::demo_store(600), token).await
}

async fn app_on(
    store: jtui::emulator::store::Store,
    token: &str,
) -> (App, server::RunningEmulator) {
    let emulator = server::start(store, server::ServerOptions::default())
        .await
        .expect("emulator starts");
    let base = url::Url::parse(&emulator.base_url).unwrap();
    let client = JiraClient::new(
        base,
        Credentials::new(seed::DEMO_EMAIL, ApiToken::new(token)),
    )
    .unwrap();
    let mut app = App::new(client, "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    (app, emulator)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> String {
    support::screen::app_screen(app, WIDTH, HEIGHT)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browse_search_read_and_quit() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    app.start("updated >= -30d ORDER BY updated DESC");
    app.settle().await;
    assert!(app.state.me.is_some(), "myself loaded");
    assert!(app.state.projects.items.len() >= 4, "projects listed");
    assert_eq!(app.state.projects.status, LoadStatus::Idle);

    // Pick a project: focus the projects pane, filter by typing, open it.
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.focus, Pane::Projects);
    type_text(&mut app, "NAV");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.state.focus, Pane::Results);
    app.settle().await;
    assert_eq!(app.state.search.jql, "project = NAV ORDER BY updated DESC");
    assert_eq!(app.state.search.rows.len(), 50, "first page");
    let total = app.state.search.count.expect("approximate count");
    assert!(total > 50, "NAV has more than one page ({total})");
    assert!(
        app.state
            .search
            .rows
            .iter()
            .all(|r| r.key.starts_with("NAV-"))
    );
    let first_screen = screen(&app);
    assert!(first_screen.contains("NAV-"), "{first_screen}");
    assert!(
        first_screen.contains(&format!("50 of ~{total}")),
        "{first_screen}"
    );

    // Scroll past the first page: pages load ahead of the cursor.
    for _ in 0..70 {
        key(&mut app, KeyCode::Char('j'));
        app.settle().await;
    }
    assert_eq!(app.state.search.selected, 70);
    assert!(app.state.search.rows.len() > 70);
    let mut keys: Vec<&str> = app
        .state
        .search
        .rows
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(
        keys.len(),
        app.state.search.rows.len(),
        "no row twice across pages"
    );

    // Open the issue under the cursor and read it.
    let selected = app.state.search.rows[70].key.clone();
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.focus, Pane::Issue);
    let detail = app.state.issue.detail.as_ref().expect("issue loaded");
    assert_eq!(detail.key, selected);
    assert!(!detail.fields.is_empty());
    let issue_screen = screen(&app);
    assert!(issue_screen.contains(&selected));
    // The whole laid-out document, not just the visible part.
    let document: String = app
        .state
        .issue
        .lines
        .borrow()
        .lines
        .iter()
        .map(|l| l.text() + "\n")
        .collect();
    assert!(document.contains("Description"), "{document}");
    assert!(document.contains("Comments ("), "{document}");
    assert!(
        !document.contains("\"type\""),
        "ADF must be rendered, never shown as JSON"
    );
    for _ in 0..30 {
        key(&mut app, KeyCode::Char('j'));
    }
    app.settle().await;
    assert!(app.state.issue.scroll.get() > 0 || app.state.issue.lines.borrow().lines.len() < 40);

    // A JQL typo: the error comes back from the server and is shown.
    key(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "project = NAV AND");
    assert!(
        screen(&app).contains("Error in the JQL Query"),
        "checked locally while typing"
    );
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let LoadStatus::Failed(message) = &app.state.search.status else {
        panic!("search should fail: {:?}", app.state.search.status)
    };
    assert!(message.contains("Error in the JQL Query"), "{message}");
    assert!(screen(&app).contains("Error in the JQL Query"));

    key(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_page_and_reverse() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    // The demo dataset has issues with long discussions; find the one with the most.
    app.start("comment ~ \"the\" ORDER BY updated DESC");
    app.settle().await;
    assert!(!app.state.search.rows.is_empty());
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let total = app.state.issue.comments_total;
    let loaded = app.state.issue.comments.len() as u64;
    assert_eq!(loaded, total.min(50));
    let first = app.state.issue.comments.first().map(|c| c.created.clone());
    key(&mut app, KeyCode::Char('O'));
    app.settle().await;
    assert_eq!(app.state.issue.comments.len() as u64, total.min(50));
    if total > 1 {
        assert_ne!(
            app.state.issue.comments.first().map(|c| c.created.clone()),
            first
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_says_what_to_do() {
    let (mut app, _emulator) = app_with("not-the-token").await;
    app.start("project = NAV");
    app.settle().await;
    let message = app.state.message.as_ref().expect("an error is shown");
    assert!(message.is_error);
    assert!(message.text.contains("jtui login"), "{}", message.text);
    assert!(
        !message.text.contains("not-the-token"),
        "the token never appears"
    );
    assert!(matches!(app.state.search.status, LoadStatus::Failed(_)));
}

/// Records what `o`, `y` and `Y` would do: links opened, and the exact bytes that would
/// reach the terminal for the clipboard.
#[derive(Debug, Clone, Default)]
struct Recorder {
    opened: Arc<Mutex<Vec<String>>>,
    terminal: Arc<Mutex<Vec<u8>>>,
}

impl Desktop for Recorder {
    fn open_url(&mut self, url: &str) -> Result<(), String> {
        self.opened.lock().unwrap().push(url.to_owned());
        Ok(())
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        write_osc52(&mut *self.terminal.lock().unwrap(), text).map_err(|e| e.to_string())
    }
}

fn shift(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::SHIFT,
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_a_link_and_come_back() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    // Open issues from the top until one has a parent, a sub-task or a link.
    let mut found = None;
    for _ in 0..40 {
        key(&mut app, KeyCode::Enter);
        app.settle().await;
        let detail = app.state.issue.detail.as_ref().expect("issue loaded");
        if !detail.related.is_empty() {
            found = Some(detail.key.clone());
            break;
        }
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('j'));
    }
    let origin = found.expect("the demo data links issues");
    assert_eq!(app.state.focus, Pane::Issue);
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    let scroll = app.state.issue.scroll.get();

    key(&mut app, KeyCode::Char(']'));
    let target = app.state.issue.selected_related().unwrap().clone();
    assert!(screen(&app).contains(&target.key));
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let detail = app.state.issue.detail.as_ref().unwrap();
    assert_eq!(detail.key, target.key, "Enter opens the highlighted issue");
    assert!(screen(&app).contains(&target.key));

    // Backspace goes back to where we were, scrolled as we left it.
    key(&mut app, KeyCode::Backspace);
    app.settle().await;
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, origin);
    assert_eq!(app.state.issue.scroll.get(), scroll);
    // Forward again with Ctrl-I (where the terminal tells it from Tab), back with Ctrl-O.
    ctrl(&mut app, 'i');
    app.settle().await;
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, target.key);
    ctrl(&mut app, 'o');
    app.settle().await;
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, origin);

    // The history tab of the same issue, from the changelog Jira sent with it.
    shift(&mut app, 'H');
    let history = screen(&app);
    assert!(history.contains("History ("), "{history}");
    assert!(history.contains(" → "), "{history}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jump_to_a_key_and_to_one_that_does_not_exist() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    key(&mut app, KeyCode::Char('g'));
    type_text(&mut app, "web-3");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.focus, Pane::Issue);
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, "WEB-3");

    key(&mut app, KeyCode::Char('g'));
    type_text(&mut app, "WEB-99999");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let LoadStatus::Failed(message) = &app.state.issue.status else {
        panic!("{:?}", app.state.issue.status)
    };
    // Jira's own words for a missing issue reach the user.
    assert!(message.contains("Issue does not exist"), "{message}");
    assert!(screen(&app).contains("Issue does not exist"));
    key(&mut app, KeyCode::Backspace);
    app.settle().await;
    assert_eq!(app.state.issue.detail.as_ref().unwrap().key, "WEB-3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sorting_rewrites_only_the_order_by() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    let typed = "project = NAV  and status != Done order by updated desc";
    app.start(typed);
    app.settle().await;
    key(&mut app, KeyCode::Char('s'));
    app.settle().await;
    assert_eq!(
        app.state.search.jql,
        "project = NAV  and status != Done ORDER BY key ASC"
    );
    let numbers = |app: &App| -> Vec<u64> {
        app.state
            .search
            .rows
            .iter()
            .map(|r| r.key.trim_start_matches("NAV-").parse().unwrap())
            .collect()
    };
    let asc = numbers(&app);
    assert!(asc.len() > 10);
    assert!(asc.windows(2).all(|w| w[0] < w[1]), "{asc:?}");
    assert!(screen(&app).contains("Key ↑"));
    shift(&mut app, 'S');
    app.settle().await;
    assert_eq!(
        app.state.search.jql,
        "project = NAV  and status != Done ORDER BY key DESC"
    );
    let desc = numbers(&app);
    assert!(desc.windows(2).all(|w| w[0] > w[1]), "{desc:?}");
    assert!(screen(&app).contains("Key ↓"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_and_copy_are_effects_not_side_effects_in_tests() {
    let (mut app, emulator) = app_with(seed::DEMO_TOKEN).await;
    let recorder = Recorder::default();
    app.set_desktop(Box::new(recorder.clone()));
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    let selected = app.state.search.rows[0].key.clone();
    let url = format!("{}/browse/{selected}", emulator.base_url);
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        recorder.opened.lock().unwrap().as_slice(),
        std::slice::from_ref(&url)
    );
    key(&mut app, KeyCode::Char('y'));
    shift(&mut app, 'Y');
    let expected = format!(
        "\x1b]52;c;{}\x1b\\\x1b]52;c;{}\x1b\\",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &selected),
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &url),
    );
    assert_eq!(
        String::from_utf8(recorder.terminal.lock().unwrap().clone()).unwrap(),
        expected
    );
    assert!(screen(&app).contains(&format!("Copied {url}")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_follows_twelve_thousand_results_to_the_last_row() {
    let (mut app, _emulator) = app_on(seed::demo_store(12_000), seed::DEMO_TOKEN).await;
    app.start("project in (NAV, WEB, OPS, HELP) ORDER BY created ASC");
    app.settle().await;
    let total = app.state.search.count.expect("count");
    assert_eq!(total, 12_000);
    let started = Instant::now();
    key(&mut app, KeyCode::Char('G'));
    app.settle().await;
    let elapsed = started.elapsed();
    let search = &app.state.search;
    assert_eq!(search.rows.len(), 12_000);
    assert_eq!(search.selected, 11_999);
    assert!(search.next_page_token.is_none() && !search.follow_end);
    let last = search.rows[11_999].key.clone();
    let shown = screen(&app);
    assert!(shown.contains(&last), "{shown}");
    assert!(shown.contains("12000 issues"), "{shown}");
    // Page by page over loopback HTTP, with the UI free between pages.
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
    eprintln!("followed 12,000 rows to the end in {elapsed:?}");
    // PageUp and Home stay instant: no request, no waiting.
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::Home);
    assert_eq!(app.state.search.selected, 0);
    assert!(!app.state.is_busy());
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("jtui-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn bar_text(app: &App) -> String {
    app.state
        .jql_bar
        .as_ref()
        .map(|b| b.input.text().to_owned())
        .unwrap_or_default()
}

const REFERENCE_PATH: &str = "/rest/api/3/jql/autocompletedata";
const SUGGESTIONS_PATH: &str = "/rest/api/3/jql/autocompletedata/suggestions";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_asks_once_for_a_prefix_typed_fast_then_runs() {
    let (mut app, emulator) = app_with(seed::DEMO_TOKEN).await;
    app.start("project = NAV ORDER BY updated DESC");
    app.settle().await;

    // A field: the reference data comes once, the popup offers the field.
    key(&mut app, KeyCode::Char('/'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "assig");
    key(&mut app, KeyCode::Tab);
    app.settle().await;
    let popup = app.state.completion.popup.as_ref().expect("popup open");
    assert_eq!(popup.items[0].insert, "assignee");
    key(&mut app, KeyCode::Enter);
    assert_eq!(bar_text(&app), "assignee ");
    assert!(app.state.jql_bar.is_some(), "accepting keeps the bar open");

    // Values: Tab asks at once for what fits an empty prefix.
    type_text(&mut app, "= ");
    key(&mut app, KeyCode::Tab);
    app.settle().await;
    assert_eq!(emulator.request_count("GET", SUGGESTIONS_PATH), 1);
    assert!(screen(&app).contains("values · assignee"));

    // Typing fast: one request for the whole prefix, after the pause.
    type_text(&mut app, "mara");
    app.settle().await;
    assert_eq!(
        emulator.request_count("GET", SUGGESTIONS_PATH),
        2,
        "one request for \"mara\", none for m, ma, mar"
    );
    assert_eq!(
        emulator.request_count("GET", REFERENCE_PATH),
        1,
        "the reference data is fetched once per session"
    );
    let popup = app.state.completion.popup.as_ref().unwrap();
    assert!(!popup.loading);
    assert_eq!(popup.items[0].label, "Mara Lindqvist");
    assert!(screen(&app).contains("Mara Lindqvist"));

    // Backspace and retype: answered from the session's cache.
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Char('a'));
    app.settle().await;
    assert_eq!(emulator.request_count("GET", SUGGESTIONS_PATH), 2);

    // Accept, then run: the accepted value is a valid query.
    key(&mut app, KeyCode::Enter);
    let jql = bar_text(&app);
    assert!(jql.starts_with("assignee = "), "{jql}");
    assert!(app.state.completion.popup.is_none());
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.search.status, LoadStatus::Idle);
    assert_eq!(app.state.search.jql, jql.trim());
    assert!(!app.state.search.rows.is_empty());
    assert!(
        app.state
            .search
            .rows
            .iter()
            .all(|r| r.assignee == "Mara Lindqvist")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_persists_across_sessions_per_profile() {
    let dir = TempDir::new("history");
    let queries = ["project = OPS ORDER BY created DESC", "status = Done"];
    {
        let (app, _emulator) = app_with(seed::DEMO_TOKEN).await;
        let mut app = app.with_history(&dir.0, "demo");
        app.start("project = NAV");
        app.settle().await;
        for q in queries {
            key(&mut app, KeyCode::Char('/'));
            ctrl(&mut app, 'u');
            type_text(&mut app, q);
            key(&mut app, KeyCode::Enter);
            app.settle().await;
        }
    }
    let file = dir.0.join("history").join("demo.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");

    let (app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    let mut app = app.with_history(&dir.0, "demo");
    app.start("project = NAV");
    app.settle().await;
    key(&mut app, KeyCode::Char('/'));
    assert_eq!(bar_text(&app), "project = NAV");
    key(&mut app, KeyCode::Up);
    assert_eq!(bar_text(&app), "status = Done", "newest first");
    key(&mut app, KeyCode::Up);
    assert_eq!(bar_text(&app), queries[0]);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    assert_eq!(bar_text(&app), "project = NAV", "back to what was there");

    // Re-running an old query moves it to the top of the file, once.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("project = OPS"), "{text}");

    // Another profile has its own history.
    let (other, _emulator) = app_with(seed::DEMO_TOKEN).await;
    let mut other = other.with_history(&dir.0, "acme.atlassian.net");
    other.state.size = (WIDTH, HEIGHT);
    key(&mut other, KeyCode::Char('/'));
    key(&mut other, KeyCode::Up);
    assert_eq!(bar_text(&other), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_picker_lists_favourites_and_runs_one() {
    let (mut app, _emulator) = app_with(seed::DEMO_TOKEN).await;
    app.start("project = NAV ORDER BY updated DESC");
    app.settle().await;

    key(&mut app, KeyCode::Char('f'));
    assert!(app.state.filters.open);
    app.settle().await;
    let favourites: Vec<&str> = app
        .state
        .filters
        .favourites
        .items
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(favourites.contains(&"NAV sprint board"), "{favourites:?}");
    assert!(
        favourites.contains(&"Customer escalations"),
        "{favourites:?}"
    );
    let mine: Vec<&str> = app
        .state
        .filters
        .mine
        .items
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(mine.contains(&"Reported by me"), "{mine:?}");
    let shown = screen(&app);
    assert!(
        shown.contains("Favourites") && shown.contains("My filters"),
        "{shown}"
    );
    assert!(shown.contains("NAV sprint board"));
    assert!(
        !shown.contains("S1 bugs (triage)"),
        "someone else's private filter"
    );
    // Each filter once, even when it is both mine and a favourite.
    let visible = app.state.filters.visible();
    let mut ids: Vec<&str> = visible.iter().map(|(_, f)| f.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), visible.len());

    // Type to narrow, Enter to run: the filter's JQL is the search, shown in the bar.
    type_text(&mut app, "SPRINT");
    assert_eq!(app.state.filters.visible().len(), 1);
    let jql = app
        .state
        .filters
        .selected_item()
        .unwrap()
        .jql
        .clone()
        .unwrap();
    key(&mut app, KeyCode::Enter);
    assert!(!app.state.filters.open);
    app.settle().await;
    assert_eq!(app.state.search.jql, jql);
    assert_eq!(app.state.search.status, LoadStatus::Idle);
    assert!(!app.state.search.rows.is_empty());
    assert!(
        app.state
            .search
            .rows
            .iter()
            .all(|r| r.key.starts_with("NAV-"))
    );
    assert!(
        screen(&app)
            .lines()
            .next()
            .unwrap()
            .contains("openSprints()")
    );

    // A quick filter: my open issues, on one key.
    key(&mut app, KeyCode::Char('1'));
    app.settle().await;
    assert_eq!(
        app.state.search.jql,
        "assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"
    );
    assert_eq!(app.state.search.status, LoadStatus::Idle);
    let me = app.state.me.clone().unwrap();
    assert!(app.state.search.rows.iter().all(|r| r.assignee == me));

    // Esc closes the picker without running anything.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Esc);
    assert!(!app.state.filters.open);
    assert!(!app.state.search.status.is_loading());
}
