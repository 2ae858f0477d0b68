//! Decoding a 100-issue search page into the client's models, and on into result rows:
//! what every search answer costs before it can be drawn. The JSON is the emulator's,
//! fetched once over loopback with the fields the results pane asks for (and once with
//! every navigable field, the shape other clients ask for).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jtui::app::update::SEARCH_FIELDS;
use jtui::emulator::{seed, server};
use jtui::jira::models::SearchPage;
use jtui::state::search::IssueRow;
use serde_json::json;
use std::hint::black_box;

/// Issues on the page.
const PAGE: usize = 100;

/// The emulator's answer to `POST /rest/api/3/search/jql` for `fields`, as bytes.
fn search_page(fields: &[&str]) -> Vec<u8> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("runtime: {e}"),
    };
    runtime.block_on(async {
        let emulator = match server::start(
            seed::demo_store(seed::DEMO_ISSUE_COUNT),
            server::ServerOptions::default(),
        )
        .await
        {
            Ok(e) => e,
            Err(e) => panic!("emulator: {e}"),
        };
        let response = reqwest::Client::new()
            .post(format!("{}/rest/api/3/search/jql", emulator.base_url))
            .basic_auth(seed::DEMO_EMAIL, Some(seed::DEMO_TOKEN))
            .json(&json!({
                "jql": "project is not EMPTY ORDER BY updated DESC",
                "fields": fields,
                "maxResults": PAGE,
            }))
            .send()
            .await
            .and_then(|r| r.error_for_status());
        let bytes = match response {
            Ok(r) => r.bytes().await,
            Err(e) => panic!("search: {e}"),
        };
        match bytes {
            Ok(b) => b.to_vec(),
            Err(e) => panic!("body: {e}"),
        }
    })
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for (name, fields) in [
        ("search_page_100_results_fields", SEARCH_FIELDS),
        ("search_page_100_navigable", &["*navigable"][..]),
    ] {
        let body = search_page(fields);
        let page: SearchPage = match serde_json::from_slice(&body) {
            Ok(p) => p,
            Err(e) => panic!("{name}: {e}"),
        };
        assert_eq!(page.issues.len(), PAGE, "{name}");
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                serde_json::from_slice::<SearchPage>(black_box(&body)).map(|p| p.issues.len())
            })
        });
        group.bench_function(format!("{name}_to_rows"), |b| {
            b.iter(|| {
                serde_json::from_slice::<SearchPage>(black_box(&body)).map(|p| {
                    p.issues
                        .iter()
                        .map(IssueRow::from_issue)
                        .collect::<Vec<_>>()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
