//! User configuration: the TOML file with sign-in profiles, keymap overrides and look, where
//! it lives, how it is read (with file:line:column errors) and how `jtui login` edits it.
//!
//! The file never holds an API token: tokens live in the keyring, one entry per profile.

pub mod keymap;
mod load;
mod profile;
mod save;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use load::{Loaded, load, load_optional, parse};
pub use profile::{AuthMode, DEFAULT_EXPIRY_WARNING_DAYS, Profile, validate_email, validate_site};
pub use save::{FieldValue, remove_profile, set_profile_field, upsert_profile};

/// The environment variable that points jtui at another config file.
pub const CONFIG_ENV: &str = "JTUI_CONFIG";
/// The file name inside the platform's config dir.
pub const CONFIG_FILE_NAME: &str = "config.toml";

/// Everything the config file says. Unknown keys are warned about when loading, not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Config {
    /// The profile used when `--profile` is not given and there are several.
    #[serde(default)]
    pub default_profile: Option<String>,
    /// Sign-in profiles by name (`[profiles.work]`).
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Keymap overrides: action name (snake_case, as in `app::action::Action`) to keys such
    /// as `"ctrl-c"`. The keymap module checks the names; here they are only text.
    #[serde(default, deserialize_with = "profile::keymap_entries")]
    pub keymap: BTreeMap<String, Vec<String>>,
    /// The colour theme's name ("default", "mono", ...); the UI decides what exists.
    #[serde(default)]
    pub theme: Option<String>,
    /// Layout preferences.
    #[serde(default)]
    pub ui: UiConfig,
}

/// The `[ui]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UiConfig {
    /// Columns of the issue list, in order (e.g. `["key", "summary", "status"]`).
    #[serde(default)]
    pub columns: Option<Vec<String>>,
}

/// Why the configuration could not be read, written or used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A problem at a known place in the file.
    #[error("{}:{line}:{column}: {problem}", path.display())]
    At {
        path: PathBuf,
        line: usize,
        column: usize,
        problem: String,
    },
    /// A problem with the file as a whole, or one whose place is unknown.
    #[error("{}: {problem}", path.display())]
    Invalid { path: PathBuf, problem: String },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no profiles are configured: run `jtui login` to add one")]
    NoProfiles,
    #[error("no profile named '{name}' (configured: {})", known.join(", "))]
    UnknownProfile { name: String, known: Vec<String> },
    #[error(
        "{} profiles are configured ({}) and none is the default: pass --profile NAME or set \
         default_profile in the config file",
        known.len(),
        known.join(", ")
    )]
    NoDefaultProfile { known: Vec<String> },
    /// A profile handed to `upsert_profile`/`set_profile_field` that would not load back.
    #[error("profile '{name}': {problem}")]
    BadProfile { name: String, problem: String },
}

impl Config {
    /// Which profile to use: the one named (`--profile`), else `default_profile`, else the
    /// only one there is.
    pub fn profile(&self, name: Option<&str>) -> Result<(String, &Profile), ConfigError> {
        let known = || self.profiles.keys().cloned().collect::<Vec<_>>();
        let wanted = match name.or(self.default_profile.as_deref()) {
            Some(wanted) => wanted,
            None => {
                let mut all = self.profiles.iter();
                return match (all.next(), all.next()) {
                    (Some((only, profile)), None) => Ok((only.clone(), profile)),
                    (None, _) => Err(ConfigError::NoProfiles),
                    (Some(_), Some(_)) => Err(ConfigError::NoDefaultProfile { known: known() }),
                };
            }
        };
        match self.profiles.get_key_value(wanted) {
            Some((found, profile)) => Ok((found.clone(), profile)),
            None if self.profiles.is_empty() => Err(ConfigError::NoProfiles),
            None => Err(ConfigError::UnknownProfile {
                name: wanted.to_owned(),
                known: known(),
            }),
        }
    }
}

/// Where the config file is: `JTUI_CONFIG` if set, else `config.toml` in the platform's
/// config dir (`~/.config/jtui/` on Linux).
pub fn config_path() -> Option<PathBuf> {
    config_path_from(std::env::var_os(CONFIG_ENV))
}

/// [`config_path`] with the value of `JTUI_CONFIG` passed in, so tests need not touch the
/// process environment. An empty value counts as unset.
pub fn config_path_from(env_value: Option<OsString>) -> Option<PathBuf> {
    match env_value {
        Some(value) if !value.is_empty() => Some(PathBuf::from(value)),
        _ => project_dirs().map(|dirs| dirs.config_dir().join(CONFIG_FILE_NAME)),
    }
}

/// Where jtui keeps state between runs (history, logs). Platforms without a state dir
/// (macOS, Windows) get the local data dir, which is also kept and not synced.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = project_dirs()?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// Where jtui keeps what it can fetch again (cached field lists, avatars).
pub fn cache_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.cache_dir().to_path_buf())
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("dev", "jtui", "jtui")
}

/// The 1-based line and column (in characters) of a byte offset, as editors count them.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Where a problem was found, for messages: the file and, when known, the byte offset.
pub(crate) fn error_at(
    path: &Path,
    text: &str,
    offset: Option<usize>,
    problem: String,
) -> ConfigError {
    match offset {
        Some(offset) => {
            let (line, column) = line_column(text, offset);
            ConfigError::At {
                path: path.to_path_buf(),
                line,
                column,
                problem,
            }
        }
        None => ConfigError::Invalid {
            path: path.to_path_buf(),
            problem,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(site: &str) -> Profile {
        Profile::new(site, "me@example.com")
    }

    fn config(names: &[&str], default: Option<&str>) -> Config {
        Config {
            default_profile: default.map(str::to_owned),
            profiles: names
                .iter()
                .map(|n| {
                    (
                        (*n).to_owned(),
                        profile(&format!("https://{n}.atlassian.net")),
                    )
                })
                .collect(),
            ..Config::default()
        }
    }

    #[test]
    fn line_and_column_count_characters_from_one() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (1, 5));
        assert_eq!(line_column(text, 6), (2, 1));
        // "bé" is three bytes; the '=' after it is the fourth character.
        assert_eq!(line_column(text, 10), (2, 4));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn resolves_the_named_then_the_default_then_the_only_profile() {
        let two = config(&["home", "work"], Some("work"));
        assert_eq!(two.profile(Some("home")).unwrap().0, "home");
        assert_eq!(two.profile(None).unwrap().0, "work");
        let one = config(&["solo"], None);
        assert_eq!(one.profile(None).unwrap().0, "solo");
    }

    #[test]
    fn explains_why_no_profile_could_be_chosen() {
        let two = config(&["home", "work"], None);
        assert_eq!(
            two.profile(None).unwrap_err().to_string(),
            "2 profiles are configured (home, work) and none is the default: pass --profile \
             NAME or set default_profile in the config file"
        );
        assert_eq!(
            two.profile(Some("play")).unwrap_err().to_string(),
            "no profile named 'play' (configured: home, work)"
        );
        assert_eq!(
            Config::default().profile(None).unwrap_err().to_string(),
            "no profiles are configured: run `jtui login` to add one"
        );
        assert_eq!(
            Config::default()
                .profile(Some("work"))
                .unwrap_err()
                .to_string(),
            "no profiles are configured: run `jtui login` to add one"
        );
    }

    #[test]
    fn jtui_config_overrides_the_platform_path() {
        assert_eq!(
            config_path_from(Some("/tmp/elsewhere.toml".into())),
            Some(PathBuf::from("/tmp/elsewhere.toml"))
        );
        let platform = config_path_from(None);
        assert_eq!(config_path_from(Some(OsString::new())), platform);
    }
}
