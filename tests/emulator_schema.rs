//! Every implemented operation of the emulator, called over loopback HTTP and validated,
//! operation by operation, against the response schema Atlassian's OpenAPI spec declares for
//! that operation and status code (tests/fixtures/openapi, validator in tests/support).
//!
//! Error responses: the spec declares no body schema for the 400/401/404 of these operations,
//! so their bodies are validated against `ErrorCollection`, the shape Jira uses for them; the
//! status itself must be one the spec lists for the operation.

mod support {
    pub mod fixture;
    pub mod openapi;
}

use std::sync::OnceLock;

use jtui::emulator::seed;
use serde_json::{Value, json};
use support::fixture::{self, Api};
use support::openapi::{Spec, Validator};

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        Spec::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/openapi/openapi-v3.json"
        ))
    })
}

/// The validator, with the few members real Cloud payloads carry but the spec omits.
fn validator() -> Validator<'static> {
    spec()
        .validator()
        // Real `GET /serverInfo` from Cloud has `defaultLocale` (ankitpokhrel/jira-cli
        // pkg/jira/testdata/serverinfo.json); the spec's ServerInformation lacks it.
        .allow_extra("ServerInformation", "defaultLocale")
        // Select options carry their `id` in real issues (andygrunwald/go-jira and the
        // Atlassian docs' issue examples); CustomFieldOption lists only self and value.
        .allow_extra("CustomFieldOption", "id")
        // The spec's own example of a createmeta 400 carries `httpStatusCode`
        // (`getCreateIssueMetaIssueTypes`, 400 example), which ErrorCollection omits.
        .allow_extra("ErrorCollection", "httpStatusCode")
}

/// One call: which spec operation it exercises, and the response status it must get.
struct Call {
    method: &'static str,
    spec_path: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    status: u16,
    /// The schema of a success body the spec declares without one (`editIssue`'s 200
    /// with `returnIssue=true` is the issue itself).
    undeclared_schema: Option<&'static str>,
}

fn get(
    spec_path: &'static str,
    path: impl Into<String>,
    query: &[(&'static str, &str)],
    status: u16,
) -> Call {
    Call {
        method: "get",
        spec_path,
        path: path.into(),
        query: query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        body: None,
        status,
        undeclared_schema: None,
    }
}

fn post(spec_path: &'static str, path: &str, body: Value, status: u16) -> Call {
    Call {
        method: "post",
        spec_path,
        path: path.to_owned(),
        query: Vec::new(),
        body: Some(body),
        status,
        undeclared_schema: None,
    }
}

fn put(spec_path: &'static str, path: &str, body: Value, status: u16) -> Call {
    Call {
        method: "put",
        ..post(spec_path, path, body, status)
    }
}

fn delete(spec_path: &'static str, path: &str, status: u16) -> Call {
    Call {
        method: "delete",
        body: None,
        ..post(spec_path, path, Value::Null, status)
    }
}

/// What the calls need to know about a store.
struct Setup {
    project: &'static str,
    project_id: u64,
    /// A saved filter the caller may see.
    filter_id: u64,
    /// An issue with comments, links, a parent and custom fields.
    rich_issue: String,
    auth: String,
    /// The caller's account id.
    account: &'static str,
    /// A transition available from the rich issue's status that needs no resolution.
    free_transition: String,
    /// The id the next comment added will get.
    next_comment: u64,
    /// A standard issue type of `project` that asks for nothing beyond a summary.
    task_type: u64,
}

impl Setup {
    /// What the write calls need to know about `store`.
    fn with_writes(mut self, store: &jtui::emulator::store::Store, task_type: u64) -> Self {
        let issue = store
            .issues
            .iter()
            .find(|i| i.key == self.rich_issue)
            .expect("the rich issue");
        self.free_transition = store
            .workflow
            .transitions
            .iter()
            .find(|t| {
                (t.from.is_empty() || t.from.contains(&issue.status_id))
                    && t.to != issue.status_id
                    && !t.screen_fields.iter().any(|f| f == "resolution")
            })
            .expect("a transition without a required field")
            .id
            .to_string();
        self.next_comment = store
            .issues
            .iter()
            .flat_map(|i| i.comments.iter().map(|c| c.id))
            .max()
            .unwrap_or(0)
            + 1;
        self.task_type = task_type;
        self
    }
}

fn calls(setup: &Setup) -> Vec<Call> {
    let issue = format!("/rest/api/3/issue/{}", setup.rich_issue);
    let comments = format!("{issue}/comment");
    let jql = format!("project = {} ORDER BY key", setup.project);
    let every_expand = "renderedFields,names,schema,transitions,editmeta,changelog,operations";
    let suggestions = "/rest/api/3/jql/autocompletedata/suggestions";
    let filter = format!("/rest/api/3/filter/{}", setup.filter_id);
    let every_filter_expand = "description,owner,jql,viewUrl,searchUrl,favourite,favouritedCount,sharePermissions,editPermissions,isWritable,approximateLastUsed,subscriptions";
    vec![
        get("/rest/api/3/serverInfo", "/rest/api/3/serverInfo", &[], 200),
        get(
            "/rest/api/3/project/{projectIdOrKey}/roledetails",
            format!("/rest/api/3/project/{}/roledetails", setup.project),
            &[("currentMember", "true")],
            200,
        ),
        get(
            "/rest/api/3/project/{projectIdOrKey}/roledetails",
            "/rest/api/3/project/NOPE/roledetails",
            &[],
            404,
        ),
        get("/rest/api/3/myself", "/rest/api/3/myself", &[], 200),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[(
                "permissions",
                "BROWSE_PROJECTS,EDIT_ISSUES,TRANSITION_ISSUES,ADD_COMMENTS,ASSIGN_ISSUES,CREATE_ISSUES",
            )],
            200,
        ),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[
                ("permissions", "ADMINISTER,EDIT_ISSUES"),
                ("projectKey", setup.project),
            ],
            200,
        ),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[],
            400,
        ),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[("permissions", "BROWSE")],
            400,
        ),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[("permissions", "EDIT_ISSUES"), ("projectKey", "NOPE")],
            404,
        ),
        get(
            "/rest/api/3/mypermissions",
            "/rest/api/3/mypermissions",
            &[("permissions", "EDIT_ISSUES"), ("issueKey", "NOPE-1")],
            404,
        ),
        get(
            "/rest/api/3/myself",
            "/rest/api/3/myself",
            &[("expand", "groups,applicationRoles")],
            200,
        ),
        get(
            "/rest/api/3/project/search",
            "/rest/api/3/project/search",
            &[],
            200,
        ),
        get(
            "/rest/api/3/project/search",
            "/rest/api/3/project/search",
            &[
                ("maxResults", "1"),
                ("expand", "description,lead,issueTypes,url,insight"),
            ],
            200,
        ),
        get(
            "/rest/api/3/project/search",
            "/rest/api/3/project/search",
            &[("orderBy", "owner")],
            400,
        ),
        get(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            &[("jql", &jql)],
            200,
        ),
        get(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            &[
                ("jql", &jql),
                ("fields", "*all"),
                ("expand", every_expand),
                ("maxResults", "20"),
            ],
            200,
        ),
        get(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            &[
                ("jql", &jql),
                ("fields", "*navigable"),
                ("expand", "versionedRepresentations"),
            ],
            200,
        ),
        get(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            &[("jql", "ORDER BY key")],
            400,
        ),
        get(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            &[("jql", "nope = 1")],
            400,
        ),
        post(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            json!({ "jql": jql, "fields": ["*all"], "expand": "names,schema,renderedFields", "maxResults": 30 }),
            200,
        ),
        post(
            "/rest/api/3/search/jql",
            "/rest/api/3/search/jql",
            json!({ "jql": "project = " }),
            400,
        ),
        post(
            "/rest/api/3/search/approximate-count",
            "/rest/api/3/search/approximate-count",
            json!({ "jql": jql }),
            200,
        ),
        post(
            "/rest/api/3/search/approximate-count",
            "/rest/api/3/search/approximate-count",
            json!({ "jql": "order by key" }),
            400,
        ),
        get("/rest/api/3/issue/{issueIdOrKey}", issue.clone(), &[], 200),
        get(
            "/rest/api/3/issue/{issueIdOrKey}",
            issue.clone(),
            &[("expand", every_expand)],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}",
            issue.clone(),
            &[
                ("expand", "versionedRepresentations"),
                ("fields", "summary,status"),
            ],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}",
            "/rest/api/3/issue/NOPE-404",
            &[],
            404,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            comments.clone(),
            &[],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            comments.clone(),
            &[("expand", "renderedBody"), ("orderBy", "-created")],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            comments,
            &[("orderBy", "author")],
            400,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            "/rest/api/3/issue/NOPE-404/comment",
            &[],
            404,
        ),
        get("/rest/api/3/priority", "/rest/api/3/priority", &[], 200),
        get("/rest/api/3/status", "/rest/api/3/status", &[], 200),
        get("/rest/api/3/field", "/rest/api/3/field", &[], 200),
        get(
            "/rest/api/3/jql/autocompletedata",
            "/rest/api/3/jql/autocompletedata",
            &[],
            200,
        ),
        post(
            "/rest/api/3/jql/autocompletedata",
            "/rest/api/3/jql/autocompletedata",
            json!({ "projectIds": [setup.project_id], "includeCollapsedFields": true }),
            200,
        ),
        post(
            "/rest/api/3/jql/autocompletedata",
            "/rest/api/3/jql/autocompletedata",
            json!({ "projectIds": "all" }),
            400,
        ),
        get(
            suggestions,
            suggestions,
            &[("fieldName", "status"), ("fieldValue", "in")],
            200,
        ),
        get(
            suggestions,
            suggestions,
            &[("fieldName", "assignee"), ("fieldValue", "")],
            200,
        ),
        get(
            suggestions,
            suggestions,
            &[
                ("fieldName", "reporter"),
                ("predicateName", "by"),
                ("predicateValue", "a"),
            ],
            200,
        ),
        get(suggestions, suggestions, &[("fieldValue", "in")], 400),
        get(
            "/rest/api/3/filter/favourite",
            "/rest/api/3/filter/favourite",
            &[],
            200,
        ),
        get(
            "/rest/api/3/filter/favourite",
            "/rest/api/3/filter/favourite",
            &[("expand", "sharedUsers,subscriptions")],
            200,
        ),
        get(
            "/rest/api/3/filter/my",
            "/rest/api/3/filter/my",
            &[("includeFavourites", "true")],
            200,
        ),
        get(
            "/rest/api/3/filter/search",
            "/rest/api/3/filter/search",
            &[],
            200,
        ),
        get(
            "/rest/api/3/filter/search",
            "/rest/api/3/filter/search",
            &[("expand", every_filter_expand), ("maxResults", "2")],
            200,
        ),
        get(
            "/rest/api/3/filter/search",
            "/rest/api/3/filter/search",
            &[("orderBy", "rank")],
            400,
        ),
        get("/rest/api/3/filter/{id}", filter.clone(), &[], 200),
        get(
            "/rest/api/3/filter/{id}",
            filter,
            &[("expand", "sharedUsers")],
            200,
        ),
        get(
            "/rest/api/3/filter/{id}",
            "/rest/api/3/filter/99999",
            &[],
            400,
        ),
    ]
    .into_iter()
    .chain(write_calls(setup))
    .collect()
}

/// The editing reads and the writes, last: they change the rich issue.
fn write_calls(setup: &Setup) -> Vec<Call> {
    let issue = format!("/rest/api/3/issue/{}", setup.rich_issue);
    let editmeta = format!("{issue}/editmeta");
    let transitions = format!("{issue}/transitions");
    let comments = format!("{issue}/comment");
    let new_comment = format!("{comments}/{}", setup.next_comment);
    let comment_op = "/rest/api/3/issue/{issueIdOrKey}/comment/{id}";
    let assignable = "/rest/api/3/user/assignable/search";
    let types_op = "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes";
    let types = format!("/rest/api/3/issue/createmeta/{}/issuetypes", setup.project);
    let fields_op = "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}";
    let issue_op = "/rest/api/3/issue/{issueIdOrKey}";
    let doc = |text: &str| {
        json!({"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": text}]}
        ]})
    };
    let mut returned = put(
        issue_op,
        &issue,
        json!({ "fields": { "summary": "Returned after the edit" } }),
        200,
    );
    returned.query = vec![("returnIssue", "true".to_owned())];
    returned.undeclared_schema = Some("IssueBean");
    vec![
        get(
            "/rest/api/3/issue/{issueIdOrKey}/editmeta",
            editmeta,
            &[],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/editmeta",
            "/rest/api/3/issue/NOPE-404/editmeta",
            &[],
            404,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/transitions",
            transitions.clone(),
            &[("expand", "transitions.fields")],
            200,
        ),
        get(
            "/rest/api/3/issue/{issueIdOrKey}/transitions",
            "/rest/api/3/issue/NOPE-404/transitions",
            &[],
            404,
        ),
        get(comment_op, format!("{comments}/99999999"), &[], 404),
        get(
            assignable,
            assignable,
            &[("issueKey", &setup.rich_issue), ("query", "a")],
            200,
        ),
        get(assignable, assignable, &[("project", setup.project)], 200),
        get(assignable, assignable, &[("query", "a")], 400),
        get(assignable, assignable, &[("issueKey", "NOPE-404")], 404),
        get("/rest/api/3/label", "/rest/api/3/label", &[], 200),
        get(
            "/rest/api/3/project/{projectIdOrKey}/role",
            format!("/rest/api/3/project/{}/role", setup.project),
            &[],
            200,
        ),
        get(
            "/rest/api/3/project/{projectIdOrKey}/role",
            "/rest/api/3/project/NOPE/role",
            &[],
            404,
        ),
        get("/rest/api/3/myself", "/rest/api/3/myself", &[], 200),
        get(
            "/rest/api/3/myself",
            "/rest/api/3/myself",
            &[("expand", "groups")],
            200,
        ),
        get(
            "/rest/api/3/user/groups",
            "/rest/api/3/user/groups",
            &[("accountId", setup.account)],
            200,
        ),
        get(
            "/rest/api/3/user/groups",
            "/rest/api/3/user/groups",
            &[("accountId", "nobody")],
            404,
        ),
        get(types_op, types.clone(), &[], 200),
        get(types_op, types.clone(), &[("maxResults", "500")], 400),
        get(fields_op, format!("{types}/{}", setup.task_type), &[], 200),
        get(fields_op, format!("{types}/99999"), &[], 400),
        put(
            issue_op,
            &issue,
            json!({ "fields": { "summary": "Edited" } }),
            204,
        ),
        returned,
        put(
            issue_op,
            &issue,
            json!({ "fields": { "summary": "" } }),
            400,
        ),
        put(
            issue_op,
            "/rest/api/3/issue/NOPE-404",
            json!({ "fields": {} }),
            404,
        ),
        put(
            "/rest/api/3/issue/{issueIdOrKey}/assignee",
            &format!("{issue}/assignee"),
            json!({ "accountId": null }),
            204,
        ),
        put(
            "/rest/api/3/issue/{issueIdOrKey}/assignee",
            &format!("{issue}/assignee"),
            json!({ "accountId": "nobody" }),
            400,
        ),
        post(
            "/rest/api/3/issue/{issueIdOrKey}/transitions",
            &transitions,
            json!({ "transition": { "id": "99999" } }),
            400,
        ),
        post(
            "/rest/api/3/issue/{issueIdOrKey}/transitions",
            &transitions,
            json!({ "transition": { "id": setup.free_transition } }),
            204,
        ),
        post(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            &comments,
            json!({ "body": doc("Added"), "visibility": { "type": "role", "value": "Administrators" } }),
            201,
        ),
        post(
            "/rest/api/3/issue/{issueIdOrKey}/comment",
            &comments,
            json!({ "body": "plain" }),
            400,
        ),
        get(
            comment_op,
            new_comment.clone(),
            &[("expand", "renderedBody")],
            200,
        ),
        put(
            comment_op,
            &new_comment,
            json!({ "body": doc("Edited") }),
            200,
        ),
        put(comment_op, &new_comment, json!({ "body": "plain" }), 400),
        delete(comment_op, &new_comment, 204),
        delete(comment_op, &new_comment, 404),
        post(
            "/rest/api/3/issue",
            "/rest/api/3/issue",
            json!({ "fields": {
                "project": { "key": setup.project },
                "issuetype": { "id": setup.task_type.to_string() },
                "summary": "Created by the schema test"
            } }),
            201,
        ),
        post(
            "/rest/api/3/issue",
            "/rest/api/3/issue",
            json!({ "fields": { "project": { "key": setup.project } } }),
            400,
        ),
    ]
}

async fn check_operations(store: jtui::emulator::store::Store, setup: Setup) {
    let server = fixture::serve(store).await;
    let api = Api::new(&server.base_url, Some(setup.auth.clone()));
    let anonymous = Api::new(&server.base_url, None);
    let validator = validator();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |label: String,
                     status: u16,
                     spec_path: &str,
                     method: &str,
                     body: &Value,
                     undeclared: Option<&str>| {
        checked += 1;
        if spec().response(spec_path, method, status).is_none() {
            failures.push(format!(
                "{label}: status {status} is not documented for this operation"
            ));
            return;
        }
        if status == 204 {
            if !body.is_null() {
                failures.push(format!("{label}: 204 with a body"));
            }
            return;
        }
        let violations = match (
            spec().response_schema(spec_path, method, status),
            undeclared,
        ) {
            (Some(schema), _) => validator.validate(schema, body),
            (None, Some(name)) => validator.validate_named(name, body),
            (None, None) => validator.validate_named("ErrorCollection", body),
        };
        for v in violations.iter().take(10) {
            failures.push(format!("{label}: {v}"));
        }
    };
    for call in calls(&setup) {
        let query: Vec<(&str, &str)> = call.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = api
            .request(call.method, &call.path, &query, call.body.as_ref())
            .await;
        let label = format!(
            "{} {} {:?}",
            call.method.to_uppercase(),
            call.path,
            call.query
        );
        assert_eq!(reply.status, call.status, "{label}: {}", reply.body);
        check(
            label,
            reply.status,
            call.spec_path,
            call.method,
            &reply.body,
            call.undeclared_schema,
        );
        // The same operation without credentials: 401, also a documented status. The
        // spec lists no 401 for `/label` (Jira serves labels anonymously where the site
        // allows it); the emulator has no anonymous access, so that one is not checked.
        if !matches!(
            call.spec_path,
            "/rest/api/3/serverInfo" | "/rest/api/3/label"
        ) && call.status == 200
        {
            let reply = anonymous
                .request(call.method, &call.path, &query, call.body.as_ref())
                .await;
            assert_eq!(reply.status, 401);
            check(
                format!("anonymous {} {}", call.method, call.path),
                401,
                call.spec_path,
                call.method,
                &reply.body,
                None,
            );
        }
    }
    // The removed search: the spec still lists it (200/400/401); 410 is what Cloud answers now.
    let gone = api
        .get("/rest/api/3/search", &[("jql", "project = X")])
        .await;
    assert_eq!(gone.status, 410);
    let violations = validator.validate_named("ErrorCollection", &gone.body);
    assert!(violations.is_empty(), "{violations:?}");
    // Editing someone else's comment: 403, which the spec does not list for this
    // operation (it names 400); the body is still Jira's ErrorCollection.
    let me = api.get("/rest/api/3/myself", &[]).await.body["accountId"].clone();
    let comments = format!("/rest/api/3/issue/{}/comment", setup.rich_issue);
    let page = api.get(&comments, &[]).await;
    let foreign = page.body["comments"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["author"]["accountId"] != me))
        .expect("a comment by someone else")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let body = json!({"body": {"type": "doc", "version": 1, "content": []}});
    let refused = api.put(&format!("{comments}/{foreign}"), &body).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let violations = validator.validate_named("ErrorCollection", &refused.body);
    assert!(violations.is_empty(), "{violations:?}");
    assert!(checked > 60, "{checked}");
    assert!(
        failures.is_empty(),
        "{} violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An issue of the demo store with a parent, links and comments: the richest shapes.
fn demo_setup(store: &jtui::emulator::store::Store) -> Setup {
    let rich = store
        .issues
        .iter()
        .find(|i| {
            i.parent.is_some()
                && !i.links.is_empty()
                && i.comments.len() > 1
                && !i.custom.is_empty()
        })
        .expect("the demo store has an issue with parent, links and comments");
    Setup {
        project: "NAV",
        project_id: store.projects[0].id,
        filter_id: store
            .filters
            .iter()
            .find(|f| f.shared && f.owner != seed::DEMO_ACCOUNT_ID)
            .expect("a colleague's shared filter")
            .id,
        rich_issue: rich.key.clone(),
        auth: fixture::basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
        account: seed::DEMO_ACCOUNT_ID,
        free_transition: String::new(),
        next_comment: 0,
        task_type: 0,
    }
    .with_writes(store, seed::TASK_TYPE_ID)
}

#[tokio::test]
async fn demo_store_responses_match_the_spec() {
    let store = seed::demo_store(seed::DEMO_ISSUE_COUNT);
    let setup = demo_setup(&store);
    check_operations(store, setup).await;
}

#[tokio::test]
async fn demo_issue_fields_match_their_component_schemas() {
    check_issue_fields(
        seed::demo_store(seed::DEMO_ISSUE_COUNT),
        fixture::basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
    )
    .await;
}

#[tokio::test]
async fn fixture_store_responses_match_the_spec() {
    let store = fixture::store();
    let setup = Setup {
        project: "ALPHA",
        project_id: 10000,
        filter_id: fixture::ALPHA_BUGS_FILTER,
        rich_issue: "ALPHA-2".into(),
        auth: fixture::basic(fixture::ALICE_EMAIL, fixture::ALICE_TOKEN),
        account: fixture::ALICE,
        free_transition: String::new(),
        next_comment: 0,
        task_type: 0,
    }
    .with_writes(&store, fixture::TASK);
    check_operations(store, setup).await;
}

/// `IssueBean.fields` is free-form in the spec, so the members are checked here against the
/// component schemas they are instances of.
fn field_schemas(field_id: &str, schema_type: Option<&str>) -> Option<(&'static str, bool)> {
    // (schema, is it an array of them)
    Some(match (field_id, schema_type) {
        ("status", _) => ("StatusDetails", false),
        ("priority", _) => ("Priority", false),
        ("issuetype", _) => ("IssueTypeDetails", false),
        ("project", _) => ("ProjectDetails", false),
        ("resolution", _) => ("Resolution", false),
        ("components", _) => ("ProjectComponent", true),
        ("fixVersions" | "versions", _) => ("Version", true),
        ("parent", _) => ("LinkedIssue", false),
        ("subtasks", _) => ("LinkedIssue", true),
        ("comment", _) => ("PageOfComments", false),
        ("attachment", _) => ("Attachment", true),
        ("votes", _) => ("Votes", false),
        ("watches", _) => ("Watchers", false),
        ("timetracking", _) => ("TimeTrackingDetails", false),
        ("worklog", _) => ("PageOfWorklogs", false),
        (_, Some("user")) => ("UserDetails", false),
        (_, Some("option")) => ("CustomFieldOption", false),
        _ => return None,
    })
}

async fn check_issue_fields(store: jtui::emulator::store::Store, auth: String) {
    let server = fixture::serve(store).await;
    let api = Api::new(&server.base_url, Some(auth));
    let validator = validator();
    let fields = api.get("/rest/api/3/field", &[]).await.body;
    let types: Vec<(String, Option<String>)> = fields
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().expect("id").to_owned(),
                f["schema"]["type"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut body =
            json!({ "jql": "created >= \"2000-01-01\"", "fields": ["*all"], "maxResults": 100 });
        if let Some(t) = &token {
            body["nextPageToken"] = json!(t);
        }
        let page = api.post("/rest/api/3/search/jql", &body).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for issue in page.body["issues"].as_array().expect("issues") {
            let key = issue["key"].as_str().unwrap_or("?");
            for (id, schema_type) in &types {
                let Some(value) = issue["fields"].get(id) else {
                    continue;
                };
                let Some((schema, many)) = field_schemas(id, schema_type.as_deref()) else {
                    continue;
                };
                if value.is_null() {
                    continue;
                }
                seen.insert(schema);
                let items: Vec<&Value> = if many {
                    value
                        .as_array()
                        .map(|a| a.iter().collect())
                        .unwrap_or_default()
                } else {
                    vec![value]
                };
                for item in items {
                    for v in validator.validate_named(schema, item).iter().take(3) {
                        failures.push(format!("{key}.{id} ({schema}): {v}"));
                    }
                }
            }
            for link in issue["fields"]["issuelinks"]
                .as_array()
                .into_iter()
                .flatten()
            {
                for v in validator.validate_named("IssueLinkType", &link["type"]) {
                    failures.push(format!("{key}.issuelinks.type: {v}"));
                }
                let other = link.get("outwardIssue").or_else(|| link.get("inwardIssue"));
                match other {
                    Some(other) => {
                        for v in validator.validate_named("LinkedIssue", other) {
                            failures.push(format!("{key}.issuelinks: {v}"));
                        }
                    }
                    None => failures.push(format!("{key}.issuelinks: neither side present")),
                }
            }
        }
        match page.body["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    for expected in [
        "StatusDetails",
        "UserDetails",
        "PageOfComments",
        "LinkedIssue",
        "CustomFieldOption",
    ] {
        assert!(
            seen.contains(expected),
            "no field checked against {expected}"
        );
    }
    failures.truncate(40);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn fixture_issue_fields_match_their_component_schemas() {
    check_issue_fields(
        fixture::store(),
        fixture::basic(fixture::ALICE_EMAIL, fixture::ALICE_TOKEN),
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// The validator must be able to fail.

#[test]
fn validator_rejects_wrong_types_and_extra_properties() {
    let v = spec().validator();
    assert!(
        v.validate_named("JQLCountResultsBean", &json!({ "count": 3 }))
            .is_empty()
    );
    let wrong = v.validate_named("JQLCountResultsBean", &json!({ "count": "3" }));
    assert_eq!(wrong.len(), 1);
    assert_eq!(wrong[0].path, "$.count");
    assert!(
        wrong[0].message.contains("expected integer"),
        "{}",
        wrong[0]
    );
    let float = v.validate_named("JQLCountResultsBean", &json!({ "count": 3.5 }));
    assert_eq!(float.len(), 1, "3.5 is not an integer");
    let extra = v.validate_named(
        "ErrorCollection",
        &json!({ "errorMessages": [], "errors": {}, "oops": 1 }),
    );
    assert_eq!(extra.len(), 1);
    assert!(
        extra[0]
            .message
            .contains("(ErrorCollection) unexpected property 'oops'"),
        "{}",
        extra[0]
    );
    let map = v.validate_named(
        "ErrorCollection",
        &json!({ "errorMessages": ["a"], "errors": { "summary": 5 } }),
    );
    assert_eq!(map[0].path, "$.errors.summary");
}

#[test]
fn validator_follows_refs_into_nested_paths() {
    let v = spec().validator();
    let page = json!({ "isLast": true, "values": [ { "id": "1", "key": "A" }, { "id": 5, "style": "weird" } ] });
    let violations = v.validate_named("PageBeanProject", &page);
    let paths: Vec<&str> = violations.iter().map(|x| x.path.as_str()).collect();
    assert_eq!(
        paths,
        ["$.values[1].id", "$.values[1].style"],
        "{violations:?}"
    );
    assert!(violations[1].message.contains("is not one of"));
    let missing = v.validate_named("JsonTypeBean", &json!({ "system": "x" }));
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]
            .message
            .contains("missing required property 'type'")
    );
    // allOf-wrapped refs (how the spec nests User in Project) are followed too.
    let lead = v.validate_named("Project", &json!({ "lead": { "accountType": "robot" } }));
    assert_eq!(lead.len(), 1);
    assert_eq!(lead[0].path, "$.lead.accountType");
}

#[test]
fn validator_handles_nullable_and_composition() {
    let v = spec().validator();
    // Visibility.identifier is nullable; Visibility.type is not.
    assert!(
        v.validate_named(
            "Visibility",
            &json!({ "type": "role", "value": "x", "identifier": null })
        )
        .is_empty()
    );
    assert_eq!(
        v.validate_named("Visibility", &json!({ "type": null }))
            .len(),
        1
    );
    let doc = Spec::from_value(json!({
        "components": { "schemas": {
            "A": { "type": "object", "required": ["a"], "properties": { "a": { "type": "string" } } },
            "B": { "type": "object", "required": ["b"], "properties": { "b": { "type": "integer" } } },
            "One": { "oneOf": [ { "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" } ] },
            "Any": { "anyOf": [ { "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" } ] },
            "Closed": { "type": "object", "additionalProperties": false, "properties": { "x": { "type": "string", "maxLength": 3 } } },
        } }
    }));
    let v = doc.validator();
    assert!(v.validate_named("One", &json!({ "a": "x" })).is_empty());
    assert_eq!(
        v.validate_named("One", &json!({ "a": "x", "b": 1 })).len(),
        1,
        "two oneOf matches"
    );
    assert_eq!(
        v.validate_named("One", &json!({ "c": 1 })).len(),
        1,
        "no oneOf match"
    );
    assert!(
        v.validate_named("Any", &json!({ "a": "x", "b": 1 }))
            .is_empty()
    );
    assert_eq!(v.validate_named("Any", &json!({})).len(), 1);
    assert_eq!(v.validate_named("Closed", &json!({ "x": "long" })).len(), 1);
    assert_eq!(v.validate_named("Closed", &json!({ "y": "1" })).len(), 1);
    assert!(
        v.clone()
            .allow_extra("Closed", "y")
            .validate_named("Closed", &json!({ "y": "1" }))
            .is_empty()
    );
    assert_eq!(
        v.validate_named("Missing", &json!({})).len(),
        1,
        "unresolvable refs fail"
    );
}

#[test]
fn spec_lookups_find_operations() {
    let schema = spec()
        .response_schema("/rest/api/3/search/jql", "get", 200)
        .expect("declared");
    assert_eq!(
        schema["$ref"],
        "#/components/schemas/SearchAndReconcileResults"
    );
    assert!(
        spec()
            .response("/rest/api/3/search/jql", "get", 400)
            .is_some()
    );
    assert!(
        spec()
            .response_schema("/rest/api/3/search/jql", "get", 400)
            .is_none()
    );
    assert!(
        spec()
            .response("/rest/api/3/search/jql", "get", 418)
            .is_none()
    );
}
