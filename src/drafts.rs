//! Drafts of descriptions, comments and unsent new issues, saved under the state dir
//! while the user types, so that a crash, a kill or a quit loses nothing and the text can
//! be offered back.
//!
//! One JSON file per (issue, target) in `drafts/<profile>/` (per project for a new issue,
//! per parent for a new sub-task). File names are built from the issue or project key
//! and the comment id only after checking them against Jira's shapes; the user's text
//! never names anything. Writes go to a private temp file that is renamed over the old
//! draft, so a crash mid-write leaves the previous draft whole. Drafts hold the user's
//! text and choices and nothing else: no token, no server data beyond `updated` and the
//! ids and names a create form needs to put the choices back.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Largest draft text kept, in bytes. A larger one is refused with an error, never
/// truncated: the caller keeps the text in the editor and tells the user.
pub const MAX_DRAFT_BYTES: usize = 1 << 20;
/// Largest draft file read back: the text limit with room for JSON escaping (every
/// char of the text as a `\uXXXX` escape at worst) and the other fields.
const MAX_FILE_BYTES: u64 = 6 * MAX_DRAFT_BYTES as u64 + 64 * 1024;
/// Longest issue key, project key or comment id accepted in a file name.
const MAX_NAME_PART: usize = 64;
/// Owner-only access: drafts are the user's unpublished words.
#[cfg(unix)]
const DRAFT_FILE_MODE: u32 = 0o600;
#[cfg(unix)]
const DRAFT_DIR_MODE: u32 = 0o700;
const EXTENSION: &str = ".json";
/// Temp files start with a dot, so [`DraftStore::list`] never mistakes one for a draft.
const TEMP_PREFIX: &str = ".draft-";

/// What a draft is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftTarget {
    Description,
    NewComment,
    /// An edit of the comment with this id.
    Comment {
        id: String,
    },
    /// The create form of a new issue; the draft's `issue_key` is the project's key.
    NewIssue,
    /// The create form of a new sub-task; the draft's `issue_key` is the parent's key.
    NewSubtask,
}

impl DraftTarget {
    /// A create form's draft, kept in [`Draft::form`] rather than in its text.
    pub fn is_form(&self) -> bool {
        matches!(self, Self::NewIssue | Self::NewSubtask)
    }
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The issue the text is for; the project's key for [`DraftTarget::NewIssue`].
    pub issue_key: String,
    pub target: DraftTarget,
    pub text: String,
    pub saved_at: DateTime<Utc>,
    /// The issue's (or comment's) `updated` when editing began, to tell on recovery
    /// whether the server copy changed since.
    pub base_updated: Option<String>,
    /// What a create form held (new issues and sub-tasks only). Drafts written before
    /// create forms kept any have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormDraft>,
}

impl Draft {
    /// Bytes of the user's text in the draft: its text and every field's text and value.
    pub fn text_bytes(&self) -> usize {
        let form = self.form.as_ref().map_or(0, |form| {
            form.fields
                .iter()
                .map(|f| f.text.len() + f.value.as_ref().map_or(0, DraftValue::text_bytes))
                .sum()
        });
        self.text.len() + form
    }

    /// Whether what the draft says it is for agrees with its form: a new issue's form
    /// in the draft's project, a sub-task's under the draft's parent.
    fn form_agrees(&self) -> bool {
        match (&self.target, &self.form) {
            (DraftTarget::NewIssue, Some(form)) => {
                form.parent.is_none() && form.project.eq_ignore_ascii_case(&self.issue_key)
            }
            (DraftTarget::NewSubtask, Some(form)) => form
                .parent
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(&self.issue_key)),
            (DraftTarget::NewIssue | DraftTarget::NewSubtask, None) => false,
            (_, form) => form.is_none(),
        }
    }
}

/// What an unsent create form held: where the issue goes, its type, and per field what
/// the user typed and chose. Rich text is kept as the editor's markdown-style text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDraft {
    pub project: String,
    /// The parent's key, for a sub-task.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub issue_type: Option<DraftIssueType>,
    /// The fields the user gave something, in the form's order.
    #[serde(default)]
    pub fields: Vec<DraftField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftIssueType {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// One field of a create form as the user left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftField {
    pub id: String,
    /// The field's name then, to say which field is gone if Jira no longer shows it.
    #[serde(default)]
    pub name: String,
    /// The text as typed (`+3d` stays `+3d`; the description's markdown-style text).
    #[serde(default)]
    pub text: String,
    /// The value taken from it; `None` for nothing (or text that is not a value yet).
    #[serde(default)]
    pub value: Option<DraftValue>,
}

/// A field's value in a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum DraftValue {
    Text(String),
    /// Rich text as the editor's markdown-style text, not ADF.
    Rich(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(DateTime<FixedOffset>),
    /// Chosen picker items.
    Items(Vec<DraftItem>),
}

impl DraftValue {
    fn text_bytes(&self) -> usize {
        match self {
            Self::Text(text) | Self::Rich(text) => text.len(),
            Self::Items(items) => items.iter().map(|i| i.label.len() + i.id.len()).sum(),
            Self::Number(_) | Self::Date(_) | Self::DateTime(_) => 0,
        }
    }
}

/// A chosen picker item: what it is called and the JSON Jira takes for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftItem {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub value: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(
        "the text is {bytes} bytes, more than the {limit} a draft keeps: it was not saved as a draft"
    )]
    TooLarge { bytes: usize, limit: usize },
    #[error(
        "no draft can be kept for {0:?}: not an issue key, project key or comment id that fits the draft"
    )]
    InvalidName(String),
    #[error("cannot save the draft in {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode the draft: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The drafts of one profile, in one directory.
#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
}

impl DraftStore {
    /// The drafts of `profile` under `base` (the state dir, or a temp dir in tests):
    /// `base/drafts/<profile>/`. Any profile name is safe: characters other than ASCII
    /// letters, digits, `-` and `_` (and a leading `.`) are %-encoded.
    pub fn new(base: impl AsRef<Path>, profile: &str) -> Self {
        Self {
            dir: base.as_ref().join("drafts").join(encode_profile(profile)),
        }
    }

    /// The store for `profile` in jtui's state dir, when the platform has one.
    pub fn in_state_dir(profile: &str) -> Option<Self> {
        crate::config::state_dir().map(|base| Self::new(base, profile))
    }

    /// Where this profile's drafts live.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves `draft`, replacing an earlier one for the same issue and target.
    pub fn save(&self, draft: &Draft) -> Result<(), DraftError> {
        let bytes = draft.text_bytes();
        if bytes > MAX_DRAFT_BYTES {
            return Err(DraftError::TooLarge {
                bytes,
                limit: MAX_DRAFT_BYTES,
            });
        }
        let target = self.dir.join(file_name(&draft.issue_key, &draft.target)?);
        if !draft.form_agrees() {
            return Err(DraftError::InvalidName(draft.issue_key.clone()));
        }
        let json = serde_json::to_vec_pretty(draft)?;
        // What would not be read back is not written (many picked items, say).
        if json.len() as u64 > MAX_FILE_BYTES {
            return Err(DraftError::TooLarge {
                bytes: json.len(),
                limit: MAX_FILE_BYTES as usize,
            });
        }
        let io_error = |source| DraftError::Io {
            path: target.clone(),
            source,
        };
        create_private_dir(&self.dir).map_err(io_error)?;
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(io_error)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(DRAFT_FILE_MODE))
                .map_err(io_error)?;
        }
        temp.write_all(&json).map_err(io_error)?;
        temp.as_file().sync_all().map_err(io_error)?;
        temp.persist(&target).map_err(|e| io_error(e.error))?;
        Ok(())
    }

    /// The draft for `issue_key` and `target`, if one was saved and reads back whole.
    pub fn load(&self, issue_key: &str, target: &DraftTarget) -> Option<Draft> {
        let name = file_name(issue_key, target).ok()?;
        let path = self.dir.join(&name);
        if !path.exists() {
            return None;
        }
        read_draft(&path, &name)
    }

    /// Every readable draft, newest first. Files that do not read back as the draft
    /// their name says are skipped with a warning in the log.
    pub fn list(&self) -> Vec<Draft> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => {
                tracing::warn!(dir = %self.dir.display(), error = %e, "cannot list drafts");
                return Vec::new();
            }
        };
        let mut drafts: Vec<Draft> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                if name.starts_with('.') || !name.ends_with(EXTENSION) {
                    return None;
                }
                read_draft(&entry.path(), &name)
            })
            .collect();
        drafts.sort_by_key(|d| std::cmp::Reverse(d.saved_at));
        drafts
    }

    /// The drafts of one issue, newest first.
    pub fn list_for(&self, issue_key: &str) -> Vec<Draft> {
        let mut drafts = self.list();
        drafts.retain(|d| d.issue_key.eq_ignore_ascii_case(issue_key));
        drafts
    }

    /// Removes the draft for `issue_key` and `target` (after a successful save to
    /// Jira, or when the user discards it). No draft is not an error.
    pub fn delete(&self, issue_key: &str, target: &DraftTarget) -> Result<(), DraftError> {
        let path = self.dir.join(file_name(issue_key, target)?);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(DraftError::Io { path, source }),
        }
    }
}

/// Reads the draft at `path`, checking it is the one its file name `name` promises.
fn read_draft(path: &Path, name: &str) -> Option<Draft> {
    let skip = |why: &str| {
        tracing::warn!(path = %path.display(), "skipping draft: {why}");
        None
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => return skip("file too large"),
        Ok(_) => {}
        Err(e) => return skip(&e.to_string()),
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return skip(&e.to_string()),
    };
    let draft: Draft = match serde_json::from_slice(&bytes) {
        Ok(draft) => draft,
        Err(e) => return skip(&format!("not a draft: {e}")),
    };
    match file_name(&draft.issue_key, &draft.target) {
        Ok(expected) if expected == name && draft.form_agrees() => Some(draft),
        _ => skip("its content names another issue or target"),
    }
}

/// `NAV-101.description.json`, `NAV-101.comment-new.json`, `NAV-101.comment-10023.json`,
/// `NAV.new-issue.json`, `NAV-7.new-subtask.json`, after checking the key and id can be
/// nothing but what they claim to be.
fn file_name(issue_key: &str, target: &DraftTarget) -> Result<String, DraftError> {
    let valid_key = match target {
        DraftTarget::NewIssue => is_project_key(issue_key),
        _ => is_issue_key(issue_key),
    };
    if !valid_key {
        return Err(DraftError::InvalidName(issue_key.to_owned()));
    }
    let key = issue_key.to_ascii_uppercase();
    let what = match target {
        DraftTarget::Description => "description".to_owned(),
        DraftTarget::NewComment => "comment-new".to_owned(),
        DraftTarget::NewIssue => "new-issue".to_owned(),
        DraftTarget::NewSubtask => "new-subtask".to_owned(),
        DraftTarget::Comment { id } => {
            let valid = !id.is_empty()
                && id.len() <= MAX_NAME_PART
                && id.chars().all(|c| c.is_ascii_alphanumeric());
            if !valid {
                return Err(DraftError::InvalidName(id.clone()));
            }
            format!("comment-{id}")
        }
    };
    Ok(format!("{key}.{what}{EXTENSION}"))
}

/// Jira's issue key shape: a project key, a dash, a number.
fn is_issue_key(key: &str) -> bool {
    let Some((project, number)) = key.rsplit_once('-') else {
        return false;
    };
    key.len() <= MAX_NAME_PART
        && is_project_key(project)
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// Jira's project key shape: a letter, then letters, digits or `_`.
fn is_project_key(key: &str) -> bool {
    key.len() <= MAX_NAME_PART
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A directory name for any profile name, different for different names: safe
/// characters as they are, everything else (and a leading `.`) as `%XX` bytes.
fn encode_profile(profile: &str) -> String {
    if profile.is_empty() {
        return "%".to_owned();
    }
    let mut out = String::with_capacity(profile.len());
    for (i, byte) in profile.bytes().enumerate() {
        let safe = byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_';
        if safe || (byte == b'.' && i > 0) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Creates `dir` and its parents, readable by the owner only where that can be said.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DRAFT_DIR_MODE);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_from_checked_keys_and_ids() {
        let name = |key, target| file_name(key, &target).ok();
        assert_eq!(
            name("NAV-101", DraftTarget::Description).as_deref(),
            Some("NAV-101.description.json")
        );
        assert_eq!(
            name("nav-7", DraftTarget::NewComment).as_deref(),
            Some("NAV-7.comment-new.json")
        );
        assert_eq!(
            name("A_B2-1", DraftTarget::Comment { id: "10023".into() }).as_deref(),
            Some("A_B2-1.comment-10023.json")
        );
        for bad in [
            "", "NAV", "NAV-", "-1", "1A-1", "NAV-1/..", "../NAV-1", "NAV-1x", "NA V-1",
        ] {
            assert!(name(bad, DraftTarget::Description).is_none(), "{bad:?}");
        }
        for bad in ["", "../x", "a/b", "1.2", "x\0"] {
            let target = DraftTarget::Comment { id: bad.into() };
            assert!(name("NAV-1", target).is_none(), "{bad:?}");
        }
        let long = format!("{}-1", "A".repeat(MAX_NAME_PART));
        assert!(name(&long, DraftTarget::Description).is_none());
    }

    #[test]
    fn create_drafts_are_named_by_project_or_parent() {
        let name = |key, target| file_name(key, &target).ok();
        assert_eq!(
            name("NAV", DraftTarget::NewIssue).as_deref(),
            Some("NAV.new-issue.json")
        );
        assert_eq!(
            name("a_b2", DraftTarget::NewIssue).as_deref(),
            Some("A_B2.new-issue.json")
        );
        assert_eq!(
            name("NAV-7", DraftTarget::NewSubtask).as_deref(),
            Some("NAV-7.new-subtask.json")
        );
        for bad in [
            "", "NAV-1", "1NAV", "_NAV", "NA V", "NAV/..", "../NAV", "NAV.x", "NAV\0", "NÄV",
        ] {
            assert!(name(bad, DraftTarget::NewIssue).is_none(), "{bad:?}");
        }
        for bad in ["", "NAV", "NAV-", "../NAV-1", "NAV-1x"] {
            assert!(name(bad, DraftTarget::NewSubtask).is_none(), "{bad:?}");
        }
        let (long, longest) = ("A".repeat(MAX_NAME_PART + 1), "A".repeat(MAX_NAME_PART));
        assert!(name(&long, DraftTarget::NewIssue).is_none());
        assert!(name(&longest, DraftTarget::NewIssue).is_some());
    }

    #[test]
    fn a_create_draft_must_agree_with_its_name() {
        let form = |project: &str, parent: Option<&str>| FormDraft {
            project: project.to_owned(),
            parent: parent.map(str::to_owned),
            issue_type: None,
            fields: Vec::new(),
        };
        let draft = |key: &str, target, form| Draft {
            issue_key: key.to_owned(),
            target,
            text: String::new(),
            saved_at: DateTime::<Utc>::default(),
            base_updated: None,
            form,
        };
        assert!(draft("NAV", DraftTarget::NewIssue, Some(form("NAV", None))).form_agrees());
        assert!(draft("nav", DraftTarget::NewIssue, Some(form("NAV", None))).form_agrees());
        assert!(!draft("NAV", DraftTarget::NewIssue, Some(form("OPS", None))).form_agrees());
        assert!(!draft("NAV", DraftTarget::NewIssue, None).form_agrees());
        let sub = Some(form("NAV", Some("NAV-7")));
        assert!(draft("NAV-7", DraftTarget::NewSubtask, sub.clone()).form_agrees());
        assert!(!draft("NAV-8", DraftTarget::NewSubtask, sub.clone()).form_agrees());
        assert!(!draft("NAV-7", DraftTarget::Description, sub).form_agrees());
        assert!(draft("NAV-7", DraftTarget::Description, None).form_agrees());
    }

    #[test]
    fn profile_names_are_encoded_injectively() {
        assert_eq!(encode_profile("work"), "work");
        assert_eq!(encode_profile("my.site-2"), "my.site-2");
        assert_eq!(encode_profile(".."), "%2E.");
        assert_eq!(encode_profile("a/b"), "a%2Fb");
        assert_eq!(encode_profile("a%2Fb"), "a%252Fb");
        assert_eq!(encode_profile(""), "%");
        assert_eq!(encode_profile("é"), "%C3%A9");
    }
}
