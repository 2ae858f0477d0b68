//! A user without a permission cannot write: Jira's 403, and nothing changes.

#![allow(clippy::unwrap_used)]

use jtui::emulator::{seed, server};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_viewer_may_read_but_not_write() {
    let emulator = server::start(seed::demo_store(50), server::ServerOptions::default())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let issue = format!("{}/rest/api/3/issue/NAV-1", emulator.base_url);
    let summary = |who: (&'static str, &'static str)| {
        let http = http.clone();
        let issue = issue.clone();
        async move {
            let body: Value = http
                .get(&issue)
                .basic_auth(who.0, Some(who.1))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["fields"]["summary"].as_str().unwrap().to_owned()
        }
    };
    let viewer = (seed::DEMO_VIEWER_EMAIL, seed::DEMO_VIEWER_TOKEN);
    let dev = (seed::DEMO_EMAIL, seed::DEMO_TOKEN);
    let before = summary(viewer).await;

    let edit = json!({"fields": {"summary": "Renamed by someone who may not"}});
    let refused = http
        .put(&issue)
        .basic_auth(viewer.0, Some(viewer.1))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["errorMessages"][0]
            .as_str()
            .unwrap()
            .contains("permission"),
        "{body}"
    );
    let comment = json!({"body": {"version": 1, "type": "doc", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}]}});
    let refused = http
        .post(format!("{issue}/comment"))
        .basic_auth(viewer.0, Some(viewer.1))
        .json(&comment)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(summary(viewer).await, before, "nothing changed");

    let allowed = http
        .put(&issue)
        .basic_auth(dev.0, Some(dev.1))
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 204);
    assert_eq!(summary(dev).await, "Renamed by someone who may not");
}
