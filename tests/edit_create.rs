//! Creating issues and sub-tasks through the whole app against the emulator over
//! loopback: the form from createmeta, the local check of required fields, Jira's 400
//! next to the field it concerns with the form kept, success opening the new issue and
//! refreshing the results, a sub-task linked to its parent; and the emulator refusing
//! sub-tasks without a proper parent, as Jira does. The form's draft: kept on close,
//! named at start, offered back and created from, started over with Ctrl-R, kept when
//! Jira refuses the create, kept per parent for sub-tasks.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::drafts::{
    Draft, DraftField, DraftIssueType, DraftStore, DraftTarget, DraftValue, FormDraft,
};
use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::seed;
use jtui::jira::error::JiraError;
use jtui::jira::write::IssueCreate;
use jtui::state::edit::{CreateForm, CreateRow, CreateStage, Editor, RowEditor};
use jtui::state::fieldkind::{FieldValue, NONE_ID};
use jtui::state::picker::PickerRow;
use serde_json::json;
use support::app::*;

const CREATE_PATH: &str = "/rest/api/3/issue";

fn form(app: &jtui::app::App) -> &CreateForm {
    match &app.state.edit.editor {
        Some(Editor::Create(form)) => form,
        other => panic!("no create form open: {other:?} ({:?})", app.state.message),
    }
}

fn field_error(app: &jtui::app::App, id: &str) -> Option<String> {
    form(app).field(id).and_then(|f| f.error.clone())
}

/// Opens the form with `k` and waits for its types and fields.
async fn open_form(app: &mut jtui::app::App, k: char) {
    key(app, KeyCode::Char(k));
    app.settle().await;
    let form = form(app);
    assert_eq!(form.stage, CreateStage::Ready);
    assert!(form.issue_type.is_some(), "{:?}", form.error);
    assert_eq!(
        form.selected_row(),
        Some(CreateRow::Field(0)),
        "the cursor starts on the summary"
    );
    assert_eq!(form.fields[0].id, "summary");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_fields_are_checked_before_anything_is_sent() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    assert_eq!(form(&app).project, "NAV", "the highlighted issue's project");
    let f = form(&app);
    // Required ones first, after the summary.
    let first_optional = f.fields.iter().position(|f| !f.needs_value()).unwrap();
    assert!(f.fields[first_optional..].iter().all(|f| !f.needs_value()));
    assert!(
        screen(&app).contains("New issue in NAV"),
        "{}",
        screen(&app)
    );
    ctrl(&mut app, 's');
    app.settle().await;
    assert!(
        field_error(&app, "summary").unwrap().contains("required"),
        "{:?}",
        form(&app).fields[0]
    );
    assert_eq!(emulator.request_count("POST", CREATE_PATH), 0);
    assert!(
        screen(&app).contains("Summary is required"),
        "{}",
        screen(&app)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jiras_refusal_lands_next_to_the_field_and_the_form_stays() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    // Longer than Jira takes: only Jira says so.
    let long = "x".repeat(300);
    type_text(&mut app, &long);
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's');
    assert!(
        app.state.edit.editor.is_none(),
        "the form waits in the save while it is out"
    );
    app.settle().await;
    assert_eq!(emulator.request_count("POST", CREATE_PATH), 1);
    let message = field_error(&app, "summary").expect("Jira's message by the summary");
    assert!(message.contains("255"), "{message}");
    assert_eq!(
        form(&app).fields[0].text,
        long,
        "what was typed is still there"
    );
    assert!(
        screen(&app).contains("Summary must be less than 255"),
        "{}",
        screen(&app)
    );
    // Fixed, it goes through.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(form(&app).editing, Some(RowEditor::Line { .. })));
    clear_line(&mut app);
    type_text(&mut app, "Shorter summary");
    ctrl(&mut app, 's');
    app.settle().await;
    assert_eq!(emulator.request_count("POST", CREATE_PATH), 2);
    let created = app.state.issue.key.clone().unwrap();
    assert_eq!(
        field_now(&emulator, &created, "summary").await,
        json!("Shorter summary")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_issue_opens_and_shows_in_the_results() {
    let (mut app, emulator) = demo_app().await;
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    let now = seed::now();
    app.state.now = Some(now.with_timezone(&chrono::Utc));
    open_form(&mut app, 'n').await;
    type_text(&mut app, "Odometry drifts after a cold start");
    key(&mut app, KeyCode::Enter);
    // The due date, relative.
    select(&mut app, "duedate");
    type_text(&mut app, "+3d");
    key(&mut app, KeyCode::Enter);
    let expected = now.with_timezone(&chrono::Local).date_naive() + chrono::Days::new(3);
    assert_eq!(
        form(&app).field("duedate").unwrap().value,
        FieldValue::Date(expected)
    );
    // The description, several lines of markdown-style text.
    select(&mut app, "description");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(form(&app).editing, Some(RowEditor::Text(_))));
    type_text(&mut app, "Seen on **AMR200** only.");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "- after a reboot");
    assert!(
        screen(&app).contains("Seen on **AMR200** only."),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Esc);
    assert!(matches!(
        form(&app).field("description").unwrap().value,
        FieldValue::Rich(_)
    ));
    // The assignee, searched in the project (there is no issue yet).
    select(&mut app, "assignee");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    let (query, wanted) = {
        let Some(RowEditor::Pick(pick)) = &form(&app).editing else {
            panic!("the user picker opens")
        };
        pick.picker
            .items()
            .iter()
            .filter(|i| i.id != NONE_ID && i.id != seed::DEMO_ACCOUNT_ID)
            .find_map(|i| {
                let word = i
                    .label
                    .split_whitespace()
                    .find(|w| w.chars().count() >= 4)?;
                Some((word.to_lowercase(), i.id.clone()))
            })
            .expect("an assignable user")
    };
    type_text(&mut app, &query);
    app.settle().await;
    loop {
        let Some(RowEditor::Pick(pick)) = &form(&app).editing else {
            panic!("the picker stays open while choosing")
        };
        match pick.picker.selected_row() {
            Some(PickerRow::Item(i)) if i.id == wanted => break,
            _ => key(&mut app, KeyCode::Down),
        }
    }
    key(&mut app, KeyCode::Enter);
    let chosen = form(&app).field("assignee").unwrap().value.clone();
    assert_eq!(
        chosen.items().first().map(|i| i.id.as_str()),
        Some(wanted.as_str())
    );
    assert!(
        emulator
            .request_log()
            .iter()
            .any(|(m, p)| m == "GET" && p == "/rest/api/3/user/assignable/search")
    );
    ctrl(&mut app, 's');
    app.settle().await;
    let created = app.state.issue.key.clone().expect("the new issue is open");
    assert!(created.starts_with("NAV-"), "{created}");
    assert_eq!(
        app.state.message.as_ref().unwrap().text,
        format!("Created {created}")
    );
    assert!(app.state.edit.editor.is_none());
    assert_eq!(
        app.state.issue.detail.as_ref().unwrap().summary,
        "Odometry drifts after a cold start"
    );
    assert_eq!(
        app.state.search.rows.first().map(|r| r.key.as_str()),
        Some(created.as_str()),
        "the results ran again and show it"
    );
    assert_eq!(
        field_now(&emulator, &created, "duedate").await,
        json!(expected.format("%Y-%m-%d").to_string())
    );
    assert_eq!(
        field_now(&emulator, &created, "assignee").await["accountId"],
        json!(wanted)
    );
    let doc = field_now(&emulator, &created, "description").await;
    let text = doc.to_string();
    assert_eq!(doc["type"], "doc", "{doc}");
    assert!(
        text.contains("\"strong\"") && text.contains("AMR200"),
        "{doc}"
    );
    assert!(
        text.contains("bulletList") && text.contains("after a reboot"),
        "{doc}"
    );
    assert_eq!(
        field_now(&emulator, &created, "reporter").await["accountId"],
        json!(seed::DEMO_ACCOUNT_ID)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sub_task_is_created_under_the_open_issue() {
    let (mut app, emulator) = demo_app().await;
    let parent = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    open_form(&mut app, 'N').await;
    let f = form(&app);
    assert_eq!(f.parent.as_deref(), Some(parent.as_str()));
    assert!(!f.types.is_empty() && f.types.iter().all(|t| t.subtask));
    assert!(
        f.field("parent").is_none(),
        "the parent is fixed, not asked"
    );
    assert!(screen(&app).contains(&format!("New sub-task of {parent}")));
    type_text(&mut app, "Calibrate the wheel encoders");
    ctrl(&mut app, 's');
    app.settle().await;
    let created = app.state.issue.key.clone().unwrap();
    assert_ne!(created, parent);
    assert_eq!(
        field_now(&emulator, &created, "parent").await["key"],
        json!(parent)
    );
    assert_eq!(
        field_now(&emulator, &created, "issuetype").await["subtask"],
        json!(true)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_refuses_sub_tasks_without_a_proper_parent() {
    let (mut app, emulator) = demo_app().await;
    let parent = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    let client = client_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN);
    let types = client.create_meta_issue_types("NAV").await.unwrap();
    let subtask = types.iter().find(|t| t.subtask).unwrap();
    let story = types.iter().find(|t| t.name == "Story").unwrap();
    let refused = |e: JiraError| match e {
        JiraError::Api { field_errors, .. } => field_errors,
        other => panic!("{other:?}"),
    };
    // No parent.
    let e = client
        .create_issue(&IssueCreate::new("NAV", &subtask.id, "Orphan"))
        .await
        .unwrap_err();
    assert!(refused(e).contains_key("parent"));
    // A sub-task as a parent: not the level above.
    let child = client
        .create_issue(&IssueCreate::new("NAV", &subtask.id, "Child").parent(&parent))
        .await
        .unwrap();
    let e = client
        .create_issue(&IssueCreate::new("NAV", &subtask.id, "Grandchild").parent(&child.key))
        .await
        .unwrap_err();
    assert!(refused(e).contains_key("parent"));
    // A parent in another project.
    let other = app
        .state
        .projects
        .items
        .iter()
        .find(|p| p.key != "NAV")
        .unwrap()
        .key
        .clone();
    let other_types = client.create_meta_issue_types(&other).await.unwrap();
    if let Some(other_subtask) = other_types.iter().find(|t| t.subtask) {
        let e = client
            .create_issue(&IssueCreate::new(&other, &other_subtask.id, "Elsewhere").parent(&parent))
            .await
            .unwrap_err();
        assert!(refused(e).contains_key("parent"));
    }
    // A story under a story: the hierarchy does not allow it.
    let e = client
        .create_issue(&IssueCreate::new("NAV", &story.id, "Nested").parent(&parent))
        .await
        .unwrap_err();
    assert!(refused(e).contains_key("parent"));
    // In the app, `N` on a sub-task says why not.
    key(&mut app, KeyCode::Char('g'));
    type_text(&mut app, &child.key);
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.issue.key.as_deref(), Some(child.key.as_str()));
    key(&mut app, KeyCode::Char('N'));
    assert!(app.state.edit.editor.is_none());
    assert!(
        app.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("cannot have sub-tasks")
    );
}

/// Moves the form's cursor to field `id`.
fn select(app: &mut jtui::app::App, id: &str) {
    let at = form(app).fields.iter().position(|f| f.id == id).unwrap();
    while form(app).selected_row() != Some(CreateRow::Field(at)) {
        key(app, KeyCode::Tab);
    }
}

/// Picks, in field `id`'s picker, an item other than the field's value; its id.
async fn pick_another(app: &mut jtui::app::App, id: &str) -> String {
    select(app, id);
    let before = form(app).field(id).unwrap().value.clone();
    key(app, KeyCode::Enter);
    app.settle().await;
    let (wanted, count) = {
        let Some(RowEditor::Pick(pick)) = &form(app).editing else {
            panic!("the picker of {id} opens")
        };
        let items = pick.picker.items();
        let wanted = items
            .iter()
            .find(|i| i.id != NONE_ID && before.items().iter().all(|b| b.id != i.id))
            .expect("another item")
            .id
            .clone();
        (wanted, items.len())
    };
    // The picker starts on the current value: from the top, down to the wanted one.
    for _ in 0..=count {
        key(app, KeyCode::Up);
    }
    for _ in 0..=count {
        let Some(RowEditor::Pick(pick)) = &form(app).editing else {
            panic!("the picker stays open while choosing")
        };
        match pick.picker.selected_row() {
            Some(PickerRow::Item(i)) if i.id == wanted => break,
            _ => key(app, KeyCode::Down),
        }
    }
    key(app, KeyCode::Enter);
    wanted
}

const SUMMARY: &str = "Lidar ghosts near glass walls";
const DESCRIPTION: &str = "Seen in **hall B** only.\n- after noon";

/// Fills summary, description and priority; the priority's id.
async fn fill_form(app: &mut jtui::app::App) -> String {
    type_text(app, SUMMARY);
    key(app, KeyCode::Enter);
    select(app, "description");
    key(app, KeyCode::Enter);
    write(app, DESCRIPTION);
    key(app, KeyCode::Esc);
    pick_another(app, "priority").await
}

fn message(app: &jtui::app::App) -> String {
    app.state
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_form_is_kept_as_a_draft_and_created_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "demo");
    let (app, emulator) = demo_app().await;
    let mut app = app.with_drafts(store.clone());
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    let priority = fill_form(&mut app).await;
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert!(app.state.edit.editor.is_none(), "Esc closes the form");
    assert!(
        message(&app).contains("kept as a draft"),
        "{}",
        message(&app)
    );
    assert!(dir.path().join("drafts/demo/NAV.new-issue.json").is_file());
    let saved = store.load("NAV", &DraftTarget::NewIssue).unwrap();
    let kept = saved.form.unwrap();
    let value = |id: &str| {
        kept.fields
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.value.clone())
    };
    assert_eq!(value("summary"), Some(DraftValue::Text(SUMMARY.to_owned())));
    assert_eq!(
        value("description"),
        Some(DraftValue::Rich(DESCRIPTION.to_owned())),
        "rich text is kept as the editor's text"
    );
    match value("priority") {
        Some(DraftValue::Items(items)) => assert_eq!(items[0].id, priority),
        other => panic!("{other:?}"),
    }
    assert!(kept.issue_type.is_some());
    assert!(
        kept.fields.iter().all(|f| f.id != "reporter"),
        "what the form started with is no draft"
    );

    // A new session names it and `n` puts it back.
    let mut again =
        app_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN).with_drafts(store.clone());
    again.start("project = NAV ORDER BY created DESC");
    assert!(
        message(&again).contains("1 unsent draft: a new issue in NAV"),
        "{}",
        message(&again)
    );
    again.settle().await;
    key(&mut again, KeyCode::Char('n'));
    again.settle().await;
    let f = form(&again);
    assert_eq!(
        f.issue_type.as_ref().map(|t| &t.id),
        kept.issue_type.as_ref().map(|t| &t.id)
    );
    assert_eq!(
        f.field("summary").unwrap().value,
        FieldValue::Text(SUMMARY.to_owned())
    );
    assert_eq!(f.field("description").unwrap().text, DESCRIPTION);
    assert!(matches!(
        f.field("description").unwrap().value,
        FieldValue::Rich(_)
    ));
    assert_eq!(f.field("priority").unwrap().value.items()[0].id, priority);
    assert!(
        screen(&again).contains("Restored your unsent issue from"),
        "{}",
        screen(&again)
    );
    ctrl(&mut again, 's');
    again.settle().await;
    let created = again
        .state
        .issue
        .key
        .clone()
        .expect("the new issue is open");
    assert_eq!(message(&again), format!("Created {created}"));
    assert_eq!(
        field_now(&emulator, &created, "summary").await,
        json!(SUMMARY)
    );
    assert_eq!(
        field_now(&emulator, &created, "priority").await["id"],
        json!(priority)
    );
    let doc = field_now(&emulator, &created, "description")
        .await
        .to_string();
    assert!(
        doc.contains("hall B") && doc.contains("bulletList"),
        "{doc}"
    );
    assert!(store.load("NAV", &DraftTarget::NewIssue).is_none());
    assert!(!dir.path().join("drafts/demo/NAV.new-issue.json").exists());
    assert!(again.state.edit.drafts.is_empty());
    // Nothing is offered any more.
    key(&mut again, KeyCode::Char('n'));
    again.settle().await;
    assert_eq!(form(&again).field("summary").unwrap().text, "");
    assert!(form(&again).notice.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_r_starts_over_and_an_emptied_form_leaves_no_draft() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "demo");
    let (app, _emulator) = demo_app().await;
    let mut app = app.with_drafts(store.clone());
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    // Typed, not yet taken: the open line is kept too, by the draft timer.
    type_text(&mut app, "Half a summary");
    app.settle().await;
    assert!(matches!(form(&app).editing, Some(RowEditor::Line { .. })));
    let saved = store.load("NAV", &DraftTarget::NewIssue).unwrap();
    assert_eq!(saved.form.unwrap().fields[0].text, "Half a summary");
    ctrl(&mut app, 'r');
    app.settle().await;
    let f = form(&app);
    assert_eq!(f.stage, CreateStage::Ready);
    assert_eq!(f.field("summary").unwrap().text, "");
    assert!(f.editing.is_none());
    assert!(store.load("NAV", &DraftTarget::NewIssue).is_none());
    assert!(app.state.edit.drafts.is_empty());
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert_eq!(message(&app), "Not created");
    assert!(store.list().is_empty());

    // Typed, taken, then emptied again: no draft is left.
    open_form(&mut app, 'n').await;
    type_text(&mut app, "Gone again");
    key(&mut app, KeyCode::Enter);
    app.settle().await;
    assert!(store.load("NAV", &DraftTarget::NewIssue).is_some());
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Enter);
    clear_line(&mut app);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert!(app.state.edit.editor.is_none());
    assert_eq!(message(&app), "Not created");
    assert!(store.list().is_empty(), "{:?}", store.list());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_create_keeps_the_draft_and_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "demo");
    let (app, emulator) = demo_app().await;
    let mut app = app.with_drafts(store.clone());
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    emulator
        .faults()
        .add(FaultRule::new(CREATE_PATH, Fault::Status(503)).method("POST"));
    type_text(&mut app, SUMMARY);
    // Sent straight from the open line: the draft is written before the create.
    ctrl(&mut app, 's');
    app.settle().await;
    assert!(emulator.request_count("POST", CREATE_PATH) >= 1);
    assert!(form(&app).error.is_some(), "{:?}", form(&app));
    assert_eq!(form(&app).field("summary").unwrap().text, SUMMARY);
    let saved = store
        .load("NAV", &DraftTarget::NewIssue)
        .expect("the draft stays");
    assert_eq!(
        saved.form.unwrap().fields[0].value,
        Some(DraftValue::Text(SUMMARY.to_owned()))
    );
    emulator.faults().clear();
    ctrl(&mut app, 's');
    app.settle().await;
    let created = app
        .state
        .issue
        .key
        .clone()
        .expect("created once Jira answers");
    assert_eq!(
        field_now(&emulator, &created, "summary").await,
        json!(SUMMARY)
    );
    assert!(store.list().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sub_task_draft_is_kept_per_parent() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "demo");
    let (app, _emulator) = demo_app().await;
    let mut app = app.with_drafts(store.clone());
    let parent = open_first(&mut app, "project = NAV AND type = Story ORDER BY key ASC").await;
    let other = app.state.search.rows[1].key.clone();
    open_form(&mut app, 'N').await;
    type_text(&mut app, "Tune the encoder filter");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert!(
        message(&app).contains(&format!("N on {parent} opens it again")),
        "{}",
        message(&app)
    );
    assert!(
        dir.path()
            .join(format!("drafts/demo/{parent}.new-subtask.json"))
            .is_file()
    );
    // Another parent has none.
    let go = |app: &mut jtui::app::App, issue: &str| {
        key(app, KeyCode::Char('g'));
        type_text(app, issue);
        key(app, KeyCode::Enter);
    };
    go(&mut app, &other);
    app.settle().await;
    assert_eq!(app.state.issue.key.as_deref(), Some(other.as_str()));
    open_form(&mut app, 'N').await;
    assert_eq!(form(&app).parent.as_deref(), Some(other.as_str()));
    assert_eq!(form(&app).field("summary").unwrap().text, "");
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert_eq!(store.list().len(), 1);
    // Nor does a new issue in the project.
    key(&mut app, KeyCode::Char('n'));
    app.settle().await;
    assert_eq!(form(&app).field("summary").unwrap().text, "");
    key(&mut app, KeyCode::Esc);
    // The first parent has its own back.
    go(&mut app, &parent);
    app.settle().await;
    key(&mut app, KeyCode::Char('N'));
    app.settle().await;
    assert_eq!(form(&app).parent.as_deref(), Some(parent.as_str()));
    assert_eq!(
        form(&app).field("summary").unwrap().text,
        "Tune the encoder filter"
    );
    assert!(
        form(&app)
            .issue_type
            .as_ref()
            .is_some_and(|t| form(&app).types.iter().any(|o| o.id == t.id && o.subtask))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_jira_no_longer_offers_is_named_and_the_rest_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = DraftStore::new(dir.path(), "demo");
    let field = |id: &str, name: &str, value: &str| DraftField {
        id: id.into(),
        name: name.into(),
        text: value.into(),
        value: Some(DraftValue::Text(value.into())),
    };
    store
        .save(&Draft {
            issue_key: "NAV".into(),
            target: DraftTarget::NewIssue,
            text: String::new(),
            saved_at: chrono::Utc::now(),
            base_updated: None,
            form: Some(FormDraft {
                project: "NAV".into(),
                parent: None,
                issue_type: Some(DraftIssueType {
                    id: "99999".into(),
                    name: "Retired type".into(),
                }),
                fields: vec![
                    field("summary", "Summary", "Kept from before"),
                    field("customfield_99999", "Old checklist", "gone"),
                ],
            }),
        })
        .unwrap();
    let (app, _emulator) = demo_app().await;
    let mut app = app.with_drafts(store.clone());
    app.start("project = NAV ORDER BY created DESC");
    app.settle().await;
    open_form(&mut app, 'n').await;
    let f = form(&app);
    assert_ne!(f.issue_type.as_ref().unwrap().id, "99999");
    assert!(
        f.types
            .iter()
            .any(|t| Some(&t.id) == f.issue_type.as_ref().map(|t| &t.id))
    );
    assert_eq!(
        f.field("summary").unwrap().value,
        FieldValue::Text("Kept from before".into())
    );
    let notice = f.notice.clone().unwrap();
    assert!(
        notice.starts_with("Restored your unsent issue from"),
        "{notice}"
    );
    assert!(
        notice.contains("Retired type is no longer offered"),
        "{notice}"
    );
    assert!(
        notice.contains("no longer on the form: Old checklist"),
        "{notice}"
    );
    assert_eq!(message(&app), notice, "the status line says it in full");
    // Closed unchanged, the draft keeps only what the form still has.
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    let kept = store
        .load("NAV", &DraftTarget::NewIssue)
        .unwrap()
        .form
        .unwrap();
    let ids: Vec<&str> = kept.fields.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["summary"]);
    assert_ne!(kept.issue_type.unwrap().id, "99999");
}
