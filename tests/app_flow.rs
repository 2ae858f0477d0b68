//! The whole app, headless, against the built-in emulator over real loopback HTTP:
//! keys in, screens out.

#![allow(clippy::unwrap_used)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::{seed, server};
use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::state::{LoadStatus, Pane};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

async fn app_with(token: &str) -> (App, server::RunningEmulator) {
    let emulator = server::start(seed::demo_store(600), server::ServerOptions::default())
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
    key(&mut app, KeyCode::Char('o'));
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
