//! Handler of `GET /mypermissions`: which of the asked permissions the caller holds, from
//! the store's per-user permission sets (everyone holds everything unless limited there).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{Ctx, ISSUE_NOT_FOUND, bad_request, error, ok, unauthorized};

/// The permissions the emulator knows, as Jira Cloud's `GET /permissions` describes them:
/// (key, id, name, type, description).
const PERMISSIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ADMINISTER",
        "0",
        "Administer Jira",
        "GLOBAL",
        "Create and administer projects, issue types, fields, workflows, and schemes for all projects.",
    ),
    (
        "BROWSE_PROJECTS",
        "10",
        "Browse Projects",
        "PROJECT",
        "Ability to browse projects and the issues within them.",
    ),
    (
        "CREATE_ISSUES",
        "11",
        "Create Issues",
        "PROJECT",
        "Ability to create issues.",
    ),
    (
        "EDIT_ISSUES",
        "12",
        "Edit Issues",
        "PROJECT",
        "Ability to edit issues.",
    ),
    (
        "ASSIGN_ISSUES",
        "13",
        "Assign Issues",
        "PROJECT",
        "Ability to assign issues to other people.",
    ),
    (
        "RESOLVE_ISSUES",
        "14",
        "Resolve Issues",
        "PROJECT",
        "Ability to resolve and reopen issues. This includes the ability to set a fix version.",
    ),
    (
        "ADD_COMMENTS",
        "15",
        "Add Comments",
        "PROJECT",
        "Ability to comment on issues.",
    ),
    (
        "DELETE_ISSUES",
        "16",
        "Delete Issues",
        "PROJECT",
        "Ability to delete issues.",
    ),
    (
        "ASSIGNABLE_USER",
        "17",
        "Assignable User",
        "PROJECT",
        "Users with this permission may be assigned to issues.",
    ),
    (
        "CLOSE_ISSUES",
        "18",
        "Close Issues",
        "PROJECT",
        "Ability to close issues. Often useful where your developers resolve issues, and a QA department closes them.",
    ),
    (
        "CREATE_ATTACHMENTS",
        "19",
        "Create Attachments",
        "PROJECT",
        "Users with this permission may create attachments.",
    ),
    (
        "WORK_ON_ISSUES",
        "20",
        "Work On Issues",
        "PROJECT",
        "Ability to log work done against an issue. Only useful if Time Tracking is turned on.",
    ),
    (
        "LINK_ISSUES",
        "21",
        "Link Issues",
        "PROJECT",
        "Ability to link issues together and create linked issues. Only useful if issue linking is turned on.",
    ),
    (
        "ADMINISTER_PROJECTS",
        "23",
        "Administer Projects",
        "PROJECT",
        "Ability to administer a project in Jira.",
    ),
    (
        "USER_PICKER",
        "27",
        "Browse users and groups",
        "GLOBAL",
        "View and select users or groups from the user picker, and share issues. Users with this permission can see the names of all users and groups on your site.",
    ),
    (
        "MANAGE_WATCHERS",
        "32",
        "Manage Watchers",
        "PROJECT",
        "Ability to manage the watchers of an issue.",
    ),
    (
        "EDIT_OWN_COMMENTS",
        "35",
        "Edit Own Comments",
        "PROJECT",
        "Ability to edit own comments made on issues.",
    ),
    (
        "DELETE_OWN_COMMENTS",
        "37",
        "Delete Own Comments",
        "PROJECT",
        "Ability to delete own comments made on issues.",
    ),
    (
        "TRANSITION_ISSUES",
        "46",
        "Transition Issues",
        "PROJECT",
        "Ability to transition issues.",
    ),
];

/// Jira's answer when `permissions` is missing (required since 2019; quoted in client
/// libraries' bug reports, e.g. pytest_jira#111).
const PERMISSIONS_REQUIRED: &str = "The 'permissions' query parameter is required.";

impl Ctx<'_> {
    pub(super) fn my_permissions(&self) -> Response {
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let asked: Vec<String> = self
            .req
            .params("permissions")
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect();
        if asked.is_empty() {
            return bad_request(PERMISSIONS_REQUIRED);
        }
        let mut keys = Vec::new();
        for key in &asked {
            match PERMISSIONS.iter().find(|p| p.0 == key) {
                Some(known) => keys.push(known.0),
                // The spec documents a 400 for an invalid key; the wording is ours.
                None => {
                    return bad_request(&format!(
                        "The permission key '{key}' is not valid. GET /rest/api/3/permissions lists the keys."
                    ));
                }
            }
        }
        if let Some(response) = self.missing_context() {
            return response;
        }
        let store = self.store();
        let permissions: Map<String, Value> = PERMISSIONS
            .iter()
            .filter(|p| keys.contains(&p.0))
            .map(|(key, id, name, kind, description)| {
                (
                    (*key).to_owned(),
                    json!({
                        "id": id,
                        "key": key,
                        "name": name,
                        "type": kind,
                        "description": description,
                        "havePermission": store.has_permission(me, key),
                    }),
                )
            })
            .collect();
        ok(&json!({ "permissions": permissions }))
    }

    /// A 404 when the project or issue the permissions are asked about does not exist
    /// (`projectId` wins over `projectKey`, `issueId` over `issueKey`, as Jira documents).
    fn missing_context(&self) -> Option<Response> {
        let store = self.store();
        let project_missing = match (self.req.param("projectId"), self.req.param("projectKey")) {
            (Some(id), _) => (!store.projects.iter().any(|p| p.id.to_string() == id.trim()))
                .then(|| format!("No project could be found with id '{id}'.")),
            (None, Some(key)) => (!store
                .projects
                .iter()
                .any(|p| p.key.eq_ignore_ascii_case(key.trim())))
            .then(|| format!("No project could be found with key '{key}'.")),
            (None, None) => None,
        };
        if let Some(message) = project_missing {
            return Some(error(StatusCode::NOT_FOUND, &[&message]));
        }
        let issue_found = match (self.req.param("issueId"), self.req.param("issueKey")) {
            (Some(id), _) => Some(store.issues.iter().any(|i| i.id.to_string() == id.trim())),
            (None, Some(key)) => Some(self.db.issue_pos(key.trim()).is_some()),
            (None, None) => None,
        };
        (issue_found == Some(false)).then(|| error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]))
    }
}
