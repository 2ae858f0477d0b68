//! Terminal injection: the whole app, headless, over the hostile emulator dataset (every
//! text a person could write in Jira carries escape sequences, control and invisible
//! characters). Every pane and popup is drawn into a `TestBackend`, and no cell may hold
//! a control or invisible formatting character, and no text from inside an escape
//! sequence may be visible anywhere.

#![allow(clippy::unwrap_used)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::hostile::{self, HIDDEN_MARKERS, PAYLOADS};
use jtui::emulator::{Fault, FaultRule, seed, server};
use jtui::jira::retry::RetryPolicy;
use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::sanitize::is_unsafe_char;
use jtui::state::{LoadStatus, Pane};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
/// Issues opened one by one (the hostile dataset gives every third one a description
/// with every node type).
const ISSUES_OPENED: usize = 7;

async fn hostile_app() -> (App, server::RunningEmulator) {
    let emulator = server::start(hostile::hostile_store(40), server::ServerOptions::default())
        .await
        .unwrap();
    let client = JiraClient::new(
        url::Url::parse(&emulator.base_url).unwrap(),
        Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN)),
    )
    .unwrap()
    // Injected failures below are given up on quickly.
    .with_retry_policy(RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    });
    let mut app = App::new(client, "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    (app, emulator)
}

fn bad_char(c: char) -> bool {
    c.is_control() || is_unsafe_char(c)
}

/// Checks one line of text that reaches the terminal.
fn assert_clean(line: &str, context: &str) {
    if let Some(c) = line.chars().find(|c| bad_char(*c)) {
        panic!("{context}: {c:?} reaches the terminal in {line:?}");
    }
    for marker in HIDDEN_MARKERS {
        assert!(
            !line.contains(marker),
            "{context}: {marker:?} (from inside an escape sequence) is visible in {line:?}"
        );
    }
}

/// Draws the app and checks every cell and every row.
fn check_screen(app: &App, context: &str) -> String {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    app.draw(&mut terminal).unwrap();
    let buffer = terminal.backend().buffer();
    let mut rows = Vec::new();
    for y in 0..HEIGHT {
        let mut row = String::new();
        for x in 0..WIDTH {
            let symbol = buffer[(x, y)].symbol();
            if let Some(c) = symbol.chars().find(|c| bad_char(*c)) {
                panic!("{context}: cell ({x},{y}) holds {c:?} in {symbol:?}");
            }
            row.push_str(symbol);
        }
        assert_clean(&row, &format!("{context}, row {y}"));
        rows.push(row);
    }
    rows.join("\n")
}

/// Checks the issue pane's whole laid-out document, not only what fits on screen.
fn check_document(app: &App, context: &str) -> usize {
    let cache = app.state.issue.lines.borrow();
    for (i, line) in cache.lines.iter().enumerate() {
        assert_clean(&line.text(), &format!("{context}, document line {i}"));
    }
    cache.lines.len()
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

#[test]
fn the_hostile_dataset_really_is_hostile() {
    // Guards the test below against a dataset that lost its teeth.
    let store = hostile::hostile_store(40);
    let summaries: String = store.issues.iter().map(|i| i.summary.as_str()).collect();
    for payload in PAYLOADS {
        assert!(
            summaries.contains(payload),
            "no summary carries {payload:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_pane_or_popup_lets_a_payload_through() {
    let (mut app, emulator) = hostile_app().await;
    app.start("updated >= -365d ORDER BY key ASC");
    app.settle().await;
    assert!(app.state.search.rows.len() > ISSUES_OPENED);
    assert!(app.state.me.is_some());
    check_screen(&app, "results");

    // Projects pane, zoomed and not.
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.focus, Pane::Projects);
    check_screen(&app, "projects");
    key(&mut app, KeyCode::Char('z'));
    check_screen(&app, "projects zoomed");
    key(&mut app, KeyCode::Char('z'));
    key(&mut app, KeyCode::Tab);

    // Issue after issue: details, every line of the document, history, related.
    for n in 0..ISSUES_OPENED {
        app.state.focus = Pane::Results;
        app.state.search.selected = n;
        key(&mut app, KeyCode::Enter);
        app.settle().await;
        assert_eq!(app.state.issue.status, LoadStatus::Idle, "issue {n} loads");
        let context = format!("issue {n}");
        check_screen(&app, &context);
        let lines = check_document(&app, &context);
        assert!(lines > 10, "{context}: {lines} lines");
        for page in 0..lines / 20 + 1 {
            key(&mut app, KeyCode::PageDown);
            app.settle().await;
            check_screen(&app, &format!("{context}, page {page}"));
        }
        check_document(&app, &format!("{context} with all comments"));
        key(&mut app, KeyCode::Char(']'));
        check_screen(&app, &format!("{context}, related issue picked"));
        key(&mut app, KeyCode::Char('H'));
        check_screen(&app, &format!("{context}, history"));
        check_document(&app, &format!("{context}, history"));
        key(&mut app, KeyCode::Char('H'));
        key(&mut app, KeyCode::Char('z'));
        check_screen(&app, &format!("{context}, zoomed"));
        key(&mut app, KeyCode::Char('z'));
    }
    // The dataset really drew payload-carrying text: the every-node description.
    let all_text: String = app
        .state
        .issue
        .lines
        .borrow()
        .lines
        .iter()
        .map(|l| l.text())
        .collect();
    assert!(!all_text.is_empty());

    // Help.
    key(&mut app, KeyCode::Char('?'));
    check_screen(&app, "help");
    key(&mut app, KeyCode::Esc);

    // JQL completion of server values: statuses, users, labels, fields.
    for (typed, what) in [
        ("project = NAV AND status = ", "status values"),
        ("project = NAV AND assignee = ", "user values"),
        ("project = NAV AND labels = ", "label values"),
        ("project = NAV AND priority in (", "priority values"),
        ("project = NAV AND ", "field names"),
    ] {
        key(&mut app, KeyCode::Char('/'));
        ctrl(&mut app, 'u');
        type_text(&mut app, typed);
        key(&mut app, KeyCode::Tab);
        app.settle().await;
        let screen = check_screen(&app, &format!("completion of {what}"));
        assert!(
            app.state.completion.popup.is_some(),
            "{what}: a popup opens\n{screen}"
        );
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Esc);
    }

    // Saved filters: hostile names, descriptions, owners and one hostile query.
    app.state.focus = Pane::Results;
    key(&mut app, KeyCode::Char('f'));
    app.settle().await;
    assert!(app.state.filters.open);
    check_screen(&app, "filter picker");
    for _ in 0..8 {
        key(&mut app, KeyCode::Down);
        check_screen(&app, "filter picker, moving");
    }
    key(&mut app, KeyCode::Esc);

    // Jira's own error messages quoting hostile text back: the JQL error for a query
    // with payloads in it, and injected error bodies (JSON and HTML).
    let hostile_query = format!("summary ~ \"{}", hostile::taint("x", 2));
    app.start(&hostile_query);
    app.settle().await;
    assert!(matches!(app.state.search.status, LoadStatus::Failed(_)));
    check_screen(&app, "JQL error quoting a hostile query");
    let error_body = json!({
        "errorMessages": [hostile::taint("Something failed", 4), hostile::taint("again", 11)],
        "errors": { hostile::taint("field", 6): hostile::taint("is wrong", 8) },
    });
    emulator.faults().add(
        FaultRule::new(
            "/rest/api/3/search/jql",
            Fault::Respond {
                status: 400,
                content_type: "application/json".into(),
                body: error_body.to_string().into(),
                chunked: false,
            },
        )
        .times(1),
    );
    app.start("project = NAV");
    app.settle().await;
    let LoadStatus::Failed(message) = &app.state.search.status else {
        panic!("{:?}", app.state.search.status);
    };
    assert!(message.contains("Something failed"), "{message}");
    check_screen(&app, "hostile JSON error");
    let page = format!(
        "<html><head><title>{}</title></head><body>{}</body></html>",
        hostile::taint("Bad gateway", 3),
        hostile::taint("upstream", 5)
    );
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    let first = app.state.search.rows[0].key.clone();
    emulator.faults().add(
        FaultRule::new(
            format!("/rest/api/3/issue/{first}"),
            Fault::Respond {
                status: 502,
                content_type: "text/html".into(),
                body: page.into(),
                chunked: false,
            },
        )
        .times(1),
    );
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(matches!(app.state.issue.status, LoadStatus::Failed(_)));
    check_screen(&app, "hostile HTML error page");
    check_document(&app, "hostile HTML error page");

    // The jump prompt with pasted hostile text.
    key(&mut app, KeyCode::Char('g'));
    app.handle_event(&Event::Paste(hostile::taint("NAV-1", 1)));
    check_screen(&app, "jump prompt with a hostile paste");
}
