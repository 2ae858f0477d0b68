//! The help overlay, generated from the keymap so it can never disagree with it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget};

use super::Theme;
use crate::config::keymap::{Context, Keymap};
use crate::state::Pane;

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
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Text inputs (JQL bar, project filter)",
        theme.heading,
    )));
    for (keys, text) in [
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
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<24}"), theme.key),
            Span::raw(text),
        ]));
    }
    out
}

pub fn render(buf: &mut Buffer, area: Rect, theme: &Theme, keymap: &Keymap) {
    let lines = lines(keymap, theme);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let [popup] = Layout::horizontal([Constraint::Length(72)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(Span::styled(
            " Keys — ? or Esc to close ",
            theme.title,
        )));
    Paragraph::new(lines).block(block).render(popup, buf);
}
