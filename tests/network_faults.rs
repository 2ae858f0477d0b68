//! Bad networks and a rate-limiting Jira, played by the emulator over real loopback HTTP:
//! reads retry with backoff and recover, the status line says what is happening, a
//! rate limit is honoured by everyone at once, and a revoked token ends the session
//! without a loop and without losing what the user typed.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod screen;
}

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::{Fault, FaultRule, RateLimit, seed, server};
use jtui::jira::retry::{Holdup, RetryPolicy};
use jtui::jira::worker::{JiraCommand, JiraEvent, JiraProgress, JiraRequest, JiraResponse, Worker};
use jtui::jira::write::IssueUpdate;
use jtui::jira::{ApiToken, Credentials, JiraClient, JiraError};
use jtui::state::{LoadStatus, Pane};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::Instant;

const WIDTH: u16 = 140;
const HEIGHT: u16 = 40;
const SEARCH_PATH: &str = "/rest/api/3/search/jql";
const MYSELF_PATH: &str = "/rest/api/3/myself";
/// A generous bound for "it finished": the tests' own waits are milliseconds to a second
/// or two; this only catches a hang.
const HANG: Duration = Duration::from_secs(30);

/// Fast retries, so a fault plays out in milliseconds; a short attempt timeout for the
/// stalled body.
fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        attempt_timeout: Duration::from_millis(800),
        deadline: Duration::from_secs(20),
        near_limit_interval: Duration::from_millis(150),
        ..RetryPolicy::default()
    }
}

async fn emulator() -> server::RunningEmulator {
    server::start(seed::demo_store(60), server::ServerOptions::default())
        .await
        .unwrap()
}

fn client(emulator: &server::RunningEmulator, policy: RetryPolicy) -> JiraClient {
    JiraClient::new(
        url::Url::parse(&emulator.base_url).unwrap(),
        Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN)),
    )
    .unwrap()
    .with_retry_policy(policy)
}

struct Harness {
    worker: Worker,
    events: UnboundedReceiver<JiraEvent>,
    progress: UnboundedReceiver<JiraProgress>,
}

fn harness(client: JiraClient) -> Harness {
    let (tx, events) = unbounded_channel();
    let (ptx, progress) = unbounded_channel();
    Harness {
        worker: Worker::new(client, tx).with_progress(ptx),
        events,
        progress,
    }
}

impl Harness {
    async fn answer(&mut self) -> JiraEvent {
        tokio::time::timeout(HANG, self.events.recv())
            .await
            .expect("an answer in time")
            .expect("worker alive")
    }

    fn notices(&mut self) -> Vec<JiraProgress> {
        let mut all = Vec::new();
        while let Ok(p) = self.progress.try_recv() {
            all.push(p);
        }
        all
    }
}

fn search(id: u64) -> JiraCommand {
    JiraCommand {
        id,
        request: JiraRequest::Search {
            jql: "project = NAV ORDER BY key ASC".into(),
            fields: vec!["summary".into()],
            page_token: None,
            max_results: 10,
        },
    }
}

fn command(id: u64, request: JiraRequest) -> JiraCommand {
    JiraCommand { id, request }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_retried_until_the_network_recovers() {
    let faults = [
        Fault::Reset,
        Fault::StalledBody,
        Fault::TruncatedJson,
        Fault::Status(500),
        Fault::Status(502),
        Fault::Status(503),
        Fault::Status(504),
        Fault::HtmlError(502),
        Fault::InvalidUtf8,
    ];
    for fault in faults {
        let emulator = emulator().await;
        emulator
            .faults()
            .add(FaultRule::new(SEARCH_PATH, fault.clone()).times(2));
        let mut h = harness(client(&emulator, quick_policy()));
        h.worker.send(search(1));
        let event = h.answer().await;
        match event.result {
            Ok(JiraResponse::Search(page)) => assert_eq!(page.issues.len(), 10, "{fault:?}"),
            other => panic!("{fault:?}: expected a recovered search, got {other:?}"),
        }
        assert_eq!(
            emulator.request_count("POST", SEARCH_PATH),
            3,
            "{fault:?}: two failures, one success"
        );
        let notices = h.notices();
        assert_eq!(notices.len(), 2, "{fault:?}: each retry is announced");
        for n in &notices {
            assert_eq!(n.id, 1);
            assert!(
                matches!(&n.notice.holdup, Holdup::Unavailable(_)),
                "{fault:?}: {n:?}"
            );
            assert!(
                n.notice.delay <= Duration::from_millis(200),
                "capped: {n:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_that_never_ends_gives_a_readable_error_after_the_last_try() {
    let emulator = emulator().await;
    emulator
        .faults()
        .add(FaultRule::new(SEARCH_PATH, Fault::HtmlError(503)));
    let mut h = harness(client(&emulator, quick_policy()));
    h.worker.send(search(1));
    let err = h.answer().await.result.unwrap_err();
    assert_eq!(
        emulator.request_count("POST", SEARCH_PATH),
        4,
        "max attempts"
    );
    let text = err.to_string();
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(
        text.contains("Service Unavailable"),
        "the page's title: {text}"
    );
    assert!(!text.contains('<'), "no markup: {text}");
    assert_eq!(h.notices().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_and_bad_jql_are_not_retried() {
    let emulator = emulator().await;
    let mut h = harness(client(&emulator, quick_policy()));
    h.worker.send(command(
        1,
        JiraRequest::Issue {
            key: "NAV-99999".into(),
        },
    ));
    assert!(matches!(
        h.answer().await.result,
        Err(JiraError::NotFound { .. })
    ));
    assert_eq!(
        emulator.request_count("GET", "/rest/api/3/issue/NAV-99999"),
        1
    );
    assert!(h.notices().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_has_a_deadline() {
    let emulator = emulator().await;
    emulator
        .faults()
        .add(FaultRule::new(SEARCH_PATH, Fault::StalledBody));
    let policy = RetryPolicy {
        attempt_timeout: Duration::from_millis(300),
        deadline: Duration::from_secs(1),
        max_attempts: 100,
        ..quick_policy()
    };
    let mut h = harness(client(&emulator, policy));
    let started = Instant::now();
    h.worker.send(search(1));
    let err = h.answer().await.result.unwrap_err();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "the deadline holds: {took:?}"
    );
    assert!(matches!(err, JiraError::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("press r to retry"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_honoured_by_every_request_at_once() {
    let emulator = emulator().await;
    emulator.faults().add(
        FaultRule::new(
            MYSELF_PATH,
            Fault::RateLimited {
                retry_after: Duration::from_secs(1),
            },
        )
        .times(1),
    );
    let mut h = harness(client(&emulator, quick_policy()));
    let started = Instant::now();
    h.worker.send(command(1, JiraRequest::Myself));
    // Wait for the 429 to be seen: its retry is announced.
    let notice = tokio::time::timeout(HANG, h.progress.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notice.notice.holdup, Holdup::RateLimited);
    assert!(
        notice.notice.delay > Duration::from_millis(900),
        "Retry-After: 1, {:?}",
        notice.notice.delay
    );
    assert!(
        notice
            .notice
            .text(None)
            .starts_with("rate limited by Jira, retrying in 1 s"),
        "{}",
        notice.notice.text(None)
    );
    // Others sent during the backoff wait at the gate instead of going out.
    h.worker.send(command(2, JiraRequest::Projects));
    h.worker.send(search(3));
    h.worker.send(command(
        4,
        JiraRequest::Count {
            jql: "project = NAV".into(),
        },
    ));
    let mut answered = Vec::new();
    for _ in 0..4 {
        let event = h.answer().await;
        assert!(event.result.is_ok(), "{:?}", event.result);
        answered.push((event.id, started.elapsed()));
    }
    for (id, at) in &answered {
        assert!(
            *at >= Duration::from_millis(950),
            "request {id} went out during the backoff ({at:?})"
        );
    }
    let log = emulator.request_log();
    assert_eq!(log.len(), 5, "one 429, then each request once: {log:?}");
    assert_eq!(emulator.request_count("GET", MYSELF_PATH), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_budget_is_waited_out_without_a_storm_of_retries() {
    let emulator = server::start(
        seed::demo_store(60),
        server::ServerOptions {
            rate_limit: Some(RateLimit {
                burst: 3,
                per_second: 1.0,
            }),
            ..server::ServerOptions::default()
        },
    )
    .await
    .unwrap();
    let mut h = harness(client(&emulator, quick_policy()));
    // Six reads at once (each of its own kind, so none supersedes another) against a
    // budget of three.
    let reads = [
        JiraRequest::Myself,
        JiraRequest::Projects,
        JiraRequest::Count {
            jql: "project = NAV".into(),
        },
        JiraRequest::Issue {
            key: "NAV-1".into(),
        },
        JiraRequest::Comments {
            key: "NAV-2".into(),
            start_at: 0,
            max_results: 5,
            order: Default::default(),
        },
        JiraRequest::FavouriteFilters,
    ];
    for (id, request) in (1..).zip(reads) {
        h.worker.send(command(id, request));
    }
    for _ in 0..6 {
        let event = h.answer().await;
        assert!(
            !matches!(event.result, Err(JiraError::RateLimited { .. })),
            "request {} gave up: {:?}",
            event.id,
            event.result
        );
    }
    let total = emulator.request_log().len();
    // Three pass, three are refused once together; then, one second per request, a
    // probe and the rest. Without the shared gate each refused request would retry on
    // its own and be refused again and again.
    assert!(total <= 12, "{total} requests for 6 reads");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_per_issue_write_limit_holds_back_nothing_else() {
    let emulator = server::start(
        seed::demo_store(60),
        server::ServerOptions {
            per_issue_writes: server::WriteLimit {
                max_writes: 1,
                window: Duration::from_secs(60),
            },
            ..server::ServerOptions::default()
        },
    )
    .await
    .unwrap();
    let client = client(&emulator, quick_policy());
    let edit = |summary: &str| IssueUpdate::new().set("summary", summary);
    client.edit_issue("NAV-1", &edit("First")).await.unwrap();
    let refused = client.edit_issue("NAV-1", &edit("Second")).await;
    assert!(
        matches!(refused, Err(JiraError::RateLimited { .. })),
        "{refused:?}"
    );
    // Jira limits writes to that issue only: reads (and other issues) go on at once.
    assert!(client.gate().backoff_remaining().is_none());
    let started = Instant::now();
    client.issue("NAV-2", &[], &[]).await.unwrap();
    client.edit_issue("NAV-2", &edit("Other")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn near_limit_answers_slow_the_next_requests() {
    let emulator = emulator().await;
    emulator.faults().add(FaultRule::new("*", Fault::NearLimit));
    let policy = quick_policy();
    let mut h = harness(client(&emulator, policy));
    h.worker.send(command(1, JiraRequest::Myself));
    assert!(h.answer().await.result.is_ok());
    let started = Instant::now();
    for id in 2..=5 {
        h.worker.send(command(
            id,
            JiraRequest::Issue {
                key: format!("NAV-{id}"),
            },
        ));
        // Same slot: wait for each answer so none is superseded.
        assert!(h.answer().await.result.is_ok());
    }
    let took = started.elapsed();
    assert!(
        took >= policy.near_limit_interval * 3,
        "four paced requests took {took:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The whole app

async fn app(emulator: &server::RunningEmulator, policy: RetryPolicy) -> App {
    let mut app = App::new(client(emulator, policy), "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app
}

fn screen(app: &App) -> String {
    support::screen::app_screen(app, WIDTH, HEIGHT)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_line_says_what_is_happening_and_the_app_recovers() {
    let emulator = emulator().await;
    emulator
        .faults()
        .add(FaultRule::new(SEARCH_PATH, Fault::Status(503)).times(2));
    let policy = RetryPolicy {
        base_delay: Duration::from_millis(300),
        jitter: 0.0,
        ..quick_policy()
    };
    let mut app = app(&emulator, policy).await;
    app.start("project = NAV ORDER BY key ASC");
    let mut seen = None;
    while app.step().await {
        let text = screen(&app);
        if text.contains("Jira is not answering (HTTP 503), retrying in") {
            seen = Some(text);
            // The app still takes keys while it waits.
            key(&mut app, KeyCode::Char('?'));
            assert!(app.state.show_help);
            key(&mut app, KeyCode::Esc);
            assert!(!app.state.show_help);
        }
    }
    let seen = seen.expect("the retry was shown");
    assert!(seen.contains("retrying in 1 s…"), "{seen}");
    assert_eq!(app.state.search.status, LoadStatus::Idle);
    assert!(!app.state.search.rows.is_empty());
    assert!(app.state.retry.is_none());
    let after = screen(&app);
    assert!(after.contains("Jira is answering again"), "{after}");
    assert!(after.contains("NAV-1"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_stops_all_requests_and_keeps_what_was_typed() {
    let emulator = emulator().await;
    let mut app = app(&emulator, quick_policy()).await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    assert!(!app.state.search.rows.is_empty());

    // The user starts typing a query, then the token is revoked on the server.
    key(&mut app, KeyCode::Char('/'));
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "project = NAV AND status = ");
    let before = emulator.request_log().len();
    assert!(emulator.revoke_token(seed::DEMO_EMAIL, seed::DEMO_TOKEN));
    // Tab asks Jira for the statuses to complete: the first request to see the 401.
    key(&mut app, KeyCode::Tab);
    app.settle().await;
    assert!(
        emulator.request_log().len() > before,
        "completion asked Jira"
    );
    let typed = app
        .state
        .jql_bar
        .as_ref()
        .map(|bar| bar.input.text().to_owned());
    assert_eq!(typed.as_deref(), Some("project = NAV AND status = "));
    let ended = app.state.session_ended.clone().expect("the session ended");
    assert!(ended.contains("jtui login"), "{ended}");
    let text = screen(&app);
    assert!(text.lines().last().unwrap().contains("(401)"), "{text}");
    let unauthorized = emulator.request_log().len();

    // From now on nothing reaches Jira, whatever the user does.
    key(&mut app, KeyCode::Esc);
    type_text(&mut app, "Do");
    app.settle().await;
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    key(&mut app, KeyCode::Char('r'));
    app.settle().await;
    assert_eq!(
        emulator.request_log().len(),
        unauthorized,
        "no request after the credentials were rejected"
    );
    assert!(!app.state.is_busy(), "no loop: nothing in flight");
    // The query is kept for the next session.
    assert_eq!(app.state.search.jql, "project = NAV AND status = Do");
    let LoadStatus::Failed(message) = &app.state.search.status else {
        panic!("{:?}", app.state.search.status);
    };
    assert!(message.contains("jtui login"), "{message}");
    // The rows already loaded stay readable, and the status line still says why
    // nothing loads.
    assert_eq!(app.state.focus, Pane::Results);
    let text = screen(&app);
    assert!(text.lines().last().unwrap().contains("(401)"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_answers_every_command_after_a_401_without_asking_jira() {
    let emulator = emulator().await;
    assert!(emulator.revoke_token(seed::DEMO_EMAIL, seed::DEMO_TOKEN));
    let mut h = harness(client(&emulator, quick_policy()));
    h.worker.send(command(1, JiraRequest::Myself));
    assert!(matches!(
        h.answer().await.result,
        Err(JiraError::Unauthorized { .. })
    ));
    for id in 2..10 {
        h.worker.send(search(id));
        let event = h.answer().await;
        assert_eq!(event.id, id);
        assert!(matches!(event.result, Err(JiraError::Unauthorized { .. })));
    }
    assert_eq!(
        emulator.request_log().len(),
        1,
        "only the first reached Jira"
    );
    assert!(h.notices().is_empty(), "a 401 is never retried");
}
