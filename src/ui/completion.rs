//! The completion popup under the JQL bar: the candidates for the word at the cursor,
//! each with its kind, lined up under the word; loading and failure in its frame.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};

use super::projects::scrolled_offset;
use super::{Theme, dim, jql_bar, spinner, text};
use crate::state::State;

/// Candidates shown at once; more scroll.
const MAX_ROWS: usize = 8;
/// The popup's narrowest and widest, in columns (borders included).
const MIN_WIDTH: usize = 28;
const MAX_WIDTH: usize = 64;
/// Columns for the kind on the right ("operator", "function").
const KIND_WIDTH: usize = 8;
/// Columns from the popup's left edge to its labels (border, space).
const LABEL_INDENT: u16 = 2;

/// Draws the popup, if open, below `bar_area` inside `screen`.
pub fn render(buf: &mut Buffer, screen: Rect, bar_area: Rect, state: &State, theme: &Theme) {
    let (Some(bar), Some(popup)) = (&state.jql_bar, &state.completion.popup) else {
        return;
    };
    let top = bar_area.y + 1;
    let room_below = screen.bottom().saturating_sub(top);
    if room_below < 3 || screen.width < 10 {
        return;
    }
    let label_width = popup
        .items
        .iter()
        .map(|c| text::width(&c.label))
        .max()
        .unwrap_or(0);
    let title = format!(" {} ", text::truncate(&popup.title(), MAX_WIDTH - 4));
    let width = (label_width + KIND_WIDTH + 5)
        .max(text::width(&title) + 4)
        .clamp(MIN_WIDTH, MAX_WIDTH)
        .min(usize::from(screen.width));
    let width = u16::try_from(width).unwrap_or(screen.width);
    let rows = popup.items.len().clamp(1, MAX_ROWS);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(room_below);
    // Labels line up under the word being completed (the border and a space stand to
    // their left); the popup is pulled left when it would run off the screen.
    let x = jql_bar::column_at(bar_area, bar, popup.context.replace.start)
        .saturating_sub(LABEL_INDENT)
        .min(screen.right().saturating_sub(width))
        .max(screen.x);
    let area = Rect::new(x, top, width, height);

    let mut title_spans = vec![Span::styled(title, theme.title)];
    if popup.loading {
        title_spans.push(Span::styled(format!("{} ", spinner(state)), theme.info));
    }
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(title_spans));
    if let (Some(error), false) = (&popup.error, popup.items.is_empty()) {
        let room = usize::from(width).saturating_sub(4);
        block = block.title_bottom(Line::from(Span::styled(
            format!(" {} ", text::truncate(error, room.saturating_sub(2))),
            theme.error,
        )));
    } else if popup.items.len() > rows {
        block = block.title_bottom(Line::from(dim(
            format!(" {}/{} ", popup.selected + 1, popup.items.len()),
            theme,
        )));
    }
    Clear.render(area, buf);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }

    if popup.items.is_empty() {
        let message = match (&popup.error, popup.loading) {
            (Some(e), _) => Span::styled(e.clone(), theme.error),
            (None, true) => dim("loading…", theme),
            (None, false) => dim("no suggestions", theme),
        };
        Paragraph::new(Line::from(message)).render(inner, buf);
        return;
    }

    let height = usize::from(inner.height);
    let offset = scrolled_offset(popup.offset.get(), popup.selected, height);
    popup.offset.set(offset);
    let inner_width = usize::from(inner.width);
    let kind_width = KIND_WIDTH.min(inner_width / 3);
    let label_room = inner_width.saturating_sub(kind_width + 2);
    for (row, item) in popup.items.iter().enumerate().skip(offset).take(height) {
        let y = inner.y + u16::try_from(row - offset).unwrap_or(u16::MAX);
        let row_area = Rect::new(inner.x, y, inner.width, 1);
        let selected = row == popup.selected;
        let mut line = Line::from(vec![
            Span::raw(" "),
            Span::raw(text::fit(&item.label, label_room)),
            Span::raw(" "),
            Span::styled(text::fit(item.kind.label(), kind_width), theme.dim),
        ]);
        if selected {
            line = line.style(theme.selected);
            buf.set_style(row_area, theme.selected);
        }
        line.render(row_area, buf);
    }
}
