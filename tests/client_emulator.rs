//! The client's JQL completion and saved-filter calls against the real emulator over
//! loopback, and the decoding of Atlassian's own examples for those operations.

use std::path::Path;

use jtui::emulator::seed;
use jtui::emulator::server::{RunningEmulator, ServerOptions, start};
use jtui::jira::models::{
    AutocompleteSuggestions, JqlReferenceData, JqlSuggestion, SearchRequest, html_to_text,
};
use jtui::jira::{Credentials, JiraClient, JiraError};
use url::Url;

async fn demo() -> (RunningEmulator, JiraClient) {
    let server = start(
        seed::demo_store(seed::DEMO_ISSUE_COUNT),
        ServerOptions::default(),
    )
    .await
    .expect("emulator binds loopback");
    let client = JiraClient::new(
        Url::parse(&server.base_url).expect("emulator URL"),
        Credentials::new(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
    )
    .expect("client");
    (server, client)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/payloads/spec-examples")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn suggestion(value: &str, display_name: &str) -> JqlSuggestion {
    JqlSuggestion {
        value: value.to_owned(),
        display_name: display_name.to_owned(),
    }
}

#[tokio::test]
async fn autocomplete_data_from_the_emulator() {
    let (_server, client) = demo().await;
    let data: JqlReferenceData = client.jql_autocomplete_data().await.expect("data");
    let status = data
        .visible_field_names
        .iter()
        .find(|f| f.value == "status")
        .expect("status");
    assert!(status.auto && status.searchable && status.orderable);
    assert!(status.operators.iter().any(|o| o == "not in"));
    assert_eq!(status.cfid, None);
    let points = data
        .visible_field_names
        .iter()
        .find(|f| f.cfid.as_deref() == Some("cf[10016]"))
        .expect("Story Points");
    assert_eq!(points.value, "\"Story Points\"");
    assert!(!points.auto);
    let current_user = data
        .visible_function_names
        .iter()
        .find(|f| f.value == "currentUser()")
        .expect("currentUser()");
    assert!(!current_user.is_list);
    assert!(
        data.visible_function_names
            .iter()
            .any(|f| f.value == "openSprints()" && f.is_list)
    );
    assert!(data.jql_reserved_words.iter().any(|w| w == "and"));
}

#[tokio::test]
async fn suggestions_come_back_as_plain_text() {
    let (server, client) = demo().await;
    assert_eq!(
        client
            .jql_suggestions("status", "in")
            .await
            .expect("status"),
        [
            suggestion("In Progress", "In Progress"),
            suggestion("In Review", "In Review"),
        ]
    );
    assert_eq!(
        client
            .jql_suggestions("project", "nav")
            .await
            .expect("project"),
        [suggestion("NAV", "Autonomous Navigation (NAV)")]
    );
    // The HTML entity of the apostrophe is decoded.
    assert_eq!(
        client
            .jql_suggestions("status", "won")
            .await
            .expect("status"),
        [suggestion("Won't Do", "Won't Do")]
    );
    assert_eq!(
        client
            .jql_suggestions("assignee", "dev")
            .await
            .expect("people"),
        [suggestion(seed::DEMO_ACCOUNT_ID, "Dev Patel")]
    );
    // A field value exactly as autocompletedata hands it out, quotes and all.
    assert_eq!(
        client
            .jql_suggestions("\"Story Points\"", "3")
            .await
            .expect("no values, no error"),
        []
    );
    assert_eq!(
        client
            .jql_suggestions("Severity", "")
            .await
            .expect("options")
            .len(),
        4
    );
    // Each call is one request: what the UI's debouncing is measured by.
    assert_eq!(
        server.request_count("GET", "/rest/api/3/jql/autocompletedata/suggestions"),
        6
    );
    let err = client.jql_suggestions("", "x").await.expect_err("400");
    assert!(matches!(err, JiraError::Api { status: 400, .. }), "{err:?}");
}

#[tokio::test]
async fn favourite_and_own_filters_carry_their_jql() {
    let (_server, client) = demo().await;
    let favourites = client.favourite_filters().await.expect("favourites");
    let names: Vec<&str> = favourites.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Customer escalations",
            "My open bugs",
            "NAV sprint board",
            "Recently resolved",
            "Waiting for review",
        ]
    );
    assert!(favourites.iter().all(|f| f.favourite && f.jql.is_some()));
    let board = &favourites[2];
    assert_eq!(board.id, "10001");
    assert_eq!(
        board.owner.as_ref().map(|o| o.display_name.as_str()),
        Some("Mara Lindqvist")
    );
    assert_eq!(board.favourited_count, 3);
    assert!(
        board
            .view_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/issues/?filter=10001"))
    );
    let mine = client.my_filters().await.expect("mine");
    assert_eq!(mine.len(), 5);
    for filter in &mine {
        assert_eq!(
            filter.owner.as_ref().map(|o| o.account_id.as_str()),
            Some(seed::DEMO_ACCOUNT_ID)
        );
        assert!(filter.jql.is_some(), "{}", filter.name);
    }
    let reported = mine
        .iter()
        .find(|f| f.name == "Reported by me")
        .expect("Reported by me");
    assert_eq!(reported.description, None);
    // Every one of them runs.
    for filter in favourites.iter().chain(&mine) {
        let jql = filter.jql.as_deref().expect("jql");
        let page = client
            .search_jql(&SearchRequest::new(jql).with_max_results(5))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", filter.name));
        assert!(!page.issues.is_empty(), "{}", filter.name);
    }
}

#[tokio::test]
async fn a_filter_by_id_and_filter_search() {
    let (server, client) = demo().await;
    let board = client.filter("10001").await.expect("shared filter");
    assert_eq!(board.name, "NAV sprint board");
    assert_eq!(
        board.jql.as_deref(),
        Some("project = NAV AND sprint in openSprints() ORDER BY status ASC, priority DESC")
    );
    // Nina's private filter: Jira answers 400, not 404.
    let err = client.filter("10011").await.expect_err("private");
    match &err {
        JiraError::Api {
            status: 400,
            messages,
            ..
        } => assert!(messages[0].contains("not available to you"), "{messages:?}"),
        other => panic!("{other:?}"),
    }
    // Ids that are not numbers never reach the server.
    for bad in ["abc", "../myself", ""] {
        let err = client.filter(bad).await.expect_err(bad);
        assert!(matches!(err, JiraError::InvalidUrl { .. }), "{err:?}");
    }
    assert_eq!(
        server
            .request_log()
            .iter()
            .filter(|(_, path)| path.starts_with("/rest/api/3/filter/"))
            .count(),
        2
    );
    let page = client
        .search_filters(Some("bugs"), 0, 50)
        .await
        .expect("search");
    let names: Vec<&str> = page.values.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["My open bugs", "Portal bugs without an owner"]);
    assert!(page.is_last);
    for filter in &page.values {
        assert!(filter.jql.is_some() && filter.owner.is_some(), "{filter:?}");
    }
    let first = client.search_filters(None, 0, 4).await.expect("page");
    assert_eq!(first.values.len(), 4);
    assert_eq!(first.total, Some(11));
    assert!(!first.is_last);
}

#[test]
fn spec_examples_decode_into_the_completion_models() {
    let data: JqlReferenceData =
        serde_json::from_slice(&fixture("get_jql_autocompletedata_200.json")).expect("decodes");
    let sprint = data
        .visible_field_names
        .iter()
        .find(|f| f.value == "Sprint")
        .expect("Sprint");
    assert!(sprint.auto && sprint.orderable);
    assert_eq!(sprint.cfid.as_deref(), Some("cf[10880]"));
    assert!(
        data.visible_function_names
            .iter()
            .any(|f| f.value == "standardIssueTypes()" && f.is_list)
    );
    let raw: AutocompleteSuggestions =
        serde_json::from_slice(&fixture("get_jql_autocompletedata_suggestions_200.json"))
            .expect("decodes");
    let plain: Vec<JqlSuggestion> = raw.results.into_iter().map(JqlSuggestion::from).collect();
    assert_eq!(
        plain,
        [
            suggestion("ActiveObjects", "ActiveObjects (AO)"),
            suggestion("Atlassian Connect", "Atlassian Connect (AC)"),
            suggestion(
                "Atlassian Connect in Jira",
                "Atlassian Connect in Jira (ACJIRA)"
            ),
        ]
    );
}

#[test]
fn suggestion_labels_are_made_safe_text() {
    assert_eq!(html_to_text("<b>Ac</b>tive &amp; more"), "Active & more");
    // Escaped markup stays text; only real tags go.
    assert_eq!(html_to_text("&lt;b&gt;x&lt;/b&gt;"), "<b>x</b>");
    assert_eq!(html_to_text("Won&#39;t &#x44;o&quot;"), "Won't Do\"");
    assert_eq!(html_to_text("R&D & co; a < b"), "R&D & co; a < b");
    assert_eq!(
        html_to_text("&bogus; &#xZZ; &#1114112;"),
        "&bogus; &#xZZ; &#1114112;"
    );
    assert_eq!(html_to_text("<span class=\"x\">é</span>"), "é");
    let hostile = JqlSuggestion::from(jtui::jira::models::AutocompleteSuggestion {
        value: "v".into(),
        display_name: "<b>a</b>\u{1b}]52;c;aGk=\u{7}b&#27;[2Jc\u{202e}d".into(),
    });
    assert_eq!(hostile.display_name, "abcd");
    // No label at all: the value stands in.
    let bare = JqlSuggestion::from(jtui::jira::models::AutocompleteSuggestion {
        value: "NAV".into(),
        display_name: "<b></b>".into(),
    });
    assert_eq!(bare.display_name, "NAV");
}
