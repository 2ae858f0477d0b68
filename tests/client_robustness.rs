//! Decoding never panics and degrades instead of failing: arbitrary JSON into the
//! response models, and real payloads with one member replaced by junk.

// The whole file is test code; helpers outside #[test] fns may unwrap too.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use jtui::jira::adf::{self, RenderContext};
use jtui::jira::models::{CommentPage, Issue, Page, Project, SearchPage, User};
use proptest::prelude::*;
use serde_json::Value;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("2024-03-01T11:34:49.730+0200")),
        Just(Value::from("doc")),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    // Member names the models look for, so nested shapes get exercised.
                    Just("id"),
                    Just("key"),
                    Just("fields"),
                    Just("issues"),
                    Just("summary"),
                    Just("status"),
                    Just("statusCategory"),
                    Just("issuelinks"),
                    Just("type"),
                    Just("inwardIssue"),
                    Just("outwardIssue"),
                    Just("comment"),
                    Just("comments"),
                    Just("description"),
                    Just("content"),
                    Just("text"),
                    Just("names"),
                    Just("transitions"),
                    Just("nextPageToken"),
                    Just("isLast"),
                    Just("values"),
                    Just("created"),
                    Just("duedate"),
                    Just("attachment"),
                    Just("customfield_10016"),
                    Just("changelog"),
                    Just("histories"),
                    Just("editmeta"),
                    Just("total"),
                ]
                .prop_map(String::from),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Decoding from text like the client does; rendering any description found.
fn exercise(value: &Value) {
    let text = serde_json::to_vec(value).unwrap();
    if let Ok(issue) = serde_json::from_slice::<Issue>(&text) {
        if let Some(desc) = &issue.fields.description {
            let _ = adf::render(desc, 40, &RenderContext::default());
        }
        let _ = issue.fields.story_points(&issue.names);
        let _ = issue.fields.sprint_names(&issue.names);
        for id in issue.fields.other.keys() {
            let _ = issue.fields.custom_display(id);
        }
    }
    let _ = serde_json::from_slice::<SearchPage>(&text);
    let _ = serde_json::from_slice::<CommentPage>(&text);
    let _ = serde_json::from_slice::<Page<Project>>(&text);
    let _ = serde_json::from_slice::<User>(&text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        exercise(&value);
    }

    #[test]
    fn any_object_decodes_as_an_issue_and_a_search_page(value in arb_json()) {
        // Degrade, don't fail: any JSON object is a (possibly empty) issue and page.
        if value.is_object() {
            let text = serde_json::to_vec(&value).unwrap();
            prop_assert!(serde_json::from_slice::<Issue>(&text).is_ok());
            let page = serde_json::from_slice::<SearchPage>(&text);
            prop_assert!(page.is_ok());
            let page = page.unwrap();
            prop_assert!(page.is_last || page.next_page_token.is_some());
        }
    }

    #[test]
    fn real_issue_with_one_member_replaced_still_decodes(
        pick in any::<prop::sample::Index>(),
        junk in arb_json(),
    ) {
        let mut issue = demisto_issue();
        let paths = member_paths(&issue);
        let path = &paths[pick.index(paths.len())];
        replace_at(&mut issue, path, junk);
        let text = serde_json::to_vec(&issue).unwrap();
        let decoded = serde_json::from_slice::<Issue>(&text);
        prop_assert!(decoded.is_ok(), "{:?}: {:?}", path, decoded.err());
        let decoded = decoded.unwrap();
        // Members other than the replaced one survive.
        if path.first().map(String::as_str) != Some("key") {
            prop_assert_eq!(decoded.key, "COMPANYSA-35");
        }
        if path.len() > 1 && path[1] != "summary" {
            prop_assert_eq!(decoded.fields.summary, "Testing summary XSOAR mirroring");
        }
    }
}

fn demisto_issue() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/payloads/issue-expanded-cloud-demisto.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Paths (object keys and array indexes as strings) to every member, depth-first.
fn member_paths(value: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::<String>::new(), value)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let mut p = path.clone();
                    p.push(k.clone());
                    out.push(p.clone());
                    stack.push((p, child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(i.to_string());
                    out.push(p.clone());
                    stack.push((p, child));
                }
            }
            _ => {}
        }
    }
    out
}

fn replace_at(root: &mut Value, path: &[String], junk: Value) {
    let mut cur = root;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let next = match cur {
            Value::Object(map) => map.get_mut(seg),
            Value::Array(items) => seg.parse::<usize>().ok().and_then(|n| items.get_mut(n)),
            _ => None,
        };
        let Some(next) = next else { return };
        if last {
            *next = junk;
            return;
        }
        cur = next;
    }
}

#[test]
fn hostile_top_level_values_are_errors_not_panics() {
    // (A JSON array would decode: serde reads structs from sequences. The client
    // rejects non-object bodies before decoding; see client_http.rs.)
    for text in ["null", "42", "\"x\"", "{", "", "{\"key\": }"] {
        assert!(serde_json::from_str::<Issue>(text).is_err(), "{text}");
    }
    // Deeper than serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(serde_json::from_str::<Issue>(&format!("{{\"fields\": {deep}}}")).is_err());
}
