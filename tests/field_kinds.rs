//! Field editors' building blocks against the emulator over loopback: every field of the
//! demo data's real `editmeta` is classified (expected kinds for the fields triage uses),
//! and for each kind the emulator has, a value chosen the way an editor chooses it (typed
//! and parsed, or picked in a `Picker`) is turned into an `IssueUpdate`, sent with `PUT`,
//! and read back with `GET`.
//!
//! The demo data has no date-time or multi-user field, so those two kinds are covered by
//! the unit tests of `state::fieldkind` only.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use jtui::config::keymap::KeyBinding;
use jtui::emulator::seed;
use jtui::emulator::server::{RunningEmulator, ServerOptions, start};
use jtui::jira::models::{EditMeta, FieldMeta, Issue, SearchRequest};
use jtui::jira::{Adf, Credentials, IssueUpdate, JiraClient};
use jtui::state::fieldkind::{
    FieldKind, FieldValue, NONE_ID, build_update, classify, current_value, parse_input, picker_for,
    user_item,
};
use jtui::state::picker::{Picker, PickerOutcome, PickerRow};
use serde_json::{Value, json};
use url::Url;

/// Enough issues for every issue type in every project.
const ISSUES: usize = 120;
const STORY_POINTS: &str = "customfield_10016";
const TEAM: &str = "customfield_10001";
const SPRINT: &str = "customfield_10020";
const ACCEPTANCE: &str = "customfield_10035";
const SEVERITY: &str = "customfield_10036";
const SERIAL: &str = "customfield_10038";
const START_DATE: &str = "customfield_10015";
const REVIEWER: &str = "customfield_10039";

async fn demo() -> (RunningEmulator, JiraClient) {
    let server = start(seed::demo_store(ISSUES), ServerOptions::default())
        .await
        .expect("emulator binds loopback");
    let client = JiraClient::new(
        Url::parse(&server.base_url).unwrap(),
        Credentials::new(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
    )
    .unwrap();
    (server, client)
}

/// The first issue of a type (by name), oldest first so runs are repeatable.
async fn first(client: &JiraClient, issue_type: &str) -> String {
    first_where(client, issue_type, "").await
}

/// Like [`first`], with more conditions (` AND ...`).
async fn first_where(client: &JiraClient, issue_type: &str, and: &str) -> String {
    let req = SearchRequest::new(format!(
        "issuetype = \"{issue_type}\"{and} ORDER BY created ASC"
    ))
    .with_fields(["summary"])
    .with_max_results(1);
    let page = client.search_jql(&req).await.unwrap();
    page.issues
        .first()
        .unwrap_or_else(|| panic!("no {issue_type}{and} in the demo data"))
        .key
        .clone()
}

async fn read(client: &JiraClient, key: &str) -> Issue {
    client.issue(key, &["*all"], &[]).await.unwrap()
}

async fn edit_meta(client: &JiraClient, key: &str) -> EditMeta {
    client.editmeta(key).await.unwrap()
}

/// The update for changing `field` of `issue` to `new`, as an editor builds it.
fn update(issue: &Issue, meta: &EditMeta, field: &str, new: &FieldValue) -> IssueUpdate {
    let m = &meta.fields[field];
    let old = current_value(issue, field, m);
    build_update(field, m, &old, new).unwrap()
}

fn press(text: &str) -> KeyBinding {
    KeyBinding::parse(text).unwrap()
}

fn type_text(picker: &mut Picker, text: &str) {
    for c in text.chars() {
        picker.apply(press(&c.to_string()));
    }
}

fn chosen(outcome: PickerOutcome) -> FieldValue {
    match outcome {
        PickerOutcome::Chosen(items) => FieldValue::Items(items),
        other => panic!("expected a choice, got {other:?}"),
    }
}

/// The picker for `field`, started from the issue's current value.
fn picker(issue: &Issue, meta: &EditMeta, field: &str) -> Picker {
    let m = &meta.fields[field];
    picker_for(m, &current_value(issue, field, m)).unwrap()
}

/// Moves the highlight to the first row that is neither the current value nor "None".
fn highlight_another(picker: &mut Picker) {
    while picker.selected() > 0 {
        picker.apply(press("up"));
    }
    for _ in 0..picker.rows().len() {
        let current = picker.current().map(str::to_owned);
        match picker.selected_row() {
            Some(PickerRow::Item(item))
                if item.id != NONE_ID && Some(item.id.as_str()) != current.as_deref() =>
            {
                return;
            }
            _ => {
                picker.apply(press("down"));
            }
        }
    }
    panic!("no other value to choose");
}

#[tokio::test]
async fn every_field_of_real_editmeta_is_classified() {
    let (_server, client) = demo().await;
    let mut seen: BTreeMap<String, FieldKind> = BTreeMap::new();
    for issue_type in ["Bug", "Story", "Task", "Epic", "Sub-task"] {
        let key = first(&client, issue_type).await;
        let meta = edit_meta(&client, &key).await;
        let issue = read(&client, &key).await;
        assert!(!meta.fields.is_empty(), "{key}");
        for (id, m) in &meta.fields {
            let kind = classify(m);
            if let Some(before) = seen.insert(id.clone(), kind) {
                assert_eq!(before, kind, "{id} is classified the same on every type");
            }
            // Every field's current value reads, and every picker builds from Jira's values.
            let current = current_value(&issue, id, m);
            match picker_for(m, &current) {
                Some(picker) => {
                    assert!(kind.uses_picker(), "{id}");
                    for item in picker.items() {
                        assert!(
                            !item.id.is_empty() && !item.label.is_empty(),
                            "{id}: {item:?}"
                        );
                    }
                    if kind == FieldKind::Select {
                        let allowed = m.allowed_values.len() + usize::from(!m.required);
                        assert_eq!(picker.items().len(), allowed, "{id}");
                    }
                }
                None => assert!(!kind.uses_picker(), "{id}"),
            }
        }
    }
    let expected = [
        ("summary", FieldKind::Text),
        ("description", FieldKind::RichText),
        ("environment", FieldKind::RichText),
        ("issuetype", FieldKind::Select),
        ("priority", FieldKind::Select),
        ("labels", FieldKind::Labels),
        ("assignee", FieldKind::User),
        ("reporter", FieldKind::User),
        ("duedate", FieldKind::Date),
        ("components", FieldKind::MultiSelect),
        ("fixVersions", FieldKind::MultiSelect),
        ("versions", FieldKind::MultiSelect),
        ("timetracking", FieldKind::TimeTracking),
        ("parent", FieldKind::Parent),
        (STORY_POINTS, FieldKind::Number),
        (TEAM, FieldKind::Select),
        (SPRINT, FieldKind::Sprint),
        (ACCEPTANCE, FieldKind::RichText),
        (SEVERITY, FieldKind::Select),
        (SERIAL, FieldKind::Text),
        (START_DATE, FieldKind::Date),
        (REVIEWER, FieldKind::User),
    ];
    for (id, kind) in expected {
        assert_eq!(seen.get(id), Some(&kind), "{id}");
    }
}

#[tokio::test]
async fn typed_values_are_written_and_read_back() {
    let (_server, client) = demo().await;
    let today = seed::now().date_naive();
    let offset = *seed::now().offset();
    let key = first(&client, "Bug").await;
    let meta = edit_meta(&client, &key).await;
    let issue = read(&client, &key).await;
    let typed = |field: &str, text: &str| {
        let kind = classify(&meta.fields[field]);
        parse_input(kind, text, today, offset).unwrap()
    };

    let mut all = IssueUpdate::new();
    for (field, text) in [
        ("summary", "Lidar drops frames when the picker test runs"),
        (SERIAL, "ACME-R2-000042"),
        (STORY_POINTS, "2.5"),
        ("duedate", "+3d"),
    ] {
        let u = update(&issue, &meta, field, &typed(field, text));
        assert_eq!(u.fields.len(), 1, "{field}: one value set");
        all.fields.extend(u.fields);
    }
    assert_eq!(all.fields[STORY_POINTS], json!(2.5));
    assert_eq!(all.fields["duedate"], json!("2026-11-23"));
    let doc = Adf::from_plain_text("Steps:\n\nRun the picker test.");
    let u = update(&issue, &meta, "description", &FieldValue::Rich(doc.clone()));
    all.fields.extend(u.fields);
    client.edit_issue(&key, &all).await.unwrap();

    let after = read(&client, &key).await;
    let f = &after.fields;
    assert_eq!(f.summary, "Lidar drops frames when the picker test runs");
    assert_eq!(f.custom(SERIAL), Some(&json!("ACME-R2-000042")));
    assert_eq!(f.custom(STORY_POINTS), Some(&json!(2.5)));
    assert_eq!(
        f.duedate.map(|d| d.to_string()).as_deref(),
        Some("2026-11-23")
    );
    assert_eq!(f.description.as_ref(), Some(&doc));

    // What was read back is what the editor starts from: nothing to write again.
    for field in ["summary", SERIAL, STORY_POINTS, "duedate", "description"] {
        let m = &meta.fields[field];
        let now = current_value(&after, field, m);
        assert!(
            build_update(field, m, &now, &now).unwrap().is_empty(),
            "{field}"
        );
    }

    // A whole number is written as one; empty input clears.
    let u = update(&after, &meta, STORY_POINTS, &typed(STORY_POINTS, "3"));
    assert_eq!(u.fields[STORY_POINTS], json!(3));
    let clear = update(&after, &meta, "duedate", &typed("duedate", ""));
    assert_eq!(clear.fields["duedate"], Value::Null);
    let mut both = u;
    both.fields.extend(clear.fields);
    client.edit_issue(&key, &both).await.unwrap();
    let after = read(&client, &key).await;
    assert_eq!(after.fields.custom(STORY_POINTS), Some(&json!(3)));
    assert_eq!(after.fields.duedate, None);

    // An epic's start date (a custom date picker), from a weekday name.
    let epic = first(&client, "Epic").await;
    let epic_meta = edit_meta(&client, &epic).await;
    let epic_issue = read(&client, &epic).await;
    let kind = classify(&epic_meta.fields[START_DATE]);
    let start = parse_input(kind, "fri", today, offset).unwrap();
    let u = update(&epic_issue, &epic_meta, START_DATE, &start);
    client.edit_issue(&epic, &u).await.unwrap();
    // 2026-11-20 is a Friday: "fri" is the next one.
    assert_eq!(
        read(&client, &epic).await.fields.custom(START_DATE),
        Some(&json!("2026-11-27"))
    );

    // A story's acceptance criteria (a paragraph custom field) take ADF.
    let story = first(&client, "Story").await;
    let story_meta = edit_meta(&client, &story).await;
    let story_issue = read(&client, &story).await;
    let criteria = Adf::from_plain_text("Given a picker, when Enter, then chosen.");
    let u = update(
        &story_issue,
        &story_meta,
        ACCEPTANCE,
        &FieldValue::Rich(criteria.clone()),
    );
    client.edit_issue(&story, &u).await.unwrap();
    assert_eq!(
        read(&client, &story).await.fields.custom(ACCEPTANCE),
        Some(criteria.as_value())
    );
}

#[tokio::test]
async fn picked_single_values_are_written_and_read_back() {
    let (_server, client) = demo().await;
    let key = first(&client, "Bug").await;
    let meta = edit_meta(&client, &key).await;
    let issue = read(&client, &key).await;

    // Priority: type to narrow, Enter picks.
    let mut priority = picker(&issue, &meta, "priority");
    let current = issue.fields.priority.as_ref().map(|p| p.name.clone());
    let target = if current.as_deref() == Some("Lowest") {
        "Highest"
    } else {
        "Lowest"
    };
    type_text(&mut priority, &target.to_lowercase());
    let new_priority = chosen(priority.apply(press("enter")));
    let u = update(&issue, &meta, "priority", &new_priority);
    assert_eq!(
        u.fields["priority"],
        json!({ "id": new_priority.items()[0].id })
    );

    // Team (a select list custom field): another option by moving the highlight.
    let mut team = picker(&issue, &meta, TEAM);
    highlight_another(&mut team);
    let new_team = chosen(team.apply(press("enter")));
    let mut all = u;
    all.fields
        .extend(update(&issue, &meta, TEAM, &new_team).fields);

    // Assignee: the list comes from Jira's assignable-user search.
    let mut assignee = picker(&issue, &meta, "assignee");
    assignee.set_loading(true);
    let users = client.assignable_users(&key, "", 50).await.unwrap();
    assert!(assignee.replace_items("", users.iter().map(user_item).collect()));
    highlight_another(&mut assignee);
    let new_assignee = chosen(assignee.apply(press("enter")));
    all.fields
        .extend(update(&issue, &meta, "assignee", &new_assignee).fields);
    client.edit_issue(&key, &all).await.unwrap();

    let after = read(&client, &key).await;
    assert_eq!(
        after.fields.priority.as_ref().map(|p| p.name.as_str()),
        Some(target)
    );
    assert_eq!(
        after.fields.custom(TEAM).and_then(|t| t["id"].as_str()),
        Some(new_team.items()[0].id.as_str())
    );
    assert_eq!(
        after
            .fields
            .assignee
            .as_ref()
            .map(|u| u.account_id.as_str()),
        Some(new_assignee.items()[0].id.as_str())
    );

    // "Unassigned" and "None" clear; a required select has no such row.
    // Typing asks Jira again; nobody is called that, so "Unassigned" is what is left.
    let mut assignee = picker(&after, &meta, "assignee");
    type_text(&mut assignee, "unass");
    let found = client.assignable_users(&key, "unass", 50).await.unwrap();
    assert!(assignee.replace_items("unass", found.iter().map(user_item).collect()));
    assert_eq!(assignee.rows().len(), 1);
    let nobody = chosen(assignee.apply(press("enter")));
    let mut team = picker(&after, &meta, TEAM);
    type_text(&mut team, "none");
    let no_team = chosen(team.apply(press("enter")));
    let mut clear = update(&after, &meta, "assignee", &nobody);
    clear
        .fields
        .extend(update(&after, &meta, TEAM, &no_team).fields);
    assert_eq!(clear.fields["assignee"], Value::Null);
    assert_eq!(clear.fields[TEAM], Value::Null);
    client.edit_issue(&key, &clear).await.unwrap();
    let after = read(&client, &key).await;
    assert_eq!(after.fields.assignee, None);
    assert_eq!(after.fields.custom(TEAM), None);
    let severity = picker(&after, &meta, SEVERITY);
    assert!(meta.fields[SEVERITY].required);
    assert!(severity.items().iter().all(|i| i.id != NONE_ID));
}

#[tokio::test]
async fn picked_lists_are_written_as_adds_and_removes() {
    let (_server, client) = demo().await;
    // With labels and components already, so removing is exercised too.
    let and = " AND labels IS NOT EMPTY AND component IS NOT EMPTY";
    let key = first_where(&client, "Bug", and).await;
    let meta = edit_meta(&client, &key).await;
    let issue = read(&client, &key).await;

    // Components: check one more, uncheck one if any was checked.
    let mut components = picker(&issue, &meta, "components");
    assert!(components.items().len() >= 2, "the project has components");
    let had: Vec<String> = components.checked().iter().map(|i| i.id.clone()).collect();
    assert!(!had.is_empty() && !issue.fields.labels.is_empty());
    let unchecked = components
        .items()
        .iter()
        .position(|i| !components.is_checked(&i.id))
        .unwrap();
    for _ in 0..unchecked {
        components.apply(press("down"));
    }
    assert_eq!(components.apply(press("space")), PickerOutcome::Changed);
    if !had.is_empty() {
        let first_checked = components
            .items()
            .iter()
            .position(|i| i.id == had[0])
            .unwrap();
        for _ in 0..components.items().len() {
            components.apply(press("up"));
        }
        for _ in 0..first_checked {
            components.apply(press("down"));
        }
        components.apply(press("tab"));
    }
    let new_components = chosen(components.apply(press("enter")));

    // Labels: one new by free entry, one existing removed.
    let mut labels = picker(&issue, &meta, "labels");
    let old_labels = issue.fields.labels.clone();
    if !old_labels.is_empty() {
        labels.apply(press("space"));
    }
    type_text(&mut labels, "picker-test");
    assert!(labels.offers_create());
    assert_eq!(
        labels.apply(press("enter")),
        PickerOutcome::FilterChanged(String::new())
    );
    let new_labels = chosen(labels.apply(press("enter")));

    let mut u = update(&issue, &meta, "components", &new_components);
    let lu = update(&issue, &meta, "labels", &new_labels);
    assert!(
        u.fields.is_empty() && lu.fields.is_empty(),
        "lists use `update`"
    );
    let body = serde_json::to_value(&lu).unwrap();
    let mut expected_ops = Vec::new();
    if let Some(gone) = old_labels.first() {
        expected_ops.push(json!({ "remove": gone }));
    }
    expected_ops.push(json!({ "add": "picker-test" }));
    assert_eq!(body["update"]["labels"], Value::Array(expected_ops));
    u.update.extend(lu.update);
    client.edit_issue(&key, &u).await.unwrap();

    let after = read(&client, &key).await;
    let mut got: Vec<String> = after
        .fields
        .components
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let mut want: Vec<String> = new_components
        .items()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let mut want_labels: Vec<String> = old_labels.iter().skip(1).cloned().collect();
    want_labels.push("picker-test".into());
    assert_eq!(after.fields.labels, want_labels);

    // Fix versions, written as a whole list when only `set` is offered: the emulator
    // offers add/remove too, so the metadata is narrowed the way some screens are.
    let mut set_only: FieldMeta = meta.fields["fixVersions"].clone();
    set_only.operations = vec!["set".into()];
    let mut versions =
        picker_for(&set_only, &current_value(&after, "fixVersions", &set_only)).unwrap();
    assert!(!versions.items().is_empty(), "the project has versions");
    versions.apply(press("space"));
    let new_versions = chosen(versions.apply(press("enter")));
    let old = current_value(&after, "fixVersions", &set_only);
    let u = build_update("fixVersions", &set_only, &old, &new_versions).unwrap();
    assert!(u.update.is_empty());
    client.edit_issue(&key, &u).await.unwrap();
    let after = read(&client, &key).await;
    let mut got: Vec<String> = after
        .fields
        .fix_versions
        .iter()
        .map(|v| v.id.clone())
        .collect();
    let mut want: Vec<String> = new_versions.items().iter().map(|i| i.id.clone()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test]
async fn read_only_fields_are_refused_before_anything_is_sent() {
    let (server, client) = demo().await;
    let key = first(&client, "Story").await;
    let meta = edit_meta(&client, &key).await;
    let issue = read(&client, &key).await;
    // The sprint field as a site could offer it: without `set`, nothing writes it.
    let mut sprint = meta.fields[SPRINT].clone();
    sprint.operations.clear();
    assert_eq!(classify(&sprint), FieldKind::ReadOnly);
    let old = current_value(&issue, SPRINT, &sprint);
    let refused = build_update(SPRINT, &sprint, &old, &FieldValue::Number(1.0));
    assert!(refused.is_err());
    assert_eq!(
        server.request_count("PUT", &format!("/rest/api/3/issue/{key}")),
        0
    );
}
