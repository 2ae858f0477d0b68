//! The projects pane: a filterable list.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{Theme, dim, pane_block, selection_style, text};
use crate::state::{LoadStatus, Pane, State};

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme) {
    let projects = &state.projects;
    let title = if projects.filter.is_empty() {
        vec![]
    } else {
        vec![Span::styled(
            format!("/{} ", projects.filter.text()),
            theme.key,
        )]
    };
    let block = pane_block(Pane::Projects, title, &projects.status, state, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let visible = projects.visible();
    if visible.is_empty() {
        let msg = match &projects.status {
            LoadStatus::Failed(e) => Span::styled(e.clone(), theme.error),
            LoadStatus::Loading(_) => dim("loading…", theme),
            LoadStatus::Idle if projects.items.is_empty() => dim("no projects", theme),
            LoadStatus::Idle => dim("no match", theme),
        };
        Paragraph::new(Line::from(msg)).render(inner, buf);
        return;
    }
    let height = usize::from(inner.height);
    let offset = scrolled_offset(projects.offset.get(), projects.selected, height);
    projects.offset.set(offset);
    let focused = state.focus == Pane::Projects;
    let width = usize::from(inner.width);
    for (row, &index) in visible.iter().skip(offset).take(height).enumerate() {
        let item = &projects.items[index];
        let key_width = text::width(&item.key);
        let name = text::truncate(&item.name, width.saturating_sub(key_width + 2));
        let active = projects.active.as_deref() == Some(item.key.as_str());
        let marker = if active { "▸" } else { " " };
        let mut line = Line::from(vec![
            Span::styled(format!("{marker}{}", item.key), theme.key),
            Span::raw(" "),
            Span::raw(name),
        ]);
        let y = inner.y + u16::try_from(row).unwrap_or(u16::MAX);
        let row_area = Rect::new(inner.x, y, inner.width, 1);
        if offset + row == projects.selected {
            line = line.style(selection_style(focused, theme));
            buf.set_style(row_area, selection_style(focused, theme));
        }
        line.render(row_area, buf);
    }
}

/// The first visible row so that `selected` stays in a window of `height` rows.
pub fn scrolled_offset(offset: usize, selected: usize, height: usize) -> usize {
    if height == 0 {
        return offset;
    }
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
