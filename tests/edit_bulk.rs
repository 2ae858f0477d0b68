//! Bulk changes through the whole app against the emulator over loopback: marking rows
//! (across pages), a bulk transition of five issues with its progress and summary, a
//! partial failure that keeps the failed issue marked with Jira's reason, bulk priority
//! and labels (the shared picker, labels completed from the site's list or typed new),
//! an assignee searched by typing, and Esc stopping a run.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::state::edit::bulk::{BulkAction, BulkOutcome, BulkStep};
use jtui::state::edit::{Editor, PickField};
use jtui::state::picker::PickerRow;
use serde_json::json;
use support::app::*;

const TO_DO: &str = "project = NAV AND status = \"To Do\" ORDER BY key ASC";

/// The results row of `key`.
fn row<'a>(app: &'a jtui::app::App, key: &str) -> &'a jtui::state::search::IssueRow {
    app.state
        .search
        .rows
        .iter()
        .find(|r| r.key == key)
        .expect("the issue is in the results")
}

fn keys(app: &jtui::app::App, n: usize) -> Vec<String> {
    app.state.search.rows[..n]
        .iter()
        .map(|r| r.key.clone())
        .collect()
}

/// Space on the first `n` rows (each press moves down).
fn mark_first(app: &mut jtui::app::App, n: usize) {
    key(app, KeyCode::Home);
    for _ in 0..n {
        key(app, KeyCode::Char(' '));
    }
}

/// `b`, then the bulk menu's entry starting with `label`.
fn bulk(app: &mut jtui::app::App, label: &str) {
    key(app, KeyCode::Char('b'));
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Bulk(_))),
        "the bulk menu opens: {:?}",
        app.state.message
    );
    let index = jtui::state::edit::bulk::BulkAction::ALL
        .iter()
        .position(|a| a.label().starts_with(label))
        .unwrap();
    for _ in 0..index {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
}

/// Picks the bulk transition called `name` once the transitions are in.
async fn bulk_transition(app: &mut jtui::app::App, name: &str) {
    bulk(app, "Transition");
    app.settle().await;
    let Some(Editor::Transitions(menu)) = &app.state.edit.editor else {
        panic!("the common transitions: {:?}", app.state.edit.editor);
    };
    assert!(menu.bulk);
    let index = menu.choices.iter().position(|c| c.name == name).unwrap();
    for _ in 0..index {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
}

/// Steps until nothing is in flight, drawing the screen after every step.
async fn run_to_end(app: &mut jtui::app::App) -> Vec<String> {
    let mut screens = vec![screen(app)];
    while app.step().await {
        assert!(app.state.edit.saves.len() <= 1, "never two writes at once");
        screens.push(screen(app));
    }
    screens
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_issues_are_transitioned_one_at_a_time_with_progress() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    let five = keys(&app, 5);
    mark_first(&mut app, 5);
    let marked = screen(&app);
    assert!(marked.contains("5 marked"), "{marked}");
    assert_eq!(marked.matches('●').count(), 5, "{marked}");
    bulk_transition(&mut app, "Start progress").await;
    // One transitions read per issue, one after the other.
    for key in &five {
        let path = format!("/rest/api/3/issue/{key}/transitions");
        assert_eq!(emulator.request_count("GET", &path), 1, "{key}");
    }
    let screens = run_to_end(&mut app).await;
    assert!(
        screens
            .iter()
            .any(|s| s.contains(&format!("Transitioning 3/5: {}…", five[2]))),
        "progress shown: {}",
        screens.join("\n----\n")
    );
    assert!(
        screens
            .iter()
            .any(|s| s.contains(&format!("✓ {}", five[0])) && !s.contains("Done: 5")),
        "per-issue lines while it runs"
    );
    for key in &five {
        assert_eq!(
            field_now(&emulator, key, "status").await["name"],
            json!("In Progress"),
            "{key}"
        );
        let path = format!("/rest/api/3/issue/{key}/transitions");
        assert_eq!(emulator.request_count("POST", &path), 1, "{key}");
        let row = row(&app, key);
        assert_eq!(row.status, "In Progress");
    }
    let summary = screen(&app);
    assert!(summary.contains("Done: 5 of 5 changed"), "{summary}");
    assert!(
        app.state.edit.marked.is_empty(),
        "marks cleared after success"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.state.edit.editor.is_none());
    assert!(!screen(&app).contains('●'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_failure_says_which_and_why_and_keeps_it_marked() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    let four = keys(&app, 4);
    let refused = four[2].clone();
    let reason = format!(
        "It seems that you have tried to perform a workflow operation (Done) that is not valid for the current state of this issue ({refused})."
    );
    emulator.faults().add(
        FaultRule::new(
            format!("/rest/api/3/issue/{refused}/transitions"),
            Fault::Respond {
                status: 400,
                content_type: "application/json".to_owned(),
                body: json!({"errorMessages": [reason], "errors": {}})
                    .to_string()
                    .into(),
                chunked: false,
            },
        )
        .method("POST"),
    );
    mark_first(&mut app, 4);
    bulk_transition(&mut app, "Done").await;
    // Its screen asks for a resolution, once for all of them.
    let Some(Editor::TransitionForm(form)) = &app.state.edit.editor else {
        panic!("the form: {:?}", app.state.edit.editor);
    };
    assert_eq!(form.keys.len(), 4);
    assert!(screen(&app).contains("4 marked issues"));
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("Resolution is required"));
    // The resolution's picker: Enter opens it, Enter takes the first; Ctrl-S sends.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    run_to_end(&mut app).await;
    let Some(Editor::BulkRun(run)) = &app.state.edit.editor else {
        panic!("the summary: {:?}", app.state.edit.editor);
    };
    assert_eq!(run.succeeded(), 3);
    let failed: Vec<(&str, &str)> = run.failed().collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, refused);
    assert!(
        failed[0].1.contains("not valid for the current state"),
        "{failed:?}"
    );
    assert!(
        matches!(run.outcomes[3].1, BulkOutcome::Done),
        "it went on after the failure"
    );
    let summary = screen(&app);
    assert!(
        summary.contains("Done: 3 of 4 changed, 1 failed"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "✗ {refused}: Jira returned HTTP 400: It seems that"
        )),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("({refused}).")),
        "the reason is shown in full: {summary}"
    );
    assert_eq!(
        app.state.edit.marked.iter().cloned().collect::<Vec<_>>(),
        vec![refused.clone()],
        "only the failed one stays marked"
    );
    for key in &four {
        let want = if *key == refused { "To Do" } else { "Done" };
        assert_eq!(
            field_now(&emulator, key, "status").await["name"],
            json!(want),
            "{key}"
        );
        let row = row(&app, key);
        assert_eq!(row.status, want, "{key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priority_and_labels_change_on_every_marked_issue() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    let three = keys(&app, 3);
    // Space on the first row, then V on the third: a range.
    key(&mut app, KeyCode::Char(' '));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('V'));
    assert_eq!(app.state.edit.marked.len(), 3);
    bulk(&mut app, "Priority");
    app.settle().await;
    // The shared picker over the first issue's allowed priorities, narrowed by typing.
    type_text(&mut app, "lowe");
    assert_eq!(
        item_labels(bulk_picker(&app)),
        ["Lowest"],
        "{:?}",
        bulk_picker(&app).picker.items()
    );
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    for key in &three {
        assert_eq!(
            field_now(&emulator, key, "priority").await["name"],
            json!("Lowest")
        );
        let row = row(&app, key);
        assert_eq!(row.priority, "Lowest");
    }
    assert!(app.state.edit.marked.is_empty());
    key(&mut app, KeyCode::Enter);

    mark_first(&mut app, 3);
    bulk(&mut app, "Add labels");
    app.settle().await;
    check_labels(&mut app, &["triage", "bulk-test"]);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    for key in &three {
        let labels = field_now(&emulator, key, "labels").await;
        let labels = labels.as_array().unwrap();
        assert!(labels.contains(&json!("triage")), "{key}: {labels:?}");
        assert!(labels.contains(&json!("bulk-test")), "{key}: {labels:?}");
    }
    key(&mut app, KeyCode::Esc);

    mark_first(&mut app, 3);
    bulk(&mut app, "Remove labels");
    app.settle().await;
    // The label made a moment ago is offered now: the session's list knows it.
    check_labels(&mut app, &["bulk-test"]);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    for key in &three {
        let labels = field_now(&emulator, key, "labels").await;
        let labels = labels.as_array().unwrap();
        assert!(labels.contains(&json!("triage")), "{key}: {labels:?}");
        assert!(!labels.contains(&json!("bulk-test")), "{key}: {labels:?}");
        let path = format!("/rest/api/3/issue/{key}");
        assert_eq!(emulator.request_count("PUT", &path), 3, "{key}");
    }
    assert_eq!(
        emulator.request_count("GET", "/rest/api/3/label"),
        1,
        "the site's labels are read once a session"
    );
}

/// The bulk menu's picker.
fn bulk_picker(app: &jtui::app::App) -> &PickField {
    match &app.state.edit.editor {
        Some(Editor::Bulk(menu)) => match &menu.step {
            BulkStep::Pick { field, .. } => field,
            other => panic!("no picker: {other:?}"),
        },
        other => panic!("no bulk menu: {other:?}"),
    }
}

/// Checks each label in the labels picker: its first letters typed, then the highlight
/// moved onto it (a completion from the site's list) or onto "create" when the site
/// has no such label yet, then Enter.
fn check_labels(app: &mut jtui::app::App, labels: &[&str]) {
    for label in labels {
        let known = app
            .state
            .edit
            .labels
            .as_ref()
            .expect("the site's labels came")
            .iter()
            .any(|l| l == label);
        let typed: String = if known {
            label.chars().take(3).collect()
        } else {
            (*label).to_owned()
        };
        type_text(app, &typed);
        let mut moves = 0;
        while !match bulk_picker(app).picker.selected_row() {
            Some(PickerRow::Item(i)) => known && i.id == *label,
            Some(PickerRow::Create(text)) => !known && text == *label,
            None => false,
        } {
            key(app, KeyCode::Down);
            moves += 1;
            assert!(
                moves < 50,
                "{label} offered for {typed:?}: {:?}",
                item_labels(bulk_picker(app))
            );
        }
        key(app, KeyCode::Enter);
        assert!(bulk_picker(app).picker.is_checked(label), "{label}");
        assert_eq!(bulk_picker(app).picker.query(), "", "the filter clears");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assignee_picked_by_typing_goes_on_every_marked_issue() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    let three = keys(&app, 3);
    mark_first(&mut app, 3);
    bulk(&mut app, "Assignee");
    app.settle().await;
    // The first page of users assignable to the first marked issue, at once.
    let users = "/rest/api/3/user/assignable/search";
    assert_eq!(emulator.request_count("GET", users), 1);
    assert!(screen(&app).contains("Assign 3 marked issues to"));
    // Someone of the first page, found again by the first five letters of a name.
    let (query, wanted, name) = typeable_user(bulk_picker(&app));
    // Typed fast: one or two searches, not five.
    type_text(&mut app, &query);
    assert!(bulk_picker(&app).picker.is_loading());
    app.settle().await;
    let searches = emulator.request_count("GET", users) - 1;
    assert!((1..=2).contains(&searches), "{searches} searches");
    let mut moves = 0;
    while !matches!(bulk_picker(&app).picker.selected_row(), Some(PickerRow::Item(i)) if i.id == wanted)
    {
        key(&mut app, KeyCode::Down);
        moves += 1;
        assert!(
            moves < 20,
            "{name} found by {query:?}: {:?}",
            item_labels(bulk_picker(&app))
        );
    }
    key(&mut app, KeyCode::Enter);
    let screens = run_to_end(&mut app).await;
    assert!(
        screens.iter().any(|s| s.contains("Assigning 2/3")),
        "one at a time, with progress"
    );
    for key in &three {
        assert_eq!(
            field_now(&emulator, key, "assignee").await["accountId"],
            json!(wanted),
            "{key}"
        );
        let path = format!("/rest/api/3/issue/{key}/assignee");
        assert_eq!(emulator.request_count("PUT", &path), 1, "{key}");
        let row = row(&app, key);
        assert_eq!(row.assignee, name);
    }
    let summary = screen(&app);
    assert!(summary.contains("Done: 3 of 3 changed"), "{summary}");
    assert!(app.state.edit.marked.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_in_a_bulk_picker_goes_back_to_the_menu_without_writing() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    let two = keys(&app, 2);
    mark_first(&mut app, 2);
    bulk(&mut app, "Assignee");
    app.settle().await;
    type_text(&mut app, "ni");
    key(&mut app, KeyCode::Esc);
    let Some(Editor::Bulk(menu)) = &app.state.edit.editor else {
        panic!("the menu is back: {:?}", app.state.edit.editor);
    };
    assert!(matches!(
        menu.step,
        BulkStep::Actions { selected } if BulkAction::ALL[selected] == BulkAction::Assignee
    ));
    app.settle().await;
    for key in &two {
        let path = format!("/rest/api/3/issue/{key}/assignee");
        assert_eq!(emulator.request_count("PUT", &path), 0);
    }
    assert_eq!(app.state.edit.marked.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marks_survive_paging_and_go_once_the_change_is_made() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY key ASC");
    app.settle().await;
    let first = app.state.search.rows[0].key.clone();
    key(&mut app, KeyCode::Char(' '));
    // Page down until the next page is in, then mark a row of it.
    while app.state.search.rows.len() <= 50 {
        key(&mut app, KeyCode::PageDown);
        app.settle().await;
    }
    key(&mut app, KeyCode::End);
    app.settle().await;
    let last = app.state.search.selected_row().unwrap().key.clone();
    key(&mut app, KeyCode::Char(' '));
    assert!(app.state.search.rows.len() > 50);
    let drawn = screen(&app);
    assert!(drawn.contains("2 marked"), "{drawn}");
    assert!(app.state.edit.marked.contains(&first));
    assert!(app.state.edit.marked.contains(&last));
    bulk(&mut app, "Assign to me");
    app.settle().await;
    for key in [&first, &last] {
        assert_eq!(
            field_now(&emulator, key, "assignee").await["emailAddress"],
            json!(jtui::emulator::seed::DEMO_EMAIL),
            "{key}"
        );
    }
    assert!(app.state.edit.marked.is_empty());
    assert!(!screen(&app).contains("marked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_stops_the_writes_not_yet_sent() {
    let (mut app, emulator) = demo_app().await;
    app.start(TO_DO);
    app.settle().await;
    let five = keys(&app, 5);
    mark_first(&mut app, 5);
    bulk(&mut app, "Unassign");
    // The first write is out; Esc before Jira answers.
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("stopping"));
    app.settle().await;
    let sent: usize = five
        .iter()
        .map(|k| emulator.request_count("PUT", &format!("/rest/api/3/issue/{k}/assignee")))
        .sum();
    assert_eq!(sent, 1, "what was sent stays sent, nothing more");
    let summary = screen(&app);
    assert!(
        summary.contains("Done: 1 of 5 changed, 4 not sent (stopped)"),
        "{summary}"
    );
    assert_eq!(app.state.edit.marked.len(), 4);
    key(&mut app, KeyCode::Enter);
    assert!(app.state.edit.editor.is_none());
}

/// The picker open in a bulk transition's form.
fn form_pick(app: &jtui::app::App) -> &PickField {
    match &app.state.edit.editor {
        Some(Editor::TransitionForm(form)) => match &form.editing {
            Some(jtui::state::edit::transition::FormEditor::Pick(p)) => p,
            other => panic!("no picker open in the form: {other:?}"),
        },
        other => panic!("no transition form: {other:?}"),
    }
}

/// A list field on a bulk transition's screen adds what was picked to each issue's own
/// values: an issue's fix versions are never replaced by those of the form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_transition_adds_list_values_and_keeps_each_issues_own() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV AND status = \"To Do\" AND fixVersion is not EMPTY ORDER BY key ASC");
    app.settle().await;
    let two = keys(&app, 2);
    let names = |value: serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut before = Vec::new();
    for key in &two {
        before.push(names(field_now(&emulator, key, "fixVersions").await));
    }
    mark_first(&mut app, 2);
    bulk_transition(&mut app, "Done").await;
    // Resolution: Enter opens its picker, Enter takes the first. Then the fix versions.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let added = form_pick(&app)
        .picker
        .items()
        .iter()
        .map(|i| i.label.clone())
        .find(|l| before.iter().all(|b| !b.contains(l)))
        .expect("a version neither issue has");
    // Typed, Enter checks it (and clears the filter), Enter again takes the list.
    type_text(&mut app, &added);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    run_to_end(&mut app).await;
    for (key, had) in two.iter().zip(&before) {
        let mut want = had.clone();
        want.push(added.clone());
        want.sort();
        let mut now = names(field_now(&emulator, key, "fixVersions").await);
        now.sort();
        assert_eq!(now, want, "{key} keeps its own and gains {added}");
        assert_eq!(
            field_now(&emulator, key, "status").await["name"],
            json!("Done")
        );
    }
}

/// The open sprint of each issue's sprint field, by name.
async fn open_sprint(
    emulator: &jtui::emulator::server::RunningEmulator,
    key: &str,
) -> Option<String> {
    let field = format!("customfield_{}", jtui::emulator::seed::SPRINT_FIELD);
    field_now(emulator, key, &field)
        .await
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["state"] != "closed")
        .map(|s| s["name"].as_str().unwrap().to_owned())
}

/// Several issues move into a sprint at once (the sprint field found in editmeta, the
/// sprints from the Agile API), and out of it with "No sprint".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marked_issues_move_into_a_sprint_and_out() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV AND type = Story AND status = \"To Do\" ORDER BY key ASC");
    app.settle().await;
    let three = keys(&app, 3);
    mark_first(&mut app, 3);
    bulk(&mut app, "Sprint");
    app.settle().await;
    let target = bulk_picker(&app)
        .picker
        .items()
        .iter()
        .find(|i| i.detail.as_deref().is_some_and(|d| d.starts_with("future")))
        .expect("a future sprint")
        .label
        .clone();
    type_text(&mut app, &target);
    key(&mut app, KeyCode::Enter);
    run_to_end(&mut app).await;
    for key in &three {
        assert_eq!(
            open_sprint(&emulator, key).await.as_deref(),
            Some(target.as_str()),
            "{key}"
        );
        assert_eq!(
            emulator.request_count("PUT", &format!("/rest/api/3/issue/{key}")),
            1
        );
    }
    key(&mut app, KeyCode::Enter);
    mark_first(&mut app, 3);
    bulk(&mut app, "Sprint");
    app.settle().await;
    type_text(&mut app, "No sprint");
    key(&mut app, KeyCode::Enter);
    run_to_end(&mut app).await;
    for key in &three {
        assert_eq!(open_sprint(&emulator, key).await, None, "{key}");
    }
}
