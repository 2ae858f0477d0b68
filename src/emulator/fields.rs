//! The fields the emulator knows: Jira's system fields plus the store's custom fields, with
//! the metadata `GET /field`, `expand=names,schema` and `editmeta` report, and the `fields`
//! request parameter's selection rules.

use serde_json::{Value, json};

use super::store::{CustomField, CustomFieldKind, Store};

/// One field as `GET /rest/api/3/field` describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub id: String,
    pub name: String,
    pub custom: bool,
    /// Jira's "orderable": may appear on create/edit screens (not "sortable").
    pub orderable: bool,
    /// May be shown as a column; decides membership of `*navigable`.
    pub navigable: bool,
    pub searchable: bool,
    pub clause_names: Vec<String>,
    /// The `JsonTypeBean`, absent for a few system fields (`parent`, `issuekey`...) as in Jira.
    pub schema: Option<Value>,
    /// Whether the field appears inside an issue's `fields`. `issuekey`, `thumbnail` and
    /// `statusCategory` are listed by `/field` but never rendered on an issue.
    pub on_issue: bool,
    /// The custom field number, for custom fields.
    pub custom_id: Option<u64>,
}

/// (id, name, orderable, navigable, searchable, clause names, schema type, schema items,
/// on_issue) of Jira Cloud's system fields, with flags as Jira Cloud's `/field` reports them.
type SystemRow = (
    &'static str,
    &'static str,
    bool,
    bool,
    bool,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
    bool,
);

#[rustfmt::skip]
const SYSTEM_FIELDS: &[SystemRow] = &[
    ("summary", "Summary", true, true, true, &["summary"], Some("string"), None, true),
    ("issuetype", "Issue Type", true, true, true, &["issuetype", "type"], Some("issuetype"), None, true),
    ("parent", "Parent", false, true, false, &["parent"], None, None, true),
    ("project", "Project", false, true, true, &["project"], Some("project"), None, true),
    ("status", "Status", false, true, true, &["status"], Some("status"), None, true),
    ("statusCategory", "Status Category", false, true, true, &["statusCategory"], None, None, false),
    ("statuscategorychangedate", "Status Category Changed", false, true, true, &["statusCategoryChangedDate"], Some("datetime"), None, true),
    ("priority", "Priority", true, true, true, &["priority"], Some("priority"), None, true),
    ("resolution", "Resolution", true, true, true, &["resolution"], Some("resolution"), None, true),
    ("resolutiondate", "Resolved", false, true, true, &["resolutiondate", "resolved"], Some("datetime"), None, true),
    ("assignee", "Assignee", true, true, true, &["assignee"], Some("user"), None, true),
    ("reporter", "Reporter", true, true, true, &["reporter"], Some("user"), None, true),
    ("creator", "Creator", false, true, true, &["creator"], Some("user"), None, true),
    ("description", "Description", true, true, true, &["description"], Some("string"), None, true),
    ("environment", "Environment", true, true, true, &["environment"], Some("string"), None, true),
    ("labels", "Labels", true, true, true, &["labels"], Some("array"), Some("string"), true),
    ("components", "Components", true, true, true, &["component"], Some("array"), Some("component"), true),
    ("fixVersions", "Fix versions", true, true, true, &["fixVersion"], Some("array"), Some("version"), true),
    ("versions", "Affects versions", true, true, true, &["affectedVersion"], Some("array"), Some("version"), true),
    ("duedate", "Due date", true, true, true, &["due", "duedate"], Some("date"), None, true),
    ("created", "Created", false, true, true, &["created", "createdDate"], Some("datetime"), None, true),
    ("updated", "Updated", false, true, true, &["updated", "updatedDate"], Some("datetime"), None, true),
    ("lastViewed", "Last Viewed", false, true, false, &["lastViewed"], Some("datetime"), None, true),
    ("subtasks", "Sub-tasks", false, true, false, &["subtasks"], Some("array"), Some("issuelinks"), true),
    ("issuelinks", "Linked Issues", true, true, true, &["issueLink"], Some("array"), Some("issuelinks"), true),
    ("comment", "Comment", true, false, true, &["comment"], Some("comments-page"), None, true),
    ("attachment", "Attachment", true, false, true, &["attachments"], Some("array"), Some("attachment"), true),
    ("watches", "Watchers", false, true, false, &["watchers"], Some("watches"), None, true),
    ("votes", "Votes", false, true, false, &["votes"], Some("votes"), None, true),
    ("worklog", "Log Work", true, false, true, &[], Some("array"), Some("worklog"), true),
    ("timetracking", "Time tracking", true, false, true, &[], Some("timetracking"), None, true),
    ("timespent", "Time Spent", false, true, false, &["timespent"], Some("number"), None, true),
    ("timeoriginalestimate", "Original estimate", false, true, false, &["originalEstimate", "timeoriginalestimate"], Some("number"), None, true),
    ("timeestimate", "Remaining Estimate", false, true, false, &["remainingEstimate", "timeestimate"], Some("number"), None, true),
    ("aggregatetimespent", "\u{3a3} Time Spent", false, true, false, &[], Some("number"), None, true),
    ("aggregatetimeoriginalestimate", "\u{3a3} Original Estimate", false, true, false, &[], Some("number"), None, true),
    ("aggregatetimeestimate", "\u{3a3} Remaining Estimate", false, true, false, &[], Some("number"), None, true),
    ("progress", "Progress", false, true, false, &["progress"], Some("progress"), None, true),
    ("aggregateprogress", "\u{3a3} Progress", false, true, false, &[], Some("progress"), None, true),
    ("workratio", "Work Ratio", false, true, true, &["workratio"], Some("number"), None, true),
    ("security", "Security Level", true, true, true, &["level"], Some("securitylevel"), None, true),
    ("issuerestriction", "Restrict to", true, false, true, &[], Some("issuerestriction"), None, true),
    ("issuekey", "Key", false, true, false, &["id", "issue", "issuekey", "key"], None, None, false),
    ("thumbnail", "Images", false, true, false, &[], None, None, false),
];

/// Every field, system fields first, then custom fields in store order.
pub fn catalogue(store: &Store) -> Vec<FieldDef> {
    let mut fields: Vec<FieldDef> = SYSTEM_FIELDS
        .iter()
        .map(
            |&(id, name, orderable, navigable, searchable, clauses, kind, items, on_issue)| {
                let schema = kind.map(|kind| {
                    let mut schema = json!({ "type": kind, "system": id });
                    if let Some(items) = items {
                        schema["items"] = json!(items);
                    }
                    schema
                });
                FieldDef {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    custom: false,
                    orderable,
                    navigable,
                    searchable,
                    clause_names: clauses.iter().map(|c| (*c).to_owned()).collect(),
                    schema,
                    on_issue,
                    custom_id: None,
                }
            },
        )
        .collect();
    fields.extend(store.custom_fields.iter().map(custom_def));
    fields
}

fn custom_def(field: &CustomField) -> FieldDef {
    FieldDef {
        id: custom_field_id(field.id),
        name: field.name.clone(),
        custom: true,
        orderable: true,
        navigable: true,
        searchable: true,
        clause_names: vec![format!("cf[{}]", field.id), field.name.clone()],
        schema: Some(custom_schema(field)),
        on_issue: true,
        custom_id: Some(field.id),
    }
}

/// `customfield_10016` for field number 10016.
pub fn custom_field_id(id: u64) -> String {
    format!("customfield_{id}")
}

/// The schema Jira reports for a custom field of this kind (plugin keys as in Jira Cloud).
pub fn custom_schema(field: &CustomField) -> Value {
    let (kind, items, plugin) = match &field.kind {
        CustomFieldKind::Number => (
            "number",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:float",
        ),
        CustomFieldKind::Text => (
            "string",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
        ),
        CustomFieldKind::TextArea => (
            "string",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
        ),
        CustomFieldKind::Sprint => (
            "array",
            Some("json"),
            "com.pyxis.greenhopper.jira:gh-sprint",
        ),
        CustomFieldKind::Select(_) => (
            "option",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:select",
        ),
        CustomFieldKind::User => (
            "user",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:userpicker",
        ),
        CustomFieldKind::Date => (
            "date",
            None,
            "com.atlassian.jira.plugin.system.customfieldtypes:datepicker",
        ),
    };
    let mut schema = json!({ "type": kind, "custom": plugin, "customId": field.id });
    if let Some(items) = items {
        schema["items"] = json!(items);
    }
    schema
}

/// What an issue looks like when no `fields` parameter is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultFields {
    /// `GET /search/jql`: ids only.
    IdOnly,
    /// `GET /issue/{key}`: every field.
    All,
}

/// The outcome of a `fields` parameter: which fields to render, and whether the issue is
/// reduced to `{"id": ...}` (the enhanced search's default).
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Positions in the catalogue, in catalogue order.
    pub fields: Vec<usize>,
    pub id_only: bool,
}

/// Applies Jira's `fields` rules: comma lists (and repeated parameters, already flattened by
/// the caller into `requested`), `*all`, `*navigable`, named ids, `-id` exclusions. Exclusions
/// alone apply to the default. Unknown names are ignored, as Jira does.
pub fn select(catalogue: &[FieldDef], requested: &[String], default: DefaultFields) -> Selection {
    let tokens: Vec<&str> = requested
        .iter()
        .flat_map(|r| r.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let excluded: Vec<&str> = tokens.iter().filter_map(|t| t.strip_prefix('-')).collect();
    let positive: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| !t.starts_with('-'))
        .collect();
    let (all, navigable, named): (bool, bool, Vec<&str>) = if positive.is_empty() {
        match default {
            DefaultFields::IdOnly => (false, false, vec!["id"]),
            DefaultFields::All => (true, false, Vec::new()),
        }
    } else {
        (
            positive.iter().any(|t| t.eq_ignore_ascii_case("*all")),
            positive
                .iter()
                .any(|t| t.eq_ignore_ascii_case("*navigable")),
            positive
                .iter()
                .copied()
                .filter(|t| !t.starts_with('*'))
                .collect(),
        )
    };
    let fields: Vec<usize> = catalogue
        .iter()
        .enumerate()
        .filter(|(_, f)| f.on_issue)
        .filter(|(_, f)| all || (navigable && f.navigable) || named.iter().any(|n| *n == f.id))
        .filter(|(_, f)| !excluded.iter().any(|x| *x == f.id))
        .map(|(pos, _)| pos)
        .collect();
    let id_only = fields.is_empty()
        && !all
        && !navigable
        && named.iter().all(|n| n.eq_ignore_ascii_case("id"));
    Selection { fields, id_only }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::store::CustomField;

    fn cat() -> Vec<FieldDef> {
        let store = Store {
            custom_fields: vec![CustomField {
                id: 10016,
                name: "Story Points".into(),
                kind: CustomFieldKind::Number,
                description: String::new(),
            }],
            ..Store::default()
        };
        catalogue(&store)
    }

    fn ids(cat: &[FieldDef], sel: &Selection) -> Vec<String> {
        sel.fields.iter().map(|p| cat[*p].id.clone()).collect()
    }

    fn req(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn search_default_is_id_only() {
        let cat = cat();
        let sel = select(&cat, &[], DefaultFields::IdOnly);
        assert!(sel.id_only);
        assert!(sel.fields.is_empty());
        let sel = select(&cat, &req(&["id"]), DefaultFields::IdOnly);
        assert!(sel.id_only);
    }

    #[test]
    fn named_fields_in_comma_lists_and_repeats() {
        let cat = cat();
        let sel = select(
            &cat,
            &req(&["summary, status", "customfield_10016"]),
            DefaultFields::IdOnly,
        );
        assert!(!sel.id_only);
        assert_eq!(ids(&cat, &sel), ["summary", "status", "customfield_10016"]);
        let sel = select(&cat, &req(&["key"]), DefaultFields::IdOnly);
        assert!(!sel.id_only && sel.fields.is_empty());
    }

    #[test]
    fn all_navigable_and_exclusions() {
        let cat = cat();
        let all = select(&cat, &req(&["*all"]), DefaultFields::IdOnly);
        let all_ids = ids(&cat, &all);
        assert!(all_ids.contains(&"comment".to_owned()));
        assert!(!all_ids.contains(&"issuekey".to_owned()));
        let nav = ids(
            &cat,
            &select(&cat, &req(&["*navigable"]), DefaultFields::IdOnly),
        );
        assert!(!nav.contains(&"comment".to_owned()));
        assert!(nav.contains(&"summary".to_owned()));
        let some = ids(
            &cat,
            &select(
                &cat,
                &req(&["*all,-comment,-summary"]),
                DefaultFields::IdOnly,
            ),
        );
        assert!(!some.contains(&"comment".to_owned()) && !some.contains(&"summary".to_owned()));
        assert_eq!(some.len() + 2, all_ids.len());
        // Exclusions alone apply to the default.
        let issue = ids(&cat, &select(&cat, &req(&["-comment"]), DefaultFields::All));
        assert_eq!(issue.len() + 1, all_ids.len());
        assert!(select(&cat, &req(&["-comment"]), DefaultFields::IdOnly).id_only);
    }
}
