//! The projects pane: the list of projects and its type-to-filter input.

use std::cell::Cell;

use serde::{Deserialize, Serialize};

use super::{LoadStatus, TextInput};

/// A project as the pane shows it; strings are sanitised on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectItem {
    pub key: String,
    pub name: String,
    /// `software`, `business`, `service_desk`.
    pub kind: String,
}

#[derive(Debug, Default)]
pub struct ProjectsState {
    pub status: LoadStatus,
    pub items: Vec<ProjectItem>,
    pub filter: TextInput,
    /// Index into `visible()`.
    pub selected: usize,
    /// First visible row; drawing keeps the selection in view.
    pub offset: Cell<usize>,
    /// The project whose issues the results pane shows, if it came from here.
    pub active: Option<String>,
}

impl ProjectsState {
    /// Indices of the items matching the filter (case-insensitive, on key or name).
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.filter.text().to_lowercase();
        self.items
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                needle.is_empty()
                    || p.key.to_lowercase().contains(&needle)
                    || p.name.to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub fn selected_item(&self) -> Option<&ProjectItem> {
        self.visible().get(self.selected).map(|&i| &self.items[i])
    }

    pub fn clamp_selection(&mut self) {
        let len = self.visible().len();
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

impl ProjectItem {
    pub fn from_project(p: &crate::jira::models::Project) -> Self {
        use crate::sanitize::sanitize_field;
        Self {
            key: sanitize_field(&p.key),
            name: sanitize_field(&p.name),
            kind: sanitize_field(p.project_type_key.as_deref().unwrap_or("")),
        }
    }
}
