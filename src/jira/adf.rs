//! Atlassian Document Format (ADF): a tolerant view over the JSON tree, rendering to
//! styled lines wrapped to a width, and plain text for search and copy.
//!
//! [`Adf`] keeps the JSON exactly as received, so a document read from Jira can be
//! written back unchanged, and unknown node types, attributes and marks survive. Views
//! ([`Node`]) are read on demand; nothing is lost by parsing. Rendering knows every node
//! of the published schema and degrades unknown ones to their text, never dropping
//! them. All text it emits is sanitised, and nesting is capped so hostile documents
//! cannot exhaust the stack.
//!
//! No ratatui here: the UI maps [`TextStyle`] to its theme.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::sanitize::{expand_tabs, is_printable_ascii, sanitize, sanitize_line};

/// Deepest nesting rendered with structure; below it, a subtree becomes plain text.
pub const MAX_DEPTH: usize = 64;
/// Columns a tab advances to in code blocks.
const CODE_TAB_WIDTH: usize = 4;
/// Narrowest content column we indent for; narrower, nesting stops indenting (unless
/// the whole pane is that narrow) so deep documents stay readable.
const MIN_CONTENT_WIDTH: usize = 8;
/// Bullets by list nesting level.
const BULLETS: [&str; 3] = ["•", "◦", "▪"];
/// Narrowest useful table column; narrower, a table is listed cell by cell instead.
const MIN_TABLE_COLUMN_WIDTH: usize = 4;
/// Rendered in place of a character wider than the whole line (a CJK glyph at width 1).
const TOO_WIDE_GLYPH: &str = "…";

/// An ADF document (or any ADF node), kept as the JSON it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Adf(Value);

impl Default for Adf {
    /// An empty document.
    fn default() -> Self {
        Adf(json!({"type": "doc", "version": 1, "content": []}))
    }
}

impl Adf {
    /// Wraps any JSON. Non-ADF values (such as a v2 plain-text string) are rendered as
    /// text.
    pub fn from_value(value: Value) -> Adf {
        Adf(value)
    }

    /// A document of plain paragraphs: blank lines separate paragraphs, single newlines
    /// become hard breaks.
    pub fn from_plain_text(text: &str) -> Adf {
        let normalized = text.replace("\r\n", "\n");
        let paragraphs: Vec<Value> = normalized
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let mut inline = Vec::new();
                for (i, line) in p.split('\n').enumerate() {
                    if i > 0 {
                        inline.push(json!({"type": "hardBreak"}));
                    }
                    // ADF forbids empty text nodes.
                    if !line.is_empty() {
                        inline.push(json!({"type": "text", "text": line}));
                    }
                }
                json!({"type": "paragraph", "content": inline})
            })
            .collect();
        Adf(json!({"type": "doc", "version": 1, "content": paragraphs}))
    }

    pub fn as_value(&self) -> &Value {
        &self.0
    }

    pub fn into_value(self) -> Value {
        self.0
    }

    /// The root node (normally `doc`).
    pub fn root(&self) -> Node<'_> {
        Node(&self.0)
    }

    /// True when the document has no visible content.
    pub fn is_empty(&self) -> bool {
        plain_text(self).trim().is_empty()
    }
}

/// Every node type of the ADF schema, plus `Unknown` for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind<'a> {
    Doc,
    Paragraph,
    Heading,
    BulletList,
    OrderedList,
    ListItem,
    CodeBlock,
    Blockquote,
    Panel,
    Rule,
    Table,
    TableRow,
    TableHeader,
    TableCell,
    MediaSingle,
    MediaGroup,
    Media,
    MediaInline,
    Caption,
    Expand,
    NestedExpand,
    TaskList,
    TaskItem,
    BlockTaskItem,
    DecisionList,
    DecisionItem,
    BlockCard,
    EmbedCard,
    InlineCard,
    LayoutSection,
    LayoutColumn,
    Extension,
    BodiedExtension,
    MultiBodiedExtension,
    ExtensionFrame,
    InlineExtension,
    SyncBlock,
    BodiedSyncBlock,
    Text,
    HardBreak,
    Mention,
    Emoji,
    Status,
    Date,
    Placeholder,
    Unknown(&'a str),
}

impl NodeKind<'_> {
    /// Inline nodes flow inside paragraphs; everything else is a block.
    pub fn is_inline(&self) -> bool {
        matches!(
            self,
            NodeKind::Text
                | NodeKind::HardBreak
                | NodeKind::Mention
                | NodeKind::Emoji
                | NodeKind::Status
                | NodeKind::Date
                | NodeKind::Placeholder
                | NodeKind::InlineCard
                | NodeKind::MediaInline
                | NodeKind::InlineExtension
        )
    }
}

/// A read-only view of one node.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a>(&'a Value);

impl<'a> Node<'a> {
    pub fn value(&self) -> &'a Value {
        self.0
    }

    /// The `type` member, or `""`.
    pub fn type_name(&self) -> &'a str {
        self.0.get("type").and_then(Value::as_str).unwrap_or("")
    }

    pub fn kind(&self) -> NodeKind<'a> {
        // A match on strings tests its arms in order, so the most frequent
        // types come first.
        match self.type_name() {
            "text" => NodeKind::Text,
            "paragraph" => NodeKind::Paragraph,
            "hardBreak" => NodeKind::HardBreak,
            "listItem" => NodeKind::ListItem,
            "tableCell" => NodeKind::TableCell,
            "tableRow" => NodeKind::TableRow,
            "tableHeader" => NodeKind::TableHeader,
            "mention" => NodeKind::Mention,
            "heading" => NodeKind::Heading,
            "bulletList" => NodeKind::BulletList,
            "orderedList" => NodeKind::OrderedList,
            "codeBlock" => NodeKind::CodeBlock,
            "panel" => NodeKind::Panel,
            "table" => NodeKind::Table,
            "doc" => NodeKind::Doc,
            "blockquote" => NodeKind::Blockquote,
            "rule" => NodeKind::Rule,
            "mediaSingle" => NodeKind::MediaSingle,
            "mediaGroup" => NodeKind::MediaGroup,
            "media" => NodeKind::Media,
            "mediaInline" => NodeKind::MediaInline,
            "caption" => NodeKind::Caption,
            "expand" => NodeKind::Expand,
            "nestedExpand" => NodeKind::NestedExpand,
            "taskList" => NodeKind::TaskList,
            "taskItem" => NodeKind::TaskItem,
            "blockTaskItem" => NodeKind::BlockTaskItem,
            "decisionList" => NodeKind::DecisionList,
            "decisionItem" => NodeKind::DecisionItem,
            "blockCard" => NodeKind::BlockCard,
            "embedCard" => NodeKind::EmbedCard,
            "inlineCard" => NodeKind::InlineCard,
            "layoutSection" => NodeKind::LayoutSection,
            "layoutColumn" => NodeKind::LayoutColumn,
            "extension" => NodeKind::Extension,
            "bodiedExtension" => NodeKind::BodiedExtension,
            "multiBodiedExtension" => NodeKind::MultiBodiedExtension,
            "extensionFrame" => NodeKind::ExtensionFrame,
            "inlineExtension" => NodeKind::InlineExtension,
            "syncBlock" => NodeKind::SyncBlock,
            "bodiedSyncBlock" => NodeKind::BodiedSyncBlock,
            "emoji" => NodeKind::Emoji,
            "status" => NodeKind::Status,
            "date" => NodeKind::Date,
            "placeholder" => NodeKind::Placeholder,
            other => NodeKind::Unknown(other),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&'a Value> {
        self.0.get("attrs").and_then(|a| a.get(name))
    }

    /// A string attribute, `None` when absent or empty.
    pub fn attr_str(&self, name: &str) -> Option<&'a str> {
        self.attr(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The node's `text`; a bare JSON string (found where a node was expected) counts
    /// as its own text so it is not lost.
    pub fn text(&self) -> Option<&'a str> {
        match self.0 {
            Value::String(s) => Some(s),
            v => v.get("text").and_then(Value::as_str),
        }
    }

    pub fn content(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        self.0
            .get("content")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(Node)
    }

    pub fn has_content(&self) -> bool {
        self.content().next().is_some()
    }

    /// Marks as (type, attrs) pairs.
    pub fn marks(&self) -> impl Iterator<Item = (&'a str, Option<&'a Value>)> + 'a {
        self.0
            .get("marks")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|m| {
                (
                    m.get("type").and_then(Value::as_str).unwrap_or(""),
                    m.get("attrs"),
                )
            })
    }
}

/// Colours of status lozenges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LozengeColor {
    Neutral,
    Purple,
    Blue,
    Red,
    Yellow,
    Green,
}

impl LozengeColor {
    fn parse(s: &str) -> LozengeColor {
        match s {
            "purple" => LozengeColor::Purple,
            "blue" => LozengeColor::Blue,
            "red" => LozengeColor::Red,
            "yellow" => LozengeColor::Yellow,
            "green" => LozengeColor::Green,
            _ => LozengeColor::Neutral,
        }
    }
}

/// Panel types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PanelKind {
    Info,
    Note,
    Tip,
    Warning,
    Error,
    Success,
    Custom,
}

impl PanelKind {
    fn parse(s: &str) -> PanelKind {
        match s {
            "note" => PanelKind::Note,
            "tip" => PanelKind::Tip,
            "warning" => PanelKind::Warning,
            "error" => PanelKind::Error,
            "success" => PanelKind::Success,
            "custom" => PanelKind::Custom,
            _ => PanelKind::Info,
        }
    }

    /// Icon and name shown in the panel's header line. Icons are single-width
    /// symbols (no emoji presentation) so terminals agree on their width.
    pub fn header(&self) -> (&'static str, &'static str) {
        match self {
            PanelKind::Info => ("ℹ", "Info"),
            PanelKind::Note => ("✎", "Note"),
            PanelKind::Tip => ("★", "Tip"),
            PanelKind::Warning => ("⚠", "Warning"),
            PanelKind::Error => ("✖", "Error"),
            PanelKind::Success => ("✔", "Success"),
            PanelKind::Custom => ("◆", "Panel"),
        }
    }
}

/// A 24-bit colour from a `textColor`/`backgroundColor` mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` (or `#rgb`).
    pub fn parse_hex(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        let byte = |i: usize, len: usize| {
            hex.get(i..i + len)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        match hex.len() {
            6 => Some(Rgb(byte(0, 2)?, byte(2, 2)?, byte(4, 2)?)),
            3 => {
                let d = |i| byte(i, 1).map(|v| v * 17);
                Some(Rgb(d(0)?, d(1)?, d(2)?))
            }
            _ => None,
        }
    }
}

/// How a span should look. The UI maps this to its theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TextStyle {
    pub bold: bool,
    pub italic: bool,
    /// Inline code.
    pub code: bool,
    pub strike: bool,
    pub underline: bool,
    pub link: bool,
    /// Heading level 1–6, 0 for body text.
    pub heading: u8,
    /// Inside a blockquote (also set on the `│` bar).
    pub quote: bool,
    pub code_block: bool,
    pub mention: bool,
    pub emoji: bool,
    /// A status lozenge and its colour.
    pub status: Option<LozengeColor>,
    /// A panel's bar and header, by kind.
    pub panel: Option<PanelKind>,
    /// De-emphasised: structure (borders, labels), placeholders, captions.
    pub dim: bool,
    pub sub: bool,
    pub sup: bool,
    pub table_header: bool,
    /// Foreground from a `textColor` mark.
    pub fg: Option<Rgb>,
    /// Background from a `backgroundColor` mark.
    pub bg: Option<Rgb>,
}

/// A run of text in one style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichSpan {
    pub text: String,
    pub style: TextStyle,
}

impl RichSpan {
    pub fn new(text: impl Into<String>, style: TextStyle) -> Self {
        RichSpan {
            text: text.into(),
            style,
        }
    }

    pub fn width(&self) -> usize {
        str_width(&self.text)
    }
}

/// One display line: spans including any structural prefix (bullets, bars, borders).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichLine {
    pub spans: Vec<RichSpan>,
}

impl RichLine {
    /// Display width in terminal columns.
    pub fn width(&self) -> usize {
        self.spans.iter().map(RichSpan::width).sum()
    }

    /// The line's text without styles.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    fn push(&mut self, text: &str, style: TextStyle) {
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.style == style => last.text.push_str(text),
            _ => self.spans.push(RichSpan::new(text, style)),
        }
    }
}

/// What the renderer can look up that the document itself does not say.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RenderContext {
    /// accountId to display name, for mentions without `attrs.text`.
    pub user_names: HashMap<String, String>,
    /// Media (or attachment) id to file name, for media without `attrs.alt`.
    pub media_names: HashMap<String, String>,
}

/// Renders `doc` to lines no wider than `width` columns.
pub fn render(doc: &Adf, width: u16, ctx: &RenderContext) -> Vec<RichLine> {
    render_within(doc, width, ctx, usize::MAX).0
}

/// Most lines one document gets in the issue pane (see [`render_capped`]).
pub const MAX_DOC_LINES: usize = 2_000;

/// Like [`render`], but at most `max_lines` lines: top-level blocks past the limit are
/// not laid out at all (so a 100,000-paragraph document costs no more than a long
/// one), and a last line says what was left out ("… 98,000 more lines not shown").
pub fn render_capped(
    doc: &Adf,
    width: u16,
    ctx: &RenderContext,
    max_lines: usize,
) -> Vec<RichLine> {
    let (mut lines, skipped_blocks) = render_within(doc, width, ctx, max_lines);
    let cut = lines.len().saturating_sub(max_lines);
    if cut == 0 && skipped_blocks == 0 {
        return lines;
    }
    lines.truncate(max_lines);
    let mut parts = Vec::new();
    if cut > 0 {
        parts.push(format!("{cut} more lines"));
    }
    if skipped_blocks > 0 {
        parts.push(format!("{skipped_blocks} more blocks"));
    }
    let note = format!("… {} not shown", parts.join(" and "));
    lines.extend(wrap(&[atom(note, dim())], usize::from(width).max(1)));
    lines
}

/// The lines, and how many top-level blocks were not laid out because `max_lines` was
/// reached before them.
fn render_within(
    doc: &Adf,
    width: u16,
    ctx: &RenderContext,
    max_lines: usize,
) -> (Vec<RichLine>, usize) {
    let width = usize::from(width);
    if width == 0 {
        return (Vec::new(), 0);
    }
    let renderer = Renderer {
        ctx,
        pane_width: width,
        max_lines,
        skipped: std::cell::Cell::new(0),
    };
    let mut lines = renderer.block(doc.root(), width, Level::default());
    // Editors pad documents with empty paragraphs; with the gaps between blocks that
    // would stack up, so runs of blank lines collapse to one. (Blank lines inside code
    // blocks carry an empty span and are kept.)
    lines.dedup_by(|a, b| a.spans.is_empty() && b.spans.is_empty());
    while lines.first().is_some_and(|l| l.spans.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.spans.is_empty()) {
        lines.pop();
    }
    // Every layout step respects the width; this is a safety net, not the mechanism.
    for line in &mut lines {
        if line.width() > width {
            *line = truncate_line(line, width);
        }
    }
    (lines, renderer.skipped.get())
}

/// All text of the document: blocks on their own lines, inline nodes as they render
/// (`@Name`, emoji, status text, dates, card URLs). Sanitised. Iterative, so any depth
/// is safe.
pub fn plain_text(doc: &Adf) -> String {
    node_plain_text(doc.root())
}

/// [`plain_text`] of any node, without copying the subtree.
fn node_plain_text(root: Node<'_>) -> String {
    enum Work<'a> {
        Node(Node<'a>),
        EndBlock,
    }
    let ctx = RenderContext::default();
    let mut out = String::new();
    let mut stack = vec![Work::Node(root)];
    while let Some(work) = stack.pop() {
        let node = match work {
            Work::EndBlock => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                continue;
            }
            Work::Node(node) => node,
        };
        let kind = node.kind();
        match kind {
            NodeKind::Text => out.push_str(node.text().unwrap_or("")),
            NodeKind::HardBreak => out.push('\n'),
            NodeKind::CodeBlock => {
                stack.push(Work::EndBlock);
                out.push_str(&code_text(node));
            }
            k if k.is_inline() => {
                if let Some(atom) = inline_atom_text(node, &ctx) {
                    out.push_str(&atom);
                }
            }
            _ => {
                stack.push(Work::EndBlock);
                let children: Vec<Node<'_>> = node.content().collect();
                if children.is_empty() {
                    if let Some(t) = node.text().or_else(|| node.attr_str("text")) {
                        out.push_str(t);
                    } else if let Some(url) = card_url(node) {
                        out.push_str(&url);
                    } else if matches!(kind, NodeKind::Media) {
                        out.push_str(&media_label(node, &ctx));
                    }
                }
                stack.extend(children.into_iter().rev().map(Work::Node));
            }
        }
    }
    let trimmed = out.trim_end_matches('\n');
    sanitize(trimmed).into_owned()
}

/// Every URL in the document (link marks, cards, external media), first occurrence
/// first. For "open link" actions.
pub fn links(doc: &Adf) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |url: &str| {
        let url = sanitize_line(url).into_owned();
        if !url.is_empty() && !found.contains(&url) {
            found.push(url);
        }
    };
    let mut stack = vec![doc.root()];
    while let Some(node) = stack.pop() {
        for (mark, attrs) in node.marks() {
            if mark == "link"
                && let Some(href) = attrs.and_then(|a| a.get("href")).and_then(Value::as_str)
            {
                add(href);
            }
        }
        if matches!(
            node.kind(),
            NodeKind::InlineCard | NodeKind::BlockCard | NodeKind::EmbedCard | NodeKind::Media
        ) && let Some(url) = node.attr_str("url")
        {
            add(url);
        }
        let children: Vec<Node<'_>> = node.content().collect();
        stack.extend(children.into_iter().rev());
    }
    found
}

/// Nesting state carried down the tree.
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    /// Node depth, for the recursion guard.
    depth: usize,
    /// How many lists enclose this node, for bullet choice.
    lists: usize,
}

impl Level {
    fn deeper(self) -> Level {
        Level {
            depth: self.depth + 1,
            ..self
        }
    }

    fn in_list(self) -> Level {
        Level {
            depth: self.depth + 1,
            lists: self.lists + 1,
        }
    }
}

/// How many lines a growing list will show once `render` has collapsed runs of blank
/// lines and trimmed blank ones at both ends, counted as the list grows.
#[derive(Debug, Default)]
struct ShownLines {
    /// Lines of the list already looked at.
    seen: usize,
    /// Lines that survive the collapsing, a trailing blank one included.
    kept: usize,
    last_blank: bool,
}

impl ShownLines {
    fn update(&mut self, lines: &[RichLine]) -> usize {
        for line in &lines[self.seen.min(lines.len())..] {
            let blank = line.spans.is_empty();
            // A blank line first, or after another, is dropped.
            if !blank || (self.kept > 0 && !self.last_blank) {
                self.kept += 1;
            }
            self.last_blank = blank;
        }
        self.seen = lines.len();
        // A blank line last is trimmed, unless more follows.
        self.kept - usize::from(self.last_blank && self.kept > 0)
    }
}

/// One item of inline flow before wrapping. Text borrows from the document when
/// sanitising left it unchanged (nearly always), so a text node is not copied.
#[derive(Debug)]
enum Inline<'a> {
    /// Text; `atomic` runs (mentions, lozenges, dates) do not break at their spaces.
    Text {
        text: Cow<'a, str>,
        style: TextStyle,
        atomic: bool,
    },
    Break,
}

impl Inline<'_> {
    fn into_owned<'b>(self) -> Inline<'b> {
        match self {
            Inline::Text {
                text,
                style,
                atomic,
            } => Inline::Text {
                text: Cow::Owned(text.into_owned()),
                style,
                atomic,
            },
            Inline::Break => Inline::Break,
        }
    }
}

struct Renderer<'c> {
    ctx: &'c RenderContext,
    /// The width asked for by the caller, before any nesting.
    pane_width: usize,
    /// Top-level blocks stop being laid out once this many lines exist.
    max_lines: usize,
    /// Top-level blocks left out because of `max_lines`.
    skipped: std::cell::Cell<usize>,
}

impl Renderer<'_> {
    fn prefixed(
        &self,
        width: usize,
        prefix: &str,
        style: TextStyle,
        body: impl FnOnce(usize) -> Vec<RichLine>,
    ) -> Vec<RichLine> {
        let narrow_pane = self.pane_width < 2 * MIN_CONTENT_WIDTH;
        with_prefix(narrow_pane, width, prefix, style, body)
    }

    /// Renders a sequence of sibling nodes in block context. Runs of inline nodes
    /// found there (text directly under `doc`) form an implicit paragraph. With `gap`,
    /// blocks are separated by a blank line.
    fn blocks<'a>(
        &self,
        nodes: impl Iterator<Item = Node<'a>>,
        width: usize,
        level: Level,
        gap: bool,
    ) -> Vec<RichLine> {
        let mut out: Vec<RichLine> = Vec::new();
        let mut pending_inline: Vec<Node<'a>> = Vec::new();
        let emit = |out: &mut Vec<RichLine>, lines: Vec<RichLine>| {
            if gap && !out.is_empty() && !lines.is_empty() {
                out.push(RichLine::default());
            }
            out.extend(lines);
        };
        let mut shown = ShownLines::default();
        for node in nodes {
            if level.depth == 0 && shown.update(&out) >= self.max_lines {
                // Counted, not laid out: that is the point of the limit.
                self.skipped.set(self.skipped.get() + 1);
                continue;
            }
            // The kind is looked up once and handed on: it is a map lookup and a string
            // match, paid per node of a possibly huge document.
            let kind = node.kind();
            if kind.is_inline() || node.0.is_string() {
                pending_inline.push(node);
                continue;
            }
            if !pending_inline.is_empty() {
                let lines = self.inline_block(&pending_inline, TextStyle::default(), width, level);
                emit(&mut out, lines);
                pending_inline.clear();
            }
            let lines = self.block_of(node, kind, width, level.deeper());
            emit(&mut out, lines);
        }
        if !pending_inline.is_empty() {
            let lines = self.inline_block(&pending_inline, TextStyle::default(), width, level);
            emit(&mut out, lines);
        }
        out
    }

    fn inline_block<'a>(
        &self,
        nodes: &[Node<'a>],
        base: TextStyle,
        width: usize,
        level: Level,
    ) -> Vec<RichLine> {
        let mut items = Vec::new();
        for node in nodes {
            self.inline(*node, base, level, &mut items);
        }
        wrap(&items, width)
    }

    /// Wraps a node's inline content (paragraph, heading, task item...).
    fn inline_content(
        &self,
        node: Node<'_>,
        base: TextStyle,
        width: usize,
        level: Level,
    ) -> Vec<RichLine> {
        let mut items = Vec::new();
        for child in node.content() {
            self.inline(child, base, level.deeper(), &mut items);
        }
        wrap(&items, width)
    }

    fn block(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        self.block_of(node, node.kind(), width, level)
    }

    /// [`Renderer::block`] for a node whose kind the caller already knows.
    fn block_of(
        &self,
        node: Node<'_>,
        kind: NodeKind<'_>,
        width: usize,
        level: Level,
    ) -> Vec<RichLine> {
        if level.depth > MAX_DEPTH {
            return self.flattened(node, width);
        }
        match kind {
            NodeKind::Doc | NodeKind::LayoutColumn | NodeKind::ExtensionFrame => {
                self.blocks(node.content(), width, level, true)
            }
            NodeKind::Paragraph => {
                let lines = self.inline_content(node, TextStyle::default(), width, level);
                // An empty paragraph is how editors make vertical space.
                if lines.is_empty() {
                    vec![RichLine::default()]
                } else {
                    lines
                }
            }
            NodeKind::Heading => {
                let lvl = node
                    .attr("level")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .clamp(1, 6);
                let style = TextStyle {
                    bold: true,
                    heading: u8::try_from(lvl).unwrap_or(1),
                    ..TextStyle::default()
                };
                self.inline_content(node, style, width, level)
            }
            NodeKind::BulletList | NodeKind::OrderedList => {
                self.list(node, matches!(kind, NodeKind::OrderedList), width, level)
            }
            NodeKind::ListItem | NodeKind::BlockTaskItem => {
                self.blocks(node.content(), width, level, false)
            }
            NodeKind::TaskList => self.task_list(node, width, level),
            NodeKind::TaskItem => self.inline_content(node, TextStyle::default(), width, level),
            NodeKind::DecisionList => self.decision_list(node, width, level),
            NodeKind::DecisionItem => self.inline_content(node, TextStyle::default(), width, level),
            NodeKind::CodeBlock => self.code_block(node, width),
            NodeKind::Blockquote => self.blockquote(node, width, level),
            NodeKind::Panel => self.panel(node, width, level),
            NodeKind::Rule => vec![RichLine {
                spans: vec![RichSpan::new("─".repeat(width), dim())],
            }],
            NodeKind::Table => self.table(node, width, level),
            NodeKind::TableRow | NodeKind::TableHeader | NodeKind::TableCell => {
                // Outside a table (malformed): show the content in order.
                self.blocks(node.content(), width, level, false)
            }
            NodeKind::MediaSingle | NodeKind::MediaGroup => {
                self.blocks(node.content(), width, level, false)
            }
            NodeKind::Media => wrap(
                &[atom(media_label(node, self.ctx), TextStyle::default())],
                width,
            ),
            NodeKind::Caption => {
                let style = TextStyle {
                    italic: true,
                    dim: true,
                    ..TextStyle::default()
                };
                self.inline_content(node, style, width, level)
            }
            NodeKind::Expand | NodeKind::NestedExpand => self.expand(node, width, level),
            NodeKind::LayoutSection => self.blocks(node.content(), width, level, true),
            NodeKind::BlockCard | NodeKind::EmbedCard => {
                let url = card_url(node).unwrap_or_else(|| "[card]".to_string());
                wrap(&[text_item(url, link_style())], width)
            }
            NodeKind::Extension
            | NodeKind::BodiedExtension
            | NodeKind::MultiBodiedExtension
            | NodeKind::SyncBlock
            | NodeKind::BodiedSyncBlock => self.extension(node, width, level),
            // Inline kinds reach here only as a lone root; render them as a paragraph.
            NodeKind::Text
            | NodeKind::HardBreak
            | NodeKind::Mention
            | NodeKind::Emoji
            | NodeKind::Status
            | NodeKind::Date
            | NodeKind::Placeholder
            | NodeKind::InlineCard
            | NodeKind::MediaInline
            | NodeKind::InlineExtension => {
                self.inline_block(&[node], TextStyle::default(), width, level)
            }
            NodeKind::Unknown(name) => self.unknown_block(node, name, width, level),
        }
    }

    /// Degrades an unknown block: its children (as blocks, or as a paragraph when they
    /// are inline), else its text, else a `[type]` marker so it is visibly there.
    fn unknown_block(
        &self,
        node: Node<'_>,
        name: &str,
        width: usize,
        level: Level,
    ) -> Vec<RichLine> {
        if node.has_content() {
            if node.content().all(|c| c.kind().is_inline()) {
                return self.inline_content(node, TextStyle::default(), width, level);
            }
            return self.blocks(node.content(), width, level, true);
        }
        if let Some(text) = node.text().or_else(|| node.attr_str("text")) {
            return wrap(&text_items(text, TextStyle::default()), width);
        }
        let label = if node.0.is_null() {
            // What `bounds::limit_depth` leaves of a subtree nested too deeply.
            "[… nested too deeply to show]".to_string()
        } else if name.is_empty() {
            "[unknown]".to_string()
        } else {
            format!("[{}]", sanitize_line(name))
        };
        wrap(&[atom(label, dim())], width)
    }

    /// Below the depth cap: the subtree's plain text, wrapped.
    fn flattened(&self, node: Node<'_>, width: usize) -> Vec<RichLine> {
        let text = node_plain_text(node);
        wrap(&text_items(&text, TextStyle::default()), width)
    }

    fn list(&self, node: Node<'_>, ordered: bool, width: usize, level: Level) -> Vec<RichLine> {
        let start = node.attr("order").and_then(as_u64_lenient).unwrap_or(1);
        let items: Vec<Node<'_>> = node.content().collect();
        let markers: Vec<String> = (0..items.len())
            .map(|i| {
                if ordered {
                    format!("{}.", start.saturating_add(i as u64))
                } else {
                    BULLETS[level.lists % BULLETS.len()].to_string()
                }
            })
            .collect();
        let marker_w = markers.iter().map(|m| m.width()).max().unwrap_or(1) + 1;
        let mut out = Vec::new();
        for (item, marker) in items.into_iter().zip(markers) {
            // Right-align numbers so the dots line up ( 9. / 10.).
            let pad = marker_w - 1 - marker.width();
            let first = format!("{}{} ", " ".repeat(pad), marker);
            let marker_style = TextStyle {
                dim: !ordered,
                ..TextStyle::default()
            };
            out.extend(self.prefixed(width, &first, marker_style, |inner| {
                let lines = self.block(item, inner, level.in_list());
                if lines.is_empty() {
                    vec![RichLine::default()]
                } else {
                    lines
                }
            }));
        }
        out
    }

    fn task_list(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let mut out = Vec::new();
        for item in node.content() {
            match item.kind() {
                NodeKind::TaskItem | NodeKind::BlockTaskItem => {
                    let done = item.attr_str("state") == Some("DONE");
                    let marker = if done { "[x] " } else { "[ ] " };
                    let style = TextStyle {
                        bold: done,
                        ..TextStyle::default()
                    };
                    out.extend(self.prefixed(width, marker, style, |inner| {
                        let lines = self.block(item, inner, level.in_list());
                        if lines.is_empty() {
                            vec![RichLine::default()]
                        } else {
                            lines
                        }
                    }));
                }
                // A nested task list belongs under the item before it.
                _ => out.extend(self.prefixed(width, "    ", TextStyle::default(), |inner| {
                    self.block(item, inner, level.in_list())
                })),
            }
        }
        out
    }

    fn decision_list(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let mut out = Vec::new();
        for item in node.content() {
            let decided = item.attr_str("state").is_none_or(|s| s == "DECIDED");
            let marker = if decided { "◆ " } else { "◇ " };
            let style = TextStyle {
                bold: true,
                ..TextStyle::default()
            };
            out.extend(self.prefixed(width, marker, style, |inner| {
                let lines = self.block(item, inner, level.in_list());
                if lines.is_empty() {
                    vec![RichLine::default()]
                } else {
                    lines
                }
            }));
        }
        out
    }

    /// A label line with the language, then the code, hard-wrapped by characters (not
    /// words) so indentation is preserved exactly.
    fn code_block(&self, node: Node<'_>, width: usize) -> Vec<RichLine> {
        let code_style = TextStyle {
            code_block: true,
            ..TextStyle::default()
        };
        let label_style = TextStyle {
            code_block: true,
            dim: true,
            ..TextStyle::default()
        };
        let language = node
            .attr_str("language")
            .map(|l| sanitize_line(l).into_owned())
            .unwrap_or_else(|| "code".to_string());
        let mut out = wrap(&[atom(format!("[{language}]"), label_style)], width);
        let text = code_text(node);
        let clean = sanitize(&text);
        let expanded = expand_tabs(&clean, CODE_TAB_WIDTH);
        let body = expanded.strip_suffix('\n').unwrap_or(&expanded);
        for line in body.split('\n') {
            out.extend(hard_wrap(line, code_style, width));
        }
        out
    }

    fn blockquote(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let bar = TextStyle {
            quote: true,
            dim: true,
            ..TextStyle::default()
        };
        self.prefixed(width, "│ ", bar, |inner| {
            let mut lines = self.blocks(node.content(), inner, level, true);
            overlay(&mut lines, |s| s.quote = true);
            lines
        })
    }

    fn panel(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let kind = PanelKind::parse(node.attr_str("panelType").unwrap_or("info"));
        let (icon, name) = kind.header();
        let icon = match kind {
            PanelKind::Custom => node
                .attr_str("panelIconText")
                .map(|t| sanitize_line(t).into_owned())
                .unwrap_or_else(|| icon.to_string()),
            _ => icon.to_string(),
        };
        let bar = TextStyle {
            panel: Some(kind),
            ..TextStyle::default()
        };
        let header_style = TextStyle { bold: true, ..bar };
        self.prefixed(width, "┃ ", bar, |inner| {
            let mut lines = wrap(&[atom(format!("{icon} {name}"), header_style)], inner);
            lines.extend(self.blocks(node.content(), inner, level, true));
            lines
        })
    }

    fn expand(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let title = node
            .attr_str("title")
            .map(|t| format!("▸ {}", sanitize_line(t)))
            .unwrap_or_else(|| "▸".to_string());
        let style = TextStyle {
            bold: true,
            ..TextStyle::default()
        };
        let mut out = wrap(&text_items(&title, style), width);
        out.extend(self.prefixed(width, "  ", TextStyle::default(), |inner| {
            self.blocks(node.content(), inner, level, true)
        }));
        out
    }

    fn extension(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let key = node
            .attr_str("extensionKey")
            .or_else(|| node.attr_str("resourceId"))
            .unwrap_or(node.type_name());
        let mut out = wrap(
            &[atom(format!("[extension: {}]", sanitize_line(key)), dim())],
            width,
        );
        if let Some(text) = node.attr_str("text") {
            out.extend(wrap(&text_items(text, TextStyle::default()), width));
        }
        out.extend(self.blocks(node.content(), width, level, true));
        out
    }

    /// Tables as aligned grids: column widths by content, shrunk to fit, cell text
    /// wrapped within its column, the header row underlined by a separator. `rowspan`
    /// is not drawn as spanning (the cell shows in its first row). Too narrow for a
    /// grid, cells are listed one after another instead.
    fn table(&self, node: Node<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let numbered = node
            .attr("isNumberColumnEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut rows: Vec<Vec<Cell<'_>>> = Vec::new();
        let mut header_rows: Vec<bool> = Vec::new();
        let mut body_index = 0usize;
        for row in node.content() {
            let cells: Vec<Node<'_>> = row.content().collect();
            if cells.is_empty() {
                continue;
            }
            let is_header = cells
                .iter()
                .all(|c| matches!(c.kind(), NodeKind::TableHeader));
            let mut out_row = Vec::new();
            if numbered {
                let label = if is_header {
                    String::new()
                } else {
                    body_index += 1;
                    body_index.to_string()
                };
                out_row.push(Cell {
                    content: CellContent::Label(label),
                    span: 1,
                    header: is_header,
                });
            }
            for c in cells {
                let span = c
                    .attr("colspan")
                    .and_then(as_u64_lenient)
                    .and_then(|s| usize::try_from(s).ok())
                    .unwrap_or(1)
                    .max(1);
                out_row.push(Cell {
                    content: CellContent::Node(c),
                    span,
                    header: matches!(c.kind(), NodeKind::TableHeader),
                });
            }
            rows.push(out_row);
            header_rows.push(is_header);
        }
        let ncols = rows
            .iter()
            .map(|r| r.iter().map(|c| c.span).sum::<usize>())
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return Vec::new();
        }
        // "│ a │ b │": one bar, then per column a space, the cell, a space and a bar.
        let overhead = 3 * ncols + 1;
        if width < overhead + ncols * MIN_TABLE_COLUMN_WIDTH {
            return self.table_as_list(&rows, width, level);
        }
        let avail = width - overhead;

        let mut col_w = vec![1usize; ncols];
        let mut floors = vec![1usize; ncols];
        // Cells laid out for measuring, kept when drawing them at their column's width
        // would give the same lines (see `wraps_alike`), so most cells are laid out once.
        let mut measured: Vec<Vec<Option<Vec<RichLine>>>> = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut col = 0;
            let mut kept = Vec::with_capacity(row.len());
            for cell in row {
                kept.push(None);
                if cell.span == 1 {
                    let lines = self.cell_lines(cell, avail, level);
                    let natural = lines.iter().map(RichLine::width).max().unwrap_or(0);
                    let mut longest_word = 0;
                    for line in &lines {
                        for word in line.text().split(' ') {
                            longest_word = longest_word.max(str_width(word));
                        }
                    }
                    col_w[col] = col_w[col].max(natural);
                    floors[col] = floors[col].max(longest_word);
                    if cell.wraps_alike()
                        && let Some(slot) = kept.last_mut()
                    {
                        *slot = Some(lines);
                    }
                }
                col += cell.span;
            }
            measured.push(kept);
        }
        // A spanning cell wider than the columns it covers widens the last of them.
        for row in &rows {
            let mut col = 0;
            for cell in row {
                let end = (col + cell.span).min(ncols);
                if cell.span > 1 && end > col {
                    let natural = self
                        .cell_lines(cell, avail, level)
                        .iter()
                        .map(RichLine::width)
                        .max()
                        .unwrap_or(0);
                    let covered = col_w[col..end].iter().sum::<usize>() + 3 * (end - col - 1);
                    if natural > covered {
                        col_w[end - 1] += natural - covered;
                    }
                }
                col = end;
            }
        }
        shrink_to_fit(&mut col_w, &floors, avail);

        let border = |left: &str, mid: &str, right: &str| RichLine {
            spans: vec![RichSpan::new(
                format!(
                    "{left}{}{right}",
                    col_w
                        .iter()
                        .map(|w| "─".repeat(w + 2))
                        .collect::<Vec<_>>()
                        .join(mid)
                ),
                dim(),
            )],
        };
        let mut out = vec![border("┌", "┬", "┐")];
        for (row_index, row) in rows.iter().enumerate() {
            let mut rendered: Vec<(usize, Vec<RichLine>)> = Vec::new();
            let mut col = 0;
            for (cell_index, cell) in row.iter().enumerate() {
                let end = (col + cell.span).min(ncols);
                let w = col_w[col..end].iter().sum::<usize>() + 3 * (end - col - 1);
                let kept = measured[row_index][cell_index].take();
                let lines = match kept {
                    Some(lines) if lines.iter().all(|l| l.width() <= w) => lines,
                    _ => self.cell_lines(cell, w, level),
                };
                rendered.push((w, lines));
                col = end;
            }
            // Rows with fewer cells than columns get empty cells, so bars line up.
            while col < ncols {
                rendered.push((col_w[col], Vec::new()));
                col += 1;
            }
            let height = rendered
                .iter()
                .map(|(_, l)| l.len())
                .max()
                .unwrap_or(0)
                .max(1);
            for i in 0..height {
                let mut line = RichLine::default();
                line.push("│", dim());
                for (w, lines) in &rendered {
                    line.push(" ", TextStyle::default());
                    let used = match lines.get(i) {
                        Some(l) => {
                            for s in &l.spans {
                                line.push(&s.text, s.style);
                            }
                            l.width()
                        }
                        None => 0,
                    };
                    line.push(
                        &" ".repeat(w.saturating_sub(used) + 1),
                        TextStyle::default(),
                    );
                    line.push("│", dim());
                }
                out.push(line);
            }
            let next_is_body = header_rows.get(row_index + 1).is_some_and(|h| !h);
            if header_rows[row_index] && next_is_body {
                out.push(border("├", "┼", "┤"));
            }
        }
        out.push(border("└", "┴", "┘"));
        out
    }

    fn cell_lines(&self, cell: &Cell<'_>, width: usize, level: Level) -> Vec<RichLine> {
        let mut lines = match &cell.content {
            CellContent::Label(text) => wrap(&[atom(text.clone(), dim())], width),
            CellContent::Node(node) => self.blocks(node.content(), width, level.deeper(), false),
        };
        if cell.header {
            overlay(&mut lines, |s| {
                s.bold = true;
                s.table_header = true;
            });
        }
        lines
    }

    fn table_as_list(&self, rows: &[Vec<Cell<'_>>], width: usize, level: Level) -> Vec<RichLine> {
        let mut out = Vec::new();
        for row in rows {
            if !out.is_empty() {
                out.push(RichLine {
                    spans: vec![RichSpan::new("─".repeat(width), dim())],
                });
            }
            for cell in row {
                let lines = self.cell_lines(cell, width, level);
                // Empty cells carry nothing once the grid is gone.
                if lines.iter().any(|l| l.width() > 0) {
                    out.extend(lines);
                }
            }
        }
        out
    }

    /// Appends the inline rendering of `node` to `out`.
    fn inline<'a>(&self, node: Node<'a>, base: TextStyle, level: Level, out: &mut Vec<Inline<'a>>) {
        if level.depth > MAX_DEPTH {
            let text = node_plain_text(node);
            out.extend(text_items(&text, base).into_iter().map(Inline::into_owned));
            return;
        }
        match node.kind() {
            NodeKind::Text => {
                let style = apply_marks(base, node);
                push_text_items(out, node.text().unwrap_or(""), style);
            }
            NodeKind::HardBreak => out.push(Inline::Break),
            NodeKind::Mention => out.push(atom(
                mention_text(node, self.ctx),
                TextStyle {
                    mention: true,
                    ..base
                },
            )),
            NodeKind::Emoji => out.push(atom(
                emoji_text(node),
                TextStyle {
                    emoji: true,
                    ..base
                },
            )),
            NodeKind::Status => {
                let color = LozengeColor::parse(node.attr_str("color").unwrap_or("neutral"));
                out.push(atom(
                    status_text(node),
                    TextStyle {
                        status: Some(color),
                        bold: true,
                        ..base
                    },
                ));
            }
            NodeKind::Date => out.push(atom(date_text(node), base)),
            NodeKind::Placeholder => {
                let text = node.attr_str("text").unwrap_or("…");
                out.extend(text_items(
                    text,
                    TextStyle {
                        dim: true,
                        italic: true,
                        ..base
                    },
                ));
            }
            NodeKind::InlineCard => {
                // Jira draws cards as chips; without one, keep the URL off the word
                // before it.
                if let Some(Inline::Text { text, .. }) = out.last()
                    && !text.ends_with(' ')
                {
                    out.push(text_item(" ".to_string(), base));
                }
                let url = card_url(node).unwrap_or_else(|| "[card]".to_string());
                out.push(text_item(url, TextStyle { link: true, ..base }));
            }
            NodeKind::MediaInline | NodeKind::Media => {
                out.push(atom(media_label(node, self.ctx), base));
            }
            NodeKind::InlineExtension => {
                let key = node.attr_str("extensionKey").unwrap_or("inline");
                out.push(atom(
                    format!("[extension: {}]", sanitize_line(key)),
                    TextStyle { dim: true, ..base },
                ));
                if let Some(text) = node.attr_str("text") {
                    out.extend(text_items(text, base));
                }
            }
            // A block or unknown node where inline content was expected: keep its text
            // in the flow, separated by breaks when it is a block.
            kind => {
                let is_block = !matches!(kind, NodeKind::Unknown(_));
                if is_block && !out.is_empty() {
                    out.push(Inline::Break);
                }
                if node.has_content() {
                    for child in node.content() {
                        self.inline(child, base, level.deeper(), out);
                    }
                } else if let Some(text) = node.text().or_else(|| node.attr_str("text")) {
                    out.extend(text_items(text, base));
                } else if let NodeKind::Unknown(name) = kind {
                    let label = if name.is_empty() { "unknown" } else { name };
                    out.push(atom(
                        format!("[{}]", sanitize_line(label)),
                        TextStyle { dim: true, ..base },
                    ));
                } else if let Some(url) = card_url(node) {
                    out.push(text_item(url, TextStyle { link: true, ..base }));
                }
                if is_block {
                    out.push(Inline::Break);
                }
            }
        }
    }
}

#[derive(Debug)]
enum CellContent<'a> {
    Node(Node<'a>),
    /// The row number column.
    Label(String),
}

#[derive(Debug)]
struct Cell<'a> {
    content: CellContent<'a>,
    span: usize,
    header: bool,
}

impl Cell<'_> {
    /// True when the cell is only wrapped text (a label, or paragraphs), whose lines
    /// depend on the width only through greedy wrapping: then lines laid out at a wider
    /// width that all fit a narrower one are exactly what the narrower width gives
    /// (every word that fitted still fits, every break still breaks).
    fn wraps_alike(&self) -> bool {
        match &self.content {
            CellContent::Label(_) => true,
            CellContent::Node(node) => node
                .content()
                .all(|c| matches!(c.kind(), NodeKind::Paragraph)),
        }
    }
}

/// Narrows the widest columns one column at a time until the total fits `avail`.
/// Columns first shrink only down to their `floors` (longest word, so text wraps at
/// spaces); if that is not enough, down to 1.
fn shrink_to_fit(col_w: &mut [usize], floors: &[usize], avail: usize) {
    let mut total: usize = col_w.iter().sum();
    for pass_floor in [Some(floors), None] {
        while total > avail {
            let floor = |i: usize| {
                pass_floor
                    .and_then(|f| f.get(i))
                    .copied()
                    .unwrap_or(1)
                    .max(1)
            };
            let widest = (0..col_w.len())
                .filter(|&i| col_w[i] > floor(i))
                .max_by_key(|&i| (col_w[i], std::cmp::Reverse(i)));
            let Some(i) = widest else {
                break;
            };
            col_w[i] -= 1;
            total -= 1;
        }
    }
}

/// Renders `body` at the width left after `prefix`, then prefixes its first line with
/// `prefix` and the rest with blanks of the same width (or repeats bars such as `│ `).
/// When there is no room for the prefix, content is rendered without it rather than
/// squeezed into nothing. `narrow_pane` says the whole render is narrow.
fn with_prefix(
    narrow_pane: bool,
    width: usize,
    prefix: &str,
    style: TextStyle,
    body: impl FnOnce(usize) -> Vec<RichLine>,
) -> Vec<RichLine> {
    let prefix_w = prefix.width();
    let inner = width.saturating_sub(prefix_w);
    // In a normal pane, stop indenting once content would get narrower than
    // MIN_CONTENT_WIDTH (deep nesting); a pane that narrow to begin with still indents.
    let fits = width > prefix_w && (inner >= MIN_CONTENT_WIDTH || narrow_pane);
    if !fits {
        return body(width);
    }
    let lines = body(inner);
    // Bars repeat on every line; markers (bullets, numbers, checkboxes) only on the first.
    let repeats = prefix.trim().chars().all(|c| matches!(c, '│' | '┃'));
    let blank = " ".repeat(prefix_w);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, mut line)| {
            let p = if i == 0 || repeats { prefix } else { &blank };
            if line.spans.is_empty() {
                // No trailing spaces on otherwise-empty lines.
                line.push(p.trim_end(), style);
            } else if !p.is_empty() {
                // In place: nested blocks are prefixed once per level, and rebuilding
                // every line at every level would copy deep content many times.
                line.spans.insert(0, RichSpan::new(p, style));
            }
            line
        })
        .collect()
}

fn overlay(lines: &mut [RichLine], f: impl Fn(&mut TextStyle)) {
    for line in lines {
        for span in &mut line.spans {
            f(&mut span.style);
        }
    }
}

fn dim() -> TextStyle {
    TextStyle {
        dim: true,
        ..TextStyle::default()
    }
}

fn link_style() -> TextStyle {
    TextStyle {
        link: true,
        ..TextStyle::default()
    }
}

/// Text that may wrap at its spaces; `\n` becomes a break. Sanitised.
fn text_items(text: &str, style: TextStyle) -> Vec<Inline<'_>> {
    let mut out = Vec::new();
    push_text_items(&mut out, text, style);
    out
}

/// [`text_items`], appended to `out`.
fn push_text_items<'a>(out: &mut Vec<Inline<'a>>, text: &'a str, style: TextStyle) {
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Inline::Break);
        }
        let clean = sanitize_line(part);
        if !clean.is_empty() {
            out.push(Inline::Text {
                text: clean,
                style,
                atomic: false,
            });
        }
    }
}

/// `text` sanitised, without copying it when it is already clean.
fn sanitized_owned(text: String) -> Cow<'static, str> {
    match sanitize_line(&text) {
        Cow::Borrowed(_) => Cow::Owned(text),
        Cow::Owned(clean) => Cow::Owned(clean),
    }
}

fn text_item(text: String, style: TextStyle) -> Inline<'static> {
    Inline::Text {
        text: sanitized_owned(text),
        style,
        atomic: false,
    }
}

/// A unit that does not break at its spaces (`@Ana Silva`, `[ IN PROGRESS ]`).
fn atom(text: String, style: TextStyle) -> Inline<'static> {
    Inline::Text {
        text: sanitized_owned(text),
        style,
        atomic: true,
    }
}

fn apply_marks(base: TextStyle, node: Node<'_>) -> TextStyle {
    let mut style = base;
    for (mark, attrs) in node.marks() {
        let attr = |name: &str| attrs.and_then(|a| a.get(name)).and_then(Value::as_str);
        match mark {
            "strong" => style.bold = true,
            "em" => style.italic = true,
            "code" => style.code = true,
            "strike" => style.strike = true,
            "underline" => style.underline = true,
            "link" => style.link = true,
            "subsup" => match attr("type") {
                Some("sub") => style.sub = true,
                _ => style.sup = true,
            },
            "textColor" => style.fg = attr("color").and_then(Rgb::parse_hex).or(style.fg),
            "backgroundColor" => style.bg = attr("color").and_then(Rgb::parse_hex).or(style.bg),
            // Layout and annotation marks (alignment, indentation, breakout,
            // annotation, ...) do not change how text looks in a terminal.
            _ => {}
        }
    }
    style
}

fn as_u64_lenient(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The text of a code block's children (text nodes; anything else by its plain text).
fn code_text(node: Node<'_>) -> String {
    let mut text = String::new();
    for child in node.content() {
        match child.text() {
            Some(t) => text.push_str(t),
            None => text.push_str(&node_plain_text(child)),
        }
    }
    text
}

fn mention_text(node: Node<'_>, ctx: &RenderContext) -> String {
    if let Some(text) = node.attr_str("text") {
        return if text.starts_with('@') {
            text.to_string()
        } else {
            format!("@{text}")
        };
    }
    node.attr_str("id")
        .and_then(|id| ctx.user_names.get(id))
        .filter(|n| !n.is_empty())
        .map(|n| format!("@{n}"))
        .unwrap_or_else(|| "@unknown".to_string())
}

fn emoji_text(node: Node<'_>) -> String {
    node.attr_str("text")
        .or_else(|| node.attr_str("shortName"))
        .unwrap_or("[emoji]")
        .to_string()
}

fn status_text(node: Node<'_>) -> String {
    let text = node.attr_str("text").unwrap_or("status").to_uppercase();
    format!("[ {} ]", text.trim())
}

/// `attrs.timestamp` is epoch milliseconds (a string per the schema; numbers accepted).
fn date_text(node: Node<'_>) -> String {
    let raw = node.attr("timestamp");
    let millis = raw.and_then(|v| match v {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    });
    match millis.and_then(chrono::DateTime::from_timestamp_millis) {
        Some(dt) => dt.format("%Y-%m-%d").to_string(),
        None => match raw {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(v @ Value::Number(_)) => v.to_string(),
            _ => "[date]".to_string(),
        },
    }
}

fn card_url(node: Node<'_>) -> Option<String> {
    if let Some(url) = node.attr_str("url") {
        return Some(url.to_string());
    }
    let data = node.attr("data")?;
    ["url", "name"]
        .iter()
        .find_map(|k| data.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn media_label(node: Node<'_>, ctx: &RenderContext) -> String {
    let name = node
        .attr_str("alt")
        .map(str::to_string)
        .or_else(|| {
            node.attr_str("id")
                .and_then(|id| ctx.media_names.get(id))
                .filter(|n| !n.is_empty())
                .cloned()
        })
        .or_else(|| node.attr_str("url").map(str::to_string));
    match name {
        Some(name) => format!("[📎 {name}]"),
        None => "[media]".to_string(),
    }
}

/// What an inline node contributes to plain text.
fn inline_atom_text(node: Node<'_>, ctx: &RenderContext) -> Option<String> {
    Some(match node.kind() {
        NodeKind::Mention => mention_text(node, ctx),
        NodeKind::Emoji => emoji_text(node),
        NodeKind::Status => node.attr_str("text").unwrap_or("").to_string(),
        NodeKind::Date => date_text(node),
        NodeKind::InlineCard => card_url(node)?,
        NodeKind::Placeholder => node.attr_str("text")?.to_string(),
        NodeKind::MediaInline => media_label(node, ctx),
        NodeKind::InlineExtension => node.attr_str("text")?.to_string(),
        _ => return None,
    })
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Splits one line of code into rows of at most `width` columns.
fn hard_wrap(line: &str, style: TextStyle, width: usize) -> Vec<RichLine> {
    let mut out = Vec::new();
    let mut cur = RichLine::default();
    let mut cur_w = 0;
    let mut buf = String::new();
    for c in line.chars() {
        let (stand_in, w) = fit_char(c, width);
        if cur_w + w > width {
            cur.push(&buf, style);
            out.push(std::mem::take(&mut cur));
            buf.clear();
            cur_w = 0;
        }
        match stand_in {
            Some(s) => buf.push_str(s),
            None => buf.push(c),
        }
        cur_w += w;
    }
    cur.push(&buf, style);
    if cur.spans.is_empty() {
        // A blank line of code is content: keep it distinguishable from layout gaps.
        cur.spans.push(RichSpan::new("", style));
    }
    out.push(cur);
    out
}

/// A character's width, or a narrow stand-in when it is wider than a whole line.
fn fit_char(c: char, width: usize) -> (Option<&'static str>, usize) {
    let w = char_width(c);
    if w > width {
        (Some(TOO_WIDE_GLYPH), TOO_WIDE_GLYPH.width())
    } else {
        (None, w)
    }
}

/// Display width of `s`; printable ASCII (almost all text) is one column a byte, which
/// skips the per-character table lookups.
fn str_width(s: &str) -> usize {
    if is_printable_ascii(s) {
        s.len()
    } else {
        s.width()
    }
}

/// What a piece of inline text is to the wrapper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Word,
    Space,
}

/// Greedy word wrap by display width. Words longer than a line are split by
/// characters; spaces at a wrap point are dropped; no line exceeds `width`.
///
/// Text is cut into words and runs of spaces as it streams past; a word continues
/// across style changes (`**bold**text` is one word). The word being collected lives in
/// buffers reused for the whole call, so wrapping allocates only the lines it returns.
fn wrap(items: &[Inline<'_>], width: usize) -> Vec<RichLine> {
    if width == 0 {
        return Vec::new();
    }
    let mut w = Wrapper {
        width,
        lines: Vec::new(),
        cur: RichLine::default(),
        cur_w: 0,
        pending: Vec::new(),
        pending_w: 0,
        wrapped_start: false,
        any: false,
        token: None,
        word: Vec::new(),
    };
    for item in items {
        match item {
            Inline::Break => {
                w.flush();
                w.hard_break();
            }
            Inline::Text {
                text,
                style,
                atomic: true,
            } => w.piece(text, *style, PieceKind::Word),
            Inline::Text {
                text,
                style,
                atomic: false,
            } => {
                let text: &str = text;
                let mut start = 0;
                let mut in_space: Option<bool> = None;
                for (i, b) in text.bytes().enumerate() {
                    // A space is one byte and never part of a multi-byte character, so
                    // byte positions are character boundaries here.
                    let is_space = b == b' ';
                    if in_space.is_some_and(|s| s != is_space) {
                        w.piece(&text[start..i], *style, kind_of(!is_space));
                        start = i;
                    }
                    in_space = Some(is_space);
                }
                if let Some(space) = in_space {
                    w.piece(&text[start..], *style, kind_of(space));
                }
            }
        }
    }
    w.flush();
    // A trailing hard break ends the last line without adding an empty one.
    if !w.cur.spans.is_empty() || (w.any && w.lines.is_empty()) {
        w.lines.push(w.cur);
    }
    w.lines
}

fn kind_of(space: bool) -> PieceKind {
    if space {
        PieceKind::Space
    } else {
        PieceKind::Word
    }
}

/// The state of one [`wrap`] call.
struct Wrapper<'t> {
    width: usize,
    lines: Vec<RichLine>,
    cur: RichLine,
    cur_w: usize,
    /// Spaces seen after the last word, placed only if the next word fits.
    pending: Vec<(&'t str, TextStyle)>,
    pending_w: usize,
    /// Leading spaces count at the start of a paragraph or after a hard break, but not
    /// on a line that only exists because the previous one wrapped.
    wrapped_start: bool,
    any: bool,
    /// The kind of token being collected, if any.
    token: Option<PieceKind>,
    /// The word being collected, as slices of the items (no copies).
    word: Vec<(&'t str, TextStyle)>,
}

impl<'t> Wrapper<'t> {
    /// Adds a piece to the token being collected, or ends that token and starts one.
    fn piece(&mut self, s: &'t str, style: TextStyle, kind: PieceKind) {
        if self.token != Some(kind) {
            self.flush();
            self.token = Some(kind);
        }
        match kind {
            // Spaces after a wrap point are dropped. Nothing changes `cur_w` or
            // `wrapped_start` while a token is collected, so deciding per piece is
            // deciding per run. Not merged by style: spaces are one column each, and
            // `RichLine::push` merges same-style runs when they are placed.
            PieceKind::Space => {
                if !(self.cur_w == 0 && self.wrapped_start) {
                    self.pending_w += s.len();
                    self.pending.push((s, style));
                }
            }
            PieceKind::Word => self.word.push((s, style)),
        }
    }

    /// Lays out the token collected so far.
    fn flush(&mut self) {
        if self.token.take() == Some(PieceKind::Word) {
            self.word();
            self.word.clear();
        }
    }

    /// The display width of the word collected: runs of one style measured as one
    /// string (a combining sequence split across text nodes of one style measures as
    /// the joined text does).
    fn word_width(&self) -> usize {
        if self.word.iter().all(|(t, _)| is_printable_ascii(t)) {
            return self.word.iter().map(|(t, _)| t.len()).sum();
        }
        let mut total = 0;
        let mut run = String::new();
        let mut run_style: Option<TextStyle> = None;
        for (text, style) in &self.word {
            if run_style != Some(*style) {
                total += run.width();
                run.clear();
                run_style = Some(*style);
            }
            run.push_str(text);
        }
        total + run.width()
    }

    fn hard_break(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
        self.cur_w = 0;
        self.pending.clear();
        self.pending_w = 0;
        self.wrapped_start = false;
        self.any = true;
    }

    fn word(&mut self) {
        self.any = true;
        let width = self.width;
        let word_w = self.word_width();
        let pieces = &self.word;
        if self.cur_w + self.pending_w + word_w <= width {
            for (text, style) in self.pending.drain(..) {
                self.cur.push(text, style);
            }
            self.cur_w += self.pending_w + word_w;
            self.pending_w = 0;
            for (text, style) in pieces {
                self.cur.push(text, *style);
            }
            return;
        }
        self.pending.clear();
        self.pending_w = 0;
        if self.cur_w > 0 {
            self.lines.push(std::mem::take(&mut self.cur));
            self.cur_w = 0;
            self.wrapped_start = true;
        }
        if word_w <= width {
            for (text, style) in pieces {
                self.cur.push(text, *style);
            }
            self.cur_w = word_w;
            return;
        }
        // Longer than a line: split by characters.
        let mut buf = String::new();
        for (text, style) in pieces {
            buf.clear();
            for c in text.chars() {
                let (stand_in, w) = fit_char(c, width);
                if self.cur_w + w > width {
                    self.cur.push(&buf, *style);
                    buf.clear();
                    self.lines.push(std::mem::take(&mut self.cur));
                    self.cur_w = 0;
                    self.wrapped_start = true;
                }
                match stand_in {
                    Some(s) => buf.push_str(s),
                    None => buf.push(c),
                }
                self.cur_w += w;
            }
            self.cur.push(&buf, *style);
        }
    }
}

/// Cuts a line to `width` columns (safety net only).
fn truncate_line(line: &RichLine, width: usize) -> RichLine {
    let mut out = RichLine::default();
    let mut used = 0;
    for span in &line.spans {
        let mut buf = String::new();
        for c in span.text.chars() {
            // Measured as the text it makes, not char by char: a variation selector
            // turns `*` into a two-column emoji (`*\u{fe0f}`), and the terminal (and
            // ratatui) count the pair, not its parts.
            buf.push(c);
            if used + str_width(&buf) > width {
                buf.pop();
                out.push(&buf, span.style);
                return out;
            }
        }
        used += str_width(&buf);
        out.push(&buf, span.style);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variation_selector_counts_with_its_base_when_a_line_is_cut() {
        // Found by the hardening property test: `*` + VS16 is two columns as a string.
        let doc = Adf::from_value(serde_json::json!({
            "type": "doc", "version": 1,
            "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": "*\u{fe0f}0!" }] }]
        }));
        for width in 1..4u16 {
            for line in render(&doc, width, &RenderContext::default()) {
                assert!(
                    line.width() <= usize::from(width),
                    "{:?} at {width}",
                    line.text()
                );
            }
        }
    }

    fn lines_text(lines: &[RichLine]) -> Vec<String> {
        lines.iter().map(RichLine::text).collect()
    }

    fn para(text: &str) -> Vec<Inline<'_>> {
        text_items(text, TextStyle::default())
    }

    #[test]
    fn wrap_breaks_at_words_and_respects_width() {
        let lines = wrap(&para("the quick brown fox jumps over the lazy dog"), 10);
        assert_eq!(
            lines_text(&lines),
            ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
        );
    }

    #[test]
    fn wrap_splits_long_words() {
        let lines = wrap(&para("a https://example.com/very/long/path"), 10);
        assert_eq!(
            lines_text(&lines),
            ["a", "https://ex", "ample.com/", "very/long/", "path"]
        );
    }

    #[test]
    fn wrap_counts_wide_chars() {
        let lines = wrap(&para("日本語のテキスト"), 5);
        for l in &lines {
            assert!(l.width() <= 5, "{:?}", l.text());
        }
        assert_eq!(lines_text(&lines).concat(), "日本語のテキスト");
        // A wide glyph cannot fit a 1-column line; a stand-in keeps the width promise.
        let lines = wrap(&para("日"), 1);
        assert_eq!(lines_text(&lines), [TOO_WIDE_GLYPH]);
    }

    #[test]
    fn hard_breaks_split_lines() {
        let mut items = para("one");
        items.push(Inline::Break);
        items.extend(para("two"));
        assert_eq!(lines_text(&wrap(&items, 20)), ["one", "two"]);
    }

    #[test]
    fn atoms_do_not_break_inside() {
        let mut items = para("ping ");
        items.push(atom("@Ana Silva".into(), TextStyle::default()));
        items.extend(para(", thanks"));
        assert_eq!(
            lines_text(&wrap(&items, 12)),
            ["ping", "@Ana Silva,", "thanks"]
        );
        // Longer than the line: split by characters like any long word.
        let lines = wrap(&[atom("@Ana Silva".into(), TextStyle::default())], 8);
        assert_eq!(lines_text(&lines), ["@Ana Sil", "va"]);
    }

    #[test]
    fn shrink_to_fit_narrows_widest_first() {
        let mut w = vec![30, 5, 10];
        shrink_to_fit(&mut w, &[1, 1, 1], 25);
        assert_eq!(w, [10, 5, 10]);
        let mut w = vec![10, 10];
        shrink_to_fit(&mut w, &[1, 1], 15);
        assert_eq!(w.iter().sum::<usize>(), 15);
        assert!(w.iter().all(|&x| x == 7 || x == 8));
    }

    #[test]
    fn shrink_to_fit_keeps_words_whole_when_it_can() {
        // Column 0 has a long word (floor 9); column 1 gives way first.
        let mut w = vec![12, 12];
        shrink_to_fit(&mut w, &[9, 3], 15);
        assert_eq!(w, [9, 6]);
        // Not enough room even at the floors: both go below them.
        let mut w = vec![12, 12];
        shrink_to_fit(&mut w, &[9, 9], 10);
        assert_eq!(w.iter().sum::<usize>(), 10);
    }

    #[test]
    fn rgb_parsing() {
        assert_eq!(Rgb::parse_hex("#ff5630"), Some(Rgb(255, 86, 48)));
        assert_eq!(Rgb::parse_hex("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse_hex("red"), None);
        assert_eq!(Rgb::parse_hex("#ggg"), None);
    }
}
