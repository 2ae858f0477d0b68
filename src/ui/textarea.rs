//! Draws a [`TextArea`]: the visible rows of its soft-wrapped lines, and the terminal
//! cursor when it has focus.
//!
//! Lines are wrapped at word boundaries to the area's width rather than scrolled
//! sideways: descriptions hold paragraphs as single long lines, and a paragraph that
//! runs off the edge cannot be read while writing it. The area draws no border or
//! title; the editor around it does, with whatever it wants to say (field name, keys).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Clear, Widget};

use super::{Theme, text};
use crate::state::textarea::TextArea;

/// Draws `textarea` into `area` (all of it: what was there is cleared), scrolled so the
/// cursor is visible. When `focused`, the terminal cursor is placed on the text cursor;
/// otherwise the cursor is left to whoever else wants it.
pub fn render_textarea(
    frame: &mut Frame,
    area: Rect,
    textarea: &TextArea,
    theme: &Theme,
    focused: bool,
) {
    let layout = textarea.layout(area.width, area.height);
    let buf = frame.buffer_mut();
    Clear.render(area, buf);
    if area.width == 0 || area.height == 0 {
        return;
    }
    if textarea.is_empty() && !textarea.placeholder().is_empty() {
        let hint = text::truncate(textarea.placeholder(), usize::from(area.width));
        buf.set_stringn(area.x, area.y, hint, usize::from(area.width), theme.dim);
    } else {
        for (row, y) in layout.rows.iter().zip(area.y..area.bottom()) {
            buf.set_stringn(
                area.x,
                y,
                row.text,
                usize::from(area.width),
                Style::default(),
            );
        }
    }
    if focused {
        let (x, y) = layout.cursor;
        frame.set_cursor_position((area.x + x, area.y + y));
    }
}
