//! The results pane: the issues matching the JQL, drawn as the visible window only.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::projects::scrolled_offset;
use super::{Theme, age, dim, pane_block, selection_style, spinner, text};
use crate::jql::Direction;
use crate::state::columns::{Column, sorted_by};
use crate::state::search::IssueRow;
use crate::state::{LoadStatus, Pane, State};

/// Arrows after the header of the column the results are sorted by.
const SORT_ASC: &str = "↑";
const SORT_DESC: &str = "↓";
/// Drawn in the left gutter of a row marked for a bulk change.
const MARK: &str = "●";
/// The gutter's width while any row is marked (the mark and a space).
const GUTTER_COLS: u16 = 2;
/// How dates read when there is no `now` to be relative to.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// A cell's text: stored text for most columns, dates relative to `now` when known.
fn cell<'a>(row: &'a IssueRow, column: Column, now: Option<&DateTime<Utc>>) -> Cow<'a, str> {
    let date = |d: &Option<DateTime<FixedOffset>>| -> Cow<'a, str> {
        match (d, now) {
            (Some(d), Some(now)) => Cow::Owned(age::relative(d, now)),
            (Some(d), None) => Cow::Owned(d.format(DATE_FORMAT).to_string()),
            (None, _) => Cow::Borrowed(""),
        }
    };
    match column {
        Column::Updated => date(&row.updated_at),
        Column::Created => date(&row.created_at),
        Column::Due => row.due.map_or(Cow::Borrowed(""), |d| {
            Cow::Owned(d.format(DATE_FORMAT).to_string())
        }),
        other => Cow::Borrowed(row.text(other)),
    }
}

fn header_text(column: Column, sort: Option<(Column, Direction)>) -> Cow<'static, str> {
    match sort {
        Some((c, dir)) if c == column => {
            let arrow = match dir {
                Direction::Asc => SORT_ASC,
                Direction::Desc => SORT_DESC,
            };
            Cow::Owned(format!("{} {arrow}", column.header()))
        }
        _ => Cow::Borrowed(column.header()),
    }
}

fn title(state: &State, theme: &Theme) -> Vec<Span<'static>> {
    let search = &state.search;
    let mut spans = vec![Span::styled(text::truncate(&search.jql, 60), theme.dim)];
    let loaded = search.rows.len();
    let count = match (search.count, search.next_page_token.is_some()) {
        (_, false) if !search.status.is_loading() => format!(" {loaded} issues "),
        (Some(total), _) => format!(" {loaded} of ~{total} "),
        (None, _) => format!(" {loaded}+ "),
    };
    if search.status == LoadStatus::Idle {
        spans.push(Span::styled(count, theme.title));
    }
    let marked = state.edit.marked.len();
    if marked > 0 {
        spans.push(Span::styled(format!(" {marked} marked "), theme.info));
    }
    if search.page_request.is_some() {
        spans.push(Span::styled(
            format!("{} more ", spinner(state)),
            theme.info,
        ));
    }
    spans
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme) {
    let search = &state.search;
    let block = pane_block(
        Pane::Results,
        title(state, theme),
        &search.status,
        state,
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if search.rows.is_empty() {
        let msg = match &search.status {
            LoadStatus::Failed(e) => Line::from(Span::styled(e.clone(), theme.error)),
            LoadStatus::Loading(_) => Line::from(dim("searching…", theme)),
            LoadStatus::Idle if search.jql.is_empty() => {
                Line::from(dim("pick a project or press / to search", theme))
            }
            LoadStatus::Idle => Line::from(dim("no issues match this query", theme)),
        };
        Paragraph::new(msg)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    // A gutter for the marks, only while there are some: the table keeps its width
    // otherwise.
    let gutter = if state.edit.marked.is_empty() {
        0
    } else {
        GUTTER_COLS.min(inner.width)
    };
    let table = Rect::new(
        inner.x + gutter,
        inner.y,
        inner.width - gutter,
        inner.height,
    );
    let width = usize::from(table.width);
    let placed = search.columns.fit(width, search.key_width());
    let sort = sorted_by(&search.jql);

    let mut header = Vec::new();
    for p in &placed {
        header.push(Span::styled(
            text::fit(&header_text(p.column, sort), p.width),
            theme.header,
        ));
        header.push(Span::raw(" "));
    }
    Line::from(header).render(Rect::new(table.x, table.y, table.width, 1), buf);

    // Only the visible window is laid out, however many rows are loaded.
    let body_height = usize::from(inner.height.saturating_sub(1));
    let offset = scrolled_offset(search.offset.get(), search.selected, body_height);
    search.offset.set(offset);
    let focused = state.focus == Pane::Results;
    let now = state.now.as_ref();
    for (i, row) in search
        .rows
        .iter()
        .skip(offset)
        .take(body_height)
        .enumerate()
    {
        let y = inner.y + 1 + u16::try_from(i).unwrap_or(u16::MAX);
        let row_area = Rect::new(table.x, y, table.width, 1);
        let marked = gutter > 0 && state.edit.marked.contains(&row.key);
        if marked {
            Span::styled(MARK, theme.info).render(Rect::new(inner.x, y, gutter, 1), buf);
        }
        let selected = (offset + i == search.selected).then(|| {
            let style = selection_style(focused, theme);
            buf.set_style(row_area, style);
            style
        });
        // Each cell straight into the buffer at its column: no padding to lay out (the
        // row is blank already) and no line to build, since this runs for every row of
        // every frame.
        let mut x = table.x;
        for p in &placed {
            if x >= row_area.right() {
                break;
            }
            let style = match p.column {
                Column::Key => theme.key,
                Column::Status => theme.status(row.category),
                Column::Updated | Column::Created | Column::Due => theme.dim,
                _ => Style::new(),
            };
            // The cell's own colours win over the selection's, as in a patched line.
            let style = selected.map_or(style, |sel| sel.patch(style));
            let text = cell(row, p.column, now);
            let room = usize::from(row_area.right() - x).min(p.width);
            if text::width(&text) <= p.width {
                buf.set_stringn(x, y, &text, room, style);
            } else {
                buf.set_stringn(x, y, text::truncate(&text, p.width), room, style);
            }
            x = x.saturating_add(u16::try_from(p.width + 1).unwrap_or(u16::MAX));
        }
    }
}
