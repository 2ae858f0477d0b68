//! Resource bombs served by the emulator: a 50 MB answer, a 1 MB summary, a
//! 100,000-node document, 100,000 comments and a 10,000-deep document. Each costs
//! bounded memory and time, ends in a readable message or a cut-down view, and never
//! overflows the stack. Timing bounds are seconds, far above what the work takes, so
//! they only catch a freeze.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod screen;
}

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::hostile::{self, BombKeys};
use jtui::emulator::{Fault, FaultRule, server};
use jtui::jira::adf::MAX_DOC_LINES;
use jtui::jira::client::CommentOrder;
use jtui::jira::models::SearchRequest;
use jtui::jira::{ApiToken, Credentials, JiraClient, JiraError};
use jtui::sanitize::MAX_FIELD_CHARS;
use jtui::state::issue::MAX_COMMENTS;
use jtui::state::{LoadStatus, Pane};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 40;
/// Far above the real cost (milliseconds in a release build); only a freeze fails.
const FREEZE: Duration = Duration::from_secs(10);
const FIFTY_MB: usize = 50 * 1024 * 1024;

async fn bombs() -> (server::RunningEmulator, BombKeys) {
    let (store, keys) = hostile::bomb_store(20);
    let emulator = server::start(store, server::ServerOptions::default())
        .await
        .unwrap();
    (emulator, keys)
}

fn client(emulator: &server::RunningEmulator) -> JiraClient {
    JiraClient::new(
        url::Url::parse(&emulator.base_url).unwrap(),
        Credentials::new(
            jtui::emulator::seed::DEMO_EMAIL,
            ApiToken::new(jtui::emulator::seed::DEMO_TOKEN),
        ),
    )
    .unwrap()
}

fn app(emulator: &server::RunningEmulator) -> App {
    let mut app = App::new(client(emulator), "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app
}

fn draw(app: &App) -> String {
    support::screen::app_screen(app, WIDTH, HEIGHT)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn document(app: &App) -> Vec<String> {
    app.state
        .issue
        .lines
        .borrow()
        .lines
        .iter()
        .map(|l| l.text())
        .collect()
}

async fn open(app: &mut App, key_name: &str) {
    app.start(&format!("key = {key_name}"));
    app.settle().await;
    assert_eq!(app.state.search.rows.len(), 1, "{key_name} found");
    key(app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.focus, Pane::Issue);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fifty_megabyte_answer_is_refused_with_a_readable_message() {
    let (emulator, keys) = bombs().await;
    let client = client(&emulator);
    for chunked in [false, true] {
        emulator.faults().clear();
        emulator.faults().add(FaultRule::new(
            "*",
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                body: hostile::huge_body(FIFTY_MB),
                chunked,
            },
        ));
        let started = Instant::now();
        let errors = [
            client
                .search_jql(&SearchRequest::new("project = NAV"))
                .await
                .unwrap_err(),
            client.issue(&keys.wide_doc, &[], &[]).await.unwrap_err(),
            client
                .comments(&keys.many_comments, 0, 50, CommentOrder::OldestFirst)
                .await
                .unwrap_err(),
        ];
        assert!(started.elapsed() < FREEZE);
        for err in errors {
            assert!(matches!(err, JiraError::Decode { .. }), "{err:?}");
            let text = err.to_string();
            assert!(
                text.contains("larger than 16 MiB, more than jtui accepts"),
                "chunked={chunked}: {text}"
            );
            assert!(!err.is_retryable(), "a bomb is not fetched again");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_megabyte_summary_is_cut_and_draws_quickly() {
    let (emulator, keys) = bombs().await;
    let mut app = app(&emulator);
    open(&mut app, &keys.huge_summary).await;
    let row = &app.state.search.rows[0];
    assert_eq!(row.summary.chars().count(), MAX_FIELD_CHARS + 1);
    assert!(row.summary.ends_with('…'));
    let detail = app.state.issue.detail.as_ref().unwrap();
    assert_eq!(detail.summary.chars().count(), MAX_FIELD_CHARS + 1);
    let started = Instant::now();
    for _ in 0..20 {
        draw(&app);
    }
    assert!(started.elapsed() < FREEZE, "{:?}", started.elapsed());
    let lines = document(&app);
    assert!(lines[0].contains("Huge summary"), "{lines:?}");
    assert!(lines[1].contains("0123456789abcdef"), "{lines:?}");
    assert!(lines.len() < 200, "the summary wraps to a few dozen lines");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_node_document_is_laid_out_in_part() {
    let (emulator, keys) = bombs().await;
    let mut app = app(&emulator);
    open(&mut app, &keys.wide_doc).await;
    // The first draw lays the document out; it must not hold the loop for long.
    let started = Instant::now();
    draw(&app);
    let took = started.elapsed();
    assert!(took < FREEZE, "layout took {took:?}");
    let lines = document(&app);
    assert!(
        lines
            .iter()
            .any(|l| l == "Paragraph 0 of a very long description."),
        "{lines:?}"
    );
    assert!(
        lines.len() < MAX_DOC_LINES + 200,
        "{} lines laid out",
        lines.len()
    );
    let note = lines
        .iter()
        .find(|l| l.contains("not shown"))
        .expect("a note says what is left out");
    assert!(note.contains("more blocks not shown"), "{note}");
    // Scrolling through it all stays cheap: the layout is cached.
    let started = Instant::now();
    key(&mut app, KeyCode::End);
    draw(&app);
    assert!(started.elapsed() < Duration::from_secs(2));
    let total = document(&app).len();
    assert!(
        draw(&app).contains(&format!("{total}/{total}")),
        "scrolled to the end"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_comments_load_up_to_a_limit() {
    let (emulator, keys) = bombs().await;
    let mut app = app(&emulator);
    open(&mut app, &keys.many_comments).await;
    assert_eq!(
        app.state.issue.comments_total,
        hostile::MANY_COMMENTS as u64
    );
    let started = Instant::now();
    // Keep going to the end: each time, the next page loads, until the limit.
    for _ in 0..(MAX_COMMENTS / 50 + 10) {
        key(&mut app, KeyCode::End);
        app.settle().await;
        draw(&app);
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(app.state.issue.comments.len(), MAX_COMMENTS);
    assert!(app.state.issue.comments_capped());
    assert!(!app.state.is_busy(), "no more requests once capped");
    let requests = emulator.request_count(
        "GET",
        &format!("/rest/api/3/issue/{}/comment", keys.many_comments),
    );
    assert_eq!(requests, MAX_COMMENTS / 50);
    let end = draw(&app);
    assert!(
        end.contains("99000 more comments are not loaded here"),
        "{end}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_thousand_deep_document_shows_what_fits() {
    let (emulator, keys) = bombs().await;
    let path = format!("/rest/api/3/issue/{}", keys.deep_doc);
    emulator.faults().add(FaultRule::new(
        path.as_str(),
        Fault::Respond {
            status: 200,
            content_type: "application/json".into(),
            body: hostile::deep_doc_issue(&keys.deep_doc, hostile::DEEP_DOC_LEVELS),
            chunked: false,
        },
    ));
    // The client alone: decoded, pruned, no stack overflow.
    let issue = client(&emulator)
        .issue(&keys.deep_doc, &[], &[])
        .await
        .unwrap();
    assert!(issue.fields.description.is_some());

    let mut app = app(&emulator);
    open(&mut app, &keys.deep_doc).await;
    assert_eq!(app.state.issue.status, LoadStatus::Idle);
    let started = Instant::now();
    draw(&app);
    assert!(started.elapsed() < FREEZE);
    let text = document(&app).join("\n");
    assert!(text.contains("nested 10000 levels deep"), "{text}");
    assert!(text.contains("level 0"), "{text}");
    assert!(text.contains("level 40"), "the shallow part shows: {text}");
    assert!(!text.contains("level 60"), "{text}");
    assert!(
        text.contains("[… nested too deeply to show]"),
        "the cut is marked: {text}"
    );
    assert!(!text.contains("the bottom"), "{text}");
}
