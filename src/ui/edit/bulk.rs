//! The bulk popups: what to change on the marked issues, and the run's progress and
//! summary.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::{MAX_WIDTH, MENU_MAX_HEIGHT, input_line, line, popup};
use crate::state::edit::bulk::{BulkAction, BulkMenu, BulkOutcome, BulkRun, BulkStep};
use crate::ui::{Theme, text};

pub fn render_menu(
    buf: &mut Buffer,
    screen: Rect,
    menu: &BulkMenu,
    theme: &Theme,
) -> Option<(u16, u16)> {
    let n = menu.keys.len();
    match &menu.step {
        BulkStep::Actions { selected } => {
            let rows = u16::try_from(BulkAction::ALL.len()).unwrap_or(u16::MAX);
            let inner = popup(
                buf,
                screen,
                60,
                rows + 3,
                &format!("Change {n} marked issues"),
                "↑↓ · Enter choose · Esc close",
                theme,
            );
            line(
                buf,
                inner,
                0,
                vec![Span::styled(
                    "One write per issue, in turn; no conflict check",
                    theme.dim,
                )],
            );
            for (i, action) in BulkAction::ALL.iter().enumerate() {
                let style = if i == *selected {
                    theme.selected
                } else {
                    Style::default()
                };
                let y = u16::try_from(i + 1).unwrap_or(u16::MAX);
                line(buf, inner, y, vec![Span::styled(action.label(), style)]);
            }
            None
        }
        BulkStep::Priority { options, selected } => {
            let rows = u16::try_from(options.len()).unwrap_or(u16::MAX);
            let inner = popup(
                buf,
                screen,
                50,
                (rows + 2).min(MENU_MAX_HEIGHT),
                &format!("Priority of {n} marked issues"),
                "↑↓ · Enter set · Esc back",
                theme,
            );
            let offset = selected.saturating_sub(usize::from(inner.height).saturating_sub(1));
            for (i, option) in options.iter().enumerate().skip(offset) {
                let style = if i == *selected {
                    theme.selected
                } else {
                    Style::default()
                };
                let y = u16::try_from(i - offset).unwrap_or(u16::MAX);
                line(
                    buf,
                    inner,
                    y,
                    vec![Span::styled(option.label.clone(), style)],
                );
            }
            None
        }
        BulkStep::Labels { add, input, error } => {
            let verb = if *add {
                "Add labels to"
            } else {
                "Remove labels from"
            };
            let inner = popup(
                buf,
                screen,
                MAX_WIDTH,
                3 + u16::from(error.is_some()),
                &format!("{verb} {n} marked issues"),
                "labels separated by spaces · Enter apply · Esc back",
                theme,
            );
            let cursor = input_line(buf, inner, 0, "Labels: ", input, theme);
            if let Some(error) = error {
                line(
                    buf,
                    inner,
                    1,
                    vec![Span::styled(error.clone(), theme.error)],
                );
            }
            Some(cursor)
        }
    }
}

pub fn render_run(buf: &mut Buffer, screen: Rect, run: &BulkRun, theme: &Theme) {
    let total = run.jobs.len();
    let rows = u16::try_from(run.outcomes.len() + 2).unwrap_or(u16::MAX);
    let finished = run.finished();
    let hint = if finished {
        "Enter / Esc close"
    } else if run.stopped {
        "stopping…"
    } else {
        "Esc stop sending the rest"
    };
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH,
        (rows + 2).min(MENU_MAX_HEIGHT),
        &format!("Bulk: {}", run.title),
        hint,
        theme,
    );
    let width = usize::from(inner.width);
    let head = if finished {
        let failed = run.failed().count();
        let mut head = format!("Done: {} of {total} changed", run.succeeded());
        if failed > 0 {
            head.push_str(&format!(", {failed} failed (they stay marked)"));
        }
        if run.stopped && run.sent < total {
            head.push_str(&format!(", {} not sent (stopped)", total - run.sent));
        }
        head
    } else {
        let key = run
            .jobs
            .get(run.sent.saturating_sub(1))
            .map(|j| j.key.as_str())
            .unwrap_or_default();
        format!("{} {}/{total}: {key}…", run.verb, run.sent)
    };
    let head_style = if finished && run.failed().count() > 0 {
        theme.error
    } else {
        theme.info
    };
    line(
        buf,
        inner,
        0,
        vec![Span::styled(text::truncate(&head, width), head_style)],
    );
    // The newest outcomes stay in view; failures are what the user needs to read.
    let room = usize::from(inner.height.saturating_sub(1));
    let skip = run.outcomes.len().saturating_sub(room);
    for (i, (key, outcome)) in run.outcomes.iter().skip(skip).enumerate() {
        let y = u16::try_from(i + 1).unwrap_or(u16::MAX);
        let spans = match outcome {
            BulkOutcome::Done => vec![
                Span::styled("✓ ", theme.status_done),
                Span::raw(key.clone()),
            ],
            BulkOutcome::Failed(why) => vec![
                Span::styled("✗ ", theme.error),
                Span::raw(format!("{key}: ")),
                Span::styled(
                    text::truncate(why, width.saturating_sub(key.len() + 4)),
                    theme.error,
                ),
            ],
        };
        line(buf, inner, y, spans);
    }
}
