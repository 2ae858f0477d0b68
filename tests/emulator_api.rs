//! The emulator's REST API over real loopback HTTP, read as plain JSON: every operation,
//! authentication, pagination, field selection and the error bodies.

mod support {
    pub mod fixture;
}

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jtui::emulator::server::{ServerOptions, start};
use serde_json::{Value, json};
use support::fixture::{self, ALICE, Api, BOB_EMAIL, BOB_TOKEN, basic};

const UNAUTHENTICATED: &str =
    "You are not authenticated. Authentication required to perform this operation.";
const UNBOUNDED: &str =
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";

fn error_body(message: &str) -> Value {
    json!({ "errorMessages": [message], "errors": {} })
}

fn keys_of(body: &Value) -> Vec<String> {
    body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["key"].as_str().expect("key").to_owned())
        .collect()
}

#[tokio::test]
async fn server_info_is_anonymous() {
    let server = fixture::serve(fixture::store()).await;
    let reply = Api::new(&server.base_url, None)
        .get("/rest/api/3/serverInfo", &[])
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["deploymentType"], "Cloud");
    assert_eq!(reply.body["baseUrl"], server.base_url.as_str());
    assert_eq!(reply.body["versionNumbers"], json!([1001, 0, 0]));
    assert_eq!(
        reply.headers["content-type"],
        "application/json;charset=UTF-8"
    );
}

#[tokio::test]
async fn myself_hides_hidden_emails() {
    let server = fixture::serve(fixture::store()).await;
    let alice = Api::alice(&server.base_url)
        .get("/rest/api/3/myself", &[("expand", "groups")])
        .await;
    assert_eq!(alice.status, 200);
    assert_eq!(alice.body["accountId"], ALICE);
    assert_eq!(alice.body["emailAddress"], fixture::ALICE_EMAIL);
    assert_eq!(alice.body["displayName"], "Alice Archer");
    assert_eq!(alice.body["accountType"], "atlassian");
    // The fixture configures no membership, so everyone is in the site's default groups;
    // expanded, they are listed.
    assert_eq!(alice.body["groups"]["size"], 3);
    let names: Vec<&str> = alice.body["groups"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["jira-administrators", "jira-software-users", "site-admins"]
    );
    let plain = Api::alice(&server.base_url)
        .get("/rest/api/3/myself", &[])
        .await;
    assert_eq!(plain.body["groups"], json!({"size": 3, "items": []}));
    for size in ["16x16", "24x24", "32x32", "48x48"] {
        assert!(
            alice.body["avatarUrls"][size]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
    }
    assert_eq!(
        alice.body["self"],
        format!("{}/rest/api/3/user?accountId={ALICE}", server.base_url)
    );
    let bob = Api::new(&server.base_url, Some(basic(BOB_EMAIL, BOB_TOKEN)))
        .get("/rest/api/3/myself", &[])
        .await;
    assert_eq!(bob.status, 200);
    assert_eq!(bob.body["accountId"], fixture::BOB);
    assert!(bob.body.get("emailAddress").is_none(), "{}", bob.body);
}

#[tokio::test]
async fn every_route_but_server_info_requires_credentials() {
    let server = fixture::serve(fixture::store()).await;
    let anonymous = Api::new(&server.base_url, None);
    let wrong = Api::new(&server.base_url, Some(basic(fixture::ALICE_EMAIL, "wrong")));
    let garbage = Api::new(&server.base_url, Some("Basic !!!not-base64".into()));
    let bearer = Api::new(&server.base_url, Some("Bearer abc".into()));
    let gets = [
        "/rest/api/3/myself",
        "/rest/api/3/project/search",
        "/rest/api/3/search/jql?jql=project%3DALPHA",
        "/rest/api/3/issue/ALPHA-1",
        "/rest/api/3/issue/ALPHA-1/comment",
        "/rest/api/3/priority",
        "/rest/api/3/status",
        "/rest/api/3/field",
        "/ex/jira/some-cloud/rest/api/3/myself",
    ];
    for (api, failed) in [
        (&anonymous, false),
        (&wrong, true),
        (&garbage, true),
        (&bearer, true),
    ] {
        for path in gets {
            let reply = api.get(path, &[]).await;
            assert_eq!(reply.status, 401, "{path}");
            assert_eq!(reply.body, error_body(UNAUTHENTICATED), "{path}");
            let challenge = reply.headers["www-authenticate"].to_str().expect("ascii");
            assert!(
                challenge.starts_with("OAuth realm=\"http%3A%2F%2F127.0.0.1"),
                "{challenge}"
            );
            assert_eq!(
                reply.headers.contains_key("x-seraph-loginreason"),
                failed,
                "{path}"
            );
        }
        let reply = api
            .post(
                "/rest/api/3/search/jql",
                &json!({ "jql": "project = ALPHA" }),
            )
            .await;
        assert_eq!(reply.status, 401);
        let reply = api
            .post(
                "/rest/api/3/search/approximate-count",
                &json!({ "jql": "project = ALPHA" }),
            )
            .await;
        assert_eq!(reply.status, 401);
    }
    // The email is matched case-insensitively, the token exactly.
    let shouty = Api::new(
        &server.base_url,
        Some(basic("ALICE@EXAMPLE.COM", fixture::ALICE_TOKEN)),
    );
    assert_eq!(shouty.get("/rest/api/3/myself", &[]).await.status, 200);
}

#[tokio::test]
async fn gateway_prefix_serves_the_same_api_with_gateway_links() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let reply = api
        .get(
            "/ex/jira/6d1c5e2a/rest/api/3/issue/ALPHA-2",
            &[("fields", "summary,status")],
        )
        .await;
    assert_eq!(reply.status, 200);
    let gateway = format!("{}/ex/jira/6d1c5e2a/rest/api/3", server.base_url);
    assert_eq!(reply.body["self"], format!("{gateway}/issue/20002"));
    assert!(
        reply.body["fields"]["status"]["self"]
            .as_str()
            .is_some_and(|s| s.starts_with(&gateway))
    );
    let tenant = Api::new(&server.base_url, None)
        .get("/_edge/tenant_info", &[])
        .await;
    assert_eq!(tenant.status, 200);
    assert!(
        tenant.body["cloudId"]
            .as_str()
            .is_some_and(|id| id.len() == 36)
    );
}

#[tokio::test]
async fn project_search_pages_filters_and_expands() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let all = api.get("/rest/api/3/project/search", &[]).await;
    assert_eq!(all.status, 200);
    assert_eq!(all.body["total"], 2);
    assert_eq!(all.body["startAt"], 0);
    assert_eq!(all.body["maxResults"], 50);
    assert_eq!(all.body["isLast"], true);
    assert!(all.body.get("nextPage").is_none());
    let keys: Vec<&str> = all.body["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|p| p["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["ALPHA", "BETA"]);
    let alpha = &all.body["values"][0];
    assert_eq!(alpha["id"], "10000");
    assert_eq!(alpha["projectTypeKey"], "software");
    assert_eq!(alpha["projectCategory"]["name"], "Engineering");
    assert!(alpha.get("lead").is_none() && alpha.get("description").is_none());

    // Offset pages, following `nextPage`.
    let first = api
        .get("/rest/api/3/project/search", &[("maxResults", "1")])
        .await;
    assert_eq!(first.body["isLast"], false);
    assert_eq!(first.body["values"][0]["key"], "ALPHA");
    let next = first.body["nextPage"].as_str().expect("nextPage");
    let path = next.strip_prefix(&server.base_url).expect("absolute link");
    let second = api.get(path, &[]).await;
    assert_eq!(second.body["startAt"], 1);
    assert_eq!(second.body["isLast"], true);
    assert_eq!(second.body["values"][0]["key"], "BETA");

    // Filters, ordering, caps, expansions.
    let query = |q: &'static str| [("query", q)];
    for (q, expected) in [
        ("beta", vec!["BETA"]),
        ("PLAT", vec!["ALPHA"]),
        ("zzz", vec![]),
    ] {
        let reply = api.get("/rest/api/3/project/search", &query(q)).await;
        let got: Vec<&str> = reply.body["values"]
            .as_array()
            .expect("values")
            .iter()
            .map(|p| p["key"].as_str().expect("key"))
            .collect();
        assert_eq!(got, expected, "{q}");
    }
    let by_name = api
        .get(
            "/rest/api/3/project/search",
            &[("orderBy", "-name"), ("maxResults", "500")],
        )
        .await;
    assert_eq!(by_name.body["values"][0]["key"], "BETA");
    assert_eq!(by_name.body["maxResults"], 100);
    let keys = api
        .get(
            "/rest/api/3/project/search",
            &[("keys", "BETA"), ("keys", "nope")],
        )
        .await;
    assert_eq!(keys.body["total"], 1);
    let expanded = api
        .get(
            "/rest/api/3/project/search",
            &[("expand", "description,lead,issueTypes,insight")],
        )
        .await;
    let alpha = &expanded.body["values"][0];
    assert_eq!(alpha["description"], "The payments platform.");
    assert_eq!(alpha["lead"]["accountId"], ALICE);
    assert_eq!(alpha["issueTypes"].as_array().map(Vec::len), Some(5));
    assert_eq!(alpha["insight"]["totalIssueCount"], 8);
    let bad = api
        .get("/rest/api/3/project/search", &[("orderBy", "owner,key")])
        .await;
    assert_eq!(bad.status, 400);
    let bad = api
        .get("/rest/api/3/project/search", &[("startAt", "x")])
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn search_returns_ids_only_by_default_and_no_totals() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let reply = api
        .get(
            "/rest/api/3/search/jql",
            &[("jql", "project = BETA ORDER BY key")],
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        json!({
            "issues": [{"id": "20101"}, {"id": "20102"}, {"id": "20103"}, {"id": "20110"}],
            "isLast": true,
        })
    );
    let explicit = api
        .get(
            "/rest/api/3/search/jql",
            &[("jql", "project = BETA"), ("fields", "id")],
        )
        .await;
    assert!(
        explicit.body["issues"][0]
            .as_object()
            .is_some_and(|o| o.len() == 1)
    );
    // `names` sits beside the issues and leaves them id-only.
    let names = api
        .get(
            "/rest/api/3/search/jql",
            &[("jql", "key = BETA-1"), ("expand", "names")],
        )
        .await;
    assert_eq!(names.body["issues"], json!([{ "id": "20101" }]));
    assert_eq!(names.body["names"], json!({}));
}

#[tokio::test]
async fn search_field_selection_follows_jira_rules() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let fields_of = |reply: &fixture::Reply| -> HashSet<String> {
        reply.body["issues"][0]["fields"]
            .as_object()
            .expect("fields")
            .keys()
            .cloned()
            .collect()
    };
    let set = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<HashSet<_>>();
    let jql = ("jql", "key = ALPHA-2");

    // Repeated parameters and comma lists combine.
    let named = api
        .get(
            "/rest/api/3/search/jql",
            &[
                jql,
                ("fields", "summary"),
                ("fields", "status,customfield_10016"),
            ],
        )
        .await;
    assert_eq!(
        fields_of(&named),
        set(&["summary", "status", "customfield_10016"])
    );
    let issue = &named.body["issues"][0];
    assert_eq!(issue["key"], "ALPHA-2");
    assert_eq!(issue["id"], "20002");
    assert_eq!(
        issue["self"],
        format!("{}/rest/api/3/issue/20002", server.base_url)
    );
    assert!(issue["expand"].is_string());

    // `key` alone: the envelope with empty fields.
    let key_only = api
        .get("/rest/api/3/search/jql", &[jql, ("fields", "key")])
        .await;
    assert_eq!(fields_of(&key_only), set(&[]));

    let all = api
        .get("/rest/api/3/search/jql", &[jql, ("fields", "*all")])
        .await;
    let all_fields = fields_of(&all);
    for expected in [
        "summary",
        "comment",
        "attachment",
        "worklog",
        "customfield_10016",
        "parent",
        "subtasks",
    ] {
        assert!(all_fields.contains(expected), "*all lacks {expected}");
    }
    let without = api
        .get(
            "/rest/api/3/search/jql",
            &[jql, ("fields", "*all,-comment,-customfield_10016")],
        )
        .await;
    let without = fields_of(&without);
    assert!(!without.contains("comment") && !without.contains("customfield_10016"));
    assert_eq!(without.len() + 2, all_fields.len());

    let navigable = fields_of(
        &api.get("/rest/api/3/search/jql", &[jql, ("fields", "*navigable")])
            .await,
    );
    assert!(navigable.contains("summary") && navigable.contains("assignee"));
    for hidden in ["comment", "attachment", "worklog", "timetracking"] {
        assert!(!navigable.contains(hidden), "*navigable has {hidden}");
    }

    // POST takes an array, and expand as a string; names/schema sit beside the issues.
    let posted = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": "key = ALPHA-2", "fields": ["summary", "customfield_10016"], "expand": "names,schema" }),
        )
        .await;
    assert_eq!(posted.status, 200);
    assert_eq!(fields_of(&posted), set(&["summary", "customfield_10016"]));
    assert_eq!(
        posted.body["names"],
        json!({ "summary": "Summary", "customfield_10016": "Story Points" })
    );
    assert_eq!(
        posted.body["schema"]["summary"],
        json!({ "type": "string", "system": "summary" })
    );
    assert_eq!(
        posted.body["schema"]["customfield_10016"]["customId"],
        10016
    );
    assert!(posted.body["issues"][0].get("names").is_none());
}

/// A store big enough for page caps: the fixture's issues repeated.
fn big_store(count: usize) -> jtui::emulator::store::Store {
    let mut store = fixture::store();
    let template = store.issues.clone();
    store.issues.clear();
    for n in 0..count {
        let mut issue = template[n % template.len()].clone();
        issue.id = 100_000 + n as u64;
        issue.key = format!("ALPHA-{}", n + 1);
        issue.project_id = 10000;
        issue.parent = None;
        issue.links.clear();
        store.issues.push(issue);
    }
    store
}

#[tokio::test]
async fn search_pages_through_tokens_without_gaps_or_duplicates() {
    const ISSUES: usize = 237;
    let server = fixture::serve(big_store(ISSUES)).await;
    let api = Api::alice(&server.base_url);
    let jql = "project = ALPHA ORDER BY key ASC";
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = vec![
            ("jql", jql.to_owned()),
            ("maxResults", "50".to_owned()),
            ("fields", "key".to_owned()),
        ];
        if let Some(t) = &token {
            query.push(("nextPageToken", t.clone()));
        }
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = api.get("/rest/api/3/search/jql", &query).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        for absent in ["total", "startAt", "maxResults"] {
            assert!(reply.body.get(absent).is_none(), "{absent} present");
        }
        pages += 1;
        seen.extend(keys_of(&reply.body));
        let last = reply.body["isLast"].as_bool().expect("isLast");
        match reply.body.get("nextPageToken") {
            Some(t) => {
                assert!(!last);
                token = Some(t.as_str().expect("string token").to_owned());
            }
            None => {
                assert!(last);
                break;
            }
        }
    }
    assert_eq!(pages, 5);
    let expected: Vec<String> = (1..=ISSUES).map(|n| format!("ALPHA-{n}")).collect();
    assert_eq!(seen, expected);

    // A token is bound to its query.
    let first = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": jql, "maxResults": 10 }),
        )
        .await;
    let token = first.body["nextPageToken"].as_str().expect("token");
    let other = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": "project = ALPHA ORDER BY key DESC", "nextPageToken": token }),
        )
        .await;
    assert_eq!(other.status, 400);
    assert_eq!(other.body["errors"], json!({}));
    let garbage = api
        .get(
            "/rest/api/3/search/jql",
            &[("jql", jql), ("nextPageToken", "bm90LWEtdG9rZW4")],
        )
        .await;
    assert_eq!(garbage.status, 400);
    let same = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": jql, "nextPageToken": token, "maxResults": 10 }),
        )
        .await;
    // The token carries the offset only: page size and fields may change between pages.
    assert_eq!(same.body["issues"].as_array().map(Vec::len), Some(10));
    assert_eq!(
        same.body["issues"][0],
        json!({ "id": "100010" }),
        "fields default to id only"
    );
}

#[tokio::test]
async fn search_page_sizes_follow_jira_limits() {
    const ISSUES: usize = 260;
    let server = fixture::serve(big_store(ISSUES)).await;
    let api = Api::alice(&server.base_url);
    let count = |reply: &fixture::Reply| reply.body["issues"].as_array().map(Vec::len);
    let default = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": "project = ALPHA" }),
        )
        .await;
    assert_eq!(count(&default), Some(50));
    // Ids only: up to 5000 a page.
    let ids = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": "project = ALPHA", "maxResults": 5000 }),
        )
        .await;
    assert_eq!(count(&ids), Some(ISSUES));
    assert_eq!(ids.body["isLast"], true);
    // With fields, pages are capped at 100.
    let with_fields = api
        .post(
            "/rest/api/3/search/jql",
            &json!({ "jql": "project = ALPHA", "maxResults": 1000, "fields": ["summary"] }),
        )
        .await;
    assert_eq!(count(&with_fields), Some(100));
    assert_eq!(with_fields.body["isLast"], false);
    for bad in [0, -1, 5001] {
        let reply = api
            .post(
                "/rest/api/3/search/jql",
                &json!({ "jql": "project = ALPHA", "maxResults": bad }),
            )
            .await;
        assert_eq!(reply.status, 400, "{bad}");
    }
}

#[tokio::test]
async fn search_and_count_reject_bad_or_unbounded_jql() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    for jql in ["ORDER BY key DESC", "", "   "] {
        let reply = api
            .post("/rest/api/3/search/jql", &json!({ "jql": jql }))
            .await;
        assert_eq!(reply.status, 400, "{jql:?}");
        assert_eq!(reply.body, error_body(UNBOUNDED));
        let count = api
            .post(
                "/rest/api/3/search/approximate-count",
                &json!({ "jql": jql }),
            )
            .await;
        assert_eq!(count.status, 400);
        assert_eq!(count.body, error_body(UNBOUNDED));
    }
    let missing = api.get("/rest/api/3/search/jql", &[]).await;
    assert_eq!(missing.body, error_body(UNBOUNDED));
    let syntax = api
        .post(
            "/rest/api/3/search/approximate-count",
            &json!({ "jql": "project = = ALPHA" }),
        )
        .await;
    assert_eq!(syntax.status, 400);
    assert!(
        syntax.body["errorMessages"][0]
            .as_str()
            .is_some_and(|m| m.starts_with("Error in the JQL Query: "))
    );
    let count = api
        .post(
            "/rest/api/3/search/approximate-count",
            &json!({ "jql": "project = ALPHA" }),
        )
        .await;
    assert_eq!(count.body, json!({ "count": 8 }));
}

#[tokio::test]
async fn post_search_reads_only_a_json_body() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    // Parameters in the query string of a POST are ignored.
    let reply = api
        .post("/rest/api/3/search/jql?jql=project%3DALPHA", &json!({}))
        .await;
    assert_eq!(reply.body, error_body(UNBOUNDED));
    let wrong_type = api
        .post_raw(
            "/rest/api/3/search/jql",
            Some("text/plain"),
            "{\"jql\":\"project = ALPHA\"}",
        )
        .await;
    assert_eq!(wrong_type.status, 415);
    let no_type = api
        .post_raw(
            "/rest/api/3/search/jql",
            None,
            "{\"jql\":\"project = ALPHA\"}",
        )
        .await;
    assert_eq!(no_type.status, 415);
    for body in [
        "{not json",
        "[1,2]",
        "{\"jql\": 5}",
        "{\"jql\":\"project = ALPHA\",\"fields\":\"summary\"}",
    ] {
        let reply = api
            .post_raw("/rest/api/3/search/jql", Some("application/json"), body)
            .await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(
            reply.body,
            error_body(
                "Invalid request payload. Refer to the REST API documentation and try again."
            )
        );
    }
}

#[tokio::test]
async fn get_issue_renders_every_field_kind() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let base = format!("{}/rest/api/3", server.base_url);
    let reply = api.get("/rest/api/3/issue/ALPHA-2", &[]).await;
    assert_eq!(reply.status, 200);
    let issue = &reply.body;
    assert_eq!(issue["id"], "20002");
    assert_eq!(issue["key"], "ALPHA-2");
    assert_eq!(issue["self"], format!("{base}/issue/20002"));
    let f = &issue["fields"];
    assert_eq!(f["summary"], "Login page fails on Safari");
    assert_eq!(f["description"]["type"], "doc");
    assert_eq!(f["environment"], Value::Null);
    assert_eq!(f["created"], "2024-05-01T10:00:00.000+0200");
    assert_eq!(f["duedate"], "2024-05-20");
    assert_eq!(f["resolution"], Value::Null);
    assert_eq!(
        f["status"]["statusCategory"],
        json!({ "self": format!("{base}/statuscategory/4"), "id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress" })
    );
    assert_eq!(f["status"]["id"], "3");
    assert_eq!(f["priority"]["name"], "Highest");
    assert_eq!(f["priority"]["id"], "1");
    assert_eq!(f["issuetype"]["name"], "Story");
    assert_eq!(f["issuetype"]["subtask"], false);
    assert_eq!(f["issuetype"]["hierarchyLevel"], 0);
    assert_eq!(f["project"]["key"], "ALPHA");
    assert_eq!(f["project"]["id"], "10000");
    assert_eq!(f["assignee"]["accountId"], fixture::BOB);
    assert!(f["assignee"].get("emailAddress").is_none());
    assert_eq!(f["reporter"]["emailAddress"], fixture::ALICE_EMAIL);
    assert_eq!(f["labels"], json!(["frontend", "safari"]));
    assert_eq!(f["components"][0]["name"], "Frontend");
    assert_eq!(f["fixVersions"][0]["name"], "2.0");
    assert_eq!(f["versions"][0]["released"], true);
    assert_eq!(f["parent"]["key"], "ALPHA-1");
    assert_eq!(f["parent"]["fields"]["issuetype"]["name"], "Epic");
    assert_eq!(f["parent"]["fields"]["summary"], "Payments platform");
    assert_eq!(f["subtasks"].as_array().map(Vec::len), Some(1));
    assert_eq!(f["subtasks"][0]["key"], "ALPHA-4");
    let link = &f["issuelinks"][0];
    assert_eq!(link["type"]["name"], "Blocks");
    assert_eq!(link["type"]["outward"], "blocks");
    assert_eq!(link["outwardIssue"]["key"], "ALPHA-3");
    assert!(link.get("inwardIssue").is_none());
    assert_eq!(f["comment"]["total"], 3);
    assert_eq!(f["comment"]["startAt"], 0);
    assert_eq!(f["comment"]["self"], format!("{base}/issue/20002/comment"));
    assert_eq!(f["comment"]["comments"][1]["visibility"]["type"], "role");
    assert_eq!(f["attachment"][0]["filename"], "safari.png");
    assert_eq!(f["attachment"][0]["id"], "60001");
    assert_eq!(
        f["watches"],
        json!({ "self": format!("{base}/issue/ALPHA-2/watchers"), "watchCount": 2, "isWatching": true })
    );
    assert_eq!(f["votes"]["votes"], 1);
    assert_eq!(
        f["timetracking"],
        json!({ "originalEstimate": "1d", "originalEstimateSeconds": 28800, "remainingEstimate": "6h", "remainingEstimateSeconds": 21600, "timeSpent": "2h", "timeSpentSeconds": 7200 })
    );
    assert_eq!(f["worklog"]["worklogs"], json!([]));
    assert_eq!(f["customfield_10016"], 5.0);
    assert_eq!(f["customfield_10020"][0]["name"], "ALPHA Sprint 1");
    assert_eq!(f["customfield_10020"][0]["state"], "closed");
    assert_eq!(f["customfield_10020"][1]["state"], "active");
    assert_eq!(
        f["customfield_10001"],
        json!({ "self": format!("{base}/customFieldOption/10100"), "value": "Platform", "id": "10100" })
    );
    assert_eq!(f["customfield_10050"]["displayName"], "Carol Chen");
    assert_eq!(f["customfield_10015"], "2024-05-02");
    assert_eq!(f["customfield_10040"], Value::Null);
    // Issues without a parent have no `parent` member at all.
    let epic = api.get("/rest/api/3/issue/ALPHA-1", &[]).await;
    assert!(epic.body["fields"].get("parent").is_none());
    // By id and in any case.
    for id in ["20002", "alpha-2"] {
        let same = api
            .get(&format!("/rest/api/3/issue/{id}"), &[("fields", "summary")])
            .await;
        assert_eq!(same.body["key"], "ALPHA-2", "{id}");
        assert_eq!(same.body["fields"].as_object().map(|o| o.len()), Some(1));
    }
}

#[tokio::test]
async fn get_issue_expansions() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let reply = api
        .get(
            "/rest/api/3/issue/ALPHA-2",
            &[(
                "expand",
                "renderedFields,names,schema,transitions,editmeta,changelog,operations",
            )],
        )
        .await;
    assert_eq!(reply.status, 200);
    let issue = &reply.body;
    assert_eq!(
        issue["renderedFields"]["description"],
        "<p>Users cannot log in when using Safari. The login button does nothing.</p>"
    );
    assert_eq!(issue["renderedFields"]["created"], "01/May/24 10:00 AM");
    assert_eq!(issue["renderedFields"]["updated"], "Yesterday 4:00 PM");
    assert_eq!(issue["renderedFields"]["summary"], Value::Null);
    assert_eq!(issue["names"]["customfield_10016"], "Story Points");
    assert_eq!(issue["names"]["summary"], "Summary");
    assert_eq!(
        issue["schema"]["customfield_10020"],
        json!({ "type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint", "customId": 10020 })
    );
    let transitions: Vec<&str> = issue["transitions"]
        .as_array()
        .expect("transitions")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(transitions, ["11", "31", "41"]);
    assert_eq!(issue["transitions"][2]["to"]["name"], "Done");
    assert_eq!(issue["transitions"][2]["hasScreen"], true);
    assert_eq!(issue["transitions"][0]["isGlobal"], true);
    let meta = &issue["editmeta"]["fields"];
    assert_eq!(
        meta["priority"]["allowedValues"].as_array().map(Vec::len),
        Some(5)
    );
    assert_eq!(
        meta["labels"]["operations"],
        json!(["add", "set", "remove"])
    );
    assert_eq!(meta["summary"]["required"], true);
    assert_eq!(
        meta["customfield_10001"]["allowedValues"][1]["value"],
        "Mobile"
    );
    // Story, Bug and Task: an edit keeps the issue on its hierarchy level (no Epic).
    assert_eq!(
        meta["issuetype"]["allowedValues"].as_array().map(Vec::len),
        Some(3)
    );
    assert!(meta.get("created").is_none());
    let histories = &issue["changelog"]["histories"];
    assert_eq!(issue["changelog"]["total"], 2);
    assert_eq!(histories[0]["id"], "50001", "most recent first");
    assert_eq!(histories[0]["items"][0]["fieldId"], "status");
    assert_eq!(histories[0]["items"][0]["toString"], "In Progress");
    assert_eq!(histories[1]["items"][0]["fieldId"], "customfield_10020");
    assert!(histories[1]["items"][0].get("from").is_none());
    assert!(
        issue["operations"]["linkGroups"]
            .as_array()
            .is_some_and(|g| !g.is_empty())
    );
}

#[tokio::test]
async fn missing_issues_are_404_with_jiras_text() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    for path in [
        "/rest/api/3/issue/ALPHA-999",
        "/rest/api/3/issue/nonsense",
        "/rest/api/3/issue/999/comment",
    ] {
        let reply = api.get(path, &[]).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.body,
            error_body("Issue does not exist or you do not have permission to see it.")
        );
    }
}

#[tokio::test]
async fn comments_page_and_order() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let ids = |reply: &fixture::Reply| -> Vec<String> {
        reply.body["comments"]
            .as_array()
            .expect("comments")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let path = "/rest/api/3/issue/ALPHA-2/comment";
    let all = api.get(path, &[]).await;
    assert_eq!(all.status, 200);
    assert_eq!(all.body["maxResults"], 100);
    assert_eq!(all.body["total"], 3);
    assert_eq!(ids(&all), ["30001", "30002", "30003"]);
    let c = &all.body["comments"][1];
    assert_eq!(c["author"]["accountId"], fixture::BOB);
    assert_eq!(c["body"]["type"], "doc");
    assert_eq!(c["created"], "2024-05-14T16:00:00.000+0200");
    assert_eq!(
        c["visibility"],
        json!({ "type": "role", "value": "Developers", "identifier": "Developers" })
    );
    assert!(c.get("renderedBody").is_none());
    let newest = api.get(path, &[("orderBy", "-created")]).await;
    assert_eq!(ids(&newest), ["30003", "30002", "30001"]);
    let plus = api.get(path, &[("orderBy", "+created")]).await;
    assert_eq!(ids(&plus), ["30001", "30002", "30003"]);
    let page = api
        .get(path, &[("startAt", "1"), ("maxResults", "1")])
        .await;
    assert_eq!(ids(&page), ["30002"]);
    assert_eq!(page.body["startAt"], 1);
    assert_eq!(page.body["total"], 3);
    let rendered = api.get(path, &[("expand", "renderedBody")]).await;
    assert_eq!(
        rendered.body["comments"][1]["renderedBody"],
        "<p>Fix is in review.</p>"
    );
    let bad = api.get(path, &[("orderBy", "updated")]).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["errors"], json!({}));
}

#[tokio::test]
async fn priorities_statuses_and_fields() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let priorities = api.get("/rest/api/3/priority", &[]).await;
    assert_eq!(priorities.status, 200);
    let list = priorities.body.as_array().expect("array");
    assert_eq!(list.len(), 5);
    assert_eq!(list[2]["name"], "Medium");
    assert_eq!(list[2]["isDefault"], true);
    assert_eq!(list[0]["id"], "1");
    assert_eq!(list[0]["statusColor"], "#d04437");
    let statuses = api.get("/rest/api/3/status", &[]).await;
    let list = statuses.body.as_array().expect("array");
    assert_eq!(list.len(), 4);
    assert_eq!(list[3]["statusCategory"]["key"], "done");
    assert_eq!(list[0]["statusCategory"]["name"], "To Do");
    let fields = api.get("/rest/api/3/field", &[]).await;
    let list = fields.body.as_array().expect("array");
    let find = |id: &str| list.iter().find(|f| f["id"] == id).cloned().expect(id);
    assert_eq!(find("summary")["clauseNames"], json!(["summary"]));
    assert_eq!(
        find("summary")["schema"],
        json!({ "type": "string", "system": "summary" })
    );
    assert_eq!(find("comment")["navigable"], false);
    assert_eq!(
        find("issuekey")["clauseNames"],
        json!(["id", "issue", "issuekey", "key"])
    );
    let points = find("customfield_10016");
    assert_eq!(points["custom"], true);
    assert_eq!(points["name"], "Story Points");
    assert_eq!(points["clauseNames"], json!(["cf[10016]", "Story Points"]));
    assert_eq!(points["schema"]["customId"], 10016);
}

#[tokio::test]
async fn removed_search_is_gone_and_unknown_routes_are_404() {
    let server = fixture::serve(fixture::store()).await;
    let gone = error_body(
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
    );
    for api in [
        Api::alice(&server.base_url),
        Api::new(&server.base_url, None),
    ] {
        let get = api
            .get("/rest/api/3/search", &[("jql", "project = ALPHA")])
            .await;
        assert_eq!(get.status, 410);
        assert_eq!(get.body, gone);
        let post = api
            .post("/rest/api/3/search", &json!({ "jql": "project = ALPHA" }))
            .await;
        assert_eq!(post.status, 410);
        assert_eq!(post.body, gone);
    }
    let api = Api::alice(&server.base_url);
    for path in [
        "/rest/api/3/nothing",
        "/rest/api/3/issue/ALPHA-1/bogus",
        "/rest/api/2/myself",
        "/",
    ] {
        let reply = api.get(path, &[]).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.body["errorMessages"][0].is_string(), "{path}");
        assert_eq!(reply.body["errors"], json!({}));
    }
    let wrong_method = api.post("/rest/api/3/myself", &json!({})).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.headers["allow"], "GET");
}

#[tokio::test]
async fn latency_is_added_and_shutdown_stops_the_server() {
    const LATENCY: Duration = Duration::from_millis(150);
    let server = start(
        fixture::store(),
        ServerOptions {
            latency: Some(LATENCY),
            ..ServerOptions::default()
        },
    )
    .await
    .expect("binds");
    let api = Api::new(&server.base_url, None);
    let started = Instant::now();
    assert_eq!(api.get("/rest/api/3/serverInfo", &[]).await.status, 200);
    assert!(started.elapsed() >= LATENCY);
    let base = server.base_url.clone();
    server.shutdown().await.expect("stops cleanly");
    let after = reqwest::Client::new()
        .get(format!("{base}/rest/api/3/serverInfo"))
        .send()
        .await;
    assert!(after.is_err(), "server still answers after shutdown");
}
