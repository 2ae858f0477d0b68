//! Rich text both ways: ADF to a markdown-style editor text and back, losing nothing.
//!
//! Descriptions and comments are edited as text (in the app or in `$EDITOR`) and written
//! back as ADF. [`to_editor_text`] turns a document into that text; [`from_editor_text`]
//! turns the (edited) text back into ADF, taking from the `original` document everything
//! the text cannot show, so an unedited text gives back the document it came from.
//!
//! # The editor format
//!
//! Blocks are separated by a blank line.
//!
//! | ADF | editor text |
//! |---|---|
//! | paragraph | lines of text; a single newline is a space (a soft break) |
//! | empty paragraph | a line holding only `\` |
//! | hardBreak | `\` at the end of a line (or two trailing spaces), or `<br>` anywhere |
//! | heading | `#` … `######`, a space, the text (a trailing `\` continues it on the next line) |
//! | strong, em, strike, underline | `**strong**`, `*em*`, `~~strike~~`, `<u>underline</u>` (`__x__` is plain text) |
//! | code mark | `` `code` `` (more backticks when the code holds some) |
//! | link mark | `[text](https://…)`, `[text](<url with spaces>)`, or a bare `https://…` URL |
//! | inlineCard | `<https://…>` |
//! | mention | `@Name` or `@[Name With Spaces]`, resolved through [`MentionDirectory`] (and the mentions of the original); `@[~accountId]` names the account directly; an `@x` that resolves to nobody stays text |
//! | emoji | `:shortname:` for the emoji of a small built-in table and those of the original |
//! | bulletList | `- item` (or `*`, `+`); nest by indenting under the item's text |
//! | orderedList | `1. item` (or `1)`); the first number is the list's `order` |
//! | taskList | `- [ ] todo`, `- [x] done`; nested task lists indent under an item |
//! | codeBlock | a fence of three or more backticks (or tildes) with the language after it |
//! | blockquote | lines starting with `>` |
//! | panel | `:::info` … `:::` (also `note`, `tip`, `warning`, `error`, `success`) |
//! | table | a GitHub pipe table; the row above the `| --- |` line is the header row (`tableHeader` cells); a table whose first line is the `| --- |` line has no header row |
//! | rule | `---` |
//!
//! `\` before any ASCII punctuation, a space, a tab, `⟦` or `⟧` makes it literal. A run of
//! `*` or `~~` with whitespace on both sides is literal, as is a delimiter left unpaired.
//! Mark delimiters toggle their mark (ADF marks are flat sets, not nested spans).
//! Leading whitespace of a line is not text (write `\ ` to keep a space there); trailing
//! whitespace is, except in table cells and where lines join. Nodes go where Jira's
//! schema accepts them: inside a quote `# x` is text, not a heading; tables, quotes and
//! panels are top-level only; list items continue on lines indented under their text.
//!
//! # What the text cannot show
//!
//! Nodes and marks without an editor form (media, expands, status lozenges, dates,
//! decisions, cards with data, extensions, layouts, text colours, sub/superscript,
//! alignment, unknown nodes, anything nested deeper than [`STRUCTURE_DEPTH`]) appear as a
//! placeholder token `⟦kind#N label⟧`, e.g. `⟦mediaSingle#1 frame-drops.png⟧` or
//! `⟦status#2 In review⟧`. `from_editor_text` with the original document puts the exact
//! JSON of node N back wherever its token stands (the label is only a reminder; editing it
//! changes nothing). Deleting a token deletes the node; copying it copies the node. A
//! block token must stand alone on its line, in a place Jira accepts that node. A token
//! that names no node of the original (or the wrong kind) is a [`ConvertError`].
//!
//! Attributes the text has no syntax for are carried over from the original too: each
//! node of the new document takes the hidden attributes (`localId`s, table layout and
//! column widths, panel icons, code block ids, a mention's `accessLevel`, an emoji's
//! glyph…) of the original node it corresponds to: the one with the same visible content,
//! else the one in the same position among nodes of its type. Task lists without a
//! counterpart get fresh `localId`s.
//!
//! # Round trip
//!
//! `from_editor_text(&to_editor_text(doc).text, Some(doc))` equals `doc` after
//! [`normalized`]: adjacent text nodes with the same marks are merged, the order of marks
//! on a text node is not significant, and an empty `marks` array on a text node is the
//! same as none. Text typed by the user converts to ADF valid under Atlassian's schema, and
//! converting that back gives text that converts to the same document again.
//!
//! Both directions are linear in the size of the input; nesting is bounded by
//! [`STRUCTURE_DEPTH`] so hostile input cannot exhaust the stack.

mod ast;
mod build;
mod emoji;
mod inline;
mod parse;
mod print;
mod read;
mod syntax;

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::jira::adf::Adf;

pub use syntax::STRUCTURE_DEPTH;

/// The people `@Name` can mention: `(accountId, display name)` pairs, such as the
/// assignable users of a project. Mentions found in the original document are added to
/// these when converting, so names already in a text always resolve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentionDirectory {
    pub users: Vec<(String, String)>,
}

impl MentionDirectory {
    pub fn new(users: impl IntoIterator<Item = (String, String)>) -> Self {
        MentionDirectory {
            users: users.into_iter().collect(),
        }
    }
}

/// A document as editor text, with the nodes that stand behind its placeholder tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorText {
    pub text: String,
    /// In the order their tokens first appear; token `N` is `placeholders[N - 1]`.
    pub placeholders: Vec<Placeholder>,
}

/// One node (or marked text run) the editor text shows as a token.
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholder {
    /// The token as it appears in the text, e.g. `⟦status#2 In review⟧`.
    pub token: String,
    /// The node type, or for a text run the first mark the editor cannot express.
    pub kind: String,
    /// A short, sanitised description (file name, title, text).
    pub label: String,
    /// Whether the token stands inside a line of text rather than on a line of its own.
    pub inline: bool,
    /// The exact JSON restored in its place.
    pub node: Value,
}

/// Why editor text could not become a document. The text itself is never the problem;
/// only placeholder tokens can be wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConvertError {
    #[error("line {line}: {token} does not stand for anything in the original text; remove it")]
    UnknownPlaceholder { token: String, line: usize },
    #[error(
        "line {line}: {token} stands for a {actual}, not what its name says; use the token as it was"
    )]
    WrongPlaceholder {
        token: String,
        line: usize,
        actual: String,
    },
    #[error("line {line}: {token} {reason}")]
    MisplacedPlaceholder {
        token: String,
        line: usize,
        reason: &'static str,
    },
}

/// Converts a document to editor text.
pub fn to_editor_text(doc: &Adf, ctx: &MentionDirectory) -> EditorText {
    let root = as_doc(doc.as_value());
    let read = read::read(&root);
    let directory = syntax::Directory::new(ctx, &root);
    let emoji = emoji::EmojiSet::new(&root);
    let text = print::print(&read.blocks, &read.registry, &directory, &emoji);
    let placeholders = read
        .registry
        .iter()
        .enumerate()
        .map(|(i, entry)| Placeholder {
            token: entry.token(i),
            kind: entry.kind.clone(),
            label: entry.label.clone(),
            inline: entry.inline,
            node: entry.node.clone(),
        })
        .collect();
    EditorText { text, placeholders }
}

/// Converts editor text to a document. `original` is the document the text was made from
/// (by [`to_editor_text`] with the same `ctx`), or `None` for new text.
pub fn from_editor_text(
    text: &str,
    original: Option<&Adf>,
    ctx: &MentionDirectory,
) -> Result<Adf, ConvertError> {
    let root = match original {
        Some(doc) => as_doc(doc.as_value()),
        None => Cow::Owned(Adf::default().into_value()),
    };
    let read = read::read(&root);
    let directory = syntax::Directory::new(ctx, &root);
    let emoji = emoji::EmojiSet::new(&root);
    let normalized_text = syntax::normalize_newlines(text);
    let blocks = parse::parse(&normalized_text, &read.registry, &directory, &emoji)?;
    let content = build::build(
        &blocks,
        &read,
        &emoji,
        &directory,
        build::seed(&normalized_text),
    );
    let mut out = Map::new();
    if let Value::Object(orig) = root.as_ref() {
        // Keys of the root besides these are not ADF, but they were there.
        for (key, value) in orig {
            if !matches!(key.as_str(), "type" | "version" | "content") {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out.insert("type".into(), Value::String("doc".into()));
    out.insert("version".into(), Value::from(1));
    out.insert("content".into(), Value::Array(content));
    Ok(Adf::from_value(Value::Object(out)))
}

/// The form round trips are compared in: adjacent text nodes with the same marks merged,
/// marks in one canonical order, empty `marks` arrays dropped. ADF means the same after it.
pub fn normalized(doc: &Adf) -> Adf {
    Adf::from_value(normalize_value(doc.as_value()))
}

/// The canonical order of marks: ProseMirror's schema order, as Jira's editor writes them.
const MARK_ORDER: &[&str] = &[
    "link",
    "em",
    "strong",
    "textColor",
    "backgroundColor",
    "strike",
    "subsup",
    "underline",
    "code",
];

fn mark_rank(mark: &Value) -> (usize, String) {
    let kind = mark.get("type").and_then(Value::as_str).unwrap_or("");
    let rank = MARK_ORDER
        .iter()
        .position(|m| *m == kind)
        .unwrap_or(MARK_ORDER.len());
    // Unknown marks sort after known ones, by their JSON, so the order is total.
    (rank, mark.to_string())
}

fn normalize_value(value: &Value) -> Value {
    // Iterative over `content` arrays would complicate this for little gain: documents
    // this deep cannot come out of serde_json, whose parser stops at 128 levels.
    let Value::Object(map) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, v) in map {
        match key.as_str() {
            "content" => {
                let Value::Array(children) = v else {
                    out.insert(key.clone(), v.clone());
                    continue;
                };
                let mut merged: Vec<Value> = Vec::with_capacity(children.len());
                for child in children {
                    let child = normalize_value(child);
                    if let Some(last) = merged.last_mut()
                        && let Some(joined) = join_text(last, &child)
                    {
                        *last = joined;
                        continue;
                    }
                    merged.push(child);
                }
                out.insert(key.clone(), Value::Array(merged));
            }
            "marks" if map.get("type").and_then(Value::as_str) == Some("text") => {
                if let Value::Array(marks) = v {
                    if marks.is_empty() {
                        continue;
                    }
                    let mut sorted = marks.clone();
                    sorted.sort_by_key(mark_rank);
                    out.insert(key.clone(), Value::Array(sorted));
                } else {
                    out.insert(key.clone(), v.clone());
                }
            }
            _ => {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// Two adjacent text nodes with the same marks (and nothing else) as one.
fn join_text(a: &Value, b: &Value) -> Option<Value> {
    fn plain(v: &Value) -> Option<(&str, Option<&Value>)> {
        let map = v.as_object()?;
        (map.get("type")?.as_str()? == "text"
            && map
                .keys()
                .all(|k| matches!(k.as_str(), "type" | "text" | "marks")))
        .then_some(())?;
        Some((map.get("text")?.as_str()?, map.get("marks")))
    }
    let (ta, ma) = plain(a)?;
    let (tb, mb) = plain(b)?;
    if ma != mb {
        return None;
    }
    let mut joined = a.clone();
    joined["text"] = Value::String(format!("{ta}{tb}"));
    Some(joined)
}

/// The document to convert: a `doc` as is; a plain string (API v2 text) as paragraphs;
/// any other node as the only block of a document.
fn as_doc(value: &Value) -> Cow<'_, Value> {
    match value {
        Value::String(s) => Cow::Owned(Adf::from_plain_text(s).into_value()),
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("doc") => {
            Cow::Borrowed(value)
        }
        Value::Object(_) => {
            let mut doc = Adf::default().into_value();
            doc["content"] = Value::Array(vec![value.clone()]);
            Cow::Owned(doc)
        }
        _ => Cow::Owned(Adf::default().into_value()),
    }
}
