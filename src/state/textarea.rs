//! A multi-line text editor's state for descriptions and comments: lines, a cursor, soft
//! wrapping by display width, and undo. Plain data: keys in, text and outcomes out.
//!
//! Lines are soft-wrapped at word boundaries to the width they were last drawn at, so
//! a paragraph written as one long line (which is how the markdown converter writes
//! them) reads as a paragraph and Up/Down move through it row by row. The cursor column
//! is counted in chars, but moves and deletes step over whole grapheme clusters, so it
//! never stops inside an emoji or between a letter and its accent. Widths are measured
//! per grapheme exactly as ratatui's buffer measures them, so the cursor lands on the
//! cell that was drawn.
//!
//! Nothing unsafe for a terminal ever enters the text: typed control characters are
//! ignored and pasted text goes through [`crate::sanitize`] (escape sequences dropped
//! whole). Tabs become spaces; the only control character kept is `'\n'`.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

use crate::config::keymap::KeyBinding;
use crate::sanitize::{is_unsafe_char, sanitize};

/// Columns between soft tab stops. Four also nests markdown lists under both `- ` and
/// `1. ` items.
pub const TAB_WIDTH: usize = 4;
/// Rows PageUp/PageDown move before the area has been drawn once.
const DEFAULT_PAGE_ROWS: usize = 10;
/// Undo steps kept.
const UNDO_DEPTH: usize = 200;
/// Bytes of text all undo steps may hold together (each step is a whole copy); the
/// oldest steps go first, but the newest is always kept.
const UNDO_BUDGET_BYTES: usize = 16 << 20;

/// What [`TextArea::apply`] did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextAreaOutcome {
    /// The text changed (the owner may save a draft).
    Edited,
    /// The key was used but the text is unchanged: the cursor moved, or there was
    /// nothing to delete or undo.
    Moved,
    /// Not a key the text area uses; the owner may give it another meaning.
    Ignored,
}

/// The keys [`TextArea::apply`] understands, as (keys, what they do), for help screens.
pub const KEYS: &[(&str, &str)] = &[
    ("Enter", "new line"),
    ("Tab / Shift-Tab", "indent / outdent the line"),
    ("← → ↑ ↓", "move (by screen rows in wrapped lines)"),
    ("Ctrl-← Ctrl-→ / Alt-b Alt-f", "word left / right"),
    ("Home End", "line start / end"),
    ("Ctrl-Home Ctrl-End", "start / end of the text"),
    ("PgUp PgDn", "page up / down"),
    ("Backspace Del", "delete a character (joining lines)"),
    (
        "Ctrl-W / Alt-Backspace",
        "delete the word before the cursor",
    ),
    ("Alt-d / Ctrl-Del", "delete the word after the cursor"),
    ("Ctrl-U / Ctrl-K", "delete to line start / end"),
    ("Ctrl-_ / Alt-u", "undo"),
    ("Ctrl-Y / Alt-U", "redo"),
];

/// What drawing remembers between frames: where the view starts and how big it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct View {
    /// First visible line, and the wrapped row of it shown first.
    top_line: usize,
    top_row: usize,
    /// Size at the last layout; 0 before the first (then lines are not wrapped).
    width: usize,
    height: usize,
}

/// One screen row of a soft-wrapped line: char and byte ranges into the line, and its
/// width in columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrapRow {
    pub start_char: usize,
    pub end_char: usize,
    pub start_byte: usize,
    pub end_byte: usize,
    pub width: usize,
}

/// A row to draw: the line it belongs to and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisibleRow<'a> {
    pub line: usize,
    /// The row's text (already clean: nothing unsafe enters a [`TextArea`]).
    pub text: &'a str,
    /// True for the first row of a line (later rows continue a wrapped line).
    pub starts_line: bool,
}

/// What to draw for one size of area, from [`TextArea::layout`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAreaLayout<'a> {
    /// At most `height` rows, top to bottom.
    pub rows: Vec<VisibleRow<'a>>,
    /// The cursor's cell, relative to the area's top-left corner; always inside the area
    /// when it is at least one cell big.
    pub cursor: (u16, u16),
}

/// A copy of the text and cursor, for undo.
#[derive(Debug, Clone)]
struct Snapshot {
    lines: Vec<String>,
    cursor: (usize, usize),
}

impl Snapshot {
    fn bytes(&self) -> usize {
        self.lines.iter().map(String::len).sum()
    }
}

/// Consecutive edits of one kind undo together (a typed word, a run of Backspace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    Typing,
    Deleting,
    /// Anything else is its own undo step.
    Other,
}

/// A multi-line text editor: see the module docs.
#[derive(Debug, Clone)]
pub struct TextArea {
    /// Never empty; no line contains `'\n'` or anything [`is_unsafe_char`] rejects.
    lines: Vec<String>,
    /// Cursor line, and column in chars within it (at most the line's length).
    line: usize,
    col: usize,
    /// The column Up/Down aim for, kept across short lines.
    goal_x: Option<usize>,
    /// Grows with every change to the text.
    revision: u64,
    /// The text the area was opened with, for [`TextArea::is_modified`].
    baseline: String,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// What the last edit was, so the next one of the same kind joins its undo step.
    last_edit: Option<EditKind>,
    /// Shown dimmed while the text is empty.
    placeholder: String,
    view: Cell<View>,
}

impl Default for TextArea {
    fn default() -> Self {
        Self::new("")
    }
}

impl TextArea {
    /// An editor holding `text` (cleaned as a paste is), cursor at its end.
    pub fn new(text: &str) -> Self {
        let lines = split_clean(text);
        let line = lines.len() - 1;
        let col = lines[line].chars().count();
        let baseline = lines.join("\n");
        Self {
            lines,
            line,
            col,
            goal_x: None,
            revision: 0,
            baseline,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
            placeholder: String::new(),
            view: Cell::new(View::default()),
        }
    }

    /// The same, with a hint shown while the text is empty.
    pub fn with_placeholder(mut self, placeholder: &str) -> Self {
        self.placeholder = crate::sanitize::sanitize_line(placeholder).into_owned();
        self
    }

    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The text, lines joined with `'\n'`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.len() == 1 && self.lines[0].is_empty()
    }

    /// (line, column in chars), both from 0.
    pub fn cursor(&self) -> (usize, usize) {
        (self.line, self.col)
    }

    /// Grows with every change to the text: the owner saves a draft when it differs
    /// from the revision it saved last.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the text differs from what the area was opened with.
    pub fn is_modified(&self) -> bool {
        // Compared line by line, without joining the whole text.
        let mut base = self.baseline.split('\n');
        let same = self.lines.iter().all(|l| base.next() == Some(l.as_str()));
        !(same && base.next().is_none())
    }

    /// Replaces the whole text (after `$EDITOR`, or a draft restored), cleaned as a paste
    /// is, cursor at the end. One undo step; the baseline stays.
    pub fn set_text(&mut self, text: &str) {
        let lines = split_clean(text);
        if lines == self.lines {
            return;
        }
        self.checkpoint(EditKind::Other);
        self.lines = lines;
        self.line = self.lines.len() - 1;
        self.col = self.lines[self.line].chars().count();
        self.edited();
    }

    /// Moves the cursor, clamped to the text and to a grapheme boundary.
    pub fn set_cursor(&mut self, line: usize, col: usize) {
        self.line = line.min(self.lines.len() - 1);
        let text = &self.lines[self.line];
        let col = col.min(text.chars().count());
        // Back to the start of the grapheme the column falls in.
        let byte = byte_at(text, col);
        let mut start = 0;
        for (b, g) in text.grapheme_indices(true) {
            if b + g.len() > byte {
                break;
            }
            start += g.chars().count();
        }
        self.col = start;
        self.goal_x = None;
        self.moved();
    }

    /// Inserts pasted text at the cursor: newlines kept (CR LF and lone CR become LF),
    /// tabs expanded to spaces, escape sequences and other control or invisible
    /// characters dropped. `Ignored` when nothing was left to insert.
    pub fn insert_str(&mut self, pasted: &str) -> TextAreaOutcome {
        let normalised = pasted.replace("\r\n", "\n").replace('\r', "\n");
        let clean = sanitize(&normalised);
        if clean.is_empty() {
            return TextAreaOutcome::Ignored;
        }
        self.checkpoint(EditKind::Other);
        self.insert_clean(&clean);
        self.edited();
        TextAreaOutcome::Edited
    }

    /// Applies one key. Keys with another meaning for the owner (Esc, submit, the
    /// external editor) must be handled before; anything not listed in [`KEYS`] (and
    /// not a printable character) comes back `Ignored`.
    pub fn apply(&mut self, key: KeyBinding) -> TextAreaOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let plain = !ctrl && !alt;
        match key.code {
            KeyCode::Char(c) if plain => self.type_char(c),
            // AltGr arrives as Ctrl+Alt on Windows; letters and digits with both are
            // shortcuts, anything else (`@`, `€`, `{`) is a character typed.
            KeyCode::Char(c) if ctrl && alt && !c.is_alphanumeric() => self.type_char(c),
            KeyCode::Char('w') | KeyCode::Backspace if ctrl => self.delete_word_back(),
            KeyCode::Backspace if alt => self.delete_word_back(),
            KeyCode::Char('h') if ctrl && !alt => self.backspace(),
            KeyCode::Char('u') if ctrl && !alt => self.delete_to_line_start(),
            KeyCode::Char('k') if ctrl && !alt => self.delete_to_line_end(),
            KeyCode::Char('d') if alt && !ctrl => self.delete_word_forward(),
            KeyCode::Delete if ctrl || alt => self.delete_word_forward(),
            KeyCode::Char('b') if alt && !ctrl => self.move_word_left(),
            KeyCode::Char('f') if alt && !ctrl => self.move_word_right(),
            // Ctrl-_ is sent as 0x1f, which crossterm reports as Ctrl-7.
            KeyCode::Char('_' | '7') if ctrl && !alt => self.undo(),
            KeyCode::Char('u') if alt && !ctrl => self.undo(),
            KeyCode::Char('y') if ctrl && !alt => self.redo(),
            KeyCode::Char('U') if alt && !ctrl => self.redo(),
            KeyCode::Enter if plain => self.edit(EditKind::Other, |t| t.insert_clean("\n")),
            KeyCode::Tab if plain => self.indent(),
            KeyCode::BackTab if !ctrl && !alt => self.outdent(),
            KeyCode::Backspace if plain => self.backspace(),
            KeyCode::Delete if plain => self.delete(),
            KeyCode::Left if ctrl || alt => self.move_word_left(),
            KeyCode::Right if ctrl || alt => self.move_word_right(),
            KeyCode::Left if plain => self.move_left(),
            KeyCode::Right if plain => self.move_right(),
            KeyCode::Up if plain => self.move_rows(-1),
            KeyCode::Down if plain => self.move_rows(1),
            KeyCode::PageUp if plain => self.move_rows(-self.page_rows()),
            KeyCode::PageDown if plain => self.move_rows(self.page_rows()),
            KeyCode::Home if ctrl && !alt => self.jump_to(0, 0),
            KeyCode::End if ctrl && !alt => {
                let last = self.lines.len() - 1;
                self.jump_to(last, self.lines[last].chars().count())
            }
            KeyCode::Home if plain => self.jump_to(self.line, 0),
            KeyCode::End if plain => self.jump_to(self.line, self.line_len()),
            _ => TextAreaOutcome::Ignored,
        }
    }

    /// Lays the text out for an area of `width` × `height` cells: scrolls so the cursor
    /// is visible (the scroll position is the only thing this changes), and returns the
    /// rows to draw and the cursor's cell. Up/Down and PageUp/PageDown use this size
    /// from then on.
    pub fn layout(&self, width: u16, height: u16) -> TextAreaLayout<'_> {
        let width = usize::from(width);
        let height = usize::from(height);
        let mut view = self.view.get();
        view.width = width;
        view.height = height;
        if width == 0 || height == 0 {
            self.view.set(view);
            return TextAreaLayout {
                rows: Vec::new(),
                cursor: (0, 0),
            };
        }
        let (cursor_row, cursor_x) = self.cursor_row_x(width);
        let cursor_pos = (self.line, cursor_row);
        let mut top = (view.top_line.min(self.lines.len() - 1), view.top_row);
        top.1 = top.1.min(self.line_rows(top.0, width).len() - 1);
        if cursor_pos < top {
            top = cursor_pos;
        } else if self.rows_between(top, cursor_pos, width, height) >= height {
            top = self.rows_back(cursor_pos, height - 1, width);
        }
        let rows = self.rows_from(top, height, width);
        if rows.len() < height {
            // Text was removed below: pull the view down so no screen is wasted.
            top = self.rows_back(top, height - rows.len(), width);
        }
        view.top_line = top.0;
        view.top_row = top.1;
        self.view.set(view);
        let rows = self.rows_from(top, height, width);
        let cursor_y = rows
            .iter()
            .zip(0..)
            .filter(|(r, _)| r.0 == cursor_pos)
            .map(|(_, y)| y)
            .next()
            .unwrap_or(0);
        let visible = rows
            .into_iter()
            .map(|((line, _), row)| VisibleRow {
                line,
                text: &self.lines[line][row.start_byte..row.end_byte],
                starts_line: row.start_char == 0,
            })
            .collect();
        TextAreaLayout {
            rows: visible,
            cursor: (
                to_u16(cursor_x.min(width - 1)),
                to_u16(cursor_y.min(height - 1)),
            ),
        }
    }

    // ---- editing -------------------------------------------------------------

    fn type_char(&mut self, c: char) -> TextAreaOutcome {
        match c {
            '\t' => self.indent(),
            '\n' | '\r' => self.edit(EditKind::Other, |t| t.insert_clean("\n")),
            c if c.is_control() || is_unsafe_char(c) => TextAreaOutcome::Ignored,
            c => self.edit(EditKind::Typing, |t| {
                let mut buf = [0u8; 4];
                t.insert_clean(c.encode_utf8(&mut buf));
            }),
        }
    }

    /// Soft tab: spaces to the next tab stop.
    fn indent(&mut self) -> TextAreaOutcome {
        let x = display_width(&self.lines[self.line][..self.cursor_byte()]);
        let n = TAB_WIDTH - x % TAB_WIDTH;
        self.edit(EditKind::Other, |t| t.insert_clean(&" ".repeat(n)))
    }

    /// Removes up to one tab stop of leading spaces from the cursor's line.
    fn outdent(&mut self) -> TextAreaOutcome {
        let leading = self.lines[self.line]
            .chars()
            .take(TAB_WIDTH)
            .take_while(|&c| c == ' ')
            .count();
        if leading == 0 {
            return TextAreaOutcome::Moved;
        }
        self.edit(EditKind::Other, |t| {
            t.lines[t.line].replace_range(..leading, "");
            t.col = t.col.saturating_sub(leading);
        })
    }

    fn backspace(&mut self) -> TextAreaOutcome {
        if self.col == 0 && self.line == 0 {
            return self.moved();
        }
        self.edit(EditKind::Deleting, |t| {
            let from = t.prev_position();
            t.delete_range(from, (t.line, t.col));
        })
    }

    fn delete(&mut self) -> TextAreaOutcome {
        let to = self.next_position();
        if to == (self.line, self.col) {
            return self.moved();
        }
        self.edit(EditKind::Deleting, |t| t.delete_range((t.line, t.col), to))
    }

    fn delete_word_back(&mut self) -> TextAreaOutcome {
        let from = self.word_left_position();
        if from == (self.line, self.col) {
            return self.moved();
        }
        self.edit(EditKind::Other, |t| t.delete_range(from, (t.line, t.col)))
    }

    fn delete_word_forward(&mut self) -> TextAreaOutcome {
        let to = self.word_right_position();
        if to == (self.line, self.col) {
            return self.moved();
        }
        self.edit(EditKind::Other, |t| t.delete_range((t.line, t.col), to))
    }

    fn delete_to_line_start(&mut self) -> TextAreaOutcome {
        if self.col == 0 {
            return self.moved();
        }
        self.edit(EditKind::Other, |t| {
            t.delete_range((t.line, 0), (t.line, t.col))
        })
    }

    fn delete_to_line_end(&mut self) -> TextAreaOutcome {
        let end = self.line_len();
        if self.col == end {
            return self.moved();
        }
        self.edit(EditKind::Other, |t| {
            t.delete_range((t.line, t.col), (t.line, end))
        })
    }

    fn undo(&mut self) -> TextAreaOutcome {
        let Some(snapshot) = self.undo.pop() else {
            return self.moved();
        };
        let current = self.restore(snapshot);
        self.redo.push(current);
        self.last_edit = None;
        self.revision += 1;
        TextAreaOutcome::Edited
    }

    fn redo(&mut self) -> TextAreaOutcome {
        let Some(snapshot) = self.redo.pop() else {
            return self.moved();
        };
        let current = self.restore(snapshot);
        self.undo.push(current);
        self.last_edit = None;
        self.revision += 1;
        TextAreaOutcome::Edited
    }

    /// Puts `snapshot` in place and returns what was there.
    fn restore(&mut self, snapshot: Snapshot) -> Snapshot {
        let current = Snapshot {
            lines: std::mem::replace(&mut self.lines, snapshot.lines),
            cursor: (self.line, self.col),
        };
        self.line = snapshot.cursor.0.min(self.lines.len() - 1);
        self.col = snapshot.cursor.1.min(self.line_len());
        self.goal_x = None;
        current
    }

    /// Runs one edit as an undo step of `kind`.
    fn edit(&mut self, kind: EditKind, change: impl FnOnce(&mut Self)) -> TextAreaOutcome {
        self.checkpoint(kind);
        change(self);
        self.edited();
        TextAreaOutcome::Edited
    }

    /// Saves the text for undo, unless this edit continues the previous one.
    fn checkpoint(&mut self, kind: EditKind) {
        self.redo.clear();
        if kind != EditKind::Other && self.last_edit == Some(kind) {
            return;
        }
        self.last_edit = Some(kind);
        self.undo.push(Snapshot {
            lines: self.lines.clone(),
            cursor: (self.line, self.col),
        });
        let mut total: usize = self.undo.iter().map(Snapshot::bytes).sum();
        while self.undo.len() > 1 && (self.undo.len() > UNDO_DEPTH || total > UNDO_BUDGET_BYTES) {
            total -= self.undo.remove(0).bytes();
        }
    }

    fn edited(&mut self) {
        self.revision += 1;
        self.goal_x = None;
    }

    /// Inserts text already free of everything but `'\n'` and tabs at the cursor, and
    /// moves the cursor after it.
    fn insert_clean(&mut self, text: &str) {
        let at = self.cursor_byte();
        let tail = self.lines[self.line].split_off(at);
        let mut pieces = text.split('\n');
        if let Some(first) = pieces.next() {
            self.push_expanded(first);
        }
        for piece in pieces {
            self.line += 1;
            self.lines.insert(self.line, String::new());
            self.col = 0;
            self.push_expanded(piece);
        }
        self.lines[self.line].push_str(&tail);
    }

    /// Appends `piece` (no newlines) to the cursor's line, which ends at the cursor,
    /// turning tabs into spaces up to the next tab stop.
    fn push_expanded(&mut self, piece: &str) {
        let line = &mut self.lines[self.line];
        if piece.contains('\t') {
            let mut x = display_width(line);
            for g in piece.graphemes(true) {
                if g == "\t" {
                    let n = TAB_WIDTH - x % TAB_WIDTH;
                    line.extend(std::iter::repeat_n(' ', n));
                    x += n;
                } else {
                    // A tab inside a grapheme (after a combining mark) is dropped.
                    line.extend(g.chars().filter(|&c| c != '\t'));
                    x += grapheme_width(g);
                }
            }
        } else {
            line.push_str(piece);
        }
        self.col = line.chars().count();
    }

    /// Removes the text between two positions (`from` before `to`) and leaves the cursor
    /// at `from`.
    fn delete_range(&mut self, from: (usize, usize), to: (usize, usize)) {
        let start = byte_at(&self.lines[from.0], from.1);
        let end = byte_at(&self.lines[to.0], to.1);
        if from.0 == to.0 {
            self.lines[from.0].replace_range(start..end.max(start), "");
        } else {
            let tail = self.lines[to.0][end..].to_owned();
            self.lines.drain(from.0 + 1..=to.0);
            let line = &mut self.lines[from.0];
            line.truncate(start);
            line.push_str(&tail);
        }
        self.line = from.0;
        self.col = from.1;
    }

    // ---- moving --------------------------------------------------------------

    fn moved(&mut self) -> TextAreaOutcome {
        self.last_edit = None;
        TextAreaOutcome::Moved
    }

    fn jump_to(&mut self, line: usize, col: usize) -> TextAreaOutcome {
        self.line = line;
        self.col = col;
        self.goal_x = None;
        self.moved()
    }

    fn move_left(&mut self) -> TextAreaOutcome {
        let (line, col) = self.prev_position();
        self.jump_to(line, col)
    }

    fn move_right(&mut self) -> TextAreaOutcome {
        let (line, col) = self.next_position();
        self.jump_to(line, col)
    }

    fn move_word_left(&mut self) -> TextAreaOutcome {
        let (line, col) = self.word_left_position();
        self.jump_to(line, col)
    }

    fn move_word_right(&mut self) -> TextAreaOutcome {
        let (line, col) = self.word_right_position();
        self.jump_to(line, col)
    }

    fn page_rows(&self) -> isize {
        let height = self.view.get().height;
        let rows = if height == 0 {
            DEFAULT_PAGE_ROWS
        } else {
            // One row of the old page stays in view, for context.
            height.saturating_sub(1).max(1)
        };
        isize::try_from(rows).unwrap_or(isize::MAX)
    }

    /// Moves by `delta` screen rows (wrapped rows count), aiming for the same column.
    fn move_rows(&mut self, delta: isize) -> TextAreaOutcome {
        let width = self.wrap_width();
        let (row, x) = self.cursor_row_x(width);
        let goal = *self.goal_x.get_or_insert(x);
        let (mut line, mut row) = (self.line, row);
        let mut rows = self.line_rows(line, width);
        let mut left = delta.unsigned_abs();
        while left > 0 {
            if delta < 0 {
                if row > 0 {
                    row -= 1;
                } else if line > 0 {
                    line -= 1;
                    rows = self.line_rows(line, width);
                    row = rows.len() - 1;
                } else {
                    // Up on the first row goes to the start, as in most editors.
                    return self.jump_to(0, 0);
                }
            } else if row + 1 < rows.len() {
                row += 1;
            } else if line + 1 < self.lines.len() {
                line += 1;
                rows = self.line_rows(line, width);
                row = 0;
            } else {
                let last = self.lines.len() - 1;
                return self.jump_to(last, self.lines[last].chars().count());
            }
            left -= 1;
        }
        let text = &self.lines[line];
        let target = rows[row];
        let mut col = target.start_char;
        let mut acc = 0;
        for g in text[target.start_byte..target.end_byte].graphemes(true) {
            let w = grapheme_width(g);
            if acc + w > goal {
                break;
            }
            acc += w;
            col += g.chars().count();
        }
        // The end of a row that continues on the next one is drawn on the next one.
        if col == target.end_char && row + 1 < rows.len() {
            col = target.start_char
                + text[target.start_byte..target.end_byte]
                    .graphemes(true)
                    .next_back()
                    .map_or(0, |last| {
                        target.end_char - target.start_char - last.chars().count()
                    });
        }
        self.line = line;
        self.col = col;
        self.moved()
    }

    /// The position one grapheme back, across the line break at a line's start.
    fn prev_position(&self) -> (usize, usize) {
        if self.col == 0 {
            return match self.line {
                0 => (0, 0),
                l => (l - 1, self.lines[l - 1].chars().count()),
            };
        }
        let text = &self.lines[self.line];
        let back = text[..self.cursor_byte()]
            .graphemes(true)
            .next_back()
            .map_or(1, |g| g.chars().count());
        (self.line, self.col - back)
    }

    /// The position one grapheme on, across the line break at a line's end.
    fn next_position(&self) -> (usize, usize) {
        let text = &self.lines[self.line];
        let at = self.cursor_byte();
        if at >= text.len() {
            return if self.line + 1 < self.lines.len() {
                (self.line + 1, 0)
            } else {
                (self.line, self.col)
            };
        }
        let on = text[at..]
            .graphemes(true)
            .next()
            .map_or(1, |g| g.chars().count());
        (self.line, self.col + on)
    }

    /// Start of the word before the cursor (words are split by white space, as in
    /// readline); at a line's start, the end of the line before.
    fn word_left_position(&self) -> (usize, usize) {
        if self.col == 0 {
            return self.prev_position();
        }
        let chars: Vec<char> = self.lines[self.line].chars().collect();
        let mut i = self.col.min(chars.len());
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        (self.line, i)
    }

    /// End of the word after the cursor; at a line's end, the start of the next line.
    fn word_right_position(&self) -> (usize, usize) {
        let chars: Vec<char> = self.lines[self.line].chars().collect();
        if self.col >= chars.len() {
            return self.next_position();
        }
        let mut i = self.col;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        (self.line, i)
    }

    // ---- layout helpers ------------------------------------------------------

    fn line_len(&self) -> usize {
        self.lines[self.line].chars().count()
    }

    fn cursor_byte(&self) -> usize {
        byte_at(&self.lines[self.line], self.col)
    }

    /// The width lines are wrapped at: the last drawn width, or none before the first
    /// draw.
    fn wrap_width(&self) -> usize {
        match self.view.get().width {
            0 => usize::MAX,
            w => w,
        }
    }

    /// The screen rows of `line`. When the cursor sits at the end of a line whose last
    /// row is full, an empty row follows for it: the cursor needs a cell, and the row
    /// exists only while it is there, so no blank line shows anywhere else.
    fn line_rows(&self, line: usize, width: usize) -> Vec<WrapRow> {
        let text = &self.lines[line];
        let mut rows = wrap(text, width);
        let at_end = line == self.line && self.col >= text.chars().count();
        if let (true, Some(&last)) = (at_end, rows.last())
            && last.width >= width.max(1)
            && !text.is_empty()
        {
            rows.push(WrapRow {
                start_char: last.end_char,
                end_char: last.end_char,
                start_byte: text.len(),
                end_byte: text.len(),
                width: 0,
            });
        }
        rows
    }

    /// The cursor's wrapped row within its line and its column on that row.
    fn cursor_row_x(&self, width: usize) -> (usize, usize) {
        let text = &self.lines[self.line];
        let rows = self.line_rows(self.line, width);
        let row = rows
            .iter()
            .position(|r| self.col < r.end_char)
            .unwrap_or(rows.len() - 1);
        let r = rows[row];
        let at = self.cursor_byte().max(r.start_byte);
        (row, display_width(&text[r.start_byte..at]))
    }

    /// How many rows lie from `top` up to `to` (exclusive), counting no further than
    /// `limit`: lines far apart are not wrapped just to be counted.
    fn rows_between(
        &self,
        top: (usize, usize),
        to: (usize, usize),
        width: usize,
        limit: usize,
    ) -> usize {
        if to.0 - top.0 > limit {
            return limit;
        }
        let mut count = 0;
        for line in top.0..to.0 {
            count += self.line_rows(line, width).len();
            if count >= limit + top.1 {
                return limit;
            }
        }
        (count + to.1).saturating_sub(top.1)
    }

    /// The position `n` rows above `from` (or the very top).
    fn rows_back(&self, from: (usize, usize), n: usize, width: usize) -> (usize, usize) {
        let (mut line, mut row) = from;
        let mut left = n;
        while left > 0 {
            if row >= left {
                row -= left;
                left = 0;
            } else if line == 0 {
                row = 0;
                left = 0;
            } else {
                left -= row + 1;
                line -= 1;
                row = self.line_rows(line, width).len() - 1;
            }
        }
        (line, row)
    }

    /// Up to `height` rows starting at `top`, each with its (line, row) position.
    fn rows_from(
        &self,
        top: (usize, usize),
        height: usize,
        width: usize,
    ) -> Vec<((usize, usize), WrapRow)> {
        let mut out = Vec::with_capacity(height);
        let mut line = top.0;
        let mut skip = top.1;
        while out.len() < height && line < self.lines.len() {
            for (i, row) in self
                .line_rows(line, width)
                .into_iter()
                .enumerate()
                .skip(skip)
            {
                if out.len() == height {
                    break;
                }
                out.push(((line, i), row));
            }
            skip = 0;
            line += 1;
        }
        out
    }
}

/// Splits `line` into rows of at most `width` columns, breaking after white space where
/// a row has some (word wrap) and anywhere otherwise. A grapheme wider than `width` gets
/// a row of its own. Never returns an empty list.
pub fn wrap(line: &str, width: usize) -> Vec<WrapRow> {
    let width = width.max(1);
    let mut rows = Vec::new();
    // The row being filled: where it starts, its width, and where it may break.
    let (mut start_char, mut start_byte, mut row_width) = (0, 0, 0);
    let mut brk: Option<(usize, usize, usize)> = None;
    let mut char_idx = 0;
    for (byte, g) in line.grapheme_indices(true) {
        let w = grapheme_width(g);
        while row_width + w > width && byte > start_byte {
            let (end_char, end_byte, end_width) = match brk {
                Some(b) if b.1 > start_byte => b,
                _ => (char_idx, byte, row_width),
            };
            rows.push(WrapRow {
                start_char,
                end_char,
                start_byte,
                end_byte,
                width: end_width,
            });
            row_width -= end_width;
            (start_char, start_byte) = (end_char, end_byte);
            brk = None;
        }
        row_width += w;
        char_idx += g.chars().count();
        if g.starts_with(char::is_whitespace) {
            brk = Some((char_idx, byte + g.len(), row_width));
        }
    }
    rows.push(WrapRow {
        start_char,
        end_char: char_idx,
        start_byte,
        end_byte: line.len(),
        width: row_width,
    });
    rows
}

/// Lines of `text` cleaned as a paste is: CR LF and CR become LF, escape sequences and
/// unsafe characters go, tabs become spaces (to tab stops).
fn split_clean(text: &str) -> Vec<String> {
    let mut area = TextArea {
        lines: vec![String::new()],
        line: 0,
        col: 0,
        goal_x: None,
        revision: 0,
        baseline: String::new(),
        undo: Vec::new(),
        redo: Vec::new(),
        last_edit: None,
        placeholder: String::new(),
        view: Cell::new(View::default()),
    };
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    area.insert_clean(&sanitize(&normalised));
    area.lines
}

/// Byte offset of char `col` in `s` (its length when `col` is past the end).
fn byte_at(s: &str, col: usize) -> usize {
    s.char_indices().nth(col).map_or(s.len(), |(b, _)| b)
}

/// Columns a grapheme takes, measured as ratatui's buffer measures it, so the cursor
/// and the wrapping agree with what is drawn.
fn grapheme_width(g: &str) -> usize {
    usize::from(g.cell_width())
}

fn display_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(text: &str) -> KeyBinding {
        KeyBinding::parse(text).expect("a valid key in the test")
    }

    fn press(area: &mut TextArea, keys: &[&str]) {
        for k in keys {
            area.apply(key(k));
        }
    }

    fn type_text(area: &mut TextArea, text: &str) {
        for c in text.chars() {
            area.apply(KeyBinding {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
            });
        }
    }

    #[test]
    fn typing_enter_and_backspace_edit_lines() {
        let mut area = TextArea::new("");
        assert!(area.is_empty());
        type_text(&mut area, "héllo");
        assert_eq!(area.apply(key("enter")), TextAreaOutcome::Edited);
        type_text(&mut area, "wörld");
        assert_eq!(area.text(), "héllo\nwörld");
        assert_eq!(area.cursor(), (1, 5));
        assert_eq!(area.line_count(), 2);
        press(&mut area, &["home"]);
        assert_eq!(area.apply(key("backspace")), TextAreaOutcome::Edited);
        assert_eq!(area.text(), "héllowörld");
        assert_eq!(area.cursor(), (0, 5));
        assert_eq!(area.apply(key("delete")), TextAreaOutcome::Edited);
        assert_eq!(area.text(), "hélloörld");
        press(&mut area, &["ctrl-home"]);
        assert_eq!(area.apply(key("backspace")), TextAreaOutcome::Moved);
        press(&mut area, &["ctrl-end"]);
        assert_eq!(area.apply(key("delete")), TextAreaOutcome::Moved);
        assert_eq!(area.text(), "hélloörld");
    }

    #[test]
    fn delete_at_line_end_joins_the_next_line() {
        let mut area = TextArea::new("ab\ncd");
        area.set_cursor(0, 2);
        area.apply(key("delete"));
        assert_eq!(area.text(), "abcd");
        assert_eq!(area.cursor(), (0, 2));
    }

    #[test]
    fn keys_the_owner_uses_are_ignored() {
        let mut area = TextArea::new("x");
        for k in [
            "esc",
            "ctrl-s",
            "ctrl-enter",
            "ctrl-e",
            "ctrl-a",
            "f2",
            "alt-enter",
        ] {
            assert_eq!(area.apply(key(k)), TextAreaOutcome::Ignored, "{k}");
        }
        assert_eq!(area.text(), "x");
        assert_eq!(area.revision(), 0);
    }

    #[test]
    fn control_characters_typed_are_ignored() {
        let mut area = TextArea::new("");
        for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}'] {
            let outcome = area.apply(KeyBinding {
                code: KeyCode::Char(c),
                modifiers: KeyModifiers::NONE,
            });
            assert_eq!(outcome, TextAreaOutcome::Ignored);
        }
        assert!(area.is_empty());
    }

    #[test]
    fn tab_inserts_spaces_to_the_next_stop_and_shift_tab_outdents() {
        let mut area = TextArea::new("- a");
        area.set_cursor(0, 0);
        area.apply(key("tab"));
        assert_eq!(area.text(), "    - a");
        area.set_cursor(0, 6);
        area.apply(key("tab"));
        assert_eq!(area.text(), "    - \u{20}\u{20}a");
        area.apply(key("shift-tab"));
        assert_eq!(area.text(), "- \u{20}\u{20}a");
        assert_eq!(area.cursor(), (0, 4));
        area.apply(key("shift-tab"));
        assert_eq!(area.apply(key("shift-tab")), TextAreaOutcome::Moved);
    }

    #[test]
    fn paste_keeps_newlines_and_drops_escapes() {
        let mut area = TextArea::new("[]");
        area.set_cursor(0, 1);
        let outcome =
            area.insert_str("one\r\ntwo\rthree\x1b]52;c;ZXZpbA==\x07\x1b[2J\tfour\u{202e}\u{85}");
        assert_eq!(outcome, TextAreaOutcome::Edited);
        assert_eq!(area.text(), "[one\ntwo\nthree   four]");
        assert_eq!(area.cursor(), (2, 12));
        assert_eq!(area.insert_str("\x1b[31m"), TextAreaOutcome::Ignored);
    }

    #[test]
    fn new_and_set_text_clean_like_a_paste() {
        let area = TextArea::new("a\tb\r\nc\x1b[0m");
        assert_eq!(area.text(), "a   b\nc");
        assert_eq!(area.cursor(), (1, 1));
        assert!(!area.is_modified());
        let mut area = area;
        area.set_text("x\u{7}y");
        assert_eq!(area.text(), "xy");
        assert!(area.is_modified());
        area.apply(key("ctrl-_"));
        assert_eq!(area.text(), "a   b\nc");
        assert!(!area.is_modified());
    }

    #[test]
    fn words_move_and_delete_across_lines() {
        let mut area = TextArea::new("alpha beta\ngamma");
        area.set_cursor(1, 0);
        area.apply(key("ctrl-left"));
        assert_eq!(area.cursor(), (0, 10));
        area.apply(key("alt-b"));
        assert_eq!(area.cursor(), (0, 6));
        area.apply(key("alt-f"));
        assert_eq!(area.cursor(), (0, 10));
        area.apply(key("ctrl-right"));
        assert_eq!(area.cursor(), (1, 0));
        area.apply(key("ctrl-w"));
        assert_eq!(area.text(), "alpha betagamma");
        area.apply(key("ctrl-w"));
        assert_eq!(area.text(), "alpha gamma");
        area.apply(key("alt-d"));
        assert_eq!(area.text(), "alpha ");
        area.apply(key("ctrl-u"));
        assert_eq!(area.text(), "");
    }

    #[test]
    fn kill_to_line_end() {
        let mut area = TextArea::new("keep this|drop this\nnext");
        area.set_cursor(0, 9);
        area.apply(key("ctrl-k"));
        assert_eq!(area.text(), "keep this\nnext");
        assert_eq!(area.apply(key("ctrl-k")), TextAreaOutcome::Moved);
    }

    #[test]
    fn graphemes_move_and_delete_whole() {
        // e + combining acute, a family emoji (ZWJ sequence), a flag.
        let mut area = TextArea::new("e\u{301}👨\u{200d}👩\u{200d}👧🇯🇵");
        // The ZWJ is an invisible character: it is dropped like any other.
        assert_eq!(area.text(), "e\u{301}👨👩👧🇯🇵");
        area.apply(key("backspace"));
        assert_eq!(area.text(), "e\u{301}👨👩👧");
        area.set_cursor(0, 0);
        area.apply(key("right"));
        assert_eq!(area.cursor(), (0, 2));
        area.apply(key("left"));
        area.apply(key("delete"));
        assert_eq!(area.text(), "👨👩👧");
        // A column inside a grapheme snaps back to its start.
        let mut area = TextArea::new("ae\u{301}b");
        area.set_cursor(0, 2);
        assert_eq!(area.cursor(), (0, 1));
    }

    #[test]
    fn wrap_breaks_after_spaces_and_measures_wide_characters() {
        let texts = |line: &str, width| {
            wrap(line, width)
                .iter()
                .map(|r| line[r.start_byte..r.end_byte].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            texts("the quick brown fox", 10),
            ["the quick ", "brown fox"]
        );
        assert_eq!(texts("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(texts("abcd", 4), ["abcd"]);
        assert_eq!(texts("日本語です", 5), ["日本", "語で", "す"]);
        assert_eq!(texts("", 3), [""]);
        // Too wide for the row: alone on one.
        assert_eq!(texts("日本", 1), ["日", "本"]);
        let rows = wrap("日本語", 4);
        assert_eq!(rows[0].width, 4);
        assert_eq!((rows[1].start_char, rows[1].end_char), (2, 3));
    }

    #[test]
    fn up_and_down_follow_wrapped_rows_and_keep_the_column() {
        let mut area = TextArea::new("0123456789abcde\nxy\nlong line here");
        let _ = area.layout(8, 5);
        area.set_cursor(0, 3);
        area.apply(key("down"));
        assert_eq!(area.cursor(), (0, 11), "the second row of the wrapped line");
        area.apply(key("down"));
        assert_eq!(area.cursor(), (1, 2), "clamped to the short line");
        area.apply(key("down"));
        assert_eq!(area.cursor(), (2, 3), "the goal column is kept");
        area.apply(key("up"));
        area.apply(key("up"));
        assert_eq!(area.cursor(), (0, 11));
        area.apply(key("up"));
        area.apply(key("up"));
        assert_eq!(
            area.cursor(),
            (0, 0),
            "up on the first row goes to the start"
        );
        area.apply(key("ctrl-end"));
        area.apply(key("down"));
        assert_eq!(area.cursor(), (2, 14));
    }

    #[test]
    fn down_never_lands_past_the_end_of_a_continued_row() {
        // "日本" is 4 columns of a 5-column row that continues with "語": column 2 is
        // drawn at the start of the next row, so aiming at x = 4 stops before "本".
        let mut area = TextArea::new("abcd\n日本語");
        let _ = area.layout(5, 3);
        area.set_cursor(0, 4);
        area.apply(key("down"));
        assert_eq!(area.cursor(), (1, 1));
        area.apply(key("down"));
        assert_eq!(
            area.cursor(),
            (1, 3),
            "the last row's end is a place of its own"
        );
    }

    #[test]
    fn page_keys_move_by_the_drawn_height() {
        let text: Vec<String> = (0..40).map(|i| format!("line {i}")).collect();
        let mut area = TextArea::new(&text.join("\n"));
        area.set_cursor(0, 0);
        assert_eq!(area.apply(key("pagedown")), TextAreaOutcome::Moved);
        assert_eq!(area.cursor(), (DEFAULT_PAGE_ROWS, 0));
        let _ = area.layout(20, 8);
        area.apply(key("pagedown"));
        assert_eq!(area.cursor(), (DEFAULT_PAGE_ROWS + 7, 0));
        area.apply(key("pageup"));
        area.apply(key("pageup"));
        area.apply(key("pageup"));
        assert_eq!(area.cursor(), (0, 0));
    }

    #[test]
    fn layout_scrolls_to_keep_the_cursor_visible() {
        let text: Vec<String> = (0..30).map(|i| format!("line {i}")).collect();
        let mut area = TextArea::new(&text.join("\n"));
        let layout = area.layout(10, 5);
        assert_eq!(layout.rows.first().map(|r| r.text), Some("line 25"));
        assert_eq!(layout.cursor, (7, 4));
        area.apply(key("ctrl-home"));
        let layout = area.layout(10, 5);
        assert_eq!(layout.rows.first().map(|r| r.text), Some("line 0"));
        assert_eq!(layout.cursor, (0, 0));
        // Moving inside the view does not scroll.
        press(&mut area, &["down", "down", "down"]);
        let layout = area.layout(10, 5);
        assert_eq!(layout.rows.first().map(|r| r.text), Some("line 0"));
        press(&mut area, &["down", "down"]);
        let layout = area.layout(10, 5);
        assert_eq!(layout.rows.first().map(|r| r.text), Some("line 1"));
        assert_eq!(layout.cursor, (0, 4));
    }

    #[test]
    fn layout_fills_the_view_after_text_below_is_removed() {
        let text: Vec<String> = (0..30).map(|i| format!("line {i}")).collect();
        let mut area = TextArea::new(&text.join("\n"));
        let _ = area.layout(10, 5);
        area.set_text("short\ntext");
        let layout = area.layout(10, 5);
        assert_eq!(
            layout.rows.iter().map(|r| r.text).collect::<Vec<_>>(),
            ["short", "text"]
        );
        assert_eq!(layout.cursor, (4, 1));
    }

    #[test]
    fn cursor_at_the_end_of_a_full_row_sits_on_the_next_row() {
        let mut area = TextArea::new("abcd\nef");
        area.set_cursor(0, 4);
        let layout = area.layout(4, 3);
        assert_eq!(layout.cursor, (0, 1));
        assert_eq!(
            layout.rows.iter().map(|r| r.text).collect::<Vec<_>>(),
            ["abcd", "", "ef"]
        );
        assert!(layout.rows[0].starts_line);
        assert!(!layout.rows[1].starts_line);
        // The extra row is there only while the cursor needs it.
        area.apply(key("left"));
        let layout = area.layout(4, 3);
        assert_eq!(layout.cursor, (3, 0));
        assert_eq!(
            layout.rows.iter().map(|r| r.text).collect::<Vec<_>>(),
            ["abcd", "ef"]
        );
        area.apply(key("right"));
        area.apply(key("up"));
        assert_eq!(
            area.cursor(),
            (0, 0),
            "up from the extra row is the full row"
        );
    }

    #[test]
    fn typing_undoes_as_one_step_and_redo_restores() {
        let mut area = TextArea::new("");
        type_text(&mut area, "hello");
        press(&mut area, &["enter"]);
        type_text(&mut area, "world");
        press(&mut area, &["backspace", "backspace"]);
        assert_eq!(area.text(), "hello\nwor");
        area.apply(key("alt-u"));
        assert_eq!(area.text(), "hello\nworld");
        area.apply(key("ctrl-_"));
        assert_eq!(area.text(), "hello\n");
        area.apply(key("ctrl-7"));
        assert_eq!(area.text(), "hello");
        area.apply(key("ctrl-_"));
        assert_eq!(area.text(), "");
        assert_eq!(area.apply(key("ctrl-_")), TextAreaOutcome::Moved);
        area.apply(key("ctrl-y"));
        area.apply(key("alt-U"));
        assert_eq!(area.text(), "hello\n");
        // A new edit drops what could be redone.
        type_text(&mut area, "!");
        assert_eq!(area.apply(key("ctrl-y")), TextAreaOutcome::Moved);
        assert_eq!(area.text(), "hello\n!");
    }

    #[test]
    fn moving_splits_undo_steps() {
        let mut area = TextArea::new("");
        type_text(&mut area, "ab");
        press(&mut area, &["left"]);
        type_text(&mut area, "X");
        assert_eq!(area.text(), "aXb");
        area.apply(key("ctrl-_"));
        assert_eq!(area.text(), "ab");
        assert_eq!(area.cursor(), (0, 1));
    }

    #[test]
    fn revision_counts_changes_only() {
        let mut area = TextArea::new("abc");
        let r0 = area.revision();
        press(&mut area, &["left", "home", "up"]);
        assert_eq!(area.revision(), r0);
        type_text(&mut area, "x");
        assert!(area.revision() > r0);
        assert!(area.is_modified());
        area.apply(key("backspace"));
        assert!(!area.is_modified(), "same text as opened with");
    }

    #[test]
    fn altgr_characters_are_typed_but_ctrl_alt_letters_are_not() {
        let mut area = TextArea::new("");
        area.apply(key("ctrl-alt-@"));
        assert_eq!(area.apply(key("ctrl-alt-q")), TextAreaOutcome::Ignored);
        assert_eq!(area.text(), "@");
    }

    /// Keys a user might press, including ones the area ignores.
    fn any_key() -> impl Strategy<Value = KeyBinding> {
        let named = prop::sample::select(vec![
            "enter",
            "tab",
            "shift-tab",
            "backspace",
            "delete",
            "left",
            "right",
            "up",
            "down",
            "home",
            "end",
            "pageup",
            "pagedown",
            "ctrl-home",
            "ctrl-end",
            "ctrl-left",
            "ctrl-right",
            "alt-b",
            "alt-f",
            "ctrl-w",
            "ctrl-u",
            "ctrl-k",
            "alt-d",
            "ctrl-_",
            "alt-u",
            "ctrl-y",
            "alt-backspace",
            "ctrl-delete",
            "esc",
            "ctrl-h",
        ])
        .prop_map(key);
        let typed = prop_oneof![
            any::<char>(),
            prop::sample::select(vec!['a', ' ', 'é', '日', '🚀', '\u{301}', '\t', '\n']),
        ]
        .prop_map(|c| KeyBinding {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::NONE,
        });
        prop_oneof![3 => named, 2 => typed]
    }

    #[derive(Debug, Clone)]
    enum Op {
        Key(KeyBinding),
        Paste(String),
        Layout(u16, u16),
        SetCursor(usize, usize),
    }

    fn any_op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => any_key().prop_map(Op::Key),
            1 => prop_oneof![
                any::<String>(),
                "[a-z \\n\\r\\t]{0,20}",
                Just("\x1b]52;c;QUJD\x07x\x1b[2J\u{202e}y\r\n".to_owned()),
            ]
            .prop_map(Op::Paste),
            1 => (0u16..12, 0u16..6).prop_map(|(w, h)| Op::Layout(w, h)),
            1 => (0usize..8, 0usize..40).prop_map(|(l, c)| Op::SetCursor(l, c)),
        ]
    }

    fn assert_valid(area: &TextArea) -> Result<(), TestCaseError> {
        let (line, col) = area.cursor();
        prop_assert!(line < area.line_count());
        prop_assert!(col <= area.lines()[line].chars().count());
        let text = area.text();
        prop_assert!(
            !text
                .chars()
                .any(|c| c != '\n' && (c.is_control() || is_unsafe_char(c))),
            "unsafe character in {text:?}"
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_key_sequence_keeps_the_area_valid(
            initial in "[a-z日🚀 \\n\\t\\x1b]{0,30}",
            ops in prop::collection::vec(any_op(), 0..60),
        ) {
            let mut area = TextArea::new(&initial);
            assert_valid(&area)?;
            for op in ops {
                let before = area.text();
                let revision = area.revision();
                let outcome = match op {
                    Op::Key(k) => area.apply(k),
                    Op::Paste(s) => area.insert_str(&s),
                    Op::Layout(w, h) => {
                        let layout = area.layout(w, h);
                        prop_assert!(layout.rows.len() <= usize::from(h));
                        if w > 0 && h > 0 {
                            prop_assert!(layout.cursor.0 < w && layout.cursor.1 < h);
                        }
                        TextAreaOutcome::Moved
                    }
                    Op::SetCursor(l, c) => {
                        area.set_cursor(l, c);
                        TextAreaOutcome::Moved
                    }
                };
                assert_valid(&area)?;
                if outcome != TextAreaOutcome::Edited {
                    prop_assert_eq!(area.text(), before);
                    prop_assert_eq!(area.revision(), revision);
                }
            }
        }

        #[test]
        fn wrapped_rows_cover_the_line_and_fit(
            line in "[a-z 日🚀é\u{301}]{0,40}",
            width in 1usize..12,
        ) {
            let rows = wrap(&line, width);
            let mut expected_start = 0;
            for row in &rows {
                prop_assert_eq!(row.start_byte, expected_start);
                expected_start = row.end_byte;
                let text = &line[row.start_byte..row.end_byte];
                prop_assert_eq!(display_width(text), row.width);
                prop_assert_eq!(text.chars().count(), row.end_char - row.start_char);
                // Only a single grapheme too wide for any row may overflow.
                prop_assert!(row.width <= width || text.graphemes(true).count() == 1);
                // Only an empty line has an empty row.
                prop_assert!(!text.is_empty() || rows.len() == 1);
            }
            prop_assert_eq!(expected_start, line.len());
        }

        #[test]
        fn the_cursor_is_always_drawn_inside(
            text in "[a-z 日🚀\\n]{0,80}",
            width in 1u16..10,
            height in 1u16..6,
            moves in prop::collection::vec(any_key(), 0..20),
        ) {
            let mut area = TextArea::new(&text);
            for k in moves {
                area.apply(k);
                let layout = area.layout(width, height);
                prop_assert!(layout.cursor.0 < width && layout.cursor.1 < height);
                // The cursor's row is one of the drawn ones.
                prop_assert!(usize::from(layout.cursor.1) < layout.rows.len().max(1));
            }
        }
    }
}
