//! Transitions through the whole app against the emulator over loopback: one without a
//! screen (the new status shows at once, then is Jira's), one whose screen asks for a
//! resolution (chosen in the shared picker by typing a filter) and takes a comment of
//! several lines, and ones Jira refuses (taken back, with the message
//! where it belongs).

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::state::edit::transition::{FormEditor, FormInput};
use jtui::state::edit::{Editor, PickField};
use jtui::state::fieldkind::FieldKind;
use jtui::state::picker::PickerRow;
use jtui::state::search::StatusCategory;
use serde_json::{Value, json};
use support::app::*;

const TO_DO: &str = "project = NAV AND status = \"To Do\" ORDER BY key ASC";

/// `t`, then moves the highlight onto the transition called `name`.
async fn choose_transition(app: &mut jtui::app::App, name: &str) {
    key(app, KeyCode::Char('t'));
    app.settle().await;
    let Some(Editor::Transitions(menu)) = &app.state.edit.editor else {
        panic!("the transitions open: {:?}", app.state.edit.editor);
    };
    let index = menu
        .choices
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} offered: {:?}", menu.choices));
    for _ in 0..index {
        key(app, KeyCode::Down);
    }
}

fn status_of(app: &jtui::app::App, key: &str) -> (String, String) {
    let detail = app.state.issue.detail.as_ref().unwrap();
    assert_eq!(detail.key, key);
    let row = app.state.search.rows.iter().find(|r| r.key == key).unwrap();
    (detail.status.clone(), row.status.clone())
}

/// The picker open on the transition form.
fn form_picker(app: &jtui::app::App) -> &PickField {
    match &app.state.edit.editor {
        Some(Editor::TransitionForm(form)) => match &form.editing {
            Some(FormEditor::Pick(p)) => p,
            other => panic!("no picker open on the form: {other:?}"),
        },
        other => panic!("no transition form open: {other:?}"),
    }
}

fn form_error(app: &jtui::app::App, field: &str) -> Option<String> {
    match &app.state.edit.editor {
        Some(Editor::TransitionForm(form)) => form
            .fields
            .iter()
            .find(|f| f.id == field)
            .and_then(|f| f.error.clone()),
        other => panic!("no transition form open: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transition_without_a_screen_shows_at_once_then_is_jiras() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, TO_DO).await;
    choose_transition(&mut app, "Start progress").await;
    let menu = screen(&app);
    assert!(menu.contains("Start progress → In Progress"), "{menu}");
    assert!(menu.contains("asks for values*"), "Done is marked: {menu}");
    key(&mut app, KeyCode::Enter);
    // Shown before Jira answers, in the detail pane and the results row.
    assert!(app.state.edit.editor.is_none());
    assert_eq!(
        status_of(&app, &issue),
        ("In Progress".to_owned(), "In Progress".to_owned())
    );
    assert_eq!(
        app.state.search.rows[0].category,
        StatusCategory::InProgress
    );
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "status").await["name"],
        json!("In Progress")
    );
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    assert_eq!(emulator.request_count("POST", &path), 1);
    // The issue came again from Jira.
    let raw = app.state.issue.raw.as_ref().unwrap();
    assert_eq!(raw.fields.status.as_ref().unwrap().name, "In Progress");
    assert_eq!(status_of(&app, &issue).0, "In Progress");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_asks_for_the_resolution_and_takes_a_comment() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, TO_DO).await;
    choose_transition(&mut app, "Done").await;
    key(&mut app, KeyCode::Enter);
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        panic!("the form opens: {:?}", app.state.edit.editor);
    };
    // Required fields first, the comment last.
    assert_eq!(form.fields[0].id, "resolution");
    assert!(form.fields[0].required);
    assert!(matches!(
        form.fields.last().unwrap().input,
        FormInput::Comment { .. }
    ));
    // Sent without a resolution: our own check stops it.
    ctrl(&mut app, 's');
    assert_eq!(
        form_error(&app, "resolution").as_deref(),
        Some("Resolution is required")
    );
    assert!(screen(&app).contains("Resolution is required"));
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    assert_eq!(emulator.request_count("POST", &path), 0);
    assert_eq!(status_of(&app, &issue).0, "To Do", "nothing shown yet");
    // Typing on the resolution opens the shared picker with what was typed as its filter.
    type_text(&mut app, "dupl");
    let rows = {
        let pick = form_picker(&app);
        assert_eq!(pick.picker.query(), "dupl");
        pick.picker
            .rows()
            .iter()
            .filter_map(|r| match r {
                PickerRow::Item(i) => Some(i.label.clone()),
                PickerRow::Create(_) => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rows, ["Duplicate"]);
    assert!(screen(&app).contains("Duplicate"));
    key(&mut app, KeyCode::Enter);
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        unreachable!()
    };
    assert!(form.editing.is_none(), "the picker closed");
    assert_eq!(form.fields[0].shown(), "Duplicate");
    assert_eq!(form.fields[0].error, None);
    // On to the next field (the release it ships in), then down to the comment.
    assert_eq!(form.fields[form.selected].id, "fixVersions");
    key(&mut app, KeyCode::Down);
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        unreachable!()
    };
    assert_eq!(form.selected, form.fields.len() - 1, "on to the comment");
    // A comment of several lines with a code block, in the text area: Enter is a new
    // line there, not "send".
    type_text(&mut app, "Fixed in `lidar_drv` by **restarting** the bus");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "```");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "systemctl restart can0");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "```");
    let drawn = screen(&app);
    assert!(drawn.contains("systemctl restart can0"), "{drawn}");
    assert!(drawn.contains("Ctrl-S send"), "{drawn}");
    assert_eq!(emulator.request_count("POST", &path), 0);
    // Esc closes the text area and keeps the text; the form stays.
    key(&mut app, KeyCode::Esc);
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        panic!("the form stays: {:?}", app.state.edit.editor);
    };
    assert!(form.editing.is_none());
    assert_eq!(
        form.fields.last().unwrap().shown(),
        "Fixed in `lidar_drv` by **restarting** the bus\n```\nsystemctl restart can0\n```"
    );
    assert!(screen(&app).contains("(+3 lines)"));
    ctrl(&mut app, 's');
    assert!(app.state.edit.editor.is_none());
    assert_eq!(status_of(&app, &issue).1, "Done");
    app.settle().await;
    assert_eq!(emulator.request_count("POST", &path), 1);
    assert_eq!(
        field_now(&emulator, &issue, "status").await["name"],
        json!("Done")
    );
    assert_eq!(
        field_now(&emulator, &issue, "resolution").await["name"],
        json!("Duplicate")
    );
    // The comment landed as ADF: a paragraph with its marks, then the code block.
    let last = comments_now(&emulator, &issue).await.pop().unwrap();
    let paragraph = &last["body"]["content"][0];
    assert_eq!(last["body"]["type"], json!("doc"));
    assert_eq!(paragraph["type"], json!("paragraph"));
    let nodes = paragraph["content"].as_array().unwrap();
    let marked = |mark: &str| {
        nodes
            .iter()
            .find(|n| {
                n["marks"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|m| m["type"] == json!(mark)))
            })
            .map(|n| n["text"].clone())
    };
    assert_eq!(marked("code"), Some(json!("lidar_drv")));
    assert_eq!(marked("strong"), Some(json!("restarting")));
    let text: String = nodes.iter().filter_map(|n| n["text"].as_str()).collect();
    assert_eq!(text, "Fixed in lidar_drv by restarting the bus");
    let block = &last["body"]["content"][1];
    assert_eq!(block["type"], json!("codeBlock"), "{last}");
    assert_eq!(block["content"][0]["text"], json!("systemctl restart can0"));
    let chosen = "Duplicate";
    // Status and resolution in the detail pane are Jira's.
    let raw = app.state.issue.raw.as_ref().unwrap();
    assert_eq!(raw.fields.resolution.as_ref().unwrap().name, chosen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_transition_is_taken_back_with_jiras_message_next_to_the_field() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, TO_DO).await;
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    let refusal = json!({
        "errorMessages": [],
        "errors": {"resolution": "The resolution 'Done' is not allowed on this workflow step."}
    });
    emulator.faults().add(
        FaultRule::new(
            &path,
            Fault::Respond {
                status: 400,
                content_type: "application/json".to_owned(),
                body: refusal.to_string().into(),
                chunked: false,
            },
        )
        .method("POST")
        .times(1),
    );
    choose_transition(&mut app, "Done").await;
    key(&mut app, KeyCode::Enter);
    // Enter opens the resolution's picker, Enter there takes the first one.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(form_picker(&app).kind, FieldKind::Select));
    key(&mut app, KeyCode::Enter);
    // Past the fix versions, to the comment.
    key(&mut app, KeyCode::Down);
    type_text(&mut app, "closing");
    ctrl(&mut app, 's');
    assert_eq!(status_of(&app, &issue).0, "Done", "shown at once");
    app.settle().await;
    // Taken back, and the form is there again as the user left it.
    assert_eq!(
        status_of(&app, &issue),
        ("To Do".to_owned(), "To Do".to_owned())
    );
    assert_eq!(app.state.search.rows[0].category, StatusCategory::ToDo);
    assert_eq!(
        form_error(&app, "resolution").as_deref(),
        Some("The resolution 'Done' is not allowed on this workflow step.")
    );
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        unreachable!()
    };
    assert_eq!(form.fields.last().unwrap().shown(), "closing");
    assert!(!form.fields[0].shown().is_empty(), "the choice is kept");
    let drawn = screen(&app);
    let lines: Vec<&str> = drawn.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Resolution*:"))
        .unwrap_or_else(|| panic!("{drawn}"));
    assert!(
        lines[at + 1].contains("is not allowed on this workflow step"),
        "the message sits under the field:\n{drawn}"
    );
    assert_eq!(
        field_now(&emulator, &issue, "status").await["name"],
        json!("To Do")
    );
    // Sent again as it is, Jira takes it.
    ctrl(&mut app, 's');
    app.settle().await;
    assert_eq!(emulator.request_count("POST", &path), 2);
    assert_eq!(
        field_now(&emulator, &issue, "status").await["name"],
        json!("Done")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_reopens_the_list_with_the_message() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    // From the results: the highlighted row.
    let issue = app.state.search.rows[0].key.clone();
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    emulator
        .faults()
        .add(FaultRule::new(&path, Fault::Status(503)).method("POST"));
    choose_transition(&mut app, "Start progress").await;
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.state.search.rows[0].status, "In Progress");
    app.settle().await;
    assert_eq!(app.state.search.rows[0].status, "To Do");
    let Some(Editor::Transitions(menu)) = &app.state.edit.editor else {
        panic!("the list is back: {:?}", app.state.edit.editor);
    };
    assert!(menu.error.as_deref().unwrap().contains("503"), "{menu:?}");
    assert_eq!(emulator.request_count("POST", &path), 1, "never retried");
    assert!(app.state.message.as_ref().unwrap().is_error);
    key(&mut app, KeyCode::Esc);
    assert!(app.state.edit.editor.is_none());
    let _: Value = field_now(&emulator, &issue, "status").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_session_does_not_open_the_transitions() {
    let (mut app, emulator) = demo_app().await;
    app.state.read_only = true;
    let issue = open_first(&mut app, TO_DO).await;
    key(&mut app, KeyCode::Char('t'));
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
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    assert_eq!(emulator.request_count("GET", &path), 0);
}

/// The screen's comment can be restricted like any comment: Ctrl-V lists everyone, the
/// roles and the user's groups, and the transition's comment goes out restricted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screens_comment_can_be_restricted_to_a_group() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, TO_DO).await;
    choose_transition(&mut app, "Done").await;
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(
        screen(&app).contains("Comment visible to everyone"),
        "{}",
        screen(&app)
    );
    // Resolution: its picker, the first one. Then past the fix versions to the comment.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    type_text(&mut app, "Shipped with the fix for the core team");
    // Ctrl-V while writing: the list opens over the form.
    ctrl(&mut app, 'v');
    assert!(
        screen(&app).contains("Who may see the comment"),
        "{}",
        screen(&app)
    );
    type_text(&mut app, "robotics");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert!(
        screen(&app).contains("Comment visible to group robotics-core"),
        "{}",
        screen(&app)
    );
    ctrl(&mut app, 's');
    app.settle().await;
    let path = format!("/rest/api/3/issue/{issue}/transitions");
    assert_eq!(emulator.request_count("POST", &path), 1);
    assert_eq!(
        field_now(&emulator, &issue, "status").await["name"],
        json!("Done")
    );
    let last = comments_now(&emulator, &issue).await.pop().unwrap();
    assert!(last["body"].to_string().contains("Shipped with the fix"));
    assert_eq!(last["visibility"]["type"], json!("group"));
    assert_eq!(last["visibility"]["value"], json!("robotics-core"));
}
