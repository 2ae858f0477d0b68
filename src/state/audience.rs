//! Who may see a comment: everyone, a project role or one of the user's groups. What
//! Jira offers arrives after the editor opens (roles from `/project/{key}/role`, groups
//! from `/myself?expand=groups`); Ctrl-V opens a filterable list of it over the editor.
//! Shared by the comment editor and the comment of a transition's screen.

use serde_json::Value;

use super::picker::{Picker, PickerItem};
use crate::jira::models::GroupName;
use crate::jira::worker::RequestId;
use crate::jira::write::CommentVisibility;

/// The choice and what Jira offers for it.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    /// Project roles a comment may be restricted to (Jira lists them to project
    /// administrators only; empty for everyone else).
    pub roles: Vec<String>,
    pub roles_request: Option<RequestId>,
    /// The user's groups (sanitised names).
    pub groups: Vec<GroupName>,
    pub groups_request: Option<RequestId>,
    /// The chosen visibility; `None` is everyone.
    pub chosen: Option<CommentVisibility>,
    /// The list open over the editor.
    pub picker: Option<Picker>,
}

impl Audience {
    /// Whether the roles or groups are still on their way.
    pub fn is_loading(&self) -> bool {
        self.roles_request.is_some() || self.groups_request.is_some()
    }

    /// The choice as the editor shows it: "everyone", "role Developers".
    pub fn label(&self) -> String {
        visibility_label(self.chosen.as_ref())
    }

    /// Whether `id` is a request this waits for.
    pub fn awaits(&self, id: RequestId) -> bool {
        self.roles_request == Some(id) || self.groups_request == Some(id)
    }

    /// Who Jira lets the comment be restricted to: everyone, each project role, each of
    /// the user's groups; and the current choice, should Jira no longer list it (an
    /// existing comment's role, when the roles cannot be read), so it is never dropped.
    pub fn items(&self) -> Vec<PickerItem> {
        let mut items = vec![visibility_item(None)];
        items.extend(
            self.roles
                .iter()
                .map(|r| visibility_item(Some(&CommentVisibility::role(r.clone())))),
        );
        items.extend(self.groups.iter().map(|g| {
            visibility_item(Some(&CommentVisibility::group(
                g.name.clone(),
                g.group_id.clone(),
            )))
        }));
        let current = visibility_id(self.chosen.as_ref());
        if !items.iter().any(|i| i.id == current) {
            items.push(visibility_item(self.chosen.as_ref()));
        }
        items
    }

    /// Opens the list on the current choice.
    pub fn open_picker(&mut self) {
        let current = visibility_id(self.chosen.as_ref());
        let mut picker = Picker::single(self.items(), Some(&current));
        picker.set_loading(self.is_loading());
        self.picker = Some(picker);
    }

    /// The open list, brought up to date with the roles and groups that arrived since
    /// it opened.
    pub fn refresh_picker(&mut self) {
        let items = self.items();
        let loading = self.is_loading();
        if let Some(picker) = &mut self.picker {
            picker.set_items(items);
            picker.set_loading(loading);
        }
    }

    /// Nothing pending and the list closed: kept to reopen after a failed save, when no
    /// answer will reach it (what came stays; the choice stays).
    pub fn settle(&mut self) {
        self.roles_request = None;
        self.groups_request = None;
        self.picker = None;
    }

    /// Whether Jira offers anything but "everyone".
    pub fn offers_restriction(&self) -> bool {
        !self.roles.is_empty() || !self.groups.is_empty()
    }
}

/// The picker id of a visibility: `everyone`, `role:Developers`, `group:<id or name>`.
fn visibility_id(visibility: Option<&CommentVisibility>) -> String {
    match visibility {
        None => "everyone".to_owned(),
        Some(v) if v.is_group() => {
            format!("group:{}", v.identifier.as_deref().unwrap_or(&v.value))
        }
        Some(v) => format!("{}:{}", v.kind, v.value),
    }
}

/// A visibility as a row of the list; its value is the visibility to send (`null`:
/// everyone).
fn visibility_item(visibility: Option<&CommentVisibility>) -> PickerItem {
    let id = visibility_id(visibility);
    match visibility {
        None => PickerItem::new(
            id,
            "Everyone",
            Some("anyone who can see the issue"),
            Value::Null,
        ),
        Some(v) => PickerItem::new(
            id,
            &v.value,
            Some(if v.is_group() {
                "group"
            } else {
                "project role"
            }),
            serde_json::to_value(v).unwrap_or(Value::Null),
        ),
    }
}

/// The visibility a chosen row stands for.
pub fn chosen_visibility(item: &PickerItem) -> Option<CommentVisibility> {
    serde_json::from_value(item.value.clone()).ok()
}

pub fn visibility_label(visibility: Option<&CommentVisibility>) -> String {
    match visibility {
        None => "everyone".to_owned(),
        Some(v) => format!("{} {}", v.kind, v.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_everyone_roles_then_groups_and_a_group_row_carries_its_id() {
        let audience = Audience {
            roles: vec!["Developers".into()],
            groups: vec![GroupName {
                name: "robotics-core".into(),
                group_id: Some("e6b1".into()),
            }],
            ..Audience::default()
        };
        let items = audience.items();
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["everyone", "role:Developers", "group:e6b1"]);
        assert_eq!(chosen_visibility(&items[0]), None);
        assert_eq!(
            chosen_visibility(&items[2]),
            Some(CommentVisibility::group(
                "robotics-core",
                Some("e6b1".into())
            ))
        );
    }

    #[test]
    fn a_current_visibility_jira_no_longer_lists_stays_offered() {
        let mut audience = Audience {
            chosen: Some(CommentVisibility::role("Service Desk Team")),
            ..Audience::default()
        };
        audience.open_picker();
        let picker = audience.picker.as_ref().unwrap();
        assert_eq!(picker.current(), Some("role:Service Desk Team"));
        assert!(
            picker
                .items()
                .iter()
                .any(|i| i.label == "Service Desk Team")
        );
    }

    #[test]
    fn roles_and_groups_arriving_later_fill_the_open_list() {
        let mut audience = Audience {
            groups_request: Some(7),
            ..Audience::default()
        };
        audience.open_picker();
        assert!(audience.picker.as_ref().unwrap().is_loading());
        assert!(audience.awaits(7));
        audience.groups_request = None;
        audience.groups = vec![GroupName {
            name: "site-admins".into(),
            group_id: None,
        }];
        audience.refresh_picker();
        let picker = audience.picker.as_ref().unwrap();
        assert!(!picker.is_loading());
        assert_eq!(picker.items().len(), 2);
        assert_eq!(picker.items()[1].id, "group:site-admins");
    }
}
