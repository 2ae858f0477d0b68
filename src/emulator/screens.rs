//! Which fields an issue's screens show, and the field metadata Jira describes them with:
//! `editmeta`, the create metadata, and the fields of a transition's screen.
//!
//! The store's [`Schemes`](super::store::Schemes) name the fields per issue type; a type
//! it does not configure gets the default screen below, so a hand-made store is editable
//! without any configuration. The write routes accept exactly the fields listed here.

use serde_json::{Map, Value, json};

use super::fields::{self, FieldDef};
use super::json::Render;
use super::store::{CustomFieldKind, Issue, IssueType, Project, ScreenField, Store, Transition};

/// The system fields of the default screen, in screen order (custom fields follow).
const DEFAULT_SCREEN: [&str; 14] = [
    "summary",
    "issuetype",
    "parent",
    "description",
    "environment",
    "priority",
    "labels",
    "components",
    "fixVersions",
    "versions",
    "duedate",
    "assignee",
    "reporter",
    "timetracking",
];

/// Fields the default field configuration requires.
const DEFAULT_REQUIRED: [&str; 3] = ["summary", "issuetype", "reporter"];

/// The hierarchy level of epics; nothing sits above them, so they have no parent field.
const EPIC_LEVEL: i32 = 1;

pub fn issue_type(store: &Store, id: u64) -> Option<&IssueType> {
    store.issue_types.iter().find(|t| t.id == id)
}

/// The fields of the edit screen of issues of type `type_id`.
pub fn edit_screen(store: &Store, type_id: u64) -> Vec<ScreenField> {
    if let Some(screen) = store.schemes.edit_screens.get(&type_id) {
        return screen.clone();
    }
    let kind = issue_type(store, type_id);
    let level = kind.map_or(0, |t| t.hierarchy_level);
    let subtask = kind.is_some_and(|t| t.subtask);
    let mut screen: Vec<ScreenField> = DEFAULT_SCREEN
        .iter()
        .filter(|id| **id != "parent" || level < EPIC_LEVEL)
        .map(|id| {
            let required = DEFAULT_REQUIRED.contains(id) || (*id == "parent" && subtask);
            ScreenField::new(*id, required)
        })
        .collect();
    screen.extend(
        store
            .custom_fields
            .iter()
            .map(|f| ScreenField::new(fields::custom_field_id(f.id), false)),
    );
    screen
}

/// The fields of the create screen for `type_id`: the configured one, else the project
/// followed by the edit screen.
pub fn create_screen(store: &Store, type_id: u64) -> Vec<ScreenField> {
    if let Some(screen) = store.schemes.create_screens.get(&type_id) {
        return screen.clone();
    }
    let mut screen = vec![ScreenField::new("project", true)];
    screen.extend(edit_screen(store, type_id));
    screen
}

/// The fields of a transition's screen. A resolution on a transition screen is always
/// required, as on Jira's default "Resolve issue" screen; anything else is optional.
pub fn transition_screen(transition: &Transition) -> Vec<ScreenField> {
    transition
        .screen_fields
        .iter()
        .map(|id| ScreenField::new(id.clone(), id == "resolution"))
        .collect()
}

/// The operations `update` may use on a field, as editmeta lists them.
pub fn operations(def: &FieldDef) -> &'static [&'static str] {
    match def.id.as_str() {
        "labels" => &["add", "set", "remove"],
        "components" | "fixVersions" | "versions" => &["set", "add", "remove"],
        "timetracking" => &["set", "edit"],
        "comment" => &["add", "edit", "remove"],
        _ => &["set"],
    }
}

/// Where field metadata is shown; it decides the pickers' allowed values and URLs.
#[derive(Debug, Clone, Copy)]
pub enum MetaFor<'a> {
    /// `editmeta` of an issue.
    Edit(&'a Issue),
    /// A transition screen of an issue.
    Transition(&'a Issue),
    /// The create metadata of a project and issue type.
    Create(&'a Project, &'a IssueType),
}

impl MetaFor<'_> {
    fn project<'s>(&self, store: &'s Store) -> Option<&'s Project> {
        match self {
            MetaFor::Edit(issue) | MetaFor::Transition(issue) => store.project(issue.project_id),
            MetaFor::Create(project, _) => store.project(project.id),
        }
    }
}

/// `editmeta.fields`: every field of the issue's edit screen, keyed by field id.
pub fn editmeta(render: &Render<'_>, issue: &Issue) -> Value {
    let store = render.db.store();
    let screen = edit_screen(store, issue.issue_type_id);
    Value::Object(meta_map(render, &screen, MetaFor::Edit(issue)))
}

/// The `fields` of a transition (`expand=transitions.fields`).
pub fn transition_fields(render: &Render<'_>, issue: &Issue, transition: &Transition) -> Value {
    let screen = transition_screen(transition);
    Value::Object(meta_map(render, &screen, MetaFor::Transition(issue)))
}

/// The create metadata of every field on the create screen, in screen order, each with its
/// `fieldId` (`FieldCreateMetadata`).
pub fn create_fields(render: &Render<'_>, project: &Project, kind: &IssueType) -> Vec<Value> {
    let store = render.db.store();
    let catalogue = fields::catalogue(store);
    create_screen(store, kind.id)
        .iter()
        .filter_map(|field| {
            let def = catalogue.iter().find(|d| d.id == field.field)?;
            let mut meta = field_meta(render, def, field.required, MetaFor::Create(project, kind));
            meta["fieldId"] = json!(def.id);
            Some(meta)
        })
        .collect()
}

fn meta_map(render: &Render<'_>, screen: &[ScreenField], at: MetaFor<'_>) -> Map<String, Value> {
    let catalogue = fields::catalogue(render.db.store());
    screen
        .iter()
        .filter_map(|field| {
            let def = catalogue.iter().find(|d| d.id == field.field)?;
            Some((def.id.clone(), field_meta(render, def, field.required, at)))
        })
        .collect()
}

/// One `FieldMetadata`: required, schema, name, key, operations, and the allowed values,
/// auto-complete URL and default a picker needs.
pub fn field_meta(render: &Render<'_>, def: &FieldDef, required: bool, at: MetaFor<'_>) -> Value {
    let store = render.db.store();
    let project = at.project(store);
    let schema = def
        .schema
        .clone()
        .unwrap_or_else(|| json!({ "type": "issuelink", "system": def.id }));
    let mut out = json!({
        "required": required,
        "schema": schema,
        "name": def.name,
        "key": def.id,
        "operations": operations(def),
        "hasDefaultValue": false,
    });
    let api = |path: &str| format!("{}/rest/api/3/{path}", render.api);
    let allowed: Option<Vec<Value>> = match def.id.as_str() {
        "issuetype" => Some(match at {
            MetaFor::Create(_, kind) => vec![render.issue_type(kind)],
            MetaFor::Edit(issue) | MetaFor::Transition(issue) => {
                // Only types of the same hierarchy level: anything else would move the
                // issue in the hierarchy, which an edit cannot do.
                let level = issue_type(store, issue.issue_type_id).map(|t| t.hierarchy_level);
                project
                    .map(|p| {
                        p.issue_type_ids
                            .iter()
                            .filter_map(|id| issue_type(store, *id))
                            .filter(|t| Some(t.hierarchy_level) == level)
                            .map(|t| render.issue_type(t))
                            .collect()
                    })
                    .unwrap_or_default()
            }
        }),
        "project" => Some(project.map(|p| render.project_ref(p)).into_iter().collect()),
        "priority" => Some(
            store
                .priorities
                .iter()
                .map(|p| render.priority_ref(p))
                .collect(),
        ),
        "resolution" => Some(
            store
                .resolutions
                .iter()
                .map(|r| render.resolution(r))
                .collect(),
        ),
        "components" => Some(
            project
                .map(|p| p.components.iter().map(|c| render.component(c)).collect())
                .unwrap_or_default(),
        ),
        "fixVersions" | "versions" => Some(
            project
                .map(|p| {
                    p.versions
                        .iter()
                        .filter(|v| !v.archived)
                        .map(|v| render.version(v))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => def
            .custom_id
            .and_then(|id| store.custom_fields.iter().find(|f| f.id == id))
            .and_then(|f| match &f.kind {
                CustomFieldKind::Select(options) => Some(
                    options
                        .iter()
                        .map(|(id, value)| render.select_option(*id, value))
                        .collect(),
                ),
                _ => None,
            }),
    };
    if let Some(values) = allowed {
        out["allowedValues"] = Value::Array(values);
    }
    let user_field = def
        .schema
        .as_ref()
        .is_some_and(|s| s["type"] == "user" && s.get("items").is_none());
    let auto_complete = match def.id.as_str() {
        "assignee" => Some(match at {
            MetaFor::Create(project, _) => api(&format!(
                "user/assignable/search?project={}&query=",
                project.key
            )),
            MetaFor::Edit(issue) | MetaFor::Transition(issue) => api(&format!(
                "user/assignable/search?issueKey={}&query=",
                issue.key
            )),
        }),
        "labels" => Some(format!("{}/rest/api/1.0/labels/suggest?query=", render.api)),
        _ if user_field => Some(api("user/search?query=")),
        _ => None,
    };
    if let Some(url) = auto_complete {
        out["autoCompleteUrl"] = json!(url);
    }
    if let (MetaFor::Create(..), "priority") = (at, def.id.as_str())
        && let Some(default) = store.priorities.iter().find(|p| p.is_default)
    {
        out["hasDefaultValue"] = json!(true);
        out["defaultValue"] = render.priority_ref(default);
    }
    out
}
