//! The emulator's Jira Software Agile API (`/rest/agile/1.0/`) over real loopback HTTP:
//! a project's boards and a board's sprints, their paging, auth and error bodies.

mod support {
    pub mod fixture;
}

use jtui::emulator::seed;
use jtui::emulator::server::{ServerOptions, start};
use serde_json::{Value, json};
use support::fixture::{self, Api};

fn ids(body: &Value) -> Vec<u64> {
    body["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v["id"].as_u64().expect("id"))
        .collect()
}

#[tokio::test]
async fn a_projects_board_is_derived_from_its_sprints() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let reply = api
        .get("/rest/agile/1.0/board", &[("projectKeyOrId", "ALPHA")])
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["isLast"], true);
    assert_eq!(reply.body["startAt"], 0);
    let board = &reply.body["values"][0];
    assert_eq!(board["id"], 1);
    assert_eq!(board["name"], "ALPHA board");
    assert_eq!(board["type"], "scrum");
    assert_eq!(board["location"]["projectKey"], "ALPHA");
    assert_eq!(
        board["self"],
        format!("{}/rest/agile/1.0/board/1", server.base_url)
    );
    // BETA has no sprints, so no board; an unknown project is refused.
    let beta = api
        .get("/rest/agile/1.0/board", &[("projectKeyOrId", "BETA")])
        .await;
    assert_eq!((beta.status, ids(&beta.body)), (200, vec![]));
    let unknown = api
        .get("/rest/agile/1.0/board", &[("projectKeyOrId", "NOPE")])
        .await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body["errorMessages"][0]
            .as_str()
            .unwrap()
            .contains("NOPE")
    );
}

#[tokio::test]
async fn sprints_are_filtered_by_state() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let all = api.get("/rest/agile/1.0/board/1/sprint", &[]).await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(ids(&all.body), [1, 2, 3]);
    let open = api
        .get(
            "/rest/agile/1.0/board/1/sprint",
            &[("state", "active,future")],
        )
        .await;
    assert_eq!(ids(&open.body), [2, 3]);
    let active = &open.body["values"][0];
    assert_eq!(active["state"], "active");
    assert_eq!(active["name"], "ALPHA Sprint 2");
    assert_eq!(active["originBoardId"], 1);
    // The fixture's times are at +02:00; the Agile API writes UTC.
    assert_eq!(active["startDate"], "2024-05-06T07:00:00.000Z");
    assert_eq!(
        active["self"],
        format!("{}/rest/agile/1.0/sprint/2", server.base_url)
    );
    let future = &open.body["values"][1];
    assert_eq!(future["state"], "future");
    assert!(
        future.get("startDate").is_none(),
        "a future sprint has no dates yet"
    );
    let closed = api
        .get("/rest/agile/1.0/board/1/sprint", &[("state", "closed")])
        .await;
    assert_eq!(ids(&closed.body), [1]);
    assert_eq!(
        closed.body["values"][0]["completeDate"],
        "2024-04-29T07:00:00.000Z"
    );
}

#[tokio::test]
async fn bad_states_and_unknown_boards_are_refused_like_jira() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let bad = api
        .get(
            "/rest/agile/1.0/board/1/sprint",
            &[("state", "active,open")],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["errors"], json!({}));
    assert!(
        bad.body["errorMessages"][0]
            .as_str()
            .unwrap()
            .contains("'open'")
    );
    for board in ["99", "abc"] {
        let missing = api
            .get(&format!("/rest/agile/1.0/board/{board}/sprint"), &[])
            .await;
        assert_eq!(missing.status, 404, "board {board}");
        assert_eq!(missing.body["errors"], json!({}));
    }
    let nothing = api.get("/rest/agile/1.0/sprint/2", &[]).await;
    assert_eq!(nothing.status, 404);
    let anonymous = Api::new(&server.base_url, None)
        .get("/rest/agile/1.0/board", &[])
        .await;
    assert_eq!(anonymous.status, 401);
    let post = api.post("/rest/agile/1.0/board", &json!({})).await;
    assert_eq!(post.status, 405);
}

#[tokio::test]
async fn both_lists_page_with_start_at_and_max_results() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let mut seen = Vec::new();
    let mut start = 0;
    loop {
        let page = api
            .get(
                "/rest/agile/1.0/board/1/sprint",
                &[("startAt", &start.to_string()), ("maxResults", "2")],
            )
            .await;
        assert_eq!(page.status, 200);
        assert_eq!(page.body["startAt"], start);
        assert_eq!(page.body["maxResults"], 2);
        let got = ids(&page.body);
        start += got.len();
        seen.extend(got);
        if page.body["isLast"] == true {
            break;
        }
        assert!(start < 10, "paging ends");
    }
    assert_eq!(seen, [1, 2, 3]);
    let bad = api.get("/rest/agile/1.0/board", &[("startAt", "x")]).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn the_demo_site_has_one_board_per_software_project_with_sprints() {
    let server = start(seed::demo_store(60), ServerOptions::default())
        .await
        .expect("emulator starts");
    let api = Api::new(
        &server.base_url,
        Some(fixture::basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN)),
    );
    let boards = api.get("/rest/agile/1.0/board", &[]).await;
    assert_eq!(boards.status, 200);
    let values = boards.body["values"].as_array().expect("boards");
    assert!(!values.is_empty());
    for board in values {
        let key = board["location"]["projectKey"].as_str().expect("a project");
        assert_eq!(board["name"], format!("{key} board"));
        let id = board["id"].as_u64().unwrap();
        let open = api
            .get(
                &format!("/rest/agile/1.0/board/{id}/sprint"),
                &[("state", "active,future")],
            )
            .await;
        let states: Vec<&str> = open.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["state"].as_str().unwrap())
            .collect();
        assert_eq!(
            states.iter().filter(|s| **s == "active").count(),
            1,
            "{key}"
        );
        assert!(states.contains(&"future"), "{key}");
    }
}
