//! Every node type of Atlassian's ADF schema renders in the issue pane: one snapshot
//! (TestBackend + insta) per node type, from `fixtures/adf/every-node.json`, and a check
//! that the samples cover every node type the schema defines.

#![allow(clippy::unwrap_used)]

mod support {
    pub mod screen;
}

use std::collections::BTreeSet;

use jtui::app::action::Action;
use jtui::app::update::update;
use jtui::config::keymap::Keymap;
use jtui::jira::models::Issue;
use jtui::state::issue::IssueDetail;
use jtui::state::{Pane, State};
use jtui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("fixtures/adf/adf-schema-v1.json");
const SAMPLES: &str = include_str!("fixtures/adf/every-node.json");
const WIDTH: u16 = 72;
const HEIGHT: u16 = 34;

/// Node type names the schema defines: the `type` enum of every `*_node` definition.
fn schema_node_types() -> BTreeSet<String> {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let mut types = BTreeSet::new();
    for (name, def) in schema["definitions"].as_object().unwrap() {
        if !name.ends_with("_node") {
            continue;
        }
        // Some definitions are `allOf` a base node plus restrictions.
        let parts: Vec<&Value> = match def.get("allOf").and_then(Value::as_array) {
            Some(all) => all.iter().collect(),
            None => vec![def],
        };
        for part in parts {
            if let Some(values) = part
                .pointer("/properties/type/enum")
                .and_then(Value::as_array)
            {
                types.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        }
    }
    types
}

struct Sample {
    node: String,
    expect: String,
    doc: Value,
}

fn samples() -> Vec<Sample> {
    let raw: Value = serde_json::from_str(SAMPLES).unwrap();
    raw["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Sample {
            node: s["node"].as_str().unwrap().to_owned(),
            expect: s["expect"].as_str().unwrap().to_owned(),
            doc: s["doc"].clone(),
        })
        .collect()
}

fn uses_type(v: &Value, wanted: &str) -> bool {
    match v {
        Value::Object(map) => {
            map.get("type").and_then(Value::as_str) == Some(wanted)
                || map.values().any(|c| uses_type(c, wanted))
        }
        Value::Array(items) => items.iter().any(|c| uses_type(c, wanted)),
        _ => false,
    }
}

/// An issue whose description is `doc`; its reporter and attachment give the names a
/// mention without text and a media node without `alt` refer to.
fn issue_with(doc: &Value) -> Issue {
    serde_json::from_value(json!({
        "id": "1", "key": "NAV-7",
        "fields": {
            "summary": "ADF rendering",
            "status": {"id": "1", "name": "To Do", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}},
            "reporter": {"accountId": "a2", "displayName": "Tomás Ortega"},
            "attachment": [{"id": "att-5", "filename": "imu-trace.csv", "size": 48213}],
            "description": doc
        }
    }))
    .unwrap()
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    support::screen::buffer_text(terminal.backend().buffer())
}

#[test]
fn the_samples_cover_every_node_type_of_the_schema() {
    let schema = schema_node_types();
    assert!(schema.len() >= 40, "{schema:?}");
    let samples = samples();
    let covered: BTreeSet<String> = samples.iter().map(|s| s.node.clone()).collect();
    let missing: Vec<&String> = schema.difference(&covered).collect();
    assert!(missing.is_empty(), "no sample for {missing:?}");
    for s in &samples {
        assert!(uses_type(&s.doc, &s.node), "the {} sample lacks it", s.node);
    }
}

#[test]
fn every_node_type_renders_in_the_issue_pane() {
    for sample in samples() {
        let mut state = State::new("demo");
        state.size = (WIDTH, HEIGHT);
        state.focus = Pane::Issue;
        let issue = issue_with(&sample.doc);
        state.issue.key = Some(issue.key.clone());
        state.issue.detail = Some(IssueDetail::from_issue(&issue));
        state.issue.touch();
        update(&mut state, Action::ToggleZoom);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal
            .draw(|f| ui::render(f, &state, &Theme::default(), &Keymap::default()))
            .unwrap();
        let text = screen(&terminal);
        assert!(
            text.contains(&sample.expect),
            "{}: {:?} not shown:\n{text}",
            sample.node,
            sample.expect
        );
        assert!(
            !text.contains("\"type\"") && !text.contains("attrs"),
            "{}: raw JSON shown:\n{text}",
            sample.node
        );
        insta::assert_snapshot!(format!("adf_{}", sample.node), terminal.backend());
    }
}
