//! The whole app, headless, on the demo emulator over real loopback HTTP: start it,
//! press keys, settle, read the screen. Shared by the editing flow tests.

#![allow(dead_code)]

// Its own copy, so a test file needs to declare only `app`.
#[path = "screen.rs"]
mod screen;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::emulator::{seed, server};
use jtui::jira::{ApiToken, Credentials, JiraClient};

pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 48;

/// The app signed in as the demo user, on the 600-issue demo site.
pub async fn demo_app() -> (App, server::RunningEmulator) {
    app_on(
        seed::demo_store(seed::DEMO_ISSUE_COUNT),
        server::ServerOptions::default(),
    )
    .await
}

pub async fn app_on(
    store: jtui::emulator::store::Store,
    options: server::ServerOptions,
) -> (App, server::RunningEmulator) {
    let emulator = server::start(store, options)
        .await
        .expect("emulator starts");
    let app = app_for(&emulator, seed::DEMO_EMAIL, seed::DEMO_TOKEN);
    (app, emulator)
}

pub fn client_for(emulator: &server::RunningEmulator, email: &str, token: &str) -> JiraClient {
    let base = url::Url::parse(&emulator.base_url).expect("emulator URL");
    JiraClient::new(base, Credentials::new(email, ApiToken::new(token))).expect("client")
}

pub fn app_for(emulator: &server::RunningEmulator, email: &str, token: &str) -> App {
    let mut app = App::new(client_for(emulator, email, token), "demo");
    app.theme = jtui::ui::Theme::default();
    app.state.size = (WIDTH, HEIGHT);
    app
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Types `text` into a multi-line editor; `\n` is Enter.
pub fn write(app: &mut App, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            key(app, KeyCode::Enter);
        } else {
            key(app, KeyCode::Char(c));
        }
    }
}

/// Clears a single-line input (Ctrl-U deletes to its start; End first).
pub fn clear_line(app: &mut App) {
    key(app, KeyCode::End);
    ctrl(app, 'u');
}

pub fn screen(app: &App) -> String {
    screen::app_screen(app, WIDTH, HEIGHT)
}

/// Starts the app on `jql` and opens the first result in the issue pane.
pub async fn open_first(app: &mut App, jql: &str) -> String {
    app.start(jql);
    app.settle().await;
    let key = app.state.search.rows.first().expect("a result").key.clone();
    self::key(app, KeyCode::Enter);
    app.settle().await;
    assert_eq!(app.state.issue.key.as_deref(), Some(key.as_str()));
    key
}

/// A field of an issue as Jira has it now, read with a fresh client.
pub async fn field_now(
    emulator: &server::RunningEmulator,
    key: &str,
    field: &str,
) -> serde_json::Value {
    let client = reqwest::Client::new();
    let body: serde_json::Value = client
        .get(format!(
            "{}/rest/api/3/issue/{key}?fields={field}",
            emulator.base_url
        ))
        .basic_auth(seed::DEMO_EMAIL, Some(seed::DEMO_TOKEN))
        .send()
        .await
        .expect("GET issue")
        .json()
        .await
        .expect("issue JSON");
    body["fields"][field].clone()
}

/// The labels of a picker's item rows (not its "create" row).
pub fn item_labels(field: &jtui::state::edit::PickField) -> Vec<String> {
    use jtui::state::picker::PickerRow;
    field
        .picker
        .rows()
        .iter()
        .filter_map(|r| match r {
            PickerRow::Item(i) => Some(i.label.clone()),
            PickerRow::Create(_) => None,
        })
        .collect()
}

/// A user of the picker's first page with a name word of five letters or more: the
/// first five of them lower-cased (a query), the account id and the display name.
pub fn typeable_user(field: &jtui::state::edit::PickField) -> (String, String, String) {
    field
        .picker
        .items()
        .iter()
        .filter(|i| i.id != jtui::state::fieldkind::NONE_ID)
        .find_map(|i| {
            let word = i
                .label
                .split_whitespace()
                .find(|w| w.chars().count() >= 5)?;
            let query: String = word.chars().take(5).collect();
            Some((query.to_lowercase(), i.id.clone(), i.label.clone()))
        })
        .expect("a user with a long enough name")
}

/// `e`, then the field whose name starts with `name` from the menu; waits for what its
/// editor asks Jira for.
pub async fn edit_field(app: &mut App, name: &str) {
    use jtui::state::edit::Editor;
    key(app, KeyCode::Char('e'));
    app.settle().await;
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Menu(_))),
        "the field menu opens: {:?}",
        app.state.edit.editor
    );
    type_text(app, name);
    key(app, KeyCode::Enter);
    app.settle().await;
    assert!(
        matches!(app.state.edit.editor, Some(Editor::Field(_))),
        "{name} opens its editor: {:?}\n{}",
        app.state.message,
        screen(app)
    );
}

/// The open field editor's picker.
pub fn field_picker(app: &App) -> &jtui::state::edit::PickField {
    use jtui::state::edit::{Editor, FieldInput};
    match &app.state.edit.editor {
        Some(Editor::Field(f)) => match &f.input {
            FieldInput::Pick(p) => p,
            other => panic!("a line editor, not a picker: {other:?}"),
        },
        other => panic!("no field editor open: {other:?}"),
    }
}

/// The value the detail pane shows for `label` ("" when it shows none).
pub fn detail_value(app: &App, label: &str) -> String {
    app.state
        .issue
        .detail
        .as_ref()
        .expect("an issue is open")
        .fields
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The comments of `key` as Jira has them now.
pub async fn comments_now(emulator: &server::RunningEmulator, key: &str) -> Vec<serde_json::Value> {
    let body: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/rest/api/3/issue/{key}/comment?maxResults=5000",
            emulator.base_url
        ))
        .basic_auth(seed::DEMO_EMAIL, Some(seed::DEMO_TOKEN))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["comments"].as_array().cloned().unwrap_or_default()
}

/// The comment `id` of `key` as Jira has it now.
pub async fn comment_now(
    emulator: &server::RunningEmulator,
    key: &str,
    id: &str,
) -> serde_json::Value {
    comments_now(emulator, key)
        .await
        .into_iter()
        .find(|c| c["id"] == id)
        .expect("the comment is there")
}
