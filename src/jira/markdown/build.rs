//! Building ADF from the editor's tree. Placeholders become their original JSON; every
//! other node takes the attributes the text does not show from its counterpart in the
//! original document: the node of the same type with the same visible content, else the
//! next unclaimed one of that type in document order.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Map, Value, json};

use super::ast::{Block, Inline, Marks, Slot, Task, slots};
use super::emoji::EmojiSet;
use super::read::Read;
use super::syntax::Directory;

/// A seed for the `localId`s of new task lists, from the text: the same text gives the
/// same document.
pub(super) fn seed(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

pub(super) fn build(
    blocks: &[Block],
    original: &Read<'_>,
    emoji: &EmojiSet,
    directory: &Directory,
    seed: u64,
) -> Vec<Value> {
    let orig_slots = slots(&original.blocks);
    let new_slots = slots(blocks);
    let matches = if orig_slots.len() == original.origins.len() {
        match_slots(&orig_slots, &new_slots)
    } else {
        // Reader and tree disagree (a bug): build plain rather than misattribute.
        debug_assert!(false, "slots and origins differ");
        vec![None; new_slots.len()]
    };
    let mut builder = Builder {
        original,
        matches,
        next: 0,
        ids: IdGen(seed),
        emoji,
        directory,
    };
    blocks.iter().map(|b| builder.block(b)).collect()
}

/// Atoms are matched by what they are, never by position: a mention of someone else
/// must not take this one's attributes.
fn positional(kind: &str) -> bool {
    !matches!(kind, "mention" | "emoji" | "inlineCard")
}

fn match_slots(orig: &[Slot], new: &[Slot]) -> Vec<Option<usize>> {
    let mut by_key: HashMap<(&str, u64), VecDeque<usize>> = HashMap::new();
    for (i, slot) in orig.iter().enumerate() {
        by_key
            .entry((slot.kind, slot.key))
            .or_default()
            .push_back(i);
    }
    let mut used = vec![false; orig.len()];
    let mut out = vec![None; new.len()];
    for (j, slot) in new.iter().enumerate() {
        if let Some(i) = by_key
            .get_mut(&(slot.kind, slot.key))
            .and_then(VecDeque::pop_front)
        {
            out[j] = Some(i);
            used[i] = true;
        }
    }
    let mut free: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (i, slot) in orig.iter().enumerate() {
        if !used[i] && positional(slot.kind) {
            free.entry(slot.kind).or_default().push_back(i);
        }
    }
    for (j, slot) in new.iter().enumerate() {
        if out[j].is_none() && positional(slot.kind) {
            out[j] = free.get_mut(slot.kind).and_then(VecDeque::pop_front);
        }
    }
    out
}

/// Deterministic, UUID-shaped ids (splitmix64).
struct IdGen(u64);

impl IdGen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

struct Builder<'b, 'a> {
    original: &'b Read<'a>,
    matches: Vec<Option<usize>>,
    /// The next slot, in the order of [`slots`].
    next: usize,
    ids: IdGen,
    emoji: &'b EmojiSet,
    directory: &'b Directory,
}

impl<'a> Builder<'_, 'a> {
    /// The original node of the next slot, if it has one.
    fn counterpart(&mut self) -> Option<&'a Value> {
        let index = self.matches.get(self.next).copied().flatten();
        self.next += 1;
        index.and_then(|i| self.original.origins.get(i).copied())
    }

    fn blocks(&mut self, blocks: &[Block]) -> Vec<Value> {
        blocks.iter().map(|b| self.block(b)).collect()
    }

    fn block(&mut self, block: &Block) -> Value {
        match block {
            Block::Paragraph(content) => {
                let orig = self.counterpart();
                let content = self.inlines(content);
                node("paragraph", None, Some(content), orig)
            }
            Block::Heading { level, content } => {
                let orig = self.counterpart();
                let content = self.inlines(content);
                node(
                    "heading",
                    Some(json!({ "level": level })),
                    Some(content),
                    orig,
                )
            }
            Block::Code { language, text } => {
                let orig = self.counterpart();
                let attrs = language.as_ref().map(|l| json!({ "language": l }));
                let content = if text.is_empty() {
                    Vec::new()
                } else {
                    vec![json!({ "type": "text", "text": text })]
                };
                node("codeBlock", attrs, Some(content), orig)
            }
            Block::Quote(content) => {
                let orig = self.counterpart();
                let content = self.blocks(content);
                node("blockquote", None, Some(content), orig)
            }
            Block::Panel { kind, content } => {
                let orig = self.counterpart();
                let content = self.blocks(content);
                node(
                    "panel",
                    Some(json!({ "panelType": kind })),
                    Some(content),
                    orig,
                )
            }
            Block::Rule => {
                let orig = self.counterpart();
                node("rule", None, None, orig)
            }
            Block::List { start, items } => {
                let orig = self.counterpart();
                let items: Vec<Value> = items
                    .iter()
                    .map(|item| {
                        let item_orig = self.counterpart();
                        let content = self.blocks(item);
                        node("listItem", None, Some(content), item_orig)
                    })
                    .collect();
                match start {
                    Some(order) => node(
                        "orderedList",
                        Some(json!({ "order": order })),
                        Some(items),
                        orig,
                    ),
                    None => node("bulletList", None, Some(items), orig),
                }
            }
            Block::Tasks(entries) => self.tasks(entries),
            Block::Table { header, rows } => {
                let orig = self.counterpart();
                let rows: Vec<Value> = rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| {
                        let row_orig = self.counterpart();
                        let cells: Vec<Value> = row
                            .iter()
                            .map(|cell| {
                                let kind = if *header && r == 0 {
                                    "tableHeader"
                                } else {
                                    "tableCell"
                                };
                                let cell_orig = self.counterpart();
                                let para_orig = self.counterpart();
                                let content = self.inlines(cell);
                                let paragraph = node("paragraph", None, Some(content), para_orig);
                                node(kind, Some(json!({})), Some(vec![paragraph]), cell_orig)
                            })
                            .collect();
                        node("tableRow", None, Some(cells), row_orig)
                    })
                    .collect();
                node(
                    "table",
                    Some(json!({ "isNumberColumnEnabled": false, "layout": "default" })),
                    Some(rows),
                    orig,
                )
            }
            Block::Placeholder(i) => self.stored(*i),
        }
    }

    fn stored(&self, index: usize) -> Value {
        self.original
            .registry
            .get(index)
            .map(|s| s.node.clone())
            .unwrap_or(Value::Null)
    }

    fn tasks(&mut self, entries: &[Task]) -> Value {
        let orig = self.counterpart();
        let id = self.ids.uuid();
        let content: Vec<Value> = entries
            .iter()
            .map(|entry| match entry {
                Task::Item { done, content } => {
                    let item_orig = self.counterpart();
                    let item_id = self.ids.uuid();
                    let content = self.inlines(content);
                    node(
                        "taskItem",
                        Some(json!({
                            "localId": item_id,
                            "state": if *done { "DONE" } else { "TODO" },
                        })),
                        Some(content),
                        item_orig,
                    )
                }
                Task::List(nested) => self.tasks(nested),
            })
            .collect();
        node(
            "taskList",
            Some(json!({ "localId": id })),
            Some(content),
            orig,
        )
    }

    fn inlines(&mut self, content: &[Inline]) -> Vec<Value> {
        content
            .iter()
            .map(|item| match item {
                Inline::Text { text, marks } => text_node(text, marks),
                Inline::Break => {
                    let orig = self.counterpart();
                    node("hardBreak", None, None, orig)
                }
                Inline::Mention(id) => {
                    let orig = self.counterpart();
                    let mut attrs = json!({ "id": id });
                    if let Some(name) = self.directory.name(id) {
                        attrs["text"] = json!(format!("@{name}"));
                    }
                    attrs["accessLevel"] = json!("");
                    node("mention", Some(attrs), None, orig)
                }
                Inline::Emoji(short) => {
                    let orig = self.counterpart();
                    node("emoji", Some(self.emoji.attrs(short)), None, orig)
                }
                Inline::Card(url) => {
                    let orig = self.counterpart();
                    node("inlineCard", Some(json!({ "url": url })), None, orig)
                }
                Inline::Placeholder(i) => self.stored(*i),
            })
            .collect()
    }
}

/// A text node, marks in ProseMirror's schema order (as Jira's editor writes them).
fn text_node(text: &str, marks: &Marks) -> Value {
    let mut list = Vec::new();
    if let Some(href) = &marks.link {
        list.push(json!({ "type": "link", "attrs": { "href": href } }));
    }
    for (on, kind) in [
        (marks.em, "em"),
        (marks.strong, "strong"),
        (marks.strike, "strike"),
        (marks.underline, "underline"),
        (marks.code, "code"),
    ] {
        if on {
            list.push(json!({ "type": kind }));
        }
    }
    let mut node = json!({ "type": "text", "text": text });
    if !list.is_empty() {
        node["marks"] = Value::Array(list);
    }
    node
}

/// Attributes the text writes, per node type; all others come from the original.
fn expressible(kind: &str) -> &'static [&'static str] {
    match kind {
        "heading" => &["level"],
        "orderedList" => &["order"],
        "codeBlock" => &["language"],
        "panel" => &["panelType"],
        "taskItem" => &["state"],
        "mention" => &["id"],
        "emoji" => &["shortName"],
        "inlineCard" => &["url"],
        _ => &[],
    }
}

/// Attributes a node must have even when its original lacked them.
fn required(kind: &str) -> &'static [&'static str] {
    match kind {
        "taskList" => &["localId"],
        "taskItem" => &["localId", "state"],
        _ => &[],
    }
}

/// Whether an attribute's original value says what the text says.
fn equivalent(kind: &str, key: &str, orig: Option<&Value>, new: Option<&Value>) -> bool {
    fn number(v: Option<&Value>) -> Option<f64> {
        v.and_then(Value::as_f64)
    }
    fn text(v: Option<&Value>) -> Option<&str> {
        v.and_then(Value::as_str).filter(|s| !s.is_empty())
    }
    match (kind, key) {
        ("orderedList", "order") => number(orig).unwrap_or(1.0) == number(new).unwrap_or(1.0),
        ("codeBlock", "language") => text(orig) == text(new),
        ("heading", "level") => number(orig) == number(new),
        _ => orig == new,
    }
}

fn node(
    kind: &str,
    attrs: Option<Value>,
    content: Option<Vec<Value>>,
    orig: Option<&Value>,
) -> Value {
    let mut map = Map::new();
    map.insert("type".into(), Value::String(kind.into()));
    if let Some(attrs) = attrs {
        map.insert("attrs".into(), attrs);
    }
    if let Some(content) = content {
        map.insert("content".into(), Value::Array(content));
    }
    if let Some(orig) = orig {
        restore(kind, &mut map, orig);
    }
    Value::Object(map)
}

/// Takes from `orig` what the text does not show: its attributes (but the ones the text
/// writes), whether an empty node lists its empty content, an empty `marks` array.
fn restore(kind: &str, map: &mut Map<String, Value>, orig: &Value) {
    let new_attrs = match map.remove("attrs") {
        Some(Value::Object(a)) => a,
        _ => Map::new(),
    };
    let mut attrs = orig.get("attrs").and_then(Value::as_object).cloned();
    for key in expressible(kind) {
        let new = new_attrs.get(*key);
        let old = attrs.as_ref().and_then(|a| a.get(*key));
        if !equivalent(kind, key, old, new) {
            let a = attrs.get_or_insert_with(Map::new);
            match new {
                Some(v) => {
                    a.insert((*key).to_string(), v.clone());
                }
                None => {
                    a.remove(*key);
                }
            }
        }
    }
    for key in required(kind) {
        if attrs.as_ref().is_none_or(|a| !a.contains_key(*key))
            && let Some(v) = new_attrs.get(*key)
        {
            attrs
                .get_or_insert_with(Map::new)
                .insert((*key).to_string(), v.clone());
        }
    }
    if let Some(attrs) = attrs {
        map.insert("attrs".into(), Value::Object(attrs));
    }
    let empty = map
        .get("content")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    if empty && orig.get("content").is_none() {
        map.remove("content");
    }
    if orig
        .get("marks")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        map.insert("marks".into(), Value::Array(Vec::new()));
    }
}
