//! The welcome screen shown when no Jira site is configured: how to sign in, or how to
//! try jtui on the built-in demo, instead of an error.

use anyhow::Result;
use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use crate::session::TOKEN_PAGE;

pub fn lines(config_path: &str, theme: &Theme) -> Vec<Line<'static>> {
    let cmd = |c: &str, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {c:<14}"), theme.key),
            Span::raw(what.to_owned()),
        ])
    };
    vec![
        Line::from(Span::styled("Welcome to jtui", theme.heading)),
        Line::default(),
        Line::from("jtui needs a Jira Cloud site to talk to. Quit (q) and run one of:"),
        Line::default(),
        cmd(
            "jtui login",
            "sign in to your site; the API token goes to the OS keyring",
        ),
        cmd(
            "jtui demo",
            "try jtui on a built-in demo Jira, no account needed",
        ),
        Line::default(),
        Line::from("Create an API token at:"),
        Line::from(Span::styled(format!("  {TOKEN_PAGE}"), theme.link)),
        Line::default(),
        Line::from("For a one-off session (scripts, CI, containers) set JIRA_BASE_URL,"),
        Line::from("JIRA_USER_EMAIL and JIRA_API_TOKEN instead."),
        Line::default(),
        Line::from(vec![
            Span::styled("Config file: ", theme.dim),
            Span::raw(config_path.to_owned()),
        ]),
        Line::default(),
        Line::from(Span::styled("Press q to quit.", theme.dim)),
    ]
}

pub fn render(frame: &mut Frame, config_path: &str, theme: &Theme) {
    let lines = lines(config_path, theme);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let [area] = Layout::horizontal([Constraint::Length(84)])
        .flex(Flex::Center)
        .areas(frame.area());
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(" jtui ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Shows the screen until the user quits.
pub async fn run<B: Backend>(terminal: &mut Terminal<B>, config_path: &str) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let theme = Theme::from_env();
    let mut events = EventStream::new();
    loop {
        terminal.draw(|f| render(f, config_path, &theme))?;
        match events.next().await {
            Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                let ctrl_c =
                    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
                if ctrl_c || matches!(key.code, KeyCode::Char('q') | KeyCode::Esc | KeyCode::Enter)
                {
                    return Ok(());
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(e.into()),
            None => return Ok(()),
        }
    }
}
