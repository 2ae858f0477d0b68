//! Handlers of the saved-filter routes: `/filter/favourite`, `/filter/my`,
//! `/filter/search` and `/filter/{id}` (visibility, matching and JSON live in
//! [`crate::emulator::filters`]).

use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{ApiError, Ctx, ok, unauthorized};
use crate::emulator::filters::{
    self, FilterOrder, FilterQuery, SEARCH_EXPANDS, filter_details_json, filter_json,
};
use crate::emulator::store::Filter;

/// `/filter/search` page sizes.
const FILTER_DEFAULT_PAGE: i64 = 50;
const FILTER_MAX_PAGE: i64 = 100;
/// Most `id` values `/filter/search` takes.
const FILTER_MAX_IDS: usize = 200;

/// Jira's answer (a 400, not a 404) for a filter that is missing or not shared with the
/// caller.
const FILTER_NOT_AVAILABLE: &str = "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.";

impl Ctx<'_> {
    /// The values of a comma-separated (and possibly repeated) parameter.
    fn list_param(&self, name: &str) -> Vec<String> {
        self.req
            .params(name)
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn bool_param(&self, name: &str) -> Result<bool, ApiError> {
        match self.req.param(name).map(str::trim) {
            None | Some("") => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::bad_request(format!(
                "The value '{v}' of the query parameter '{name}' is not a valid boolean."
            ))),
        }
    }

    /// `Filter` JSON for a list, with `expand=sharedUsers` honoured.
    fn filter_list(&self, me: &str, list: Vec<&Filter>) -> Response {
        let expand_users = self.list_param("expand").iter().any(|e| e == "sharedUsers");
        let catalogue = [];
        let render = self.render(&catalogue);
        ok(&list
            .into_iter()
            .map(|f| filter_json(&render, f, me, expand_users))
            .collect())
    }

    pub(super) fn favourite_filters(&self) -> Response {
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let favourites = self
            .store()
            .filters
            .iter()
            .filter(|f| f.visible_to(me) && f.is_favourite_of(me))
            .collect();
        self.filter_list(me, filters::sorted_by_name(favourites))
    }

    pub(super) fn my_filters(&self) -> Response {
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let with_favourites = match self.bool_param("includeFavourites") {
            Ok(b) => b,
            Err(e) => return e.into_response(),
        };
        let mine = self
            .store()
            .filters
            .iter()
            .filter(|f| {
                f.owner == me || (with_favourites && f.visible_to(me) && f.is_favourite_of(me))
            })
            .collect();
        self.filter_list(me, filters::sorted_by_name(mine))
    }

    pub(super) fn filter(&self) -> Response {
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let found = self
            .req
            .segs()
            .get(1)
            .and_then(|id| id.trim().parse::<u64>().ok())
            .and_then(|id| self.store().filter(id))
            .filter(|f| f.visible_to(me));
        let Some(filter) = found else {
            return ApiError::bad_request(FILTER_NOT_AVAILABLE).into_response();
        };
        let expand_users = self.list_param("expand").iter().any(|e| e == "sharedUsers");
        let catalogue = [];
        ok(&filter_json(
            &self.render(&catalogue),
            filter,
            me,
            expand_users,
        ))
    }

    /// What `/filter/search` was asked, with Jira's 400s for contradictions and bad values.
    fn filter_query(&self) -> Result<FilterQuery, ApiError> {
        let req = self.req;
        let present = |name: &str| req.param(name).is_some_and(|v| !v.trim().is_empty());
        if present("accountId") && present("owner") {
            return Err(ApiError::bad_request(
                "The parameters 'accountId' and 'owner' cannot be used together.",
            ));
        }
        if present("groupname") && present("groupId") {
            return Err(ApiError::bad_request(
                "The parameters 'groupname' and 'groupId' cannot be used together.",
            ));
        }
        if present("projectId") {
            req.int_param("projectId", 0)?;
        }
        let ids = req
            .params("id")
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<u64>().map_err(|_| {
                    ApiError::bad_request(format!(
                        "The value '{v}' of the query parameter 'id' is not a valid integer."
                    ))
                })
            })
            .collect::<Result<Vec<u64>, ApiError>>()?;
        if ids.len() > FILTER_MAX_IDS {
            return Err(ApiError::bad_request(format!(
                "The number of filter IDs must not exceed {FILTER_MAX_IDS}."
            )));
        }
        let order = match req.param("orderBy").map(str::trim) {
            None | Some("") => FilterOrder::default(),
            Some(text) => FilterOrder::parse(text).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "The orderBy value '{text}' is not supported. Use description, favourite_count, id, is_favourite, name, owner or is_shared, optionally prefixed with + or -."
                ))
            })?,
        };
        Ok(FilterQuery {
            name: req.param("filterName").map(str::to_owned),
            substring: self.bool_param("isSubstringMatch")?,
            owner: req
                .param("accountId")
                .or_else(|| req.param("owner"))
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned),
            ids,
            shared_with_group_or_project: present("groupname")
                || present("groupId")
                || present("projectId"),
            order,
        })
    }

    pub(super) fn filter_search(&self) -> Response {
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let query = match self.filter_query() {
            Ok(q) => q,
            Err(e) => return e.into_response(),
        };
        let start_at = match self.req.int_param("startAt", 0) {
            Ok(n) => n.max(0) as usize,
            Err(e) => return e.into_response(),
        };
        let max_results = match self.req.int_param("maxResults", FILTER_DEFAULT_PAGE) {
            Ok(n) => n.clamp(0, FILTER_MAX_PAGE) as usize,
            Err(e) => return e.into_response(),
        };
        let expand = self.list_param("expand");
        if let Some(bad) = expand
            .iter()
            .find(|e| !SEARCH_EXPANDS.contains(&e.as_str()))
        {
            return ApiError::bad_request(format!(
                "The expand value '{bad}' is not supported. Valid values are: {}.",
                SEARCH_EXPANDS.join(", ")
            ))
            .into_response();
        }
        let expand: Vec<&str> = expand.iter().map(String::as_str).collect();
        let found = filters::search(self.store(), me, &query);
        let total = found.len();
        let catalogue = [];
        let render = self.render(&catalogue);
        let values: Vec<Value> = found
            .iter()
            .skip(start_at)
            .take(max_results)
            .map(|f| filter_details_json(&render, f, me, &expand))
            .collect();
        let is_last = start_at + max_results >= total;
        let link = |start: usize| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.req.query {
                if k != "startAt" && k != "maxResults" {
                    query.append_pair(k, v);
                }
            }
            query.append_pair("startAt", &start.to_string());
            query.append_pair("maxResults", &max_results.to_string());
            format!(
                "{}/rest/api/3/filter/search?{}",
                self.req.api_base,
                query.finish()
            )
        };
        let mut body = json!({
            "self": link(start_at),
            "maxResults": max_results,
            "startAt": start_at,
            "total": total,
            "isLast": is_last,
            "values": values,
        });
        if !is_last {
            body["nextPage"] = json!(link(start_at + max_results));
        }
        ok(&body)
    }
}
