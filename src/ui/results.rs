//! The results pane: the issues matching the JQL, drawn as the visible window only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::projects::scrolled_offset;
use super::{Theme, dim, pane_block, selection_style, spinner, text};
use crate::state::search::IssueRow;
use crate::state::{LoadStatus, Pane, State};

/// A column of the table: header, how wide, and what to show.
struct Column {
    header: &'static str,
    width: usize,
    cell: fn(&IssueRow) -> &str,
}

/// Columns other than the summary, which takes the remaining width.
fn columns(total: usize, key_width: usize) -> (Vec<Column>, usize) {
    let mut cols = vec![
        Column {
            header: "Key",
            width: key_width,
            cell: |r| &r.key,
        },
        Column {
            header: "Type",
            width: 8,
            cell: |r| &r.issue_type,
        },
        Column {
            header: "Priority",
            width: 8,
            cell: |r| &r.priority,
        },
        Column {
            header: "Status",
            width: 12,
            cell: |r| &r.status,
        },
        Column {
            header: "Assignee",
            width: 16,
            cell: |r| &r.assignee,
        },
        Column {
            header: "Updated",
            width: 16,
            cell: |r| &r.updated,
        },
    ];
    // Narrow panes drop the least useful columns first so the summary keeps some room.
    const MIN_SUMMARY: usize = 20;
    let fixed = |cols: &[Column]| cols.iter().map(|c| c.width + 1).sum::<usize>();
    for drop in ["Updated", "Priority", "Type", "Assignee"] {
        if total >= fixed(&cols) + MIN_SUMMARY {
            break;
        }
        cols.retain(|c| c.header != drop);
    }
    let summary = total.saturating_sub(fixed(&cols));
    (cols, summary)
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
    let width = usize::from(inner.width);
    let key_width = search
        .rows
        .iter()
        .map(|r| text::width(&r.key))
        .max()
        .unwrap_or(3)
        .max(3);
    let (cols, summary_width) = columns(width, key_width);
    let summary_at = cols
        .iter()
        .position(|c| c.header == "Status")
        .map_or(cols.len(), |i| i + 1);

    let mut header = Vec::new();
    for (i, col) in cols.iter().enumerate() {
        if i == summary_at {
            header.push(Span::styled(
                text::fit("Summary", summary_width),
                theme.header,
            ));
            header.push(Span::raw(" "));
        }
        header.push(Span::styled(text::fit(col.header, col.width), theme.header));
        header.push(Span::raw(" "));
    }
    Line::from(header).render(Rect::new(inner.x, inner.y, inner.width, 1), buf);

    let body_height = usize::from(inner.height.saturating_sub(1));
    let offset = scrolled_offset(search.offset.get(), search.selected, body_height);
    search.offset.set(offset);
    let focused = state.focus == Pane::Results;
    for (i, row) in search
        .rows
        .iter()
        .skip(offset)
        .take(body_height)
        .enumerate()
    {
        let y = inner.y + 1 + u16::try_from(i).unwrap_or(u16::MAX);
        let row_area = Rect::new(inner.x, y, inner.width, 1);
        let selected = offset + i == search.selected;
        let mut spans = Vec::new();
        for (c, col) in cols.iter().enumerate() {
            if c == summary_at {
                spans.push(Span::raw(text::fit(&row.summary, summary_width)));
                spans.push(Span::raw(" "));
            }
            let style = match col.header {
                "Key" => theme.key,
                "Status" => theme.status(row.category),
                "Updated" => theme.dim,
                _ => Style::new(),
            };
            spans.push(Span::styled(text::fit((col.cell)(row), col.width), style));
            spans.push(Span::raw(" "));
        }
        let mut line = Line::from(spans);
        if selected {
            buf.set_style(row_area, selection_style(focused, theme));
            line = line.patch_style(selection_style(focused, theme));
        }
        line.render(row_area, buf);
    }
}
