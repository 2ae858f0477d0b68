//! The store together with the lookups the server needs to stay fast: issues by key and id,
//! children by parent, and the lowercased text that full-text JQL scans.
//!
//! The index is rebuilt after every change made through [`Db::modify`], so it can never
//! disagree with the store it describes.

use std::collections::HashMap;

use serde_json::Value;

use super::adf;
use super::store::{CustomFieldKind, Issue, Store};

/// A [`Store`] and its [`Index`]. The server keeps one behind an `RwLock`.
#[derive(Debug, Clone)]
pub struct Db {
    store: Store,
    index: Index,
}

impl Db {
    pub fn new(store: Store) -> Self {
        let index = Index::build(&store);
        Self { store, index }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Changes the store, then rebuilds the index so both agree again.
    pub fn modify<R>(&mut self, change: impl FnOnce(&mut Store) -> R) -> R {
        let result = change(&mut self.store);
        self.index = Index::build(&self.store);
        result
    }

    /// An issue by key (any case, as Jira accepts `abc-1`) or by numeric id.
    pub fn issue(&self, id_or_key: &str) -> Option<&Issue> {
        self.issue_pos(id_or_key).map(|pos| &self.store.issues[pos])
    }

    /// The position in `store.issues` of an issue given by key or numeric id.
    pub fn issue_pos(&self, id_or_key: &str) -> Option<usize> {
        if let Ok(id) = id_or_key.parse::<u64>() {
            return self.index.by_id.get(&id).copied();
        }
        self.index
            .by_key
            .get(&id_or_key.to_ascii_uppercase())
            .copied()
    }
}

/// Lookups derived from a [`Store`]; see [`Db`].
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Upper-cased issue key -> position in `store.issues`.
    by_key: HashMap<String, usize>,
    by_id: HashMap<u64, usize>,
    /// Per issue: (upper-cased project part of the key, number part of the key).
    key_parts: Vec<(String, u64)>,
    /// Per issue: positions of the issues whose `parent` is this issue, in store order.
    children: Vec<Vec<usize>>,
    /// Per issue: the text full-text search looks at, lowercased once here.
    text: Vec<IssueText>,
    /// The custom field that holds sprints, if the store defines one.
    sprint_field: Option<u64>,
}

/// The lowercased searchable text of one issue.
#[derive(Debug, Clone, Default)]
pub struct IssueText {
    pub summary: String,
    pub description: String,
    pub environment: String,
    pub comments: String,
    /// All text and text-area custom fields, concatenated.
    pub custom: String,
}

impl Index {
    pub fn build(store: &Store) -> Self {
        let count = store.issues.len();
        let mut by_key = HashMap::with_capacity(count);
        let mut by_id = HashMap::with_capacity(count);
        let mut key_parts = Vec::with_capacity(count);
        let mut text = Vec::with_capacity(count);
        let text_fields: Vec<u64> = store
            .custom_fields
            .iter()
            .filter(|f| matches!(f.kind, CustomFieldKind::Text | CustomFieldKind::TextArea))
            .map(|f| f.id)
            .collect();
        for (pos, issue) in store.issues.iter().enumerate() {
            by_key.insert(issue.key.to_ascii_uppercase(), pos);
            by_id.insert(issue.id, pos);
            key_parts.push(split_key(&issue.key).unwrap_or_default());
            text.push(IssueText::of(issue, &text_fields));
        }
        let mut children = vec![Vec::new(); count];
        for (pos, issue) in store.issues.iter().enumerate() {
            if let Some(parent) = issue
                .parent
                .as_deref()
                .and_then(|key| by_key.get(&key.to_ascii_uppercase()))
            {
                children[*parent].push(pos);
            }
        }
        let sprint_field = store
            .custom_fields
            .iter()
            .find(|f| f.kind == CustomFieldKind::Sprint)
            .map(|f| f.id);
        Self {
            by_key,
            by_id,
            key_parts,
            children,
            text,
            sprint_field,
        }
    }

    pub fn pos_by_key(&self, key: &str) -> Option<usize> {
        self.by_key.get(&key.to_ascii_uppercase()).copied()
    }

    pub fn pos_by_id(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// (upper-cased project key, number) of the issue at `pos`.
    pub fn key_parts(&self, pos: usize) -> (&str, u64) {
        self.key_parts
            .get(pos)
            .map(|(project, number)| (project.as_str(), *number))
            .unwrap_or(("", 0))
    }

    pub fn children(&self, pos: usize) -> &[usize] {
        self.children
            .get(pos)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn text(&self, pos: usize) -> Option<&IssueText> {
        self.text.get(pos)
    }

    pub fn sprint_field(&self) -> Option<u64> {
        self.sprint_field
    }
}

impl IssueText {
    fn of(issue: &Issue, text_fields: &[u64]) -> Self {
        let doc_text = |doc: &Option<Value>| {
            doc.as_ref()
                .map(|d| adf::to_text(d).to_lowercase())
                .unwrap_or_default()
        };
        let mut comments = String::new();
        for comment in &issue.comments {
            comments.push_str(&adf::to_text(&comment.body).to_lowercase());
            comments.push('\n');
        }
        let mut custom = String::new();
        for id in text_fields {
            match issue.custom.get(id) {
                Some(Value::String(s)) => custom.push_str(&s.to_lowercase()),
                Some(doc @ Value::Object(_)) => custom.push_str(&adf::to_text(doc).to_lowercase()),
                _ => continue,
            }
            custom.push('\n');
        }
        Self {
            summary: issue.summary.to_lowercase(),
            description: doc_text(&issue.description),
            environment: doc_text(&issue.environment),
            comments,
            custom,
        }
    }
}

/// `ABC-12` -> (`ABC`, 12); `None` when the text is not an issue key.
pub fn split_key(key: &str) -> Option<(String, u64)> {
    let (project, number) = key.rsplit_once('-')?;
    if project.is_empty()
        || !project
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let number = number.parse().ok()?;
    Some((project.to_ascii_uppercase(), number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_key_accepts_keys_only() {
        assert_eq!(split_key("abc-12"), Some(("ABC".to_owned(), 12)));
        assert_eq!(split_key("A_B2-7"), Some(("A_B2".to_owned(), 7)));
        assert_eq!(split_key("ABC"), None);
        assert_eq!(split_key("-3"), None);
        assert_eq!(split_key("ABC-x"), None);
    }
}
