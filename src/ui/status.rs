//! The status line: what is happening, the last message or error, and where we are.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Theme, jql_bar, spinner, text};
use crate::state::{Pane, State};

fn hint(state: &State) -> &'static str {
    if state.filters.open {
        return "type to narrow · ↑↓ choose · Enter run the filter · Esc close";
    }
    if state.completion.popup.is_some() {
        return "↑↓/Tab choose · Enter accept · Esc close the suggestions";
    }
    if state.jql_bar.is_some() {
        return "Enter search · Tab complete · ↑↓ history · Esc cancel · Ctrl-A/E/W/U edit";
    }
    if state.jump.is_some() {
        return "type an issue key · Enter go · Esc cancel";
    }
    match state.focus {
        Pane::Projects => "type to filter · Enter open · Tab next pane · ? help · q quit",
        Pane::Results => "j/k move · Enter open · / JQL · s/S sort · o browser · y copy · ? help",
        Pane::Issue => "j/k scroll · ]/[ related · Enter open · Bksp back · H history · ? help",
    }
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let mut left = Vec::new();
    if state.is_busy() {
        left.push(Span::styled(format!("{} ", spinner(state)), theme.info));
    }
    let local_error = state.jql_bar.as_ref().and_then(jql_bar::local_error);
    // Most important first: a session that ended (nothing else matters until the user
    // signs in again), a typo in the JQL being typed, a retry in progress (news; older
    // messages can wait), the last message, the expiry warning, and otherwise the keys.
    let retry = state.retry.as_ref().map(|r| r.text(state.now));
    let (text, style) = if let Some(ended) = &state.session_ended {
        (ended.clone(), theme.error)
    } else if let Some(err) = local_error {
        (err, theme.error)
    } else if let Some(wait) = retry {
        (wait, theme.error)
    } else if let Some(m) = &state.message {
        let style = if m.is_error { theme.error } else { theme.info };
        (m.text.clone(), style)
    } else if let Some(warning) = &state.token_warning {
        (warning.clone(), theme.error)
    } else {
        (hint(state).to_owned(), theme.dim)
    };
    left.push(Span::styled(text, style));
    let mode = if state.read_only { "[read-only] " } else { "" };
    let who = match &state.me {
        Some(me) => format!(" {mode}{me} @ {} ", state.site),
        None => format!(" {mode}{} ", state.site),
    };
    let right_width = text::width(&who).min(usize::from(area.width) / 2);
    let left_width = usize::from(area.width).saturating_sub(right_width);
    let left_text: String = left.iter().map(|s| s.content.as_ref()).collect();
    let cut = text::fit(&left_text, left_width);
    // Keep the first span's style (spinner or message) for the whole left part.
    let style = left.last().map(|s| s.style).unwrap_or_default();
    Line::from(vec![
        Span::styled(cut, style),
        Span::styled(text::truncate(&who, right_width), theme.dim),
    ])
    .render(area, buf);
}
