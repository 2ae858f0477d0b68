//! Block syntax: editor text into the editor's tree, line by line, containers first.
//!
//! A container (quote, list item, panel) strips its prefix from its lines and parses them
//! again, one level deeper; below [`super::STRUCTURE_DEPTH`] only paragraphs are read, so no
//! input can nest without bound. Constructs a container may not hold in ADF are read as
//! text there.

use super::ConvertError;
use super::ast::{Block, Inline, Task};
use super::emoji::EmojiSet;
use super::inline::{self, InlineCtx};
use super::read::Stored;
use super::syntax::{
    BlockKind, Container, Directory, Fence, allowed, ends_with_backslash, fence_open, heading,
    indent_cols, is_blank, is_delimiter_row, is_fence_close, is_panel_close, is_row, is_rule,
    list_marker, panel_open, quote_strip, schema_allows, split_row, strip_cols, task_box, token,
    trim_ws_start,
};

pub(super) fn parse(
    text: &str,
    registry: &[Stored<'_>],
    directory: &Directory,
    emoji: &EmojiSet,
) -> Result<Vec<Block>, ConvertError> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let parser = Parser {
        text,
        line_starts,
        registry,
        directory,
        emoji,
    };
    let lines: Vec<&str> = text.lines().collect();
    parser.blocks(&lines, Container::Doc, 1)
}

struct Parser<'t, 'c, 'a> {
    text: &'t str,
    line_starts: Vec<usize>,
    registry: &'c [Stored<'a>],
    directory: &'c Directory,
    emoji: &'c EmojiSet,
}

/// How a line list item starts, to tell whether the next item continues its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ItemKind {
    ch: char,
    ordered: bool,
    task: bool,
}

impl Parser<'_, '_, '_> {
    /// The 1-based line number of a line (a slice of the text).
    fn line_no(&self, line: &str) -> usize {
        let offset = (line.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.line_starts.partition_point(|s| *s <= offset).max(1)
    }

    fn inline(&self, src: &str, first_line: &str) -> Result<Vec<Inline>, ConvertError> {
        let ctx = InlineCtx {
            registry: self.registry,
            directory: self.directory,
            emoji: self.emoji,
            line: self.line_no(first_line),
        };
        inline::parse(src, &ctx)
    }

    fn blocks(
        &self,
        lines: &[&str],
        container: Container,
        depth: usize,
    ) -> Result<Vec<Block>, ConvertError> {
        Ok(self.blocks_until(lines, container, depth)?.0)
    }

    /// The blocks of `lines`, and how many lines they took: a panel's content ends at a
    /// `:::` line where a block could start (one inside code or a list item is theirs).
    fn blocks_until(
        &self,
        lines: &[&str],
        container: Container,
        depth: usize,
    ) -> Result<(Vec<Block>, usize), ConvertError> {
        let mut out = Vec::new();
        let mut i = 0;
        let can = |kind| allowed(container, kind, depth);
        while i < lines.len() {
            let line = lines[i];
            if container == Container::Panel && is_panel_close(line) {
                return Ok((out, i));
            }
            if is_blank(line) {
                i += 1;
                continue;
            }
            if trim_ws_start(line) == "\\" {
                out.push(Block::Paragraph(Vec::new()));
                i += 1;
                continue;
            }
            if can(BlockKind::Code)
                && let Some(fence) = fence_open(line)
            {
                let (block, next) = code(lines, i, &fence);
                out.push(block);
                i = next;
                continue;
            }
            if can(BlockKind::Heading)
                && let Some((level, text)) = heading(line)
            {
                let mut parts = vec![text];
                let mut j = i + 1;
                // A trailing backslash continues the heading on the next line.
                while parts.last().is_some_and(|p| ends_with_backslash(p))
                    && j < lines.len()
                    && !is_blank(lines[j])
                {
                    parts.push(trim_ws_start(lines[j]));
                    j += 1;
                }
                let content = self.inline(&parts.join("\n"), line)?;
                out.push(Block::Heading { level, content });
                i = j;
                continue;
            }
            if can(BlockKind::Rule) && is_rule(line) {
                out.push(Block::Rule);
                i += 1;
                continue;
            }
            if can(BlockKind::Quote) && quote_strip(line).is_some() {
                let mut inner = Vec::new();
                while let Some(rest) = lines.get(i).and_then(|l| quote_strip(l)) {
                    inner.push(rest);
                    i += 1;
                }
                let content = self.blocks(&inner, Container::Quote, depth + 1)?;
                out.push(Block::Quote(non_empty(content)));
                continue;
            }
            if can(BlockKind::Panel)
                && let Some(kind) = panel_open(line)
            {
                let (content, used) =
                    self.blocks_until(&lines[i + 1..], Container::Panel, depth + 1)?;
                out.push(Block::Panel {
                    kind,
                    content: non_empty(content),
                });
                // Past the closing `:::`, if there is one.
                i = (i + 1 + used + 1).min(lines.len());
                continue;
            }
            if can(BlockKind::Table) && table_start(lines, i) {
                let (block, next) = self.table(lines, i)?;
                out.push(block);
                i = next;
                continue;
            }
            if let Some(kind) = self.item_kind(line, container, depth) {
                let (block, next) = self.list(lines, i, kind, container, depth)?;
                out.push(block);
                i = next;
                continue;
            }
            if let Some(index) = self.block_token(line, container)? {
                out.push(Block::Placeholder(index));
                i += 1;
                continue;
            }
            let (block, next) = self.paragraph(lines, i, container, depth)?;
            out.push(block);
            i = next;
        }
        Ok((out, i))
    }

    fn paragraph(
        &self,
        lines: &[&str],
        start: usize,
        container: Container,
        depth: usize,
    ) -> Result<(Block, usize), ConvertError> {
        let mut parts = vec![trim_ws_start(lines[start])];
        let mut forced = ends_with_backslash(lines[start]);
        let mut i = start + 1;
        while i < lines.len() {
            let line = lines[i];
            if is_blank(line) || (!forced && self.interrupts(lines, i, container, depth)) {
                break;
            }
            parts.push(trim_ws_start(line));
            forced = ends_with_backslash(line);
            i += 1;
        }
        let content = self.inline(&parts.join("\n"), lines[start])?;
        Ok((Block::Paragraph(content), i))
    }

    /// Whether line `i` starts a block, ending the paragraph above it.
    fn interrupts(&self, lines: &[&str], i: usize, container: Container, depth: usize) -> bool {
        let line = lines[i];
        let can = |kind| allowed(container, kind, depth);
        trim_ws_start(line) == "\\"
            || (container == Container::Panel && is_panel_close(line))
            || (can(BlockKind::Code) && fence_open(line).is_some())
            || (can(BlockKind::Heading) && heading(line).is_some())
            || (can(BlockKind::Rule) && is_rule(line))
            || (can(BlockKind::Quote) && quote_strip(line).is_some())
            || (can(BlockKind::Panel) && panel_open(line).is_some())
            || (can(BlockKind::Table) && table_start(lines, i))
            || self.item_kind(line, container, depth).is_some()
            || self.is_block_token(line)
    }

    /// A line holding only the token of a block placeholder.
    fn is_block_token(&self, line: &str) -> bool {
        let line = line.trim_matches(super::syntax::is_ws);
        token(line).is_some_and(|(kind, number, len)| {
            len == line.len()
                && number
                    .checked_sub(1)
                    .and_then(|i| self.registry.get(i))
                    .is_some_and(|s| !s.inline && s.kind == kind)
        })
    }

    /// The placeholder a line stands for, when it is a block's token alone; an error when
    /// the block may not stand here.
    fn block_token(&self, line: &str, container: Container) -> Result<Option<usize>, ConvertError> {
        if !self.is_block_token(line) {
            return Ok(None);
        }
        let written = line.trim_matches(super::syntax::is_ws);
        let Some((_, number, _)) = token(written) else {
            return Ok(None);
        };
        let index = number - 1;
        let Some(stored) = self.registry.get(index) else {
            return Ok(None);
        };
        let node_type = stored
            .node
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("");
        let has_marks = stored
            .node
            .get("marks")
            .and_then(|m| m.as_array())
            .is_some_and(|m| !m.is_empty());
        if stored.container == container || (!has_marks && schema_allows(container, node_type)) {
            return Ok(Some(index));
        }
        Err(ConvertError::MisplacedPlaceholder {
            token: written.to_string(),
            line: self.line_no(line),
            reason: match container {
                Container::TaskItem => "cannot stand inside a task; move it out of the task list",
                _ => "cannot stand here in Jira's format; move it back where it was",
            },
        })
    }

    /// The kind of list item `line` starts, if lists may stand here.
    fn item_kind(&self, line: &str, container: Container, depth: usize) -> Option<ItemKind> {
        let marker = list_marker(line)?;
        let content = line.get(marker.content..).unwrap_or("");
        let ordered = marker.number.is_some();
        let task =
            !ordered && task_box(content).is_some() && allowed(container, BlockKind::Tasks, depth);
        if !task && !allowed(container, BlockKind::List, depth) {
            return None;
        }
        // Rules look like bullets (`- - -`, `***`) and win where they may stand.
        if allowed(container, BlockKind::Rule, depth) && is_rule(line) {
            return None;
        }
        Some(ItemKind {
            ch: marker.ch,
            ordered,
            task,
        })
    }

    fn list(
        &self,
        lines: &[&str],
        start: usize,
        kind: ItemKind,
        container: Container,
        depth: usize,
    ) -> Result<(Block, usize), ConvertError> {
        let mut items: Vec<Vec<&str>> = Vec::new();
        let mut first_number = None;
        let mut i = start;
        while let Some(marker) = list_marker(lines[i]) {
            if first_number.is_none() {
                first_number = Some(marker.number);
            }
            let mut item = vec![lines[i].get(marker.content..).unwrap_or("")];
            let mut blanks = Vec::new();
            let mut j = i + 1;
            while j < lines.len() {
                let line = lines[j];
                if is_blank(line) {
                    blanks.push(strip_cols(line, marker.width));
                } else if indent_cols(line) >= marker.width {
                    item.append(&mut blanks);
                    item.push(strip_cols(line, marker.width));
                } else {
                    break;
                }
                j += 1;
            }
            items.push(item);
            i = j;
            let continues = lines
                .get(i)
                .and_then(|l| self.item_kind(l, container, depth))
                == Some(kind);
            if !continues {
                break;
            }
        }
        if kind.task {
            let mut entries = Vec::new();
            for item in &items {
                self.task_item(item, depth, &mut entries)?;
            }
            return Ok((Block::Tasks(entries), i));
        }
        let mut parsed = Vec::with_capacity(items.len());
        for item in &items {
            parsed.push(non_empty(self.blocks(
                item,
                Container::ListItem,
                depth + 2,
            )?));
        }
        let start = if kind.ordered {
            Some(first_number.flatten().unwrap_or(1))
        } else {
            None
        };
        Ok((
            Block::List {
                start,
                items: parsed,
            },
            i,
        ))
    }

    /// One task item: its text, then nested task lists (siblings in ADF). Other lines under
    /// it join its text, since a task holds only inline content.
    fn task_item(
        &self,
        lines: &[&str],
        depth: usize,
        out: &mut Vec<Task>,
    ) -> Result<(), ConvertError> {
        let Some((done, first)) = task_box(lines[0]) else {
            return Ok(());
        };
        let mut parts = vec![first];
        let mut forced = ends_with_backslash(first);
        let mut k = 1;
        while k < lines.len() {
            let line = lines[k];
            if is_blank(line)
                || (!forced
                    && self
                        .item_kind(line, Container::TaskItem, depth + 1)
                        .is_some())
            {
                break;
            }
            parts.push(trim_ws_start(line));
            forced = ends_with_backslash(line);
            k += 1;
        }
        let mut content = self.inline(&parts.join("\n"), lines[0])?;
        let mut nested = Vec::new();
        for block in self.blocks(&lines[k..], Container::TaskItem, depth + 1)? {
            match block {
                Block::Tasks(entries) => nested.push(Task::List(entries)),
                Block::Paragraph(more) => {
                    if !content.is_empty() {
                        content.push(Inline::Break);
                    }
                    content.extend(more);
                }
                // Nothing else is read in a task; placeholders there are errors.
                _ => {}
            }
        }
        out.push(Task::Item { done, content });
        out.extend(nested);
        Ok(())
    }

    fn table(&self, lines: &[&str], start: usize) -> Result<(Block, usize), ConvertError> {
        let header = !is_delimiter_row(lines[start]);
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut i = start;
        while i < lines.len() && is_row(lines[i]) {
            // The delimiter row under the header (or opening a headerless table).
            if (header && i == start + 1) || (!header && i == start) {
                i += 1;
                continue;
            }
            let line = lines[i];
            let mut row = Vec::new();
            for cell in split_row(line) {
                row.push(self.inline(&cell, line)?);
            }
            rows.push(row);
            i += 1;
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for row in &mut rows {
            row.resize_with(width, Vec::new);
        }
        if rows.is_empty() {
            rows.push(vec![Vec::new(); width]);
        }
        Ok((Block::Table { header, rows }, i))
    }
}

/// A container's blocks, or an empty paragraph: ADF containers are never empty.
fn non_empty(blocks: Vec<Block>) -> Vec<Block> {
    if blocks.is_empty() {
        vec![Block::Paragraph(Vec::new())]
    } else {
        blocks
    }
}

fn code(lines: &[&str], start: usize, fence: &Fence<'_>) -> (Block, usize) {
    let mut body = Vec::new();
    let mut i = start + 1;
    let mut closed = false;
    while i < lines.len() {
        if is_fence_close(lines[i], fence) {
            closed = true;
            break;
        }
        body.push(strip_spaces(lines[i], fence.indent));
        i += 1;
    }
    let language = (!fence.info.is_empty()).then(|| fence.info.to_string());
    let text = body.join("\n");
    let next = if closed { i + 1 } else { i };
    (Block::Code { language, text }, next)
}

/// Up to `n` leading spaces removed (a fence's indentation, from its content).
fn strip_spaces(line: &str, n: usize) -> &str {
    let spaces = line.bytes().take(n).take_while(|b| *b == b' ').count();
    &line[spaces..]
}

fn table_start(lines: &[&str], i: usize) -> bool {
    is_row(lines[i])
        && (is_delimiter_row(lines[i]) || lines.get(i + 1).is_some_and(|l| is_delimiter_row(l)))
}
