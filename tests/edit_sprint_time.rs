//! Sprint and time tracking through the whole app against the emulator over loopback:
//! the sprint picker lists the open sprints of the project's board (Jira Software's
//! Agile API) and writes the sprint id; the time tracking line takes `original /
//! remaining` in Jira's duration syntax, checked before anything is sent.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::app::App;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::seed;
use jtui::state::edit::{Editor, FieldInput};
use jtui::state::fieldkind::NONE_ID;
use jtui::state::picker::PickerRow;
use serde_json::{Value, json};
use support::app::*;

const BOARDS_PATH: &str = "/rest/agile/1.0/board";
/// A NAV story in the active sprint.
const STORY_IN_SPRINT: &str =
    "project = NAV AND type = Story AND sprint in openSprints() ORDER BY key ASC";

fn sprint_field() -> String {
    format!("customfield_{}", seed::SPRINT_FIELD)
}

/// The open line editor's text, its preview and its error.
fn line(app: &App) -> (String, Option<String>, Option<String>) {
    match &app.state.edit.editor {
        Some(Editor::Field(f)) => match &f.input {
            FieldInput::Line { input, .. } => {
                (input.text().to_owned(), f.hint.clone(), f.error.clone())
            }
            other => panic!("a picker, not a line: {other:?}"),
        },
        other => panic!("no field editor open: {other:?}"),
    }
}

/// The sprints on the issue's sprint field, as (id, state).
fn sprints_of(value: &Value) -> Vec<(u64, String)> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|s| {
                    (
                        s["id"].as_u64().unwrap(),
                        s["state"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_story_moves_into_a_future_sprint_and_back_to_none() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, STORY_IN_SPRINT).await;
    let put = format!("/rest/api/3/issue/{issue}");
    let before = sprints_of(&field_now(&emulator, &issue, &sprint_field()).await);
    let (active, _) = before
        .iter()
        .find(|(_, state)| state == "active")
        .cloned()
        .expect("the story is in the active sprint");

    edit_field(&mut app, "Sprint").await;
    assert_eq!(emulator.request_count("GET", BOARDS_PATH), 1);
    let field = field_picker(&app);
    assert!(!field.picker.is_multi());
    assert!(!field.picker.is_loading());
    assert_eq!(
        field.picker.current(),
        Some(active.to_string().as_str()),
        "the open sprint is marked"
    );
    let items = field.picker.items();
    assert_eq!(items[0].id, NONE_ID);
    assert_eq!(items[0].label, "No sprint");
    let states: Vec<&str> = items[1..]
        .iter()
        .map(|i| i.detail.as_deref().unwrap().split(' ').next().unwrap())
        .collect();
    assert!(
        states.iter().all(|s| *s == "active" || *s == "future"),
        "only open sprints: {states:?}"
    );
    let target = items[1..]
        .iter()
        .find(|i| i.detail.as_deref() == Some("future"))
        .cloned()
        .expect("a future sprint");
    assert!(screen(&app).contains(&target.label), "{}", screen(&app));

    type_text(&mut app, &target.label);
    match field_picker(&app).picker.selected_row() {
        Some(PickerRow::Item(item)) => assert_eq!(item.id, target.id),
        other => panic!("{other:?}"),
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.state.edit.editor.is_none());
    assert_eq!(
        detail_value(&app, "Sprint"),
        target.label,
        "shown before Jira answers"
    );
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &put), 1);
    let after = sprints_of(&field_now(&emulator, &issue, &sprint_field()).await);
    let target_id: u64 = target.id.parse().unwrap();
    assert!(
        after.contains(&(target_id, "future".to_owned())),
        "{after:?}"
    );
    assert!(
        !after.iter().any(|(id, _)| *id == active),
        "moved out of the active sprint: {after:?}"
    );
    let closed = |list: &[(u64, String)]| -> Vec<u64> {
        list.iter()
            .filter(|(_, s)| s == "closed")
            .map(|(id, _)| *id)
            .collect()
    };
    assert_eq!(closed(&after), closed(&before), "history is kept");
    assert!(detail_value(&app, "Sprint").contains(&target.label));

    // Back to no sprint.
    edit_field(&mut app, "Sprint").await;
    assert_eq!(
        field_picker(&app).picker.current(),
        Some(target.id.as_str())
    );
    type_text(&mut app, "No sprint");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &put), 2);
    let cleared = sprints_of(&field_now(&emulator, &issue, &sprint_field()).await);
    assert!(
        cleared.iter().all(|(_, state)| state == "closed"),
        "{cleared:?}"
    );
    assert_eq!(closed(&cleared), closed(&before));
    assert!(app.state.message.as_ref().unwrap().text.contains("Saved"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_estimate_is_typed_previewed_written_and_read_back() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, STORY_IN_SPRINT).await;
    let put = format!("/rest/api/3/issue/{issue}");
    let now = field_now(&emulator, &issue, "timetracking").await;

    edit_field(&mut app, "Time tr").await;
    let (text, _, _) = line(&app);
    let prefill = match (
        now["originalEstimate"].as_str(),
        now["remainingEstimate"].as_str(),
    ) {
        (Some(o), Some(r)) => format!("{o} / {r}"),
        (Some(o), None) => o.to_owned(),
        (None, Some(r)) => format!("/ {r}"),
        (None, None) => String::new(),
    };
    assert_eq!(text, prefill, "starts from the issue's estimates");
    clear_line(&mut app);
    type_text(&mut app, "3d / 1d 4h");
    let (_, hint, error) = line(&app);
    assert_eq!(hint.as_deref(), Some("original 3d · remaining 1d 4h"));
    assert_eq!(error, None);
    assert!(screen(&app).contains("original 3d · remaining 1d 4h"));
    key(&mut app, KeyCode::Enter);
    assert!(app.state.edit.editor.is_none());
    assert_eq!(detail_value(&app, "Time"), "3d estimate, 1d 4h remaining");
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &put), 1);
    let after = field_now(&emulator, &issue, "timetracking").await;
    assert_eq!(after["originalEstimate"], "3d");
    assert_eq!(after["remainingEstimate"], "1d 4h");
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert!(
        said.starts_with("Saved Time tracking of"),
        "the field's own name: {said}"
    );

    // Only the remaining estimate: the original stays.
    edit_field(&mut app, "Time tr").await;
    assert_eq!(
        line(&app).0,
        "3d / 1d 4h",
        "prefilled from the reloaded issue"
    );
    clear_line(&mut app);
    type_text(&mut app, "/ 2h");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &put), 2);
    let after = field_now(&emulator, &issue, "timetracking").await;
    assert_eq!(after["originalEstimate"], "3d");
    assert_eq!(after["remainingEstimate"], "2h");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_duration_is_refused_before_anything_is_sent() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, STORY_IN_SPRINT).await;
    let put = format!("/rest/api/3/issue/{issue}");
    edit_field(&mut app, "Time tr").await;
    for typed in ["3 days", "2d / 1.5h", " / "] {
        clear_line(&mut app);
        type_text(&mut app, typed);
        key(&mut app, KeyCode::Enter);
        app.settle().await;
        let (text, _, error) = line(&app);
        assert_eq!(text, typed, "the editor stays open with the text");
        let error = error.unwrap_or_else(|| panic!("{typed}: no message"));
        assert!(screen(&app).contains(&error), "{typed}: {}", screen(&app));
    }
    let (_, _, error) = line(&app);
    assert!(error.unwrap().contains("estimate"));
    assert_eq!(emulator.request_count("PUT", &put), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_agile_api_the_picker_keeps_no_sprint_and_the_current_one() {
    let (mut app, emulator) = demo_app().await;
    open_first(&mut app, STORY_IN_SPRINT).await;
    // A site without Jira Software has no Agile API.
    emulator.faults().add(FaultRule::new(
        BOARDS_PATH,
        Fault::Respond {
            status: 404,
            content_type: "application/json".to_owned(),
            body: json!({"errorMessages": ["No Jira Software here"], "errors": {}})
                .to_string()
                .into(),
            chunked: false,
        },
    ));
    edit_field(&mut app, "Sprint").await;
    let field = field_picker(&app);
    assert!(!field.picker.is_loading(), "it stops waiting");
    let ids: Vec<&str> = field.picker.items().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ids[0], NONE_ID);
    assert_eq!(field.picker.current(), Some(ids[1]));
    let message = &app.state.message.as_ref().unwrap().text;
    assert!(message.contains("No Jira Software here"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sprint_move_is_taken_back_and_the_picker_reopens() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, STORY_IN_SPRINT).await;
    let before = detail_value(&app, "Sprint");
    emulator.faults().add(
        FaultRule::new(
            format!("/rest/api/3/issue/{issue}"),
            Fault::Respond {
                status: 400,
                content_type: "application/json".to_owned(),
                body: json!({"errorMessages": [], "errors": {sprint_field(): "Sprint is locked"}})
                    .to_string()
                    .into(),
                chunked: false,
            },
        )
        .method("PUT"),
    );
    edit_field(&mut app, "Sprint").await;
    type_text(&mut app, "No sprint");
    key(&mut app, KeyCode::Enter);
    assert_eq!(detail_value(&app, "Sprint"), "", "shown at once");
    app.settle().await;
    assert_eq!(detail_value(&app, "Sprint"), before, "taken back");
    let Some(Editor::Field(editor)) = &app.state.edit.editor else {
        panic!("the picker reopens: {:?}", app.state.edit.editor)
    };
    assert_eq!(editor.error.as_deref(), Some("Sprint is locked"));
    assert!(
        screen(&app).contains("Sprint is locked"),
        "{}",
        screen(&app)
    );
}
