//! The description through the whole app against the emulator: edited as markdown-style
//! text (a mention and a table added), shown at once, saved as ADF that keeps what was
//! there; and drafts: kept when the editor closes, offered back, named at start, and
//! deleted once Jira has the text.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod app;
}

use crossterm::event::KeyCode;
use jtui::app::App;
use jtui::drafts::{DraftStore, DraftTarget};
use jtui::emulator::seed;
use jtui::state::edit::Editor;
use serde_json::Value;
use support::app::*;

const NAV: &str = "project = NAV ORDER BY key ASC";

fn nodes<'v>(value: &'v Value, kind: &str, out: &mut Vec<&'v Value>) {
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some(kind) {
                out.push(value);
            }
            map.values().for_each(|v| nodes(v, kind, out));
        }
        Value::Array(items) => items.iter().for_each(|v| nodes(v, kind, out)),
        _ => {}
    }
}

fn rich(app: &App) -> &jtui::state::rich::RichEditor {
    match &app.state.edit.editor {
        Some(Editor::Rich(r)) => r,
        other => panic!("no rich editor open: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn description_round_trip_with_a_mention_and_a_table() {
    let (mut app, emulator) = demo_app().await;
    let issue = open_first(&mut app, NAV).await;
    let before = field_now(&emulator, &issue, "description").await;
    let assignee = app
        .state
        .issue
        .raw
        .as_ref()
        .unwrap()
        .fields
        .assignee
        .clone()
        .unwrap();
    key(&mut app, KeyCode::Char('D'));
    app.settle().await;
    assert!(
        screen(&app).contains(&format!("Description of {issue}")),
        "{}",
        screen(&app)
    );
    let started = rich(&app).area.text();
    assert!(!started.is_empty(), "the editor starts from Jira's text");
    key(&mut app, KeyCode::End);
    write(
        &mut app,
        &format!(
            "\n\nPing @[{}] about it:\n\n| Board | Drops |\n| --- | --- |\n| A | 3 |",
            assignee.display_name
        ),
    );
    app.handle_event(&crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            KeyCode::Char('s'),
            crossterm::event::KeyModifiers::CONTROL,
        ),
    ));
    assert!(app.state.edit.editor.is_none());
    // Shown before Jira answers.
    let shown = app
        .state
        .issue
        .detail
        .as_ref()
        .unwrap()
        .description
        .clone()
        .unwrap();
    let mut had = Vec::new();
    nodes(&before, "table", &mut had);
    let had = had.len();
    let mut tables = Vec::new();
    nodes(shown.as_value(), "table", &mut tables);
    assert_eq!(tables.len(), had + 1);
    app.settle().await;
    let after = field_now(&emulator, &issue, "description").await;
    let mut tables = Vec::new();
    nodes(&after, "table", &mut tables);
    assert_eq!(tables.len(), had + 1, "{after}");
    let added = &after["content"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(added["type"], "table");
    let mut headers = Vec::new();
    nodes(added, "tableHeader", &mut headers);
    assert_eq!(headers.len(), 2);
    let mut mentions = Vec::new();
    nodes(&after, "mention", &mut mentions);
    assert!(
        mentions
            .iter()
            .any(|m| m["attrs"]["id"] == assignee.account_id.as_str()),
        "{after}"
    );
    // What was there before is still there, node for node.
    let old = before["content"].as_array().unwrap();
    let new = after["content"].as_array().unwrap();
    assert!(new.len() > old.len());
    assert_eq!(
        jtui::jira::markdown::normalized(&jtui::jira::Adf::from_value(Value::Array(
            new[..old.len()].to_vec()
        ))),
        jtui::jira::markdown::normalized(&jtui::jira::Adf::from_value(Value::Array(old.clone())))
    );
    let path = format!("/rest/api/3/issue/{issue}");
    assert_eq!(emulator.request_count("PUT", &path), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_kept_offered_back_named_at_start_and_deleted_once_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (app, emulator) = demo_app().await;
    let mut app = app.with_drafts(DraftStore::new(dir.path(), "demo"));
    let issue = open_first(&mut app, NAV).await;
    key(&mut app, KeyCode::Char('c'));
    app.settle().await;
    write(&mut app, "Half a thought");
    // The draft timer writes it while the editor stays open.
    app.settle().await;
    assert!(matches!(app.state.edit.editor, Some(Editor::Rich(_))));
    let store = DraftStore::new(dir.path(), "demo");
    let saved = store.load(&issue, &DraftTarget::NewComment).unwrap();
    assert_eq!(saved.text, "Half a thought");
    key(&mut app, KeyCode::Esc);
    app.settle().await;
    assert!(app.state.message.as_ref().unwrap().text.contains("draft"));

    // A new session on the same profile names the draft and offers it back.
    let mut again = app_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN)
        .with_drafts(DraftStore::new(dir.path(), "demo"));
    again.start(NAV);
    assert!(
        again
            .state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains(&format!("1 unsent draft: {issue} comment")),
        "{:?}",
        again.state.message
    );
    again.settle().await;
    key(&mut again, KeyCode::Enter);
    again.settle().await;
    key(&mut again, KeyCode::Char('c'));
    again.settle().await;
    assert_eq!(rich(&again).area.text(), "Half a thought");
    assert!(
        screen(&again).contains("Restored your draft from"),
        "{}",
        screen(&again)
    );
    write(&mut again, ", finished");
    ctrl(&mut again, 's');
    again.settle().await;
    assert!(store.load(&issue, &DraftTarget::NewComment).is_none());
    assert!(again.state.edit.drafts.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_e_edits_in_the_external_editor_and_brings_the_text_back() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("fake-editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'Written in $EDITOR\\n\\n- a list item\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let (mut app, emulator) = demo_app().await;
    app.set_editor_command(Some(script.display().to_string()));
    let issue = open_first(&mut app, NAV).await;
    key(&mut app, KeyCode::Char('c'));
    app.settle().await;
    write(&mut app, "replaced");
    ctrl(&mut app, 'e');
    assert!(app.run_external_editor(&mut jtui::app::NoHost).await);
    assert_eq!(
        rich(&app).area.text(),
        "Written in $EDITOR\n\n- a list item"
    );
    ctrl(&mut app, 's');
    app.settle().await;
    let last = comments_now(&emulator, &issue).await.pop().unwrap();
    let mut lists = Vec::new();
    nodes(&last["body"], "bulletList", &mut lists);
    assert_eq!(lists.len(), 1, "{last}");
}
