//! Jira Software's Agile REST API (`/rest/agile/1.0/`): the boards of a project and the
//! sprints of a board, which the sprint picker offers.
//!
//! Documented by Atlassian ("Get all boards", "Get all sprints"): both lists are paged
//! with `startAt`, `maxResults`, `isLast` and `values`; a board is `{id, self, name,
//! type, location{projectKey, ...}}`, a sprint `{id, self, state, name, startDate,
//! endDate, completeDate, originBoardId, goal}` with dates in ISO 8601 (UTC, `Z`);
//! `state` filters sprints by a comma-separated list of `future`, `active`, `closed`.
//! Inferred: a kanban board has no sprints (Jira answers its sprint list with 400), so
//! only the other board types are asked.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::client::JiraClient;
use super::error::JiraError;
use super::models::Page;

/// Where the Agile API lives under the site.
const AGILE_PREFIX: [&str; 3] = ["rest", "agile", "1.0"];
/// The board type that cannot hold sprints.
const KANBAN: &str = "kanban";
/// The sprints an issue can be moved to.
pub const OPEN_SPRINT_STATES: &str = "active,future";

/// One board, as `GET /board` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct Board {
    pub id: u64,
    pub name: String,
    /// `scrum`, `kanban` or `simple`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl Board {
    /// Whether the board can hold sprints (everything but kanban).
    pub fn has_sprints(&self) -> bool {
        !self.kind.eq_ignore_ascii_case(KANBAN)
    }
}

/// One sprint, as `GET /board/{id}/sprint` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Sprint {
    pub id: u64,
    pub name: String,
    /// `future`, `active` or `closed`.
    pub state: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub origin_board_id: Option<u64>,
    pub goal: Option<String>,
}

impl Sprint {
    pub fn start(&self) -> Option<DateTime<FixedOffset>> {
        self.start_date.as_deref().and_then(parse_date)
    }

    pub fn end(&self) -> Option<DateTime<FixedOffset>> {
        self.end_date.as_deref().and_then(parse_date)
    }
}

fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .or_else(|| DateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S%.f%z").ok())
}

impl JiraClient {
    /// `GET /rest/agile/1.0/board?projectKeyOrId=`: one page of the project's boards.
    pub async fn boards(
        &self,
        project: &str,
        start_at: u32,
        max_results: u32,
    ) -> Result<Page<Board>, JiraError> {
        let start = start_at.to_string();
        let max = max_results.to_string();
        let params = [
            ("projectKeyOrId", project.trim()),
            ("startAt", start.as_str()),
            ("maxResults", max.as_str()),
        ];
        self.get_under(&AGILE_PREFIX, &["board"], &params, "the project's boards")
            .await
    }

    /// `GET /rest/agile/1.0/board/{id}/sprint?state=`: one page of a board's sprints in
    /// the `states` given (comma-separated).
    pub async fn board_sprints(
        &self,
        board: u64,
        states: &str,
        start_at: u32,
        max_results: u32,
    ) -> Result<Page<Sprint>, JiraError> {
        let board = board.to_string();
        let start = start_at.to_string();
        let max = max_results.to_string();
        let params = [
            ("state", states),
            ("startAt", start.as_str()),
            ("maxResults", max.as_str()),
        ];
        self.get_under(
            &AGILE_PREFIX,
            &["board", &board, "sprint"],
            &params,
            "the board's sprints",
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn boards_and_sprints_read_atlassians_shapes() {
        let page: Page<Board> = serde_json::from_value(json!({
            "maxResults": 2, "startAt": 0, "total": 2, "isLast": true,
            "values": [
                {"id": 84, "self": "https://x/rest/agile/1.0/board/84", "name": "scrum board",
                 "type": "scrum", "location": {"projectKey": "NAV"}},
                {"id": 92, "name": "kanban board", "type": "kanban"}
            ]
        }))
        .unwrap();
        assert_eq!(page.values.len(), 2);
        assert!(page.values[0].has_sprints());
        assert!(!page.values[1].has_sprints());
        let sprint: Sprint = serde_json::from_value(json!({
            "id": 37, "self": "https://x/rest/agile/1.0/sprint/23", "state": "active",
            "name": "sprint 1", "startDate": "2015-04-11T15:22:00.000Z",
            "endDate": "2015-04-20T01:22:00.000Z", "originBoardId": 5, "goal": "sprint 1 goal"
        }))
        .unwrap();
        assert_eq!(sprint.id, 37);
        assert_eq!(sprint.origin_board_id, Some(5));
        assert_eq!(
            sprint.start().unwrap().to_rfc3339(),
            "2015-04-11T15:22:00+00:00"
        );
        let future: Sprint =
            serde_json::from_value(json!({"id": 38, "state": "future", "name": "Next"})).unwrap();
        assert_eq!(future.start(), None);
    }
}
