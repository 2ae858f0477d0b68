//! The bulk popups: what to change on the marked issues, the shared picker for the value
//! (priority, assignee, labels), and the run's progress and summary.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use ratatui::Frame;

use super::{MAX_WIDTH, MENU_MAX_HEIGHT, line, picker_area, popup};
use crate::state::edit::PickField;
use crate::state::edit::bulk::{BulkAction, BulkMenu, BulkOutcome, BulkRun, BulkStep};
use crate::ui::{Theme, text};

pub fn render_menu(buf: &mut Buffer, screen: Rect, menu: &BulkMenu, theme: &Theme) {
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
        }
        // Drawn by `render_pick`, with the frame.
        BulkStep::Pick { .. } => {}
    }
}

/// The picker of a bulk change (a priority, a user, labels), titled with what it does.
pub fn render_pick(
    frame: &mut Frame,
    screen: Rect,
    marked: usize,
    action: BulkAction,
    field: &PickField,
    theme: &Theme,
) {
    let title = match action {
        BulkAction::Assignee => format!("Assign {marked} marked issues to"),
        BulkAction::Priority => format!("Priority of {marked} marked issues"),
        BulkAction::AddLabels => format!("Add labels to {marked} marked issues"),
        BulkAction::RemoveLabels => format!("Remove labels from {marked} marked issues"),
        BulkAction::Sprint => format!("Sprint of {marked} marked issues"),
        BulkAction::Transition | BulkAction::AssignToMe | BulkAction::Unassign => {
            format!("Change {marked} marked issues")
        }
    };
    let area = picker_area(screen, field.picker.rows().len(), 0);
    crate::ui::picker::render_picker(frame, area, &field.picker, theme, &title);
}

pub fn render_run(buf: &mut Buffer, screen: Rect, run: &BulkRun, theme: &Theme) {
    let total = run.jobs.len();
    let width = usize::from(MAX_WIDTH.min(screen.width).saturating_sub(2));
    let lines = outcome_lines(run, width);
    let rows = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
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
    let skip = lines.len().saturating_sub(room);
    for (i, spans) in lines.into_iter().skip(skip).enumerate() {
        let y = u16::try_from(i + 1).unwrap_or(u16::MAX);
        let spans = spans
            .into_iter()
            .map(|(t, failed)| match failed {
                Some(true) => Span::styled(t, theme.error),
                Some(false) => Span::styled(t, theme.status_done),
                None => Span::raw(t),
            })
            .collect();
        line(buf, inner, y, spans);
    }
}

/// The per-issue lines: `✓ KEY`, or `✗ KEY: reason` with the reason wrapped to `width`
/// (it is what the user needs to read in full). Each piece says whether it is a
/// failure (`Some(true)`), a success mark (`Some(false)`) or plain.
fn outcome_lines(run: &BulkRun, width: usize) -> Vec<Vec<(String, Option<bool>)>> {
    let mut out = Vec::new();
    for (key, outcome) in &run.outcomes {
        match outcome {
            BulkOutcome::Done => {
                out.push(vec![("✓ ".to_owned(), Some(false)), (key.clone(), None)])
            }
            BulkOutcome::Failed(why) => {
                let head = format!("{key}: ");
                let indent = 2 + text::width(&head);
                let pieces = wrap(why, width.saturating_sub(indent).max(10));
                for (i, piece) in pieces.into_iter().enumerate() {
                    if i == 0 {
                        out.push(vec![
                            ("✗ ".to_owned(), Some(true)),
                            (head.clone(), None),
                            (piece, Some(true)),
                        ]);
                    } else {
                        out.push(vec![(" ".repeat(indent), None), (piece, Some(true))]);
                    }
                }
            }
        }
    }
    out
}

/// Word-wraps `s` to lines of at most `width` columns (a longer word is cut).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if text::width(&candidate) <= width {
            current = candidate;
        } else {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            current = text::truncate(word, width);
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}
