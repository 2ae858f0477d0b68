//! ADF rendering: every node type of the schema, wrapping at several widths, styles,
//! sanitising, unknown nodes, the depth guard, and property tests over random trees.

// The whole file is test code; helpers outside #[test] fns may unwrap too.
#![allow(clippy::unwrap_used)]

use jtui::jira::adf::{
    self, Adf, LozengeColor, NodeKind, PanelKind, RenderContext, Rgb, RichLine, TextStyle,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

fn doc(content: Value) -> Adf {
    Adf::from_value(json!({"type": "doc", "version": 1, "content": content}))
}

fn text(s: &str) -> Value {
    json!({"type": "text", "text": s})
}

fn marked(s: &str, marks: Value) -> Value {
    json!({"type": "text", "text": s, "marks": marks})
}

fn para(inline: Value) -> Value {
    json!({"type": "paragraph", "content": inline})
}

fn lines_at(d: &Adf, width: u16) -> Vec<RichLine> {
    lines_ctx(d, width, &RenderContext::default())
}

fn lines_ctx(d: &Adf, width: u16, ctx: &RenderContext) -> Vec<RichLine> {
    let lines = adf::render(d, width, ctx);
    for l in &lines {
        assert!(
            l.width() <= usize::from(width),
            "line {:?} is {} wide at width {width}",
            l.text(),
            l.width()
        );
    }
    lines
}

fn render(d: &Adf, width: u16) -> Vec<String> {
    lines_at(d, width).iter().map(RichLine::text).collect()
}

/// The style of the first span whose text contains `needle`.
fn style_of(lines: &[RichLine], needle: &str) -> TextStyle {
    lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.text.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not rendered"))
        .style
}

const LOREM: &str = "Lidar point cloud drops frames above thirty hertz on rev-C boards when \
                     the ingest queue is saturated";

#[test]
fn paragraph_wraps_at_words_for_several_widths() {
    let d = doc(json!([para(json!([text(LOREM)]))]));
    assert_eq!(
        render(&d, 40),
        [
            "Lidar point cloud drops frames above",
            "thirty hertz on rev-C boards when the",
            "ingest queue is saturated"
        ]
    );
    assert_eq!(
        render(&d, 20),
        [
            "Lidar point cloud",
            "drops frames above",
            "thirty hertz on",
            "rev-C boards when",
            "the ingest queue is",
            "saturated"
        ]
    );
    // Every width from 1 to 120 keeps every word (in order) and the width promise.
    let words: String = LOREM.split_whitespace().collect();
    for w in 1..=120u16 {
        let joined: String = render(&d, w).concat().split_whitespace().collect();
        assert_eq!(joined, words, "width {w}");
    }
    assert!(render(&d, 0).is_empty());
}

#[test]
fn marks_become_styles_and_words_span_marks() {
    let d = doc(json!([para(json!([
        marked("bold", json!([{"type": "strong"}])),
        marked("ital", json!([{"type": "em"}])),
        text(" "),
        marked("code", json!([{"type": "code"}])),
        text(" "),
        marked("gone", json!([{"type": "strike"}])),
        text(" "),
        marked("under", json!([{"type": "underline"}])),
        text(" "),
        marked(
            "site",
            json!([{"type": "link", "attrs": {"href": "https://acme.example/x"}}])
        ),
        text(" H"),
        marked("2", json!([{"type": "subsup", "attrs": {"type": "sub"}}])),
        text("O x"),
        marked("2", json!([{"type": "subsup", "attrs": {"type": "sup"}}])),
        text(" "),
        marked(
            "red",
            json!([{"type": "textColor", "attrs": {"color": "#ff5630"}}])
        ),
        text(" "),
        marked(
            "hl",
            json!([{"type": "backgroundColor", "attrs": {"color": "#fedec8"}}, {"type": "annotation", "attrs": {"id": "a", "annotationType": "inlineComment"}}])
        ),
    ]))]));
    let lines = lines_at(&d, 80);
    assert_eq!(
        lines[0].text(),
        "boldital code gone under site H2O x2 red hl"
    );
    assert!(style_of(&lines, "bold").bold);
    assert!(style_of(&lines, "ital").italic);
    assert!(style_of(&lines, "code").code);
    assert!(style_of(&lines, "gone").strike);
    assert!(style_of(&lines, "under").underline);
    assert!(style_of(&lines, "site").link);
    assert_eq!(style_of(&lines, "red").fg, Some(Rgb(0xff, 0x56, 0x30)));
    assert_eq!(style_of(&lines, "hl").bg, Some(Rgb(0xfe, 0xde, 0xc8)));
    let subs: Vec<TextStyle> = lines[0]
        .spans
        .iter()
        .filter(|s| s.text == "2")
        .map(|s| s.style)
        .collect();
    assert!(subs[0].sub && subs[1].sup);
    // "bold" + "ital" have no space between them: one word, never split apart.
    assert_eq!(render(&d, 9)[0], "boldital");
    assert_eq!(adf::links(&d), ["https://acme.example/x"]);
}

#[test]
fn empty_paragraphs_do_not_stack_blank_lines_but_code_keeps_them() {
    let d = doc(json!([
        para(json!([])),
        para(json!([text("one")])),
        para(json!([])),
        para(json!([])),
        para(json!([text("two")])),
        {"type": "codeBlock", "content": [text("a\n\n\nb")]},
        para(json!([])),
    ]));
    assert_eq!(
        render(&d, 20),
        ["one", "", "two", "", "[code]", "a", "", "", "b"]
    );
}

#[test]
fn headings_have_levels() {
    let d = doc(json!([
        {"type": "heading", "attrs": {"level": 1}, "content": [text("Overview")]},
        {"type": "heading", "attrs": {"level": 3}, "content": [text("Details")]},
        {"type": "heading", "attrs": {"level": 99}, "content": [text("Clamped")]},
    ]));
    let lines = lines_at(&d, 30);
    assert_eq!(
        lines.iter().map(RichLine::text).collect::<Vec<_>>(),
        ["Overview", "", "Details", "", "Clamped"]
    );
    assert_eq!(style_of(&lines, "Overview").heading, 1);
    assert!(style_of(&lines, "Overview").bold);
    assert_eq!(style_of(&lines, "Details").heading, 3);
    assert_eq!(style_of(&lines, "Clamped").heading, 6);
}

fn item(inline: &str) -> Value {
    json!({"type": "listItem", "content": [para(json!([text(inline)]))]})
}

#[test]
fn nested_bullet_and_ordered_lists_indent_and_number() {
    let d = doc(json!([
        {"type": "bulletList", "content": [
            {"type": "listItem", "content": [
                para(json!([text("Rotate TLS certificates on staging ingress")])),
                {"type": "bulletList", "content": [item("nested one"), item("nested two")]}
            ]},
            item("second")
        ]},
        {"type": "orderedList", "attrs": {"order": 9}, "content": [
            item("nine"),
            {"type": "listItem", "content": [
                para(json!([text("ten")])),
                {"type": "orderedList", "content": [item("inner")]}
            ]}
        ]}
    ]));
    assert_eq!(
        render(&d, 30),
        [
            "• Rotate TLS certificates on",
            "  staging ingress",
            "  ◦ nested one",
            "  ◦ nested two",
            "• second",
            "",
            " 9. nine",
            "10. ten",
            "    1. inner",
        ]
    );
}

#[test]
fn task_and_decision_lists() {
    let d = doc(json!([
        {"type": "taskList", "attrs": {"localId": "t"}, "content": [
            {"type": "taskItem", "attrs": {"localId": "1", "state": "DONE"}, "content": [text("Write the migration")]},
            {"type": "taskItem", "attrs": {"localId": "2", "state": "TODO"}, "content": [text("Run it on staging")]},
            {"type": "taskList", "attrs": {"localId": "n"}, "content": [
                {"type": "taskItem", "attrs": {"localId": "3", "state": "TODO"}, "content": [text("Check dashboards")]}
            ]}
        ]},
        {"type": "decisionList", "attrs": {"localId": "d"}, "content": [
            {"type": "decisionItem", "attrs": {"localId": "4", "state": "DECIDED"}, "content": [text("Ship on Tuesday")]}
        ]}
    ]));
    assert_eq!(
        render(&d, 40),
        [
            "[x] Write the migration",
            "[ ] Run it on staging",
            "    [ ] Check dashboards",
            "",
            "◆ Ship on Tuesday",
        ]
    );
}

#[test]
fn code_blocks_keep_indentation_and_hard_wrap() {
    let d = doc(json!([
        {"type": "codeBlock", "attrs": {"language": "rust"}, "content": [
            text("fn main() {\n\tprintln!(\"hello, world, from a long line\");\n}\n")
        ]},
        {"type": "codeBlock", "content": [text("no language")]}
    ]));
    let lines = lines_at(&d, 24);
    let texts: Vec<String> = lines.iter().map(RichLine::text).collect();
    assert_eq!(
        texts,
        [
            "[rust]",
            "fn main() {",
            "    println!(\"hello, wor",
            "ld, from a long line\");",
            "}",
            "",
            "[code]",
            "no language",
        ]
    );
    assert!(style_of(&lines, "fn main").code_block);
    assert!(style_of(&lines, "[rust]").dim);
}

#[test]
fn blockquote_panel_rule_and_expand() {
    let d = doc(json!([
        {"type": "blockquote", "content": [para(json!([text("Customers report the reset link expires after five minutes")]))]},
        {"type": "panel", "attrs": {"panelType": "warning"}, "content": [para(json!([text("Staging only")]))]},
        {"type": "rule"},
        {"type": "expand", "attrs": {"title": "Logs"}, "content": [para(json!([text("line one")]))]},
    ]));
    let lines = lines_at(&d, 30);
    let texts: Vec<String> = lines.iter().map(RichLine::text).collect();
    assert_eq!(
        texts,
        [
            "│ Customers report the reset",
            "│ link expires after five",
            "│ minutes",
            "",
            "┃ ⚠ Warning",
            "┃ Staging only",
            "",
            "──────────────────────────────",
            "",
            "▸ Logs",
            "  line one",
        ]
    );
    assert!(style_of(&lines, "Customers").quote);
    assert_eq!(style_of(&lines, "Warning").panel, Some(PanelKind::Warning));
    assert!(style_of(&lines, "───").dim);
}

#[test]
fn every_panel_kind_is_named() {
    for (kind, header, style) in [
        ("info", "ℹ Info", PanelKind::Info),
        ("note", "✎ Note", PanelKind::Note),
        ("tip", "★ Tip", PanelKind::Tip),
        ("warning", "⚠ Warning", PanelKind::Warning),
        ("error", "✖ Error", PanelKind::Error),
        ("success", "✔ Success", PanelKind::Success),
        ("custom", "◆ Panel", PanelKind::Custom),
        ("made-up", "ℹ Info", PanelKind::Info),
    ] {
        let d = doc(
            json!([{"type": "panel", "attrs": {"panelType": kind}, "content": [para(json!([text("x")]))]}]),
        );
        let lines = lines_at(&d, 20);
        assert_eq!(lines[0].text(), format!("┃ {header}"), "{kind}");
        assert_eq!(lines[0].spans[0].style.panel, Some(style));
    }
    let custom = doc(
        json!([{"type": "panel", "attrs": {"panelType": "custom", "panelIconText": "🚀"}, "content": [para(json!([text("x")]))]}]),
    );
    assert_eq!(render(&custom, 20)[0], "┃ 🚀 Panel");
}

#[test]
fn inline_nodes_render_as_expected() {
    let mut ctx = RenderContext::default();
    ctx.user_names
        .insert("712020:ana".into(), "Ana Silva".into());
    let d = doc(json!([para(json!([
        {"type": "mention", "attrs": {"id": "712020:ana"}},
        text(" "),
        {"type": "mention", "attrs": {"id": "x", "text": "@Bo Chen"}},
        text(" "),
        {"type": "mention", "attrs": {"id": "nobody"}},
        text(" "),
        {"type": "emoji", "attrs": {"shortName": ":rocket:", "text": "🚀"}},
        {"type": "emoji", "attrs": {"shortName": ":custom-party:"}},
        text(" "),
        {"type": "status", "attrs": {"text": "In progress", "color": "blue"}},
        text(" due "),
        {"type": "date", "attrs": {"timestamp": "1714521600000"}},
        {"type": "hardBreak"},
        {"type": "inlineCard", "attrs": {"url": "https://acme.atlassian.net/browse/NAV-12"}},
        text(" "),
        {"type": "placeholder", "attrs": {"text": "Type here"}},
        text(" "),
        {"type": "mediaInline", "attrs": {"id": "m1", "collection": "c", "type": "file"}},
        text(" "),
        {"type": "inlineExtension", "attrs": {"extensionKey": "jira-chart", "extensionType": "x"}},
    ]))]));
    let lines = lines_ctx(&d, 120, &ctx);
    let texts: Vec<String> = lines.iter().map(RichLine::text).collect();
    assert_eq!(
        texts,
        [
            "@Ana Silva @Bo Chen @unknown 🚀:custom-party: [ IN PROGRESS ] due 2024-05-01",
            "https://acme.atlassian.net/browse/NAV-12 Type here [media] [extension: jira-chart]",
        ]
    );
    assert!(style_of(&lines, "@Ana").mention);
    assert!(style_of(&lines, "🚀").emoji);
    assert_eq!(
        style_of(&lines, "IN PROGRESS").status,
        Some(LozengeColor::Blue)
    );
    assert!(style_of(&lines, "NAV-12").link);
    let placeholder = style_of(&lines, "Type here");
    assert!(placeholder.dim && placeholder.italic);
    // Mentions and lozenges do not break at their inner spaces.
    let narrow = lines_ctx(&d, 16, &ctx);
    let narrow: Vec<String> = narrow.iter().map(RichLine::text).collect();
    assert!(narrow.contains(&"@Ana Silva".to_string()), "{narrow:?}");
    assert!(
        narrow.contains(&"[ IN PROGRESS ]".to_string()),
        "{narrow:?}"
    );
}

#[test]
fn block_cards_media_and_captions() {
    let mut ctx = RenderContext::default();
    ctx.media_names
        .insert("f-1".into(), "lidar-trace.pcap".into());
    let d = doc(json!([
        {"type": "blockCard", "attrs": {"url": "https://github.com/acme/nav/pull/42"}},
        {"type": "embedCard", "attrs": {"url": "https://www.figma.com/file/abc", "layout": "center"}},
        {"type": "blockCard", "attrs": {"data": {"@type": "Document", "name": "Runbook"}}},
        {"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [
            {"type": "media", "attrs": {"type": "file", "id": "f-1", "collection": "c"}},
            {"type": "caption", "content": [text("Frame drops at 31 Hz")]}
        ]},
        {"type": "mediaGroup", "content": [
            {"type": "media", "attrs": {"type": "file", "id": "f-2", "collection": "c", "alt": "dmesg.txt"}},
            {"type": "media", "attrs": {"type": "external", "url": "https://acme.example/a.png"}},
            {"type": "media", "attrs": {"type": "file", "id": "unknown", "collection": "c"}}
        ]}
    ]));
    let lines = lines_ctx(&d, 60, &ctx);
    let texts: Vec<String> = lines.iter().map(RichLine::text).collect();
    assert_eq!(
        texts,
        [
            "https://github.com/acme/nav/pull/42",
            "",
            "https://www.figma.com/file/abc",
            "",
            "Runbook",
            "",
            "[📎 lidar-trace.pcap]",
            "Frame drops at 31 Hz",
            "",
            "[📎 dmesg.txt]",
            "[📎 https://acme.example/a.png]",
            "[media]",
        ]
    );
    assert!(style_of(&lines, "github").link);
    assert!(style_of(&lines, "Frame drops").italic);
}

#[test]
fn layout_columns_render_in_sequence_and_extensions_show_their_key() {
    let d = doc(json!([
        {"type": "layoutSection", "content": [
            {"type": "layoutColumn", "attrs": {"width": 50}, "content": [para(json!([text("left")]))]},
            {"type": "layoutColumn", "attrs": {"width": 50}, "content": [para(json!([text("right")]))]}
        ]},
        {"type": "extension", "attrs": {"extensionKey": "roadmap", "extensionType": "com.atlassian", "text": "Q3 roadmap"}},
        {"type": "bodiedExtension", "attrs": {"extensionKey": "details", "extensionType": "x"}, "content": [para(json!([text("inside")]))]}
    ]));
    assert_eq!(
        render(&d, 40),
        [
            "left",
            "",
            "right",
            "",
            "[extension: roadmap]",
            "Q3 roadmap",
            "",
            "[extension: details]",
            "inside",
        ]
    );
}

fn cell(kind: &str, s: &str) -> Value {
    json!({"type": kind, "attrs": {}, "content": [para(json!([text(s)]))]})
}

#[test]
fn tables_are_aligned_grids_with_a_header() {
    let d = doc(
        json!([{"type": "table", "attrs": {"isNumberColumnEnabled": false, "layout": "default"}, "content": [
            {"type": "tableRow", "content": [cell("tableHeader", "Board"), cell("tableHeader", "Rate")]},
            {"type": "tableRow", "content": [cell("tableCell", "rev-C"), cell("tableCell", "31 Hz")]},
            {"type": "tableRow", "content": [cell("tableCell", "rev-D (prototype)"), cell("tableCell", "60 Hz")]}
        ]}]),
    );
    let lines = lines_at(&d, 60);
    let texts: Vec<String> = lines.iter().map(RichLine::text).collect();
    assert_eq!(
        texts,
        [
            "┌───────────────────┬───────┐",
            "│ Board             │ Rate  │",
            "├───────────────────┼───────┤",
            "│ rev-C             │ 31 Hz │",
            "│ rev-D (prototype) │ 60 Hz │",
            "└───────────────────┴───────┘",
        ]
    );
    assert!(style_of(&lines, "Board").table_header);
    assert!(style_of(&lines, "Board").bold);
    assert!(!style_of(&lines, "rev-C").table_header);

    // Shrunk: cell text wraps within its column, at word boundaries.
    let texts = render(&d, 20);
    assert_eq!(
        texts,
        [
            "┌───────────┬──────┐",
            "│ Board     │ Rate │",
            "├───────────┼──────┤",
            "│ rev-C     │ 31   │",
            "│           │ Hz   │",
            "│ rev-D     │ 60   │",
            "│ (prototyp │ Hz   │",
            "│ e)        │      │",
            "└───────────┴──────┘",
        ]
    );
    // Too narrow for a grid: cells one after another, nothing lost.
    let texts = render(&d, 8);
    assert_eq!(
        texts,
        [
            "Board",
            "Rate",
            "────────",
            "rev-C",
            "31 Hz",
            "────────",
            "rev-D",
            "(prototy",
            "pe)",
            "60 Hz"
        ]
    );
}

#[test]
fn tables_with_number_column_colspan_and_ragged_rows() {
    let d = doc(
        json!([{"type": "table", "attrs": {"isNumberColumnEnabled": true}, "content": [
            {"type": "tableRow", "content": [cell("tableHeader", "A"), cell("tableHeader", "B")]},
            {"type": "tableRow", "content": [{"type": "tableCell", "attrs": {"colspan": 2}, "content": [para(json!([text("wide")]))]}]},
            {"type": "tableRow", "content": [cell("tableCell", "x")]},
            {"type": "tableRow", "content": [{"type": "tableCell", "attrs": {"colspan": "2"}, "content": [para(json!([text("spanning text")]))]}]}
        ]}]),
    );
    // "wide" fits the two columns it spans; "spanning text" widens the last of them.
    assert_eq!(
        render(&d, 40),
        [
            "┌───┬───┬───────────┐",
            "│   │ A │ B         │",
            "├───┼───┼───────────┤",
            "│ 1 │ wide          │",
            "│ 2 │ x │           │",
            "│ 3 │ spanning text │",
            "└───┴───┴───────────┘",
        ]
    );
    // Too narrow for three columns of at least 4: listed, without empty cells.
    assert_eq!(
        render(&d, 18),
        [
            "A",
            "B",
            "──────────────────",
            "1",
            "wide",
            "──────────────────",
            "2",
            "x",
            "──────────────────",
            "3",
            "spanning text",
        ]
    );
}

#[test]
fn unknown_nodes_degrade_to_their_text() {
    let d = doc(json!([
        {"type": "futureBlock", "content": [para(json!([text("kept block")]))]},
        {"type": "futureInlineHolder", "content": [text("kept inline")]},
        {"type": "futureLeaf", "attrs": {"text": "kept attr text"}},
        {"type": "futureEmpty"},
        para(json!([text("a "), {"type": "futureInline", "text": "kept"}, text(" "), {"type": "futureInline2"}])),
        "bare string",
        {"content": [text("no type")]}
    ]));
    assert_eq!(
        render(&d, 40),
        [
            "kept block",
            "",
            "kept inline",
            "",
            "kept attr text",
            "",
            "[futureEmpty]",
            "",
            "a kept [futureInline2]",
            "",
            "bare string",
            "",
            "no type",
        ]
    );
    // Round-trip keeps everything, unknown nodes included.
    let back: Value = serde_json::to_value(&d).unwrap();
    assert_eq!(back, d.as_value().clone());
    assert_eq!(d.root().kind(), NodeKind::Doc);
    assert_eq!(
        d.root().content().next().unwrap().kind(),
        NodeKind::Unknown("futureBlock")
    );
}

#[test]
fn hostile_text_is_sanitised_everywhere() {
    let evil = "x\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}y\u{1b}[2J\u{202e}z";
    let d = doc(json!([
        para(json!([text(evil), {"type": "mention", "attrs": {"id": "1", "text": evil}}])),
        {"type": "codeBlock", "attrs": {"language": evil}, "content": [text(evil)]},
        {"type": "status", "attrs": {"text": evil, "color": "red"}},
        {"type": "panel", "attrs": {"panelType": "custom", "panelIconText": evil}, "content": []},
        {"type": "expand", "attrs": {"title": evil}, "content": []},
        {"type": "blockCard", "attrs": {"url": evil}},
    ]));
    for line in lines_at(&d, 50) {
        for c in line.text().chars() {
            assert!(
                !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c),
                "{c:?} in {:?}",
                line.text()
            );
        }
        assert!(!line.text().contains("ZWNo"));
    }
    let plain = adf::plain_text(&d);
    assert!(!plain.contains('\u{1b}') && !plain.contains('\u{202e}'));
}

fn nested(depth: usize) -> Value {
    // Built by moving values into maps: `json!` would re-serialise the inner value
    // recursively at every level.
    fn node(kind: &str, child: Value) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("type".into(), Value::from(kind));
        map.insert("content".into(), Value::Array(vec![child]));
        Value::Object(map)
    }
    let mut n = json!({"type": "paragraph", "content": [{"type": "text", "text": "deep"}]});
    for i in 0..depth {
        n = if i % 2 == 0 {
            node("blockquote", n)
        } else {
            node("bulletList", node("listItem", n))
        };
    }
    node("doc", n)
}

#[test]
fn deep_nesting_is_guarded() {
    // Far deeper than serde_json would even parse from text; built in memory.
    let d = Adf::from_value(nested(1_000));
    let lines = render(&d, 40);
    assert!(lines.iter().any(|l| l.contains("deep")), "{lines:?}");
    assert_eq!(adf::plain_text(&d), "deep");
    // Moderately deep documents still render with structure.
    let d = Adf::from_value(nested(6));
    assert_eq!(render(&d, 40), ["• │ ◦ │ ▪ │ deep"]);
}

#[test]
fn plain_text_and_round_trip() {
    let d = doc(json!([
        {"type": "heading", "attrs": {"level": 2}, "content": [text("Steps")]},
        {"type": "orderedList", "content": [item("Open the app"), item("Tap reset")]},
        para(json!([text("Ping "), {"type": "mention", "attrs": {"id": "1", "text": "@Ana"}}, {"type": "hardBreak"}, text("thanks")])),
        {"type": "codeBlock", "content": [text("a\nb")]},
    ]));
    assert_eq!(
        adf::plain_text(&d),
        "Steps\nOpen the app\nTap reset\nPing @Ana\nthanks\na\nb"
    );
    let json_text = serde_json::to_string(&d).unwrap();
    let back: Adf = serde_json::from_str(&json_text).unwrap();
    assert_eq!(back, d);
    assert!(!d.is_empty());
    assert!(Adf::default().is_empty());
}

#[test]
fn from_plain_text_builds_valid_paragraphs() {
    let d = Adf::from_plain_text("first line\nsecond line\n\nnext paragraph");
    assert_eq!(
        d.as_value(),
        &json!({"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [
                {"type": "text", "text": "first line"},
                {"type": "hardBreak"},
                {"type": "text", "text": "second line"}
            ]},
            {"type": "paragraph", "content": [{"type": "text", "text": "next paragraph"}]}
        ]})
    );
    assert_eq!(
        render(&d, 40),
        ["first line", "second line", "", "next paragraph"]
    );
}

#[test]
fn v2_plain_string_bodies_render_as_text() {
    let d = Adf::from_value(Value::String("line one\nline two".into()));
    assert_eq!(render(&d, 40), ["line one", "line two"]);
    assert_eq!(adf::plain_text(&d), "line one\nline two");
}

// ---- property tests over random documents ----

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}( [a-z]{1,8}){0,6}",
        "[\\PC]{1,20}",
        Just("日本語のテキスト 🚀 emoji".to_string()),
        Just("\u{1b}[2J\u{1b}]52;c;AAAA\u{7}\u{202e}evil\t\ttab\r\n".to_string()),
        Just("https://example.com/a/very/long/url/that/never/has/spaces/in/it".to_string()),
    ]
}

fn arb_inline() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            arb_text(),
            proptest::collection::vec(
                prop_oneof![
                    Just(json!({"type": "strong"})),
                    Just(json!({"type": "code"})),
                    Just(json!({"type": "link", "attrs": {"href": "https://x.example"}})),
                    Just(json!({"type": "textColor", "attrs": {"color": "#00ff00"}})),
                    Just(json!({"type": "weird"})),
                ],
                0..3
            )
        )
            .prop_map(|(t, m)| json!({"type": "text", "text": t, "marks": m})),
        Just(json!({"type": "hardBreak"})),
        arb_text().prop_map(|t| json!({"type": "mention", "attrs": {"id": "1", "text": t}})),
        arb_text().prop_map(|t| json!({"type": "status", "attrs": {"text": t, "color": "red"}})),
        Just(json!({"type": "emoji", "attrs": {"shortName": ":x:"}})),
        Just(json!({"type": "date", "attrs": {"timestamp": "not-a-number"}})),
        Just(json!({"type": "inlineCard", "attrs": {"url": "https://example.com/browse/NAV-1"}})),
        arb_text().prop_map(|t| json!({"type": "mysteryInline", "text": t})),
        Just(json!(null)),
        Just(json!(42)),
    ]
}

fn arb_block() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        proptest::collection::vec(arb_inline(), 0..6)
            .prop_map(|c| json!({"type": "paragraph", "content": c})),
        arb_text().prop_map(|t| json!({"type": "codeBlock", "attrs": {"language": "sh"}, "content": [{"type": "text", "text": t}]})),
        Just(json!({"type": "rule"})),
        Just(json!({"type": "media", "attrs": {"type": "file", "id": "x"}})),
        arb_text().prop_map(|t| json!({"type": "unknownLeaf", "attrs": {"text": t}})),
    ];
    leaf.prop_recursive(6, 64, 5, |inner| {
        let blocks = proptest::collection::vec(inner, 0..4);
        prop_oneof![
            blocks.clone().prop_map(|c| json!({"type": "blockquote", "content": c})),
            blocks.clone().prop_map(|c| json!({"type": "panel", "attrs": {"panelType": "note"}, "content": c})),
            blocks.clone().prop_map(|c| json!({"type": "bulletList", "content": [{"type": "listItem", "content": c}]})),
            blocks.clone().prop_map(|c| json!({"type": "orderedList", "attrs": {"order": 7}, "content": [{"type": "listItem", "content": c}, {"type": "listItem", "content": c}]})),
            blocks.clone().prop_map(|c| json!({"type": "expand", "attrs": {"title": "t"}, "content": c})),
            (blocks.clone(), blocks.clone()).prop_map(|(a, b)| json!({"type": "table", "attrs": {"isNumberColumnEnabled": true}, "content": [
                {"type": "tableRow", "content": [{"type": "tableHeader", "content": a}, {"type": "tableHeader", "content": b}]},
                {"type": "tableRow", "content": [{"type": "tableCell", "attrs": {"colspan": 2}, "content": b}]},
                {"type": "tableRow", "content": [{"type": "tableCell", "content": a}, {"type": "tableCell", "content": b}, {"type": "tableCell", "content": a}]}
            ]})),
            blocks.clone().prop_map(|c| json!({"type": "taskList", "content": [{"type": "taskItem", "attrs": {"state": "DONE"}, "content": c}]})),
            blocks.prop_map(|c| json!({"type": "somethingNew", "content": c})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_documents_render_within_width(
        blocks in proptest::collection::vec(arb_block(), 0..5),
        width in 1u16..100,
    ) {
        let d = doc(Value::Array(blocks));
        let lines = adf::render(&d, width, &RenderContext::default());
        for l in &lines {
            prop_assert!(l.width() <= usize::from(width), "{:?} > {width}", l.text());
            prop_assert_eq!(l.width(), l.text().width());
            for c in l.text().chars() {
                prop_assert!(!c.is_control(), "control {:?}", c);
            }
        }
        let _ = adf::plain_text(&d);
        prop_assert_eq!(serde_json::to_value(&d).unwrap(), d.as_value().clone());
    }

    #[test]
    fn random_json_never_panics_the_renderer(value in arb_json(), width in 0u16..60) {
        let d = Adf::from_value(value);
        for l in adf::render(&d, width, &RenderContext::default()) {
            prop_assert!(l.width() <= usize::from(width));
        }
        let _ = adf::plain_text(&d);
        let _ = adf::links(&d);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("doc"),
            Just("paragraph"),
            Just("text"),
            Just("table"),
            Just("tableRow"),
            Just("listItem"),
            Just("orderedList"),
            Just("mention"),
            Just("status"),
            Just("content"),
            Just("type"),
            Just("attrs"),
            Just("order"),
            Just("colspan"),
            Just("level"),
        ]
        .prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("type"),
                    Just("content"),
                    Just("attrs"),
                    Just("text"),
                    Just("marks"),
                    Just("level"),
                    Just("order"),
                    Just("colspan")
                ]
                .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
