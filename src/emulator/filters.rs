//! Saved filters: who sees which, the `/filter/search` name matching and ordering, and the
//! two JSON shapes Jira uses for them (`Filter` for `/filter/{id}`, `/favourite` and `/my`;
//! `FilterDetails` for `/filter/search`, where most members appear only when expanded).

use serde_json::{Value, json};

use super::json::Render;
use super::store::{Filter, Store};

/// How many shared users Jira lists in `sharedUsers` when expanded.
const SHARED_USERS_PAGE: usize = 1000;

/// Every `expand` value `/filter/search` accepts, in the order Jira advertises them.
pub const SEARCH_EXPANDS: &[&str] = &[
    "description",
    "owner",
    "jql",
    "viewUrl",
    "searchUrl",
    "favourite",
    "favouritedCount",
    "sharePermissions",
    "editPermissions",
    "isWritable",
    "approximateLastUsed",
    "subscriptions",
];

/// A `/filter/search` `orderBy` value: the key and whether it is descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterOrder {
    key: OrderKey,
    descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderKey {
    Description,
    FavouriteCount,
    Id,
    IsFavourite,
    Name,
    Owner,
    IsShared,
}

impl FilterOrder {
    /// Reads `name`, `-name`, `+favourite_count`... `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (descending, key) = match text.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let key = match key {
            "description" => OrderKey::Description,
            "favourite_count" => OrderKey::FavouriteCount,
            "id" => OrderKey::Id,
            "is_favourite" => OrderKey::IsFavourite,
            "name" => OrderKey::Name,
            "owner" => OrderKey::Owner,
            "is_shared" => OrderKey::IsShared,
            _ => return None,
        };
        Some(Self { key, descending })
    }
}

impl Default for FilterOrder {
    fn default() -> Self {
        Self {
            key: OrderKey::Name,
            descending: false,
        }
    }
}

/// What `/filter/search` restricts to; `None` members do not restrict.
#[derive(Debug, Clone, Default)]
pub struct FilterQuery {
    pub name: Option<String>,
    /// `isSubstringMatch`: plain substring instead of word matching.
    pub substring: bool,
    pub owner: Option<String>,
    pub ids: Vec<u64>,
    /// A group or project share was asked for. The emulator shares filters with logged-in
    /// users only, so no filter matches.
    pub shared_with_group_or_project: bool,
    pub order: FilterOrder,
}

/// Jira's full-text name match, approximated: every word typed starts a word of the name
/// (case-insensitively). With `substring`, the text only has to occur in the name.
fn name_matches(name: &str, wanted: &str, substring: bool) -> bool {
    let name = name.to_lowercase();
    let wanted = wanted.to_lowercase();
    if substring {
        return name.contains(wanted.trim());
    }
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    wanted
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|term| words.iter().any(|w| w.starts_with(term)))
}

/// The filters `me` may see that match `query`, in its order.
pub fn search<'s>(store: &'s Store, me: &str, query: &FilterQuery) -> Vec<&'s Filter> {
    if query.shared_with_group_or_project {
        return Vec::new();
    }
    let mut found: Vec<&Filter> = store
        .filters
        .iter()
        .filter(|f| f.visible_to(me))
        .filter(|f| {
            query
                .name
                .as_deref()
                .is_none_or(|n| name_matches(&f.name, n, query.substring))
        })
        .filter(|f| query.owner.as_deref().is_none_or(|o| f.owner == o))
        .filter(|f| query.ids.is_empty() || query.ids.contains(&f.id))
        .collect();
    let by_name = |a: &Filter, b: &Filter| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    };
    found.sort_by(|a, b| {
        let ord = match query.order.key {
            OrderKey::Description => a
                .description
                .to_lowercase()
                .cmp(&b.description.to_lowercase()),
            OrderKey::FavouriteCount => a.favourite_of.len().cmp(&b.favourite_of.len()),
            OrderKey::Id => a.id.cmp(&b.id),
            OrderKey::IsFavourite => a.is_favourite_of(me).cmp(&b.is_favourite_of(me)),
            OrderKey::Name => by_name(a, b),
            OrderKey::Owner => a.owner.cmp(&b.owner),
            OrderKey::IsShared => a.shared.cmp(&b.shared),
        };
        // Ties go by name, ascending either way.
        let ord = if query.order.descending {
            ord.reverse()
        } else {
            ord
        };
        ord.then_with(|| by_name(a, b))
    });
    found
}

/// Filters sorted by name, as `/filter/favourite` and `/filter/my` list them.
pub fn sorted_by_name(mut filters: Vec<&Filter>) -> Vec<&Filter> {
    filters.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    filters
}

/// The parts of a filter's JSON both shapes share.
struct Parts<'a> {
    render: &'a Render<'a>,
    filter: &'a Filter,
    me: &'a str,
}

impl Parts<'_> {
    fn self_url(&self) -> String {
        format!("{}/rest/api/3/filter/{}", self.render.api, self.filter.id)
    }

    fn view_url(&self) -> String {
        format!("{}/issues/?filter={}", self.render.api, self.filter.id)
    }

    fn search_url(&self) -> String {
        let jql: String =
            url::form_urlencoded::byte_serialize(self.filter.jql.as_bytes()).collect();
        format!("{}/rest/api/3/search/jql?jql={jql}", self.render.api)
    }

    /// `loggedin` for a shared filter; the share's id is the filter's, which is unique.
    fn share_permissions(&self) -> Value {
        if self.filter.shared {
            json!([{ "id": self.filter.id, "type": "loggedin" }])
        } else {
            json!([])
        }
    }

    /// `UserList`: everyone a shared filter reaches (active people); listed only when
    /// `expanded`, as Jira does.
    fn shared_users(&self, store: &Store, expanded: bool) -> Value {
        let users: Vec<Value> = if self.filter.shared {
            store
                .users
                .iter()
                .filter(|u| u.active && u.account_type == "atlassian")
                .map(|u| self.render.user_details(u))
                .collect()
        } else {
            Vec::new()
        };
        let items: Vec<Value> = if expanded {
            users.iter().take(SHARED_USERS_PAGE).cloned().collect()
        } else {
            Vec::new()
        };
        json!({
            "size": users.len(),
            "items": items,
            "max-results": SHARED_USERS_PAGE,
            "start-index": 0,
            "end-index": items.len().saturating_sub(1),
        })
    }
}

/// `Filter`, as `/filter/{id}`, `/filter/favourite` and `/filter/my` return it: everything,
/// `jql` included. `expand_shared_users` lists the users in `sharedUsers`. Subscriptions
/// are not modelled, so that list is always empty.
pub fn filter_json(
    render: &Render<'_>,
    filter: &Filter,
    me: &str,
    expand_shared_users: bool,
) -> Value {
    let parts = Parts { render, filter, me };
    let mut out = json!({
        "self": parts.self_url(),
        "id": filter.id.to_string(),
        "name": filter.name,
        "owner": render.user_ref(&filter.owner),
        "jql": filter.jql,
        "viewUrl": parts.view_url(),
        "searchUrl": parts.search_url(),
        "favourite": filter.is_favourite_of(parts.me),
        "favouritedCount": filter.favourite_of.len(),
        "sharePermissions": parts.share_permissions(),
        "editPermissions": [],
        "sharedUsers": parts.shared_users(render.db.store(), expand_shared_users),
        "subscriptions": {
            "size": 0,
            "items": [],
            "max-results": SHARED_USERS_PAGE,
            "start-index": 0,
            "end-index": 0,
        },
    });
    if !filter.description.is_empty() {
        out["description"] = json!(filter.description);
    }
    out
}

/// `FilterDetails`, as `/filter/search` returns it: `self`, `id` and `name`, plus what
/// `expand` asks for (already checked against [`SEARCH_EXPANDS`]). `isWritable` and
/// `approximateLastUsed` are accepted but not sent: the spec's `FilterDetails` has no
/// `isWritable`, and the emulator does not track use.
pub fn filter_details_json(
    render: &Render<'_>,
    filter: &Filter,
    me: &str,
    expand: &[&str],
) -> Value {
    let parts = Parts { render, filter, me };
    let wants = |name: &str| expand.contains(&name);
    let mut out = json!({
        "expand": SEARCH_EXPANDS.join(","),
        "self": parts.self_url(),
        "id": filter.id.to_string(),
        "name": filter.name,
    });
    if wants("description") && !filter.description.is_empty() {
        out["description"] = json!(filter.description);
    }
    if wants("owner") {
        out["owner"] = render.user_ref(&filter.owner);
    }
    if wants("jql") {
        out["jql"] = json!(filter.jql);
    }
    if wants("viewUrl") {
        out["viewUrl"] = json!(parts.view_url());
    }
    if wants("searchUrl") {
        out["searchUrl"] = json!(parts.search_url());
    }
    if wants("favourite") {
        out["favourite"] = json!(filter.is_favourite_of(me));
    }
    if wants("favouritedCount") {
        out["favouritedCount"] = json!(filter.favourite_of.len());
    }
    if wants("sharePermissions") {
        out["sharePermissions"] = parts.share_permissions();
    }
    if wants("editPermissions") {
        out["editPermissions"] = json!([]);
    }
    if wants("subscriptions") {
        out["subscriptions"] = json!([]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_values() {
        assert_eq!(FilterOrder::parse("name"), Some(FilterOrder::default()));
        assert_eq!(
            FilterOrder::parse("-favourite_count"),
            Some(FilterOrder {
                key: OrderKey::FavouriteCount,
                descending: true
            })
        );
        assert_eq!(FilterOrder::parse("+id").map(|o| o.key), Some(OrderKey::Id));
        assert_eq!(FilterOrder::parse("rank"), None);
        assert_eq!(FilterOrder::parse("--name"), None);
    }

    #[test]
    fn name_matching() {
        assert!(name_matches("My open bugs", "open", false));
        assert!(name_matches("My open bugs", "BUG op", false));
        assert!(!name_matches("My open bugs", "pen", false));
        assert!(name_matches("My open bugs", "pen", true));
        assert!(name_matches("NAV 2.8.0 release scope", "2.8", false));
        assert!(!name_matches("My open bugs", "closed", false));
    }
}
