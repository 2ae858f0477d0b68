//! Every rich-text document of the demo dataset is valid ADF (checked against Atlassian's
//! own JSON Schema), and together they use every common ADF node and mark.
//!
//! The schema validator lives in `tests/support/adf_schema.rs`; its own tests below show
//! it rejects what the schema forbids.

mod support {
    pub mod adf_schema;
}

use std::collections::BTreeSet;

use jtui::emulator::seed::demo_store;
use jtui::emulator::store::{CustomFieldKind, Store};
use serde_json::{Value, json};
use support::adf_schema::validator;

const JIRACLI_MD: &str = include_str!("fixtures/adf/jiracli-md.json");
const AFM_EXPAND: &str = include_str!("fixtures/adf/afm-expand-with-nestedExpand.json");

fn doc(content: Value) -> Value {
    json!({ "type": "doc", "version": 1, "content": content })
}

#[test]
fn validator_accepts_real_documents() {
    let v = validator();
    for raw in [JIRACLI_MD, AFM_EXPAND] {
        let d: Value = serde_json::from_str(raw).unwrap();
        v.validate(&d).unwrap();
    }
    v.validate(&doc(json!([{ "type": "paragraph", "content": [
        { "type": "text", "text": "x", "marks": [{ "type": "code" }, { "type": "link", "attrs": { "href": "https://a.example" } }] }
    ]}])))
    .unwrap();
}

/// The render tests' one-document-per-node-type samples (`tests/ui_adf.rs`) are real ADF.
#[test]
fn every_node_render_samples_are_valid_adf() {
    let v = validator();
    let samples: Value =
        serde_json::from_str(include_str!("fixtures/adf/every-node.json")).unwrap();
    for sample in samples["samples"].as_array().unwrap() {
        if let Err(e) = v.validate(&sample["doc"]) {
            panic!("sample for {}: {e}", sample["node"]);
        }
    }
}

#[test]
fn validator_rejects_what_the_schema_forbids() {
    let v = validator();
    let bad = [
        (
            "wrong version",
            json!({ "type": "doc", "version": 2, "content": [] }),
        ),
        (
            "empty text",
            doc(json!([{ "type": "paragraph", "content": [{ "type": "text", "text": "" }] }])),
        ),
        (
            "unknown panel type",
            doc(
                json!([{ "type": "panel", "attrs": { "panelType": "shout" }, "content": [{ "type": "paragraph" }] }]),
            ),
        ),
        (
            "task list without localId",
            doc(
                json!([{ "type": "taskList", "attrs": {}, "content": [{ "type": "taskItem", "attrs": { "localId": "a", "state": "TODO" } }] }]),
            ),
        ),
        (
            "code mixed with strong",
            doc(
                json!([{ "type": "paragraph", "content": [{ "type": "text", "text": "x", "marks": [{ "type": "code" }, { "type": "strong" }] }] }]),
            ),
        ),
        (
            "text colour name",
            doc(
                json!([{ "type": "paragraph", "content": [{ "type": "text", "text": "x", "marks": [{ "type": "textColor", "attrs": { "color": "red" } }] }] }]),
            ),
        ),
        (
            "heading level 7",
            doc(json!([{ "type": "heading", "attrs": { "level": 7 }, "content": [] }])),
        ),
        (
            "marks in a code block",
            doc(
                json!([{ "type": "codeBlock", "content": [{ "type": "text", "text": "x", "marks": [{ "type": "em" }] }] }]),
            ),
        ),
        (
            "two media in mediaSingle",
            doc(
                json!([{ "type": "mediaSingle", "attrs": { "layout": "center" }, "content": [
            { "type": "media", "attrs": { "type": "file", "id": "1", "collection": "" } },
            { "type": "media", "attrs": { "type": "file", "id": "2", "collection": "" } }
        ] }]),
            ),
        ),
        (
            "unknown attribute",
            doc(json!([{ "type": "rule", "attrs": { "colour": "x" } }])),
        ),
        (
            "empty bullet list",
            doc(json!([{ "type": "bulletList", "content": [] }])),
        ),
    ];
    for (what, d) in bad {
        assert!(v.validate(&d).is_err(), "accepted: {what}");
    }
}

/// Every ADF value in the store: descriptions, environments, comment bodies and
/// rich-text custom fields, labelled for error messages.
fn adf_documents(store: &Store) -> Vec<(String, &Value)> {
    let rich: Vec<u64> = store
        .custom_fields
        .iter()
        .filter(|f| f.kind == CustomFieldKind::TextArea)
        .map(|f| f.id)
        .collect();
    let mut docs = Vec::new();
    for issue in &store.issues {
        if let Some(d) = &issue.description {
            docs.push((format!("{} description", issue.key), d));
        }
        if let Some(d) = &issue.environment {
            docs.push((format!("{} environment", issue.key), d));
        }
        for c in &issue.comments {
            docs.push((format!("{} comment {}", issue.key, c.id), &c.body));
        }
        for (field, value) in &issue.custom {
            if rich.contains(field) {
                docs.push((format!("{} customfield_{field}", issue.key), value));
            }
        }
    }
    docs
}

#[test]
fn every_demo_document_is_valid_adf() {
    let v = validator();
    let store = demo_store(600);
    let docs = adf_documents(&store);
    assert!(docs.len() > 1500, "only {} documents", docs.len());
    let failures: Vec<String> = docs
        .iter()
        .filter_map(|(label, d)| v.validate(d).err().map(|e| format!("{label}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} invalid documents, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    if let Some(obj) = v.as_object() {
        if obj.contains_key("type") {
            out.push(v);
        }
        if let Some(content) = obj.get("content").and_then(Value::as_array) {
            for child in content {
                walk(child, out);
            }
        }
    }
}

#[test]
fn demo_documents_use_every_common_node_and_mark() {
    let store = demo_store(600);
    let docs = adf_documents(&store);
    let mut nodes: Vec<&Value> = Vec::new();
    for (_, d) in &docs {
        walk(d, &mut nodes);
    }
    let kinds: BTreeSet<&str> = nodes.iter().filter_map(|n| n["type"].as_str()).collect();
    for kind in [
        "heading",
        "paragraph",
        "text",
        "bulletList",
        "orderedList",
        "listItem",
        "codeBlock",
        "blockquote",
        "table",
        "tableRow",
        "tableHeader",
        "tableCell",
        "panel",
        "rule",
        "mention",
        "emoji",
        "inlineCard",
        "status",
        "date",
        "taskList",
        "taskItem",
        "decisionList",
        "decisionItem",
        "expand",
        "mediaSingle",
        "mediaGroup",
        "media",
        "caption",
        "hardBreak",
    ] {
        assert!(kinds.contains(kind), "no {kind} node in the demo data");
    }
    let marks: BTreeSet<&str> = nodes
        .iter()
        .flat_map(|n| n["marks"].as_array().into_iter().flatten())
        .filter_map(|m| m["type"].as_str())
        .collect();
    for mark in [
        "strong",
        "em",
        "code",
        "strike",
        "underline",
        "link",
        "textColor",
        "subsup",
    ] {
        assert!(marks.contains(mark), "no {mark} mark in the demo data");
    }
    let attr = |kind: &str, name: &str| -> BTreeSet<String> {
        nodes
            .iter()
            .filter(|n| n["type"] == kind)
            .filter_map(|n| n["attrs"][name].as_str().map(str::to_string))
            .collect()
    };
    for panel in ["info", "note", "warning", "error", "success"] {
        assert!(
            attr("panel", "panelType").contains(panel),
            "no {panel} panel"
        );
    }
    assert!(
        attr("codeBlock", "language").len() >= 5,
        "code blocks need varied languages"
    );
    assert_eq!(
        attr("taskItem", "state"),
        BTreeSet::from(["DONE".to_string(), "TODO".to_string()])
    );
    let nested = nodes.iter().any(|n| {
        n["type"] == "listItem"
            && n["content"].as_array().is_some_and(|c| {
                c.iter()
                    .any(|x| x["type"] == "bulletList" || x["type"] == "orderedList")
            })
    });
    assert!(nested, "no nested list");
    let header_rows = nodes
        .iter()
        .any(|n| n["type"] == "tableRow" && n["content"][0]["type"] == "tableHeader");
    assert!(header_rows, "no table with a header row");
}

#[test]
fn mentions_dates_cards_and_media_point_at_real_things() {
    let store = demo_store(600);
    let mut media_checked = 0;
    for issue in &store.issues {
        let mut nodes = Vec::new();
        for d in issue
            .description
            .iter()
            .chain(issue.comments.iter().map(|c| &c.body))
        {
            walk(d, &mut nodes);
        }
        for n in nodes {
            let attrs = &n["attrs"];
            match n["type"].as_str().unwrap() {
                "mention" => {
                    let id = attrs["id"].as_str().unwrap();
                    let user = store
                        .user(id)
                        .unwrap_or_else(|| panic!("{}: mention of unknown {id}", issue.key));
                    assert_eq!(attrs["text"], format!("@{}", user.display_name));
                }
                "date" => {
                    let ms: i64 = attrs["timestamp"].as_str().unwrap().parse().unwrap();
                    // Midnight UTC, within a year around the dataset's history.
                    assert_eq!(ms % 86_400_000, 0, "{}: date not at midnight", issue.key);
                    assert!(
                        (1_760_000_000_000..1_830_000_000_000).contains(&ms),
                        "{}: date {ms}",
                        issue.key
                    );
                }
                "inlineCard" => {
                    let url = attrs["url"].as_str().unwrap();
                    if let Some(key) =
                        url.strip_prefix("https://acme-robotics.atlassian.net/browse/")
                    {
                        assert!(
                            store.issue_by_key(key).is_some(),
                            "{}: card to unknown {key}",
                            issue.key
                        );
                    } else {
                        assert!(
                            url.starts_with("https://"),
                            "{}: odd card url {url}",
                            issue.key
                        );
                    }
                }
                "media" => {
                    let alt = attrs["alt"].as_str().unwrap();
                    assert!(
                        issue.attachments.iter().any(|a| a.filename == alt),
                        "{}: media {alt} is not an attachment",
                        issue.key
                    );
                    media_checked += 1;
                }
                _ => {}
            }
        }
    }
    assert!(media_checked > 10, "only {media_checked} media nodes");
}
