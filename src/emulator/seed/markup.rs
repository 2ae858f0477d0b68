//! A compact, line-based markup for the demo texts in `assets/demo/`, turned into ADF.
//!
//! Hand-writing ADF JSON for hundreds of snippets would bury the prose, so the assets use
//! this markup instead. Every construct maps to one ADF node, and the output is checked
//! against Atlassian's schema by `tests/seed_adf.rs`.
//!
//! Blocks (one per line, blank lines separate paragraphs; adjacent lines join with a
//! hardBreak):
//! `# ` .. `###### ` heading, `---` rule, `- ` bullet, `1. ` ordered, `[ ] `/`[x] ` task,
//! `<> ` decision (two spaces of indent nest a list), `> ` blockquote, `|| a || b ||`
//! header row and `| a | b |` row of a table, ```` ```lang ```` code block,
//! `:::info` .. `:::` panel, `+++Title` .. `+++` expand.
//!
//! Inline: `**strong**`, `*em*`, `` `code` ``, `~~strike~~`, `__underline__`, `^^sup^^`,
//! `,,sub,,`, `{color:#ff5630}text{color}`, `[text](url)`, `<<url>>` inline card,
//! `@[accountId:Display Name]` mention, `{status:color:TEXT}` lozenge,
//! `{date:epochMillis}` date, `:shortname:` emoji from [`EMOJI`].

use serde_json::{Map, Value, json};

use super::rng::Rng;

/// The emoji the texts may use: (short name, unicode id, glyph), as Jira's picker sends them.
pub(crate) const EMOJI: &[(&str, &str, &str)] = &[
    (":thumbsup:", "1f44d", "\u{1f44d}"),
    (":tada:", "1f389", "\u{1f389}"),
    (":warning:", "26a0", "\u{26a0}\u{fe0f}"),
    (":white_check_mark:", "2705", "\u{2705}"),
    (":eyes:", "1f440", "\u{1f440}"),
    (":fire:", "1f525", "\u{1f525}"),
    (":bug:", "1f41b", "\u{1f41b}"),
    (":robot:", "1f916", "\u{1f916}"),
    (":pray:", "1f64f", "\u{1f64f}"),
    (":rocket:", "1f680", "\u{1f680}"),
    (":smile:", "1f604", "\u{1f604}"),
    (":x:", "274c", "\u{274c}"),
    (":thinking:", "1f914", "\u{1f914}"),
    (":coffee:", "2615", "\u{2615}"),
];

/// Panel types ADF accepts in `:::type`.
const PANEL_TYPES: &[&str] = &["info", "note", "tip", "warning", "error", "success"];

/// Wraps block nodes into an ADF document.
pub(crate) fn doc(content: Vec<Value>) -> Value {
    obj([
        ("type", s("doc")),
        ("version", json!(1)),
        ("content", Value::Array(content)),
    ])
}

/// A JSON object from owned values. Unlike `json!`, interpolated `Value`s are moved in,
/// not serialised again, which matters when building thousands of documents.
pub(crate) fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut map = Map::with_capacity(N);
    for (key, value) in pairs {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

pub(crate) fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

/// Parses markup into ADF block nodes. `rng` supplies the `localId`s ADF requires on
/// task and decision lists.
pub(crate) fn blocks(text: &str, rng: &mut Rng) -> Vec<Value> {
    let lines: Vec<&str> = text.lines().collect();
    parse_blocks(&lines, rng)
}

fn parse_blocks(lines: &[&str], rng: &mut Rng) -> Vec<Value> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() {
            flush_paragraph(&mut para, &mut out, rng);
            i += 1;
            continue;
        }
        if let Some(lang) = line.strip_prefix("```") {
            flush_paragraph(&mut para, &mut out, rng);
            let end = closing(lines, i + 1, "```");
            out.push(code_block(lang.trim(), &lines[i + 1..end].join("\n")));
            i = end + 1;
            continue;
        }
        if let Some(kind) = line.strip_prefix(":::").filter(|k| !k.is_empty()) {
            flush_paragraph(&mut para, &mut out, rng);
            let end = closing(lines, i + 1, ":::");
            out.push(panel(kind.trim(), parse_blocks(&lines[i + 1..end], rng)));
            i = end + 1;
            continue;
        }
        if let Some(title) = line.strip_prefix("+++").filter(|t| !t.is_empty()) {
            flush_paragraph(&mut para, &mut out, rng);
            let end = closing(lines, i + 1, "+++");
            out.push(obj([
                ("type", s("expand")),
                ("attrs", obj([("title", s(title.trim()))])),
                (
                    "content",
                    Value::Array(parse_blocks(&lines[i + 1..end], rng)),
                ),
            ]));
            i = end + 1;
            continue;
        }
        if let Some((level, rest)) = heading(line) {
            flush_paragraph(&mut para, &mut out, rng);
            out.push(obj([
                ("type", s("heading")),
                ("attrs", obj([("level", json!(level))])),
                ("content", Value::Array(inline(rest, rng))),
            ]));
            i += 1;
            continue;
        }
        if line.trim() == "---" {
            flush_paragraph(&mut para, &mut out, rng);
            out.push(obj([("type", s("rule"))]));
            i += 1;
            continue;
        }
        if line.starts_with('|') {
            flush_paragraph(&mut para, &mut out, rng);
            let end = run_end(lines, i, |l| l.starts_with('|'));
            out.push(table(&lines[i..end], rng));
            i = end;
            continue;
        }
        if line.starts_with('>') {
            flush_paragraph(&mut para, &mut out, rng);
            let end = run_end(lines, i, |l| l.starts_with('>'));
            let inner: Vec<&str> = lines[i..end]
                .iter()
                .map(|l| l.trim_start_matches('>').strip_prefix(' ').unwrap_or(""))
                .collect();
            out.push(obj([
                ("type", s("blockquote")),
                ("content", Value::Array(parse_blocks(&inner, rng))),
            ]));
            i = end;
            continue;
        }
        if list_marker(line).is_some() {
            flush_paragraph(&mut para, &mut out, rng);
            let end = run_end(lines, i, |l| list_marker(l).is_some());
            let items: Vec<ListLine<'_>> = lines[i..end]
                .iter()
                .filter_map(|l| list_marker(l))
                .collect();
            let mut pos = 0;
            while pos < items.len() {
                let level = items[pos].indent;
                out.push(list(&items, &mut pos, level, rng));
            }
            i = end;
            continue;
        }
        para.push(line);
        i += 1;
    }
    flush_paragraph(&mut para, &mut out, rng);
    out
}

/// The index of the line that closes a fenced block (or the end, if it is never closed).
fn closing(lines: &[&str], from: usize, fence: &str) -> usize {
    (from..lines.len())
        .find(|&j| lines[j].trim() == fence)
        .unwrap_or(lines.len())
}

/// The index after the run of lines starting at `from` that satisfy `pred`.
fn run_end(lines: &[&str], from: usize, pred: impl Fn(&str) -> bool) -> usize {
    (from..lines.len())
        .find(|&j| !pred(lines[j].trim_end()))
        .unwrap_or(lines.len())
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let rest = line[level..].strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, rest))
}

fn flush_paragraph(para: &mut Vec<&str>, out: &mut Vec<Value>, rng: &mut Rng) {
    if para.is_empty() {
        return;
    }
    let mut content = Vec::new();
    for (n, line) in para.iter().enumerate() {
        if n > 0 {
            content.push(obj([("type", s("hardBreak"))]));
        }
        content.extend(inline(line.trim(), rng));
    }
    out.push(paragraph(content));
    para.clear();
}

fn paragraph(content: Vec<Value>) -> Value {
    obj([("type", s("paragraph")), ("content", Value::Array(content))])
}

fn code_block(language: &str, code: &str) -> Value {
    let mut node = Map::new();
    node.insert("type".into(), s("codeBlock"));
    if !language.is_empty() {
        node.insert("attrs".into(), obj([("language", s(language))]));
    }
    let content = if code.is_empty() {
        vec![]
    } else {
        vec![obj([("type", s("text")), ("text", s(code))])]
    };
    node.insert("content".into(), Value::Array(content));
    Value::Object(node)
}

fn panel(kind: &str, content: Vec<Value>) -> Value {
    let kind = if PANEL_TYPES.contains(&kind) {
        kind
    } else {
        "info"
    };
    obj([
        ("type", s("panel")),
        ("attrs", obj([("panelType", s(kind))])),
        ("content", Value::Array(content)),
    ])
}

fn table(rows: &[&str], rng: &mut Rng) -> Value {
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            let (cell_type, cells): (&str, Vec<&str>) = if let Some(inner) = row.strip_prefix("||")
            {
                let inner = inner.trim_end().trim_end_matches("||");
                ("tableHeader", inner.split("||").collect())
            } else {
                let inner = row.trim_start_matches('|').trim_end().trim_end_matches('|');
                ("tableCell", inner.split('|').collect())
            };
            let cells: Vec<Value> = cells
                .iter()
                .map(|c| {
                    obj([
                        ("type", s(cell_type)),
                        ("attrs", obj([])),
                        (
                            "content",
                            Value::Array(vec![paragraph(inline(c.trim(), rng))]),
                        ),
                    ])
                })
                .collect();
            obj([("type", s("tableRow")), ("content", Value::Array(cells))])
        })
        .collect();
    let attrs = obj([
        ("isNumberColumnEnabled", Value::Bool(false)),
        ("layout", s("default")),
        ("localId", Value::String(rng.uuid())),
    ]);
    obj([
        ("type", s("table")),
        ("attrs", attrs),
        ("content", Value::Array(rows)),
    ])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Bullet,
    Ordered,
    Task { done: bool },
    Decision,
}

impl ListKind {
    /// Whether two items belong in the same list node.
    fn same_list(self, other: ListKind) -> bool {
        matches!(
            (self, other),
            (ListKind::Bullet, ListKind::Bullet)
                | (ListKind::Ordered, ListKind::Ordered)
                | (ListKind::Task { .. }, ListKind::Task { .. })
                | (ListKind::Decision, ListKind::Decision)
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct ListLine<'a> {
    indent: usize,
    kind: ListKind,
    text: &'a str,
}

fn list_marker(line: &str) -> Option<ListLine<'_>> {
    let body = line.trim_start_matches(' ');
    let indent = (line.len() - body.len()) / 2;
    let (kind, text) = if let Some(t) = body.strip_prefix("- ") {
        (ListKind::Bullet, t)
    } else if let Some(t) = body.strip_prefix("[ ] ") {
        (ListKind::Task { done: false }, t)
    } else if let Some(t) = body.strip_prefix("[x] ") {
        (ListKind::Task { done: true }, t)
    } else if let Some(t) = body.strip_prefix("<> ") {
        (ListKind::Decision, t)
    } else {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let t = body[digits..].strip_prefix(". ").filter(|_| digits > 0)?;
        (ListKind::Ordered, t)
    };
    Some(ListLine { indent, kind, text })
}

/// Builds one list node from `items[*pos..]` at `level`, recursing for deeper indents.
fn list(items: &[ListLine<'_>], pos: &mut usize, level: usize, rng: &mut Rng) -> Value {
    let kind = items[*pos].kind;
    let mut children: Vec<Value> = Vec::new();
    while *pos < items.len() && items[*pos].indent >= level {
        let item = items[*pos];
        if item.indent > level && !children.is_empty() && kind != ListKind::Decision {
            let nested = list(items, pos, item.indent, rng);
            match kind {
                // A nested task list sits beside the items, not inside one.
                ListKind::Task { .. } => children.push(nested),
                _ => {
                    if let Some(Value::Array(content)) =
                        children.last_mut().and_then(|li| li.get_mut("content"))
                    {
                        content.push(nested);
                    }
                }
            }
            continue;
        }
        if !kind.same_list(item.kind) {
            break;
        }
        children.push(list_item(item, rng));
        *pos += 1;
    }
    let children = Value::Array(children);
    match kind {
        ListKind::Bullet => obj([("type", s("bulletList")), ("content", children)]),
        ListKind::Ordered => obj([
            ("type", s("orderedList")),
            ("attrs", obj([("order", json!(1))])),
            ("content", children),
        ]),
        ListKind::Task { .. } => obj([
            ("type", s("taskList")),
            ("attrs", obj([("localId", Value::String(rng.uuid()))])),
            ("content", children),
        ]),
        ListKind::Decision => obj([
            ("type", s("decisionList")),
            ("attrs", obj([("localId", Value::String(rng.uuid()))])),
            ("content", children),
        ]),
    }
}

fn list_item(item: ListLine<'_>, rng: &mut Rng) -> Value {
    let content = inline(item.text.trim(), rng);
    match item.kind {
        ListKind::Bullet | ListKind::Ordered => obj([
            ("type", s("listItem")),
            ("content", Value::Array(vec![paragraph(content)])),
        ]),
        ListKind::Task { done } => obj([
            ("type", s("taskItem")),
            (
                "attrs",
                obj([
                    ("localId", Value::String(rng.uuid())),
                    ("state", s(if done { "DONE" } else { "TODO" })),
                ]),
            ),
            ("content", Value::Array(content)),
        ]),
        ListKind::Decision => obj([
            ("type", s("decisionItem")),
            (
                "attrs",
                obj([
                    ("localId", Value::String(rng.uuid())),
                    ("state", s("DECIDED")),
                ]),
            ),
            ("content", Value::Array(content)),
        ]),
    }
}

/// Paired inline markers and the mark each one produces.
const PAIRED_MARKS: &[(&str, &str)] = &[
    ("**", "strong"),
    ("~~", "strike"),
    ("__", "underline"),
    ("^^", "sup"),
    (",,", "sub"),
    ("`", "code"),
    ("*", "em"),
];

/// Parses one line of inline markup into ADF inline nodes.
pub(crate) fn inline(text: &str, rng: &mut Rng) -> Vec<Value> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // Copy plain runs in one go; only these bytes can start a token.
        let plain_run = rest
            .bytes()
            .take_while(|b| !TOKEN_START.contains(b))
            .count();
        if plain_run > 0 {
            plain.push_str(&rest[..plain_run]);
            i += plain_run;
            continue;
        }
        if let Some((node, used)) = inline_token(rest, rng) {
            push_text(&mut out, &mut plain, None);
            out.push(node);
            i += used;
            continue;
        }
        // Not a token: copy one whole character.
        let ch_len = rest.chars().next().map_or(1, char::len_utf8);
        plain.push_str(&rest[..ch_len]);
        i += ch_len;
    }
    push_text(&mut out, &mut plain, None);
    out
}

/// The first bytes of every inline token.
const TOKEN_START: &[u8] = b"{@<[:*~_^,`";

/// Emits the pending plain text (if any) as a text node with `marks`.
fn push_text(out: &mut Vec<Value>, plain: &mut String, marks: Option<Value>) {
    if plain.is_empty() {
        return;
    }
    let mut node = obj([
        ("type", s("text")),
        ("text", Value::String(std::mem::take(plain))),
    ]);
    if let (Some(marks), Some(obj)) = (marks, node.as_object_mut()) {
        obj.insert("marks".into(), marks);
    }
    out.push(node);
}

fn text_with_mark(text: &str, mark: Value) -> Value {
    obj([
        ("type", s("text")),
        ("text", s(text)),
        ("marks", Value::Array(vec![mark])),
    ])
}

/// Recognises one inline token at the start of `s`: the node and the bytes it used.
fn inline_token(s: &str, rng: &mut Rng) -> Option<(Value, usize)> {
    if let Some(r) = s.strip_prefix("{status:") {
        let end = r.find('}')?;
        let (color, label) = r[..end].split_once(':')?;
        let node = json!({
            "type": "status",
            "attrs": { "text": label, "color": color, "localId": rng.uuid(), "style": "" },
        });
        return Some((node, "{status:".len() + end + 1));
    }
    if let Some(r) = s.strip_prefix("{date:") {
        let end = r.find('}')?;
        let node = json!({ "type": "date", "attrs": { "timestamp": &r[..end] } });
        return Some((node, "{date:".len() + end + 1));
    }
    if let Some(r) = s.strip_prefix("{color:") {
        let end = r.find('}')?;
        let body = &r[end + 1..];
        let close = body.find("{color}")?;
        let content = &body[..close];
        if content.is_empty() {
            return None;
        }
        let node = text_with_mark(
            content,
            json!({ "type": "textColor", "attrs": { "color": &r[..end] } }),
        );
        return Some((node, "{color:".len() + end + 1 + close + "{color}".len()));
    }
    if let Some(r) = s.strip_prefix("@[") {
        let end = r.find(']')?;
        let (id, name) = r[..end].rsplit_once(':')?;
        let node = json!({
            "type": "mention",
            "attrs": { "id": id, "text": format!("@{name}"), "accessLevel": "" },
        });
        return Some((node, 2 + end + 1));
    }
    if let Some(r) = s.strip_prefix("<<") {
        let end = r.find(">>")?;
        let node = json!({ "type": "inlineCard", "attrs": { "url": &r[..end] } });
        return Some((node, 2 + end + 2));
    }
    if let Some(r) = s.strip_prefix('[') {
        let mid = r.find("](")?;
        let after = &r[mid + 2..];
        let end = after.find(')')?;
        let label = &r[..mid];
        if label.is_empty() || label.contains('[') {
            return None;
        }
        let node = text_with_mark(
            label,
            json!({ "type": "link", "attrs": { "href": &after[..end] } }),
        );
        return Some((node, 1 + mid + 2 + end + 1));
    }
    if s.starts_with(':') {
        let (short, id, glyph) = EMOJI.iter().find(|(short, _, _)| s.starts_with(short))?;
        let node = json!({
            "type": "emoji",
            "attrs": { "shortName": short, "id": id, "text": glyph },
        });
        return Some((node, short.len()));
    }
    for (marker, mark) in PAIRED_MARKS {
        let Some(r) = s.strip_prefix(marker) else {
            continue;
        };
        // A marker followed by a space is punctuation, not formatting.
        if r.starts_with(' ') || r.is_empty() {
            return None;
        }
        let end = r.find(marker)?;
        if end == 0 {
            return None;
        }
        let mark = match *mark {
            "sup" | "sub" => json!({ "type": "subsup", "attrs": { "type": mark } }),
            other => json!({ "type": other }),
        };
        return Some((text_with_mark(&r[..end], mark), 2 * marker.len() + end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(nodes: &[Value]) -> Vec<&str> {
        nodes.iter().filter_map(|n| n["type"].as_str()).collect()
    }

    #[test]
    fn inline_marks_and_nodes() {
        let mut rng = Rng::new(1);
        let nodes = inline(
            "Run **now** and `make` or *maybe* ~~old~~ __u__ H,,2,,O x^^2^^ {color:#ff5630}red{color} [docs](https://x.example) <<https://y.example>> @[5b10:Ann Lee] {status:blue:IN REVIEW} {date:1700000000000} :tada:",
            &mut rng,
        );
        let marks: Vec<&str> = nodes
            .iter()
            .filter_map(|n| n["marks"][0]["type"].as_str())
            .collect();
        assert_eq!(
            marks,
            [
                "strong",
                "code",
                "em",
                "strike",
                "underline",
                "subsup",
                "subsup",
                "textColor",
                "link"
            ]
        );
        let kinds = types(&nodes);
        for k in ["inlineCard", "mention", "status", "date", "emoji"] {
            assert!(kinds.contains(&k), "{k} missing in {kinds:?}");
        }
        let mention = nodes.iter().find(|n| n["type"] == "mention").unwrap();
        assert_eq!(mention["attrs"]["id"], "5b10");
        assert_eq!(mention["attrs"]["text"], "@Ann Lee");
    }

    #[test]
    fn unmatched_markers_stay_text() {
        let mut rng = Rng::new(1);
        let nodes = inline("2 * 3 and a_b and 10:30:00 and [x]", &mut rng);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0]["text"], "2 * 3 and a_b and 10:30:00 and [x]");
    }

    #[test]
    fn nested_lists_and_tasks() {
        let mut rng = Rng::new(1);
        let b = blocks(
            "- a\n  1. a1\n  1. a2\n- b\n\n[ ] todo\n  [x] done\n<> decided",
            &mut rng,
        );
        assert_eq!(types(&b), ["bulletList", "taskList", "decisionList"]);
        let first_item = &b[0]["content"][0]["content"];
        assert_eq!(first_item[1]["type"], "orderedList");
        assert_eq!(first_item[1]["content"].as_array().unwrap().len(), 2);
        assert_eq!(b[1]["content"][1]["type"], "taskList");
        assert_eq!(b[1]["content"][1]["content"][0]["attrs"]["state"], "DONE");
    }

    #[test]
    fn containers_and_tables() {
        let mut rng = Rng::new(1);
        let text = "# Title\n\nline one\nline two\n\n```rust\nfn main() {}\n```\n:::warning\nCareful\n:::\n+++Details\n|| a || b ||\n| 1 | 2 |\n+++\n> quoted\n---";
        let b = blocks(text, &mut rng);
        assert_eq!(
            types(&b),
            [
                "heading",
                "paragraph",
                "codeBlock",
                "panel",
                "expand",
                "blockquote",
                "rule"
            ]
        );
        assert_eq!(
            types(b[1]["content"].as_array().unwrap()),
            ["text", "hardBreak", "text"]
        );
        assert_eq!(b[2]["attrs"]["language"], "rust");
        let table = &b[4]["content"][0];
        assert_eq!(table["content"][0]["content"][0]["type"], "tableHeader");
        assert_eq!(table["content"][1]["content"][1]["type"], "tableCell");
    }
}
