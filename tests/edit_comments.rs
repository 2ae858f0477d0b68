//! Comments through the whole app against the emulator over loopback: add one with a
//! code block, restrict who sees it, edit and delete one's own (with a confirmation),
//! refuse someone else's, and a post that fails (400, 429, timeout) keeps the text and
//! reaches Jira exactly once.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::{seed, server};
use jtui::jira::retry::RetryPolicy;
use jtui::state::edit::Editor;
use serde_json::Value;
use support::app::*;

const NAV: &str = "project = NAV ORDER BY key ASC";

fn rich_text(app: &App) -> String {
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => r.area.text(),
        other => panic!("no rich editor open: {other:?}"),
    }
}

fn rich_error(app: &App) -> Option<String> {
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => r.error.clone(),
        _ => None,
    }
}

/// `c`, waiting for the people and roles the editor asks for.
async fn open_comment_editor(app: &mut App) {
    key(app, KeyCode::Char('c'));
    app.settle().await;
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Rich(_))),
        "c opens the comment editor: {:?}",
        app.state.message
    );
}

fn contains_node(value: &Value, kind: &str) -> bool {
    match value {
        Value::Object(map) => {
            map.get("type").and_then(Value::as_str) == Some(kind)
                || map.values().any(|v| contains_node(v, kind))
        }
        Value::Array(items) => items.iter().any(|v| contains_node(v, kind)),
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_with_a_code_block_is_shown_at_once_then_posted_once() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let before = comments_now(&emulator, &issue).await.len();
    open_comment_editor(&mut app).await;
    assert!(
        screen(&app).contains(&format!("Comment on {issue}")),
        "{}",
        screen(&app)
    );
    write(
        &mut app,
        "Reproduced with **debug** logging:\n\n```rust\nfn main() {\n    drop_frames();\n}\n```",
    );
    ctrl(&mut app, 's');
    assert!(app.state.edit.editor.is_none(), "saving closes the editor");
    let shown = app
        .state
        .issue
        .comments
        .iter()
        .find(|c| c.pending.is_some());
    assert!(
        shown.is_some_and(|c| c.pending.as_ref().unwrap().note == "sending…"),
        "the comment shows at once, marked as sending"
    );
    app.settle().await;
    let path = format!("/rest/api/3/issue/{issue}/comment");
    assert_eq!(emulator.request_count("POST", &path), 1);
    let now = comments_now(&emulator, &issue).await;
    assert_eq!(now.len(), before + 1);
    let posted = now.last().unwrap();
    assert!(contains_node(&posted["body"], "codeBlock"), "{posted}");
    assert!(posted["body"].to_string().contains("drop_frames();"));
    assert!(posted["body"].to_string().contains(r#""language":"rust""#));
    assert_eq!(posted["author"]["accountId"], seed::DEMO_ACCOUNT_ID);
    // Jira's copy replaced the one shown.
    let id = posted["id"].as_str().unwrap();
    assert!(
        app.state
            .issue
            .comments
            .iter()
            .any(|c| c.id == id && c.pending.is_none())
    );
    assert!(app.state.issue.comments.iter().all(|c| c.pending.is_none()));
}

/// The rows of the open visibility list, as (label, detail).
fn visibility_rows(app: &App) -> Vec<(String, String)> {
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => r
            .audience
            .picker
            .as_ref()
            .expect("the visibility list is open")
            .items()
            .iter()
            .map(|i| (i.label.clone(), i.detail.clone().unwrap_or_default()))
            .collect(),
        other => panic!("no rich editor open: {other:?}"),
    }
}

/// Ctrl-V, then `filter` typed into the list and Enter.
fn choose_visibility(app: &mut App, filter: &str) {
    ctrl(app, 'v');
    type_text(app, filter);
    key(app, KeyCode::Enter);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chosen_role_is_shown_and_sent() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    open_comment_editor(&mut app).await;
    assert!(screen(&app).contains("visible to everyone"));
    write(&mut app, "Only for the team");
    ctrl(&mut app, 'v');
    let rows = visibility_rows(&app);
    assert_eq!(rows[0].0, "Everyone");
    assert!(
        rows.contains(&("Developers".into(), "project role".into())),
        "{rows:?}"
    );
    // Only the roles the user holds here (Jira refuses the others).
    assert!(
        rows.iter().all(|(label, _)| label != "Service Desk Team"),
        "{rows:?}"
    );
    assert!(screen(&app).contains("Who may see this comment"));
    type_text(&mut app, "develop");
    key(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains("visible to role Developers"),
        "{}",
        screen(&app)
    );
    // The list took the keys; the text is as it was.
    assert_eq!(rich_text(&app), "Only for the team");
    ctrl(&mut app, 's');
    app.settle().await;
    let posted = comments_now(&emulator, &issue).await.pop().unwrap();
    assert_eq!(posted["visibility"]["type"], "role");
    assert_eq!(posted["visibility"]["value"], "Developers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_can_be_restricted_to_one_of_the_users_groups() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let myself = || emulator.request_count("GET", "/rest/api/3/myself");
    let before = myself();
    open_comment_editor(&mut app).await;
    write(&mut app, "Core team: the planner regression is ours");
    ctrl(&mut app, 'v');
    let groups: Vec<String> = visibility_rows(&app)
        .into_iter()
        .filter(|(_, detail)| detail == "group")
        .map(|(label, _)| label)
        .collect();
    // Exactly the demo user's groups: not Nina's support-leads.
    assert_eq!(
        groups,
        [
            "jira-administrators",
            "jira-software-users",
            "robotics-core",
            "security-response"
        ]
    );
    key(&mut app, KeyCode::Esc);
    assert!(
        screen(&app).contains("visible to everyone"),
        "Esc closes the list and changes nothing"
    );
    assert!(matches!(app.state.edit.editor, Some(Editor::Rich(_))));
    choose_visibility(&mut app, "robotics");
    assert!(
        screen(&app).contains("visible to group robotics-core"),
        "{}",
        screen(&app)
    );
    ctrl(&mut app, 's');
    app.settle().await;
    let posted = comments_now(&emulator, &issue).await.pop().unwrap();
    assert_eq!(posted["visibility"]["type"], "group");
    assert_eq!(posted["visibility"]["value"], "robotics-core");
    // The detail pane says who may see it.
    let shown = app.state.issue.comments.last().unwrap();
    assert!(
        shown.author.contains("visible to group robotics-core"),
        "{}",
        shown.author
    );
    // Groups are asked for once a session: the next comment reuses them.
    open_comment_editor(&mut app).await;
    ctrl(&mut app, 'v');
    assert!(
        visibility_rows(&app)
            .iter()
            .any(|(l, _)| l == "security-response")
    );
    assert_eq!(myself() - before, 1, "one groups request for two editors");
}

/// `C`, then down the comments list to the comment `id`.
fn open_comment_in_list(app: &mut App, id: &str) {
    let at = app
        .state
        .issue
        .comments
        .iter()
        .position(|c| c.id == id)
        .unwrap();
    key(app, KeyCode::Char('C'));
    for _ in 0..at {
        key(app, KeyCode::Down);
    }
}

/// Adds a comment as the demo user and opens the comments list on it.
async fn own_comment_in_list(app: &mut App, text: &str) -> String {
    open_comment_editor(app).await;
    write(app, text);
    ctrl(app, 's');
    app.settle().await;
    let id = app
        .state
        .issue
        .comments
        .iter()
        .find(|c| c.author_id == seed::DEMO_ACCOUNT_ID && !c.id.is_empty())
        .unwrap()
        .id
        .clone();
    open_comment_in_list(app, &id);
    assert!(matches!(app.state.edit.editor, Some(Editor::Comments(_))));
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_ones_own_comment_starts_from_its_text() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let id = own_comment_in_list(&mut app, "First take").await;
    assert!(screen(&app).contains("✎"), "{}", screen(&app));
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(rich_text(&app), "First take");
    assert!(screen(&app).contains(&format!("Edit comment {id} on {issue}")));
    write(&mut app, ", then a second");
    ctrl(&mut app, 's');
    app.settle().await;
    let path = format!("/rest/api/3/issue/{issue}/comment/{id}");
    assert_eq!(emulator.request_count("PUT", &path), 1);
    let edited = comment_now(&emulator, &issue, &id).await;
    assert!(
        edited["body"]
            .to_string()
            .contains("First take, then a second")
    );
    let shown = app
        .state
        .issue
        .comments
        .iter()
        .find(|c| c.id == id)
        .unwrap();
    assert!(shown.pending.is_none());
    assert!(jtui::jira::adf::plain_text(&shown.body).contains("then a second"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_comment_cannot_be_edited_and_says_why() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    // Nina comments; the demo user reloads the issue and sees it.
    let nina = client_for(&emulator, seed::DEMO_OTHER_EMAIL, seed::DEMO_OTHER_TOKEN);
    nina.add_comment(
        &issue,
        &jtui::jira::Adf::from_plain_text("Nina was here"),
        None,
    )
    .await
    .unwrap();
    key(&mut app, KeyCode::Char('r'));
    app.settle().await;
    let theirs = app
        .state
        .issue
        .comments
        .iter()
        .position(|c| c.author_id == seed::DEMO_OTHER_ACCOUNT_ID)
        .unwrap();
    key(&mut app, KeyCode::Char('C'));
    for _ in 0..theirs {
        key(&mut app, KeyCode::Down);
    }
    assert!(
        screen(&app).contains("only its author can edit or delete it"),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.state.edit.editor, Some(Editor::Comments(_))));
    assert!(
        app.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("only its author")
    );
    key(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.state.edit.editor, Some(Editor::Comments(_))));
    app.settle().await;
    let comment_paths = format!("/rest/api/3/issue/{issue}/comment/");
    assert!(
        !emulator
            .request_log()
            .iter()
            .any(|(m, p)| m != "GET" && p.starts_with(&comment_paths)),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_asks_first_and_then_deletes_once() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let id = own_comment_in_list(&mut app, "Short-lived").await;
    let path = format!("/rest/api/3/issue/{issue}/comment/{id}");
    key(&mut app, KeyCode::Char('d'));
    assert!(matches!(
        app.state.edit.editor,
        Some(Editor::ConfirmDelete(_))
    ));
    assert!(screen(&app).contains("Delete your comment"));
    assert!(screen(&app).contains("Short-lived"));
    key(&mut app, KeyCode::Char('n'));
    app.settle().await;
    assert!(app.state.edit.editor.is_none());
    assert_eq!(emulator.request_count("DELETE", &path), 0, "n keeps it");
    open_comment_in_list(&mut app, &id);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    let shown = app
        .state
        .issue
        .comments
        .iter()
        .find(|c| c.id == id)
        .unwrap();
    assert_eq!(shown.pending.as_ref().unwrap().note, "deleting…");
    app.settle().await;
    assert_eq!(emulator.request_count("DELETE", &path), 1);
    assert!(app.state.issue.comments.iter().all(|c| c.id != id));
    assert!(
        comments_now(&emulator, &issue)
            .await
            .iter()
            .all(|c| c["id"] != id.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_restricted_comment_keeps_its_group_until_changed() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let path = format!("/rest/api/3/issue/{issue}/comment");
    open_comment_editor(&mut app).await;
    write(&mut app, "Embargoed until the fix ships");
    choose_visibility(&mut app, "security");
    ctrl(&mut app, 's');
    app.settle().await;
    let id = comments_now(&emulator, &issue).await.pop().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    open_comment_in_list(&mut app, &id);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(
        screen(&app).contains("visible to group security-response"),
        "{}",
        screen(&app)
    );
    // The list opens on the comment's group.
    ctrl(&mut app, 'v');
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => {
            let picker = r.audience.picker.as_ref().unwrap();
            let current = picker.current().unwrap();
            let item = picker.items().iter().find(|i| i.id == current).unwrap();
            assert_eq!(item.label, "security-response");
        }
        other => panic!("{other:?}"),
    }
    key(&mut app, KeyCode::Esc);
    write(&mut app, " (CVE pending)");
    ctrl(&mut app, 's');
    app.settle().await;
    let one = format!("{path}/{id}");
    assert_eq!(emulator.request_count("PUT", &one), 1);
    let edited = comment_now(&emulator, &issue, &id).await;
    assert_eq!(edited["visibility"]["value"], "security-response");
    assert!(edited["body"].to_string().contains("(CVE pending)"));

    // Made public: the next save says so.
    open_comment_in_list(&mut app, &id);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    choose_visibility(&mut app, "everyone");
    assert!(screen(&app).contains("visible to everyone"));
    ctrl(&mut app, 's');
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &one), 2);
    let edited = comment_now(&emulator, &issue, &id).await;
    assert!(edited.get("visibility").is_none(), "{edited}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_groups_the_editor_still_offers_roles_and_asks_again_next_time() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    emulator.faults().add(
        FaultRule::new("/rest/api/3/myself", Fault::Status(403))
            .method("GET")
            .times(1),
    );
    open_comment_editor(&mut app).await;
    write(&mut app, "Still sayable");
    ctrl(&mut app, 'v');
    let rows = visibility_rows(&app);
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => assert!(!r.is_loading(), "not stuck waiting for groups"),
        other => panic!("{other:?}"),
    }
    assert!(rows.iter().all(|(_, d)| d != "group"), "{rows:?}");
    assert!(rows.iter().any(|(l, _)| l == "Developers"), "{rows:?}");
    type_text(&mut app, "Developers");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    app.settle().await;
    let posted = comments_now(&emulator, &issue).await.pop().unwrap();
    assert_eq!(posted["visibility"]["value"], "Developers");
    // Nothing was kept of the failed answer: the next editor asks again and gets them.
    open_comment_editor(&mut app).await;
    ctrl(&mut app, 'v');
    assert!(
        visibility_rows(&app)
            .iter()
            .any(|(l, d)| l == "robotics-core" && d == "group")
    );
}

/// Posts "Keep me" while `fault` hits the comment POST; returns the app after it settled.
async fn post_under(app: &mut App, emulator: &server::RunningEmulator, issue: &str, fault: Fault) {
    let path = format!("/rest/api/3/issue/{issue}/comment");
    emulator
        .faults()
        .add(FaultRule::new(path, fault).method("POST").times(1));
    open_comment_editor(app).await;
    write(app, "Keep me\n\n- one\n- two");
    ctrl(app, 's');
    app.settle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_post_keeps_the_text_with_jiras_message_and_posts_once() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let before = comments_now(&emulator, &issue).await.len();
    post_under(&mut app, &emulator, &issue, Fault::Status(400)).await;
    assert_eq!(rich_text(&app), "Keep me\n\n- one\n- two");
    assert!(rich_error(&app).is_some(), "Jira's message is shown");
    assert!(
        app.state.issue.comments.iter().all(|c| c.pending.is_none()),
        "the comment shown ahead of Jira's answer is taken back"
    );
    let path = format!("/rest/api/3/issue/{issue}/comment");
    assert_eq!(emulator.request_count("POST", &path), 1, "never retried");
    assert_eq!(comments_now(&emulator, &issue).await.len(), before);
    // Saving again now posts it.
    ctrl(&mut app, 's');
    app.settle().await;
    assert_eq!(emulator.request_count("POST", &path), 2);
    assert_eq!(comments_now(&emulator, &issue).await.len(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_post_waits_and_is_applied_once() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let before = comments_now(&emulator, &issue).await.len();
    post_under(
        &mut app,
        &emulator,
        &issue,
        Fault::RateLimited {
            retry_after: Duration::from_secs(1),
        },
    )
    .await;
    assert!(app.state.edit.editor.is_none());
    let now = comments_now(&emulator, &issue).await;
    assert_eq!(now.len(), before + 1, "one comment, not two");
    let path = format!("/rest/api/3/issue/{issue}/comment");
    assert_eq!(
        emulator.request_count("POST", &path),
        2,
        "Jira did not apply the first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_times_out_keeps_the_text_and_is_not_sent_again() {
    let emulator = server::start(
        seed::demo_store(seed::DEMO_ISSUE_COUNT),
        server::ServerOptions::default(),
    )
    .await
    .unwrap();
    let policy = RetryPolicy {
        attempt_timeout: Duration::from_millis(500),
        deadline: Duration::from_secs(5),
        ..RetryPolicy::default()
    };
    let client =
        client_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN).with_retry_policy(policy);
    let mut app = App::new(client, "demo");
    app.state.size = (WIDTH, HEIGHT);
    let issue = open_first(&mut app, NAV).await;
    post_under(
        &mut app,
        &emulator,
        &issue,
        Fault::Latency(Duration::from_secs(2)),
    )
    .await;
    assert_eq!(rich_text(&app), "Keep me\n\n- one\n- two");
    assert!(rich_error(&app).is_some());
    let path = format!("/rest/api/3/issue/{issue}/comment");
    assert_eq!(emulator.request_count("POST", &path), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_s_while_the_post_is_out_sends_nothing_more() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let path = format!("/rest/api/3/issue/{issue}/comment");
    emulator.faults().add(
        FaultRule::new(path.clone(), Fault::Latency(Duration::from_millis(800)))
            .method("POST")
            .times(1),
    );
    open_comment_editor(&mut app).await;
    write(&mut app, "Once only");
    ctrl(&mut app, 's');
    // The same comment again while the first is out: Ctrl-S only says it is sending.
    key(&mut app, KeyCode::Char('c'));
    write(&mut app, "Once only");
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert!(matches!(app.state.edit.editor, Some(Editor::Rich(_))));
    assert!(screen(&app).contains("sending…"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert_eq!(emulator.request_count("POST", &path), 1);
    let texts: Vec<String> = comments_now(&emulator, &issue)
        .await
        .iter()
        .map(|c| c["body"].to_string())
        .filter(|b| b.contains("Once only"))
        .collect();
    assert_eq!(texts.len(), 1);
}

/// Sent before the people, roles and groups came (a fast Ctrl-S), then refused: the
/// editor comes back with the text and waits for nothing (those answers went to the
/// editor that was closed), so it does not spin for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_comment_sent_before_the_roles_came_reopens_without_waiting() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let path = format!("/rest/api/3/issue/{issue}/comment");
    emulator.faults().add(
        FaultRule::new(path, Fault::Status(503))
            .method("POST")
            .times(1),
    );
    key(&mut app, KeyCode::Char('c'));
    write(&mut app, "Quick note");
    ctrl(&mut app, 's');
    tokio::time::timeout(Duration::from_secs(20), app.settle())
        .await
        .expect("everything settles");
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => {
            assert_eq!(r.area.text(), "Quick note");
            assert!(r.error.is_some());
            assert!(!r.is_loading(), "waits for nothing: {:?}", r.audience);
        }
        other => panic!("the editor is back: {other:?}"),
    }
    assert!(!app.state.is_busy());
}
