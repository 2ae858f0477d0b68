//! The document as the editor text sees it. Both directions go through this tree:
//! ADF is read into it and built from it, text is printed from it and parsed into it.
//!
//! Nodes the text has no form for are `Placeholder`s: indexes into the original
//! document's list of such nodes.

use std::hash::{DefaultHasher, Hash, Hasher};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Block {
    /// Empty content is an empty paragraph.
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Code {
        language: Option<String>,
        text: String,
    },
    Quote(Vec<Block>),
    Panel {
        kind: &'static str,
        content: Vec<Block>,
    },
    Rule,
    /// A bullet list (`start` none) or an ordered one; each item is its blocks.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Tasks(Vec<Task>),
    /// Rows of cells of inline content; with `header`, the first row is header cells.
    Table {
        header: bool,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Placeholder(usize),
}

/// An entry of a task list: an item, or a nested list under the item before it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Task {
    Item { done: bool, content: Vec<Inline> },
    List(Vec<Task>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Inline {
    Text {
        text: String,
        marks: Marks,
    },
    Break,
    /// An account id.
    Mention(String),
    /// A short name with its colons.
    Emoji(String),
    /// An inline card's URL.
    Card(String),
    Placeholder(usize),
}

/// The marks the text can express.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(super) struct Marks {
    pub strong: bool,
    pub em: bool,
    pub strike: bool,
    pub underline: bool,
    pub code: bool,
    pub link: Option<String>,
}

/// Appends inline content, merging text with the run before it when the marks agree.
pub(super) fn push_inline(out: &mut Vec<Inline>, item: Inline) {
    if let Inline::Text { text, marks } = &item
        && let Some(Inline::Text {
            text: last,
            marks: last_marks,
        }) = out.last_mut()
        && last_marks == marks
    {
        last.push_str(text);
        return;
    }
    out.push(item);
}

/// One node of the tree that has an ADF counterpart with attributes worth carrying over:
/// its ADF type and a hash of what the text shows of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub kind: &'static str,
    pub key: u64,
}

/// The slots of `blocks` in document order (a node before its children). The builder
/// visits nodes in the same order.
pub(super) fn slots(blocks: &[Block]) -> Vec<Slot> {
    let mut out = Vec::new();
    for block in blocks {
        block_slots(block, &mut out);
    }
    out
}

fn open(out: &mut Vec<Slot>, kind: &'static str) -> usize {
    out.push(Slot { kind, key: 0 });
    out.len() - 1
}

fn close(out: &mut [Slot], slot: usize, hasher: DefaultHasher) -> u64 {
    let key = hasher.finish();
    out[slot].key = key;
    key
}

/// Adds the slots of `block` and returns its key.
fn block_slots(block: &Block, out: &mut Vec<Slot>) -> u64 {
    let mut h = DefaultHasher::new();
    match block {
        Block::Paragraph(content) => {
            let slot = open(out, "paragraph");
            0u8.hash(&mut h);
            inline_slots(content, out, &mut h);
            close(out, slot, h)
        }
        Block::Heading { level, content } => {
            let slot = open(out, "heading");
            (1u8, level).hash(&mut h);
            inline_slots(content, out, &mut h);
            close(out, slot, h)
        }
        Block::Code { language, text } => {
            let slot = open(out, "codeBlock");
            (2u8, language, text).hash(&mut h);
            close(out, slot, h)
        }
        Block::Quote(content) => {
            let slot = open(out, "blockquote");
            3u8.hash(&mut h);
            for b in content {
                block_slots(b, out).hash(&mut h);
            }
            close(out, slot, h)
        }
        Block::Panel { kind, content } => {
            let slot = open(out, "panel");
            (4u8, kind).hash(&mut h);
            for b in content {
                block_slots(b, out).hash(&mut h);
            }
            close(out, slot, h)
        }
        Block::Rule => {
            let slot = open(out, "rule");
            5u8.hash(&mut h);
            close(out, slot, h)
        }
        Block::List { start, items } => {
            let slot = open(
                out,
                if start.is_some() {
                    "orderedList"
                } else {
                    "bulletList"
                },
            );
            (6u8, start).hash(&mut h);
            for item in items {
                let item_slot = open(out, "listItem");
                let mut ih = DefaultHasher::new();
                for b in item {
                    block_slots(b, out).hash(&mut ih);
                }
                close(out, item_slot, ih).hash(&mut h);
            }
            close(out, slot, h)
        }
        Block::Tasks(entries) => task_slots(entries, out),
        Block::Table { header, rows } => {
            let slot = open(out, "table");
            (8u8, header).hash(&mut h);
            for (r, row) in rows.iter().enumerate() {
                let row_slot = open(out, "tableRow");
                let mut rh = DefaultHasher::new();
                for cell in row {
                    let kind = if *header && r == 0 {
                        "tableHeader"
                    } else {
                        "tableCell"
                    };
                    let cell_slot = open(out, kind);
                    let para_slot = open(out, "paragraph");
                    let mut ph = DefaultHasher::new();
                    // Salted: a cell's paragraph is not a body paragraph.
                    9u8.hash(&mut ph);
                    inline_slots(cell, out, &mut ph);
                    let para = close(out, para_slot, ph);
                    let mut ch = DefaultHasher::new();
                    para.hash(&mut ch);
                    close(out, cell_slot, ch).hash(&mut rh);
                }
                close(out, row_slot, rh).hash(&mut h);
            }
            close(out, slot, h)
        }
        Block::Placeholder(i) => {
            (10u8, i).hash(&mut h);
            h.finish()
        }
    }
}

fn task_slots(entries: &[Task], out: &mut Vec<Slot>) -> u64 {
    let slot = open(out, "taskList");
    let mut h = DefaultHasher::new();
    7u8.hash(&mut h);
    for entry in entries {
        match entry {
            Task::Item { done, content } => {
                let item_slot = open(out, "taskItem");
                let mut ih = DefaultHasher::new();
                done.hash(&mut ih);
                inline_slots(content, out, &mut ih);
                close(out, item_slot, ih).hash(&mut h);
            }
            Task::List(nested) => task_slots(nested, out).hash(&mut h),
        }
    }
    close(out, slot, h)
}

/// Hashes inline content into `h` and adds the slots of its atoms.
fn inline_slots(content: &[Inline], out: &mut Vec<Slot>, h: &mut DefaultHasher) {
    for item in content {
        match item {
            Inline::Text { text, marks } => (0u8, text, marks).hash(h),
            Inline::Break => {
                1u8.hash(h);
                out.push(Slot {
                    kind: "hardBreak",
                    key: 0,
                });
            }
            Inline::Mention(id) => {
                (2u8, id).hash(h);
                out.push(Slot {
                    kind: "mention",
                    key: key_of(id),
                });
            }
            Inline::Emoji(short) => {
                (3u8, short).hash(h);
                out.push(Slot {
                    kind: "emoji",
                    key: key_of(short),
                });
            }
            Inline::Card(url) => {
                (4u8, url).hash(h);
                out.push(Slot {
                    kind: "inlineCard",
                    key: key_of(url),
                });
            }
            Inline::Placeholder(i) => (5u8, i).hash(h),
        }
    }
}

fn key_of(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}
