//! The emulator's own data: plain types, no HTTP, no JSON shapes of the API.
//!
//! Ids are numbers here and become strings (`"10001"`) in JSON, as Jira sends them.
//! Timestamps carry a fixed offset so they render as Jira's `2024-03-01T11:34:49.730+0200`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

pub type Timestamp = DateTime<FixedOffset>;

/// Everything the emulator knows. One per server; behind a lock in the server.
#[derive(Debug, Clone, Default)]
pub struct Store {
    /// The emulator's notion of "now", fixed at seed time so results are deterministic
    /// (relative JQL dates such as `-7d` are resolved against it).
    pub now: Option<Timestamp>,
    pub users: Vec<User>,
    /// Basic-auth credentials accepted: (email, API token) -> accountId.
    pub credentials: Vec<Credential>,
    pub projects: Vec<Project>,
    pub issue_types: Vec<IssueType>,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub resolutions: Vec<Resolution>,
    pub link_types: Vec<LinkType>,
    /// Custom field definitions (system fields are known to the server itself).
    pub custom_fields: Vec<CustomField>,
    pub sprints: Vec<Sprint>,
    /// The workflow every project uses.
    pub workflow: Workflow,
    /// Issues in creation order; `id` and `key` are unique.
    pub issues: Vec<Issue>,
    /// Saved filters; `id` is unique.
    pub filters: Vec<Filter>,
    /// Users whose permissions are limited, by account id: the permission keys
    /// (`BROWSE_PROJECTS`, ...) they hold, on every project. Anyone not listed holds every
    /// permission the emulator knows.
    pub permissions: BTreeMap<String, BTreeSet<String>>,
    /// Screens, assignable users and comment visibility levels: what the write routes
    /// check a change against.
    pub schemes: Schemes,
}

/// The parts of a site's configuration that decide what may be written: Jira's issue
/// type screen schemes (which fields each issue type's edit and create screens show, and
/// which of them are required), who may be assigned in a project, and the project roles
/// and groups a comment may be restricted to.
///
/// Anything left empty falls back to a plain default (see `emulator::screens`), so a
/// hand-made store works without configuring any of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schemes {
    /// Issue type id -> the fields of its edit screen, in screen order.
    pub edit_screens: BTreeMap<u64, Vec<ScreenField>>,
    /// Issue type id -> the fields of its create screen, in screen order.
    pub create_screens: BTreeMap<u64, Vec<ScreenField>>,
    /// Project id -> account ids holding *Assignable user* there. A project not listed
    /// lets every active `atlassian` account be assigned.
    pub assignable: BTreeMap<u64, Vec<String>>,
    /// Project roles a comment may be restricted to (`visibility.type = role`).
    pub roles: Vec<String>,
    /// Who holds a role in a project: (project id, role name) -> account ids. A pair
    /// not listed lets everyone hold that role there (a hand-made store, the demo's
    /// Users role).
    pub role_members: BTreeMap<(u64, String), BTreeSet<String>>,
    /// The site's groups: what `GET /myself?expand=groups` and `GET /user/groups` list,
    /// and what a comment may be restricted to (`visibility.type = group`, by its members).
    pub groups: Vec<Group>,
}

/// Jira Cloud's default project roles and the groups every new site has (ids made up in
/// the shape of Cloud's group ids).
const DEFAULT_ROLES: [&str; 3] = ["Administrators", "Developers", "Users"];
const DEFAULT_GROUPS: [(&str, &str); 3] = [
    (
        "jira-administrators",
        "0f6d3c1a-2b4e-4f5a-9c8d-7e6f5a4b3c21",
    ),
    (
        "jira-software-users",
        "1a7e4d2b-3c5f-4a6b-8d9e-0f1a2b3c4d52",
    ),
    ("site-admins", "2b8f5e3c-4d6a-4b7c-9e0f-1a2b3c4d5e63"),
];

/// A group of users. Jira Cloud names groups by a mutable `name` and an immutable
/// `groupId`; comment visibility takes either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// Account ids of the members; `None` makes every user a member (the default groups
    /// of a hand-made store, which has no membership to say).
    pub members: Option<BTreeSet<String>>,
}

impl Group {
    pub fn has_member(&self, account_id: &str) -> bool {
        self.members.as_ref().is_none_or(|m| m.contains(account_id))
    }
}

impl Default for Schemes {
    fn default() -> Self {
        Self {
            edit_screens: BTreeMap::new(),
            create_screens: BTreeMap::new(),
            assignable: BTreeMap::new(),
            roles: DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect(),
            role_members: BTreeMap::new(),
            groups: DEFAULT_GROUPS
                .iter()
                .map(|(name, id)| Group {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                    members: None,
                })
                .collect(),
        }
    }
}

/// One field on a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenField {
    /// `summary`, `customfield_10016`, ...
    pub field: String,
    /// Required by the field configuration: it may not be left empty.
    pub required: bool,
}

impl ScreenField {
    pub fn new(field: impl Into<String>, required: bool) -> Self {
        Self {
            field: field.into(),
            required,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub email: String,
    pub token: String,
    pub account_id: String,
    /// A scoped API token: Jira Cloud accepts it only through the API gateway
    /// (`/ex/jira/{cloudId}`), and answers 401 on the site itself.
    pub scoped: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Cloud style: `712020:2f1c...` or `5b10a2844c20165700ede21g`.
    pub account_id: String,
    pub display_name: String,
    /// `None` when the user hides it (Jira then sends `""` or omits it).
    pub email: Option<String>,
    pub active: bool,
    pub time_zone: String,
    /// `atlassian` for people, `app` for bots.
    pub account_type: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: u64,
    pub key: String,
    pub name: String,
    /// `software`, `business` or `service_desk`.
    pub project_type_key: String,
    /// `classic` or `next-gen`.
    pub style: String,
    pub simplified: bool,
    pub description: String,
    pub lead: String,
    pub category: Option<String>,
    pub components: Vec<Component>,
    pub versions: Vec<Version>,
    /// Ids of the issue types this project uses.
    pub issue_type_ids: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub lead: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub released: bool,
    pub archived: bool,
    pub release_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IssueType {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub subtask: bool,
    /// 1 epic, 0 standard, -1 sub-task.
    pub hierarchy_level: i32,
}

/// Jira's status categories: 2 `new` (To Do), 4 `indeterminate` (In Progress), 3 `done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCategory {
    New,
    Indeterminate,
    Done,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub category: StatusCategory,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: u64,
    pub name: String,
    pub description: String,
    /// `#d04437` style.
    pub status_color: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub id: u64,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkType {
    pub id: u64,
    /// `Blocks`
    pub name: String,
    /// `is blocked by`
    pub inward: String,
    /// `blocks`
    pub outward: String,
}

/// What kind of value a custom field holds, which decides its schema and JSON shape.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomFieldKind {
    /// Story points: `{"type":"number"}`.
    Number,
    /// Single-line text: `{"type":"string"}`.
    Text,
    /// Multi-line rich text (ADF).
    TextArea,
    /// Sprint (`com.pyxis.greenhopper.jira:gh-sprint`): array of sprint objects.
    Sprint,
    /// Single select with these options (id, value).
    Select(Vec<(u64, String)>),
    /// A user picker.
    User,
    /// A date picker.
    Date,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomField {
    /// The number in `customfield_10016`.
    pub id: u64,
    pub name: String,
    pub kind: CustomFieldKind,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sprint {
    pub id: u64,
    pub name: String,
    /// `closed`, `active` or `future`.
    pub state: String,
    pub board_id: u64,
    /// Key of the project whose board holds the sprint (the Agile API's board location).
    pub project: String,
    pub goal: String,
    pub start_date: Option<Timestamp>,
    pub end_date: Option<Timestamp>,
}

/// One workflow for all projects: which status can go where, and through which screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workflow {
    pub transitions: Vec<Transition>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub id: u64,
    pub name: String,
    /// Status ids this transition is available from; empty means global (from any status).
    pub from: Vec<u64>,
    pub to: u64,
    /// Field ids shown on the transition's screen (e.g. `resolution`, `comment`).
    pub screen_fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub id: u64,
    pub key: String,
    pub project_id: u64,
    pub issue_type_id: u64,
    pub summary: String,
    /// ADF document, or `None`.
    pub description: Option<Value>,
    /// ADF document, or `None`.
    pub environment: Option<Value>,
    pub status_id: u64,
    pub priority_id: Option<u64>,
    pub resolution_id: Option<u64>,
    pub resolution_date: Option<Timestamp>,
    pub status_category_change_date: Option<Timestamp>,
    pub assignee: Option<String>,
    pub reporter: Option<String>,
    pub creator: Option<String>,
    pub labels: Vec<String>,
    pub component_ids: Vec<u64>,
    pub fix_version_ids: Vec<u64>,
    pub affects_version_ids: Vec<u64>,
    /// Parent issue key (epic of a story, story of a sub-task).
    pub parent: Option<String>,
    pub links: Vec<IssueLink>,
    pub created: Timestamp,
    pub updated: Timestamp,
    pub due_date: Option<NaiveDate>,
    pub comments: Vec<Comment>,
    pub changelog: Vec<History>,
    /// Account ids.
    pub watchers: Vec<String>,
    pub votes: u32,
    pub attachments: Vec<Attachment>,
    pub time_tracking: TimeTracking,
    /// Values of custom fields by field number (`10016` -> `5.0`), in the JSON shape
    /// Jira sends for that field's kind.
    pub custom: BTreeMap<u64, Value>,
}

/// A link as seen from the issue that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueLink {
    pub id: u64,
    pub link_type_id: u64,
    /// `Outward`: this issue <outward> other ("blocks"); `Inward`: this issue <inward> other.
    pub direction: LinkDirection,
    pub other_key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkDirection {
    Outward,
    Inward,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: u64,
    pub author: String,
    pub update_author: String,
    /// ADF document.
    pub body: Value,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// (`role` | `group`, name), e.g. ("role", "Developers").
    pub visibility: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub id: u64,
    pub author: String,
    pub created: Timestamp,
    pub items: Vec<ChangeItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeItem {
    /// `status`, `assignee`, `priority`, `labels`...
    pub field: String,
    /// `jira` or `custom`.
    pub field_type: String,
    pub from: Option<String>,
    pub from_string: Option<String>,
    pub to: Option<String>,
    pub to_string: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: u64,
    pub filename: String,
    pub size: u64,
    pub mime_type: String,
    pub author: String,
    pub created: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeTracking {
    pub original_estimate_seconds: Option<u64>,
    pub remaining_estimate_seconds: Option<u64>,
    pub time_spent_seconds: Option<u64>,
}

/// A saved filter. Who may see it follows Jira: its owner, and everyone when shared.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub id: u64,
    pub name: String,
    /// Empty when the filter has none (Jira then omits the member).
    pub description: String,
    pub jql: String,
    /// Account id.
    pub owner: String,
    /// Account ids of the users who marked it as a favourite (the owner included, if so).
    pub favourite_of: Vec<String>,
    /// Shared with every logged-in user (Jira's `loggedin` share permission); otherwise
    /// private to its owner.
    pub shared: bool,
}

impl Filter {
    /// Whether `account_id` may see the filter.
    pub fn visible_to(&self, account_id: &str) -> bool {
        self.shared || self.owner == account_id
    }

    pub fn is_favourite_of(&self, account_id: &str) -> bool {
        self.favourite_of.iter().any(|a| a == account_id)
    }
}

impl Store {
    pub fn issue_by_key(&self, key: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.key.eq_ignore_ascii_case(key))
    }

    pub fn user(&self, account_id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.account_id == account_id)
    }

    pub fn project(&self, id: u64) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    pub fn status(&self, id: u64) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }

    pub fn filter(&self, id: u64) -> Option<&Filter> {
        self.filters.iter().find(|f| f.id == id)
    }

    /// Whether `account_id` holds `role` in project `project_id` (see
    /// [`Schemes::role_members`]).
    pub fn in_role(&self, project_id: u64, role: &str, account_id: &str) -> bool {
        self.schemes
            .role_members
            .get(&(project_id, role.to_owned()))
            .is_none_or(|members| members.contains(account_id))
    }

    /// The groups `account_id` belongs to, in the site's order.
    pub fn groups_of<'a>(&'a self, account_id: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.schemes
            .groups
            .iter()
            .filter(move |g| g.has_member(account_id))
    }

    /// Whether `account_id` holds the permission `key` (see [`Store::permissions`]).
    pub fn has_permission(&self, account_id: &str, key: &str) -> bool {
        self.permissions
            .get(account_id)
            .is_none_or(|held| held.contains(key))
    }
}
