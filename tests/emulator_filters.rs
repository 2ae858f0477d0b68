//! Saved filters over loopback HTTP: `/filter/favourite`, `/filter/my`, `/filter/search`
//! and `/filter/{id}`, who sees what, the shapes Jira uses, and the demo filters' JQL.

mod support {
    pub mod fixture;
}

use jtui::emulator::seed;
use jtui::emulator::server::RunningEmulator;
use serde_json::{Value, json};
use support::fixture::{self, ALICE, Api, BOB, BOB_EMAIL, BOB_TOKEN, basic};

const NOT_AVAILABLE: &str = "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.";
/// Demo filter ids (see `seed/filters.rs`).
const MY_OPEN_BUGS: u64 = 10000;
const NAV_SPRINT_BOARD: u64 = 10001;
const NINAS_PRIVATE: u64 = 10011;

async fn demo() -> (RunningEmulator, Api) {
    let server = fixture::serve(seed::demo_store(seed::DEMO_ISSUE_COUNT)).await;
    let api = Api::new(
        &server.base_url,
        Some(basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN)),
    );
    (server, api)
}

fn nina(server: &RunningEmulator) -> Api {
    Api::new(
        &server.base_url,
        Some(basic(seed::DEMO_OTHER_EMAIL, seed::DEMO_OTHER_TOKEN)),
    )
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn favourites_are_the_visible_ones_sorted_by_name() {
    let (server, api) = demo().await;
    let reply = api.get("/rest/api/3/filter/favourite", &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        names(&reply.body),
        [
            "Customer escalations",
            "My open bugs",
            "NAV sprint board",
            "Recently resolved",
            "Waiting for review",
        ]
    );
    for filter in reply.body.as_array().expect("filters") {
        assert_eq!(filter["favourite"], true);
        assert!(filter["jql"].as_str().is_some_and(|j| !j.is_empty()));
        let id = filter["id"].as_str().expect("id is a string");
        assert_eq!(
            filter["self"],
            format!("{}/rest/api/3/filter/{id}", server.base_url)
        );
        assert_eq!(
            filter["viewUrl"],
            format!("{}/issues/?filter={id}", server.base_url)
        );
        assert!(filter["owner"]["accountId"].is_string());
        assert_eq!(filter["sharedUsers"]["items"], json!([]));
        assert_eq!(filter["subscriptions"]["items"], json!([]));
    }
    let board = &reply.body[2];
    assert_eq!(board["owner"]["displayName"], "Mara Lindqvist");
    assert_eq!(board["favouritedCount"], 3);
    assert_eq!(
        board["sharePermissions"],
        json!([{ "id": NAV_SPRINT_BOARD, "type": "loggedin" }])
    );
    assert!(board["sharedUsers"]["size"].as_u64().is_some_and(|n| n > 5));
    let bugs = &reply.body[1];
    assert_eq!(bugs["sharePermissions"], json!([]));
    assert_eq!(bugs["sharedUsers"]["size"], 0);
    assert_eq!(
        bugs["searchUrl"],
        format!(
            "{}/rest/api/3/search/jql?jql=assignee+%3D+currentUser%28%29+AND+type+%3D+Bug+AND+resolution+%3D+Unresolved+ORDER+BY+priority+DESC%2C+updated+DESC",
            server.base_url
        )
    );
    // Expanding sharedUsers lists them.
    let expanded = api
        .get("/rest/api/3/filter/favourite", &[("expand", "sharedUsers")])
        .await;
    let users = &expanded.body[2]["sharedUsers"];
    assert_eq!(
        users["items"].as_array().map(Vec::len),
        users["size"].as_u64().map(|n| n as usize)
    );
}

#[tokio::test]
async fn my_filters_with_and_without_favourites() {
    let (_server, api) = demo().await;
    let mine = api.get("/rest/api/3/filter/my", &[]).await;
    assert_eq!(mine.status, 200);
    assert_eq!(
        names(&mine.body),
        [
            "My open bugs",
            "Recently resolved",
            "Reported by me",
            "Waiting for review",
            "Watched and open",
        ]
    );
    for filter in mine.body.as_array().expect("filters") {
        assert_eq!(filter["owner"]["accountId"], seed::DEMO_ACCOUNT_ID);
        assert!(filter["jql"].is_string());
    }
    // Filters without a description leave the member out.
    assert!(mine.body[2].get("description").is_none());
    assert_eq!(
        mine.body[0]["description"],
        "Bugs assigned to me that nobody has resolved yet."
    );
    let with = api
        .get("/rest/api/3/filter/my", &[("includeFavourites", "true")])
        .await;
    assert_eq!(with.status, 200);
    let with = names(&with.body);
    assert_eq!(with.len(), 7);
    assert!(with.contains(&"Customer escalations".to_owned()));
    assert!(with.contains(&"NAV sprint board".to_owned()));
    let bad = api
        .get("/rest/api/3/filter/my", &[("includeFavourites", "maybe")])
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_filter_by_id_is_400_when_missing_or_private() {
    let (server, api) = demo().await;
    let board = api
        .get(&format!("/rest/api/3/filter/{NAV_SPRINT_BOARD}"), &[])
        .await;
    assert_eq!(board.status, 200);
    assert_eq!(board.body["name"], "NAV sprint board");
    assert_eq!(
        board.body["jql"],
        "project = NAV AND sprint in openSprints() ORDER BY status ASC, priority DESC"
    );
    assert_eq!(board.body["favourite"], true);
    for path in [
        format!("/rest/api/3/filter/{NINAS_PRIVATE}"),
        "/rest/api/3/filter/99999".to_owned(),
        "/rest/api/3/filter/abc".to_owned(),
    ] {
        let reply = api.get(&path, &[]).await;
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(
            reply.body,
            json!({ "errorMessages": [NOT_AVAILABLE], "errors": {} })
        );
    }
    // Its owner sees it; for her it is a favourite, for nobody else.
    let own = nina(&server)
        .get(&format!("/rest/api/3/filter/{NINAS_PRIVATE}"), &[])
        .await;
    assert_eq!(own.status, 200);
    assert_eq!(own.body["favourite"], true);
    let shared = nina(&server)
        .get(&format!("/rest/api/3/filter/{NAV_SPRINT_BOARD}"), &[])
        .await;
    assert_eq!(shared.body["favourite"], false);
    // Through the gateway, links carry the prefix.
    let prefix = format!("/ex/jira/{}", jtui::emulator::server::CLOUD_ID);
    let gateway = api
        .get(&format!("{prefix}/rest/api/3/filter/{MY_OPEN_BUGS}"), &[])
        .await;
    assert_eq!(gateway.status, 200);
    assert_eq!(
        gateway.body["self"],
        format!(
            "{}{prefix}/rest/api/3/filter/{MY_OPEN_BUGS}",
            server.base_url
        )
    );
    assert_eq!(
        Api::new(&server.base_url, None)
            .get("/rest/api/3/filter/favourite", &[])
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn search_leaves_jql_out_unless_expanded() {
    let (server, api) = demo().await;
    let plain = api.get("/rest/api/3/filter/search", &[]).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body["total"], 11, "12 filters, one private to Nina");
    assert_eq!(plain.body["isLast"], true);
    assert_eq!(plain.body["maxResults"], 50);
    let first = &plain.body["values"][0];
    let mut members: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    members.sort_unstable();
    assert_eq!(members, ["expand", "id", "name", "self"]);
    assert_eq!(
        names(&plain.body["values"])[..3],
        [
            "Customer escalations",
            "My open bugs",
            "NAV 2.8.0 release scope"
        ]
    );
    let expanded = api
        .get(
            "/rest/api/3/filter/search",
            &[("expand", "jql,owner,favourite"), ("expand", "description")],
        )
        .await;
    assert_eq!(expanded.status, 200);
    for filter in expanded.body["values"].as_array().expect("values") {
        assert!(filter["jql"].is_string(), "{filter}");
        assert!(filter["owner"]["displayName"].is_string());
        assert!(filter["favourite"].is_boolean());
        assert!(filter.get("viewUrl").is_none());
    }
    let bad = api
        .get("/rest/api/3/filter/search", &[("expand", "jql,secrets")])
        .await;
    assert_eq!(bad.status, 400);
    // Paging.
    let page = api
        .get(
            "/rest/api/3/filter/search",
            &[("maxResults", "4"), ("startAt", "8")],
        )
        .await;
    assert_eq!(page.body["values"].as_array().map(Vec::len), Some(3));
    assert_eq!(page.body["isLast"], true);
    let page = api
        .get("/rest/api/3/filter/search", &[("maxResults", "4")])
        .await;
    assert_eq!(page.body["isLast"], false);
    assert_eq!(
        page.body["nextPage"],
        format!(
            "{}/rest/api/3/filter/search?startAt=4&maxResults=4",
            server.base_url
        )
    );
}

#[tokio::test]
async fn search_by_name_owner_and_id() {
    let (_server, api) = demo().await;
    let search = |query: Vec<(&'static str, &'static str)>| {
        let api = api.clone();
        async move {
            let reply = api.get("/rest/api/3/filter/search", &query).await;
            assert_eq!(reply.status, 200, "{query:?}: {}", reply.body);
            names(&reply.body["values"])
        }
    };
    // Word matching by default: "bugs" finds the visible filters with that word.
    assert_eq!(
        search(vec![("filterName", "BUGS")]).await,
        ["My open bugs", "Portal bugs without an owner"]
    );
    assert!(search(vec![("filterName", "ugs")]).await.is_empty());
    assert_eq!(
        search(vec![("filterName", "ugs"), ("isSubstringMatch", "true")]).await,
        ["My open bugs", "Portal bugs without an owner"]
    );
    let mara = "712020:0b9e4f6a-3c2d-4e1f-a8b7-c6d5e4f3a2b1";
    assert_eq!(
        search(vec![("accountId", mara)]).await,
        [
            "NAV 2.8.0 release scope",
            "NAV sprint board",
            "Unestimated stories"
        ]
    );
    assert_eq!(
        search(vec![("id", "10000"), ("id", "10002"), ("id", "10011")]).await,
        ["Customer escalations", "My open bugs"]
    );
    assert!(search(vec![("groupname", "jira-users")]).await.is_empty());
    assert!(search(vec![("projectId", "10000")]).await.is_empty());
    let by_count = search(vec![("orderBy", "-favourite_count")]).await;
    assert_eq!(by_count[0], "Customer escalations");
    assert_eq!(
        search(vec![("orderBy", "+id"), ("maxResults", "2")]).await,
        ["My open bugs", "NAV sprint board"]
    );
    for bad in [
        vec![("orderBy", "rank")],
        vec![("accountId", mara), ("owner", "mara")],
        vec![("groupname", "a"), ("groupId", "b")],
        vec![("id", "ten")],
        vec![("projectId", "NAV")],
        vec![("maxResults", "lots")],
    ] {
        let reply = api.get("/rest/api/3/filter/search", &bad).await;
        assert_eq!(reply.status, 400, "{bad:?}");
    }
    let many: Vec<(&str, String)> = (0..201).map(|i| ("id", i.to_string())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        api.get("/rest/api/3/filter/search", &many).await.status,
        400
    );
}

#[tokio::test]
async fn every_demo_filter_runs_for_whoever_sees_it() {
    let (server, dev) = demo().await;
    let nina = nina(&server);
    let store = seed::demo_store(seed::DEMO_ISSUE_COUNT);
    assert!((8..=12).contains(&store.filters.len()));
    let ids: std::collections::BTreeSet<u64> = store.filters.iter().map(|f| f.id).collect();
    assert_eq!(ids.len(), store.filters.len(), "ids are unique");
    let mut empty = Vec::new();
    for filter in &store.filters {
        let api = if filter.visible_to(seed::DEMO_ACCOUNT_ID) {
            &dev
        } else {
            &nina
        };
        let reply = api
            .get(&format!("/rest/api/3/filter/{}", filter.id), &[])
            .await;
        assert_eq!(reply.status, 200, "{}", filter.name);
        let jql = reply.body["jql"].as_str().expect("jql");
        let keys = api.keys(jql).await;
        if keys.is_empty() {
            empty.push(filter.name.clone());
        }
    }
    // A filter that finds nothing would make a poor demo.
    assert!(empty.is_empty(), "{empty:?}");
}

#[tokio::test]
async fn fixture_filters_follow_ownership_and_sharing() {
    let server = fixture::serve(fixture::store()).await;
    let alice = Api::alice(&server.base_url);
    let bob = Api::new(&server.base_url, Some(basic(BOB_EMAIL, BOB_TOKEN)));
    let all = alice.get("/rest/api/3/filter/search", &[]).await;
    assert_eq!(
        names(&all.body["values"]),
        ["Alpha bugs", "Everything in review"]
    );
    let all = bob.get("/rest/api/3/filter/search", &[]).await;
    assert_eq!(
        names(&all.body["values"]),
        ["Alpha bugs", "Bob's private list", "Everything in review"]
    );
    let favourites = bob.get("/rest/api/3/filter/favourite", &[]).await;
    assert_eq!(
        names(&favourites.body),
        ["Alpha bugs", "Bob's private list"]
    );
    assert_eq!(favourites.body[0]["owner"]["accountId"], ALICE);
    assert_eq!(favourites.body[1]["owner"]["accountId"], BOB);
    let mine = alice.get("/rest/api/3/filter/my", &[]).await;
    assert_eq!(names(&mine.body), ["Alpha bugs"]);
    let private = alice
        .get(
            &format!("/rest/api/3/filter/{}", fixture::BOB_PRIVATE_FILTER),
            &[],
        )
        .await;
    assert_eq!(private.status, 400);
    assert_eq!(
        alice
            .keys("project = ALPHA AND type = Bug ORDER BY key")
            .await,
        alice
            .keys(mine.body[0]["jql"].as_str().expect("the filter's jql"))
            .await
    );
}
