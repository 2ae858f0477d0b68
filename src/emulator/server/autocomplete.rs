//! Handlers of the JQL completion routes: `GET`/`POST /jql/autocompletedata` and
//! `GET /jql/autocompletedata/suggestions` (the data itself comes from
//! [`crate::emulator::autocomplete`]).

use axum::http::Method;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{ApiError, BAD_PAYLOAD, Ctx, bad_request, ok};
use crate::emulator::autocomplete::{self, SuggestionQuery};

impl Ctx<'_> {
    /// `GET` lists every field; `POST` with `{"projectIds": [...]}` limits the custom
    /// fields to those projects. `includeCollapsedFields` is accepted and changes nothing:
    /// the emulator has no custom fields sharing a name, so there is nothing to collapse.
    pub(super) fn jql_autocomplete_data(&self) -> Response {
        if self.req.method != Method::POST {
            return ok(&autocomplete::reference_data(self.store(), None));
        }
        match self.autocomplete_projects() {
            Ok(projects) => ok(&autocomplete::reference_data(
                self.store(),
                projects.as_deref(),
            )),
            Err(e) => e.into_response(),
        }
    }

    /// The `SearchAutoCompleteFilter` body's project ids; `None` when there are none.
    fn autocomplete_projects(&self) -> Result<Option<Vec<u64>>, ApiError> {
        let body = self.json_body()?;
        let bad = || ApiError::bad_request(BAD_PAYLOAD);
        match body.get("includeCollapsedFields") {
            None | Some(Value::Null | Value::Bool(_)) => {}
            Some(_) => return Err(bad()),
        }
        let ids = match body.get("projectIds") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(Value::as_u64)
                .collect::<Option<Vec<u64>>>()
                .ok_or_else(bad)?,
            Some(_) => return Err(bad()),
        };
        Ok((!ids.is_empty()).then_some(ids))
    }

    pub(super) fn jql_suggestions(&self) -> Response {
        let query = SuggestionQuery {
            field_name: self.req.param("fieldName"),
            field_value: self.req.param("fieldValue"),
            predicate_name: self.req.param("predicateName"),
            predicate_value: self.req.param("predicateValue"),
        };
        match autocomplete::suggestions(self.store(), &query) {
            Ok(body) => ok(&body),
            Err(message) => bad_request(&message),
        }
    }
}
