//! JQL completion: the field and function lists of `GET`/`POST /jql/autocompletedata` and
//! the value suggestions of `GET /jql/autocompletedata/suggestions`.
//!
//! Both are derived from what the evaluator understands ([`eval::field_info`],
//! [`eval::FUNCTIONS`]) and from the store, so completion never offers a field, operator,
//! function or value that the emulator's search would reject.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::eval::{self, FUNCTIONS, FieldInfo, ValueKind};
use super::fields;
use super::store::{CustomFieldKind, Store};
use crate::jql::{self, Clause, Field};

/// Jira returns at most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 15;

/// Clause names JQL knows that `GET /field` does not list.
const EXTRA_CLAUSES: &[&str] = &["text", "watcher"];

/// Clause names left out although the evaluator accepts them. In Jira `watchers` is the
/// number of watchers while the evaluator reads it as `watcher`; offering it would teach
/// JQL that means something else on a real site.
const HIDDEN_CLAUSES: &[&str] = &["watchers"];

/// The Java type Jira reports for values of this kind.
fn java_type(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Project => "com.atlassian.jira.project.Project",
        ValueKind::IssueType => "com.atlassian.jira.issue.issuetype.IssueType",
        ValueKind::Status => "com.atlassian.jira.issue.status.Status",
        ValueKind::StatusCategory => "com.atlassian.jira.issue.status.category.StatusCategory",
        ValueKind::Priority => "com.atlassian.jira.issue.priority.Priority",
        ValueKind::Resolution => "com.atlassian.jira.issue.resolution.Resolution",
        ValueKind::User => "com.atlassian.jira.user.ApplicationUser",
        ValueKind::Label => "com.atlassian.jira.issue.label.Label",
        ValueKind::Component => "com.atlassian.jira.bc.project.component.ProjectComponent",
        ValueKind::Version => "com.atlassian.jira.project.version.Version",
        ValueKind::Sprint => "com.atlassian.greenhopper.service.sprint.Sprint",
        ValueKind::Option => "com.atlassian.jira.issue.customfields.option.Option",
        ValueKind::Issue => "com.atlassian.jira.issue.Issue",
        ValueKind::Text => "java.lang.String",
        ValueKind::Date => "java.util.Date",
        ValueKind::Number => "java.lang.Number",
    }
}

/// Whether the suggestions endpoint has values for fields of this kind (Jira's `auto`).
pub fn suggests(kind: ValueKind) -> bool {
    !matches!(
        kind,
        ValueKind::Issue | ValueKind::Text | ValueKind::Date | ValueKind::Number
    )
}

/// Jira writes the boolean members of this API as strings.
fn flag(on: bool) -> &'static str {
    if on { "true" } else { "false" }
}

fn field_entry(value: &str, display_name: &str, info: &FieldInfo) -> Value {
    let mut entry = json!({
        "value": value,
        "displayName": display_name,
        "orderable": flag(info.orderable),
        "searchable": "true",
        "operators": info
            .operators
            .iter()
            .map(|op| op.as_str().to_ascii_lowercase())
            .collect::<Vec<_>>(),
        "types": [java_type(info.kind)],
    });
    if suggests(info.kind) {
        entry["auto"] = json!("true");
    }
    if let Some(id) = info.custom_field {
        entry["cfid"] = json!(format!("cf[{id}]"));
    }
    entry
}

/// Custom fields holding a value on at least one issue of `projects`: the emulator's
/// stand-in for Jira's field contexts, which it does not model.
fn custom_fields_used_in(store: &Store, projects: &[u64]) -> BTreeSet<u64> {
    store
        .issues
        .iter()
        .filter(|issue| projects.contains(&issue.project_id))
        .flat_map(|issue| issue.custom.iter())
        .filter(|(_, value)| !value.is_null())
        .map(|(id, _)| *id)
        .collect()
}

/// `JQLReferenceData`. With `projects` (POST's `projectIds`), custom fields are limited to
/// those used in these projects. Collapsed fields (Jira's entries for custom fields that
/// share a name) never occur: the emulator's custom field names are unique.
pub fn reference_data(store: &Store, projects: Option<&[u64]>) -> Value {
    let mut entries: Vec<(String, Value)> = Vec::new();
    let mut seen = BTreeSet::new();
    let system_clauses = fields::catalogue(store)
        .into_iter()
        .filter(|def| !def.custom)
        .flat_map(|def| def.clause_names)
        .chain(EXTRA_CLAUSES.iter().map(|c| (*c).to_owned()));
    for clause in system_clauses {
        if HIDDEN_CLAUSES.contains(&clause.as_str()) || !seen.insert(clause.to_lowercase()) {
            continue;
        }
        let Some(info) = eval::field_info(store, &Field::Name(clause.clone())) else {
            continue;
        };
        if info.custom_field.is_some() {
            // `sprint` is the Sprint custom field's; it is listed with the custom fields.
            continue;
        }
        entries.push((clause.clone(), field_entry(&clause, &clause, &info)));
    }
    let used = projects.map(|p| custom_fields_used_in(store, p));
    for field in &store.custom_fields {
        if used.as_ref().is_some_and(|used| !used.contains(&field.id)) {
            continue;
        }
        let Some(info) = eval::field_info(store, &Field::CustomId(field.id)) else {
            continue;
        };
        // The name is the value when it leads to this field; a custom field named like a
        // system field is only reachable as `cf[N]`.
        let by_name = eval::field_info(store, &Field::Name(field.name.clone()))
            .is_some_and(|named| named.custom_field == Some(field.id));
        let value = if by_name {
            jql::quote_if_needed(&field.name)
        } else {
            format!("cf[{}]", field.id)
        };
        let display_name = format!("{} - cf[{}]", field.name, field.id);
        entries.push((
            field.name.clone(),
            field_entry(&value, &display_name, &info),
        ));
    }
    entries.sort_by_key(|(name, _)| name.to_lowercase());
    let functions: Vec<Value> = FUNCTIONS
        .iter()
        .map(|f| {
            let value = format!("{}()", f.name);
            json!({
                "value": value,
                "displayName": value,
                "isList": flag(f.is_list),
                "types": [java_type(f.returns)],
            })
        })
        .collect();
    json!({
        "visibleFieldNames": entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>(),
        "visibleFunctionNames": functions,
        "jqlReservedWords": jql::RESERVED_WORDS,
    })
}

// ---------------------------------------------------------------------------------------
// Suggestions

/// The parameters of `/jql/autocompletedata/suggestions`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SuggestionQuery<'a> {
    pub field_name: Option<&'a str>,
    pub field_value: Option<&'a str>,
    pub predicate_name: Option<&'a str>,
    pub predicate_value: Option<&'a str>,
}

/// The field a `fieldName` names, read as JQL so that the values `autocompletedata` hands
/// out (`"Story Points"`, `cf[10016]`) come back as the same field.
fn parse_field(name: &str) -> Option<Field> {
    let query = jql::parse(&format!("{name} IS EMPTY")).ok()?;
    match query.clause? {
        Clause::Term(term) => Some(term.field),
        _ => None,
    }
}

/// The values a field of `kind` can take, as (value for JQL, text shown), in the order a
/// person expects them (priorities by rank, projects by key, people by name).
fn candidates(store: &Store, kind: ValueKind, custom_field: Option<u64>) -> Vec<(String, String)> {
    let same = |name: &str| (name.to_owned(), name.to_owned());
    let distinct = |names: Vec<&str>| {
        let mut seen = BTreeSet::new();
        names
            .into_iter()
            .filter(|n| seen.insert(n.to_lowercase()))
            .map(same)
            .collect()
    };
    match kind {
        ValueKind::Project => {
            let mut projects: Vec<_> = store.projects.iter().collect();
            projects.sort_by(|a, b| a.key.cmp(&b.key));
            projects
                .iter()
                .map(|p| (p.key.clone(), format!("{} ({})", p.name, p.key)))
                .collect()
        }
        ValueKind::IssueType => store.issue_types.iter().map(|t| same(&t.name)).collect(),
        ValueKind::Status => store.statuses.iter().map(|s| same(&s.name)).collect(),
        ValueKind::StatusCategory => ["To Do", "In Progress", "Done"]
            .into_iter()
            .map(same)
            .collect(),
        ValueKind::Priority => store.priorities.iter().map(|p| same(&p.name)).collect(),
        ValueKind::Resolution => store
            .resolutions
            .iter()
            .map(|r| same(&r.name))
            // The evaluator reads `resolution = Unresolved` as "no resolution", like Jira.
            .chain([same("Unresolved")])
            .collect(),
        ValueKind::User => {
            let mut users: Vec<_> = store.users.iter().collect();
            users.sort_by_key(|u| u.display_name.to_lowercase());
            users
                .iter()
                .map(|u| (u.account_id.clone(), u.display_name.clone()))
                .collect()
        }
        ValueKind::Label => store
            .issues
            .iter()
            .flat_map(|i| i.labels.iter().map(String::as_str))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(same)
            .collect(),
        ValueKind::Component => distinct(
            store
                .projects
                .iter()
                .flat_map(|p| p.components.iter().map(|c| c.name.as_str()))
                .collect(),
        ),
        ValueKind::Version => distinct(
            store
                .projects
                .iter()
                .flat_map(|p| p.versions.iter().map(|v| v.name.as_str()))
                .collect(),
        ),
        ValueKind::Sprint => {
            // The sprints people ask about first: active, then future, then the most
            // recently closed. Names, not ids: they read well in the query and the
            // emulator's are unique.
            let mut sprints: Vec<_> = store.sprints.iter().collect();
            sprints.sort_by_key(|s| match s.state.as_str() {
                "active" => (0, s.id),
                "future" => (1, s.id),
                _ => (2, u64::MAX - s.id),
            });
            sprints.iter().map(|s| same(&s.name)).collect()
        }
        ValueKind::Option => store
            .custom_fields
            .iter()
            .find(|f| Some(f.id) == custom_field)
            .map(|f| match &f.kind {
                CustomFieldKind::Select(options) => {
                    options.iter().map(|(_, name)| same(name)).collect()
                }
                _ => Vec::new(),
            })
            .unwrap_or_default(),
        ValueKind::Issue | ValueKind::Text | ValueKind::Date | ValueKind::Number => Vec::new(),
    }
}

/// The byte length of the match of `needle` at the start of `hay`, compared case-insensitively
/// character by character, or `None`.
fn match_at(hay: &str, needle: &str) -> Option<usize> {
    let mut hay_chars = hay.char_indices();
    for n in needle.chars() {
        let (_, h) = hay_chars.next()?;
        if !h.to_lowercase().eq(n.to_lowercase()) {
            return None;
        }
    }
    Some(hay_chars.next().map_or(hay.len(), |(at, _)| at))
}

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// How well `label` matches `typed`: 0 when it starts with it, 1 when a later word does,
/// 2 when it only occurs inside a word; with the label as HTML, every word-start match (or
/// else the first match) in `<b>`. `None` when it does not match.
fn highlight(label: &str, typed: &str) -> Option<(u8, String)> {
    let mut html = String::with_capacity(label.len() + 16);
    if typed.is_empty() {
        escape_html(label, &mut html);
        return Some((0, html));
    }
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut inside: Option<(usize, usize)> = None;
    let mut previous: Option<char> = None;
    let mut resume = 0;
    for (at, c) in label.char_indices() {
        let word_start = previous.is_none_or(|p| !p.is_alphanumeric());
        previous = Some(c);
        if at < resume {
            continue;
        }
        if let Some(len) = match_at(&label[at..], typed) {
            if word_start {
                matches.push((at, at + len));
                resume = at + len;
            } else if inside.is_none() {
                inside = Some((at, at + len));
            }
        }
    }
    let rank = match (matches.first(), inside) {
        (Some((0, _)), _) => 0,
        (Some(_), _) => 1,
        (None, Some(first)) => {
            matches.push(first);
            2
        }
        (None, None) => return None,
    };
    let mut last = 0;
    for (start, end) in matches {
        escape_html(&label[last..start], &mut html);
        html.push_str("<b>");
        escape_html(&label[start..end], &mut html);
        html.push_str("</b>");
        last = end;
    }
    escape_html(&label[last..], &mut html);
    Some((rank, html))
}

/// What the user typed, without the quote they may have opened.
fn typed_text(raw: Option<&str>) -> &str {
    let text = raw.unwrap_or_default().trim();
    let text = text.strip_prefix(['"', '\'']).unwrap_or(text);
    text.strip_suffix(['"', '\'']).unwrap_or(text).trim()
}

/// `AutoCompleteSuggestions` for a query, or the reason it is an invalid combination (400).
///
/// `fieldName` is required. A predicate (`by`, `from`, `to` of `CHANGED`) takes its text
/// from `predicateValue`: people for `by`, the field's own values for `from`/`to`. A field
/// the evaluator does not know, or one without listable values, has no suggestions.
pub fn suggestions(store: &Store, query: &SuggestionQuery<'_>) -> Result<Value, String> {
    let Some(field_name) = query.field_name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Err("The fieldName parameter is required.".to_owned());
    };
    let predicate = match query.predicate_name.map(str::trim) {
        None | Some("") if query.predicate_value.is_some() => {
            return Err("A predicateValue needs a predicateName (by, from or to).".to_owned());
        }
        None | Some("") => None,
        Some(name) => match name.to_ascii_lowercase().as_str() {
            "by" => Some(true),
            "from" | "to" => Some(false),
            _ => {
                return Err(format!(
                    "The predicate '{name}' is not valid. Valid predicates are: by, from, to."
                ));
            }
        },
    };
    let info = parse_field(field_name).and_then(|f| eval::field_info(store, &f));
    let (values, typed) = match (info, predicate) {
        (_, Some(true)) => (
            candidates(store, ValueKind::User, None),
            typed_text(query.predicate_value),
        ),
        (Some(info), Some(false)) => (
            candidates(store, info.kind, info.custom_field),
            typed_text(query.predicate_value),
        ),
        (Some(info), None) => (
            candidates(store, info.kind, info.custom_field),
            typed_text(query.field_value),
        ),
        (None, _) => (Vec::new(), ""),
    };
    let mut ranked: Vec<(u8, Value)> = values
        .into_iter()
        .filter_map(|(value, label)| {
            let (rank, html) = highlight(&label, typed)?;
            Some((rank, json!({ "value": value, "displayName": html })))
        })
        .collect();
    // Stable: equal ranks keep the candidates' own order.
    ranked.sort_by_key(|(rank, _)| *rank);
    let results: Vec<Value> = ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, v)| v)
        .collect();
    Ok(json!({ "results": results }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_word_starts_then_inner_matches() {
        assert_eq!(
            highlight("ActiveObjects (AO)", "ac"),
            Some((0, "<b>Ac</b>tiveObjects (AO)".to_owned()))
        );
        assert_eq!(
            highlight("Autonomous Navigation (NAV)", "nav"),
            Some((1, "Autonomous <b>Nav</b>igation (<b>NAV</b>)".to_owned()))
        );
        assert_eq!(
            highlight("Localization", "cal"),
            Some((2, "Lo<b>cal</b>ization".to_owned()))
        );
        assert_eq!(highlight("Planning", "x"), None);
        assert_eq!(
            highlight("Won't <Do> & co", ""),
            Some((0, "Won&#39;t &lt;Do&gt; &amp; co".to_owned()))
        );
        assert_eq!(
            highlight("R&D rocks", "r&d"),
            Some((0, "<b>R&amp;D</b> rocks".to_owned()))
        );
    }

    #[test]
    fn matching_is_case_insensitive_beyond_ascii() {
        assert_eq!(
            highlight("Tomás Herrera", "TOMÁS"),
            Some((0, "<b>Tomás</b> Herrera".to_owned()))
        );
        assert_eq!(match_at("Straße", "STRASSE"), None);
        assert_eq!(match_at("abc", "abcd"), None);
        assert_eq!(match_at("abc", "AB"), Some(2));
    }

    #[test]
    fn typed_text_drops_opening_quotes() {
        assert_eq!(typed_text(Some("  \"In Pr")), "In Pr");
        assert_eq!(typed_text(Some("'Done'")), "Done");
        assert_eq!(typed_text(None), "");
    }

    #[test]
    fn field_names_are_read_as_jql() {
        assert_eq!(parse_field("status"), Some(Field::Name("status".into())));
        assert_eq!(
            parse_field("\"Story Points\""),
            Some(Field::Name("Story Points".into()))
        );
        assert_eq!(parse_field("cf[10016]"), Some(Field::CustomId(10016)));
        assert_eq!(parse_field("a = b"), None);
    }
}
