//! The rich-text editor popup (most of the screen), the comments list and the delete
//! confirmation. Drawn from state alone; the editor returns where the cursor goes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

use super::edit::{line, popup};
use super::{Theme, text};
use crate::state::State;
use crate::state::rich::{CommentList, ConfirmDelete, RichEditor};

/// Cells left free around the rich editor on each side.
const RICH_MARGIN: u16 = 2;
/// Widest the comments list gets.
const LIST_MAX_WIDTH: u16 = 100;
/// Tallest the comments list gets.
const LIST_MAX_HEIGHT: u16 = 24;
/// Title of the comment's visibility list.
const VISIBILITY_TITLE: &str = "Who may see this comment";
/// Width of the delete confirmation.
const CONFIRM_WIDTH: u16 = 70;

/// The editor of a comment or a rich-text field; returns the cursor.
pub fn render_rich(
    buf: &mut Buffer,
    screen: Rect,
    editor: &RichEditor,
    sending: bool,
    theme: &Theme,
) -> Option<(u16, u16)> {
    let width = screen.width.saturating_sub(RICH_MARGIN * 2).max(20);
    let height = screen.height.saturating_sub(RICH_MARGIN).max(6);
    let mut title = editor.target.title();
    if editor.target.is_comment() {
        title.push_str(&format!(" — visible to {}", editor.audience.label()));
    }
    let hint = if editor.target.is_comment() {
        "Ctrl-S save · Ctrl-E $EDITOR · Ctrl-V visibility · Ctrl-R start over · Esc close (keeps a draft)"
    } else {
        "Ctrl-S save · Ctrl-E $EDITOR · Ctrl-R start over · Esc close (keeps a draft)"
    };
    let inner = popup(buf, screen, width, height, &title, hint, theme);
    if inner.height < 2 || inner.width < 2 {
        return None;
    }
    let room = usize::from(inner.width);
    let mut top = 0;
    if let Some(notice) = &editor.notice {
        line(
            buf,
            inner,
            0,
            vec![Span::styled(text::truncate(notice, room), theme.info)],
        );
        top = 1;
    }
    let mut below = Vec::new();
    if sending {
        below.push(Span::styled("sending…", theme.dim));
    } else if let Some(error) = &editor.error {
        below.push(Span::styled(text::truncate(error, room), theme.error));
    } else if editor.is_loading() {
        below.push(Span::styled("looking up who can be mentioned…", theme.dim));
    } else if editor.area.is_empty() {
        below.push(Span::styled(
            "markdown: **bold** *em* `code` ```fences``` - lists > quotes | tables | @Name mentions",
            theme.dim,
        ));
    }
    let bottom = u16::from(!below.is_empty());
    let area = Rect::new(
        inner.x,
        inner.y + top,
        inner.width,
        inner.height.saturating_sub(top + bottom),
    );
    let layout = editor.area.layout(area.width, area.height);
    for (y, row) in layout.rows.iter().enumerate() {
        let y = u16::try_from(y).unwrap_or(u16::MAX);
        line(buf, area, y, vec![Span::raw(row.text.to_owned())]);
    }
    if editor.area.is_empty() && !editor.area.placeholder().is_empty() {
        line(
            buf,
            area,
            0,
            vec![Span::styled(
                editor.area.placeholder().to_owned(),
                theme.dim,
            )],
        );
    }
    if !below.is_empty() {
        line(buf, inner, inner.height - 1, below);
    }
    if let Some(picker) = &editor.audience.picker {
        let area = super::edit::picker_area(screen, picker.rows().len(), 0);
        return super::picker::draw(buf, area, picker, theme, VISIBILITY_TITLE).map(|p| (p.x, p.y));
    }
    Some((area.x + layout.cursor.0, area.y + layout.cursor.1))
}

/// The loaded comments: author, date, first line; one's own can be edited.
pub fn render_comments(
    buf: &mut Buffer,
    screen: Rect,
    list: &CommentList,
    state: &State,
    theme: &Theme,
) {
    let comments = &state.issue.comments;
    let rows = u16::try_from(comments.len()).unwrap_or(u16::MAX);
    let height = rows.saturating_add(4).clamp(5, LIST_MAX_HEIGHT);
    let inner = popup(
        buf,
        screen,
        LIST_MAX_WIDTH,
        height,
        &format!("Comments on {}", list.key),
        "↑↓ · Enter edit yours · d delete yours · Esc close",
        theme,
    );
    if inner.height < 2 {
        return;
    }
    let list_rows = usize::from(inner.height - 1);
    let selected = list.selected.min(comments.len().saturating_sub(1));
    let mut offset = list.offset.get();
    if selected < offset {
        offset = selected;
    } else if selected >= offset + list_rows {
        offset = selected + 1 - list_rows;
    }
    list.offset.set(offset);
    let width = usize::from(inner.width);
    for (row, item) in comments.iter().enumerate().skip(offset).take(list_rows) {
        let mine = crate::app::update::edit::rich::is_mine(state, item);
        let mark = if mine { "✎ " } else { "  " };
        let mut head = format!("{mark}{} · {}", item.author, item.created);
        if let Some(pending) = &item.pending {
            head.push_str(&format!(" · {}", pending.note));
        }
        let head = text::fit(&head, (width / 2).max(10));
        let rest = width.saturating_sub(head.width() + 1);
        let body = text::truncate(&crate::app::update::edit::rich::preview(item), rest);
        let style = if row == selected {
            theme.selected
        } else if mine {
            Style::default()
        } else {
            theme.dim
        };
        let y = u16::try_from(row - offset).unwrap_or(u16::MAX);
        line(
            buf,
            inner,
            y,
            vec![
                Span::styled(head, style),
                Span::styled(" ", style),
                Span::styled(body, style),
            ],
        );
    }
    let why = comments.get(selected).map(|item| {
        if crate::app::update::edit::rich::is_mine(state, item) {
            "Yours: Enter edits it, d deletes it".to_owned()
        } else {
            format!(
                "Written by {}: only its author can edit or delete it",
                item.author_name
            )
        }
    });
    if let Some(why) = why {
        line(
            buf,
            inner,
            inner.height - 1,
            vec![Span::styled(text::truncate(&why, width), theme.dim)],
        );
    }
}

/// "Delete your comment?"
pub fn render_confirm(buf: &mut Buffer, screen: Rect, confirm: &ConfirmDelete, theme: &Theme) {
    let inner = popup(
        buf,
        screen,
        CONFIRM_WIDTH,
        4,
        &format!("Delete your comment on {}?", confirm.key),
        "y delete · any other key keeps it",
        theme,
    );
    let width = usize::from(inner.width);
    line(
        buf,
        inner,
        0,
        vec![Span::styled(
            text::truncate(&confirm.preview, width),
            theme.label,
        )],
    );
    line(
        buf,
        inner,
        1,
        vec![Span::styled(
            "Jira deletes it for everyone; this cannot be undone.",
            theme.error,
        )],
    );
}
