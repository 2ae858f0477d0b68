//! Editing fields through the whole app against the emulator over loopback: the field
//! menu from editmeta, single-line values with their checks, assign to me and unassign,
//! the conflict prompt, and failed saves (400, 500, 429) that keep what the user typed.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use std::time::Duration;

use crossterm::event::KeyCode;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::seed;
use jtui::jira::write::IssueUpdate;
use jtui::state::edit::{Editor, FieldInput};
use serde_json::json;
use support::app::*;

/// The open editor's single-line text.
fn editor_text(app: &jtui::app::App) -> String {
    match &app.state.edit.editor {
        Some(Editor::Field(f)) => match &f.input {
            FieldInput::Line { input, .. } => input.text().to_owned(),
            FieldInput::Pick(_) => panic!("a picker, not a line editor"),
        },
        other => panic!("no field editor open: {other:?}"),
    }
}

fn editor_error(app: &jtui::app::App) -> Option<String> {
    match &app.state.edit.editor {
        Some(Editor::Field(f)) => f.error.clone(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_is_shown_at_once_then_saved() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    edit_field(&mut app, "summ").await;
    let before = app.state.issue.detail.as_ref().unwrap().summary.clone();
    assert_eq!(
        editor_text(&app),
        before,
        "the editor starts from the value"
    );
    assert!(screen(&app).contains("Summary"), "{}", screen(&app));
    clear_line(&mut app);
    type_text(&mut app, "Lidar driver drops frames under load");
    key(&mut app, KeyCode::Enter);
    // Shown before Jira answers.
    assert!(app.state.edit.editor.is_none());
    assert_eq!(
        app.state.issue.detail.as_ref().unwrap().summary,
        "Lidar driver drops frames under load"
    );
    assert_eq!(
        app.state.search.rows[0].summary,
        "Lidar driver drops frames under load"
    );
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("Lidar driver drops frames under load")
    );
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        1
    );
    let message = app.state.message.clone().unwrap();
    assert!(
        !message.is_error && message.text.contains("Saved"),
        "{message:?}"
    );
    // The issue came again from Jira, with the new value.
    assert_eq!(
        app.state.issue.raw.as_ref().unwrap().fields.summary,
        "Lidar driver drops frames under load"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_is_checked_before_it_is_sent() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    edit_field(&mut app, "story points").await;
    clear_line(&mut app);
    type_text(&mut app, "five");
    key_enter(&mut app);
    assert!(
        editor_error(&app).unwrap().contains("not a number"),
        "{:?}",
        app.state.edit.editor
    );
    assert!(screen(&app).contains("not a number: \"five\""));
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        0
    );
    clear_line(&mut app);
    type_text(&mut app, "8");
    key_enter(&mut app);
    app.settle().await;
    let points = app
        .state
        .issue
        .raw
        .as_ref()
        .unwrap()
        .fields
        .story_points(&app.state.issue.raw.as_ref().unwrap().names);
    assert_eq!(points, Some(8.0));
}

fn key_enter(app: &mut jtui::app::App) {
    key(app, KeyCode::Enter);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assign_to_me_and_unassign_from_the_results() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    let issue = app.state.search.rows[0].key.clone();
    key(&mut app, KeyCode::Char('a'));
    let me = app.state.me.clone().unwrap();
    assert_eq!(app.state.search.rows[0].assignee, me, "shown at once");
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "assignee").await["accountId"],
        json!(seed::DEMO_ACCOUNT_ID)
    );
    key(&mut app, KeyCode::Char('u'));
    assert_eq!(app.state.search.rows[0].assignee, "Unassigned");
    app.settle().await;
    assert!(field_now(&emulator, &issue, "assignee").await.is_null());
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}/assignee")),
        2
    );
}

/// Types `mine` as the new summary of the first NAV issue while Nina saves `hers`, then
/// presses Enter: the conflict prompt is up. Returns the issue key.
async fn save_into_a_conflict(
    app: &mut jtui::app::App,
    emulator: &jtui::emulator::server::RunningEmulator,
    mine: &str,
    hers: &str,
) -> String {
    let issue = open_first(app, "project = NAV ORDER BY key ASC").await;
    edit_field(app, "summ").await;
    clear_line(app);
    type_text(app, mine);
    let nina = client_for(emulator, seed::DEMO_OTHER_EMAIL, seed::DEMO_OTHER_TOKEN);
    // `updated` has a millisecond resolution: make sure hers is later.
    tokio::time::sleep(Duration::from_millis(5)).await;
    nina.edit_issue(&issue, &IssueUpdate::new().set("summary", hers))
        .await
        .unwrap();
    key_enter(app);
    app.settle().await;
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Conflict(_))),
        "{:?}",
        app.state.edit.editor
    );
    issue
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_change_is_shown_before_anything_is_overwritten() {
    let (mut app, emulator) = demo_app().await;
    let issue = save_into_a_conflict(&mut app, &emulator, "My summary", "Nina's summary").await;
    let shown = screen(&app);
    assert!(shown.contains("changed since you opened it"), "{shown}");
    assert!(shown.contains("Nina Kowalski changed summary"), "{shown}");
    assert!(shown.contains("now: Nina's summary"), "{shown}");
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        1,
        "only Nina's write so far"
    );
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("Nina's summary")
    );
    // Back to the edit: the text is still there, and now saving compares with Nina's.
    key(&mut app, KeyCode::Char('e'));
    app.settle().await;
    assert_eq!(editor_text(&app), "My summary");
    key_enter(&mut app);
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("My summary")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overwrite_after_seeing_the_conflict() {
    let (mut app, emulator) = demo_app().await;
    let issue = save_into_a_conflict(&mut app, &emulator, "Mine wins", "Hers").await;
    key(&mut app, KeyCode::Char('o'));
    assert_eq!(
        app.state.issue.detail.as_ref().unwrap().summary,
        "Mine wins"
    );
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("Mine wins")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_value_comes_back_in_the_editor_with_jiras_message() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    let before = app.state.issue.detail.as_ref().unwrap().summary.clone();
    edit_field(&mut app, "summ").await;
    clear_line(&mut app);
    let long = "x".repeat(300);
    type_text(&mut app, &long);
    key_enter(&mut app);
    app.settle().await;
    assert_eq!(editor_text(&app), long, "the text is still there");
    assert_eq!(
        editor_error(&app).as_deref(),
        Some("Summary must be less than 255 characters.")
    );
    assert_eq!(
        app.state.issue.detail.as_ref().unwrap().summary,
        before,
        "the value shown went back"
    );
    assert!(screen(&app).contains("Summary must be less than 255 characters."));
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_not_retried_and_keeps_the_text() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    edit_field(&mut app, "summ").await;
    clear_line(&mut app);
    type_text(&mut app, "Survives a 503");
    let path = format!("/rest/api/3/issue/{issue}");
    emulator
        .faults()
        .add(FaultRule::new(path.clone(), Fault::Status(503)).method("PUT"));
    key_enter(&mut app);
    app.settle().await;
    assert_eq!(editor_text(&app), "Survives a 503");
    assert!(
        editor_error(&app).unwrap().contains("503"),
        "{:?}",
        editor_error(&app)
    );
    assert_eq!(
        emulator.request_count("PUT", &path),
        1,
        "a write is never retried"
    );
    // The network is back: Enter again saves.
    emulator.faults().clear();
    key_enter(&mut app);
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("Survives a 503")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_during_save_keeps_the_text() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    edit_field(&mut app, "summ").await;
    clear_line(&mut app);
    type_text(&mut app, "Survives a reset");
    let path = format!("/rest/api/3/issue/{issue}");
    emulator
        .faults()
        .add(FaultRule::new(path.clone(), Fault::Reset).method("PUT"));
    key_enter(&mut app);
    app.settle().await;
    assert_eq!(editor_text(&app), "Survives a reset");
    assert!(editor_error(&app).is_some());
    assert_eq!(
        emulator.request_count("PUT", &path),
        1,
        "a write is never retried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_sent_again_after_retry_after_and_applied_once() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    edit_field(&mut app, "summ").await;
    clear_line(&mut app);
    type_text(&mut app, "After the limit");
    let path = format!("/rest/api/3/issue/{issue}");
    emulator.faults().add(
        FaultRule::new(
            path.clone(),
            Fault::RateLimited {
                retry_after: Duration::from_secs(1),
            },
        )
        .method("PUT")
        .times(1),
    );
    key_enter(&mut app);
    app.settle().await;
    assert!(
        app.state.edit.editor.is_none(),
        "{:?}",
        app.state.edit.editor
    );
    assert_eq!(
        field_now(&emulator, &issue, "summary").await,
        json!("After the limit")
    );
    assert_eq!(
        emulator.request_count("PUT", &path),
        2,
        "Jira did not apply the first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_fields_are_listed_but_not_offered() {
    let (mut app, _emulator) = demo_app().await;
    open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    key(&mut app, KeyCode::Char('e'));
    app.settle().await;
    let Some(Editor::Menu(menu)) = &app.state.edit.editor else {
        panic!("menu")
    };
    let created = menu.fields.iter().find(|f| f.name == "Created").unwrap();
    assert!(!created.editable);
    type_text(&mut app, "created");
    key_enter(&mut app);
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Menu(_))),
        "not offered"
    );
    assert!(
        app.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("read-only")
    );
    assert!(screen(&app).contains("(read-only)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_opens_no_editor() {
    let emulator = jtui::emulator::server::start(
        seed::demo_store(50),
        jtui::emulator::server::ServerOptions::default(),
    )
    .await
    .unwrap();
    let client = client_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN).with_read_only(true);
    let mut app = jtui::app::App::new(client, "demo");
    app.state.size = (WIDTH, HEIGHT);
    open_first(&mut app, "project = NAV").await;
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Char('a'));
    app.settle().await;
    assert!(app.state.edit.editor.is_none());
    assert!(
        app.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("read-only")
    );
    assert_eq!(
        emulator.request_count("GET", "/rest/api/3/issue/NAV-1/editmeta"),
        0
    );
}

/// Fields the detail pane shows outside its field list still show their value in the
/// menu: the description's first words, the parent's key and summary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_shows_the_description_and_parent_too() {
    let (mut app, _emulator) = demo_app().await;
    open_first(
        &mut app,
        "project = WEB AND parent is not EMPTY AND description is not EMPTY ORDER BY key ASC",
    )
    .await;
    let detail = app.state.issue.detail.clone().unwrap();
    let parent = detail
        .related
        .iter()
        .find(|r| r.relation == "Parent")
        .expect("a parent");
    let description = jtui::jira::adf::plain_text(detail.description.as_ref().unwrap());
    let first = description
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap()
        .to_owned();
    key(&mut app, KeyCode::Char('e'));
    app.settle().await;
    let Some(Editor::Menu(menu)) = &app.state.edit.editor else {
        panic!("menu")
    };
    let current = |name: &str| {
        menu.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} in the menu"))
            .current
            .clone()
    };
    assert_eq!(current("Description"), first);
    assert_eq!(
        current("Parent"),
        format!("{} {}", parent.key, parent.summary)
    );
}

fn mouse(app: &mut jtui::app::App, kind: crossterm::event::MouseEventKind, column: u16, row: u16) {
    app.handle_event(&crossterm::event::Event::Mouse(
        crossterm::event::MouseEvent {
            kind,
            column,
            row,
            modifiers: crossterm::event::KeyModifiers::NONE,
        },
    ));
}

/// With an editor open, a click on the panes behind it changes nothing (it must not open
/// another issue under the editor), and the wheel moves through the popup's list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mouse_stays_inside_an_open_editor() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let (mut app, _emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    key(&mut app, KeyCode::Char('e'));
    app.settle().await;
    let selected = |app: &jtui::app::App| match &app.state.edit.editor {
        Some(Editor::Menu(menu)) => menu.selected,
        other => panic!("the menu is open: {other:?}"),
    };
    assert_eq!(selected(&app), 0);
    mouse(&mut app, MouseEventKind::ScrollDown, 60, 10);
    mouse(&mut app, MouseEventKind::ScrollDown, 60, 10);
    assert_eq!(selected(&app), 2);
    mouse(&mut app, MouseEventKind::ScrollUp, 60, 10);
    assert_eq!(selected(&app), 1);
    // Every row of the screen, twice (a second click on a row opens it).
    let (_, height) = app.state.size;
    for _ in 0..2 {
        for row in 0..height {
            mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 2, row);
            mouse(&mut app, MouseEventKind::Down(MouseButton::Left), 40, row);
        }
    }
    app.settle().await;
    assert_eq!(app.state.issue.key.as_deref(), Some(issue.as_str()));
    assert_eq!(selected(&app), 1, "the menu is still open, where it was");
    assert_eq!(app.state.search.selected, 0);
}
