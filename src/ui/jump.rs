//! The "go to issue" prompt: a small box under the JQL bar where a key is typed, with
//! the local check's complaint under it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::{Theme, text};
use crate::state::nav::JumpPrompt;

/// The box's width, borders included, when the screen allows.
const PROMPT_WIDTH: u16 = 56;
const LABEL: &str = "Go to ";

/// Draws the prompt over `screen` and returns where the cursor goes.
pub fn render(buf: &mut Buffer, screen: Rect, prompt: &JumpPrompt, theme: &Theme) -> (u16, u16) {
    let width = PROMPT_WIDTH.min(screen.width);
    let height = if prompt.error.is_some() { 4 } else { 3 }.min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + 1.min(screen.height.saturating_sub(height)),
        width,
        height,
    );
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(Span::styled(
            " Issue key — Enter go · Esc cancel ",
            theme.title,
        )));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width == 0 || inner.height == 0 {
        return (area.x, area.y);
    }
    let room = usize::from(inner.width).saturating_sub(LABEL.width() + 1);
    let typed = prompt.input.text();
    // Keep the end (where the cursor usually is) in view for long input.
    let shown = if typed.width() > room {
        let skip = typed.chars().count().saturating_sub(room);
        typed.chars().skip(skip).collect::<String>()
    } else {
        typed.to_owned()
    };
    let before_cursor: String = shown
        .chars()
        .take(
            prompt
                .input
                .cursor()
                .saturating_sub(typed.chars().count() - shown.chars().count()),
        )
        .collect();
    Line::from(vec![
        Span::styled(LABEL, theme.label),
        Span::styled(shown.clone(), theme.key),
    ])
    .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
    if let (Some(error), true) = (&prompt.error, inner.height > 1) {
        Line::from(Span::styled(
            text::truncate(error, usize::from(inner.width)),
            theme.error,
        ))
        .render(Rect::new(inner.x, inner.y + 1, inner.width, 1), buf);
    }
    let col = LABEL.width() + before_cursor.width();
    let x = inner.x + u16::try_from(col).unwrap_or(u16::MAX).min(inner.width - 1);
    (x, inner.y)
}
