//! The help overlay, generated from the keymap so it can never disagree with it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};

use super::Theme;
use crate::config::keymap::{Context, Keymap};
use crate::state::{Pane, State};

/// The popup's width when every line fits in less.
const MIN_WIDTH: u16 = 72;

pub fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let sections = [
        ("Everywhere", Context::Global),
        ("Issue pane", Context::Pane(Pane::Issue)),
        ("Results pane", Context::Pane(Pane::Results)),
        ("Projects pane", Context::Pane(Pane::Projects)),
    ];
    let mut out = Vec::new();
    for (title, context) in sections {
        let rows = keymap.help(context);
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::from(Span::styled(title, theme.heading)));
        for (keys, text) in rows {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<24}"), theme.key),
                Span::raw(text),
            ]));
        }
    }
    section(
        &mut out,
        "Editors (fields, comments, descriptions, forms)",
        &[
            ("Ctrl-S", "save (a failed save keeps your text)"),
            (
                "Esc, Ctrl-C",
                "close; comment and description text stays a draft",
            ),
            ("Ctrl-E", "edit the text in $VISUAL / $EDITOR"),
            (
                "Ctrl-V",
                "comment: who may see it (everyone, a role, a group)",
            ),
            (
                "Ctrl-R",
                "description, comment: start over from Jira's text",
            ),
            ("type, ↑ / ↓, Enter", "lists: filter, choose, pick"),
            ("Tab", "lists: check an item of a multi-select"),
        ],
        theme,
    );
    section(
        &mut out,
        "Text inputs (JQL bar, project filter, go to issue)",
        &[
            ("Ctrl-A / Ctrl-E", "start / end of line"),
            ("Alt-B / Alt-F", "word left / right"),
            ("Ctrl-W / Ctrl-U", "delete word / to start"),
            ("Enter / Esc", "submit / cancel"),
            // The JQL bar's own keys (completion and history).
            ("Tab / Ctrl-Space", "JQL: complete, or the next suggestion"),
            ("↑ / ↓", "JQL: choose a suggestion, or walk history"),
            (
                "Enter / Esc in popup",
                "JQL: accept / close the suggestions",
            ),
        ],
        theme,
    );
    out
}

/// A blank line, a heading and its `(keys, what they do)` rows.
fn section(
    out: &mut Vec<Line<'static>>,
    title: &'static str,
    rows: &[(&str, &str)],
    theme: &Theme,
) {
    out.push(Line::default());
    out.push(Line::from(Span::styled(title, theme.heading)));
    for (keys, text) in rows {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<24}"), theme.key),
            Span::raw((*text).to_owned()),
        ]));
    }
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme, keymap: &Keymap) {
    let lines = lines(keymap, theme);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    // Wide enough for the longest line where the screen allows (never narrower than
    // before), so descriptions are not cut.
    let longest = lines.iter().map(Line::width).max().unwrap_or(0);
    let width = u16::try_from(longest + 2)
        .unwrap_or(u16::MAX)
        .max(MIN_WIDTH);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    Clear.render(popup, buf);
    // Taller than the screen: it scrolls with the moving keys, and says so.
    let room = usize::from(popup.height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(room);
    let scroll = state.help_scroll.get().min(max_scroll);
    state.help_scroll.set(scroll);
    let mut title = vec![Span::styled(" Keys — ? or Esc to close ", theme.title)];
    if max_scroll > 0 {
        let more = match (scroll > 0, scroll < max_scroll) {
            (true, true) => "↑↓ more ",
            (false, _) => "↓ more (j/k) ",
            (true, false) => "↑ more ",
        };
        title.push(Span::styled(more, theme.dim));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(title));
    Paragraph::new(lines)
        .block(block)
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(popup, buf);
}
