//! Who may see a comment ([`Audience`]): asking Jira for the roles and the user's groups
//! when a comment editor opens, taking the answers, and the keys of the list Ctrl-V
//! opens. Shared by the comment editor and the transition form's comment.

use crate::app::effect::Effect;
use crate::app::update::command;
use crate::config::keymap::KeyBinding;
use crate::jira::models::GroupName;
use crate::jira::worker::{JiraRequest, JiraResponse, RequestId};
use crate::sanitize::sanitize_line;
use crate::state::State;
use crate::state::audience::{Audience, chosen_visibility};
use crate::state::picker::PickerOutcome;

/// Said when the list holds "everyone" alone.
pub const NO_RESTRICTION: &str =
    "Jira offers no role or group to restrict this comment to: it is visible to everyone";

/// Asks for the roles of `project` and the user's groups (once a session: they are the
/// user's own, kept in `state.edit.my_groups`).
pub fn ask(state: &mut State, audience: &mut Audience, project: String) -> Vec<Effect> {
    let mut effects = Vec::new();
    let roles = command(state, JiraRequest::ProjectRoles { project });
    if let Effect::Jira(cmd) = &roles {
        audience.roles_request = Some(cmd.id);
    }
    effects.push(roles);
    match &state.edit.my_groups {
        Some(groups) => audience.groups = groups.clone(),
        None => {
            let groups = command(state, JiraRequest::MyGroups);
            if let Effect::Jira(cmd) = &groups {
                audience.groups_request = Some(cmd.id);
            }
            effects.push(groups);
        }
    }
    effects
}

/// Takes an answer `audience` waits for; the groups come back to be kept for the
/// session. Whether it was one.
pub fn on_response(
    audience: &mut Audience,
    id: RequestId,
    response: &JiraResponse,
) -> (bool, Option<Vec<GroupName>>) {
    match response {
        JiraResponse::Roles(roles) if audience.roles_request == Some(id) => {
            audience.roles_request = None;
            audience.roles = roles
                .iter()
                .map(|r| sanitize_line(r).into_owned())
                .collect();
            audience.refresh_picker();
            (true, None)
        }
        JiraResponse::Groups(groups) if audience.groups_request == Some(id) => {
            audience.groups_request = None;
            let groups: Vec<GroupName> = groups
                .iter()
                .map(|g| GroupName {
                    name: sanitize_line(&g.name).into_owned(),
                    group_id: g.group_id.clone(),
                })
                .collect();
            audience.groups = groups.clone();
            audience.refresh_picker();
            (true, Some(groups))
        }
        _ => (false, None),
    }
}

/// A failed read: the comment can still go to everyone (and to whatever else came).
pub fn on_error(audience: &mut Audience, id: RequestId) -> bool {
    if !audience.awaits(id) {
        return false;
    }
    if audience.roles_request == Some(id) {
        audience.roles_request = None;
    }
    if audience.groups_request == Some(id) {
        audience.groups_request = None;
    }
    audience.refresh_picker();
    true
}

/// A key while the list is open: it takes them all. Returns the notice to show, if any,
/// once a choice is made.
pub fn picker_key(audience: &mut Audience, key: KeyBinding) -> Option<&'static str> {
    let mut picker = audience.picker.take()?;
    match picker.apply(key) {
        PickerOutcome::Chosen(items) => {
            audience.chosen = items.first().and_then(chosen_visibility);
            if !audience.offers_restriction() && !audience.is_loading() {
                return Some(NO_RESTRICTION);
            }
        }
        PickerOutcome::Cancelled => {}
        _ => audience.picker = Some(picker),
    }
    None
}
