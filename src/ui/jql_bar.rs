//! The JQL bar on the top line: the current query, or the prompt while editing, with
//! syntax highlighting and the local parser's error underlined as you type.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::jql::{self, Role};
use crate::state::{JqlBar, State};

const LABEL_VIEW: &str = " JQL ";
const LABEL_EDIT: &str = " JQL › ";

fn role_style(role: Role, theme: &Theme) -> Style {
    match role {
        Role::Field => theme.jql_field,
        Role::Operator => theme.jql_operator,
        Role::Keyword => theme.jql_keyword,
        Role::Value => theme.jql_value,
        Role::Function => theme.jql_function,
        Role::Punctuation => Style::new(),
        Role::Error => theme.jql_error,
    }
}

/// Styled spans for `src[from..]`, following the lexer's roles.
fn highlighted<'a>(src: &'a str, from: usize, theme: &Theme) -> Vec<Span<'a>> {
    let mut styles = vec![Style::new(); src.len()];
    for (span, role) in jql::highlight(src) {
        let style = role_style(role, theme);
        for s in styles
            .iter_mut()
            .take(span.end.min(src.len()))
            .skip(span.start)
        {
            *s = s.patch(style);
        }
    }
    let mut spans = Vec::new();
    let mut start = from;
    let boundaries: Vec<usize> = src
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i >= from)
        .collect();
    for &i in boundaries.iter().skip(1) {
        if styles[i] != styles[start] {
            spans.push(Span::styled(&src[start..i], styles[start]));
            start = i;
        }
    }
    if start < src.len() {
        spans.push(Span::styled(&src[start..], styles[start]));
    }
    spans
}

/// Where the visible part of the input starts so the cursor stays on screen.
fn window_start(text: &str, cursor_byte: usize, room: usize) -> usize {
    let mut start = 0;
    while start < cursor_byte && text[start..cursor_byte].width() + 1 > room {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    start
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let line = match &state.jql_bar {
        Some(bar) => {
            let text = bar.input.text();
            let room = usize::from(area.width).saturating_sub(LABEL_EDIT.width());
            let from = window_start(text, bar.input.cursor_byte(), room);
            let mut spans = vec![Span::styled(LABEL_EDIT, theme.selected)];
            spans.push(Span::raw(" "));
            spans.extend(highlighted(text, from, theme));
            Line::from(spans)
        }
        None => {
            let mut spans = vec![Span::styled(LABEL_VIEW, theme.key), Span::raw(" ")];
            if state.search.jql.is_empty() {
                spans.push(Span::styled("press / to search with JQL", theme.dim));
            } else {
                spans.extend(highlighted(&state.search.jql, 0, theme));
            }
            Line::from(spans)
        }
    };
    line.render(area, buf);
}

/// The terminal cursor's cell while editing.
pub fn cursor_position(area: Rect, bar: &JqlBar) -> (u16, u16) {
    let text = bar.input.text();
    let cursor = bar.input.cursor_byte();
    let room = usize::from(area.width).saturating_sub(LABEL_EDIT.width());
    let from = window_start(text, cursor, room);
    let col = LABEL_EDIT.width() + 1 + text[from..cursor].width();
    let x = area.x
        + u16::try_from(col)
            .unwrap_or(u16::MAX)
            .min(area.width.saturating_sub(1));
    (x, area.y)
}

/// The screen column of byte `at` of the text being edited (clamped to the visible part),
/// where the completion popup lines up.
pub fn column_at(area: Rect, bar: &JqlBar, at: usize) -> u16 {
    let text = bar.input.text();
    let cursor = bar.input.cursor_byte();
    let room = usize::from(area.width).saturating_sub(LABEL_EDIT.width());
    let from = window_start(text, cursor, room);
    let at = at.clamp(from, text.len());
    let width = text.get(from..at).map_or(0, UnicodeWidthStr::width);
    let col = LABEL_EDIT.width() + 1 + width;
    area.x
        + u16::try_from(col)
            .unwrap_or(u16::MAX)
            .min(area.width.saturating_sub(1))
}

/// The local parser's verdict on what is being typed, for the status line.
pub fn local_error(bar: &JqlBar) -> Option<String> {
    let text = bar.input.text();
    if text.trim().is_empty() {
        return None;
    }
    jql::parse(text).err().map(|e| e.to_string())
}
