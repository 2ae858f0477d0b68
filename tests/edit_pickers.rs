//! Every field editor kind through the whole app against the emulator over loopback:
//! priority (a select, `p`), components (a multi-select written as add/remove), labels
//! (the site's list with completion, plus free entry), the assignee (`A`, users searched
//! on Jira with a debounced query), a due date typed as `+3d`, story points; and a failed
//! save that reopens the picker with the user's choice and Jira's message.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::seed;
use jtui::jira::worker::JiraRequest;
use jtui::jira::write::FieldOperation;
use jtui::state::edit::Editor;
use jtui::state::fieldkind::NONE_ID;
use jtui::state::picker::PickerRow;
use serde_json::json;
use support::app::*;

const USERS_PATH: &str = "/rest/api/3/user/assignable/search";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_picks_a_priority_shown_at_once_then_saved() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    let before = field_now(&emulator, &issue, "priority").await["name"].clone();
    key(&mut app, KeyCode::Char('p'));
    app.settle().await;
    let field = field_picker(&app);
    assert!(!field.picker.is_multi());
    assert_eq!(
        field.picker.current(),
        field_now(&emulator, &issue, "priority").await["id"].as_str(),
        "the current priority is marked"
    );
    let other = item_labels(field)
        .into_iter()
        .find(|l| json!(l) != before && l != "None")
        .unwrap();
    assert!(screen(&app).contains(&other), "{}", screen(&app));
    type_text(&mut app, &other);
    key(&mut app, KeyCode::Enter);
    assert!(app.state.edit.editor.is_none());
    assert_eq!(
        detail_value(&app, "Priority"),
        other,
        "shown before Jira answers"
    );
    assert_eq!(app.state.search.rows[0].priority, other);
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "priority").await["name"],
        json!(other)
    );
    assert!(app.state.message.as_ref().unwrap().text.contains("Saved"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_are_written_as_add_and_remove_of_what_changed() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(
        &mut app,
        "project = NAV AND component is not EMPTY ORDER BY key ASC",
    )
    .await;
    let had: Vec<String> = field_now(&emulator, &issue, "components")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(!had.is_empty());
    edit_field(&mut app, "compon").await;
    let field = field_picker(&app);
    assert!(field.picker.is_multi());
    for name in &had {
        let id = field
            .picker
            .checked()
            .iter()
            .find(|i| &i.label == name)
            .map(|i| i.id.clone());
        assert!(id.is_some(), "{name} starts checked");
    }
    let added = item_labels(field)
        .into_iter()
        .find(|l| !had.contains(l))
        .unwrap();
    let removed = had[0].clone();
    // Type a name and Enter: checked, filter cleared. Typing the checked one and Tab
    // unchecks it.
    type_text(&mut app, &added);
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, &removed);
    key(&mut app, KeyCode::Tab);
    clear_line(&mut app);
    key(&mut app, KeyCode::Enter);
    // The write waits for the conflict check: its body is the add/remove of the change.
    let save = app
        .state
        .edit
        .saves
        .values()
        .next()
        .expect("a save in flight");
    let JiraRequest::EditIssue { update, .. } = &save.write else {
        panic!("{:?}", save.write)
    };
    let ops = &update.update["components"];
    assert!(update.fields.is_empty(), "no `set` of the whole list");
    assert_eq!(ops.len(), 2, "{ops:?}");
    assert!(
        ops.iter()
            .any(|op| matches!(op, FieldOperation::Remove(v) if v.get("id").is_some()))
    );
    assert!(
        ops.iter()
            .any(|op| matches!(op, FieldOperation::Add(v) if v.get("id").is_some()))
    );
    let shown = detail_value(&app, "Components");
    assert!(
        shown.contains(&added) && !shown.contains(&removed),
        "{shown}"
    );
    app.settle().await;
    let now: Vec<String> = field_now(&emulator, &issue, "components")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(now.contains(&added), "{now:?}");
    assert!(!now.contains(&removed), "{now:?}");
    assert_eq!(now.len(), had.len(), "one added, one removed: {now:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_complete_from_the_site_and_take_new_ones() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    let had = field_now(&emulator, &issue, "labels").await;
    edit_field(&mut app, "labels").await;
    assert_eq!(emulator.request_count("GET", "/rest/api/3/label"), 1);
    let site = app
        .state
        .edit
        .labels
        .clone()
        .expect("the label list is kept");
    let existing = site
        .iter()
        .find(|l| !had.as_array().unwrap().contains(&json!(l)))
        .unwrap()
        .clone();
    // A prefix lists it (completion), Enter checks the best match.
    let prefix: String = existing
        .chars()
        .take(existing.chars().count() - 1)
        .collect();
    type_text(&mut app, &prefix);
    assert!(item_labels(field_picker(&app)).contains(&existing));
    type_text(&mut app, &existing[prefix.len()..]);
    key(&mut app, KeyCode::Enter);
    assert!(field_picker(&app).picker.is_checked(&existing));
    // Free entry: a label the site does not have yet.
    type_text(&mut app, "jtui-triage");
    assert!(field_picker(&app).picker.offers_create());
    key(&mut app, KeyCode::Enter);
    assert!(field_picker(&app).picker.is_checked("jtui-triage"));
    key(&mut app, KeyCode::Enter);
    assert!(app.state.edit.editor.is_none());
    let shown = detail_value(&app, "Labels");
    assert!(
        shown.contains("jtui-triage") && shown.contains(&existing),
        "{shown}"
    );
    app.settle().await;
    let now = field_now(&emulator, &issue, "labels").await;
    let now = now.as_array().unwrap();
    assert!(now.contains(&json!("jtui-triage")), "{now:?}");
    assert!(now.contains(&json!(existing)), "{now:?}");
    for old in had.as_array().unwrap() {
        assert!(now.contains(old), "{old} kept");
    }
    // The list is asked for once a session.
    edit_field(&mut app, "labels").await;
    assert_eq!(emulator.request_count("GET", "/rest/api/3/label"), 1);
    key(&mut app, KeyCode::Esc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assignee_search_is_debounced_and_assigns_through_the_assignee_endpoint() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    key(&mut app, KeyCode::Char('A'));
    app.settle().await;
    // The first page came at once, so there is something to choose from.
    assert_eq!(emulator.request_count("GET", USERS_PATH), 1);
    let (query, wanted, _) = typeable_user(field_picker(&app));
    // Five characters typed fast: one or two searches, not five.
    type_text(&mut app, &query);
    assert!(field_picker(&app).picker.is_loading());
    app.settle().await;
    let searches = emulator.request_count("GET", USERS_PATH) - 1;
    assert!((1..=2).contains(&searches), "{searches} searches");
    let field = field_picker(&app);
    assert!(!field.picker.is_loading());
    let rows: Vec<_> = field
        .picker
        .rows()
        .iter()
        .filter_map(|r| match r {
            PickerRow::Item(i) if i.id != NONE_ID => Some((i.id.clone(), i.label.clone())),
            _ => None,
        })
        .collect();
    assert!(
        rows.iter().any(|(id, _)| *id == wanted),
        "Jira's answer to {query:?}: {rows:?}"
    );
    let label = rows.iter().find(|(id, _)| *id == wanted).unwrap().1.clone();
    while !matches!(field_picker(&app).picker.selected_row(), Some(PickerRow::Item(i)) if i.id == wanted)
    {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(detail_value(&app, "Assignee"), label, "shown at once");
    app.settle().await;
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}/assignee")),
        1
    );
    assert_eq!(
        field_now(&emulator, &issue, "assignee").await["accountId"],
        json!(wanted)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_pick_reopens_with_the_choice_and_jiras_message() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    let before = detail_value(&app, "Priority");
    key(&mut app, KeyCode::Char('p'));
    app.settle().await;
    let other = item_labels(field_picker(&app))
        .into_iter()
        .find(|l| *l != before && l != "None")
        .unwrap();
    emulator.faults().add(
        FaultRule::new(
            format!("/rest/api/3/issue/{issue}"),
            Fault::Respond {
                status: 400,
                content_type: "application/json".to_owned(),
                body: json!({"errorMessages": [], "errors": {"priority": "Priority is locked"}})
                    .to_string()
                    .into(),
                chunked: false,
            },
        )
        .method("PUT"),
    );
    type_text(&mut app, &other);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(detail_value(&app, "Priority"), before, "taken back");
    let Some(Editor::Field(editor)) = &app.state.edit.editor else {
        panic!("the picker reopens: {:?}", app.state.edit.editor)
    };
    assert_eq!(editor.error.as_deref(), Some("Priority is locked"));
    assert_eq!(
        field_picker(&app).picker.query(),
        other,
        "the user's filter is kept"
    );
    assert!(
        screen(&app).contains("Priority is locked"),
        "{}",
        screen(&app)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn due_date_plus_three_days_is_previewed_and_written() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV ORDER BY key ASC").await;
    // The app's "now", as `App` sets it before drawing: here the emulator's own clock.
    let now = seed::now();
    app.state.now = Some(now.with_timezone(&chrono::Utc));
    let expected = now.with_timezone(&chrono::Local).date_naive() + chrono::Days::new(3);
    edit_field(&mut app, "due").await;
    clear_line(&mut app);
    type_text(&mut app, "+3d");
    let Some(Editor::Field(editor)) = &app.state.edit.editor else {
        panic!()
    };
    let hint = editor.hint.clone().unwrap();
    assert!(
        hint.contains(&expected.format("%Y-%m-%d").to_string()),
        "{hint}"
    );
    assert!(screen(&app).contains(&hint));
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        detail_value(&app, "Due"),
        expected.format("%Y-%m-%d").to_string()
    );
    app.settle().await;
    assert_eq!(
        field_now(&emulator, &issue, "duedate").await,
        json!(expected.format("%Y-%m-%d").to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn story_points_take_a_number() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    edit_field(&mut app, "story points").await;
    clear_line(&mut app);
    type_text(&mut app, "13");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let raw = app.state.issue.raw.as_ref().unwrap();
    assert_eq!(raw.fields.story_points(&raw.names), Some(13.0));
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        1
    );
}

/// A user custom field (the demo's Reviewer on stories and bugs) is picked like the
/// assignee, from Jira's assignable-user search, and written as `{"accountId"}` with PUT.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_custom_field_is_picked_from_jiras_user_search() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    let field = format!("customfield_{}", jtui::emulator::seed::REVIEWER_FIELD);
    let before = emulator.request_count("GET", USERS_PATH);
    edit_field(&mut app, "Reviewer").await;
    assert!(emulator.request_count("GET", USERS_PATH) > before);
    let (query, wanted, name) = typeable_user(field_picker(&app));
    type_text(&mut app, &query);
    app.settle().await;
    while !matches!(field_picker(&app).picker.selected_row(), Some(PickerRow::Item(i)) if i.id == wanted)
    {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(detail_value(&app, "Reviewer"), name, "shown at once");
    app.settle().await;
    assert_eq!(
        emulator.request_count("PUT", &format!("/rest/api/3/issue/{issue}")),
        1
    );
    assert_eq!(
        field_now(&emulator, &issue, &field).await["accountId"],
        json!(wanted)
    );
    assert_eq!(
        detail_value(&app, "Reviewer"),
        name,
        "kept after Jira's copy"
    );
}

/// The parent: the project's epics are offered (the current one marked), another one
/// moves the story, "No parent" takes it out, and a key typed for an issue of the wrong
/// level is refused by Jira with its message next to the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parent_is_picked_from_the_projects_epics_or_typed_by_key() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(
        &mut app,
        "project = NAV AND type = Story AND parent is not EMPTY ORDER BY key ASC",
    )
    .await;
    let path = format!("/rest/api/3/issue/{issue}");
    let was = field_now(&emulator, &issue, "parent").await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    edit_field(&mut app, "Parent").await;
    app.settle().await;
    let field = field_picker(&app);
    assert_eq!(field.picker.current(), Some(was.as_str()));
    let epics: Vec<(String, String)> = field
        .picker
        .items()
        .iter()
        .filter(|i| i.id != NONE_ID)
        .map(|i| (i.id.clone(), i.detail.clone().unwrap_or_default()))
        .collect();
    assert!(epics.len() > 1, "{epics:?}");
    assert!(
        epics
            .iter()
            .all(|(key, detail)| key.starts_with("NAV-") && detail.starts_with("Epic")),
        "only NAV's epics: {epics:?}"
    );
    // Open epics before finished ones (after the current parent, listed first).
    let done: Vec<bool> = epics[1..]
        .iter()
        .map(|(_, d)| d.ends_with("Done"))
        .collect();
    assert!(done.windows(2).all(|w| w[0] <= w[1]), "{epics:?}");
    assert!(done.contains(&false) && done.contains(&true), "{epics:?}");
    let other = epics.iter().find(|(k, _)| *k != was).unwrap().0.clone();
    type_text(&mut app, &other);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &path), 1);
    assert_eq!(
        field_now(&emulator, &issue, "parent").await["key"],
        json!(other)
    );
    let detail = app.state.issue.detail.as_ref().unwrap();
    assert!(
        detail
            .related
            .iter()
            .any(|r| r.relation == "Parent" && r.key == other),
        "the detail pane shows the new parent"
    );

    // No parent.
    edit_field(&mut app, "Parent").await;
    app.settle().await;
    type_text(&mut app, "No parent");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &path), 2);
    assert!(field_now(&emulator, &issue, "parent").await.is_null());

    // A story typed as the parent of a story: Jira refuses, the editor says why.
    edit_field(&mut app, "Parent").await;
    app.settle().await;
    type_text(&mut app, &issue.to_lowercase());
    assert!(matches!(
        field_picker(&app).picker.selected_row(),
        Some(PickerRow::Create(_))
    ));
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(emulator.request_count("PUT", &path), 3);
    let Some(Editor::Field(editor)) = &app.state.edit.editor else {
        panic!("the picker reopens: {:?}", app.state.edit.editor)
    };
    let error = editor.error.clone().unwrap_or_default();
    assert!(error.contains("parent"), "{error}");
    assert!(field_now(&emulator, &issue, "parent").await.is_null());
}
