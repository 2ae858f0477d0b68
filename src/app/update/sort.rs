//! Sorting the results by a column. Only the query's ORDER BY is rewritten, through the
//! JQL AST, so the restriction stays exactly as the user typed it.

use super::{Effect, areas, start_search};
use crate::jql::{self, Direction, Field, JqlError, Keyword, OrderBy, Query, TokenKind};
use crate::state::State;
use crate::state::columns::{Column, column_of};

/// `jql` with its ORDER BY replaced by `order_by` (an empty list removes it). The text
/// before ORDER BY is kept byte for byte; only if that would not read back as the same
/// query is the whole query printed canonically instead.
pub fn rewrite_order_by(jql: &str, order_by: Vec<OrderBy>) -> Result<String, JqlError> {
    let mut query = jql::parse(jql)?;
    query.order_by = order_by;
    let order_text = Query {
        clause: None,
        order_by: query.order_by.clone(),
    }
    .to_string();
    // The query parsed, so an ORDER keyword outside parentheses can only start its
    // ORDER BY: JQL has no other place for it.
    let mut depth = 0usize;
    let mut order_at = None;
    for token in jql::lex(jql) {
        match token.kind {
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => depth = depth.saturating_sub(1),
            TokenKind::Keyword(Keyword::Order) if depth == 0 => {
                order_at = Some(token.span.start);
                break;
            }
            _ => {}
        }
    }
    let restriction = jql[..order_at.unwrap_or(jql.len())].trim_end();
    let spliced = match (restriction.is_empty(), order_text.is_empty()) {
        (true, _) => order_text,
        (false, true) => restriction.to_owned(),
        (false, false) => format!("{restriction} {order_text}"),
    };
    if jql::parse(&spliced).as_ref() == Ok(&query) {
        Ok(spliced)
    } else {
        Ok(query.to_string())
    }
}

/// The sortable columns on screen now (narrow panes drop some).
pub fn visible_sort_columns(state: &State) -> Vec<Column> {
    let inner = usize::from(areas(state).results.width.saturating_sub(2));
    state
        .search
        .columns
        .fit(inner, state.search.key_width())
        .into_iter()
        .map(|p| p.column)
        .filter(|c| c.sort_field().is_some())
        .collect()
}

fn parsed(state: &mut State) -> Option<Query> {
    match jql::parse(&state.search.jql) {
        Ok(q) => Some(q),
        Err(e) => {
            state.error(format!("Cannot sort: the query does not parse here. {e}"));
            None
        }
    }
}

fn resort(state: &mut State, order_by: Vec<OrderBy>) -> Vec<Effect> {
    match rewrite_order_by(&state.search.jql, order_by) {
        Ok(jql) => start_search(state, jql),
        Err(e) => {
            state.error(format!("Cannot sort: {e}"));
            Vec::new()
        }
    }
}

/// `s`: sort by the next visible column (the first one if the query sorts by none).
pub fn sort_next(state: &mut State) -> Vec<Effect> {
    let Some(query) = parsed(state) else {
        return Vec::new();
    };
    let columns = visible_sort_columns(state);
    if columns.is_empty() {
        state.info("No column on screen can be sorted by");
        return Vec::new();
    }
    let next = match query.order_by.first().and_then(|o| column_of(o, &columns)) {
        Some(i) => columns[(i + 1) % columns.len()],
        None => columns[0],
    };
    let Some(field) = next.sort_field() else {
        return Vec::new();
    };
    resort(
        state,
        vec![OrderBy {
            field: Field::Name(field.to_owned()),
            direction: Some(next.default_direction()),
        }],
    )
}

/// `S`: flip the direction of the first ORDER BY field, keeping any others.
pub fn sort_flip(state: &mut State) -> Vec<Effect> {
    let Some(query) = parsed(state) else {
        return Vec::new();
    };
    let mut order_by = query.order_by;
    let Some(first) = order_by.first_mut() else {
        state.info("The query has no ORDER BY: press s to sort by a column");
        return Vec::new();
    };
    // Without a direction Jira uses the field's own default; flip that one.
    let current = first.direction.unwrap_or_else(|| {
        Column::ALL
            .into_iter()
            .find(|c| matches!(&first.field, Field::Name(n) if c.sorts_by(n)))
            .map_or(Direction::Asc, Column::default_direction)
    });
    first.direction = Some(match current {
        Direction::Asc => Direction::Desc,
        Direction::Desc => Direction::Asc,
    });
    resort(state, order_by)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(field: &str, direction: Direction) -> Vec<OrderBy> {
        vec![OrderBy {
            field: Field::Name(field.into()),
            direction: Some(direction),
        }]
    }

    #[test]
    fn only_the_order_by_changes() {
        let typed =
            "project = NAV and  status   in (\"In Progress\", Done) order by updated desc, key";
        let out = rewrite_order_by(typed, by("status", Direction::Asc)).unwrap();
        assert_eq!(
            out,
            "project = NAV and  status   in (\"In Progress\", Done) ORDER BY status ASC"
        );
    }

    #[test]
    fn a_query_without_order_by_gets_one() {
        let out = rewrite_order_by(
            "assignee = currentUser()  ",
            by("priority", Direction::Desc),
        )
        .unwrap();
        assert_eq!(out, "assignee = currentUser() ORDER BY priority DESC");
        let only = rewrite_order_by("ORDER BY key", by("created", Direction::Desc)).unwrap();
        assert_eq!(only, "ORDER BY created DESC");
    }

    #[test]
    fn order_words_inside_values_and_parentheses_are_left_alone() {
        let typed = "summary ~ \"order by\" AND (labels = x) ORDER BY rank";
        let out = rewrite_order_by(typed, by("key", Direction::Asc)).unwrap();
        assert_eq!(
            out,
            "summary ~ \"order by\" AND (labels = x) ORDER BY key ASC"
        );
    }

    #[test]
    fn a_query_that_does_not_parse_is_refused() {
        assert!(rewrite_order_by("project = NAV AND", by("key", Direction::Asc)).is_err());
    }

    use crate::app::action::Action;
    use crate::app::update::update;
    use crate::jira::worker::JiraRequest;
    use crate::state::search::IssueRow;

    fn state(jql: &str) -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        state.search.jql = jql.into();
        state.search.rows = (1..=3)
            .map(|n| IssueRow {
                key: format!("NAV-{n}"),
                ..IssueRow::default()
            })
            .collect();
        state
    }

    /// The JQL of the search `effects` start, if any.
    fn searched(effects: &[Effect]) -> Option<String> {
        effects.iter().find_map(|e| match e {
            Effect::Jira(cmd) => match &cmd.request {
                JiraRequest::Search { jql, .. } => Some(jql.clone()),
                _ => None,
            },
            _ => None,
        })
    }

    #[test]
    fn s_cycles_the_visible_columns_and_s_flips_rewriting_only_order_by() {
        let typed = "project = NAV  and labels in (perf, \"to do\") ORDER BY updated DESC";
        let mut state = state(typed);
        let effects = update(&mut state, Action::SortNext);
        // Updated is the last column: the next one wraps to the key.
        let jql = searched(&effects).unwrap();
        assert_eq!(
            jql,
            "project = NAV  and labels in (perf, \"to do\") ORDER BY key ASC"
        );
        assert_eq!(state.search.jql, jql, "the search runs the rewritten query");
        let effects = update(&mut state, Action::SortNext);
        assert_eq!(
            searched(&effects).unwrap(),
            "project = NAV  and labels in (perf, \"to do\") ORDER BY issuetype ASC"
        );
        let effects = update(&mut state, Action::SortFlip);
        assert_eq!(
            searched(&effects).unwrap(),
            "project = NAV  and labels in (perf, \"to do\") ORDER BY issuetype DESC"
        );
    }

    #[test]
    fn a_query_without_order_by_gets_one_and_flip_explains_itself() {
        let mut state = state("assignee = currentUser()");
        assert!(update(&mut state, Action::SortFlip).is_empty());
        assert!(state.message.as_ref().unwrap().text.contains("press s"));
        let effects = update(&mut state, Action::SortNext);
        assert_eq!(
            searched(&effects).unwrap(),
            "assignee = currentUser() ORDER BY key ASC"
        );
    }

    #[test]
    fn flipping_a_field_without_direction_flips_jiras_default() {
        let mut state = state("project = NAV ORDER BY created, key");
        let effects = update(&mut state, Action::SortFlip);
        assert_eq!(
            searched(&effects).unwrap(),
            "project = NAV ORDER BY created ASC, key"
        );
    }

    #[test]
    fn narrow_panes_cycle_only_the_columns_on_screen() {
        let mut state = state("project = NAV ORDER BY status ASC");
        state.size = (60, 30);
        assert_eq!(
            visible_sort_columns(&state),
            [
                Column::Key,
                Column::Status,
                Column::Summary,
                Column::Assignee
            ]
        );
        let effects = update(&mut state, Action::SortNext);
        assert_eq!(
            searched(&effects).unwrap(),
            "project = NAV ORDER BY summary ASC"
        );
    }

    #[test]
    fn a_query_that_does_not_parse_locally_is_not_sent() {
        let mut state = state("project = NAV AND ORDER BY key");
        let effects = update(&mut state, Action::SortNext);
        assert!(effects.is_empty());
        let message = state.message.as_ref().unwrap();
        assert!(message.is_error, "{message:?}");
        assert!(message.text.starts_with("Cannot sort"), "{}", message.text);
        assert_eq!(state.search.jql, "project = NAV AND ORDER BY key");
    }
}
