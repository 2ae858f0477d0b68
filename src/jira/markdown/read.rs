//! Reading ADF into the editor's tree. What the text can show becomes structure; anything
//! else (a node type without an editor form, an attribute or mark the text cannot carry,
//! a shape the parser would not give back) becomes a placeholder that keeps the exact JSON.
//!
//! A node is tried whole: if any part of it turns out unrepresentable, everything read from
//! it is rolled back and the node becomes one placeholder, so what the text shows always
//! parses back to the same tree.

use serde_json::{Map, Value};

use super::ast::{Block, Inline, Marks, Task, push_inline};
use super::syntax::{
    BlockKind, Container, MAX_DESTINATION, MAX_KIND, MAX_NAME, MAX_ORDER, PANEL_TYPES,
    STRUCTURE_DEPTH, TOKEN_CLOSE, TOKEN_OPEN, allowed, card_url_ok, emoji_len, language_ok,
};
use crate::sanitize::sanitize_line;

/// Characters of a placeholder's label.
const LABEL_LEN: usize = 40;

/// A node the text shows as a token.
#[derive(Debug)]
pub(super) struct Stored<'a> {
    pub kind: String,
    pub label: String,
    /// Taken from inline content (a token inside a line) rather than a block position.
    pub inline: bool,
    /// Where the block stood (for moves the schema would reject).
    pub container: Container,
    pub node: &'a Value,
}

impl Stored<'_> {
    /// The token for entry `index` (0-based) of the registry.
    pub fn token(&self, index: usize) -> String {
        let number = index + 1;
        if self.label.is_empty() {
            format!("{TOKEN_OPEN}{}#{number}{TOKEN_CLOSE}", self.kind)
        } else {
            format!(
                "{TOKEN_OPEN}{}#{number} {}{TOKEN_CLOSE}",
                self.kind, self.label
            )
        }
    }
}

/// A document read into the tree.
#[derive(Debug)]
pub(super) struct Read<'a> {
    pub blocks: Vec<Block>,
    /// The nodes behind placeholder tokens; token `N` is entry `N - 1`.
    pub registry: Vec<Stored<'a>>,
    /// The ADF node behind each of [`super::ast::slots`]`(&blocks)`, in the same order.
    pub origins: Vec<&'a Value>,
}

pub(super) fn read(root: &Value) -> Read<'_> {
    let mut reader = Reader {
        registry: Vec::new(),
        origins: Vec::new(),
    };
    let content = root
        .get("content")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let blocks = reader.blocks(content, Container::Doc, 1);
    Read {
        blocks,
        registry: reader.registry,
        origins: reader.origins,
    }
}

struct Reader<'a> {
    registry: Vec<Stored<'a>>,
    origins: Vec<&'a Value>,
}

/// The node's content (empty when absent) when its keys are ones the text can carry:
/// `type`, `attrs` holding only `attrs_allowed`, `content` (if `content` is allowed), and
/// `marks` only when empty.
fn shape<'v>(
    map: &'v Map<String, Value>,
    attrs_allowed: &[&str],
    content: bool,
) -> Option<&'v [Value]> {
    for (key, value) in map {
        match key.as_str() {
            "type" => {}
            "attrs" => {
                let attrs = value.as_object()?;
                if !attrs.keys().all(|k| attrs_allowed.contains(&k.as_str())) {
                    return None;
                }
            }
            "content" if content => {
                value.as_array()?;
            }
            "marks" if value.as_array()?.is_empty() => {}
            _ => return None,
        }
    }
    Some(
        map.get("content")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default(),
    )
}

fn attr<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    map.get("attrs").and_then(|a| a.get(name))
}

/// A whole number attribute in `range`; `Err` when present but something else.
fn whole<R: std::ops::RangeBounds<u64>>(value: &Value, range: R) -> Option<u64> {
    let n = value.as_f64()?;
    if n.fract() != 0.0 || n < 0.0 || n > MAX_ORDER as f64 {
        return None;
    }
    let n = n as u64;
    range.contains(&n).then_some(n)
}

fn type_of(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

impl<'a> Reader<'a> {
    fn blocks(&mut self, nodes: &'a [Value], container: Container, depth: usize) -> Vec<Block> {
        nodes
            .iter()
            .map(|node| self.block(node, container, depth))
            .collect()
    }

    fn block(&mut self, node: &'a Value, container: Container, depth: usize) -> Block {
        let saved = (self.registry.len(), self.origins.len());
        if let Some(block) = self.try_block(node, container, depth) {
            return block;
        }
        self.registry.truncate(saved.0);
        self.origins.truncate(saved.1);
        Block::Placeholder(self.store(node, None, false, container))
    }

    fn try_block(&mut self, node: &'a Value, container: Container, depth: usize) -> Option<Block> {
        let map = node.as_object()?;
        let kind = match type_of(map)? {
            "paragraph" => BlockKind::Paragraph,
            "heading" => BlockKind::Heading,
            "codeBlock" => BlockKind::Code,
            "blockquote" => BlockKind::Quote,
            "panel" => BlockKind::Panel,
            "rule" => BlockKind::Rule,
            "bulletList" | "orderedList" => BlockKind::List,
            "taskList" => BlockKind::Tasks,
            "table" => BlockKind::Table,
            _ => return None,
        };
        if !allowed(container, kind, depth) {
            return None;
        }
        match kind {
            BlockKind::Paragraph => {
                let content = shape(map, &["localId"], true)?;
                self.origins.push(node);
                Some(Block::Paragraph(self.inlines(content)))
            }
            BlockKind::Heading => {
                let content = shape(map, &["level", "localId"], true)?;
                let level = whole(attr(map, "level")?, 1..=6)? as u8;
                self.origins.push(node);
                Some(Block::Heading {
                    level,
                    content: self.inlines(content),
                })
            }
            BlockKind::Code => self.code(map, node),
            BlockKind::Quote => {
                let content = shape(map, &["localId"], true)?;
                if content.is_empty() {
                    return None;
                }
                self.origins.push(node);
                Some(Block::Quote(self.blocks(
                    content,
                    Container::Quote,
                    depth + 1,
                )))
            }
            BlockKind::Panel => {
                let content = shape(
                    map,
                    &[
                        "panelType",
                        "panelIcon",
                        "panelIconId",
                        "panelIconText",
                        "panelColor",
                        "localId",
                    ],
                    true,
                )?;
                let panel_type = attr(map, "panelType")?.as_str()?;
                let kind = PANEL_TYPES.iter().copied().find(|t| *t == panel_type)?;
                if content.is_empty() {
                    return None;
                }
                self.origins.push(node);
                Some(Block::Panel {
                    kind,
                    content: self.blocks(content, Container::Panel, depth + 1),
                })
            }
            BlockKind::Rule => {
                shape(map, &["localId"], false)?;
                self.origins.push(node);
                Some(Block::Rule)
            }
            BlockKind::List => self.list(map, node, depth),
            BlockKind::Tasks => Some(Block::Tasks(self.tasks(map, node, depth)?)),
            BlockKind::Table => self.table(map, node),
        }
    }

    fn code(&mut self, map: &'a Map<String, Value>, node: &'a Value) -> Option<Block> {
        let content = shape(
            map,
            &["language", "uniqueId", "localId", "wrap", "hideLineNumbers"],
            true,
        )?;
        let language = match attr(map, "language") {
            None => None,
            Some(l) => match l.as_str()? {
                "" => None,
                l if language_ok(l) => Some(l.to_string()),
                _ => return None,
            },
        };
        let mut text = String::new();
        for child in content {
            let child = child.as_object()?;
            if type_of(child) != Some("text") {
                return None;
            }
            for (key, value) in child {
                match key.as_str() {
                    "type" | "text" => {}
                    "marks" if value.as_array().is_some_and(Vec::is_empty) => {}
                    _ => return None,
                }
            }
            let piece = child.get("text")?.as_str()?;
            // Editors turn CR into LF, and an empty text node has no line to stand on.
            if piece.is_empty() || piece.contains('\r') {
                return None;
            }
            text.push_str(piece);
        }
        self.origins.push(node);
        Some(Block::Code { language, text })
    }

    fn list(
        &mut self,
        map: &'a Map<String, Value>,
        node: &'a Value,
        depth: usize,
    ) -> Option<Block> {
        let ordered = type_of(map) == Some("orderedList");
        let attrs: &[&str] = if ordered {
            &["order", "localId"]
        } else {
            &["localId"]
        };
        let content = shape(map, attrs, true)?;
        if content.is_empty() {
            return None;
        }
        let start = if ordered {
            Some(match attr(map, "order") {
                None => 1,
                Some(order) => whole(order, ..)?,
            })
        } else {
            None
        };
        self.origins.push(node);
        let mut items = Vec::with_capacity(content.len());
        for item in content {
            let item_map = item.as_object()?;
            if type_of(item_map) != Some("listItem") {
                return None;
            }
            let blocks = shape(item_map, &["localId"], true)?;
            if blocks.is_empty() {
                return None;
            }
            self.origins.push(item);
            items.push(self.blocks(blocks, Container::ListItem, depth + 2));
        }
        Some(Block::List { start, items })
    }

    fn tasks(
        &mut self,
        map: &'a Map<String, Value>,
        node: &'a Value,
        depth: usize,
    ) -> Option<Vec<Task>> {
        let content = shape(map, &["localId"], true)?;
        if content.is_empty() {
            return None;
        }
        self.origins.push(node);
        let mut entries = Vec::with_capacity(content.len());
        for (i, child) in content.iter().enumerate() {
            let child_map = child.as_object()?;
            match type_of(child_map)? {
                "taskItem" => {
                    let inline = shape(child_map, &["localId", "state"], true)?;
                    let done = match attr(child_map, "state")?.as_str()? {
                        "TODO" => false,
                        "DONE" => true,
                        _ => return None,
                    };
                    self.origins.push(child);
                    entries.push(Task::Item {
                        done,
                        content: self.inlines(inline),
                    });
                }
                // A nested list belongs under the item before it, so it cannot come first.
                "taskList" if i > 0 && depth < STRUCTURE_DEPTH => {
                    entries.push(Task::List(self.tasks(child_map, child, depth + 1)?));
                }
                _ => return None,
            }
        }
        Some(entries)
    }

    fn table(&mut self, map: &'a Map<String, Value>, node: &'a Value) -> Option<Block> {
        let rows = shape(
            map,
            &[
                "displayMode",
                "isNumberColumnEnabled",
                "layout",
                "localId",
                "width",
            ],
            true,
        )?;
        if rows.is_empty() {
            return None;
        }
        self.origins.push(node);
        let mut header = false;
        let mut width = None;
        let mut out = Vec::with_capacity(rows.len());
        for (r, row) in rows.iter().enumerate() {
            let row_map = row.as_object()?;
            if type_of(row_map) != Some("tableRow") {
                return None;
            }
            let cells = shape(row_map, &["localId"], true)?;
            if cells.is_empty() || width.is_some_and(|w| w != cells.len()) {
                return None;
            }
            width = Some(cells.len());
            self.origins.push(row);
            let mut row_out = Vec::with_capacity(cells.len());
            for (c, cell) in cells.iter().enumerate() {
                let cell_map = cell.as_object()?;
                let is_header = match type_of(cell_map)? {
                    "tableHeader" => true,
                    "tableCell" => false,
                    _ => return None,
                };
                // Header cells only as the whole first row: what a pipe table can say.
                if r == 0 && c == 0 {
                    header = is_header;
                }
                if is_header != (header && r == 0) {
                    return None;
                }
                let content = shape(
                    cell_map,
                    &[
                        "colspan",
                        "rowspan",
                        "colwidth",
                        "background",
                        "localId",
                        "valign",
                    ],
                    true,
                )?;
                for span in ["colspan", "rowspan"] {
                    if let Some(v) = attr(cell_map, span) {
                        whole(v, 1..=1)?;
                    }
                }
                let [paragraph] = content else {
                    return None;
                };
                let para_map = paragraph.as_object()?;
                if type_of(para_map) != Some("paragraph") {
                    return None;
                }
                let inline = shape(para_map, &["localId"], true)?;
                self.origins.push(cell);
                self.origins.push(paragraph);
                row_out.push(self.inlines(inline));
            }
            out.push(row_out);
        }
        Some(Block::Table { header, rows: out })
    }

    fn inlines(&mut self, nodes: &'a [Value]) -> Vec<Inline> {
        let mut out = Vec::with_capacity(nodes.len());
        for node in nodes {
            let item = match self.try_inline(node) {
                Ok(item) => item,
                Err(kind) => {
                    Inline::Placeholder(self.store(node, kind.as_deref(), true, Container::Doc))
                }
            };
            push_inline(&mut out, item);
        }
        out
    }

    /// An inline node the text can show, or why not: `Err(Some(mark))` for a text run
    /// whose mark the text cannot carry (the token is named after it).
    fn try_inline(&mut self, node: &'a Value) -> Result<Inline, Option<String>> {
        let map = node.as_object().ok_or(None)?;
        let text_ok = |s: &str| !s.is_empty() && !s.contains(['\n', '\r']);
        match type_of(map).ok_or(None)? {
            "text" => {
                if !map
                    .keys()
                    .all(|k| matches!(k.as_str(), "type" | "text" | "marks"))
                {
                    return Err(None);
                }
                let text = map
                    .get("text")
                    .and_then(Value::as_str)
                    .filter(|t| text_ok(t))
                    .ok_or(None)?;
                let marks = read_marks(map.get("marks"))?;
                Ok(Inline::Text {
                    text: text.to_string(),
                    marks,
                })
            }
            "hardBreak" => {
                shape(map, &["text", "localId"], false).ok_or(None)?;
                self.origins.push(node);
                Ok(Inline::Break)
            }
            "mention" => {
                shape(
                    map,
                    &["id", "localId", "text", "accessLevel", "userType"],
                    false,
                )
                .ok_or(None)?;
                let id = attr(map, "id")
                    .and_then(Value::as_str)
                    .filter(|id| {
                        !id.is_empty() && id.len() <= MAX_NAME && !id.chars().any(char::is_control)
                    })
                    .ok_or(None)?;
                self.origins.push(node);
                Ok(Inline::Mention(id.to_string()))
            }
            "emoji" => {
                shape(map, &["shortName", "id", "text", "localId"], false).ok_or(None)?;
                let short = attr(map, "shortName")
                    .and_then(Value::as_str)
                    .filter(|s| emoji_len(s) == Some(s.len()))
                    .ok_or(None)?;
                self.origins.push(node);
                Ok(Inline::Emoji(short.to_string()))
            }
            "inlineCard" => {
                shape(map, &["url", "localId"], false).ok_or(None)?;
                let url = attr(map, "url")
                    .and_then(Value::as_str)
                    .filter(|u| card_url_ok(u))
                    .ok_or(None)?;
                self.origins.push(node);
                Ok(Inline::Card(url.to_string()))
            }
            _ => Err(None),
        }
    }

    fn store(
        &mut self,
        node: &'a Value,
        kind: Option<&str>,
        inline: bool,
        container: Container,
    ) -> usize {
        let kind = kind
            .or_else(|| node.get("type").and_then(Value::as_str))
            .unwrap_or("");
        self.registry.push(Stored {
            kind: token_kind(kind),
            label: label(node),
            inline,
            container,
            node,
        });
        self.registry.len() - 1
    }
}

/// The marks of a text node, or the first one the text cannot carry.
fn read_marks(marks: Option<&Value>) -> Result<Marks, Option<String>> {
    let mut out = Marks::default();
    let Some(marks) = marks else {
        return Ok(out);
    };
    for mark in marks.as_array().ok_or(None)? {
        let map = mark.as_object().ok_or(None)?;
        let kind = type_of(map).ok_or(None)?;
        let unsupported = || Some(kind.to_string());
        if !map.keys().all(|k| matches!(k.as_str(), "type" | "attrs")) {
            return Err(unsupported());
        }
        let flag = match kind {
            "strong" => &mut out.strong,
            "em" => &mut out.em,
            "strike" => &mut out.strike,
            "underline" => &mut out.underline,
            "code" => &mut out.code,
            "link" => {
                let attrs = map
                    .get("attrs")
                    .and_then(Value::as_object)
                    .ok_or_else(unsupported)?;
                let href = attrs
                    .get("href")
                    .and_then(Value::as_str)
                    .filter(|h| h.len() <= MAX_DESTINATION && !h.contains(['\n', '\r']))
                    .ok_or_else(unsupported)?;
                if attrs.len() != 1 || out.link.is_some() {
                    return Err(unsupported());
                }
                out.link = Some(href.to_string());
                continue;
            }
            _ => return Err(unsupported()),
        };
        if *flag || map.contains_key("attrs") {
            return Err(unsupported());
        }
        *flag = true;
    }
    // Atlassian's schema lets code combine only with link.
    if out.code && (out.strong || out.em || out.strike || out.underline) {
        return Err(Some("code".to_string()));
    }
    Ok(out)
}

/// A node type as a token kind: ASCII letters and digits, starting with a letter.
fn token_kind(kind: &str) -> String {
    let clean: String = kind
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(MAX_KIND)
        .collect();
    if clean.starts_with(|c: char| c.is_ascii_alphabetic()) {
        clean
    } else {
        "node".to_string()
    }
}

/// A short reminder of what a placeholder stands for.
fn label(node: &Value) -> String {
    let attr = |name: &str| -> Option<String> {
        node.get("attrs")
            .and_then(|a| a.get(name))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let kind = node.get("type").and_then(Value::as_str).unwrap_or("");
    let raw = match kind {
        "text" => node.get("text").and_then(Value::as_str).map(str::to_string),
        "status" | "placeholder" | "mention" => attr("text"),
        "date" => attr("timestamp")
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.format("%Y-%m-%d").to_string()),
        "media" | "mediaInline" => attr("alt").or_else(|| attr("id")),
        "mediaSingle" | "mediaGroup" => node
            .get("content")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|m| m.get("attrs"))
            .and_then(|a| a.get("alt").or_else(|| a.get("id")))
            .and_then(Value::as_str)
            .map(str::to_string),
        "expand" | "nestedExpand" => attr("title"),
        "extension" | "bodiedExtension" | "inlineExtension" | "multiBodiedExtension" => {
            attr("text").or_else(|| attr("extensionKey"))
        }
        "inlineCard" | "blockCard" | "embedCard" => attr("url"),
        "emoji" => attr("shortName"),
        _ => None,
    };
    clean_label(&raw.unwrap_or_else(|| short_text(node)))
}

/// The first words of a subtree's text.
fn short_text(node: &Value) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if out.chars().count() > LABEL_LEN {
            break;
        }
        if let Some(text) = n.get("text").and_then(Value::as_str) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(text);
        }
        if let Some(children) = n.get("content").and_then(Value::as_array) {
            stack.extend(children.iter().rev());
        }
    }
    out
}

/// One line, no token brackets, no control characters, at most [`LABEL_LEN`] characters.
fn clean_label(raw: &str) -> String {
    let line = sanitize_line(raw);
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == TOKEN_OPEN || c == TOKEN_CLOSE)
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    if joined.chars().count() > LABEL_LEN {
        let mut cut: String = joined.chars().take(LABEL_LEN - 1).collect();
        cut.push('…');
        cut
    } else {
        joined
    }
}
