//! A single-line text input with a cursor, readline-style editing and no I/O.

use crate::app::action::InputEdit;

/// Text plus a cursor position in chars (not bytes), so multi-byte input edits safely.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position counted in chars.
    cursor: usize,
}

/// What an edit did to the input, for the owner to react on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputOutcome {
    Edited,
    Moved,
    Submitted,
    Cancelled,
}

/// Text for a single-line input: newlines and tabs become spaces, other control
/// characters are dropped.
fn single_line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl TextInput {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Cursor position in chars.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Byte offset of the cursor in `text()`.
    pub fn cursor_byte(&self) -> usize {
        self.byte_at(self.cursor)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len_chars(&self) -> usize {
        self.text.chars().count()
    }

    pub fn insert_str(&mut self, s: &str) {
        let clean = single_line(s);
        let at = self.cursor_byte();
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Replaces the bytes `range` of the text with `with` (flattened like a paste) and
    /// puts the cursor right after it. Bounds are clamped to the text and to char
    /// boundaries, so any range is safe.
    pub fn replace(&mut self, range: std::ops::Range<usize>, with: &str) {
        let floor = |mut b: usize| {
            b = b.min(self.text.len());
            while !self.text.is_char_boundary(b) {
                b -= 1;
            }
            b
        };
        let (start, end) = (floor(range.start), floor(range.end));
        let end = end.max(start);
        let clean = single_line(with);
        self.text.replace_range(start..end, &clean);
        self.cursor = self.text[..start].chars().count() + clean.chars().count();
    }

    /// Where the word before the cursor starts (readline's backward-word).
    fn word_start_before(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    fn word_end_after(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        i
    }

    pub fn apply(&mut self, edit: InputEdit) -> InputOutcome {
        match edit {
            InputEdit::Insert(c) => {
                let at = self.cursor_byte();
                self.text.insert(at, c);
                self.cursor += 1;
                InputOutcome::Edited
            }
            InputEdit::Backspace => {
                if self.cursor == 0 {
                    return InputOutcome::Moved;
                }
                let start = self.byte_at(self.cursor - 1);
                let end = self.cursor_byte();
                self.text.replace_range(start..end, "");
                self.cursor -= 1;
                InputOutcome::Edited
            }
            InputEdit::Delete => {
                if self.cursor >= self.len_chars() {
                    return InputOutcome::Moved;
                }
                let start = self.cursor_byte();
                let end = self.byte_at(self.cursor + 1);
                self.text.replace_range(start..end, "");
                InputOutcome::Edited
            }
            InputEdit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                InputOutcome::Moved
            }
            InputEdit::Right => {
                self.cursor = (self.cursor + 1).min(self.len_chars());
                InputOutcome::Moved
            }
            InputEdit::Home => {
                self.cursor = 0;
                InputOutcome::Moved
            }
            InputEdit::End => {
                self.cursor = self.len_chars();
                InputOutcome::Moved
            }
            InputEdit::WordLeft => {
                self.cursor = self.word_start_before();
                InputOutcome::Moved
            }
            InputEdit::WordRight => {
                self.cursor = self.word_end_after();
                InputOutcome::Moved
            }
            InputEdit::DeleteWordBack => {
                let from = self.word_start_before();
                let (start, end) = (self.byte_at(from), self.cursor_byte());
                self.text.replace_range(start..end, "");
                self.cursor = from;
                InputOutcome::Edited
            }
            InputEdit::ClearToStart => {
                let end = self.cursor_byte();
                self.text.replace_range(..end, "");
                self.cursor = 0;
                InputOutcome::Edited
            }
            InputEdit::Submit => InputOutcome::Submitted,
            InputEdit::Cancel => InputOutcome::Cancelled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_multibyte_text_by_chars() {
        let mut input = TextInput::new("día 日本");
        input.apply(InputEdit::Backspace);
        assert_eq!(input.text(), "día 日");
        input.apply(InputEdit::Home);
        input.apply(InputEdit::Right);
        input.apply(InputEdit::Delete);
        assert_eq!(input.text(), "da 日");
        input.apply(InputEdit::Insert('í'));
        assert_eq!(input.text(), "día 日");
        assert_eq!(input.cursor(), 2);
        assert_eq!(input.cursor_byte(), 3);
    }

    #[test]
    fn readline_word_and_line_kills() {
        let mut input = TextInput::new("project = NAV AND status");
        input.apply(InputEdit::DeleteWordBack);
        assert_eq!(input.text(), "project = NAV AND ");
        input.apply(InputEdit::DeleteWordBack);
        assert_eq!(input.text(), "project = NAV ");
        input.apply(InputEdit::WordLeft);
        assert_eq!(input.cursor(), 10);
        input.apply(InputEdit::ClearToStart);
        assert_eq!(input.text(), "NAV ");
        input.apply(InputEdit::WordRight);
        assert_eq!(input.cursor(), 3);
    }

    #[test]
    fn replace_puts_the_cursor_after_the_new_text() {
        let mut input = TextInput::new("día = x AND y");
        input.replace(7..8, "\"Done\" ");
        assert_eq!(input.text(), "día = \"Done\"  AND y");
        assert_eq!(input.cursor(), 13);
        // Out-of-range and mid-char bounds are clamped.
        input.replace(2..400, "\n");
        assert_eq!(input.text(), "d ");
        assert_eq!(input.cursor(), 2);
    }

    #[test]
    fn paste_is_flattened_to_one_line() {
        let mut input = TextInput::new("a");
        input.insert_str("b\nc\td\u{7}e");
        assert_eq!(input.text(), "ab c de");
        assert_eq!(input.cursor(), 7);
    }
}
