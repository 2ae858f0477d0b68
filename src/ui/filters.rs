//! The filter picker: favourites and own saved filters in two sections, a line to type
//! into, each filter's JQL beside its name; loading and failures inside the popup.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::{Theme, dim, spinner, text};
use crate::state::filters::{FilterList, Section};
use crate::state::{LoadStatus, State};

/// The popup's width and height at most (it shrinks with the terminal).
const WIDTH: u16 = 84;
const HEIGHT: u16 = 22;
/// Columns for a filter's name; its JQL gets the rest.
const NAME_WIDTH: usize = 32;
const PROMPT: &str = " › ";

/// Where the popup goes on a `screen`-sized terminal.
pub fn popup_area(screen: Rect) -> Rect {
    let [area] = Layout::horizontal([Constraint::Length(WIDTH.min(screen.width))])
        .flex(Flex::Center)
        .areas(screen);
    let [area] = Layout::vertical([Constraint::Length(HEIGHT.min(screen.height))])
        .flex(Flex::Center)
        .areas(area);
    area
}

/// One line of the list: a section heading, a filter, or a note about a section.
enum Row<'a> {
    Heading(Section),
    Filter(usize, &'a str, Option<&'a str>),
    Note(Span<'a>),
}

fn section_note<'a>(list: &'a FilterList, section: Section, theme: &Theme) -> Option<Span<'a>> {
    match &list.status {
        LoadStatus::Failed(e) => Some(Span::styled(
            format!("{}: {e}", section.title()),
            theme.error,
        )),
        _ => None,
    }
}

pub fn render(buf: &mut Buffer, screen: Rect, state: &State, theme: &Theme) {
    let filters = &state.filters;
    if !filters.open {
        return;
    }
    let area = popup_area(screen);
    if area.height < 4 || area.width < 20 {
        return;
    }
    let mut title = vec![Span::styled(" Filters ", theme.title)];
    if filters.is_loading() {
        title.push(Span::styled(
            format!("{} loading ", spinner(state)),
            theme.info,
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(title))
        .title_bottom(Line::from(dim(
            " type to narrow · ↑↓ choose · Enter run · Esc close ",
            theme,
        )));
    Clear.render(area, buf);
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 2 {
        return;
    }

    let query = filters.query.text();
    Line::from(vec![
        Span::styled(PROMPT, theme.key),
        Span::raw(query.to_owned()),
    ])
    .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);

    let visible = filters.visible();
    let mut rows: Vec<Row> = Vec::new();
    for section in [Section::Favourites, Section::Mine] {
        let list = match section {
            Section::Favourites => &filters.favourites,
            Section::Mine => &filters.mine,
        };
        let items: Vec<(usize, &str, Option<&str>)> = visible
            .iter()
            .enumerate()
            .filter(|(_, (s, _))| *s == section)
            .map(|(i, (_, f))| (i, f.name.as_str(), f.jql.as_deref()))
            .collect();
        let note = section_note(list, section, theme);
        if items.is_empty() && note.is_none() {
            continue;
        }
        rows.push(Row::Heading(section));
        rows.extend(
            items
                .into_iter()
                .map(|(i, name, jql)| Row::Filter(i, name, jql)),
        );
        rows.extend(note.map(Row::Note));
    }
    if visible.is_empty() && !filters.is_loading() {
        let text = if query.trim().is_empty() {
            "No saved filters. Star filters in Jira to see them here.".to_owned()
        } else {
            format!("No filter name contains \"{}\"", query.trim())
        };
        rows.push(Row::Note(dim(text, theme)));
    }

    let list_area = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let height = usize::from(list_area.height);
    // Keep the selected filter (and the heading above it, when there is room) in view.
    let selected_row = rows
        .iter()
        .position(|r| matches!(r, Row::Filter(i, ..) if *i == filters.selected))
        .unwrap_or(0);
    let mut offset = filters.offset.get();
    if selected_row < offset + 1 {
        offset = selected_row.saturating_sub(1);
    } else if selected_row >= offset + height {
        offset = selected_row + 1 - height;
    }
    offset = offset.min(rows.len().saturating_sub(height));
    filters.offset.set(offset);

    let width = usize::from(list_area.width);
    let name_width = NAME_WIDTH.min(width.saturating_sub(4) / 2);
    for (n, row) in rows.iter().skip(offset).take(height).enumerate() {
        let y = list_area.y + u16::try_from(n).unwrap_or(u16::MAX);
        let row_area = Rect::new(list_area.x, y, list_area.width, 1);
        let line = match row {
            Row::Heading(section) => {
                let mark = match section {
                    Section::Favourites => "★ ",
                    Section::Mine => "  ",
                };
                Line::from(Span::styled(
                    format!(" {mark}{}", section.title()),
                    theme.heading,
                ))
            }
            Row::Filter(i, name, jql) => {
                let jql_room = width.saturating_sub(name_width + 5);
                let jql_text = match jql {
                    Some(j) => text::truncate(j, jql_room),
                    None => "(no JQL)".to_owned(),
                };
                let line = Line::from(vec![
                    Span::raw("   "),
                    Span::raw(text::fit(name, name_width)),
                    Span::raw("  "),
                    Span::styled(jql_text, theme.dim),
                ]);
                if *i == filters.selected {
                    buf.set_style(row_area, theme.selected);
                    line.style(theme.selected)
                } else {
                    line
                }
            }
            Row::Note(span) => Line::from(vec![Span::raw("   "), span.clone()]),
        };
        line.render(row_area, buf);
    }
}

/// The terminal cursor's cell while the picker is open: after the typed text.
pub fn cursor_position(screen: Rect, state: &State) -> Position {
    let area = popup_area(screen);
    let query = state.filters.query.text();
    let before = query
        .get(..state.filters.query.cursor_byte())
        .map_or(0, UnicodeWidthStr::width);
    let x = usize::from(area.x) + 1 + PROMPT.width() + before;
    let x = u16::try_from(x)
        .unwrap_or(u16::MAX)
        .min(area.right().saturating_sub(2));
    Position::new(x, area.y + 1)
}
