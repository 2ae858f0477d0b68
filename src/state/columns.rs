//! The results table's columns: which ones, in what order, how wide, which Jira field
//! each needs from the search and which JQL field sorts by it. Plain data and pure
//! functions, so `update` (sorting, clicks) and drawing agree on what is on screen.

use std::fmt;

use crate::jql::{self, Direction, Field, OrderBy};

/// One column the results table can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Key,
    Type,
    Priority,
    Status,
    Summary,
    Assignee,
    Reporter,
    Created,
    Updated,
    Resolution,
    Due,
    Labels,
    Components,
}

/// How relative dates ("3h", "just now") and the date-only fallback fit.
pub const DATE_COLUMN_WIDTH: usize = 10;
/// The summary keeps at least this many columns before others are dropped.
pub const MIN_SUMMARY_WIDTH: usize = 20;
/// The key column is never narrower than its header.
const MIN_KEY_WIDTH: usize = 3;

impl Column {
    /// Every column, in the order the names are listed in errors and docs.
    pub const ALL: [Column; 13] = [
        Column::Key,
        Column::Type,
        Column::Priority,
        Column::Status,
        Column::Summary,
        Column::Assignee,
        Column::Reporter,
        Column::Created,
        Column::Updated,
        Column::Resolution,
        Column::Due,
        Column::Labels,
        Column::Components,
    ];

    /// The name used in the config file (`[ui] columns = ["key", ...]`).
    pub fn name(self) -> &'static str {
        match self {
            Column::Key => "key",
            Column::Type => "type",
            Column::Priority => "priority",
            Column::Status => "status",
            Column::Summary => "summary",
            Column::Assignee => "assignee",
            Column::Reporter => "reporter",
            Column::Created => "created",
            Column::Updated => "updated",
            Column::Resolution => "resolution",
            Column::Due => "due",
            Column::Labels => "labels",
            Column::Components => "components",
        }
    }

    /// A column by its config name (case-insensitive; Jira's field ids are accepted too).
    pub fn from_name(name: &str) -> Option<Column> {
        let name = name.trim().to_ascii_lowercase();
        let alias = match name.as_str() {
            "issuetype" => Some(Column::Type),
            "duedate" => Some(Column::Due),
            "component" => Some(Column::Components),
            _ => None,
        };
        alias.or_else(|| Column::ALL.into_iter().find(|c| c.name() == name))
    }

    pub fn header(self) -> &'static str {
        match self {
            Column::Key => "Key",
            Column::Type => "Type",
            Column::Priority => "Priority",
            Column::Status => "Status",
            Column::Summary => "Summary",
            Column::Assignee => "Assignee",
            Column::Reporter => "Reporter",
            Column::Created => "Created",
            Column::Updated => "Updated",
            Column::Resolution => "Resolution",
            Column::Due => "Due",
            Column::Labels => "Labels",
            Column::Components => "Components",
        }
    }

    /// Fixed width in columns; `None` for the key (as wide as the widest key) and the
    /// summary (whatever is left).
    fn fixed_width(self) -> Option<usize> {
        match self {
            Column::Key | Column::Summary => None,
            Column::Type | Column::Priority => Some(8),
            Column::Status => Some(12),
            Column::Assignee | Column::Reporter => Some(16),
            Column::Created | Column::Updated | Column::Due => Some(DATE_COLUMN_WIDTH),
            Column::Resolution | Column::Labels | Column::Components => Some(12),
        }
    }

    /// The Jira field the search must return for this column (`None`: the key, which
    /// every search result carries).
    pub fn search_field(self) -> Option<&'static str> {
        match self {
            Column::Key => None,
            Column::Type => Some("issuetype"),
            Column::Priority => Some("priority"),
            Column::Status => Some("status"),
            Column::Summary => Some("summary"),
            Column::Assignee => Some("assignee"),
            Column::Reporter => Some("reporter"),
            Column::Created => Some("created"),
            Column::Updated => Some("updated"),
            Column::Resolution => Some("resolution"),
            Column::Due => Some("duedate"),
            Column::Labels => Some("labels"),
            Column::Components => Some("components"),
        }
    }

    /// The JQL field that sorts by this column, or `None` when Jira cannot sort by it.
    pub fn sort_field(self) -> Option<&'static str> {
        match self {
            Column::Key => Some("key"),
            Column::Labels | Column::Components => None,
            other => other.search_field(),
        }
    }

    /// Names Jira accepts in ORDER BY for this column's field, lower case.
    fn sort_aliases(self) -> &'static [&'static str] {
        match self {
            Column::Key => &["key", "issuekey", "id"],
            Column::Type => &["issuetype", "type"],
            Column::Created => &["created", "createddate"],
            Column::Updated => &["updated", "updateddate"],
            Column::Due => &["duedate", "due"],
            Column::Resolution => &["resolution"],
            Column::Priority => &["priority"],
            Column::Status => &["status"],
            Column::Summary => &["summary"],
            Column::Assignee => &["assignee"],
            Column::Reporter => &["reporter"],
            Column::Labels | Column::Components => &[],
        }
    }

    /// Whether an ORDER BY field (as written, any case) sorts by this column.
    pub fn sorts_by(self, jql_field: &str) -> bool {
        let lower = jql_field.trim().to_ascii_lowercase();
        self.sort_aliases().contains(&lower.as_str())
    }

    /// The direction a first press sorts in: newest and highest first for dates and
    /// priority (as Jira does by default), A to Z for the rest.
    pub fn default_direction(self) -> Direction {
        match self {
            Column::Priority | Column::Created | Column::Updated => Direction::Desc,
            _ => Direction::Asc,
        }
    }

    /// Narrow panes drop columns in this order (lower first); key, status and summary
    /// are never dropped.
    fn drop_rank(self) -> Option<u8> {
        match self {
            Column::Created => Some(0),
            Column::Components => Some(1),
            Column::Labels => Some(2),
            Column::Due => Some(3),
            Column::Resolution => Some(4),
            Column::Reporter => Some(5),
            Column::Updated => Some(6),
            Column::Priority => Some(7),
            Column::Type => Some(8),
            Column::Assignee => Some(9),
            Column::Key | Column::Status | Column::Summary => None,
        }
    }
}

/// A configured column list was not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnsError {
    #[error("unknown results column{} {}; known columns: {}", plural(.0.len()), quoted(.0), known())]
    Unknown(Vec<String>),
    #[error("results column \"{0}\" is listed twice")]
    Duplicate(String),
    #[error("the results table needs at least one column")]
    Empty,
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn known() -> String {
    Column::ALL.map(Column::name).join(", ")
}

/// The columns of the results table, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsColumns(Vec<Column>);

impl Default for ResultsColumns {
    /// Key, type, priority, status, summary, assignee, updated.
    fn default() -> Self {
        Self(vec![
            Column::Key,
            Column::Type,
            Column::Priority,
            Column::Status,
            Column::Summary,
            Column::Assignee,
            Column::Updated,
        ])
    }
}

/// One column placed on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedColumn {
    pub column: Column,
    /// Width in terminal columns, without the one-column gap after it.
    pub width: usize,
}

impl ResultsColumns {
    /// Columns from their config names, e.g. `["key", "status", "summary"]`. Unknown
    /// names are all reported at once, with the list of known ones.
    pub fn from_names<I, S>(names: I) -> Result<Self, ColumnsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut columns = Vec::new();
        let mut unknown = Vec::new();
        for name in names {
            let name = name.as_ref();
            match Column::from_name(name) {
                Some(c) if columns.contains(&c) => {
                    return Err(ColumnsError::Duplicate(name.to_owned()));
                }
                Some(c) => columns.push(c),
                None => unknown.push(name.to_owned()),
            }
        }
        if !unknown.is_empty() {
            return Err(ColumnsError::Unknown(unknown));
        }
        if columns.is_empty() {
            return Err(ColumnsError::Empty);
        }
        Ok(Self(columns))
    }

    pub fn columns(&self) -> &[Column] {
        &self.0
    }

    /// The fields a search must ask for to fill these columns, and nothing more.
    pub fn search_fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        for field in self.0.iter().filter_map(|c| c.search_field()) {
            if !fields.iter().any(|f| f == field) {
                fields.push(field.to_owned());
            }
        }
        if fields.is_empty() {
            // Jira returns only ids when no field is named; the key needs a real field.
            fields.push("summary".to_owned());
        }
        fields
    }

    /// The columns that fit in `total` columns of width and how wide each is (each is
    /// followed by a one-column gap). Columns are dropped by rank until the summary keeps
    /// `MIN_SUMMARY_WIDTH`; the summary then takes what is left. `key_width` is the widest
    /// key among the rows.
    pub fn fit(&self, total: usize, key_width: usize) -> Vec<PlacedColumn> {
        let width_of = |c: Column| match c {
            Column::Key => key_width.max(MIN_KEY_WIDTH),
            Column::Summary => 0,
            other => other.fixed_width().unwrap_or(0),
        };
        let has_summary = self.0.contains(&Column::Summary);
        let mut shown: Vec<Column> = self.0.clone();
        let fixed = |cols: &[Column]| {
            cols.iter()
                .filter(|c| **c != Column::Summary)
                .map(|c| width_of(*c) + 1)
                .sum::<usize>()
        };
        let wanted =
            |cols: &[Column]| fixed(cols) + if has_summary { MIN_SUMMARY_WIDTH } else { 0 };
        let mut ranked: Vec<Column> = shown
            .iter()
            .copied()
            .filter(|c| c.drop_rank().is_some())
            .collect();
        ranked.sort_by_key(|c| c.drop_rank());
        for drop in ranked {
            if total >= wanted(&shown) {
                break;
            }
            shown.retain(|c| *c != drop);
        }
        // The last column's gap may fall off the right edge: it is only a separator.
        let summary = total.saturating_sub(fixed(&shown));
        shown
            .into_iter()
            .map(|column| PlacedColumn {
                column,
                width: if column == Column::Summary {
                    summary
                } else {
                    width_of(column)
                },
            })
            .collect()
    }
}

impl fmt::Display for ResultsColumns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|c| c.name()).collect();
        f.write_str(&names.join(", "))
    }
}

/// The column an ORDER BY term sorts by, as an index into `columns`.
pub fn column_of(order: &OrderBy, columns: &[Column]) -> Option<usize> {
    match &order.field {
        Field::Name(name) => columns.iter().position(|c| c.sorts_by(name)),
        Field::CustomId(_) => None,
    }
}

/// The column and direction a query's results are sorted by (its first ORDER BY
/// field), for the header's arrow. `None` when it does not parse or sorts by something
/// that is not a column.
pub fn sorted_by(jql: &str) -> Option<(Column, Direction)> {
    let query = jql::parse(jql).ok()?;
    let first = query.order_by.first()?;
    let column = Column::ALL[column_of(first, &Column::ALL)?];
    Some((
        column,
        first.direction.unwrap_or(column.default_direction()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_column_is_the_first_order_by_field() {
        assert_eq!(
            sorted_by("project = NAV ORDER BY updatedDate"),
            Some((Column::Updated, Direction::Desc))
        );
        assert_eq!(
            sorted_by("project = NAV ORDER BY issuetype ASC, key"),
            Some((Column::Type, Direction::Asc))
        );
        assert_eq!(sorted_by("project = NAV ORDER BY rank"), None);
        assert_eq!(sorted_by("project = NAV"), None);
        assert_eq!(sorted_by("project = "), None);
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_all_reported() {
        for c in Column::ALL {
            assert_eq!(Column::from_name(c.name()), Some(c));
        }
        let cols = ResultsColumns::from_names(["Key", "status", "issuetype", "summary"]).unwrap();
        assert_eq!(
            cols.columns(),
            [Column::Key, Column::Status, Column::Type, Column::Summary]
        );
        let err = ResultsColumns::from_names(["key", "sumary", "votes"]).unwrap_err();
        assert_eq!(
            err,
            ColumnsError::Unknown(vec!["sumary".into(), "votes".into()])
        );
        let text = err.to_string();
        assert!(text.contains("\"sumary\", \"votes\""), "{text}");
        assert!(text.contains("known columns: key, type"), "{text}");
        assert_eq!(
            ResultsColumns::from_names(["key", "key"]),
            Err(ColumnsError::Duplicate("key".into()))
        );
        assert_eq!(
            ResultsColumns::from_names(Vec::<String>::new()),
            Err(ColumnsError::Empty)
        );
    }

    #[test]
    fn search_asks_only_for_the_fields_the_columns_show() {
        assert_eq!(
            ResultsColumns::default().search_fields(),
            [
                "issuetype",
                "priority",
                "status",
                "summary",
                "assignee",
                "updated"
            ]
        );
        let cols = ResultsColumns::from_names(["key", "due", "reporter"]).unwrap();
        assert_eq!(cols.search_fields(), ["duedate", "reporter"]);
        let key_only = ResultsColumns::from_names(["key"]).unwrap();
        assert_eq!(key_only.search_fields(), ["summary"]);
    }

    #[test]
    fn narrow_widths_drop_columns_by_rank_and_the_summary_takes_the_rest() {
        let cols = ResultsColumns::default();
        let wide = cols.fit(140, 7);
        assert_eq!(wide.len(), 7);
        let used: usize = wide.iter().map(|p| p.width + 1).sum();
        assert_eq!(
            used, 141,
            "the row is filled; the last gap falls off the edge"
        );
        let narrow = cols.fit(60, 7);
        let names: Vec<Column> = narrow.iter().map(|p| p.column).collect();
        assert_eq!(
            names,
            [
                Column::Key,
                Column::Status,
                Column::Summary,
                Column::Assignee
            ]
        );
        let summary = narrow.iter().find(|p| p.column == Column::Summary).unwrap();
        assert!(summary.width >= MIN_SUMMARY_WIDTH);
        // Nothing is dropped that is never droppable, even at width zero.
        let tiny: Vec<Column> = cols.fit(0, 7).iter().map(|p| p.column).collect();
        assert_eq!(tiny, [Column::Key, Column::Status, Column::Summary]);
    }

    #[test]
    fn sort_fields_accept_jira_aliases() {
        assert!(Column::Updated.sorts_by("updatedDate"));
        assert!(Column::Type.sorts_by("issuetype"));
        assert!(Column::Key.sorts_by("KEY"));
        assert!(!Column::Labels.sorts_by("labels"));
        assert_eq!(Column::Labels.sort_field(), None);
        assert_eq!(Column::Updated.default_direction(), Direction::Desc);
        assert_eq!(Column::Summary.default_direction(), Direction::Asc);
    }
}
