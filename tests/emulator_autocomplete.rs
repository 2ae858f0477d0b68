//! JQL completion over loopback HTTP: `/jql/autocompletedata` (GET and POST) and
//! `/jql/autocompletedata/suggestions`, checked against the emulator's own search, so that
//! everything completion offers (fields, operators, functions, values) is accepted by it and
//! nothing it leaves out is; plus the request counting tests use for debouncing.

mod support {
    pub mod fixture;
}

use std::collections::BTreeSet;

use jtui::emulator::seed;
use jtui::emulator::server::RunningEmulator;
use jtui::jql;
use serde_json::{Value, json};
use support::fixture::{self, Api, basic};

const DATA: &str = "/rest/api/3/jql/autocompletedata";
const SUGGESTIONS: &str = "/rest/api/3/jql/autocompletedata/suggestions";
/// Every operator JQL has, as autocompletedata spells them.
const ALL_OPERATORS: [&str; 12] = [
    "=", "!=", "~", "!~", ">", ">=", "<", "<=", "in", "not in", "is", "is not",
];
const NAV_PROJECT_ID: u64 = 10000;
const HELP_PROJECT_ID: u64 = 10003;

async fn demo() -> (RunningEmulator, Api) {
    let server = fixture::serve(seed::demo_store(seed::DEMO_ISSUE_COUNT)).await;
    let api = Api::new(
        &server.base_url,
        Some(basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN)),
    );
    (server, api)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().expect("string").to_owned())
        .collect()
}

fn field<'a>(data: &'a Value, value: &str) -> &'a Value {
    data["visibleFieldNames"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["value"] == value)
        .unwrap_or_else(|| panic!("no field {value}"))
}

async fn suggest(api: &Api, field: &str, typed: &str) -> Vec<(String, String)> {
    let reply = api
        .get(SUGGESTIONS, &[("fieldName", field), ("fieldValue", typed)])
        .await;
    assert_eq!(reply.status, 200, "{field} {typed}: {}", reply.body);
    reply.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["value"].as_str().expect("value").to_owned(),
                r["displayName"].as_str().expect("displayName").to_owned(),
            )
        })
        .collect()
}

async fn search_status(api: &Api, jql: &str) -> (u16, Value) {
    let reply = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": jql, "maxResults": 1 }),
        )
        .await;
    (reply.status, reply.body)
}

/// A value for a clause on a field of this Java type that the search accepts: the first
/// suggestion for fields with suggestions, else something of the right shape.
async fn sample_value(api: &Api, field: &Value) -> String {
    let name = field["value"].as_str().expect("value");
    if field["auto"] == "true" {
        let found = suggest(api, name, "").await;
        let (value, _) = found.first().unwrap_or_else(|| panic!("{name}: no values"));
        return jql::quote(value);
    }
    match field["types"][0].as_str().expect("type") {
        "java.lang.String" => "robot".into(),
        "java.util.Date" => "\"2026-06-01\"".into(),
        "java.lang.Number" => "3".into(),
        "com.atlassian.jira.issue.Issue" => "NAV-1".into(),
        other => panic!("{name}: no sample for {other}"),
    }
}

fn clause(field: &str, op: &str, value: &str) -> String {
    match op {
        "is" | "is not" => format!("{field} {op} EMPTY"),
        "in" | "not in" => format!("{field} {op} ({value})"),
        _ => format!("{field} {op} {value}"),
    }
}

#[tokio::test]
async fn every_listed_field_and_operator_is_searchable_and_no_other() {
    let (_server, api) = demo().await;
    let reply = api.get(DATA, &[]).await;
    assert_eq!(reply.status, 200);
    let data = reply.body;
    let fields = data["visibleFieldNames"].as_array().expect("fields");
    assert!(fields.len() > 30, "{}", fields.len());
    let mut failures = Vec::new();
    for f in fields {
        let name = f["value"].as_str().expect("value");
        for member in ["orderable", "searchable", "auto"] {
            if let Some(v) = f.get(member) {
                assert!(v == "true" || v == "false", "{name}.{member} = {v}");
            }
        }
        let operators = strings(&f["operators"]);
        assert!(!operators.is_empty(), "{name}");
        let value = sample_value(&api, f).await;
        for op in ALL_OPERATORS {
            // A restriction keeps the query bounded whatever the clause.
            let jql = format!("project = NAV AND {}", clause(name, op, &value));
            let (status, body) = search_status(&api, &jql).await;
            let listed = operators.iter().any(|o| o == op);
            if listed && status != 200 {
                failures.push(format!("listed but rejected: {jql}: {body}"));
            }
            if !listed && status != 400 {
                failures.push(format!("not listed but accepted: {jql}"));
            }
        }
        let (status, _) = search_status(&api, &format!("project = NAV ORDER BY {name}")).await;
        let orderable = f["orderable"] == "true";
        if orderable != (status == 200) {
            failures.push(format!(
                "{name}: orderable {orderable}, ORDER BY gave {status}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn field_entries_look_like_jiras() {
    let (_server, api) = demo().await;
    let data = api.get(DATA, &[]).await.body;
    let summary = field(&data, "summary");
    assert_eq!(summary["displayName"], "summary");
    assert_eq!(summary["operators"], json!(["~", "!~", "is", "is not"]));
    assert_eq!(summary["types"], json!(["java.lang.String"]));
    assert!(summary.get("auto").is_none() && summary.get("cfid").is_none());
    let status = field(&data, "status");
    assert_eq!(status["auto"], "true");
    assert_eq!(
        status["operators"],
        json!(["=", "!=", "in", "not in", "is", "is not"])
    );
    let sprint = field(&data, "Sprint");
    assert_eq!(sprint["cfid"], "cf[10020]");
    assert_eq!(sprint["displayName"], "Sprint - cf[10020]");
    assert_eq!(
        sprint["types"],
        json!(["com.atlassian.greenhopper.service.sprint.Sprint"])
    );
    let points = field(&data, "\"Story Points\"");
    assert_eq!(points["cfid"], "cf[10016]");
    assert!(points.get("auto").is_none());
    // Aliases are listed too, as Jira does; `watchers` (a count in Jira) is not.
    let names: BTreeSet<String> = data["visibleFieldNames"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["value"].as_str().expect("value").to_owned())
        .collect();
    for alias in [
        "type",
        "issuetype",
        "key",
        "issuekey",
        "created",
        "createdDate",
        "text",
    ] {
        assert!(names.contains(alias), "{alias}");
    }
    assert!(!names.contains("watchers"));
    assert!(
        !names.contains("sprint"),
        "the Sprint custom field stands for it"
    );
    let reserved = strings(&data["jqlReservedWords"]);
    for word in ["and", "or", "not", "empty", "in", "order", "by"] {
        assert!(reserved.iter().any(|w| w == word), "{word}");
    }
}

#[tokio::test]
async fn every_listed_function_works_on_every_field_of_its_type() {
    let (_server, api) = demo().await;
    let data = api.get(DATA, &[]).await.body;
    let fields = data["visibleFieldNames"].as_array().expect("fields");
    let functions = data["visibleFunctionNames"].as_array().expect("functions");
    let names: Vec<String> = functions
        .iter()
        .map(|f| f["value"].as_str().expect("value").to_owned())
        .collect();
    for (expected, is_list) in [
        ("currentUser()", "false"),
        ("startOfDay()", "false"),
        ("openSprints()", "true"),
        ("watchedIssues()", "true"),
    ] {
        let pos = names.iter().position(|n| n == expected);
        let function = &functions[pos.unwrap_or_else(|| panic!("{expected}"))];
        assert_eq!(function["isList"], is_list, "{expected}");
    }
    let mut failures = Vec::new();
    for function in functions {
        let value = function["value"].as_str().expect("value");
        assert_eq!(function["displayName"], value);
        let is_list = function["isList"] == "true";
        assert!(function["isList"] == "true" || function["isList"] == "false");
        // linkedIssues needs the issue whose links it follows.
        let call = value.replace("linkedIssues()", "linkedIssues(NAV-1)");
        let mut fits = 0;
        for f in fields {
            let name = f["value"].as_str().expect("value");
            let operators = strings(&f["operators"]);
            let op = if is_list { "in" } else { "=" };
            if !operators.iter().any(|o| o == op) {
                continue;
            }
            let same_type = f["types"] == function["types"];
            let jql = format!("project = NAV AND {name} {op} {call}");
            let (status, body) = search_status(&api, &jql).await;
            if same_type {
                fits += 1;
                if status != 200 {
                    failures.push(format!("{jql}: {body}"));
                }
            } else if status != 400 {
                failures.push(format!("accepted across types: {jql}"));
            }
        }
        if fits == 0 {
            failures.push(format!("{value} fits no listed field"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn post_scopes_custom_fields_to_projects() {
    let (_server, api) = demo().await;
    let names = |body: &Value| -> BTreeSet<String> {
        body["visibleFieldNames"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["value"].as_str().expect("value").to_owned())
            .collect()
    };
    let all = names(&api.get(DATA, &[]).await.body);
    let unscoped = api.post(DATA, &json!({})).await;
    assert_eq!(unscoped.status, 200);
    assert_eq!(names(&unscoped.body), all);
    let nav = api
        .post(
            DATA,
            &json!({ "projectIds": [NAV_PROJECT_ID], "includeCollapsedFields": true }),
        )
        .await;
    assert_eq!(nav.status, 200, "{}", nav.body);
    let nav = names(&nav.body);
    let help = names(
        &api.post(DATA, &json!({ "projectIds": [HELP_PROJECT_ID] }))
            .await
            .body,
    );
    // NAV runs sprints, the HELP desk does not; system fields are everywhere.
    assert!(nav.contains("Sprint") && !help.contains("Sprint"));
    assert!(nav.contains("status") && help.contains("status"));
    assert!(nav.is_subset(&all) && help.is_subset(&all));
    for bad in [
        json!({ "projectIds": "NAV" }),
        json!({ "projectIds": ["10000"] }),
        json!({ "includeCollapsedFields": "yes" }),
        json!([10000]),
    ] {
        let reply = api.post(DATA, &bad).await;
        assert_eq!(reply.status, 400, "{bad}");
        assert_eq!(reply.body["errors"], json!({}));
    }
    let reply = api.post_raw(DATA, Some("text/plain"), "{}").await;
    assert_eq!(reply.status, 415);
}

#[tokio::test]
async fn suggestions_highlight_what_was_typed() {
    let (_server, api) = demo().await;
    assert_eq!(
        suggest(&api, "project", "nav").await,
        [(
            "NAV".to_owned(),
            "Autonomous <b>Nav</b>igation (<b>NAV</b>)".to_owned()
        )]
    );
    assert_eq!(
        suggest(&api, "status", "IN").await,
        [
            ("In Progress".to_owned(), "<b>In</b> Progress".to_owned()),
            ("In Review".to_owned(), "<b>In</b> Review".to_owned()),
        ]
    );
    // What the user typed may start with the quote they opened.
    assert_eq!(
        suggest(&api, "status", "\"won").await,
        [("Won't Do".to_owned(), "<b>Won</b>&#39;t Do".to_owned())]
    );
    let priorities: Vec<String> = suggest(&api, "priority", "")
        .await
        .into_iter()
        .map(|(v, d)| {
            assert_eq!(v, d, "no highlighting without text");
            v
        })
        .collect();
    assert_eq!(priorities, ["Highest", "High", "Medium", "Low", "Lowest"]);
    assert_eq!(
        suggest(&api, "assignee", "dev").await,
        [(
            seed::DEMO_ACCOUNT_ID.to_owned(),
            "<b>Dev</b> Patel".to_owned()
        )]
    );
    // Whole-value prefixes first, then later words, then matches inside words.
    let versions = suggest(&api, "fixVersion", "2.8").await;
    assert_eq!(versions[0], ("2.8.0".to_owned(), "<b>2.8</b>.0".to_owned()));
    assert!(
        versions
            .iter()
            .any(|(v, d)| v == "Fleet 2.8" && d == "Fleet <b>2.8</b>"),
        "{versions:?}"
    );
    let severity = suggest(&api, "Severity", "s1").await;
    assert_eq!(
        severity,
        [(
            "S1 - Critical".to_owned(),
            "<b>S1</b> - Critical".to_owned()
        )]
    );
    assert_eq!(suggest(&api, "cf[10036]", "s1").await, severity);
    let sprints = suggest(&api, "Sprint", "nav sprint 1").await;
    assert!(!sprints.is_empty());
    assert!(sprints.iter().all(|(v, _)| v.starts_with("NAV Sprint 1")));
    let labels = suggest(&api, "labels", "flaky").await;
    assert_eq!(labels[0].0, "flaky-test");
    let inner = suggest(&api, "component", "cal").await;
    assert!(
        inner
            .iter()
            .any(|(v, d)| v == "Localization" && d == "Lo<b>cal</b>ization"),
        "{inner:?}"
    );
}

#[tokio::test]
async fn suggestions_are_capped_and_empty_for_fields_without_values() {
    let (server, api) = demo().await;
    assert_eq!(suggest(&api, "labels", "").await.len(), 15);
    // Active sprints come first, then future ones.
    let sprints: Vec<String> = suggest(&api, "Sprint", "")
        .await
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    let (active, future): (Vec<String>, Vec<String>) = {
        let db = server.db();
        let db = db.read().expect("store lock");
        let names = |state: &str| {
            db.store()
                .sprints
                .iter()
                .filter(|s| s.state == state)
                .map(|s| s.name.clone())
                .collect()
        };
        (names("active"), names("future"))
    };
    assert_eq!(active.len(), 2, "NAV and WEB each have one");
    assert_eq!(sprints[..2], active[..]);
    assert_eq!(sprints[2..2 + future.len()], future[..]);
    assert_eq!(suggest(&api, "assignee", "").await.len(), 15);
    assert!(suggest(&api, "\"Story Points\"", "3").await.is_empty());
    assert!(suggest(&api, "summary", "robot").await.is_empty());
    assert!(suggest(&api, "nonsense", "x").await.is_empty());
    assert!(suggest(&api, "status", "zzz").await.is_empty());
    // CHANGED predicates: `by` suggests people whatever the field.
    let reply = api
        .get(
            SUGGESTIONS,
            &[
                ("fieldName", "status"),
                ("predicateName", "by"),
                ("predicateValue", "nina"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body["results"][0]["value"],
        seed::DEMO_OTHER_ACCOUNT_ID
    );
    let reply = api
        .get(
            SUGGESTIONS,
            &[
                ("fieldName", "status"),
                ("predicateName", "to"),
                ("predicateValue", "do"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["results"][0]["value"], "Done");
}

#[tokio::test]
async fn invalid_suggestion_combinations_are_400() {
    let (_server, api) = demo().await;
    for query in [
        vec![],
        vec![("fieldValue", "x")],
        vec![("fieldName", "  ")],
        vec![("fieldName", "status"), ("predicateName", "during")],
        vec![("fieldName", "status"), ("predicateValue", "x")],
    ] {
        let reply = api.get(SUGGESTIONS, &query).await;
        assert_eq!(reply.status, 400, "{query:?}");
        assert_eq!(reply.body["errors"], json!({}));
        assert!(
            reply.body["errorMessages"][0]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

#[tokio::test]
async fn every_suggested_value_is_accepted_by_the_search() {
    let (_server, api) = demo().await;
    let data = api.get(DATA, &[]).await.body;
    let mut checked = 0;
    for f in data["visibleFieldNames"].as_array().expect("fields") {
        if f["auto"] != "true" {
            continue;
        }
        let name = f["value"].as_str().expect("value");
        let values = suggest(&api, name, "").await;
        assert!(!values.is_empty(), "{name}");
        let list: Vec<String> = values.iter().map(|(v, _)| jql::quote(v)).collect();
        let jql = format!("{name} in ({})", list.join(", "));
        let (status, body) = search_status(&api, &jql).await;
        assert_eq!(status, 200, "{jql}: {body}");
        checked += 1;
    }
    assert!(checked >= 12, "{checked}");
}

#[tokio::test]
async fn completion_needs_credentials_and_works_under_the_gateway_prefix() {
    let (server, api) = demo().await;
    let anonymous = Api::new(&server.base_url, None);
    assert_eq!(anonymous.get(DATA, &[]).await.status, 401);
    assert_eq!(
        anonymous
            .get(SUGGESTIONS, &[("fieldName", "status")])
            .await
            .status,
        401
    );
    let gateway = format!("/ex/jira/{}{DATA}", jtui::emulator::server::CLOUD_ID);
    let reply = api.get(&gateway, &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, api.get(DATA, &[]).await.body);
}

#[tokio::test]
async fn requests_are_counted_by_method_and_path() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    assert_eq!(server.request_count("GET", SUGGESTIONS), 0);
    assert!(server.request_log().is_empty());
    for typed in ["a", "al", "alp"] {
        api.get(
            SUGGESTIONS,
            &[("fieldName", "project"), ("fieldValue", typed)],
        )
        .await;
    }
    // The gateway prefix and the query string do not change what is counted.
    api.get(
        &format!("/ex/jira/some-cloud{SUGGESTIONS}"),
        &[("fieldName", "status")],
    )
    .await;
    api.post(DATA, &json!({})).await;
    // Refused requests reach the server too.
    Api::new(&server.base_url, None).get(DATA, &[]).await;
    assert_eq!(server.request_count("GET", SUGGESTIONS), 4);
    assert_eq!(server.request_count("get", SUGGESTIONS), 4);
    assert_eq!(server.request_count("POST", SUGGESTIONS), 0);
    assert_eq!(server.request_count("POST", DATA), 1);
    assert_eq!(server.request_count("GET", DATA), 1);
    assert_eq!(
        server.request_count(
            "GET",
            "/rest/api/3/jql/autocompletedata/suggestions?fieldName=project"
        ),
        0,
        "paths are counted without their query"
    );
    let log = server.request_log();
    assert_eq!(log.len(), 6);
    assert_eq!(log[0], ("GET".to_owned(), SUGGESTIONS.to_owned()));
    assert_eq!(log[4], ("POST".to_owned(), DATA.to_owned()));
    assert_eq!(log[5], ("GET".to_owned(), DATA.to_owned()));
}

#[tokio::test]
async fn fixture_store_completion() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    // Word starts rank before matches inside words.
    assert_eq!(
        suggest(&api, "project", "a").await,
        [
            (
                "ALPHA".to_owned(),
                "<b>A</b>lpha Platform (<b>A</b>LPHA)".to_owned()
            ),
            ("BETA".to_owned(), "Bet<b>a</b> Mobile (BETA)".to_owned()),
        ]
    );
    assert_eq!(
        suggest(&api, "fixVersion", "").await,
        [
            ("1.0".to_owned(), "1.0".to_owned()),
            ("2.0".to_owned(), "2.0".to_owned()),
            ("0.9".to_owned(), "0.9".to_owned()),
        ]
    );
    let data = api.get(DATA, &[]).await.body;
    assert_eq!(
        field(&data, "Team")["cfid"],
        format!("cf[{}]", fixture::TEAM)
    );
    assert_eq!(field(&data, "Team")["auto"], "true");
}
