//! The config file's UI settings reach the app: theme, keymap overrides, columns; a bad
//! setting is reported, never fatal.

#![allow(clippy::unwrap_used)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jtui::app::App;
use jtui::app::action::Action;
use jtui::cli::configure;
use jtui::config;
use jtui::jira::{ApiToken, Credentials, JiraClient};
use jtui::state::Pane;

fn app() -> App {
    let client = JiraClient::new(
        url::Url::parse("http://127.0.0.1:9").unwrap(),
        Credentials::new("me@example.com", ApiToken::new("t")),
    )
    .unwrap();
    App::new(client, "test")
}

#[test]
fn the_example_config_applies_cleanly() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config.example.toml");
    let loaded = config::load(&path).unwrap();
    let mut app = app();
    let problems = configure(&mut app, &loaded.config);
    assert!(problems.is_empty(), "{problems:?}");
    let ctrl_l = KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL);
    assert_eq!(
        app.keymap.resolve(Pane::Results, ctrl_l),
        Some(Action::OpenJql)
    );
    let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(
        app.keymap.resolve(Pane::Results, ctrl_q),
        Some(Action::Quit)
    );
    let names: Vec<&str> = app
        .state
        .search
        .columns
        .columns()
        .iter()
        .map(|c| c.name())
        .collect();
    assert_eq!(
        names,
        ["key", "type", "summary", "status", "assignee", "updated"]
    );
}

#[test]
fn bad_settings_are_reported_and_skipped() {
    let text = "theme = \"neon\"\n[keymap]\nquit = [\"ctrl-nonsense\"]\nfly = \"x\"\n[ui]\ncolumns = [\"key\", \"mood\"]\n";
    let loaded = config::parse(std::path::Path::new("bad.toml"), text).unwrap();
    let mut app = app();
    let before = app.state.search.columns.columns().len();
    let problems = configure(&mut app, &loaded.config);
    let all = problems.join("\n");
    assert!(all.contains("unknown theme 'neon'"), "{all}");
    assert!(all.contains("fly"), "{all}");
    assert!(all.contains("mood"), "{all}");
    assert_eq!(
        app.state.search.columns.columns().len(),
        before,
        "bad columns keep the defaults"
    );
    // q still quits: an action whose keys are all invalid keeps its defaults.
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(app.keymap.resolve(Pane::Results, q), Some(Action::Quit));
}

#[test]
fn mono_theme_has_no_colours() {
    let loaded = config::parse(std::path::Path::new("c.toml"), "theme = \"mono\"\n").unwrap();
    let mut app = app();
    assert!(configure(&mut app, &loaded.config).is_empty());
    assert!(app.theme.is_monochrome());
}
