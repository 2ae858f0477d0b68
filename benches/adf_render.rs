//! A 1 MB ADF document (an issue description the size of a long design doc) laid out
//! into wrapped, styled lines for the issue pane, as happens once per width and content.

use criterion::{Criterion, criterion_group, criterion_main};
use jtui::jira::adf::{self, Adf, RenderContext};
use serde_json::{Value, json};
use std::hint::black_box;

/// The document's size: at least this many bytes of JSON.
const DOC_BYTES: usize = 1024 * 1024;
/// A long but ordinary description, for scale.
const TYPICAL_BYTES: usize = 20 * 1024;
/// The issue pane's inner width on a 200-column terminal.
const WIDTH: u16 = 172;

fn text(t: &str, marks: Value) -> Value {
    json!({"type": "text", "text": t, "marks": marks})
}

/// One section of every common kind of block.
fn section(n: usize) -> Vec<Value> {
    let sentence = format!(
        "Section {n}: the lidar driver drops frames when the bus is saturated; \
         retries back off exponentially and the watchdog restarts the node after {n} s. "
    );
    vec![
        json!({"type": "heading", "attrs": {"level": 2}, "content": [text(&format!("Part {n}"), json!([]))]}),
        json!({"type": "paragraph", "content": [
            text(&sentence.repeat(3), json!([])),
            text("bold words", json!([{"type": "strong"}])),
            text(" and ", json!([])),
            text("a link", json!([{"type": "link", "attrs": {"href": "https://example.com/x"}}])),
            text(" with ", json!([])),
            text("inline_code()", json!([{"type": "code"}])),
            {"type": "mention", "attrs": {"id": "abc", "text": "@Priya Nair"}},
        ]}),
        json!({"type": "bulletList", "content": (0..4).map(|i| json!(
            {"type": "listItem", "content": [{"type": "paragraph", "content": [
                text(&format!("item {i}: {}", &sentence[..60]), json!([{"type": "em"}]))
            ]}]}
        )).collect::<Vec<_>>()}),
        json!({"type": "codeBlock", "attrs": {"language": "rust"}, "content": [
            text(&"fn main() {\n    let frames = lidar.read()?;\n}\n".repeat(3), json!([]))
        ]}),
        json!({"type": "panel", "attrs": {"panelType": "warning"}, "content": [
            {"type": "paragraph", "content": [text(&sentence, json!([]))]}
        ]}),
        json!({"type": "table", "content": (0..3).map(|r| json!(
            {"type": "tableRow", "content": (0..4).map(|c| json!(
                {"type": if r == 0 { "tableHeader" } else { "tableCell" }, "content": [
                    {"type": "paragraph", "content": [text(&format!("cell {r}.{c} value"), json!([]))]}
                ]}
            )).collect::<Vec<_>>()}
        )).collect::<Vec<_>>()}),
    ]
}

/// A document of at least `bytes` bytes of JSON, sections added `step` at a time.
fn document(bytes: usize, step: usize) -> Adf {
    let mut content = Vec::new();
    let mut n = 0;
    loop {
        content.extend(section(n));
        n += 1;
        if n.is_multiple_of(step) {
            let doc = json!({"type": "doc", "version": 1, "content": content});
            if serde_json::to_vec(&doc).map_or(0, |b| b.len()) >= bytes {
                return Adf::from_value(doc);
            }
        }
    }
}

fn render(c: &mut Criterion) {
    let doc = document(DOC_BYTES, 50);
    let typical = document(TYPICAL_BYTES, 1);
    let ctx = RenderContext::default();
    let lines = adf::render(&doc, WIDTH, &ctx);
    assert!(
        lines.len() > 5_000,
        "a long document: {} lines",
        lines.len()
    );
    let mut group = c.benchmark_group("adf_render");
    group.sample_size(20);
    group.bench_function("1MB_to_lines", |b| {
        b.iter(|| adf::render(black_box(&doc), WIDTH, &ctx))
    });
    group.bench_function("20KB_to_lines", |b| {
        b.iter(|| adf::render(black_box(&typical), WIDTH, &ctx))
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
