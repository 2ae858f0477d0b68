//! The filter picker: the user's favourite and own saved filters in two sections,
//! narrowed by typing, and the quick filters bound to single keys.

use std::cell::Cell;

use super::{LoadStatus, TextInput};
use crate::jql::{Direction, JqlBuilder, Operator};
use crate::sanitize::sanitize_field;

/// A saved filter as the picker shows it; strings are sanitised on the way in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterItem {
    pub id: String,
    pub name: String,
    /// `None` when Jira did not send it (the picker says so instead of running nothing).
    pub jql: Option<String>,
    pub owner: String,
}

impl FilterItem {
    pub fn from_filter(f: &crate::jira::models::Filter) -> Self {
        let clean = |s: &str| sanitize_field(s).trim().to_owned();
        Self {
            id: clean(&f.id),
            name: clean(&f.name),
            jql: f
                .jql
                .as_deref()
                .map(|j| sanitize_field(j).trim().to_owned())
                .filter(|j| !j.is_empty()),
            owner: f
                .owner
                .as_ref()
                .map(|u| clean(&u.display_name))
                .unwrap_or_default(),
        }
    }
}

/// The two lists the picker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Favourites,
    Mine,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Favourites => "Favourites",
            Section::Mine => "My filters",
        }
    }
}

/// One source list: its items and how loading it went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterList {
    pub status: LoadStatus,
    pub items: Vec<FilterItem>,
}

#[derive(Debug, Default)]
pub struct FiltersState {
    /// Whether the picker is open.
    pub open: bool,
    pub favourites: FilterList,
    pub mine: FilterList,
    /// Type-to-filter, matched against names (case-insensitive substring).
    pub query: TextInput,
    /// Index into `visible()`.
    pub selected: usize,
    /// First visible row; drawing keeps the selection in view.
    pub offset: Cell<usize>,
}

impl FiltersState {
    pub fn is_loading(&self) -> bool {
        self.favourites.status.is_loading() || self.mine.status.is_loading()
    }

    /// The filters shown, in order: favourites, then own filters that are not already
    /// among the favourites; both narrowed by the query.
    pub fn visible(&self) -> Vec<(Section, &FilterItem)> {
        let needle = self.query.text().trim().to_lowercase();
        let matches = |f: &FilterItem| needle.is_empty() || f.name.to_lowercase().contains(&needle);
        let mut out: Vec<(Section, &FilterItem)> = Vec::new();
        for f in &self.favourites.items {
            if matches(f) && !out.iter().any(|(_, seen)| seen.id == f.id) {
                out.push((Section::Favourites, f));
            }
        }
        for f in &self.mine.items {
            let is_favourite = self.favourites.items.iter().any(|fav| fav.id == f.id);
            if matches(f) && !is_favourite && !out.iter().any(|(_, seen)| seen.id == f.id) {
                out.push((Section::Mine, f));
            }
        }
        out
    }

    pub fn selected_item(&self) -> Option<&FilterItem> {
        self.visible().get(self.selected).map(|(_, f)| *f)
    }

    pub fn clamp_selection(&mut self) {
        let len = self.visible().len();
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// The searches on single keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickFilter {
    /// Open issues assigned to me.
    Mine,
    /// Issues I reported.
    Reported,
    /// Updated in the last week.
    Recent,
    /// Open, unassigned issues of a project.
    Unassigned,
}

/// How far back "recently updated" looks.
pub const RECENT_DAYS: &str = "-7d";

impl QuickFilter {
    /// The query; `project` is needed (and used) only by [`QuickFilter::Unassigned`],
    /// which gives `None` without one.
    pub fn jql(self, project: Option<&str>) -> Option<String> {
        let builder = JqlBuilder::new();
        let builder = match self {
            QuickFilter::Mine => builder
                .function(
                    "assignee",
                    Operator::Eq,
                    "currentUser",
                    Vec::<String>::new(),
                )
                .not_eq("statusCategory", "Done"),
            QuickFilter::Reported => builder.function(
                "reporter",
                Operator::Eq,
                "currentUser",
                Vec::<String>::new(),
            ),
            QuickFilter::Recent => builder.gte("updated", RECENT_DAYS),
            QuickFilter::Unassigned => builder
                .eq("project", project?)
                .is_empty("assignee")
                .not_eq("statusCategory", "Done"),
        };
        Some(builder.order_by("updated", Direction::Desc).to_jql())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, name: &str) -> FilterItem {
        FilterItem {
            id: id.into(),
            name: name.into(),
            jql: Some(format!("filter = {id}")),
            owner: "Dana".into(),
        }
    }

    #[test]
    fn sections_dedup_and_narrow_case_insensitively() {
        let mut state = FiltersState::default();
        state.favourites.items = vec![item("1", "My open bugs"), item("2", "Release 4.2")];
        state.mine.items = vec![item("2", "Release 4.2"), item("3", "Open support tickets")];
        let names = |s: &FiltersState| {
            s.visible()
                .iter()
                .map(|(sec, f)| (*sec, f.name.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&state),
            vec![
                (Section::Favourites, "My open bugs".to_owned()),
                (Section::Favourites, "Release 4.2".to_owned()),
                (Section::Mine, "Open support tickets".to_owned()),
            ]
        );
        state.query = TextInput::new("OPEN");
        assert_eq!(
            names(&state),
            vec![
                (Section::Favourites, "My open bugs".to_owned()),
                (Section::Mine, "Open support tickets".to_owned()),
            ]
        );
        state.selected = 5;
        state.clamp_selection();
        assert_eq!(state.selected_item().unwrap().id, "3");
    }

    #[test]
    fn quick_filters_are_built_not_pasted() {
        assert_eq!(
            QuickFilter::Mine.jql(None).unwrap(),
            "assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"
        );
        assert_eq!(
            QuickFilter::Reported.jql(None).unwrap(),
            "reporter = currentUser() ORDER BY updated DESC"
        );
        assert_eq!(
            QuickFilter::Recent.jql(None).unwrap(),
            "updated >= -7d ORDER BY updated DESC"
        );
        assert_eq!(QuickFilter::Unassigned.jql(None), None);
        assert_eq!(
            QuickFilter::Unassigned.jql(Some("OR")).unwrap(),
            "project = \"OR\" AND assignee IS EMPTY AND statusCategory != Done ORDER BY updated DESC"
        );
    }
}
