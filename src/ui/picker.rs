//! Drawing a field editor's [`Picker`]: the filter line with the cursor, the checked values
//! of a multi-select, the rows (checkboxes for multi-select, the current value marked for
//! single-select), the free-entry row, "loading…", and the complaint about a typed value.
//! The caller places it (`area`); only the scroll offset changes here.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};

use super::{Theme, dim, text};
use crate::sanitize::sanitize_line;
use crate::state::picker::{Picker, PickerRow};

const PROMPT: &str = " › ";
/// Columns before a row's label: a space and the mark (`[x] `, `• `).
const MULTI_MARK_WIDTH: usize = 5;
const SINGLE_MARK_WIDTH: usize = 3;
/// The most columns a label takes when the row also has a detail to show.
const MAX_LABEL_WIDTH: usize = 40;
/// Smallest inner size worth drawing into: the filter line and one row.
const MIN_INNER_HEIGHT: u16 = 2;
const MIN_INNER_WIDTH: u16 = 8;
/// Short enough for a 40-column popup. Tab, not Space, is named for checking: Space is
/// typed once the filter holds text.
const HINT_SINGLE: &str = " ↑↓ choose · Enter pick · Esc cancel ";
const HINT_MULTI: &str = " Tab check · Enter done · Esc cancel ";

/// Draws `picker` into `area` under `title` (a field name: sanitised here) and puts the
/// terminal cursor in its filter.
pub fn render_picker(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme, title: &str) {
    if let Some(cursor) = draw(frame.buffer_mut(), area, picker, theme, title) {
        frame.set_cursor_position(cursor);
    }
}

/// The drawing itself; the cursor's cell comes back (none when too small to draw). For
/// a caller that draws into a buffer and places the cursor itself.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    picker: &Picker,
    theme: &Theme,
    title: &str,
) -> Option<Position> {
    let mut heading = vec![Span::styled(
        format!(" {} ", sanitize_line(title.trim())),
        theme.title,
    )];
    if picker.is_loading() {
        heading.push(Span::styled(" loading… ", theme.info));
    }
    let hint = if picker.is_multi() {
        HINT_MULTI
    } else {
        HINT_SINGLE
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(heading))
        .title_bottom(Line::from(dim(hint, theme)));
    Clear.render(area, buf);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < MIN_INNER_HEIGHT || inner.width < MIN_INNER_WIDTH {
        return None;
    }
    let width = usize::from(inner.width);
    let mut y = inner.y;
    let bottom = inner.bottom();

    // The filter, as typed (sanitised: bidi controls survive `TextInput`).
    let typed = picker.filter().text();
    let shown = sanitize_line(typed);
    let before_cursor = typed
        .get(..picker.filter().cursor_byte())
        .map_or(0, |t| text::width(&sanitize_line(t)));
    let room = width.saturating_sub(text::width(PROMPT) + 1);
    // Long filters scroll so the cursor stays in view.
    let skip = before_cursor.saturating_sub(room);
    let visible = skip_columns(&shown, skip);
    Line::from(vec![
        Span::styled(PROMPT, theme.key),
        Span::raw(text::truncate(&visible, room)),
    ])
    .render(Rect::new(inner.x, y, inner.width, 1), buf);
    let cursor_x = usize::from(inner.x) + text::width(PROMPT) + before_cursor - skip;
    let cursor = Position::new(
        u16::try_from(cursor_x)
            .unwrap_or(u16::MAX)
            .min(inner.right().saturating_sub(1)),
        y,
    );
    y += 1;

    // A multi-select's checked values, also those the list does not show now.
    if picker.is_multi() && !picker.checked().is_empty() && y < bottom {
        let names: Vec<&str> = picker.checked().iter().map(|i| i.label.as_str()).collect();
        let line = format!(" ✓ {}: {}", names.len(), names.join(", "));
        Line::from(Span::styled(text::truncate(&line, width), theme.label))
            .render(Rect::new(inner.x, y, inner.width, 1), buf);
        y += 1;
    }

    // The complaint about a typed value takes the last line.
    let mut list_bottom = bottom;
    if let Some(error) = picker.error()
        && bottom > y + 1
    {
        list_bottom -= 1;
        let line = format!(" {error}");
        Line::from(Span::styled(text::truncate(&line, width), theme.error))
            .render(Rect::new(inner.x, list_bottom, inner.width, 1), buf);
    }
    if y >= list_bottom {
        return Some(cursor);
    }
    let list = Rect::new(inner.x, y, inner.width, list_bottom - y);
    draw_rows(buf, list, picker, theme);
    Some(cursor)
}

/// `s` without its first `columns` columns.
fn skip_columns(s: &str, columns: usize) -> String {
    let mut skipped = 0;
    s.chars()
        .skip_while(|c| {
            let w = text::width(c.encode_utf8(&mut [0; 4]));
            let skip = skipped < columns;
            skipped += w;
            skip
        })
        .collect()
}

fn draw_rows(buf: &mut Buffer, list: Rect, picker: &Picker, theme: &Theme) {
    let rows = picker.rows();
    let width = usize::from(list.width);
    if rows.is_empty() {
        let note = if picker.is_loading() {
            "loading…".to_owned()
        } else if picker.query().is_empty() {
            "nothing to choose from".to_owned()
        } else {
            "no match".to_owned()
        };
        Line::from(dim(text::truncate(&format!(" {note}"), width), theme))
            .render(Rect::new(list.x, list.y, list.width, 1), buf);
        return;
    }
    let height = usize::from(list.height);
    let selected = picker.selected();
    let mut offset = picker.offset.get();
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset = offset.min(rows.len().saturating_sub(height));
    picker.offset.set(offset);

    let mark_width = if picker.is_multi() {
        MULTI_MARK_WIDTH
    } else {
        SINGLE_MARK_WIDTH
    };
    let room = width.saturating_sub(mark_width);
    for (n, row) in rows.iter().enumerate().skip(offset).take(height) {
        let y = list.y + u16::try_from(n - offset).unwrap_or(u16::MAX);
        let area = Rect::new(list.x, y, list.width, 1);
        let line = match row {
            PickerRow::Item(item) => {
                let mark = if picker.is_multi() {
                    if picker.is_checked(&item.id) {
                        " [x] "
                    } else {
                        " [ ] "
                    }
                } else if picker.current() == Some(item.id.as_str()) {
                    " • "
                } else {
                    "   "
                };
                let mut spans = vec![Span::raw(mark)];
                match &item.detail {
                    Some(detail) => {
                        let label_room = room.min(MAX_LABEL_WIDTH).min(text::width(&item.label));
                        let label = text::truncate(&item.label, label_room);
                        let rest = room.saturating_sub(text::width(&label) + 2);
                        spans.push(Span::raw(label));
                        if rest > 0 {
                            spans.push(Span::raw("  "));
                            spans.push(dim(text::truncate(detail, rest), theme));
                        }
                    }
                    None => spans.push(Span::raw(text::truncate(&item.label, room))),
                }
                Line::from(spans)
            }
            PickerRow::Create(typed) => {
                let typed = sanitize_line(typed);
                let offer = if picker.error().is_some() {
                    format!("cannot add \"{typed}\"")
                } else if picker.match_count() == 0 {
                    format!("no match (Enter adds \"{typed}\")")
                } else {
                    format!("+ add \"{typed}\"")
                };
                let style = if picker.error().is_some() {
                    theme.error
                } else {
                    theme.info
                };
                Line::from(vec![
                    Span::raw(" ".repeat(mark_width)),
                    Span::styled(text::truncate(&offer, room), style),
                ])
            }
        };
        if n == selected {
            buf.set_style(area, theme.selected);
            line.style(theme.selected).render(area, buf);
        } else {
            line.render(area, buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::picker::PickerItem;
    use serde_json::json;

    #[test]
    fn skips_columns_of_wide_text() {
        assert_eq!(skip_columns("日本語", 2), "本語");
        assert_eq!(skip_columns("abc", 0), "abc");
        assert_eq!(skip_columns("abc", 9), "");
    }

    #[test]
    fn tiny_areas_draw_nothing_but_the_frame() {
        let picker = Picker::single(vec![PickerItem::new("1", "x", None, json!(1))], None);
        let area = Rect::new(0, 0, 6, 3);
        let mut buf = Buffer::empty(area);
        assert_eq!(draw(&mut buf, area, &picker, &Theme::default(), "T"), None);
    }
}
