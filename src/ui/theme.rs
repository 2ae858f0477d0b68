//! Colours and text styles in one place. `NO_COLOR` gives a monochrome theme that still
//! shows focus and selection through modifiers.

use ratatui::style::{Color, Modifier, Style};

use crate::state::search::StatusCategory;

#[derive(Debug, Clone)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub header: Style,
    pub key: Style,
    pub dim: Style,
    pub error: Style,
    pub info: Style,
    pub label: Style,
    pub heading: Style,
    pub code: Style,
    pub link: Style,
    pub mention: Style,
    pub quote: Style,
    pub status_todo: Style,
    pub status_progress: Style,
    pub status_done: Style,
    pub jql_field: Style,
    pub jql_operator: Style,
    pub jql_keyword: Style,
    pub jql_value: Style,
    pub jql_function: Style,
    pub jql_error: Style,
}

impl Default for Theme {
    fn default() -> Self {
        let bold = Modifier::BOLD;
        Self {
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(bold),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            header: Style::new()
                .fg(Color::Gray)
                .add_modifier(bold | Modifier::UNDERLINED),
            key: Style::new().fg(Color::Cyan).add_modifier(bold),
            dim: Style::new().fg(Color::DarkGray),
            error: Style::new().fg(Color::Red).add_modifier(bold),
            info: Style::new().fg(Color::Green),
            label: Style::new().fg(Color::Gray).add_modifier(bold),
            heading: Style::new().fg(Color::Magenta).add_modifier(bold),
            code: Style::new().fg(Color::Yellow),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            mention: Style::new().fg(Color::Cyan),
            quote: Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC),
            status_todo: Style::new().fg(Color::Gray),
            status_progress: Style::new().fg(Color::Yellow),
            status_done: Style::new().fg(Color::Green),
            jql_field: Style::new().fg(Color::Cyan),
            jql_operator: Style::new().fg(Color::Magenta),
            jql_keyword: Style::new().fg(Color::Blue).add_modifier(bold),
            jql_value: Style::new().fg(Color::Green),
            jql_function: Style::new().fg(Color::Yellow),
            jql_error: Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::UNDERLINED | bold),
        }
    }
}

impl Theme {
    /// The default theme, or a monochrome one when `NO_COLOR` is set (https://no-color.org).
    pub fn from_env() -> Self {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Self::monochrome(),
            _ => Self::default(),
        }
    }

    pub fn monochrome() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let under = Style::new().add_modifier(Modifier::UNDERLINED);
        Self {
            border: plain,
            border_focused: bold,
            title: bold,
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            header: bold.add_modifier(Modifier::UNDERLINED),
            key: bold,
            dim: plain,
            error: bold,
            info: plain,
            label: bold,
            heading: bold,
            code: plain,
            link: under,
            mention: bold,
            quote: Style::new().add_modifier(Modifier::ITALIC),
            status_todo: plain,
            status_progress: plain,
            status_done: plain,
            jql_field: plain,
            jql_operator: plain,
            jql_keyword: bold,
            jql_value: plain,
            jql_function: plain,
            jql_error: under.add_modifier(Modifier::BOLD),
        }
    }

    pub fn status(&self, category: StatusCategory) -> Style {
        match category {
            StatusCategory::ToDo | StatusCategory::Unknown => self.status_todo,
            StatusCategory::InProgress => self.status_progress,
            StatusCategory::Done => self.status_done,
        }
    }
}
