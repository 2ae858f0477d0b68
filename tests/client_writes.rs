//! The client's write side through `JiraClient` against the emulator over loopback:
//! editmeta and edits, assignment, transitions with their screens, comments, assignable
//! users, labels, create metadata and create, the errors an editor shows next to a field,
//! and that a write is sent exactly once, also when Jira answers 429.

mod support {
    pub mod fixture;
}

use std::collections::BTreeMap;
use std::time::Duration;

use jtui::emulator::server::{RunningEmulator, ServerOptions, WriteLimit, start};
use jtui::jira::models::{CreateMetaFields, CreateMetaIssueTypes};
use jtui::jira::write::{account, by_id};
use jtui::jira::{
    Adf, CommentVisibility, Credentials, FieldOperation, IssueCreate, IssueUpdate, JiraClient,
    JiraError,
};
use serde_json::json;
use support::fixture::{self, ALICE, ALICE_EMAIL, ALICE_TOKEN, BOB, BOB_EMAIL, BOB_TOKEN, CAROL};
use url::Url;

fn client(server: &RunningEmulator, email: &str, token: &str) -> JiraClient {
    JiraClient::new(
        Url::parse(&server.base_url).expect("emulator URL"),
        Credentials::new(email, token),
    )
    .expect("client")
}

async fn alice() -> (RunningEmulator, JiraClient) {
    let server = fixture::serve(fixture::store()).await;
    let alice = client(&server, ALICE_EMAIL, ALICE_TOKEN);
    (server, alice)
}

/// The field errors of a 400, or a panic naming what came instead.
fn field_errors(result: Result<impl std::fmt::Debug, JiraError>) -> BTreeMap<String, String> {
    match result {
        Err(JiraError::Api {
            status: 400,
            field_errors,
            ..
        }) => field_errors,
        other => panic!("expected a 400 with field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn editmeta_then_edit_every_kind_of_field() {
    let (_server, alice) = alice().await;
    let meta = alice.editmeta("ALPHA-7").await.expect("editmeta");
    let summary = &meta.fields["summary"];
    assert!(summary.required);
    assert_eq!(summary.operations, ["set"]);
    assert_eq!(meta.fields["priority"].allowed_values.len(), 5);
    assert_eq!(meta.fields["labels"].operations, ["add", "set", "remove"]);
    assert_eq!(
        meta.fields["customfield_10016"]
            .schema
            .as_ref()
            .map(|s| s.kind.as_str()),
        Some("number")
    );
    assert!(
        meta.fields["assignee"]
            .auto_complete_url
            .as_deref()
            .is_some_and(|u| u.contains("user/assignable/search?issueKey=ALPHA-7"))
    );
    assert!(!meta.fields.contains_key("status"));

    let before = alice
        .issue("ALPHA-7", &["updated"], &[])
        .await
        .expect("issue");
    let description = Adf::from_plain_text("Dark everywhere.\n\nEven the login page.");
    let update = IssueUpdate::new()
        .set("summary", "Dark mode everywhere")
        .set("description", description.as_value().clone())
        .set("duedate", "2024-06-01")
        .set("priority", json!({ "name": "High" }))
        .set("assignee", account(Some(CAROL)))
        .set("customfield_10016", 8)
        .set("customfield_10001", json!({ "value": "Mobile" }))
        .set("customfield_10050", account(Some(BOB)))
        .add("labels", "dark")
        .remove("labels", "ui")
        .operation("components", FieldOperation::Set(json!([by_id("10101")])))
        .add("fixVersions", json!({ "name": "1.0" }));
    alice.edit_issue("ALPHA-7", &update).await.expect("edit");
    let issue = alice
        .issue("ALPHA-7", &["*all"], &["names"])
        .await
        .expect("issue");
    let f = &issue.fields;
    assert_eq!(f.summary, "Dark mode everywhere");
    assert_eq!(f.description.as_ref(), Some(&description));
    assert_eq!(
        f.duedate.map(|d| d.to_string()).as_deref(),
        Some("2024-06-01")
    );
    assert_eq!(f.priority.as_ref().map(|p| p.name.as_str()), Some("High"));
    assert_eq!(
        f.assignee.as_ref().map(|u| u.account_id.as_str()),
        Some(CAROL)
    );
    assert_eq!(f.story_points(&issue.names), Some(8.0));
    assert_eq!(
        f.custom_display("customfield_10001").as_deref(),
        Some("Mobile")
    );
    assert_eq!(f.labels, ["frontend", "dark"]);
    assert_eq!(
        f.components
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Frontend"]
    );
    let versions: Vec<&str> = f.fix_versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(versions, ["2.0", "1.0"]);
    assert!(f.updated > before.fields.updated);

    // Unassign through the shortcut.
    alice.assign("ALPHA-7", None).await.expect("unassign");
    let f = alice
        .issue("ALPHA-7", &["assignee"], &[])
        .await
        .expect("issue")
        .fields;
    assert!(f.assignee.is_none());
    alice.assign("ALPHA-7", Some(BOB)).await.expect("assign");
    let f = alice
        .issue("ALPHA-7", &["assignee"], &[])
        .await
        .expect("issue")
        .fields;
    assert_eq!(f.assignee.map(|u| u.account_id), Some(BOB.to_owned()));
}

#[tokio::test]
async fn refused_edits_keep_jiras_message_per_field() {
    let (_server, alice) = alice().await;
    let errors = field_errors(
        alice
            .edit_issue(
                "ALPHA-2",
                &IssueUpdate::new()
                    .set("summary", "")
                    .set("duedate", "tomorrow")
                    .set("customfield_10016", "many")
                    .set("customfield_10001", json!({ "value": "Sales" }))
                    .set("description", "not a document")
                    .set("assignee", account(Some("acc-bot"))),
            )
            .await,
    );
    let expected: BTreeMap<String, String> = [
        ("summary", "You must specify a summary of the issue."),
        ("duedate", "Error parsing date string: tomorrow"),
        ("customfield_10016", "Operation value must be a number"),
        ("customfield_10001", "Option value 'Sales' is not valid"),
        (
            "description",
            "Operation value must be an Atlassian Document",
        ),
        ("assignee", "User 'acc-bot' cannot be assigned issues."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(errors, expected);
    let errors = field_errors(
        alice
            .edit_issue("ALPHA-2", &IssueUpdate::new().set("created", "2020-01-01"))
            .await,
    );
    assert_eq!(
        errors["created"],
        "Field 'created' cannot be set. It is not on the appropriate screen, or unknown."
    );
    let errors = field_errors(alice.assign("ALPHA-2", Some("nobody")).await);
    assert_eq!(
        errors["assignee"],
        "User 'nobody' cannot be assigned issues."
    );
    assert!(matches!(
        alice
            .edit_issue("NOPE-9", &IssueUpdate::new().set("summary", "x"))
            .await,
        Err(JiraError::NotFound { .. })
    ));
    // Keys that would change the URL never leave the process.
    assert!(matches!(
        alice.edit_issue("..", &IssueUpdate::new()).await,
        Err(JiraError::InvalidUrl { .. })
    ));
    assert!(matches!(
        alice.delete_comment("ALPHA-2", "../1").await,
        Err(JiraError::InvalidUrl { .. })
    ));
}

#[tokio::test]
async fn transitions_with_and_without_a_screen() {
    let (_server, alice) = alice().await;
    let available = alice.transitions("ALPHA-2").await.expect("transitions");
    let names: Vec<&str> = available.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["To Do", "Review", "Done"]);
    let done = available.iter().find(|t| t.name == "Done").expect("Done");
    assert!(done.has_screen);
    let resolution = &done.fields["resolution"];
    assert!(resolution.required);
    assert_eq!(resolution.allowed_values.len(), 3);

    // The screen's required field missing: Jira's message under the field.
    let errors = field_errors(
        alice
            .transition("ALPHA-2", &done.id, &BTreeMap::new(), None)
            .await,
    );
    assert_eq!(errors["resolution"], "Resolution is required.");

    let fields = BTreeMap::from([("resolution".to_owned(), json!({ "name": "Done" }))]);
    let comment = Adf::from_plain_text("Shipped in 2.0.");
    alice
        .transition("ALPHA-2", &done.id, &fields, Some(&comment))
        .await
        .expect("transition");
    let issue = alice
        .issue(
            "ALPHA-2",
            &["status", "resolution", "resolutiondate", "comment"],
            &[],
        )
        .await
        .expect("issue");
    assert_eq!(
        issue.fields.status.as_ref().map(|s| s.name.as_str()),
        Some("Done")
    );
    assert_eq!(
        issue.fields.resolution.as_ref().map(|r| r.name.as_str()),
        Some("Done")
    );
    assert!(issue.fields.resolutiondate.is_some());
    let last = issue
        .fields
        .comment
        .as_ref()
        .and_then(|page| page.comments.last())
        .expect("the comment");
    assert_eq!(last.body, comment);

    // Without a screen.
    let reopen = alice.transitions("ALPHA-2").await.expect("transitions");
    assert_eq!(reopen.len(), 2, "{reopen:?}");
    let back = reopen.iter().find(|t| t.name == "Reopen").expect("Reopen");
    assert!(!back.has_screen && back.fields.is_empty());
    alice
        .transition("ALPHA-2", &back.id, &BTreeMap::new(), None)
        .await
        .expect("reopen");
    let issue = alice
        .issue("ALPHA-2", &["status", "resolution"], &[])
        .await
        .expect("issue");
    assert_eq!(
        issue.fields.status.map(|s| s.name).as_deref(),
        Some("To Do")
    );
    assert!(issue.fields.resolution.is_none());
    match alice.transition("ALPHA-2", &done.id, &fields, None).await {
        Err(JiraError::Api {
            status: 400,
            messages,
            ..
        }) => {
            assert_eq!(
                messages,
                [format!(
                    "Transition id '{}' is not valid for this issue.",
                    done.id
                )]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn comments_add_edit_delete_and_someone_elses() {
    let (server, alice) = alice().await;
    let bob = client(&server, BOB_EMAIL, BOB_TOKEN);
    let body = Adf::from_value(json!({"type": "doc", "version": 1, "content": [
        {"type": "codeBlock", "attrs": {"language": "sh"}, "content": [{"type": "text", "text": "cargo test"}]}
    ]}));
    let added = alice
        .add_comment(
            "ALPHA-3",
            &body,
            Some(&CommentVisibility::role("Developers")),
        )
        .await
        .expect("added");
    assert_eq!(added.body, body);
    assert_eq!(
        added.author.as_ref().map(|a| a.account_id.as_str()),
        Some(ALICE)
    );
    assert_eq!(
        added.visibility.as_ref().map(|v| v.value.as_str()),
        Some("Developers")
    );

    let edited = alice
        .update_comment(
            "ALPHA-3",
            &added.id,
            &Adf::from_plain_text("Now public."),
            None,
        )
        .await
        .expect("edited");
    assert_eq!(edited.id, added.id);
    assert_eq!(edited.body, Adf::from_plain_text("Now public."));
    assert!(edited.visibility.is_none());
    assert!(edited.updated >= added.updated);

    // Bob may not touch Alice's comment: 403 with Jira's words.
    match bob
        .update_comment(
            "ALPHA-3",
            &added.id,
            &Adf::from_plain_text("mine now"),
            None,
        )
        .await
    {
        // A refused write names what it needs (see `jira::access`) and keeps Jira's words.
        Err(JiraError::Denied { messages, .. }) => {
            assert_eq!(
                messages,
                ["You do not have the permission to edit this comment."]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        bob.delete_comment("ALPHA-3", &added.id).await,
        Err(JiraError::Denied { .. })
    ));
    let errors = field_errors(
        alice
            .add_comment(
                "ALPHA-3",
                &Adf::default(),
                Some(&CommentVisibility::group("nope", None)),
            )
            .await,
    );
    assert_eq!(errors["comment"], "Comment body can not be empty!");
    assert_eq!(errors["commentLevel"], "Group 'nope' does not exist.");

    // A group of hers, by the id `my_groups` gives: Jira answers with name and id.
    let groups = alice.my_groups().await.expect("groups");
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        ["jira-administrators", "jira-software-users", "site-admins"]
    );
    let admins = &groups[0];
    let restricted = alice
        .add_comment(
            "ALPHA-3",
            &Adf::from_plain_text("Admins only."),
            Some(&CommentVisibility::group(
                "a stale name",
                admins.group_id.clone(),
            )),
        )
        .await
        .expect("restricted by id");
    let seen = restricted.visibility.expect("visibility");
    assert_eq!(
        (seen.kind.as_str(), seen.value.as_str()),
        ("group", "jira-administrators")
    );
    assert_eq!(seen.identifier, admins.group_id);
    alice
        .delete_comment("ALPHA-3", &restricted.id)
        .await
        .expect("deleted");

    alice
        .delete_comment("ALPHA-3", &added.id)
        .await
        .expect("deleted");
    let page = alice
        .comments("ALPHA-3", 0, 50, Default::default())
        .await
        .expect("comments");
    assert!(page.comments.is_empty());
    assert!(matches!(
        alice.delete_comment("ALPHA-3", &added.id).await,
        Err(JiraError::NotFound { .. })
    ));
}

#[tokio::test]
async fn assignable_users_and_labels() {
    let (_server, alice) = alice().await;
    let users = alice
        .assignable_users("ALPHA-2", "", 50)
        .await
        .expect("users");
    let names: Vec<String> = users.iter().map(|u| u.name()).collect();
    assert_eq!(names, ["Alice Archer", "Bob Builder", "Carol Chen"]);
    let users = alice
        .assignable_users("ALPHA-2", "car", 50)
        .await
        .expect("users");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].account_id, CAROL);
    assert_eq!(
        alice
            .assignable_users("ALPHA-2", "", 1)
            .await
            .expect("users")
            .len(),
        1
    );
    assert!(matches!(
        alice.assignable_users("NOPE-1", "", 5).await,
        Err(JiraError::NotFound { .. })
    ));

    let first = alice.labels(0, 5).await.expect("labels");
    assert_eq!(
        first.values,
        ["backend", "export", "frontend", "notifications", "payments"]
    );
    assert!(!first.is_last);
    assert_eq!(first.total, Some(8));
    let rest = alice.labels(5, 5).await.expect("labels");
    assert_eq!(rest.values, ["platform", "safari", "ui"]);
    assert!(rest.is_last);
}

#[tokio::test]
async fn create_from_the_create_metadata() {
    let (_server, alice) = alice().await;
    let types = alice.create_meta_issue_types("ALPHA").await.expect("types");
    let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Epic", "Story", "Bug", "Task", "Sub-task"]);
    let subtask = types.iter().find(|t| t.subtask).expect("a sub-task type");
    let fields = alice
        .create_meta_fields("ALPHA", &subtask.id)
        .await
        .expect("fields");
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .filter_map(|f| f.field_id.as_deref())
        .collect();
    assert_eq!(
        required,
        ["project", "summary", "issuetype", "parent", "reporter"]
    );
    let priority = fields
        .iter()
        .find(|f| f.field_id.as_deref() == Some("priority"))
        .expect("priority");
    assert!(priority.has_default_value);
    assert_eq!(
        priority.default_value.as_ref().map(|v| v["name"].clone()),
        Some(json!("Medium"))
    );

    let story = types.iter().find(|t| t.name == "Story").expect("story");
    let created = alice
        .create_issue(
            &IssueCreate::new("ALPHA", &story.id, "Export to PDF")
                .description(&Adf::from_plain_text("Like CSV."))
                .set("labels", json!(["export"])),
        )
        .await
        .expect("created");
    assert_eq!(created.key, "ALPHA-9");
    let sub = alice
        .create_issue(
            &IssueCreate::new("ALPHA", &subtask.id, "Pick a library").parent(&created.key),
        )
        .await
        .expect("created");
    assert_eq!(sub.key, "ALPHA-10");
    let parent = alice
        .issue(&created.key, &["subtasks", "labels"], &[])
        .await
        .expect("issue");
    assert_eq!(
        parent
            .fields
            .subtasks
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>(),
        ["ALPHA-10"]
    );
    assert_eq!(parent.fields.labels, ["export"]);

    let errors = field_errors(
        alice
            .create_issue(&IssueCreate::new("ALPHA", &subtask.id, " "))
            .await,
    );
    assert_eq!(
        errors["summary"],
        "You must specify a summary of the issue."
    );
    assert_eq!(
        errors["parent"],
        "Issue type is a sub-task but parent issue key or id not specified."
    );
}

#[tokio::test]
async fn a_write_is_sent_once_and_a_429_comes_back_unchanged() {
    let server = start(
        fixture::store(),
        ServerOptions {
            per_issue_writes: WriteLimit {
                max_writes: 1,
                window: Duration::from_secs(30),
            },
            ..ServerOptions::default()
        },
    )
    .await
    .expect("binds");
    let alice = client(&server, ALICE_EMAIL, ALICE_TOKEN);
    let path = "/rest/api/3/issue/ALPHA-5";
    alice
        .edit_issue("ALPHA-5", &IssueUpdate::new().set("summary", "First"))
        .await
        .expect("first edit");
    let refused = alice
        .edit_issue("ALPHA-5", &IssueUpdate::new().set("summary", "Second"))
        .await;
    match refused {
        Err(JiraError::RateLimited { retry_after }) => {
            let wait = retry_after.expect("Retry-After");
            assert!(
                wait > Duration::ZERO && wait <= Duration::from_secs(30),
                "{wait:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.request_count("PUT", path),
        2,
        "no retry of the refused write"
    );
    let summary = alice
        .issue("ALPHA-5", &["summary"], &[])
        .await
        .expect("issue")
        .fields
        .summary;
    assert_eq!(summary, "First", "Jira did not apply the refused write");
    // Comments and transitions fail the same way, once each.
    let comment = alice
        .add_comment("ALPHA-5", &Adf::from_plain_text("hi"), None)
        .await;
    assert!(matches!(comment, Err(JiraError::RateLimited { .. })));
    assert_eq!(
        server.request_count("POST", "/rest/api/3/issue/ALPHA-5/comment"),
        1
    );
    // A 400 is not retried either.
    let bad = alice
        .edit_issue("ALPHA-8", &IssueUpdate::new().set("summary", ""))
        .await;
    assert!(matches!(bad, Err(JiraError::Api { status: 400, .. })));
    assert_eq!(server.request_count("PUT", "/rest/api/3/issue/ALPHA-8"), 1);
}

#[test]
fn create_metadata_pages_accept_every_list_name_even_together() {
    let both = json!({
        "startAt": 0, "maxResults": 50, "total": 1,
        "issueTypes": [{ "id": "1", "name": "Bug" }],
        "createMetaIssueType": [{ "id": "1", "name": "Bug" }]
    });
    let page: CreateMetaIssueTypes = serde_json::from_value(both).expect("decodes");
    assert_eq!(page.issue_types.len(), 1);
    let legacy = json!({ "createMetaIssueType": [{ "id": "2", "name": "Task" }] });
    let page: CreateMetaIssueTypes = serde_json::from_value(legacy).expect("decodes");
    assert_eq!(page.issue_types[0].name, "Task");
    assert_eq!(page.total, 1);
    let dc = json!({ "isLast": true, "values": [{ "id": "3", "name": "Story" }] });
    let page: CreateMetaIssueTypes = serde_json::from_value(dc).expect("decodes");
    assert_eq!(page.issue_types[0].name, "Story");
    let fields = json!({
        "total": 2,
        "fields": [],
        "results": [
            { "fieldId": "summary", "key": "summary", "name": "Summary", "required": true, "operations": ["set"], "schema": { "type": "string" } },
            { "fieldId": "labels", "key": "labels", "name": "Labels", "required": false, "operations": ["add"], "schema": { "type": "array", "items": "string" } }
        ]
    });
    let page: CreateMetaFields = serde_json::from_value(fields).expect("decodes");
    assert_eq!(
        page.fields.len(),
        2,
        "an empty list does not hide a full one"
    );
    assert_eq!(page.fields[0].field_id.as_deref(), Some("summary"));
    let nothing: CreateMetaFields = serde_json::from_value(json!({})).expect("decodes");
    assert!(nothing.fields.is_empty());
}
