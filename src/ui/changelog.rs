//! The issue pane's History tab: the changelog, newest first, as author and date, then
//! one `field: from → to` line per change, wrapped to the pane.

use crate::jira::adf::{RichLine, RichSpan, TextStyle};
use crate::state::issue::{FieldChange, IssueDetail};

/// Change lines are indented this much under their author line.
const CHANGE_INDENT: usize = 2;
/// Shown for an empty side of a change (a field set for the first time, or cleared).
const NOTHING: &str = "—";

fn change_text(change: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        change.field,
        change.from.as_deref().unwrap_or(NOTHING),
        change.to.as_deref().unwrap_or(NOTHING)
    )
}

/// The History tab's lines for `width` columns. `wrap` lays plain text out like the
/// rest of the pane does.
pub fn history_lines(
    detail: &IssueDetail,
    width: usize,
    wrap: impl Fn(&str, usize, TextStyle) -> Vec<RichLine>,
) -> Vec<RichLine> {
    let bold = TextStyle {
        bold: true,
        ..TextStyle::default()
    };
    let dim = TextStyle {
        dim: true,
        ..TextStyle::default()
    };
    let heading = TextStyle {
        heading: 2,
        ..TextStyle::default()
    };
    let mut out = Vec::new();
    let shown = detail.history.len() as u64;
    let count = match (detail.history_total > shown, shown) {
        (true, _) => format!(
            "History (latest {shown} of {} changes)",
            detail.history_total
        ),
        (false, 1) => "History (1 change)".to_owned(),
        (false, n) => format!("History ({n} changes)"),
    };
    out.push(RichLine {
        spans: vec![RichSpan::new(count, heading)],
    });
    if detail.history.is_empty() {
        out.push(RichLine {
            spans: vec![RichSpan::new("No changes recorded.", dim)],
        });
        return out;
    }
    let change_width = width.saturating_sub(CHANGE_INDENT).max(1);
    for entry in &detail.history {
        out.push(RichLine {
            spans: vec![
                RichSpan::new(entry.author.clone(), bold),
                RichSpan::new(format!(" · {}", entry.created), dim),
            ],
        });
        for change in &entry.changes {
            for mut line in wrap(&change_text(change), change_width, TextStyle::default()) {
                line.spans.insert(
                    0,
                    RichSpan::new(" ".repeat(CHANGE_INDENT), TextStyle::default()),
                );
                out.push(line);
            }
        }
        out.push(RichLine::default());
    }
    out
}
