//! Jira Software's Agile REST API (`/rest/agile/1.0/`), the two reads the sprint picker
//! needs: a project's boards and a board's sprints, paged like Atlassian documents them
//! (`startAt`, `maxResults`, `total`, `isLast`, `values`).
//!
//! The store has no boards of its own: every software project with sprints gets one
//! scrum board, "NAV board", whose id is its sprints' `board_id`. The error wordings
//! below are inferred (Atlassian documents the statuses, not the texts).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{ApiError, Ctx, ok};
use crate::emulator::store::{Project, Sprint};

/// Where the Agile API lives under the site.
pub const PREFIX: &str = "/rest/agile/1.0/";
/// Page sizes of both lists: Jira Software's default is also its maximum.
const DEFAULT_PAGE: i64 = 50;
const MAX_PAGE: i64 = 50;
/// The sprint states `state=` may name.
const SPRINT_STATES: [&str; 3] = ["future", "active", "closed"];

/// One board: a project's scrum board.
struct Board<'a> {
    id: u64,
    project: &'a Project,
}

impl Ctx<'_> {
    /// The boards of the store, by id: one per project that has sprints.
    fn boards(&self) -> Vec<Board<'_>> {
        let store = self.store();
        let mut by_id: BTreeMap<u64, &Project> = BTreeMap::new();
        for sprint in &store.sprints {
            if let Some(project) = store
                .projects
                .iter()
                .find(|p| p.key == sprint.project && p.project_type_key == "software")
            {
                by_id.entry(sprint.board_id).or_insert(project);
            }
        }
        by_id
            .into_iter()
            .map(|(id, project)| Board { id, project })
            .collect()
    }

    fn board_json(&self, board: &Board<'_>) -> Value {
        let p = board.project;
        json!({
            "id": board.id,
            "self": format!("{}{PREFIX}board/{}", self.req.api_base, board.id),
            "name": format!("{} board", p.key),
            "type": "scrum",
            "location": {
                "projectId": p.id,
                "displayName": format!("{} ({})", p.name, p.key),
                "projectName": p.name,
                "projectKey": p.key,
                "projectTypeKey": p.project_type_key,
                "name": format!("{} ({})", p.name, p.key),
            },
        })
    }

    fn sprint_json(&self, sprint: &Sprint) -> Value {
        let mut out = json!({
            "id": sprint.id,
            "self": format!("{}{PREFIX}sprint/{}", self.req.api_base, sprint.id),
            "state": sprint.state,
            "name": sprint.name,
            "originBoardId": sprint.board_id,
            "goal": sprint.goal,
        });
        crate::emulator::json::put_sprint_dates(&mut out, sprint);
        out
    }

    /// `startAt` and `maxResults`, within the Agile API's bounds.
    fn agile_page(&self) -> Result<(usize, usize), ApiError> {
        let start = self.req.int_param("startAt", 0)?.max(0);
        let max = self
            .req
            .int_param("maxResults", DEFAULT_PAGE)?
            .clamp(0, MAX_PAGE);
        Ok((
            usize::try_from(start).unwrap_or(usize::MAX),
            usize::try_from(max).unwrap_or_default(),
        ))
    }

    /// `GET /rest/agile/1.0/board`: the boards, optionally of one project
    /// (`projectKeyOrId`) and of one `type`.
    pub(super) fn agile_boards(&self) -> Response {
        let (start, max) = match self.agile_page() {
            Ok(page) => page,
            Err(e) => return e.into_response(),
        };
        let mut boards = self.boards();
        if let Some(wanted) = self.req.param("projectKeyOrId") {
            let known = self
                .store()
                .projects
                .iter()
                .any(|p| p.key.eq_ignore_ascii_case(wanted) || p.id.to_string() == wanted);
            if !known {
                return ApiError::bad_request(format!(
                    "No project could be found with key or id '{wanted}'."
                ))
                .into_response();
            }
            boards.retain(|b| {
                b.project.key.eq_ignore_ascii_case(wanted) || b.project.id.to_string() == wanted
            });
        }
        if let Some(kind) = self.req.param("type") {
            boards.retain(|_| kind.split(',').any(|k| k.trim() == "scrum"));
        }
        let values: Vec<Value> = boards
            .iter()
            .skip(start)
            .take(max)
            .map(|b| self.board_json(b))
            .collect();
        ok(&page_body(start, max, boards.len(), values))
    }

    /// `GET /rest/agile/1.0/board/{boardId}/sprint`: the board's sprints, oldest first,
    /// optionally only those in the states `state` lists (`active,future`).
    pub(super) fn agile_board_sprints(&self) -> Response {
        let (start, max) = match self.agile_page() {
            Ok(page) => page,
            Err(e) => return e.into_response(),
        };
        let board = self
            .req
            .segments
            .get(1)
            .and_then(|id| id.parse::<u64>().ok());
        let Some(board) = board.filter(|id| self.boards().iter().any(|b| b.id == *id)) else {
            return ApiError::new(
                StatusCode::NOT_FOUND,
                "Board does not exist or you do not have permission to see it.",
            )
            .into_response();
        };
        let mut states: Vec<&str> = Vec::new();
        if let Some(param) = self.req.param("state") {
            for state in param.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !SPRINT_STATES.contains(&state) {
                    return ApiError::bad_request(format!(
                        "The sprint state '{state}' is not valid: use future, active or closed."
                    ))
                    .into_response();
                }
                states.push(state);
            }
        }
        let sprints: Vec<&Sprint> = self
            .store()
            .sprints
            .iter()
            .filter(|s| s.board_id == board)
            .filter(|s| states.is_empty() || states.contains(&s.state.as_str()))
            .collect();
        let values: Vec<Value> = sprints
            .iter()
            .skip(start)
            .take(max)
            .map(|s| self.sprint_json(s))
            .collect();
        ok(&page_body(start, max, sprints.len(), values))
    }
}

/// A page of `values` out of `total`.
fn page_body(start: usize, max: usize, total: usize, values: Vec<Value>) -> Value {
    json!({
        "maxResults": max,
        "startAt": start,
        "total": total,
        "isLast": start.saturating_add(max) >= total,
        "values": values,
    })
}
