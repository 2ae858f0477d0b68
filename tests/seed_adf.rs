//! Every rich-text document of the demo dataset is valid ADF (checked against Atlassian's
//! own JSON Schema), and together they use every common ADF node and mark.
//!
//! The schema is Draft-04 and uses only a small set of keywords, so a compact validator
//! lives here instead of a large dependency; its own tests below show it rejects what the
//! schema forbids.

use std::collections::{BTreeSet, HashMap};

use jtui::emulator::seed::demo_store;
use jtui::emulator::store::{CustomFieldKind, Store};
use regex::Regex;
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("fixtures/adf/adf-schema-v1.json");
const JIRACLI_MD: &str = include_str!("fixtures/adf/jiracli-md.json");
const AFM_EXPAND: &str = include_str!("fixtures/adf/afm-expand-with-nestedExpand.json");

/// A Draft-04 validator for the keywords the ADF schema uses: `$ref` (local), `type`,
/// `enum`, `properties`, `required`, `additionalProperties`, `items` (schema or tuple),
/// `minItems`, `maxItems`, `minLength`, `minimum`, `maximum`, `pattern`, `anyOf`,
/// `allOf`, `oneOf`, `not`.
struct Validator {
    root: Value,
    patterns: HashMap<String, Regex>,
}

/// Keywords this validator understands; anything else in the schema fails the build of
/// the validator, so a schema update cannot silently skip checks.
const KNOWN_KEYWORDS: &[&str] = &[
    "$ref",
    "$schema",
    "description",
    "definitions",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "minimum",
    "maximum",
    "pattern",
    "anyOf",
    "allOf",
    "oneOf",
    "not",
];

impl Validator {
    fn new(root: Value) -> Self {
        let mut patterns = HashMap::new();
        let mut unknown = BTreeSet::new();
        collect(&root, &mut patterns, &mut unknown);
        assert!(
            unknown.is_empty(),
            "schema uses unsupported keywords: {unknown:?}"
        );
        Self { root, patterns }
    }

    fn validate(&self, doc: &Value) -> Result<(), String> {
        self.check(&self.root, doc, "$")
    }

    fn resolve<'a>(&'a self, reference: &str) -> Result<&'a Value, String> {
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| format!("non-local $ref {reference}"))?;
        self.root
            .pointer(pointer)
            .ok_or_else(|| format!("dangling $ref {reference}"))
    }

    fn check(&self, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
        let Some(s) = schema.as_object() else {
            return Ok(());
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            // Draft-04: siblings of $ref are ignored.
            return self.check(self.resolve(r)?, v, path);
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| type_matches(t, v)) {
                return Err(format!("{path}: expected type {types:?}, got {v}"));
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array)
            && !options.contains(v)
        {
            return Err(format!("{path}: {v} not in {options:?}"));
        }
        if let Some(text) = v.as_str() {
            if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                && (text.chars().count() as u64) < min
            {
                return Err(format!("{path}: string shorter than {min}"));
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str)
                && !self.patterns[p].is_match(text)
            {
                return Err(format!("{path}: {text:?} does not match {p}"));
            }
        }
        if let Some(n) = v.as_f64() {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                return Err(format!("{path}: {n} < minimum {min}"));
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                return Err(format!("{path}: {n} > maximum {max}"));
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for key in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = key.as_str().unwrap_or_default();
                if !obj.contains_key(key) {
                    return Err(format!("{path}: missing required {key:?}"));
                }
            }
            for (key, value) in obj {
                let sub = format!("{path}.{key}");
                match props.and_then(|p| p.get(key)) {
                    Some(prop) => self.check(prop, value, &sub)?,
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            return Err(format!("{path}: property {key:?} not allowed"));
                        }
                        Some(extra @ Value::Object(_)) => self.check(extra, value, &sub)?,
                        _ => {}
                    },
                }
            }
        }
        if let Some(items) = v.as_array() {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                return Err(format!("{path}: fewer than {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && (items.len() as u64) > max
            {
                return Err(format!("{path}: more than {max} items"));
            }
            match s.get("items") {
                Some(each @ Value::Object(_)) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(each, item, &format!("{path}[{i}]"))?;
                    }
                }
                // A tuple: positional schemas; extra items are allowed (no additionalItems).
                Some(Value::Array(tuple)) => {
                    for (i, (schema, item)) in tuple.iter().zip(items).enumerate() {
                        self.check(schema, item, &format!("{path}[{i}]"))?;
                    }
                }
                _ => {}
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, v, path)?;
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            let mut errors = Vec::new();
            for sub in any {
                match self.check(sub, v, path) {
                    Ok(()) => {
                        errors.clear();
                        break;
                    }
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                return Err(best_error(path, v, errors));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let matches = one
                .iter()
                .filter(|sub| self.check(sub, v, path).is_ok())
                .count();
            if matches != 1 {
                return Err(format!("{path}: {matches} oneOf branches match"));
            }
        }
        if let Some(not) = s.get("not")
            && self.check(not, v, path).is_ok()
        {
            return Err(format!("{path}: matches a forbidden schema"));
        }
        Ok(())
    }
}

/// For an anyOf failure, the deepest branch error is usually the informative one.
fn best_error(path: &str, v: &Value, errors: Vec<String>) -> String {
    let deepest = errors
        .into_iter()
        .max_by_key(|e| e.split(':').next().map_or(0, str::len));
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("?");
    format!(
        "{path}: no anyOf branch accepts this {kind} node; closest: {}",
        deepest.unwrap_or_default()
    )
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => false,
    }
}

fn collect(schema: &Value, patterns: &mut HashMap<String, Regex>, unknown: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                if !KNOWN_KEYWORDS.contains(&key.as_str()) {
                    unknown.insert(key.clone());
                }
                match key.as_str() {
                    "pattern" => {
                        let p = value.as_str().expect("pattern is a string");
                        let re = Regex::new(p).expect("schema pattern compiles");
                        patterns.insert(p.to_string(), re);
                    }
                    // Keys of these maps are names, not keywords.
                    "properties" | "definitions" => {
                        for sub in value.as_object().expect("a map of schemas").values() {
                            collect(sub, patterns, unknown);
                        }
                    }
                    "enum" => {}
                    _ => collect(value, patterns, unknown),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, patterns, unknown)),
        _ => {}
    }
}

fn validator() -> Validator {
    Validator::new(serde_json::from_str(SCHEMA).expect("the ADF schema fixture is JSON"))
}

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
