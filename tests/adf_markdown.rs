//! Rich text both ways (`jtui::jira::markdown`): ADF → editor text → ADF gives back the
//! original (after the documented normalisation) for every real document we hold (Atlassian's
//! schema samples, other clients' payloads, the render samples, the whole demo dataset) and
//! for generated ones; what a user types converts to ADF valid under Atlassian's schema and
//! converts back stably; placeholders keep what the text cannot show and complain when
//! misused; hostile input neither overflows the stack nor takes long.

mod support {
    pub mod adf_schema;
}

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jtui::emulator::seed::demo_store;
use jtui::jira::Adf;
use jtui::jira::markdown::{
    ConvertError, MentionDirectory, STRUCTURE_DEPTH, from_editor_text, normalized, to_editor_text,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::adf_schema::{Validator, validator};

fn schema() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(validator)
}

fn people() -> MentionDirectory {
    MentionDirectory::new(
        [
            ("a1", "Ana Silva"),
            ("b1", "Bob"),
            ("p1", "Priya Nair"),
            ("t1", "~tilde] [name"),
            ("d1", "Sam"),
            ("d2", "Sam"),
        ]
        .map(|(id, name)| (id.to_string(), name.to_string())),
    )
}

fn doc(content: Value) -> Value {
    json!({ "type": "doc", "version": 1, "content": content })
}

fn p(content: Value) -> Value {
    json!({ "type": "paragraph", "content": content })
}

fn t(text: &str) -> Value {
    json!({ "type": "text", "text": text })
}

/// The first place two JSON values differ, for readable failures.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let sub = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(va), Some(vb)) => {
                        if let Some(d) = first_difference(va, vb, &sub) {
                            return Some(d);
                        }
                    }
                    (va, vb) => return Some(format!("{sub}: {va:?} vs {vb:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(d) = first_difference(va, vb, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}: {} vs {} items", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

/// ADF → text → ADF; the error says where it went wrong.
fn round_trip(original: &Value, ctx: &MentionDirectory) -> Result<Value, String> {
    let adf = Adf::from_value(original.clone());
    let text = to_editor_text(&adf, ctx);
    let back = from_editor_text(&text.text, Some(&adf), ctx)
        .map_err(|e| format!("{e}\n--- text ---\n{}", text.text))?;
    let (want, got) = (normalized(&adf), normalized(&back));
    if want != got {
        let diff = first_difference(want.as_value(), got.as_value(), "$").unwrap_or_default();
        return Err(format!("{diff}\n--- text ---\n{}", text.text));
    }
    Ok(back.into_value())
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every ADF document (an object of type `doc`) inside `value`.
fn find_docs(value: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("doc") => {
            out.push((path, value.clone()));
        }
        Value::Object(map) => {
            for (k, v) in map {
                find_docs(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_docs(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The ADF documents of the fixtures: payloads (issues, comments, Atlassian's examples),
/// Atlassian's schema samples, other clients' test data and the render samples.
fn fixture_documents() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in ["payloads", "payloads/adf", "payloads/spec-examples", "adf"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join(dir))
            .expect("fixture folder reads")
            .map(|e| e.expect("fixture entry reads").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter(|p| !p.ends_with("adf-schema-v1.json"))
            .collect();
        files.sort();
        for file in files {
            let raw = std::fs::read_to_string(&file).expect("fixture reads");
            let value: Value =
                serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let name = file
                .strip_prefix(fixtures())
                .expect("under the fixtures")
                .display()
                .to_string();
            find_docs(&value, name, &mut out);
        }
    }
    out
}

/// Node types and marks the editor text has no form for.
const UNREPRESENTABLE: &[&str] = &[
    "mediaSingle",
    "mediaGroup",
    "media",
    "mediaInline",
    "caption",
    "expand",
    "nestedExpand",
    "status",
    "date",
    "decisionList",
    "decisionItem",
    "blockTaskItem",
    "blockCard",
    "embedCard",
    "layoutSection",
    "layoutColumn",
    "extension",
    "bodiedExtension",
    "multiBodiedExtension",
    "inlineExtension",
    "syncBlock",
    "bodiedSyncBlock",
    "placeholder",
    "textColor",
    "backgroundColor",
    "subsup",
    "alignment",
    "indentation",
    "annotation",
    "breakout",
];

/// Whether a placeholder's node holds something the text genuinely cannot show (rather
/// than being a node the converter should have shown).
fn genuinely_unrepresentable(node: &Value) -> bool {
    let kind = node["type"].as_str().unwrap_or("");
    UNREPRESENTABLE.contains(&kind)
        || node["marks"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| UNREPRESENTABLE.contains(&m["type"].as_str().unwrap_or("")))
        || node["content"]
            .as_array()
            .into_iter()
            .flatten()
            .any(genuinely_unrepresentable)
}

#[test]
fn every_fixture_document_round_trips() {
    let docs = fixture_documents();
    assert!(docs.len() >= 60, "only {} fixture documents", docs.len());
    let ctx = people();
    let mut failures = Vec::new();
    for (name, original) in &docs {
        match round_trip(original, &ctx) {
            Ok(back) => {
                if schema().validate(original).is_ok()
                    && let Err(e) = schema().validate(&back)
                {
                    failures.push(format!("{name}: result is not valid ADF: {e}"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
        let text = to_editor_text(&Adf::from_value(original.clone()), &ctx);
        for placeholder in &text.placeholders {
            assert!(
                genuinely_unrepresentable(&placeholder.node),
                "{name}: {} hides a node the text could show: {}",
                placeholder.token,
                placeholder.node
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_demo_description_and_comment_round_trips() {
    let store = demo_store(600);
    let ctx = MentionDirectory::new(
        store
            .users
            .iter()
            .map(|u| (u.account_id.clone(), u.display_name.clone())),
    );
    let mut count = 0;
    let mut failures = Vec::new();
    for issue in &store.issues {
        let docs = issue
            .description
            .iter()
            .map(|d| ("description".to_string(), d))
            .chain(
                issue
                    .environment
                    .iter()
                    .map(|d| ("environment".to_string(), d)),
            )
            .chain(
                issue
                    .comments
                    .iter()
                    .map(|c| (format!("comment {}", c.id), &c.body)),
            );
        for (what, d) in docs {
            count += 1;
            match round_trip(d, &ctx) {
                Ok(back) => {
                    if let Err(e) = schema().validate(&back) {
                        failures.push(format!(
                            "{} {what}: result is not valid ADF: {e}",
                            issue.key
                        ));
                    }
                }
                Err(e) => failures.push(format!("{} {what}: {e}", issue.key)),
            }
        }
    }
    assert!(count > 1500, "only {count} documents");
    assert!(
        failures.is_empty(),
        "{} of {count} failed, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(3)].join("\n\n")
    );
}

/// A document with every construct the text has a form for, and its text: the format as
/// a user sees it.
#[test]
fn editor_text_reads_like_markdown() {
    let original = doc(json!([
        { "type": "heading", "attrs": { "level": 2 }, "content": [t("Steps")] },
        p(json!([
            t("Run "),
            { "type": "text", "text": "make", "marks": [{ "type": "code" }] },
            t(" with "),
            { "type": "text", "text": "care", "marks": [{ "type": "strong" }] },
            t(", "),
            { "type": "text", "text": "really", "marks": [{ "type": "em" }] },
            t(", "),
            { "type": "text", "text": "old", "marks": [{ "type": "strike" }] },
            t(", "),
            { "type": "text", "text": "new", "marks": [{ "type": "underline" }] },
            t(". See "),
            { "type": "text", "text": "the docs", "marks": [{ "type": "link", "attrs": { "href": "https://x.io/docs" } }] },
            t(" or "),
            { "type": "text", "text": "https://x.io", "marks": [{ "type": "link", "attrs": { "href": "https://x.io" } }] },
            t(" and "),
            { "type": "inlineCard", "attrs": { "url": "https://acme.atlassian.net/browse/NAV-1" } },
            { "type": "hardBreak" },
            t("Thanks "),
            { "type": "mention", "attrs": { "id": "a1", "text": "@Ana Silva" } },
            t(" and "),
            { "type": "mention", "attrs": { "id": "b1", "text": "@Bob" } },
            t(" "),
            { "type": "emoji", "attrs": { "shortName": ":tada:" } },
            t(" "),
            { "type": "status", "attrs": { "text": "Blocked", "color": "red" } }
        ])),
        { "type": "bulletList", "content": [
            { "type": "listItem", "content": [
                p(json!([t("one")])),
                { "type": "orderedList", "attrs": { "order": 3 }, "content": [
                    { "type": "listItem", "content": [p(json!([t("three")]))] },
                    { "type": "listItem", "content": [p(json!([t("four")]))] }
                ] }
            ] },
            { "type": "listItem", "content": [p(json!([t("two")]))] }
        ] },
        { "type": "taskList", "attrs": { "localId": "tl" }, "content": [
            { "type": "taskItem", "attrs": { "localId": "t1", "state": "DONE" }, "content": [t("done")] },
            { "type": "taskItem", "attrs": { "localId": "t2", "state": "TODO" }, "content": [t("todo")] }
        ] },
        { "type": "codeBlock", "attrs": { "language": "rust" }, "content": [t("fn main() {}")] },
        { "type": "blockquote", "content": [p(json!([t("quoted")]))] },
        { "type": "panel", "attrs": { "panelType": "warning" }, "content": [p(json!([t("careful")]))] },
        { "type": "rule" },
        { "type": "table", "content": [
            { "type": "tableRow", "content": [
                { "type": "tableHeader", "content": [p(json!([t("Board")]))] },
                { "type": "tableHeader", "content": [p(json!([t("Hz")]))] }
            ] },
            { "type": "tableRow", "content": [
                { "type": "tableCell", "content": [p(json!([t("rev-C")]))] },
                { "type": "tableCell", "content": [p(json!([t("a | b")]))] }
            ] }
        ] },
        { "type": "mediaSingle", "attrs": { "layout": "center" }, "content": [
            { "type": "media", "attrs": { "type": "file", "id": "f1", "collection": "", "alt": "frame.png" } }
        ] },
        p(json!([]))
    ]));
    let text = to_editor_text(&Adf::from_value(original.clone()), &people());
    let expected = "\
## Steps

Run `make` with **care**, *really*, ~~old~~, <u>new</u>. See [the docs](https://x.io/docs) or https://x.io and <https://acme.atlassian.net/browse/NAV-1>\\
Thanks @[Ana Silva] and @Bob :tada: ⟦status#1 Blocked⟧

- one
  3. three
  4. four
- two

- [x] done
- [ ] todo

```rust
fn main() {}
```

> quoted

:::warning
careful
:::

---

| Board | Hz |
| --- | --- |
| rev-C | a \\| b |

⟦mediaSingle#2 frame.png⟧

\\
";
    assert_eq!(text.text, expected);
    assert_eq!(text.placeholders.len(), 2);
    assert_eq!(text.placeholders[0].kind, "status");
    assert!(text.placeholders[0].inline);
    assert_eq!(text.placeholders[1].token, "⟦mediaSingle#2 frame.png⟧");
    assert!(!text.placeholders[1].inline);
    round_trip(&original, &people()).unwrap();
}

/// What a user types, as the ADF Jira receives.
#[test]
fn typed_text_becomes_adf() {
    let text = "\
# Title with *em*

First line
still first paragraph  
after a hard break\\
and another, then **bold *both*** ~~gone~~ <u>under</u> `x` @Bob @[priya nair] @Nobody :+1: :nope:

Links: [a](https://a.io) https://b.io/path. <https://c.io>

1. one
2. two
   - nested

- [ ] open
- [X] closed
  - [ ] sub

```
plain code
```

| h1 | h2 |
|:---|---:|
| c1 |

:::tip
* inside
:::

> quote
>
> more

***

\\
";
    let adf = from_editor_text(text, None, &people()).unwrap();
    schema().validate(adf.as_value()).unwrap();
    let v = adf.as_value();
    let content = v["content"].as_array().unwrap();
    let types: Vec<&str> = content
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "heading",
            "paragraph",
            "paragraph",
            "orderedList",
            "taskList",
            "codeBlock",
            "table",
            "panel",
            "blockquote",
            "rule",
            "paragraph"
        ]
    );
    assert_eq!(v["content"][0]["attrs"]["level"], 1);
    assert_eq!(
        v["content"][0]["content"][1]["marks"],
        json!([{ "type": "em" }])
    );
    let para = v["content"][1]["content"].as_array().unwrap();
    assert_eq!(para[0], t("First line still first paragraph"));
    assert_eq!(para[1]["type"], "hardBreak");
    assert_eq!(para[2], t("after a hard break"));
    assert_eq!(para[3]["type"], "hardBreak");
    let find = |text: &str| {
        para.iter()
            .find(|n| n["text"] == text)
            .unwrap_or_else(|| panic!("no {text:?} in {para:?}"))
    };
    assert_eq!(find("bold ")["marks"], json!([{ "type": "strong" }]));
    assert_eq!(
        find("both")["marks"],
        json!([{ "type": "em" }, { "type": "strong" }])
    );
    assert_eq!(find("gone")["marks"], json!([{ "type": "strike" }]));
    assert_eq!(find("under")["marks"], json!([{ "type": "underline" }]));
    assert_eq!(find("x")["marks"], json!([{ "type": "code" }]));
    let mentions: Vec<&Value> = para.iter().filter(|n| n["type"] == "mention").collect();
    assert_eq!(
        mentions[0]["attrs"],
        json!({ "id": "b1", "text": "@Bob", "accessLevel": "" })
    );
    assert_eq!(mentions[1]["attrs"]["id"], "p1");
    assert_eq!(mentions.len(), 2, "@Nobody stays text");
    assert!(
        para.iter()
            .any(|n| n["text"].as_str().is_some_and(|s| s.contains("@Nobody")))
    );
    let emoji: Vec<&Value> = para.iter().filter(|n| n["type"] == "emoji").collect();
    assert_eq!(emoji.len(), 1, ":nope: stays text");
    assert_eq!(emoji[0]["attrs"]["shortName"], ":+1:");
    let links = &v["content"][2]["content"];
    assert_eq!(links[1]["marks"][0]["attrs"]["href"], "https://a.io");
    assert_eq!(links[3]["text"], "https://b.io/path");
    assert_eq!(links[3]["marks"][0]["attrs"]["href"], "https://b.io/path");
    assert_eq!(links[4], t(". "));
    assert_eq!(
        links[5],
        json!({ "type": "inlineCard", "attrs": { "url": "https://c.io" } })
    );
    let ordered = &v["content"][3];
    assert_eq!(ordered["attrs"]["order"], 1);
    assert_eq!(ordered["content"][1]["content"][1]["type"], "bulletList");
    let tasks = &v["content"][4]["content"];
    assert_eq!(tasks[0]["attrs"]["state"], "TODO");
    assert_eq!(tasks[1]["attrs"]["state"], "DONE");
    assert_eq!(
        tasks[2]["type"], "taskList",
        "a nested task list follows its item"
    );
    let ids: Vec<&str> = [
        &v["content"][4],
        &tasks[0],
        &tasks[1],
        &tasks[2],
        &tasks[2]["content"][0],
    ]
    .iter()
    .map(|n| n["attrs"]["localId"].as_str().unwrap())
    .collect();
    for id in &ids {
        assert_eq!(id.len(), 36, "{id} is not UUID-shaped");
    }
    assert_eq!(
        ids.iter().collect::<std::collections::BTreeSet<_>>().len(),
        ids.len(),
        "localIds are unique"
    );
    assert!(v["content"][5]["attrs"].is_null(), "no language, no attrs");
    let table = &v["content"][6]["content"];
    assert_eq!(table[0]["content"][0]["type"], "tableHeader");
    assert_eq!(
        table[1]["content"][1]["type"], "tableCell",
        "short rows are padded"
    );
    assert_eq!(v["content"][7]["attrs"]["panelType"], "tip");
    assert_eq!(v["content"][7]["content"][0]["type"], "bulletList");
    assert_eq!(v["content"][8]["content"].as_array().unwrap().len(), 2);
    assert_eq!(
        v["content"][10],
        json!({ "type": "paragraph", "content": [] })
    );
}

#[test]
fn constructs_follow_the_schema_not_the_syntax() {
    // A quote holds no heading or table in ADF; a list item no rule; they stay text.
    let text = "> # not a heading\n> | a |\n> |---|\n\n- ***\n- > no quote\n";
    let adf = from_editor_text(text, None, &people()).unwrap();
    schema().validate(adf.as_value()).unwrap();
    let v = adf.as_value();
    assert_eq!(v["content"][0]["type"], "blockquote");
    assert_eq!(v["content"][0]["content"][0]["type"], "paragraph");
    assert_eq!(
        v["content"][0]["content"][0]["content"][0]["text"],
        "# not a heading | a | |---|"
    );
    assert_eq!(v["content"][1]["type"], "bulletList");
    assert_eq!(
        v["content"][1]["content"][0]["content"][0]["content"][0]["text"],
        "***"
    );
}

#[test]
fn empty_and_plain_text_originals() {
    let ctx = people();
    let empty = Adf::default();
    assert_eq!(to_editor_text(&empty, &ctx).text, "");
    assert_eq!(from_editor_text("", Some(&empty), &ctx).unwrap(), empty);
    assert_eq!(from_editor_text("\n \n\t\n", None, &ctx).unwrap(), empty);
    // An API v2 plain-text value reads as paragraphs and is written back as ADF.
    let plain_text = "first line\nsecond\n\nnext *para*";
    let plain = Adf::from_value(json!(plain_text));
    let text = to_editor_text(&plain, &ctx);
    assert_eq!(text.text, "first line\\\nsecond\n\nnext \\*para\\*\n");
    let back = from_editor_text(&text.text, Some(&plain), &ctx).unwrap();
    assert_eq!(
        normalized(&back),
        normalized(&Adf::from_plain_text(plain_text))
    );
    // CR LF from a Windows editor is a line break like LF.
    let crlf = from_editor_text("a\r\n\r\n- b\r\n", None, &ctx).unwrap();
    assert_eq!(crlf, from_editor_text("a\n\n- b\n", None, &ctx).unwrap());
}

fn media_doc() -> Value {
    doc(json!([
        p(json!([t("before "), { "type": "status", "attrs": { "text": "WIP", "color": "blue", "localId": "s1" } }])),
        { "type": "mediaSingle", "attrs": { "layout": "center" }, "content": [
            { "type": "media", "attrs": { "type": "file", "id": "f1", "collection": "", "alt": "a.png" } }
        ] },
        { "type": "bulletList", "content": [
            { "type": "listItem", "content": [p(json!([t("item")]))] }
        ] },
        p(json!([t("after")]))
    ]))
}

#[test]
fn placeholders_restore_their_node_wherever_they_go() {
    let original = Adf::from_value(media_doc());
    let ctx = people();
    let text = to_editor_text(&original, &ctx);
    assert_eq!(
        text.text,
        "before ⟦status#1 WIP⟧\n\n⟦mediaSingle#2 a.png⟧\n\n- item\n\nafter\n"
    );
    let media = &media_doc()["content"][1];
    let status = &media_doc()["content"][0]["content"][1];

    // Moved into a list item (Jira accepts media there), the status into the last line.
    let moved =
        "before\n\n- item\n\n  ⟦mediaSingle#2 a.png⟧\n\nafter ⟦status#1 WIP⟧ twice ⟦status#1⟧\n";
    let adf = from_editor_text(moved, Some(&original), &ctx).unwrap();
    let v = adf.as_value();
    assert_eq!(&v["content"][1]["content"][0]["content"][1], media);
    assert_eq!(&v["content"][2]["content"][1], status);
    assert_eq!(&v["content"][2]["content"][3], status);
    schema().validate(v).unwrap();

    // Deleting a token deletes its node: the user's choice.
    let deleted = "before\n\n- item\n\nafter\n";
    let adf = from_editor_text(deleted, Some(&original), &ctx).unwrap();
    assert!(!adf.as_value().to_string().contains("mediaSingle"));

    // The label is only a reminder.
    let relabelled = "before ⟦status#1 whatever⟧\n\n⟦mediaSingle#2⟧\n\n- item\n\nafter\n";
    let adf = from_editor_text(relabelled, Some(&original), &ctx).unwrap();
    assert_eq!(normalized(&adf), normalized(&original));
}

#[test]
fn misused_placeholders_are_errors_with_a_line() {
    let original = Adf::from_value(media_doc());
    let ctx = people();
    let err =
        |text: &str, original: Option<&Adf>| from_editor_text(text, original, &ctx).unwrap_err();

    let e = err("fine\n\n⟦mediaSingle#7 a.png⟧\n", Some(&original));
    assert!(
        matches!(&e, ConvertError::UnknownPlaceholder { line: 3, token } if token == "⟦mediaSingle#7 a.png⟧")
    );
    assert!(e.to_string().contains("remove it"), "{e}");

    let e = err("⟦mediaSingle#1⟧\n", Some(&original));
    assert!(
        matches!(&e, ConvertError::WrongPlaceholder { actual, .. } if actual == "status"),
        "{e}"
    );

    let e = err("text ⟦mediaSingle#2⟧ inline\n", Some(&original));
    assert!(
        matches!(e, ConvertError::MisplacedPlaceholder { line: 1, .. }),
        "{e}"
    );

    // A quote cannot hold a table in ADF.
    let table_doc = Adf::from_value(doc(json!([{ "type": "table", "content": [
        { "type": "tableRow", "content": [
            { "type": "tableCell", "attrs": { "colspan": 2 }, "content": [p(json!([t("wide")]))] }
        ] }
    ] }])));
    let text = to_editor_text(&table_doc, &ctx);
    assert_eq!(
        text.text, "⟦table#1 wide⟧\n",
        "spanning cells have no pipe-table form"
    );
    let e = err("> ⟦table#1 wide⟧\n", Some(&table_doc));
    assert!(
        matches!(e, ConvertError::MisplacedPlaceholder { .. }),
        "{e}"
    );

    // New text has no placeholders to refer to.
    let e = err("⟦status#1 WIP⟧\n", None);
    assert!(matches!(e, ConvertError::UnknownPlaceholder { .. }), "{e}");

    // An escaped or malformed token is just text.
    let adf = from_editor_text("\\⟦status#1⟧ ⟦not a token⟧\n", None, &ctx).unwrap();
    assert_eq!(
        adf.as_value()["content"][0]["content"][0],
        t("⟦status#1⟧ ⟦not a token⟧")
    );
}

#[test]
fn hidden_attributes_survive_editing() {
    let original = doc(json!([
        { "type": "table", "attrs": { "layout": "wide", "localId": "tbl", "isNumberColumnEnabled": true }, "content": [
            { "type": "tableRow", "content": [
                { "type": "tableHeader", "attrs": { "colwidth": [120], "background": "#deebff" }, "content": [p(json!([t("Name")]))] }
            ] },
            { "type": "tableRow", "content": [
                { "type": "tableCell", "attrs": { "colwidth": [120] }, "content": [p(json!([t("old value")]))] }
            ] }
        ] },
        { "type": "taskList", "attrs": { "localId": "list-1" }, "content": [
            { "type": "taskItem", "attrs": { "localId": "item-1", "state": "TODO" }, "content": [t("ship it")] }
        ] },
        { "type": "panel", "attrs": { "panelType": "info", "panelIcon": ":rocket:" }, "content": [p(json!([t("x")]))] },
        { "type": "codeBlock", "attrs": { "language": "go", "uniqueId": "u1" }, "content": [t("x := 1")] },
        p(json!([{ "type": "mention", "attrs": { "id": "zz", "text": "@Zoe", "accessLevel": "CONTAINER", "localId": "m1" } }]))
    ]));
    let adf = Adf::from_value(original);
    let ctx = people();
    let text = to_editor_text(&adf, &ctx).text;
    assert!(
        text.contains("@Zoe"),
        "a name from the document resolves: {text}"
    );
    let edited = text
        .replace("old value", "new value")
        .replace("- [ ] ship it", "- [x] ship it\n- [ ] and celebrate")
        .replace("```go", "```golang")
        .replace(":::info", ":::note");
    let back = from_editor_text(&edited, Some(&adf), &ctx).unwrap();
    let v = back.as_value();
    let table = &v["content"][0];
    assert_eq!(
        table["attrs"],
        json!({ "layout": "wide", "localId": "tbl", "isNumberColumnEnabled": true })
    );
    assert_eq!(
        table["content"][0]["content"][0]["attrs"],
        json!({ "colwidth": [120], "background": "#deebff" })
    );
    assert_eq!(
        table["content"][1]["content"][0]["attrs"],
        json!({ "colwidth": [120] })
    );
    assert_eq!(
        table["content"][1]["content"][0]["content"][0]["content"][0],
        t("new value")
    );
    let tasks = &v["content"][1];
    assert_eq!(tasks["attrs"]["localId"], "list-1");
    assert_eq!(
        tasks["content"][0]["attrs"],
        json!({ "localId": "item-1", "state": "DONE" })
    );
    assert_ne!(tasks["content"][1]["attrs"]["localId"], "item-1");
    assert_eq!(
        v["content"][2]["attrs"],
        json!({ "panelType": "note", "panelIcon": ":rocket:" })
    );
    assert_eq!(
        v["content"][3]["attrs"],
        json!({ "language": "golang", "uniqueId": "u1" })
    );
    assert_eq!(
        v["content"][4]["content"][0]["attrs"],
        json!({ "id": "zz", "text": "@Zoe", "accessLevel": "CONTAINER", "localId": "m1" })
    );
    schema().validate(v).unwrap();
}

#[test]
fn mentions_resolve_or_stay_text() {
    let ctx = people();
    let convert = |text: &str| from_editor_text(text, None, &ctx).unwrap().into_value();
    let v = convert("@Sam @[Sam] @bob @[~d2] @[\\~tilde\\] \\[name] mail@Bob.com\n");
    let content = v["content"][0]["content"].as_array().unwrap();
    let ids: Vec<&str> = content
        .iter()
        .filter_map(|n| n["attrs"]["id"].as_str())
        .collect();
    // Two people named Sam: only the id form picks one.
    assert_eq!(ids, ["b1", "d2", "t1"]);
    assert!(
        content[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("@Sam @[Sam] ")
    );
    assert!(
        content.last().unwrap()["text"]
            .as_str()
            .unwrap()
            .ends_with("mail@Bob.com")
    );

    // Printing picks a form that resolves back to the same person.
    let original = Adf::from_value(doc(json!([p(json!([
        { "type": "mention", "attrs": { "id": "d1", "text": "@Sam" } },
        t("s "),
        { "type": "mention", "attrs": { "id": "t1" } },
        t(" "),
        { "type": "mention", "attrs": { "id": "unknown-id" } },
        t(" x"),
        { "type": "mention", "attrs": { "id": "b1", "text": "@Bob" } }
    ]))])));
    let text = to_editor_text(&original, &ctx);
    assert_eq!(
        text.text,
        "@[~d1]s @[\\~tilde\\] \\[name] @[~unknown-id] x@[Bob]\n"
    );
    round_trip(original.as_value(), &ctx).unwrap();
}

#[test]
fn escapes_keep_literal_text_literal() {
    let ctx = people();
    let literal = [
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "---",
        "| not | a table |",
        ":::info",
        "```",
        "~~~",
        "[ ] not a task",
        "*stars* and **more** and ~~tildes~~ and `ticks`",
        "<u>tags</u> <br> <https://not.a.card>",
        "[not](a link) https://not.a.link @Bob :tada: ⟦x#1⟧",
        "  leading and trailing spaces  ",
        "back\\slash at the end \\",
        "\\",
        "2 * 3 * 4 and a ~ b ~~ c",
    ];
    for text in literal {
        let original = doc(json!([p(json!([t(text)]))]));
        round_trip(&original, &ctx).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
    // Prose without syntax reads as written.
    let prose = doc(json!([p(json!([t(
        "Ratio 2:1, e-mail bob@x.io, 10:30:00, a_b_c, C:\\Users, #42, x > y."
    )]))]));
    assert_eq!(
        to_editor_text(&Adf::from_value(prose), &ctx).text,
        "Ratio 2:1, e-mail bob@x.io, 10:30:00, a_b_c, C:\\Users, #42, x > y.\n"
    );
}

#[test]
fn nesting_is_bounded_both_ways() {
    let ctx = people();
    // Deeper than the editor gives structure to: the deep part becomes a placeholder.
    let mut node = p(json!([t("bottom")]));
    for _ in 0..40 {
        node =
            json!({ "type": "bulletList", "content": [{ "type": "listItem", "content": [node] }] });
    }
    let deep = doc(json!([node]));
    let text = to_editor_text(&Adf::from_value(deep.clone()), &ctx);
    assert_eq!(
        text.placeholders.len(),
        1,
        "one placeholder below depth {STRUCTURE_DEPTH}"
    );
    round_trip(&deep, &ctx).unwrap();

    // Hostile text: tens of thousands of nesting levels, no stack overflow, valid ADF.
    let mut hostile = String::new();
    for i in 0..3_000 {
        hostile.push_str(&"> ".repeat(i % 7));
        hostile.push_str(&"- ".repeat(i % 50));
        hostile.push_str("[x](y) **z**\n");
    }
    hostile.push_str(&"- ".repeat(50_000));
    hostile.push('\n');
    hostile.push_str(&"  ".repeat(30_000));
    hostile.push_str("- deep\n");
    let adf = from_editor_text(&hostile, None, &ctx).unwrap();
    schema().validate(adf.as_value()).unwrap();
    let again = to_editor_text(&adf, &ctx);
    assert!(again.placeholders.is_empty());
}

/// Generous for a debug build on a busy machine; release is far faster.
const LARGE_DOC_BUDGET: Duration = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 1 });

#[test]
fn a_megabyte_converts_quickly() {
    let mut blocks = Vec::new();
    while blocks.len() < 5000 {
        blocks.push(json!({ "type": "heading", "attrs": { "level": 2 }, "content": [t("Section *title*")] }));
        blocks.push(p(json!([
            t("Some prose with "),
            { "type": "text", "text": "bold", "marks": [{ "type": "strong" }] },
            t(" and a "),
            { "type": "text", "text": "link", "marks": [{ "type": "link", "attrs": { "href": "https://x.io/a" } }] },
            t(" and more words to make the paragraph long enough to matter, [really] 2 * 3."),
            { "type": "mention", "attrs": { "id": "a1", "text": "@Ana Silva" } }
        ])));
        blocks.push(json!({ "type": "bulletList", "content": [
            { "type": "listItem", "content": [p(json!([t("item one with `code`")]))] },
            { "type": "listItem", "content": [p(json!([t("item two")]))] }
        ] }));
        blocks.push(json!({ "type": "codeBlock", "attrs": { "language": "rust" }, "content": [t("fn main() {\n    println!(\"hi\");\n}")] }));
    }
    let original = doc(Value::Array(blocks));
    let size = original.to_string().len();
    assert!(size > 1_000_000, "only {size} bytes");
    let ctx = people();
    let started = Instant::now();
    round_trip(&original, &ctx).unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < LARGE_DOC_BUDGET, "{size} bytes took {elapsed:?}");

    // Pathological text: unmatched brackets, backticks, links, tokens.
    let nasty = "[`](<@[⟦a#1 ](".repeat(60_000);
    let started = Instant::now();
    let adf = from_editor_text(&nasty, None, &ctx).unwrap();
    assert!(
        started.elapsed() < LARGE_DOC_BUDGET,
        "took {:?}",
        started.elapsed()
    );
    schema().validate(adf.as_value()).unwrap();
}

/// Cases the property tests once found.
#[test]
fn found_by_property_tests() {
    // A fence inside a list item inside a panel must not hide the panel's `:::`.
    let panel = doc(
        json!([{ "type": "panel", "attrs": { "panelType": "info" }, "content": [
        { "type": "bulletList", "content": [
            { "type": "listItem", "content": [{ "type": "codeBlock", "content": [] }] }
        ] }
    ] }]),
    );
    round_trip(&panel, &people()).unwrap();
    // A tab inside a code block's language is part of the language.
    check_typed("```@\t:").unwrap();
}

// ---- property tests ----

/// Text with every character the syntax cares about.
fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,6}",
        3 => "[ *_~`\\[\\]()<>@:\\\\|#+!.,\t⟦⟧-]{1,3}",
        1 => Just("https://x.io/a".to_string()),
        1 => Just("@Bob".to_string()),
        1 => Just(":tada:".to_string()),
        1 => Just("<u>".to_string()),
        1 => Just("1. ".to_string()),
        1 => Just("⟦status#1⟧".to_string()),
        1 => Just("日本 é".to_string()),
    ];
    prop::collection::vec(piece, 1..4).prop_map(|p| p.concat())
}

fn href_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://x.io/a".to_string()),
        Just("https://x.io/(a)".to_string()),
        Just("u v".to_string()),
        Just(String::new()),
        Just("a\\b<c>".to_string()),
        "[a-z:/()\\\\ ]{0,8}",
    ]
}

fn marks_strategy() -> impl Strategy<Value = Vec<Value>> {
    (
        any::<[bool; 4]>(),
        prop::option::of(href_strategy()),
        any::<bool>(),
        any::<u8>(),
    )
        .prop_map(|(flags, link, code, odd)| {
            let mut marks = Vec::new();
            if let Some(href) = link {
                marks.push(json!({ "type": "link", "attrs": { "href": href } }));
            }
            if code {
                marks.push(json!({ "type": "code" }));
                return marks;
            }
            for (on, kind) in flags.iter().zip(["strong", "em", "strike", "underline"]) {
                if *on {
                    marks.push(json!({ "type": kind }));
                }
            }
            if odd % 11 == 0 {
                marks.push(json!({ "type": "textColor", "attrs": { "color": "#ff5630" } }));
            }
            marks
        })
}

fn inline_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => (text_strategy(), marks_strategy()).prop_map(|(text, marks)| {
            let mut node = json!({ "type": "text", "text": text });
            if !marks.is_empty() {
                node["marks"] = Value::Array(marks);
            }
            node
        }),
        2 => Just(json!({ "type": "hardBreak" })),
        1 => Just(json!({ "type": "hardBreak", "attrs": { "text": "\n" } })),
        1 => prop::sample::select(vec!["a1", "b1", "d1", "t1", "zz"]).prop_map(|id| {
            json!({ "type": "mention", "attrs": { "id": id } })
        }),
        1 => Just(json!({ "type": "mention", "attrs": { "id": "q:1", "text": "@Q Person", "accessLevel": "" } })),
        1 => Just(json!({ "type": "mention", "attrs": { "id": "q:2", "text": "Person A", "localId": "m" } })),
        1 => prop::sample::select(vec![":tada:", ":+1:", ":custom_one:"]).prop_map(|s| {
            json!({ "type": "emoji", "attrs": { "shortName": s } })
        }),
        1 => Just(json!({ "type": "inlineCard", "attrs": { "url": "https://x.io/card" } })),
        1 => Just(json!({ "type": "status", "attrs": { "text": "Done", "color": "green" } })),
        1 => Just(json!({ "type": "date", "attrs": { "timestamp": "1764547200000" } })),
    ]
}

fn inlines() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(inline_strategy(), 0..6)
}

fn paragraph_strategy() -> impl Strategy<Value = Value> {
    (inlines(), any::<u8>()).prop_map(|(c, odd)| match odd % 8 {
        0 => {
            json!({ "type": "paragraph", "attrs": { "localId": format!("p{odd}") }, "content": c })
        }
        1 if c.is_empty() => json!({ "type": "paragraph" }),
        _ => p(Value::Array(c)),
    })
}

fn code_strategy() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::sample::select(vec!["rust", "", "a b", "x`y", "~z"])),
        "[a `~\n\t:>|-]{0,12}",
    )
        .prop_map(|(language, text)| {
            let mut node = json!({ "type": "codeBlock", "content": [] });
            if let Some(l) = language {
                node["attrs"] = json!({ "language": l });
            }
            if !text.is_empty() {
                node["content"] = json!([t(&text)]);
            }
            node
        })
}

fn table_strategy() -> impl Strategy<Value = Value> {
    (1usize..4, 1usize..4, any::<bool>())
        .prop_flat_map(|(rows, cols, header)| {
            (
                prop::collection::vec(prop::collection::vec(inlines(), cols), rows),
                Just(header),
            )
        })
        .prop_map(|(rows, header)| {
            let rows: Vec<Value> = rows
                .into_iter()
                .enumerate()
                .map(|(r, cells)| {
                    let kind = if header && r == 0 { "tableHeader" } else { "tableCell" };
                    let cells: Vec<Value> = cells
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let attrs = if i == 1 { json!({ "colwidth": [90], "background": "#fff" }) } else { json!({}) };
                            json!({ "type": kind, "attrs": attrs, "content": [p(Value::Array(c))] })
                        })
                        .collect();
                    json!({ "type": "tableRow", "content": cells })
                })
                .collect();
            json!({ "type": "table", "attrs": { "isNumberColumnEnabled": false, "layout": "default" }, "content": rows })
        })
}

fn task_list_strategy() -> impl Strategy<Value = Value> {
    let item = (any::<bool>(), inlines())
        .prop_map(|(done, content)| {
            json!({ "type": "taskItem", "attrs": { "localId": "i", "state": if done { "DONE" } else { "TODO" } }, "content": content })
        })
        .boxed();
    let leaf = prop::collection::vec(item.clone(), 1..3).prop_map(
        |items| json!({ "type": "taskList", "attrs": { "localId": "l" }, "content": items }),
    );
    leaf.prop_recursive(2, 8, 3, move |inner| {
        (
            prop::collection::vec(item.clone(), 1..3),
            prop::collection::vec((inner, any::<prop::sample::Index>()), 0..3),
        )
            .prop_map(|(mut items, nested)| {
                // Nested lists anywhere after the first item, adjacent ones too.
                for (list, at) in nested {
                    let at = 1 + at.index(items.len());
                    items.insert(at, list);
                }
                json!({ "type": "taskList", "attrs": { "localId": "l" }, "content": items })
            })
    })
}

/// Blocks a list item (or a quote, with `quote`) may hold.
fn list_strategy(depth: u32) -> BoxedStrategy<Value> {
    let item_block = if depth == 0 {
        prop_oneof![3 => paragraph_strategy(), 1 => code_strategy()].boxed()
    } else {
        prop_oneof![
            3 => paragraph_strategy(),
            1 => code_strategy(),
            1 => list_strategy(depth - 1),
            1 => task_list_strategy(),
        ]
        .boxed()
    };
    let item = prop::collection::vec(item_block, 1..3)
        .prop_map(|c| json!({ "type": "listItem", "content": c }));
    (
        prop::collection::vec(item, 1..3),
        prop::option::of(0u64..4),
        any::<bool>(),
    )
        .prop_map(|(items, order, ordered)| {
            if ordered {
                let mut list = json!({ "type": "orderedList", "content": items });
                match order {
                    Some(3) => list["attrs"] = json!({ "order": 3.0, "localId": "o" }),
                    Some(o) => list["attrs"] = json!({ "order": o }),
                    None => {}
                }
                list
            } else {
                json!({ "type": "bulletList", "content": items })
            }
        })
        .boxed()
}

fn unrepresentable_block() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(
            json!({ "type": "mediaSingle", "attrs": { "layout": "center" }, "content": [
            { "type": "media", "attrs": { "type": "file", "id": "f", "collection": "" } }
        ] })
        ),
        Just(
            json!({ "type": "expand", "attrs": { "title": "More" }, "content": [p(json!([t("hidden")]))] })
        ),
        Just(
            json!({ "type": "decisionList", "attrs": { "localId": "d" }, "content": [
            { "type": "decisionItem", "attrs": { "localId": "i", "state": "DECIDED" }, "content": [t("yes")] }
        ] })
        ),
        Just(
            json!({ "type": "paragraph", "marks": [{ "type": "alignment", "attrs": { "align": "center" } }], "content": [t("centred")] })
        ),
    ]
}

fn block_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => paragraph_strategy(),
        2 => (1u8..=6, inlines()).prop_map(|(level, c)| {
            json!({ "type": "heading", "attrs": { "level": level }, "content": c })
        }),
        2 => code_strategy(),
        2 => list_strategy(2),
        1 => task_list_strategy(),
        1 => prop::collection::vec(prop_oneof![3 => paragraph_strategy(), 1 => list_strategy(1), 1 => code_strategy()], 1..3)
            .prop_map(|c| json!({ "type": "blockquote", "content": c })),
        1 => (
            prop::sample::select(vec!["info", "note", "tip", "warning", "error", "success"]),
            prop::collection::vec(prop_oneof![3 => paragraph_strategy(), 1 => list_strategy(1), 1 => Just(json!({ "type": "rule" }))], 1..3),
        )
            .prop_map(|(kind, c)| json!({ "type": "panel", "attrs": { "panelType": kind }, "content": c })),
        1 => Just(json!({ "type": "rule" })),
        1 => table_strategy(),
        1 => unrepresentable_block(),
    ]
}

fn doc_strategy() -> impl Strategy<Value = Value> {
    prop::collection::vec(block_strategy(), 0..6).prop_map(|blocks| doc(Value::Array(blocks)))
}

/// Lines of editor text built from the syntax's own pieces.
fn editor_text_strategy() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec![
        "", "", "", "- ", "* ", "1. ", "2) ", "> ", "# ", "### ", "- [ ] ", "- [x] ", "  ", "    ",
        "```", "```rust", "~~~", ":::info", ":::", "| ", "| --- |", "---", "\\", "  - ", "> - ",
    ]);
    let line = (prefix, text_strategy(), any::<bool>()).prop_map(|(prefix, text, bare)| {
        if bare {
            prefix.to_string()
        } else {
            format!("{prefix}{text}")
        }
    });
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// Text → ADF is valid; ADF → text → ADF gives the same document; and the text is stable.
fn check_typed(text: &str) -> Result<(), TestCaseError> {
    let ctx = people();
    let adf = match from_editor_text(text, None, &ctx) {
        Ok(adf) => adf,
        // Only tokens can be wrong, and there is no original for them.
        Err(ConvertError::UnknownPlaceholder { .. }) => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
    };
    schema()
        .validate(adf.as_value())
        .map_err(|e| TestCaseError::fail(format!("invalid ADF: {e}\n{}", adf.as_value())))?;
    let second = to_editor_text(&adf, &ctx);
    prop_assert!(
        second.placeholders.is_empty(),
        "typed text gave {:?}",
        second.placeholders
    );
    let again = from_editor_text(&second.text, Some(&adf), &ctx)
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let (a, b) = (normalized(&adf), normalized(&again));
    prop_assert!(
        a == b,
        "{}\n--- second text ---\n{}",
        first_difference(a.as_value(), b.as_value(), "$").unwrap_or_default(),
        second.text
    );
    let third = to_editor_text(&again, &ctx);
    prop_assert_eq!(&third.text, &second.text);
    Ok(())
}

/// A few seconds by default; `PROPTEST_CASES=…` runs a longer search.
fn proptest_config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        default.cases
    } else {
        300
    };
    ProptestConfig { cases, ..default }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn generated_documents_round_trip(original in doc_strategy()) {
        schema().validate(&original).map_err(|e| TestCaseError::fail(format!("generator: {e}")))?;
        let back = round_trip(&original, &people()).map_err(TestCaseError::fail)?;
        schema().validate(&back).map_err(|e| TestCaseError::fail(format!("result: {e}")))?;
    }

    #[test]
    fn typed_syntax_converts_validly_and_stably(text in editor_text_strategy()) {
        check_typed(&text)?;
    }

    #[test]
    fn arbitrary_text_converts_validly_and_stably(text in any::<String>()) {
        check_typed(&text)?;
    }
}
