//! The view cache's read before the first frame (file read, decode, applied to the state)
//! and its write off the UI path, for a full view: 100 rows and an open issue with
//! comments.

use criterion::{Criterion, criterion_group, criterion_main};
use jtui::cache::{self, CachedView};
use jtui::jira::adf::Adf;
use jtui::state::State;
use jtui::state::issue::{CommentItem, IssueDetail};
use jtui::state::search::{IssueRow, StatusCategory};
use std::hint::black_box;

const SITE: &str = "https://acme.atlassian.net dev@acme.example";

fn view() -> CachedView {
    let mut state = State::new("bench");
    state.search.jql = "project = NAV ORDER BY updated DESC".into();
    state.search.rows = (0..cache::MAX_CACHED_ROWS)
        .map(|n| IssueRow {
            key: format!("NAV-{n}"),
            issue_type: "Bug".into(),
            priority: "High".into(),
            status: "In Progress".into(),
            category: StatusCategory::InProgress,
            assignee: "Priya Nair".into(),
            summary: format!("Lidar drops frames when the bus is saturated ({n})"),
            updated: "2026-11-20 16:04".into(),
            updated_at: "2026-11-20T16:04:00+01:00".parse().ok(),
            ..IssueRow::default()
        })
        .collect();
    let text = "The driver drops frames under load; see the attached trace. ".repeat(40);
    state.issue.key = Some("NAV-1".into());
    state.issue.detail = Some(IssueDetail {
        key: "NAV-1".into(),
        summary: "Lidar drops frames".into(),
        status: "In Progress".into(),
        category: StatusCategory::InProgress,
        fields: vec![("Assignee".into(), "Priya Nair".into())],
        related: Vec::new(),
        history: Vec::new(),
        history_total: 0,
        description: Some(Adf::from_plain_text(&text)),
        render_ctx: Default::default(),
    });
    state.issue.comments = (0..20)
        .map(|i| CommentItem {
            id: i.to_string(),
            author: "Kenji Watanabe".into(),
            author_name: "Kenji Watanabe".into(),
            author_id: "5b10ac8d82e05b22cc7d4ef5".into(),
            visibility: None,
            pending: None,
            created: "2026-11-20 16:04".into(),
            edited: false,
            body: Adf::from_plain_text(&text[..400]),
        })
        .collect();
    CachedView::capture(&state, SITE)
}

fn view_cache(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("temp dir: {e}"),
    };
    let path = cache::path(dir.path(), "bench");
    let bytes = match cache::save(&path, view()) {
        Ok(n) => n,
        Err(e) => panic!("save: {e}"),
    };
    eprintln!("view cache file: {bytes} bytes");
    let mut group = c.benchmark_group("view_cache");
    group.bench_function("load_and_apply", |b| {
        b.iter(|| {
            let mut state = State::new("bench");
            if let Ok(Some(view)) = cache::load(black_box(&path), SITE) {
                view.apply(&mut state);
            }
            black_box(state.search.rows.len())
        })
    });
    let full = view();
    group.bench_function("capture", |b| {
        let mut state = State::new("bench");
        full.clone().apply(&mut state);
        b.iter(|| CachedView::capture(black_box(&state), SITE))
    });
    group.bench_function("save", |b| {
        b.iter(|| cache::save(&path, full.clone()).map_err(|e| e.to_string()))
    });
    group.finish();
}

criterion_group!(benches, view_cache);
criterion_main!(benches);
