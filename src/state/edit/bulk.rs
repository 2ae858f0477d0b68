//! Bulk changes: what to do to the marked issues, the reads it needs first, and the run
//! that sends one write per issue, one issue at a time, with its per-issue outcome.

use crate::jira::models::Transition;
use crate::jira::worker::{JiraRequest, RequestId};
use crate::state::search::StatusCategory;

use super::PickField;

/// The changes the bulk menu offers, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAction {
    Transition,
    AssignToMe,
    /// Someone chosen in the user picker.
    Assignee,
    Unassign,
    Priority,
    AddLabels,
    RemoveLabels,
    /// Into one of the open sprints (or out of the sprint).
    Sprint,
}

impl BulkAction {
    pub const ALL: [BulkAction; 8] = [
        BulkAction::Transition,
        BulkAction::AssignToMe,
        BulkAction::Assignee,
        BulkAction::Unassign,
        BulkAction::Priority,
        BulkAction::AddLabels,
        BulkAction::RemoveLabels,
        BulkAction::Sprint,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BulkAction::Transition => "Transition…",
            BulkAction::AssignToMe => "Assign to me",
            BulkAction::Assignee => "Assignee…",
            BulkAction::Unassign => "Unassign",
            BulkAction::Priority => "Priority…",
            BulkAction::AddLabels => "Add labels…",
            BulkAction::RemoveLabels => "Remove labels…",
            BulkAction::Sprint => "Sprint…",
        }
    }

    /// Its row in the bulk menu.
    pub fn index(self) -> usize {
        BulkAction::ALL
            .iter()
            .position(|a| *a == self)
            .unwrap_or_default()
    }
}

/// Where the bulk menu is.
#[derive(Debug, Clone)]
pub enum BulkStep {
    /// Choosing what to do.
    Actions { selected: usize },
    /// Choosing the value in the shared picker: a priority among the first issue's
    /// allowed values, an assignable user, labels to add or remove.
    Pick {
        action: BulkAction,
        field: Box<PickField>,
    },
}

#[derive(Debug, Clone)]
pub struct BulkMenu {
    /// The marked issues, in the order of the results.
    pub keys: Vec<String>,
    pub step: BulkStep,
    /// The field a picked value is written to when the site names it (the sprint's
    /// custom field id, from the first issue's editmeta).
    pub field_id: Option<String>,
}

/// Reading what a bulk change needs, one issue at a time (a newer read of the same kind
/// would cancel the older one).
#[derive(Debug, Clone)]
pub struct BulkFetch {
    pub keys: Vec<String>,
    pub action: BulkAction,
    /// The request out now.
    pub request: RequestId,
    /// Each issue's transitions, as they came in (transition reads only).
    pub transitions: Vec<(String, Vec<Transition>)>,
}

/// What a successful write shows in the row and the detail pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A field's new value, as text.
    Field { field: String, value: String },
    /// The new status.
    Status {
        name: String,
        category: StatusCategory,
    },
    /// Labels added and removed.
    Labels {
        add: Vec<String>,
        remove: Vec<String>,
    },
}

/// One issue's write in a bulk run.
#[derive(Debug, Clone)]
pub struct BulkJob {
    pub key: String,
    pub write: JiraRequest,
    /// The field ids written, to find Jira's message about them.
    pub fields: Vec<String>,
    pub shown: Shown,
}

/// How one issue's write ended.
#[derive(Debug, Clone, PartialEq)]
pub enum BulkOutcome {
    Done,
    /// Jira's reason.
    Failed(String),
}

/// A bulk change under way: writes go out one at a time; Esc stops the rest.
#[derive(Debug, Clone)]
pub struct BulkRun {
    /// "Transition to Done", "Priority: High".
    pub title: String,
    /// "Transitioning", "Setting priority".
    pub verb: String,
    pub jobs: Vec<BulkJob>,
    /// How many writes were sent.
    pub sent: usize,
    /// The write Jira has not answered yet.
    pub in_flight: Option<RequestId>,
    /// Per issue, in the order they were sent.
    pub outcomes: Vec<(String, BulkOutcome)>,
    /// The user pressed Esc: no further write is sent.
    pub stopped: bool,
}

impl BulkRun {
    pub fn new(title: String, verb: String, jobs: Vec<BulkJob>) -> BulkRun {
        BulkRun {
            title,
            verb,
            jobs,
            sent: 0,
            in_flight: None,
            outcomes: Vec::new(),
            stopped: false,
        }
    }

    /// Nothing more will be sent and nothing is out.
    pub fn finished(&self) -> bool {
        self.in_flight.is_none() && (self.stopped || self.sent >= self.jobs.len())
    }

    pub fn failed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.outcomes.iter().filter_map(|(k, o)| match o {
            BulkOutcome::Failed(why) => Some((k.as_str(), why.as_str())),
            BulkOutcome::Done => None,
        })
    }

    pub fn succeeded(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, o)| *o == BulkOutcome::Done)
            .count()
    }
}

/// A results row's labels (`"a, b"`) after adding and removing some.
pub fn labels_after(current: &str, add: &[String], remove: &[String]) -> String {
    let mut labels: Vec<String> = current
        .split(", ")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    labels.retain(|l| !remove.contains(l));
    for label in add {
        if !labels.contains(label) {
            labels.push(label.clone());
        }
    }
    labels.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_after_adds_and_removes() {
        let add = vec!["ui".to_owned(), "a".to_owned()];
        let remove = vec!["b".to_owned()];
        assert_eq!(labels_after("a, b", &add, &remove), "a, ui");
        assert_eq!(labels_after("", &add, &[]), "ui, a");
    }
}
