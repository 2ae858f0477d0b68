//! Hostile data for the emulator: the demo dataset with every string a person could
//! have typed into Jira turned into a terminal attack, and "resource bombs" (a 1 MB
//! summary, a 100,000-node document, 100,000 comments, a 10,000-deep document, a 50 MB
//! answer). `jtui demo --hostile` browses the first; tests use both.
//!
//! The payloads cover what a terminal would act on: C0 and C1 controls, CSI (clear the
//! screen, colours, leave the alternate screen, ask for the cursor position), OSC 52
//! clipboard writes, OSC 8 links and OSC 0 titles, DCS/APC/PM/SOS strings, their 8-bit
//! forms, bidi overrides, zero-width and tag characters, tabs, carriage-return
//! overwrites and very long lines. Every escape sequence carries a [`HIDDEN_MARKERS`]
//! text inside it: if that text ever shows on screen, a sequence got through.
//!
//! Identifiers stay clean (issue and project keys, account ids, e-mails, enum-like
//! values such as a sprint's state): the emulator has to keep working, and Jira itself
//! restricts them.

use axum::body::Bytes;
use serde_json::{Value, json};

use super::seed;
use super::store::{Comment, Store};

/// One of each attack, in the order [`taint`] cycles through them.
pub const PAYLOADS: &[&str] = &[
    // Clear the screen and home the cursor.
    "\x1b[2J\x1b[H",
    // Colours: the visible word stays, the sequences go.
    "\x1b[31mRED\x1b[0m",
    // OSC 52: write "HOSTILE-CLIPBOARD" to the clipboard, BEL- and ST-terminated.
    "\x1b]52;c;SE9TVElMRS1DTElQQk9BUkQ=\x07",
    "\x1b]52;c;SE9TVElMRS1DTElQQk9BUkQ=\x1b\\",
    // OSC 8: a link whose target is not what it says.
    "\x1b]8;;https://osc8.invalid/pwn\x1b\\click here\x1b]8;;\x1b\\",
    // OSC 0: the window title.
    "\x1b]0;HOSTILE-TITLE\x07",
    // DCS (a DECRQSS query), APC, PM, SOS.
    "\x1bP1$qHOSTILE-DCS\x1b\\",
    "\x1b_HOSTILE-APC\x1b\\",
    "\x1b^HOSTILE-PM\x1b\\",
    "\x1bXHOSTILE-SOS\x1b\\",
    // The same introducers as 8-bit C1 characters.
    "\u{9b}2J",
    "\u{9d}52;c;SE9TVElMRS1DTElQQk9BUkQ=\u{9c}",
    "\u{90}HOSTILE-DCS8\u{9c}",
    "\u{9f}HOSTILE-APC8\u{9c}",
    // Leave the alternate screen, show the cursor, full reset, report the cursor.
    "\x1b[?1049l\x1b[?25h",
    "\x1bc",
    "\x1b[6n",
    // Bidi overrides and isolates: `exe.png` reads as `gnp.exe` reversed.
    "\u{202e}gnp.exe\u{202c}",
    "\u{2066}iso\u{2069}\u{2067}late\u{2069}",
    // Zero-width characters and tag characters that smuggle hidden text.
    "pay\u{200b}pal\u{200d}\u{feff}\u{2060}",
    "\u{e0048}\u{e0049}tags",
    // C0 and C1 controls: bell, backspace, NUL, VT, FF, DEL, NEL.
    "\x07\x08\x00\x0b\x0c\x7f\u{85}",
    // Tabs, and a carriage return that would overwrite the line start.
    "tab\tseparated\tvalues",
    "innocent\rEVIL",
];

/// Texts that only ever occur inside an escape sequence of [`PAYLOADS`]: none of them
/// may reach the screen.
pub const HIDDEN_MARKERS: &[&str] = &[
    "[2J",
    "[31m",
    "[0m",
    "52;c;",
    "SE9TVElMRS1",
    "osc8.invalid",
    "HOSTILE-TITLE",
    "HOSTILE-DCS",
    "HOSTILE-APC",
    "HOSTILE-PM",
    "HOSTILE-SOS",
    "[?1049",
    "[?25h",
    "[6n",
];

/// A line with no break opportunity, longer than any terminal is wide.
const LONG_WORD_CHARS: usize = 3_000;

/// `text` carrying three payloads (which ones depends on `n`): before, in the middle
/// and after it, and every fifth time also a very long unbroken word.
pub fn taint(text: &str, n: usize) -> String {
    let p = |k: usize| PAYLOADS[(n + k) % PAYLOADS.len()];
    let (head, tail) = text.split_at(text.find(' ').unwrap_or(text.len()));
    let mut out = format!("{}{head}{}{tail}{}", p(0), p(9), p(17));
    if n.is_multiple_of(5) {
        out.push(' ');
        out.push_str(&"W".repeat(LONG_WORD_CHARS));
    }
    out
}

/// ADF members whose strings a reader sees (text, link targets, titles, alt texts...).
/// Structural ones (`type`, `layout`, `panelType`, `state`...) stay valid.
const VISIBLE_ADF_MEMBERS: &[&str] = &[
    "text",
    "href",
    "url",
    "title",
    "alt",
    "shortName",
    "language",
    "extensionKey",
    "name",
];

/// Taints every visible string of an ADF document (or any JSON value from the store).
pub fn taint_value(value: &mut Value, n: &mut usize) {
    // The store's documents are shallow; a work list keeps this safe at any depth anyway.
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (key, member) in map.iter_mut() {
                    match member {
                        Value::String(s) if VISIBLE_ADF_MEMBERS.contains(&key.as_str()) => {
                            *n += 1;
                            *s = taint(s, *n);
                        }
                        Value::Object(_) | Value::Array(_) => stack.push(member),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            Value::String(s) => {
                *n += 1;
                *s = taint(s, *n);
            }
            _ => {}
        }
    }
}

/// A document with every kind of node the issue pane draws, each carrying payloads.
pub fn hostile_doc(n: usize) -> Value {
    let t = |k: usize, s: &str| taint(s, n + k);
    let text = |k: usize, s: &str| json!({ "type": "text", "text": t(k, s) });
    let para = |k: usize, s: &str| json!({ "type": "paragraph", "content": [text(k, s)] });
    json!({
        "type": "doc",
        "version": 1,
        "content": [
            { "type": "heading", "attrs": { "level": 2 }, "content": [text(1, "Heading text")] },
            { "type": "paragraph", "content": [
                text(2, "Plain text then"),
                { "type": "text", "text": t(3, "a link"), "marks": [
                    { "type": "link", "attrs": { "href": t(4, "https://example.com/x") } },
                ] },
                { "type": "text", "text": t(5, "coloured"), "marks": [
                    { "type": "textColor", "attrs": { "color": "#ff5630" } }, { "type": "strong" },
                ] },
                { "type": "hardBreak" },
                { "type": "mention", "attrs": { "id": "unknown-account", "text": t(6, "@Someone") } },
                { "type": "emoji", "attrs": { "shortName": t(7, ":smile:"), "text": t(8, "smile") } },
                { "type": "status", "attrs": { "text": t(9, "In review"), "color": "blue" } },
                { "type": "date", "attrs": { "timestamp": "1795186800000" } },
                { "type": "inlineCard", "attrs": { "url": t(10, "https://example.com/card") } },
                { "type": "placeholder", "attrs": { "text": t(11, "Type here") } },
            ] },
            { "type": "bulletList", "content": [
                { "type": "listItem", "content": [para(12, "First bullet")] },
                { "type": "listItem", "content": [para(13, "Second bullet"),
                    { "type": "orderedList", "content": [
                        { "type": "listItem", "content": [para(14, "Nested numbered")] },
                    ] },
                ] },
            ] },
            { "type": "taskList", "attrs": { "localId": "t" }, "content": [
                { "type": "taskItem", "attrs": { "localId": "t1", "state": "DONE" },
                  "content": [text(15, "A task")] },
            ] },
            { "type": "decisionList", "attrs": { "localId": "d" }, "content": [
                { "type": "decisionItem", "attrs": { "localId": "d1", "state": "DECIDED" },
                  "content": [text(16, "A decision")] },
            ] },
            { "type": "codeBlock", "attrs": { "language": t(17, "rust") }, "content": [
                text(18, "fn main() {\n\tprintln!(\"tabs\tand\rreturns\");\n}"),
            ] },
            { "type": "blockquote", "content": [para(19, "Quoted words")] },
            { "type": "panel", "attrs": { "panelType": "warning" }, "content": [para(20, "Panel body")] },
            { "type": "expand", "attrs": { "title": t(21, "Expand title") }, "content": [
                para(22, "Inside the expand"),
                { "type": "nestedExpand", "attrs": { "title": t(23, "Nested title") },
                  "content": [para(24, "Inside the nested expand")] },
            ] },
            { "type": "table", "content": [
                { "type": "tableRow", "content": [
                    { "type": "tableHeader", "content": [para(25, "Header A")] },
                    { "type": "tableHeader", "content": [para(26, "Header B")] },
                ] },
                { "type": "tableRow", "content": [
                    { "type": "tableCell", "content": [para(27, "Cell one")] },
                    { "type": "tableCell", "content": [para(28, "Cell two")] },
                ] },
            ] },
            { "type": "mediaSingle", "content": [
                { "type": "media", "attrs": { "id": "m1", "type": "file", "collection": "c",
                                             "alt": t(29, "diagram.png") } },
            ] },
            { "type": "rule" },
            { "type": "blockCard", "attrs": { "url": t(30, "https://example.com/block") } },
            { "type": "extension", "attrs": { "extensionType": "com.example",
                                              "extensionKey": t(31, "macro") } },
            { "type": t(32, "unknownNodeType"), "content": [para(33, "Unknown node content")] },
        ],
    })
}

/// The demo dataset (`issues` of them) with payloads in every string a user sees.
pub fn hostile_store(issues: usize) -> Store {
    let mut store = seed::demo_store(issues);
    let mut n = 0usize;
    let mut next = || {
        n += 1;
        n
    };
    let mut t = |s: &mut String| *s = taint(s, next());
    for user in &mut store.users {
        t(&mut user.display_name);
    }
    for project in &mut store.projects {
        t(&mut project.name);
        t(&mut project.description);
        for c in &mut project.components {
            t(&mut c.name);
            t(&mut c.description);
        }
        for v in &mut project.versions {
            t(&mut v.name);
            t(&mut v.description);
        }
    }
    for it in &mut store.issue_types {
        t(&mut it.name);
        t(&mut it.description);
    }
    for s in &mut store.statuses {
        t(&mut s.name);
        t(&mut s.description);
    }
    for p in &mut store.priorities {
        t(&mut p.name);
        t(&mut p.description);
    }
    for r in &mut store.resolutions {
        t(&mut r.name);
        t(&mut r.description);
    }
    for l in &mut store.link_types {
        t(&mut l.name);
        t(&mut l.inward);
        t(&mut l.outward);
    }
    for f in &mut store.custom_fields {
        t(&mut f.name);
        t(&mut f.description);
        if let super::store::CustomFieldKind::Select(options) = &mut f.kind {
            for (_, value) in options {
                t(value);
            }
        }
    }
    for s in &mut store.sprints {
        t(&mut s.name);
        t(&mut s.goal);
    }
    for tr in &mut store.workflow.transitions {
        t(&mut tr.name);
    }
    // Who a comment may be restricted to: the editor lists these names.
    for role in &mut store.schemes.roles {
        t(role);
    }
    for group in &mut store.schemes.groups {
        t(&mut group.name);
    }
    for (i, filter) in store.filters.iter_mut().enumerate() {
        t(&mut filter.name);
        t(&mut filter.description);
        // One filter's query itself is hostile: running it shows Jira's error, which
        // quotes the query back.
        if i == 0 {
            t(&mut filter.jql);
        }
    }
    let k = std::cell::Cell::new(1_000usize);
    let t = |s: &mut String| {
        k.set(k.get() + 1);
        *s = taint(s, k.get());
    };
    let tv = |v: &mut Value| {
        let mut n = k.get();
        taint_value(v, &mut n);
        k.set(n);
    };
    for (i, issue) in store.issues.iter_mut().enumerate() {
        t(&mut issue.summary);
        for label in &mut issue.labels {
            t(label);
        }
        for a in &mut issue.attachments {
            t(&mut a.filename);
            t(&mut a.mime_type);
        }
        for h in &mut issue.changelog {
            for item in &mut h.items {
                t(&mut item.field);
                for s in [&mut item.from_string, &mut item.to_string]
                    .into_iter()
                    .flatten()
                {
                    t(s);
                }
            }
        }
        for c in &mut issue.comments {
            tv(&mut c.body);
            if let Some((_, name)) = &mut c.visibility {
                t(name);
            }
        }
        for value in issue.custom.values_mut() {
            tv(value);
        }
        issue.description = Some(match issue.description.take() {
            // Every few issues show every node type; the rest their own text, tainted.
            Some(_) | None if i % 3 == 0 => hostile_doc(i),
            Some(mut doc) => {
                tv(&mut doc);
                doc
            }
            None => hostile_doc(i),
        });
        if let Some(env) = &mut issue.environment {
            tv(env);
        }
    }
    store
}

/// Which issues of [`bomb_store`] carry which bomb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BombKeys {
    /// A 1 MB summary on one line.
    pub huge_summary: String,
    /// A description of 100,000 nodes (50,000 paragraphs of one text node each).
    pub wide_doc: String,
    /// 100,000 comments.
    pub many_comments: String,
    /// Left as it is in the store; serve [`deep_doc_issue`] for it to give it a
    /// 10,000-deep description (too deep for the store: the emulator's own text index
    /// walks documents recursively).
    pub deep_doc: String,
}

/// Characters in [`BombKeys::huge_summary`]'s summary.
pub const HUGE_SUMMARY_BYTES: usize = 1 << 20;
/// Paragraphs in [`BombKeys::wide_doc`]'s description (two nodes each).
pub const WIDE_DOC_PARAGRAPHS: usize = 50_000;
/// Comments on [`BombKeys::many_comments`].
pub const MANY_COMMENTS: usize = 100_000;
/// Nesting of [`deep_doc_issue`]'s description.
pub const DEEP_DOC_LEVELS: usize = 10_000;

/// The demo dataset with resource bombs in four of its issues (see [`BombKeys`]).
pub fn bomb_store(issues: usize) -> (Store, BombKeys) {
    let mut store = seed::demo_store(issues.max(4));
    let key = |i: usize| store.issues[i].key.clone();
    let keys = BombKeys {
        huge_summary: key(0),
        wide_doc: key(1),
        many_comments: key(2),
        deep_doc: key(3),
    };
    let mut summary = String::with_capacity(HUGE_SUMMARY_BYTES + 16);
    summary.push_str("Huge summary ");
    while summary.len() < HUGE_SUMMARY_BYTES {
        summary.push_str("0123456789abcdef");
    }
    store.issues[0].summary = summary;
    let paragraphs: Vec<Value> = (0..WIDE_DOC_PARAGRAPHS)
        .map(|i| {
            json!({ "type": "paragraph", "content": [
                { "type": "text", "text": format!("Paragraph {i} of a very long description.") },
            ] })
        })
        .collect();
    store.issues[1].description =
        Some(json!({ "type": "doc", "version": 1, "content": paragraphs }));
    let template = store.issues[2].comments.first().cloned();
    let author = template
        .as_ref()
        .map_or_else(|| seed::DEMO_ACCOUNT_ID.to_owned(), |c| c.author.clone());
    let created = store.issues[2].created;
    let first_id = 900_000u64;
    store.issues[2].comments = (0..MANY_COMMENTS as u64)
        .map(|i| Comment {
            id: first_id + i,
            author: author.clone(),
            update_author: author.clone(),
            // Bodies are tiny: the bomb is their number.
            body: json!({ "type": "doc", "version": 1, "content": [] }),
            created: created + chrono::Duration::seconds(i as i64),
            updated: created + chrono::Duration::seconds(i as i64),
            visibility: None,
        })
        .collect();
    (store, keys)
}

/// `GET /issue/{key}` for `key` with a description nested `levels` deep (each level a
/// blockquote holding a "level N" paragraph and the next level), as bytes: a JSON value
/// that deep would overflow the stack when serialised or dropped, so it is written as
/// text.
pub fn deep_doc_issue(key: &str, levels: usize) -> Bytes {
    let mut body = String::with_capacity(levels * 128 + 512);
    body.push_str(&format!(
        r#"{{"id":"99999","key":"{key}","self":"http://127.0.0.1/rest/api/3/issue/99999","fields":{{"summary":"A description nested {levels} levels deep","description":{{"type":"doc","version":1,"content":["#
    ));
    for level in 0..levels {
        body.push_str(&format!(
            r#"{{"type":"blockquote","content":[{{"type":"paragraph","content":[{{"type":"text","text":"level {level}"}}]}},"#
        ));
    }
    body.push_str(r#"{"type":"paragraph","content":[{"type":"text","text":"the bottom"}]}"#);
    for _ in 0..levels {
        body.push_str("]}");
    }
    body.push_str("]}}}");
    Bytes::from(body)
}

/// A syntactically valid JSON object of at least `bytes` bytes: one long string member.
pub fn huge_body(bytes: usize) -> Bytes {
    let mut body = Vec::with_capacity(bytes + 32);
    body.extend_from_slice(br#"{"issues":[],"padding":""#);
    body.resize(body.len() + bytes, b'x');
    body.extend_from_slice(br#""}"#);
    Bytes::from(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize::sanitize;

    #[test]
    fn every_marker_sits_inside_a_sequence_the_sanitiser_removes() {
        for payload in PAYLOADS {
            let clean = sanitize(payload);
            for marker in HIDDEN_MARKERS {
                assert!(!clean.contains(marker), "{payload:?} leaks {marker}");
            }
        }
    }

    #[test]
    fn taint_keeps_the_text_and_adds_payloads() {
        let s = taint("Lidar drops frames", 3);
        assert!(s.contains("Lidar"));
        assert!(s.contains("drops frames"));
        assert!(
            s.chars()
                .any(|c| c.is_control() || c == '\u{202e}' || c == '\u{200b}')
        );
    }

    #[test]
    fn the_hostile_store_taints_what_users_see_and_keeps_keys() {
        let store = hostile_store(30);
        let dirty = |s: &str| sanitize(s) != s;
        assert!(store.users.iter().all(|u| dirty(&u.display_name)));
        assert!(store.issues.iter().all(|i| dirty(&i.summary)));
        assert!(
            store
                .projects
                .iter()
                .all(|p| !dirty(&p.key) && dirty(&p.name))
        );
        assert!(store.issues.iter().all(|i| !dirty(&i.key)));
        assert!(store.statuses.iter().all(|s| dirty(&s.name)));
    }

    #[test]
    fn the_deep_document_is_as_deep_as_promised() {
        let body = deep_doc_issue("NAV-4", 50);
        let value: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(value["key"], "NAV-4");
        assert!(crate::jira::bounds::max_nesting(&deep_doc_issue("NAV-4", 10_000)) > 20_000);
    }
}
