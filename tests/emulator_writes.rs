//! The emulator's write side over loopback HTTP, as a plain client sees it (reqwest and
//! `serde_json::Value`, never jtui's models): editmeta and edits of every field type, each
//! 400 with its `errors` map, assignment, transitions with and without a screen, comments,
//! create, assignable users, labels, the per-issue write limit and concurrent edits.

mod support {
    pub mod fixture;
}

use std::time::Duration;

use jtui::emulator::seed;
use jtui::emulator::server::{ServerOptions, WriteLimit, start};
use serde_json::{Value, json};
use support::fixture::{self, ALICE, Api, BOB, BOB_EMAIL, BOB_TOKEN, CAROL, Reply, adf, basic};

fn bob(base: &str) -> Api {
    Api::new(base, Some(basic(BOB_EMAIL, BOB_TOKEN)))
}

fn demo_api(base: &str) -> Api {
    Api::new(base, Some(basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN)))
}

async fn fields_of(api: &Api, key: &str, fields: &str) -> Value {
    let reply = api
        .get(&format!("/rest/api/3/issue/{key}"), &[("fields", fields)])
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["fields"].clone()
}

async fn updated(api: &Api, key: &str) -> String {
    fields_of(api, key, "updated").await["updated"]
        .as_str()
        .expect("updated")
        .to_owned()
}

async fn histories(api: &Api, key: &str) -> Vec<Value> {
    let reply = api
        .get(
            &format!("/rest/api/3/issue/{key}"),
            &[("expand", "changelog"), ("fields", "summary")],
        )
        .await;
    reply.body["changelog"]["histories"]
        .as_array()
        .expect("histories")
        .clone()
}

/// A 400 whose `errors` map is exactly `errors` and whose `errorMessages` is empty.
fn assert_field_errors(reply: &Reply, errors: Value) {
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.body["errors"], errors, "{}", reply.body);
    assert_eq!(reply.body["errorMessages"], json!([]), "{}", reply.body);
}

fn doc(text: &str) -> Value {
    adf(text)
}

// ---------------------------------------------------------------------------------------
// editmeta

#[tokio::test]
async fn editmeta_offers_each_issue_types_edit_screen() {
    let store = seed::demo_store(seed::DEMO_ISSUE_COUNT);
    let key_of = |type_id: u64| {
        store
            .issues
            .iter()
            .find(|i| i.issue_type_id == type_id && i.key.starts_with("NAV-"))
            .map(|i| i.key.clone())
            .expect("a NAV issue of the type")
    };
    let (story, bug, epic) = (
        key_of(seed::STORY_TYPE_ID),
        key_of(seed::BUG_TYPE_ID),
        key_of(seed::EPIC_TYPE_ID),
    );
    let server = fixture::serve(store).await;
    let api = demo_api(&server.base_url);
    let meta = |key: String| {
        let api = api.clone();
        async move {
            let reply = api
                .get(&format!("/rest/api/3/issue/{key}/editmeta"), &[])
                .await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            reply.body["fields"].clone()
        }
    };
    let story = meta(story).await;
    let story_points = format!("customfield_{}", seed::STORY_POINTS_FIELD);
    let severity = format!("customfield_{}", seed::SEVERITY_FIELD);
    let acceptance = format!("customfield_{}", seed::ACCEPTANCE_CRITERIA_FIELD);
    assert!(story.get(&story_points).is_some());
    assert!(story.get(&acceptance).is_some());
    assert!(story.get(&severity).is_none(), "severity is for bugs");
    for never in ["status", "created", "updated", "resolution", "project"] {
        assert!(story.get(never).is_none(), "{never} is not editable");
    }
    assert_eq!(story["summary"]["required"], true);
    assert_eq!(story["summary"]["operations"], json!(["set"]));
    assert_eq!(
        story["labels"]["operations"],
        json!(["add", "set", "remove"])
    );
    assert_eq!(
        story["priority"]["allowedValues"].as_array().map(Vec::len),
        Some(5)
    );
    let types: Vec<&str> = story["issuetype"]["allowedValues"]
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(types, ["Story", "Task", "Bug"], "same hierarchy level only");
    assert!(
        story["assignee"]["autoCompleteUrl"]
            .as_str()
            .is_some_and(|u| u.contains("/rest/api/3/user/assignable/search?issueKey=NAV-"))
    );
    assert!(
        story["labels"]["autoCompleteUrl"]
            .as_str()
            .is_some_and(|u| u.ends_with("/rest/api/1.0/labels/suggest?query="))
    );
    assert!(
        story["components"]["allowedValues"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    assert_eq!(story[&story_points]["schema"]["type"], "number");

    let bug = meta(bug).await;
    assert_eq!(bug[&severity]["required"], true);
    assert_eq!(bug[&severity]["allowedValues"][0]["value"], "S1 - Critical");
    assert!(bug.get("environment").is_some() && bug.get("versions").is_some());
    assert!(bug.get(&acceptance).is_none());

    let epic = meta(epic).await;
    assert!(epic.get("parent").is_none(), "nothing sits above an epic");
    let epic_types = epic["issuetype"]["allowedValues"]
        .as_array()
        .expect("types");
    assert_eq!(epic_types.len(), 1);
    assert_eq!(epic_types[0]["name"], "Epic");
}

// ---------------------------------------------------------------------------------------
// Edits

#[tokio::test]
async fn every_editor_field_type_goes_through_put() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let before = updated(&api, "ALPHA-7").await;
    let histories_before = histories(&api, "ALPHA-7").await.len();
    let description = json!({"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Plan"}]},
        {"type": "codeBlock", "attrs": {"language": "rust"}, "content": [{"type": "text", "text": "fn dark() {}"}]}
    ]});
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({
                "fields": {
                    "summary": "Dark mode everywhere",
                    "description": description,
                    "duedate": "2024-06-01",
                    "priority": {"name": "High"},
                    "assignee": {"accountId": CAROL},
                    "reporter": {"accountId": BOB},
                    "customfield_10016": 8,
                    "customfield_10040": "RX-2000",
                    "customfield_10001": {"id": "10100"},
                    "customfield_10015": "2024-05-20",
                    "customfield_10050": {"accountId": BOB},
                    "customfield_10030": doc("Every screen is dark."),
                    "customfield_10020": 2
                },
                "update": {
                    "labels": [{"add": "dark"}, {"remove": "ui"}],
                    "components": [{"add": {"name": "Frontend"}}],
                    "fixVersions": [{"set": [{"id": "10200"}]}],
                    "timetracking": [{"edit": {"originalEstimate": "1w", "remainingEstimate": "3d"}}]
                }
            }),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert_eq!(reply.body, Value::Null, "204 has no body");
    let f = fields_of(&api, "ALPHA-7", "*all").await;
    assert_eq!(f["summary"], "Dark mode everywhere");
    assert_eq!(f["description"], description);
    assert_eq!(f["duedate"], "2024-06-01");
    assert_eq!(f["priority"]["name"], "High");
    assert_eq!(f["assignee"]["accountId"], CAROL);
    assert_eq!(f["reporter"]["accountId"], BOB);
    assert_eq!(f["customfield_10016"], 8);
    assert_eq!(f["customfield_10040"], "RX-2000");
    assert_eq!(f["customfield_10001"]["value"], "Platform");
    assert_eq!(f["customfield_10015"], "2024-05-20");
    assert_eq!(f["customfield_10050"]["displayName"], "Bob Builder");
    assert_eq!(f["customfield_10030"], doc("Every screen is dark."));
    assert_eq!(f["customfield_10020"][0]["name"], "ALPHA Sprint 2");
    assert_eq!(f["labels"], json!(["frontend", "dark"]));
    let components: Vec<&str> = f["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(components, ["Frontend"]);
    assert_eq!(f["fixVersions"][0]["name"], "1.0");
    assert_eq!(f["fixVersions"].as_array().map(Vec::len), Some(1));
    assert_eq!(f["timetracking"]["originalEstimate"], "1w");
    assert_eq!(f["timetracking"]["remainingEstimate"], "3d");
    let after = f["updated"].as_str().expect("updated");
    assert!(after > before.as_str(), "{after} after {before}");

    // One history for the whole edit, by the editor, listing each changed field.
    let all = histories(&api, "ALPHA-7").await;
    assert_eq!(all.len(), histories_before + 1);
    let newest = &all[0];
    assert_eq!(newest["author"]["accountId"], ALICE);
    assert_eq!(newest["created"].as_str(), Some(after));
    let fields: Vec<&str> = newest["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["field"].as_str().expect("field"))
        .collect();
    for expected in [
        "summary",
        "description",
        "duedate",
        "priority",
        "assignee",
        "reporter",
        "labels",
        "Component",
        "Fix Version",
        "timeoriginalestimate",
        "timeestimate",
        "Story Points",
        "Team",
        "Start date",
        "Reviewer",
        "Robot serial number",
        "Acceptance criteria",
        "Sprint",
    ] {
        assert!(
            fields.contains(&expected),
            "{expected} missing from {fields:?}"
        );
    }
    let priority = newest["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["field"] == "priority"))
        .expect("priority item");
    assert_eq!(priority["fromString"], "Lowest");
    assert_eq!(priority["toString"], "High");

    // Clearing values, and an edit that changes nothing leaves `updated` alone.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {
                "customfield_10016": null,
                "customfield_10050": null,
                "duedate": null,
                "assignee": null,
                "labels": [],
                "customfield_10020": null
            }}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let f = fields_of(&api, "ALPHA-7", "*all").await;
    for cleared in [
        "customfield_10016",
        "customfield_10050",
        "duedate",
        "assignee",
        "customfield_10020",
    ] {
        assert_eq!(f[cleared], Value::Null, "{cleared}");
    }
    assert_eq!(f["labels"], json!([]));
    let stamp = updated(&api, "ALPHA-7").await;
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {"summary": "Dark mode everywhere"}}),
        )
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(updated(&api, "ALPHA-7").await, stamp);
}

#[tokio::test]
async fn edits_move_sprints_types_and_parents_within_the_rules() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    // A closed sprint stays in the history; the open one is replaced.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"fields": {"customfield_10020": 3}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let sprints =
        fields_of(&api, "ALPHA-2", "customfield_10020").await["customfield_10020"].clone();
    let ids: Vec<u64> = sprints
        .as_array()
        .expect("sprints")
        .iter()
        .map(|s| s["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, [1, 3]);
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"fields": {"customfield_10020": 1}}),
        )
        .await;
    assert_field_errors(
        &reply,
        json!({"customfield_10020": "Issue can be assigned only active or future sprints."}),
    );
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"fields": {"customfield_10020": "2"}}),
        )
        .await;
    assert_field_errors(
        &reply,
        json!({"customfield_10020": "Number value expected as the Sprint id."}),
    );

    // Issue type: within the hierarchy level only.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {"issuetype": {"name": "Bug"}}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert_eq!(
        fields_of(&api, "ALPHA-7", "issuetype").await["issuetype"]["name"],
        "Bug"
    );
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {"issuetype": {"id": "10000"}}}),
        )
        .await;
    assert_field_errors(
        &reply,
        json!({"issuetype": "The issue type selected is invalid."}),
    );

    // Parent: an epic of the same project, or none.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"update": {"parent": [{"set": {"none": true}}]}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert!(
        fields_of(&api, "ALPHA-7", "parent")
            .await
            .get("parent")
            .is_none()
    );
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {"parent": {"key": "ALPHA-3"}}}),
        )
        .await;
    assert_field_errors(
        &reply,
        json!({"parent": "Given parent issue does not belong to appropriate hierarchy."}),
    );
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-7",
            &json!({"fields": {"parent": {"key": "ALPHA-1"}}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert_eq!(
        fields_of(&api, "ALPHA-7", "parent").await["parent"]["key"],
        "ALPHA-1"
    );
    let history = &histories(&api, "ALPHA-7").await[0];
    assert_eq!(history["items"][0]["field"], "IssueParentAssociation");
    assert_eq!(history["items"][0]["toString"], "ALPHA-1");

    // returnIssue answers 200 with the edited issue.
    let reply = api
        .request(
            "PUT",
            "/rest/api/3/issue/ALPHA-7",
            &[("returnIssue", "true")],
            Some(&json!({"fields": {"summary": "Returned"}})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["key"], "ALPHA-7");
    assert_eq!(reply.body["fields"]["summary"], "Returned");
}

#[tokio::test]
async fn invalid_edits_are_400_with_jiras_errors_and_change_nothing() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let before = fields_of(&api, "ALPHA-2", "*all").await;
    let cases = [
        (
            json!({"fields": {"summary": "  "}}),
            json!({"summary": "You must specify a summary of the issue."}),
        ),
        (
            json!({"fields": {"summary": "x".repeat(256)}}),
            json!({"summary": "Summary must be less than 255 characters."}),
        ),
        (
            json!({"fields": {"customfield_10001": {"value": "Marketing"}}}),
            json!({"customfield_10001": "Option value 'Marketing' is not valid"}),
        ),
        (
            json!({"fields": {"customfield_10001": {"id": "999"}}}),
            json!({"customfield_10001": "Option id '999' is not valid"}),
        ),
        (
            json!({"fields": {"customfield_10001": "Platform"}}),
            json!({"customfield_10001": "Could not find valid 'id' or 'value' in the Parent Option object."}),
        ),
        (
            json!({"fields": {"status": {"id": "10002"}}}),
            json!({"status": "Field 'status' cannot be set. It is not on the appropriate screen, or unknown."}),
        ),
        (
            json!({"fields": {"customfield_99999": 1}}),
            json!({"customfield_99999": "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown."}),
        ),
        (
            json!({"fields": {"duedate": "20/05/2024"}}),
            json!({"duedate": "Error parsing date string: 20/05/2024"}),
        ),
        (
            json!({"fields": {"customfield_10015": "2024-02-30"}}),
            json!({"customfield_10015": "Error parsing date string: 2024-02-30"}),
        ),
        (
            json!({"fields": {"customfield_10016": "five"}}),
            json!({"customfield_10016": "Operation value must be a number"}),
        ),
        (
            json!({"fields": {"assignee": {"accountId": "acc-bot"}}}),
            json!({"assignee": "User 'acc-bot' cannot be assigned issues."}),
        ),
        (
            json!({"fields": {"assignee": {"accountId": "nobody"}}}),
            json!({"assignee": "User 'nobody' cannot be assigned issues."}),
        ),
        (
            json!({"fields": {"description": "plain text"}}),
            json!({"description": "Operation value must be an Atlassian Document"}),
        ),
        (
            json!({"fields": {"customfield_10030": {"type": "doc", "version": 1, "content": [{"type": "text", "text": ""}]}}}),
            json!({"customfield_10030": "Operation value must be an Atlassian Document"}),
        ),
        (
            json!({"fields": {"summary": "A"}, "update": {"summary": [{"set": "B"}]}}),
            json!({"summary": "Field 'summary' cannot be set in both 'fields' and 'update'."}),
        ),
        (
            json!({"update": {"labels": [{"add": "two words"}]}}),
            json!({"labels": "The label 'two words' contains spaces which is invalid."}),
        ),
        (
            json!({"fields": {"components": {"id": "10100"}}}),
            json!({"components": "data was not an array"}),
        ),
        (
            json!({"update": {"components": [{"add": {"id": "10102"}}]}}),
            json!({"components": "Component id '10102' is not valid"}),
        ),
        (
            json!({"update": {"fixVersions": [{"add": {"name": "9.9"}}]}}),
            json!({"fixVersions": "Version name '9.9' is not valid"}),
        ),
        (
            json!({"fields": {"priority": {"name": "Urgent"}}}),
            json!({"priority": "The priority selected is invalid."}),
        ),
        (
            json!({"fields": {"reporter": null}}),
            json!({"reporter": "Reporter is required."}),
        ),
        (
            json!({"fields": {"customfield_10040": "x".repeat(300)}}),
            json!({"customfield_10040": "The entered text is too long. It exceeds the allowed limit of 255 characters."}),
        ),
        // Every bad field is reported at once.
        (
            json!({"fields": {"summary": "", "customfield_10016": "x", "duedate": "soon"}}),
            json!({
                "summary": "You must specify a summary of the issue.",
                "customfield_10016": "Operation value must be a number",
                "duedate": "Error parsing date string: soon"
            }),
        ),
    ];
    for (body, errors) in cases {
        let reply = api.put("/rest/api/3/issue/ALPHA-2", &body).await;
        assert_field_errors(&reply, errors);
    }
    // An operation the field does not support is a global message, in Jira's words.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"update": {"customfield_10040": [{"add": "x"}]}}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["errorMessages"],
        json!([
            "Field with id' customfield_10040' and name 'Robot serial number' does not support operation 'add' Supported operation(s) are: 'set'"
        ])
    );
    // Malformed bodies.
    let reply = api
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"update": {"labels": {"add": "x"}}}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["errorMessages"],
        json!(["Invalid request payload. Refer to the REST API documentation and try again."])
    );
    let reply = api
        .post_raw("/rest/api/3/issue/ALPHA-2", Some("application/json"), "{}")
        .await;
    assert_eq!(reply.status, 405, "POST is not an edit");
    let reply = api
        .put("/rest/api/3/issue/NOPE-1", &json!({"fields": {}}))
        .await;
    assert_eq!(reply.status, 404);
    let reply = Api::new(&server.base_url, None)
        .put(
            "/rest/api/3/issue/ALPHA-2",
            &json!({"fields": {"summary": "anon"}}),
        )
        .await;
    assert_eq!(reply.status, 401);
    // Nothing of any refused edit was applied.
    assert_eq!(fields_of(&api, "ALPHA-2", "*all").await, before);
}

// ---------------------------------------------------------------------------------------
// Assign

#[tokio::test]
async fn assign_sets_clears_and_falls_back_to_the_project_lead() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let path = "/rest/api/3/issue/ALPHA-4/assignee";
    let assignee = |api: Api| async move {
        fields_of(&api, "ALPHA-4", "assignee").await["assignee"]["accountId"].clone()
    };
    let reply = api.put(path, &json!({"accountId": BOB})).await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert_eq!(assignee(api.clone()).await, BOB);
    let reply = api.put(path, &json!({"accountId": null})).await;
    assert_eq!(reply.status, 204);
    assert_eq!(assignee(api.clone()).await, Value::Null);
    // -1: the project's default assignee, its lead (Alice for ALPHA).
    let reply = api.put(path, &json!({"accountId": "-1"})).await;
    assert_eq!(reply.status, 204);
    assert_eq!(assignee(api.clone()).await, ALICE);
    let reply = api.put(path, &json!({"accountId": "acc-bot"})).await;
    assert_field_errors(
        &reply,
        json!({"assignee": "User 'acc-bot' cannot be assigned issues."}),
    );
    let reply = api.put(path, &json!({})).await;
    assert_eq!(reply.status, 400);
    let reply = api
        .put(
            "/rest/api/3/issue/NOPE-1/assignee",
            &json!({"accountId": BOB}),
        )
        .await;
    assert_eq!(reply.status, 404);
    let history = &histories(&api, "ALPHA-4").await[0];
    assert_eq!(history["items"][0]["field"], "assignee");
    assert_eq!(history["items"][0]["toString"], "Alice Archer");
}

// ---------------------------------------------------------------------------------------
// Transitions

#[tokio::test]
async fn transitions_follow_the_workflow_and_their_screens() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let path = "/rest/api/3/issue/ALPHA-8/transitions";
    let listed = api.get(path, &[("expand", "transitions.fields")]).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let ids: Vec<&str> = listed.body["transitions"]
        .as_array()
        .expect("transitions")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["21"], "To Do only leaves through Start");

    // Without a screen: status and the category date move; a comment may come along.
    let before = fields_of(&api, "ALPHA-8", "statuscategorychangedate").await;
    let reply = api
        .post(
            path,
            &json!({"transition": {"id": "21"}, "update": {"comment": [{"add": {"body": doc("Starting.")}}]}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let f = fields_of(
        &api,
        "ALPHA-8",
        "status,statuscategorychangedate,comment,updated",
    )
    .await;
    assert_eq!(f["status"]["name"], "In Progress");
    assert_ne!(
        f["statuscategorychangedate"],
        before["statuscategorychangedate"]
    );
    assert_eq!(f["statuscategorychangedate"], f["updated"]);
    assert_eq!(f["comment"]["comments"][0]["body"], doc("Starting."));

    // With a screen: Done asks for a resolution.
    let listed = api.get(path, &[("expand", "transitions.fields")]).await;
    let done = listed.body["transitions"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == "41"))
        .expect("Done is available from In Progress")
        .clone();
    assert_eq!(done["hasScreen"], true);
    assert_eq!(done["fields"]["resolution"]["required"], true);
    assert_eq!(
        done["fields"]["resolution"]["allowedValues"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let reply = api.post(path, &json!({"transition": {"id": "41"}})).await;
    assert_field_errors(&reply, json!({"resolution": "Resolution is required."}));
    let reply = api
        .post(path, &json!({"transition": {"id": "41"}, "fields": {"summary": "sneaky", "resolution": {"name": "Done"}}}))
        .await;
    assert_field_errors(
        &reply,
        json!({"summary": "Field 'summary' cannot be set. It is not on the appropriate screen, or unknown."}),
    );
    let reply = api
        .post(
            path,
            &json!({"transition": {"id": "41"}, "fields": {"resolution": {"name": "Fixed"}}}),
        )
        .await;
    assert_field_errors(
        &reply,
        json!({"resolution": "The resolution selected is invalid."}),
    );
    assert_eq!(
        fields_of(&api, "ALPHA-8", "status").await["status"]["name"],
        "In Progress"
    );
    let reply = api
        .post(
            path,
            &json!({"transition": {"id": "41"}, "fields": {"resolution": {"name": "Done"}}}),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let f = fields_of(
        &api,
        "ALPHA-8",
        "status,resolution,resolutiondate,statuscategorychangedate,updated",
    )
    .await;
    assert_eq!(f["status"]["name"], "Done");
    assert_eq!(f["resolution"]["name"], "Done");
    assert_eq!(f["resolutiondate"], f["updated"]);
    assert_eq!(f["statuscategorychangedate"], f["updated"]);
    let history = &histories(&api, "ALPHA-8").await[0];
    let items: Vec<(&str, &str)> = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["field"].as_str().expect("field"),
                i["toString"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(items, [("status", "Done"), ("resolution", "Done")]);

    // Not available from Done; the reopen clears the resolution.
    let reply = api.post(path, &json!({"transition": {"id": "21"}})).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body["errorMessages"],
        json!(["Transition id '21' is not valid for this issue."])
    );
    let reply = api.post(path, &json!({"transition": {"id": 51}})).await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let f = fields_of(&api, "ALPHA-8", "status,resolution,resolutiondate").await;
    assert_eq!(f["status"]["name"], "To Do");
    assert_eq!(f["resolution"], Value::Null);
    assert_eq!(f["resolutiondate"], Value::Null);
    let reply = api.post(path, &json!({"fields": {}})).await;
    assert_eq!(reply.status, 400, "no transition given");
    // One transition by id.
    let one = api.get(path, &[("transitionId", "21")]).await;
    assert_eq!(one.body["transitions"].as_array().map(Vec::len), Some(1));
}

// ---------------------------------------------------------------------------------------
// Comments

#[tokio::test]
async fn comments_are_added_and_only_their_authors_edit_or_delete_them() {
    let server = fixture::serve(fixture::store()).await;
    let alice = Api::alice(&server.base_url);
    let path = "/rest/api/3/issue/ALPHA-2/comment";
    let body = json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "See "}, {"type": "text", "text": "this", "marks": [{"type": "code"}]}]},
        {"type": "codeBlock", "content": [{"type": "text", "text": "cargo test"}]}
    ]});
    let before = updated(&alice, "ALPHA-2").await;
    let reply = alice
        .post(
            path,
            &json!({"body": body, "visibility": {"type": "role", "value": "Developers"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let id = reply.body["id"].as_str().expect("id").to_owned();
    assert_eq!(reply.body["body"], body);
    assert_eq!(reply.body["author"]["accountId"], ALICE);
    assert_eq!(reply.body["visibility"]["value"], "Developers");
    assert_eq!(reply.body["created"], reply.body["updated"]);
    assert!(updated(&alice, "ALPHA-2").await > before);
    let page = alice.get(path, &[]).await;
    assert_eq!(page.body["total"], 4);

    for (bad, errors) in [
        (
            json!({"body": "plain"}),
            json!({"comment": "Operation value must be an Atlassian Document"}),
        ),
        (
            json!({"body": {"type": "doc", "version": 1, "content": []}}),
            json!({"comment": "Comment body can not be empty!"}),
        ),
        (
            json!({}),
            json!({"comment": "Comment body can not be empty!"}),
        ),
        (
            json!({"body": doc("x"), "visibility": {"type": "role", "value": "Astronauts"}}),
            json!({"commentLevel": "Project role 'Astronauts' does not exist."}),
        ),
        (
            json!({"body": doc("x"), "visibility": {"type": "group", "value": "nope"}}),
            json!({"commentLevel": "Group 'nope' does not exist."}),
        ),
    ] {
        let reply = alice.post(path, &bad).await;
        assert_field_errors(&reply, errors);
    }
    assert_eq!(
        alice.get(path, &[]).await.body["total"],
        4,
        "refused comments are not added"
    );

    // Edit your own: 200 with the comment; the visibility stays unless given.
    let one = format!("{path}/{id}");
    let reply = alice.put(&one, &json!({"body": doc("Edited.")})).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["body"], doc("Edited."));
    assert_eq!(reply.body["visibility"]["value"], "Developers");
    assert_ne!(reply.body["updated"], reply.body["created"]);
    let reply = alice
        .put(
            &one,
            &json!({"body": doc("Public now."), "visibility": null}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.get("visibility").is_none());
    let got = alice.get(&one, &[("expand", "renderedBody")]).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["body"], doc("Public now."));
    assert!(
        got.body["renderedBody"]
            .as_str()
            .is_some_and(|h| h.contains("Public now."))
    );

    // Someone else's comment: 403 in Jira's words, and nothing changes.
    let bobs = format!("{path}/30002");
    let reply = alice.put(&bobs, &json!({"body": doc("Hijacked")})).await;
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert_eq!(
        reply.body["errorMessages"],
        json!(["You do not have the permission to edit this comment."])
    );
    let reply = alice.delete(&bobs).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.body["errorMessages"],
        json!(["You do not have the permission to delete this comment."])
    );
    assert_eq!(
        alice.get(&bobs, &[]).await.body["body"],
        doc("Fix is in review.")
    );
    // Bob may edit his.
    let reply = bob(&server.base_url)
        .put(&bobs, &json!({"body": doc("Fix merged.")}))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["updateAuthor"]["accountId"], BOB);

    // Delete your own: 204, then it is gone.
    let reply = alice.delete(&one).await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    let gone = alice.get(&one, &[]).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.body["errorMessages"],
        json!([format!("Can not find a comment for the id: {id}.")])
    );
    assert_eq!(alice.delete(&one).await.status, 404);
    assert_eq!(alice.get(path, &[]).await.body["total"], 3);
}

// ---------------------------------------------------------------------------------------
// Create

#[tokio::test]
async fn create_issues_stories_sub_tasks_and_refusals() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let reply = api
        .post(
            "/rest/api/3/issue",
            &json!({"fields": {
                "project": {"key": "ALPHA"},
                "issuetype": {"name": "Story"},
                "summary": "Export to PDF",
                "description": doc("Like CSV, but PDF."),
                "labels": ["export"],
                "customfield_10016": 3
            }}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["key"], "ALPHA-9");
    assert_eq!(reply.body["id"], "20111");
    assert_eq!(
        reply.body["self"],
        format!("{}/rest/api/3/issue/20111", server.base_url)
    );
    let f = fields_of(&api, "ALPHA-9", "*all").await;
    assert_eq!(f["summary"], "Export to PDF");
    assert_eq!(f["status"]["name"], "To Do");
    assert_eq!(f["issuetype"]["name"], "Story");
    assert_eq!(f["priority"]["name"], "Medium", "the default priority");
    assert_eq!(f["reporter"]["accountId"], ALICE);
    assert_eq!(f["creator"]["accountId"], ALICE);
    assert_eq!(f["labels"], json!(["export"]));
    assert_eq!(f["customfield_10016"], 3);
    assert_eq!(f["created"], f["updated"]);
    assert!(
        histories(&api, "ALPHA-9").await.is_empty(),
        "creating records no history"
    );
    assert_eq!(
        api.keys("project = ALPHA AND summary ~ PDF").await,
        ["ALPHA-9"]
    );

    // A sub-task under a story of the same project.
    let reply = api
        .post(
            "/rest/api/3/issue",
            &json!({"fields": {
                "project": {"id": "10000"},
                "issuetype": {"id": "10004"},
                "summary": "Pick a PDF library",
                "parent": {"key": "ALPHA-9"},
                "assignee": {"accountId": BOB}
            }}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["key"], "ALPHA-10");
    let parent = fields_of(&api, "ALPHA-9", "subtasks").await;
    assert_eq!(parent["subtasks"][0]["key"], "ALPHA-10");
    assert_eq!(
        fields_of(&api, "ALPHA-10", "assignee").await["assignee"]["accountId"],
        BOB
    );

    let refusals = [
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Task"}}}),
            json!({"summary": "You must specify a summary of the issue."}),
        ),
        (
            json!({"fields": {"project": {"key": "NOPE"}, "issuetype": {"name": "Task"}, "summary": "x"}}),
            json!({"project": "Specify a valid project ID or key"}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "summary": "x"}}),
            json!({"issuetype": "Specify an issue type"}),
        ),
        (
            json!({"fields": {"project": {"key": "BETA"}, "issuetype": {"name": "Epic"}, "summary": "x"}}),
            json!({"issuetype": "The issue type selected is invalid."}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Sub-task"}, "summary": "x"}}),
            json!({"parent": "Issue type is a sub-task but parent issue key or id not specified."}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Sub-task"}, "summary": "x", "parent": {"key": "ALPHA-1"}}}),
            json!({"parent": "Given parent issue does not belong to appropriate hierarchy."}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Sub-task"}, "summary": "x", "parent": {"key": "BETA-1"}}}),
            json!({"parent": "The parent issue must belong to the same project."}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Sub-task"}, "summary": "x", "parent": {"key": "ALPHA-99"}}}),
            json!({"parent": "Could not find issue by id or key."}),
        ),
        (
            json!({"fields": {"project": {"key": "ALPHA"}, "issuetype": {"name": "Task"}, "summary": "x", "status": {"id": "3"}}}),
            json!({"status": "Field 'status' cannot be set. It is not on the appropriate screen, or unknown."}),
        ),
    ];
    for (body, errors) in refusals {
        let reply = api.post("/rest/api/3/issue", &body).await;
        assert_field_errors(&reply, errors);
    }
    assert_eq!(
        api.keys("project = ALPHA").await.len(),
        10,
        "refused creates add nothing"
    );
}

#[tokio::test]
async fn demo_create_requires_the_bug_screens_severity() {
    let server = fixture::serve(seed::demo_store(120)).await;
    let api = demo_api(&server.base_url);
    let bug = json!({"project": {"key": "NAV"}, "issuetype": {"id": seed::BUG_TYPE_ID.to_string()}, "summary": "Lidar drops frames"});
    let reply = api.post("/rest/api/3/issue", &json!({"fields": bug})).await;
    let severity = format!("customfield_{}", seed::SEVERITY_FIELD);
    assert_field_errors(&reply, json!({ severity.clone(): "Severity is required." }));
    let mut fields = bug.clone();
    fields[&severity] = json!({"value": "S2 - Major"});
    let reply = api
        .post("/rest/api/3/issue", &json!({"fields": fields}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    // Story points are not on a sub-task's screen.
    let reply = api
        .post(
            "/rest/api/3/issue",
            &json!({"fields": {
                "project": {"key": "NAV"},
                "issuetype": {"id": seed::SUBTASK_TYPE_ID.to_string()},
                "summary": "x",
                "parent": {"key": reply.body["key"]},
                format!("customfield_{}", seed::STORY_POINTS_FIELD): 3
            }}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["errors"][format!("customfield_{}", seed::STORY_POINTS_FIELD)].is_string());
}

#[tokio::test]
async fn create_metadata_lists_types_and_the_create_screen() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let types = api
        .get("/rest/api/3/issue/createmeta/BETA/issuetypes", &[])
        .await;
    assert_eq!(types.status, 200, "{}", types.body);
    let names: Vec<&str> = types.body["issueTypes"]
        .as_array()
        .expect("issueTypes")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Story", "Bug", "Task"]);
    assert_eq!(types.body["total"], 3);
    let by_id = api
        .get(
            "/rest/api/3/issue/createmeta/10001/issuetypes",
            &[("maxResults", "1"), ("startAt", "1")],
        )
        .await;
    assert_eq!(by_id.body["issueTypes"][0]["name"], "Bug");
    let fields = api
        .get("/rest/api/3/issue/createmeta/ALPHA/issuetypes/10004", &[])
        .await;
    assert_eq!(fields.status, 200, "{}", fields.body);
    let list = fields.body["fields"].as_array().expect("fields");
    let find = |id: &str| {
        list.iter()
            .find(|f| f["fieldId"] == id)
            .cloned()
            .unwrap_or_default()
    };
    for required in ["project", "issuetype", "summary", "parent", "reporter"] {
        assert_eq!(find(required)["required"], true, "{required}");
    }
    assert_eq!(find("description")["required"], false);
    assert_eq!(find("issuetype")["allowedValues"][0]["name"], "Sub-task");
    assert_eq!(find("project")["allowedValues"][0]["key"], "ALPHA");
    assert_eq!(find("priority")["hasDefaultValue"], true);
    assert_eq!(find("priority")["defaultValue"]["name"], "Medium");
    assert!(
        find("assignee")["autoCompleteUrl"]
            .as_str()
            .is_some_and(|u| u.ends_with("user/assignable/search?project=ALPHA&query="))
    );
    let too_many = api
        .get(
            "/rest/api/3/issue/createmeta/ALPHA/issuetypes",
            &[("maxResults", "201")],
        )
        .await;
    assert_eq!(too_many.status, 400);
    assert_eq!(
        too_many.body["errorMessages"],
        json!(["Parameter 'maxResults' must not exceed the limit '200'"])
    );
    assert_eq!(
        api.get("/rest/api/3/issue/createmeta/NOPE/issuetypes", &[])
            .await
            .status,
        400
    );
    assert_eq!(
        api.get("/rest/api/3/issue/createmeta/BETA/issuetypes/10000", &[])
            .await
            .status,
        400,
        "BETA has no epics"
    );
}

// ---------------------------------------------------------------------------------------
// Users and labels

#[tokio::test]
async fn assignable_users_match_prefixes_in_the_project() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let search = |query: &'static [(&'static str, &'static str)]| {
        let api = api.clone();
        async move {
            let reply = api.get("/rest/api/3/user/assignable/search", query).await;
            (reply.status, reply.body)
        }
    };
    let names = |body: &Value| -> Vec<String> {
        body.as_array()
            .expect("an array of users")
            .iter()
            .map(|u| u["displayName"].as_str().expect("name").to_owned())
            .collect()
    };
    let (status, body) = search(&[("issueKey", "ALPHA-2")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        names(&body),
        ["Alice Archer", "Bob Builder", "Carol Chen"],
        "no app users"
    );
    let (_, body) = search(&[("project", "ALPHA"), ("query", "ch")]).await;
    assert_eq!(names(&body), ["Carol Chen"], "a word of the name");
    let (_, body) = search(&[("issueKey", "ALPHA-2"), ("query", "alice@")]).await;
    assert_eq!(names(&body), ["Alice Archer"], "the e-mail");
    let (_, body) = search(&[("issueKey", "ALPHA-2"), ("query", "BO")]).await;
    assert_eq!(names(&body), ["Bob Builder"], "case-insensitive");
    let (_, body) = search(&[("issueKey", "ALPHA-2"), ("maxResults", "2")]).await;
    assert_eq!(names(&body).len(), 2);
    let (_, body) = search(&[("issueId", "20002"), ("accountId", "acc-carol")]).await;
    assert_eq!(names(&body), ["Carol Chen"]);
    assert_eq!(
        search(&[("query", "a")]).await.0,
        400,
        "project or issue required"
    );
    assert_eq!(search(&[("issueKey", "NOPE-1")]).await.0, 404);
    assert_eq!(search(&[("project", "NOPE")]).await.0, 404);

    // The demo site: members only, and never inactive people or customers.
    let server = fixture::serve(seed::demo_store(120)).await;
    let demo = demo_api(&server.base_url);
    let found = |project: &'static str, query: &'static str| {
        let demo = demo.clone();
        async move {
            let reply = demo
                .get(
                    "/rest/api/3/user/assignable/search",
                    &[("project", project), ("query", query)],
                )
                .await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            reply.body.as_array().map(Vec::len).unwrap_or_default()
        }
    };
    assert_eq!(found("NAV", "owen").await, 0, "Owen Price left the company");
    assert_eq!(
        found("HELP", "helena").await,
        0,
        "customers are not assignable"
    );
    assert_eq!(found("HELP", "nina").await, 1);
    assert_eq!(found("WEB", "dev").await, 0, "Dev Patel is not on WEB");
    assert_eq!(found("NAV", "dev").await, 1);
}

#[tokio::test]
async fn labels_are_an_offset_page_of_every_label() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let all = api.get("/rest/api/3/label", &[]).await;
    assert_eq!(all.status, 200);
    assert_eq!(
        all.body["values"],
        json!([
            "backend",
            "export",
            "frontend",
            "notifications",
            "payments",
            "platform",
            "safari",
            "ui"
        ])
    );
    assert_eq!(all.body["isLast"], true);
    assert_eq!(all.body["maxResults"], 1000);
    let page = api
        .get(
            "/rest/api/3/label",
            &[("startAt", "3"), ("maxResults", "3")],
        )
        .await;
    assert_eq!(
        page.body["values"],
        json!(["notifications", "payments", "platform"])
    );
    assert_eq!(page.body["total"], 8);
    assert_eq!(page.body["isLast"], false);
    assert!(
        page.body["nextPage"]
            .as_str()
            .is_some_and(|u| u.contains("startAt=6"))
    );
    // A label added by an edit shows up.
    api.put(
        "/rest/api/3/issue/BETA-3",
        &json!({"update": {"labels": [{"add": "zeta"}]}}),
    )
    .await;
    let all = api.get("/rest/api/3/label", &[]).await;
    assert_eq!(
        all.body["values"].as_array().and_then(|v| v.last()),
        Some(&json!("zeta"))
    );
}

// ---------------------------------------------------------------------------------------
// Limits and concurrency

#[tokio::test]
async fn writes_beyond_the_per_issue_limit_are_429_and_not_applied() {
    const WINDOW: Duration = Duration::from_secs(60);
    let server = start(
        fixture::store(),
        ServerOptions {
            per_issue_writes: WriteLimit {
                max_writes: 2,
                window: WINDOW,
            },
            ..ServerOptions::default()
        },
    )
    .await
    .expect("binds");
    let api = Api::alice(&server.base_url);
    for n in 1..=2 {
        let reply = api
            .put(
                "/rest/api/3/issue/ALPHA-3",
                &json!({"fields": {"summary": format!("Edit {n}")}}),
            )
            .await;
        assert_eq!(reply.status, 204, "{}", reply.body);
    }
    let before = updated(&api, "ALPHA-3").await;
    let refused = [
        api.put(
            "/rest/api/3/issue/ALPHA-3",
            &json!({"fields": {"summary": "Edit 3"}}),
        )
        .await,
        api.post(
            "/rest/api/3/issue/ALPHA-3/comment",
            &json!({"body": doc("hi")}),
        )
        .await,
        api.put(
            "/rest/api/3/issue/ALPHA-3/assignee",
            &json!({"accountId": null}),
        )
        .await,
        api.post(
            "/rest/api/3/issue/ALPHA-3/transitions",
            &json!({"transition": {"id": "11"}}),
        )
        .await,
    ];
    for reply in &refused {
        assert_eq!(reply.status, 429, "{}", reply.body);
        let retry: u64 = reply.headers["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=WINDOW.as_secs()).contains(&retry), "{retry}");
        assert_eq!(reply.headers["ratelimit-reason"], "jira-per-issue-on-write");
        let reset = reply.headers["x-ratelimit-reset"].to_str().expect("ascii");
        assert!(
            chrono::NaiveDateTime::parse_from_str(reset, "%Y-%m-%dT%H:%MZ").is_ok(),
            "{reset}"
        );
        assert_eq!(
            reply.body,
            json!({"errorMessages": ["Rate limit exceeded."], "errors": {}})
        );
    }
    let f = fields_of(&api, "ALPHA-3", "summary,updated,comment,assignee,status").await;
    assert_eq!(f["summary"], "Edit 2", "the refused edit was not applied");
    assert_eq!(f["updated"].as_str(), Some(before.as_str()));
    assert_eq!(f["comment"]["total"], 0);
    assert_eq!(f["assignee"]["accountId"], ALICE);
    assert_eq!(f["status"]["name"], "In Review");
    // Reads are not limited, and other issues have their own budget.
    assert_eq!(api.get("/rest/api/3/issue/ALPHA-3", &[]).await.status, 200);
    let other = api
        .put(
            "/rest/api/3/issue/ALPHA-5",
            &json!({"fields": {"summary": "Still fine"}}),
        )
        .await;
    assert_eq!(other.status, 204);
}

#[tokio::test]
async fn a_concurrent_edit_shows_in_updated() {
    let server = fixture::serve(fixture::store()).await;
    let alice = Api::alice(&server.base_url);
    let bob = bob(&server.base_url);
    // Alice opens the issue...
    let seen = fields_of(&alice, "ALPHA-3", "summary,updated").await;
    // ...Bob changes it meanwhile...
    let reply = bob
        .put(
            "/rest/api/3/issue/ALPHA-3",
            &json!({"fields": {"summary": "Webhook retries capped"}}),
        )
        .await;
    assert_eq!(reply.status, 204);
    // ...and before saving, Alice sees that it changed and what.
    let now = fields_of(&alice, "ALPHA-3", "summary,updated").await;
    assert_ne!(now["updated"], seen["updated"]);
    assert!(now["updated"].as_str() > seen["updated"].as_str());
    assert_eq!(now["summary"], "Webhook retries capped");
    let history = &histories(&alice, "ALPHA-3").await[0];
    assert_eq!(history["author"]["accountId"], BOB);
    assert_eq!(history["items"][0]["fromString"], seen["summary"]);
    // Two writes in a row never share a timestamp.
    for summary in ["One", "Two"] {
        bob.put(
            "/rest/api/3/issue/ALPHA-3",
            &json!({"fields": {"summary": summary}}),
        )
        .await;
    }
    let stamps: Vec<String> = histories(&alice, "ALPHA-3")
        .await
        .iter()
        .take(3)
        .map(|h| h["created"].as_str().expect("created").to_owned())
        .collect();
    assert!(stamps[0] > stamps[1] && stamps[1] > stamps[2], "{stamps:?}");
}

/// The `name` of each element of a JSON array (groups, roles).
fn names(body: &Value) -> Vec<String> {
    body.as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["name"].as_str())
        .map(str::to_owned)
        .collect()
}

/// Groups: `/myself?expand=groups` and `/user/groups` list a user's own groups; a comment
/// may be restricted to one the author is in, named by id or by name, never to another.
#[tokio::test]
async fn comments_may_be_restricted_to_the_authors_groups_only() {
    let store = seed::demo_store(60);
    let key = store.issues[0].key.clone();
    let server = fixture::serve(store).await;
    let dev = demo_api(&server.base_url);
    let me = dev.get("/rest/api/3/myself", &[("expand", "groups")]).await;
    assert_eq!(me.status, 200);
    let mine = names(&me.body["groups"]["items"]);
    assert_eq!(
        mine,
        [
            "jira-administrators",
            "jira-software-users",
            "robotics-core",
            "security-response"
        ]
    );
    assert_eq!(me.body["groups"]["size"], 4);
    let core = me.body["groups"]["items"][2].clone();
    assert!(core["groupId"].as_str().is_some_and(|id| id.len() == 36));

    let nina = seed::demo_store(1)
        .users
        .iter()
        .find(|u| u.display_name == "Nina Kowalski")
        .unwrap()
        .account_id
        .clone();
    let hers = dev
        .get("/rest/api/3/user/groups", &[("accountId", nina.as_str())])
        .await;
    assert_eq!(hers.status, 200);
    assert_eq!(
        names(&hers.body),
        [
            "jira-servicemanagement-users",
            "security-response",
            "support-leads"
        ]
    );
    let viewer = Api::new(
        &server.base_url,
        Some(basic(seed::DEMO_VIEWER_EMAIL, seed::DEMO_VIEWER_TOKEN)),
    );
    let refused = viewer
        .get("/rest/api/3/user/groups", &[("accountId", nina.as_str())])
        .await;
    assert_eq!(refused.status, 403, "needs Browse users and groups");
    assert_eq!(
        dev.get("/rest/api/3/user/groups", &[]).await.status,
        400,
        "accountId is required"
    );

    let path = format!("/rest/api/3/issue/{key}/comment");
    let post = |text: &str, visibility: Value| {
        let dev = dev.clone();
        let path = path.clone();
        let body = json!({"body": adf(text), "visibility": visibility});
        async move { dev.post(&path, &body).await }
    };
    // By id: the name comes back with it.
    let by_id = post(
        "core only",
        json!({"type": "group", "identifier": core["groupId"]}),
    )
    .await;
    assert_eq!(by_id.status, 201, "{}", by_id.body);
    assert_eq!(
        by_id.body["visibility"],
        json!({"type": "group", "value": "robotics-core", "identifier": core["groupId"]})
    );
    // By name.
    let by_name = post(
        "security",
        json!({"type": "group", "value": "security-response"}),
    )
    .await;
    assert_eq!(by_name.status, 201, "{}", by_name.body);
    assert_eq!(by_name.body["visibility"]["value"], "security-response");
    for (visibility, message) in [
        // A group the author is not in.
        (
            json!({"type": "group", "value": "support-leads"}),
            "You are currently not a member of the group: support-leads.",
        ),
        (
            json!({"type": "group", "identifier": "no-such-id"}),
            "Group 'no-such-id' does not exist.",
        ),
    ] {
        let refused = post("x", visibility).await;
        assert_field_errors(&refused, json!({ "commentLevel": message }));
    }
}

/// Roles: `/project/{key}/roledetails?currentMember=true` lists the roles the caller
/// holds there, and a comment may be restricted only to one of them.
#[tokio::test]
async fn comments_may_be_restricted_only_to_roles_the_author_holds() {
    let store = seed::demo_store(60);
    let nav = store
        .issues
        .iter()
        .find(|i| i.key.starts_with("NAV-"))
        .unwrap()
        .key
        .clone();
    let server = fixture::serve(store).await;
    let dev = demo_api(&server.base_url);
    let mine = dev
        .get(
            "/rest/api/3/project/NAV/roledetails",
            &[("currentMember", "true")],
        )
        .await;
    assert_eq!(mine.status, 200);
    assert_eq!(names(&mine.body), ["Administrators", "Developers", "Users"]);
    let help = dev
        .get(
            "/rest/api/3/project/HELP/roledetails",
            &[("currentMember", "true")],
        )
        .await;
    assert_eq!(
        names(&help.body),
        ["Administrators", "Users"],
        "Dev is no agent of the service desk"
    );
    let all = dev.get("/rest/api/3/project/HELP/roledetails", &[]).await;
    assert_eq!(names(&all.body).len(), 4);
    assert_eq!(all.body[0]["admin"], true);

    // Nina works on the service desk, not in NAV's development team.
    let nina = Api::new(
        &server.base_url,
        Some(basic(seed::DEMO_OTHER_EMAIL, seed::DEMO_OTHER_TOKEN)),
    );
    let path = format!("/rest/api/3/issue/{nav}/comment");
    let refused = nina
        .post(
            &path,
            &json!({"body": adf("x"), "visibility": {"type": "role", "value": "Developers"}}),
        )
        .await;
    assert_field_errors(
        &refused,
        json!({"commentLevel": "You are currently not a member of the project role: Developers."}),
    );
    let allowed = dev
        .post(
            &path,
            &json!({"body": adf("team only"), "visibility": {"type": "role", "value": "Developers"}}),
        )
        .await;
    assert_eq!(allowed.status, 201, "{}", allowed.body);
}
