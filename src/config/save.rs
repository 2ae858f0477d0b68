//! Editing the config file for `jtui login`: the user's comments and layout survive
//! (toml_edit), the write is atomic (temp file + rename) and private (0600 on Unix).
//!
//! Nothing here accepts a token: a profile has no field for one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

use super::profile::PROFILE_KEYS;
use super::{ConfigError, Profile, error_at};

/// File mode of the config file on Unix: it names the account, so only its owner reads it.
#[cfg(unix)]
const CONFIG_FILE_MODE: u32 = 0o600;

/// A value for [`set_profile_field`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Bool(bool),
    Integer(i64),
}

impl From<&str> for FieldValue {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<bool> for FieldValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<u32> for FieldValue {
    fn from(value: u32) -> Self {
        Self::Integer(i64::from(value))
    }
}

impl From<FieldValue> for Value {
    fn from(value: FieldValue) -> Self {
        match value {
            FieldValue::Text(text) => Value::from(text),
            FieldValue::Bool(b) => Value::from(b),
            FieldValue::Integer(i) => Value::from(i),
        }
    }
}

/// Adds profile `name` or replaces its settings, and makes it the default if asked. Keys
/// the user added that jtui does not know, and all comments, are left as they are.
pub fn upsert_profile(
    path: &Path,
    name: &str,
    profile: &Profile,
    make_default: bool,
) -> Result<(), ConfigError> {
    check_name(name)?;
    if let Some((key, problem)) = profile.problems().into_iter().next() {
        return Err(ConfigError::BadProfile {
            name: name.to_owned(),
            problem: format!("{key}: {problem}"),
        });
    }
    edit(path, |doc| {
        let table = profile_table(path, doc, name, true)?;
        for (key, value, is_default) in entries(profile) {
            match value {
                // A default is written only over an existing key, so a new profile stays
                // short and an explicit `auth = "scoped"` can still go back to classic.
                Some(value) if !is_default || table.contains_key(key) => set(table, key, value),
                Some(_) => {}
                None => {
                    table.remove(key);
                }
            }
        }
        if make_default {
            set(doc.as_table_mut(), "default_profile", Value::from(name));
        }
        Ok(())
    })
}

/// Removes profile `name`, and `default_profile` if it named it. `Ok(false)` if there was
/// no such profile (or no file).
pub fn remove_profile(path: &Path, name: &str) -> Result<bool, ConfigError> {
    let mut removed = false;
    edit(path, |doc| {
        let root = doc.as_table_mut();
        removed = root
            .get_mut("profiles")
            .and_then(Item::as_table_like_mut)
            .and_then(|profiles| profiles.remove(name))
            .is_some();
        if root.get("default_profile").and_then(Item::as_str) == Some(name) {
            root.remove("default_profile");
        }
        Ok(())
    })?;
    Ok(removed)
}

/// Sets (or with `None` removes) one key of an existing profile, e.g. `token_stored_at`
/// after `jtui login` or `cloud_id` once fetched. The result must still be a valid profile.
pub fn set_profile_field(
    path: &Path,
    name: &str,
    key: &str,
    value: Option<FieldValue>,
) -> Result<(), ConfigError> {
    if !PROFILE_KEYS.contains(&key) {
        return Err(ConfigError::BadProfile {
            name: name.to_owned(),
            problem: format!(
                "'{key}' is not a profile setting (they are: {})",
                PROFILE_KEYS.join(", ")
            ),
        });
    }
    edit(path, |doc| {
        let table = profile_table(path, doc, name, false)?;
        let removing = value.is_none();
        match value {
            Some(value) => set(table, key, value.into()),
            None => {
                table.remove(key);
            }
        }
        let bad = |problem: String| ConfigError::BadProfile {
            name: name.to_owned(),
            problem,
        };
        // Read the edited table back the way `load` would, to refuse a value it would reject.
        let mut copy = toml_edit::InlineTable::new();
        for (k, v) in table.iter() {
            if let Ok(v) = v.clone().into_value() {
                copy.insert(k, v);
            }
        }
        let profile =
            Profile::deserialize(Value::InlineTable(copy).into_deserializer()).map_err(|e| {
                if removing {
                    bad(format!("cannot remove '{key}': {}", e.message()))
                } else {
                    bad(format!("'{key}': {}", e.message()))
                }
            })?;
        match profile.problems().into_iter().next() {
            Some((key, problem)) => Err(bad(format!("{key}: {problem}"))),
            None => Ok(()),
        }
    })
}

/// The profile's keys with their values (`None`: remove) and whether the value is the
/// default, in the order a new profile is written.
fn entries(profile: &Profile) -> Vec<(&'static str, Option<Value>, bool)> {
    let text = |v: &Option<String>| v.as_deref().map(Value::from);
    let entries = vec![
        ("site", Some(Value::from(profile.site.trim())), false),
        ("email", Some(Value::from(profile.email.trim())), false),
        (
            "auth",
            Some(Value::from(profile.auth.as_str())),
            profile.auth == super::AuthMode::default(),
        ),
        ("cloud_id", text(&profile.cloud_id), false),
        ("default_jql", text(&profile.default_jql), false),
        ("default_project", text(&profile.default_project), false),
        (
            "read_only",
            Some(Value::from(profile.read_only)),
            !profile.read_only,
        ),
        ("token_stored_at", text(&profile.token_stored_at), false),
        ("token_expires", text(&profile.token_expires), false),
        (
            "expiry_warning_days",
            profile
                .expiry_warning_days
                .map(|d| Value::from(i64::from(d))),
            false,
        ),
    ];
    debug_assert!(entries.iter().map(|e| e.0).eq(PROFILE_KEYS.iter().copied()));
    entries
}

fn check_name(name: &str) -> Result<(), ConfigError> {
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err(ConfigError::BadProfile {
            name: name.to_owned(),
            problem: "a profile name must be non-empty printable text, like `work`".to_owned(),
        });
    }
    Ok(())
}

/// The table of profile `name`, created (with the `profiles` table) if asked.
fn profile_table<'d>(
    path: &Path,
    doc: &'d mut DocumentMut,
    name: &str,
    create: bool,
) -> Result<&'d mut dyn TableLike, ConfigError> {
    let not_a_table = |what: &str| ConfigError::Invalid {
        path: path.to_path_buf(),
        problem: format!("{what} is not a table, so jtui cannot edit it"),
    };
    let root = doc.as_table_mut();
    let profiles = root.entry("profiles").or_insert_with(|| {
        // `[profiles.work]` headers imply `profiles`; no bare `[profiles]` line is needed.
        let mut table = Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    let profiles = profiles
        .as_table_like_mut()
        .ok_or_else(|| not_a_table("`profiles`"))?;
    if !profiles.contains_key(name) {
        if !create {
            let known: Vec<String> = profiles.iter().map(|(k, _)| k.to_owned()).collect();
            if known.is_empty() {
                return Err(ConfigError::NoProfiles);
            }
            return Err(ConfigError::UnknownProfile {
                name: name.to_owned(),
                known,
            });
        }
        profiles.insert(name, Item::Table(Table::new()));
    }
    profiles
        .get_mut(name)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| not_a_table(&format!("[profiles.{name}]")))
}

/// Sets `key` to `value`, keeping the old value's comments and spacing; an equal value is
/// left alone so its spelling (quotes, literal strings) stays the user's.
fn set(table: &mut dyn TableLike, key: &str, mut value: Value) {
    if let Some(Item::Value(old)) = table.get_mut(key) {
        if same(old, &value) {
            return;
        }
        *value.decor_mut() = old.decor().clone();
        *old = value;
        return;
    }
    table.insert(key, Item::Value(value));
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::Boolean(a), Value::Boolean(b)) => a.value() == b.value(),
        (Value::Integer(a), Value::Integer(b)) => a.value() == b.value(),
        _ => false,
    }
}

/// Reads the file (empty if missing), lets `change` edit it, and writes it back if it
/// changed. A symlinked config (dotfile managers) is written through, not replaced.
fn edit(
    path: &Path,
    change: impl FnOnce(&mut DocumentMut) -> Result<(), ConfigError>,
) -> Result<(), ConfigError> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = match std::fs::read(&target) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| ConfigError::Invalid {
            path: path.to_path_buf(),
            problem: "the file is not UTF-8 text".to_owned(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        error_at(
            path,
            &text,
            e.span().map(|s| s.start),
            e.message().to_owned(),
        )
    })?;
    // In a file of nothing but comments they are the document's trailing text, which
    // toml_edit prints after everything added; keep them on top, where the user wrote them.
    let mut header = String::new();
    if doc.as_table().is_empty() {
        header = doc.trailing().as_str().unwrap_or_default().to_owned();
        doc.set_trailing("");
        if !header.is_empty() && !header.ends_with('\n') {
            header.push('\n');
        }
    }
    change(&mut doc)?;
    let new_text = header + &doc.to_string();
    if new_text == text {
        // Nothing to do; in particular no empty file where there was none.
        return Ok(());
    }
    write_atomically(&target, &new_text)
}

/// Writes `text` to a private temp file beside `target` and renames it over `target`, so a
/// crash leaves the old file or the new one, never half of one.
fn write_atomically(target: &Path, text: &str) -> Result<(), ConfigError> {
    let write_error = |source| ConfigError::Write {
        path: target.to_path_buf(),
        source,
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(write_error)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".jtui-config.")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(write_error)?;
    temp.write_all(text.as_bytes()).map_err(write_error)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(CONFIG_FILE_MODE))
            .map_err(write_error)?;
    }
    temp.as_file().sync_all().map_err(write_error)?;
    temp.persist(target).map_err(|e| write_error(e.error))?;
    Ok(())
}
