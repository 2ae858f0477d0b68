//! JQL parsing, as the JQL bar does on every keystroke (highlighting and the local check)
//! and the emulator does for every search.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// Queries from short to long, the shapes people type and filters save.
const QUERIES: [(&str, &str); 3] = [
    ("short", "project = NAV ORDER BY updated DESC"),
    (
        "typical",
        "project in (NAV, WEB) AND status != Done AND assignee = currentUser() \
         AND updated >= -14d ORDER BY priority DESC, updated DESC",
    ),
    (
        "long",
        "(project = NAV AND issuetype in (Bug, Story) AND labels in (perf, \"field-test\") \
         AND \"Story Points\" >= 3) OR (project = WEB AND updated >= startOfWeek(-1) \
         AND reporter in membersOf(\"qa-team\")) \
         OR (summary ~ \"lidar drops frames\" AND NOT resolution is EMPTY AND due <= 7d) \
         ORDER BY priority DESC, created ASC, key",
    ),
];

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("jql_parse");
    for (name, query) in QUERIES {
        assert!(jtui::jql::parse(query).is_ok(), "{name} must parse");
        group.bench_function(name, |b| b.iter(|| jtui::jql::parse(black_box(query))));
    }
    group.bench_function("highlight_typical", |b| {
        b.iter(|| jtui::jql::highlight(black_box(QUERIES[1].1)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
