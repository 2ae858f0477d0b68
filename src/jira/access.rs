//! What a request needs: whether it only reads (the read-only mode lets only those out),
//! and which Jira permission or API-token scope a write takes, so a refusal can say so.
//!
//! Paths here are the part after `/rest/api/3/` (`issue/NAV-1/comment`); a leading slash,
//! the `/rest/api/3/` prefix and the gateway prefix `/ex/jira/{cloudId}` are all accepted.

use std::fmt;

use reqwest::Method;

/// POSTs that only read. Jira takes a body for these because a JQL query or a list of
/// them can be long, not because they change anything: Atlassian files each under the
/// `read:jira-work` OAuth scope and the `READ` Connect scope. Every other non-GET request
/// is a write and never leaves a read-only session. Add to this list only an operation
/// whose spec entry says the same.
pub const READ_ONLY_POSTS: &[&str] = &[
    "search/jql",
    "search/approximate-count",
    "jql/autocompletedata",
    "jql/parse",
    "jql/match",
];

/// The classic scope every write needs on a scoped API token.
pub const WRITE_SCOPE: &str = "write:jira-work";
/// The classic scope reads of issues, projects and filters need.
pub const READ_SCOPE: &str = "read:jira-work";
/// The classic scope reads of users need (`myself`, user search).
pub const READ_USER_SCOPE: &str = "read:jira-user";

/// What Jira checks before it lets a request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// A project or global permission, by its key (`EDIT_ISSUES`), from the site's
    /// permission scheme: an administrator grants it.
    Permission(&'static str),
    /// A scope of a scoped API token (`write:jira-work`): chosen when the token is created.
    Scope(&'static str),
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Permission(key) => write!(f, "the Jira permission {key}"),
            Self::Scope(scope) => write!(f, "the API token scope {scope}"),
        }
    }
}

/// The API path without any prefix: `issue/NAV-1/comment`.
pub fn api_path(path: &str) -> &str {
    let path = match path.find("/rest/api/3/") {
        Some(i) => &path[i + "/rest/api/3/".len()..],
        None => path.strip_prefix("rest/api/3/").unwrap_or(path),
    };
    path.trim_matches('/')
}

fn segments(path: &str) -> Vec<&str> {
    api_path(path)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether the request only reads: every GET, and the POSTs in [`READ_ONLY_POSTS`].
pub fn is_read(method: &Method, path: &str) -> bool {
    if *method == Method::GET {
        return true;
    }
    *method == Method::POST && READ_ONLY_POSTS.contains(&api_path(path))
}

/// The project permission Jira checks for a write, by Jira's permission keys; `None` for
/// reads and for writes this table does not know. Commenting, editing and deleting
/// someone else's comment need the `_ALL_` variants instead of `_OWN_`; the own ones are
/// named because that is what a user does to their own comments.
pub fn needed_permission(method: &Method, path: &str) -> Option<&'static str> {
    if is_read(method, path) {
        return None;
    }
    let segments = segments(path);
    let permission = match (method.as_str(), segments.as_slice()) {
        ("POST", ["issue"] | ["issue", "bulk"]) => "CREATE_ISSUES",
        ("PUT", ["issue", _]) => "EDIT_ISSUES",
        ("DELETE", ["issue", _]) => "DELETE_ISSUES",
        ("PUT", ["issue", _, "assignee"]) => "ASSIGN_ISSUES",
        ("POST", ["issue", _, "transitions"]) => "TRANSITION_ISSUES",
        ("POST", ["issue", _, "comment"]) => "ADD_COMMENTS",
        ("PUT", ["issue", _, "comment", _]) => "EDIT_OWN_COMMENTS",
        ("DELETE", ["issue", _, "comment", _]) => "DELETE_OWN_COMMENTS",
        ("POST", ["issue", _, "attachments"]) => "CREATE_ATTACHMENTS",
        ("POST", ["issue", _, "worklog"]) => "WORK_ON_ISSUES",
        ("POST", ["issueLink"] | ["issue", _, "remotelink"]) => "LINK_ISSUES",
        ("POST" | "DELETE", ["issue", _, "watchers"]) => "MANAGE_WATCHERS",
        _ => return None,
    };
    Some(permission)
}

/// The classic scope a scoped API token needs for the request.
pub fn needed_scope(method: &Method, path: &str) -> &'static str {
    if !is_read(method, path) {
        return WRITE_SCOPE;
    }
    match segments(path).first() {
        Some(&("myself" | "user" | "users" | "groupuserpicker")) => READ_USER_SCOPE,
        _ => READ_SCOPE,
    }
}

/// What a refused request lacked: the scope when Jira's gateway said the token's scopes
/// do not match (it answers 401 `Unauthorized; scope does not match`), else the
/// permission for a 403. `None` when the refusal says nothing about either (a 401 of a
/// token that is wrong, expired or revoked).
pub fn refusal_cause(
    status: u16,
    messages: &[String],
    method: &Method,
    path: &str,
) -> Option<Needed> {
    let mentions_scope = messages
        .iter()
        .any(|m| m.to_ascii_lowercase().contains("scope"));
    match status {
        401 | 403 if mentions_scope => Some(Needed::Scope(needed_scope(method, path))),
        403 => needed_permission(method, path).map(Needed::Permission),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_prefixes() {
        assert_eq!(api_path("/rest/api/3/search/jql"), "search/jql");
        assert_eq!(
            api_path("/ex/jira/abc/rest/api/3/issue/NAV-1/comment"),
            "issue/NAV-1/comment"
        );
        assert_eq!(api_path("rest/api/3/jql/parse"), "jql/parse");
        assert_eq!(api_path("/issue/NAV-1/"), "issue/NAV-1");
    }

    #[test]
    fn only_gets_and_the_listed_posts_read() {
        assert!(is_read(&Method::GET, "/rest/api/3/issue/NAV-1"));
        assert!(is_read(&Method::POST, "/rest/api/3/search/jql"));
        assert!(is_read(&Method::POST, "search/approximate-count"));
        assert!(is_read(&Method::POST, "/ex/jira/x/rest/api/3/jql/parse"));
        assert!(!is_read(&Method::POST, "/rest/api/3/issue/NAV-1/comment"));
        assert!(!is_read(&Method::POST, "/rest/api/3/search/jql/extra"));
        assert!(!is_read(&Method::PUT, "/rest/api/3/search/jql"));
        assert!(!is_read(&Method::DELETE, "/rest/api/3/issue/NAV-1"));
        assert!(!is_read(&Method::HEAD, "/rest/api/3/issue/NAV-1"));
    }

    #[test]
    fn writes_name_their_permission_and_scope() {
        let cases = [
            (Method::POST, "issue", Some("CREATE_ISSUES")),
            (Method::PUT, "issue/NAV-1", Some("EDIT_ISSUES")),
            (Method::PUT, "issue/NAV-1/assignee", Some("ASSIGN_ISSUES")),
            (
                Method::POST,
                "issue/NAV-1/transitions",
                Some("TRANSITION_ISSUES"),
            ),
            (Method::POST, "issue/NAV-1/comment", Some("ADD_COMMENTS")),
            (Method::POST, "issueLink", Some("LINK_ISSUES")),
            (Method::POST, "search/jql", None),
            (Method::GET, "issue/NAV-1", None),
            (Method::PUT, "filter/10000", None),
        ];
        for (method, path, permission) in cases {
            assert_eq!(
                needed_permission(&method, path),
                permission,
                "{method} {path}"
            );
        }
        assert_eq!(needed_scope(&Method::PUT, "filter/10000"), WRITE_SCOPE);
        assert_eq!(needed_scope(&Method::POST, "search/jql"), READ_SCOPE);
        assert_eq!(needed_scope(&Method::GET, "myself"), READ_USER_SCOPE);
    }

    #[test]
    fn refusals_say_scope_or_permission() {
        let scope_msg = vec!["Unauthorized; scope does not match".to_owned()];
        let post = Method::POST;
        assert_eq!(
            refusal_cause(401, &scope_msg, &post, "issue/NAV-1/comment"),
            Some(Needed::Scope(WRITE_SCOPE))
        );
        assert_eq!(
            refusal_cause(403, &[], &post, "issue/NAV-1/comment"),
            Some(Needed::Permission("ADD_COMMENTS"))
        );
        // A plain 401 is about the token itself, not what it may do.
        assert_eq!(refusal_cause(401, &[], &post, "issue/NAV-1/comment"), None);
        assert_eq!(
            Needed::Scope(WRITE_SCOPE).to_string(),
            "the API token scope write:jira-work"
        );
    }
}
