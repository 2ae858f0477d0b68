//! Reading the config file: TOML errors as `file:line:column: problem`, unknown keys as
//! warnings with their line, and the checks serde cannot make (URLs, e-mails, defaults).

use std::path::Path;

use toml_edit::{Document, Item};

use super::{Config, ConfigError, error_at, line_column};

/// A config that loaded, and what in it was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub config: Config,
    /// One line per ignored key, `<path>:<line>: ...`, for the status line or stderr.
    pub warnings: Vec<String>,
}

/// Reads and checks the config file. A missing file is an error here; see
/// [`load_optional`] for "no config yet".
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &decode(path, bytes)?)
}

/// Like [`load`], but `Ok(None)` when the file does not exist: no config is not a bad one.
pub fn load_optional(path: &Path) -> Result<Option<Loaded>, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => parse(path, &decode(path, bytes)?).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Parses config text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ConfigError> {
    // Some Windows editors start files with a byte order mark, which TOML does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Document::parse(text).map_err(|e| {
        error_at(
            path,
            text,
            e.span().map(|s| s.start),
            e.message().to_owned(),
        )
    })?;
    let mut ignored: Vec<Vec<Segment>> = Vec::new();
    let deserializer = toml_edit::de::Deserializer::from(doc.clone());
    let config: Config = serde_ignored::deserialize(deserializer, |p| ignored.push(segments(&p)))
        .map_err(|e| type_error(path, text, &doc, &e))?;
    check(path, text, &doc, &config)?;
    let mut warnings: Vec<(usize, String)> = ignored
        .iter()
        .map(|key| warning(path, text, &doc, key))
        .collect();
    warnings.sort_by_key(|(line, _)| *line);
    Ok(Loaded {
        config,
        warnings: warnings.into_iter().map(|(_, w)| w).collect(),
    })
}

/// A serde error (wrong type, missing key, unknown variant) with the key it is about.
fn type_error(
    path: &Path,
    text: &str,
    doc: &Document<&str>,
    error: &toml_edit::de::Error,
) -> ConfigError {
    let offset = error.span().map(|s| s.start);
    let mut place = Vec::new();
    let problem = match offset {
        Some(o) if locate(doc.as_item(), o, &mut place) && !place.is_empty() => {
            format!("{}: {}", describe(doc.as_item(), &place), error.message())
        }
        _ => error.message().to_owned(),
    };
    error_at(path, text, offset, problem)
}

fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        error_at(
            path,
            &prefix,
            Some(prefix.len()),
            "the file is not UTF-8 text".to_owned(),
        )
    })
}

/// One step of a key's path through the document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
    use serde_ignored::Path;
    match path {
        Path::Root => Vec::new(),
        Path::Seq { parent, index } => {
            let mut s = segments(parent);
            s.push(Segment::Index(*index));
            s
        }
        Path::Map { parent, key } => {
            let mut s = segments(parent);
            s.push(Segment::Key(key.clone()));
            s
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => segments(parent),
    }
}

/// Keys whose name says they hold a secret; they get a pointer to the keyring instead of
/// the plain "unknown key" warning, so nobody thinks jtui reads them.
fn looks_like_a_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["token", "password", "secret"]
        .iter()
        .any(|word| key.contains(word))
}

/// The warning for one ignored key, and its line for sorting.
fn warning(path: &Path, text: &str, doc: &Document<&str>, key: &[Segment]) -> (usize, String) {
    let line = key_offset(doc.as_item(), key).map(|o| line_column(text, o).0);
    let at = match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    };
    let (name, within) = match key.split_last() {
        Some((Segment::Key(name), parent)) => (format!("'{name}'"), parent),
        Some((Segment::Index(i), parent)) => (format!("item {}", i + 1), parent),
        None => ("the document".to_owned(), key),
    };
    let place = if within.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("in [{}]", table_name(within))
    };
    let secret = matches!(key.last(), Some(Segment::Key(k)) if looks_like_a_secret(k));
    let message = if secret {
        format!(
            "{at}: {name} {place} is ignored: API tokens belong in the keyring, never in the \
             config file (run `jtui login` to store one)"
        )
    } else {
        format!("{at}: unknown key {name} {place} (ignored)")
    };
    (line.unwrap_or(0), message)
}

/// Where a key starts in the text: its name if the parser kept a span for it, else its value.
fn key_offset(root: &Item, key: &[Segment]) -> Option<usize> {
    let mut item = root;
    let mut offset = None;
    for segment in key {
        match segment {
            Segment::Key(name) => {
                let (k, child) = item.as_table_like()?.get_key_value(name)?;
                offset = k.span().or_else(|| child.span()).map(|s| s.start);
                item = child;
            }
            Segment::Index(i) => {
                let child = match item {
                    Item::ArrayOfTables(tables) => tables.get(*i).map(|t| t.span()),
                    Item::Value(toml_edit::Value::Array(values)) => {
                        values.get(*i).map(|v| v.span())
                    }
                    _ => None,
                };
                offset = child.flatten().map(|s| s.start);
                return offset;
            }
        }
    }
    offset
}

/// The deepest key whose value (or table header) holds `offset`: what a serde error is
/// about. Header tables' spans cover only their header, so every table is searched.
fn locate(item: &Item, offset: usize, place: &mut Vec<Segment>) -> bool {
    if let Some(table) = item.as_table_like() {
        for (name, child) in table.iter() {
            place.push(Segment::Key(name.to_owned()));
            if locate(child, offset, place) {
                return true;
            }
            place.pop();
        }
    }
    if let Item::Value(toml_edit::Value::Array(values)) = item {
        for (i, value) in values.iter().enumerate() {
            if value.span().is_some_and(|s| s.contains(&offset)) {
                place.push(Segment::Index(i));
                return true;
            }
        }
    }
    item.span()
        .is_some_and(|s| s.contains(&offset) || s.start == offset)
}

/// How a message names a place: `'site' in [profiles.work]`, `[profiles.work]` (a table),
/// `item 2 of 'up' in [keymap]`.
fn describe(root: &Item, place: &[Segment]) -> String {
    let is_table = lookup(root, place).is_some_and(|item| item.is_table());
    match place.split_last() {
        _ if is_table => format!("[{}]", table_name(place)),
        Some((Segment::Key(name), [])) => format!("'{name}' at the top level"),
        Some((Segment::Key(name), parent)) => format!("'{name}' in [{}]", table_name(parent)),
        Some((Segment::Index(i), parent)) => {
            format!("item {} of {}", i + 1, describe(root, parent))
        }
        None => "the file".to_owned(),
    }
}

fn lookup<'d>(root: &'d Item, place: &[Segment]) -> Option<&'d Item> {
    let mut item = root;
    for segment in place {
        item = match segment {
            Segment::Key(name) => item.as_table_like()?.get(name)?,
            Segment::Index(i) => item.get(*i)?,
        };
    }
    Some(item)
}

/// `profiles.work`, quoting the parts that are not bare TOML keys.
fn table_name(segments: &[Segment]) -> String {
    let mut name = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !name.is_empty() {
                    name.push('.');
                }
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if bare {
                    name.push_str(key);
                } else {
                    name.push_str(&toml_edit::Value::from(key.as_str()).to_string());
                }
            }
            Segment::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

/// The checks types cannot express; the first problem found is the error.
fn check(
    path: &Path,
    text: &str,
    doc: &Document<&str>,
    config: &Config,
) -> Result<(), ConfigError> {
    let value_offset = |key: &[&str]| {
        let mut item = doc.as_item();
        for name in key {
            item = item.as_table_like()?.get(name)?;
        }
        item.span().map(|s| s.start)
    };
    for (name, profile) in &config.profiles {
        if let Some((key, problem)) = profile.problems().into_iter().next() {
            let place = describe(
                doc.as_item(),
                &[
                    Segment::Key("profiles".to_owned()),
                    Segment::Key(name.clone()),
                    Segment::Key(key.to_owned()),
                ],
            );
            let offset = value_offset(&["profiles", name, key]);
            return Err(error_at(path, text, offset, format!("{place}: {problem}")));
        }
    }
    if let Some(default) = &config.default_profile
        && !config.profiles.contains_key(default)
    {
        let known = if config.profiles.is_empty() {
            "there are no [profiles.NAME] tables".to_owned()
        } else {
            let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
            format!("the profiles are: {}", names.join(", "))
        };
        return Err(error_at(
            path,
            text,
            value_offset(&["default_profile"]),
            format!("default_profile '{default}' is not a profile ({known})"),
        ));
    }
    Ok(())
}
