//! Editing text in the user's own editor: `$VISUAL`, then `$EDITOR`, then `vi`.
//!
//! The text goes to a private temp file (`jtui-XXXXXX<suffix>`, 0600, in the system temp
//! dir), the editor runs with the terminal's stdin, stdout and stderr and is waited for,
//! and the file is read back and removed. The caller suspends the UI's terminal before
//! and restores it after; this module never touches the terminal. Whatever goes wrong,
//! the caller's text is not lost: every error leaves it to the caller, and a failed
//! editor run says so in its message.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, ExitStatus, Stdio};

/// The editor when neither `$VISUAL` nor `$EDITOR` says one (POSIX requires `vi`).
pub const FALLBACK_EDITOR: &str = "vi";
/// Largest file read back from the editor. Jira refuses far smaller texts; this only
/// stops an accidental `:r /dev/zero`-sized file from being loaded into the editor pane.
pub const MAX_EDITED_BYTES: u64 = 8 << 20;
/// Longest file name suffix kept (after unsafe characters are replaced).
const MAX_SUFFIX_CHARS: usize = 48;

#[derive(Debug, thiserror::Error)]
pub enum ExternalEditorError {
    #[error("cannot use the editor command {command:?}: {reason}")]
    BadCommand { command: String, reason: String },
    #[error("cannot start the editor `{program}`: {source} (set $VISUAL or $EDITOR)")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    /// The editor ended with an error: whatever it left in the file is not used.
    #[error("the editor `{program}` ended with {status}; the text is kept as it was")]
    Failed {
        program: String,
        status: ExitStatus,
        /// The text as it was before the editor ran.
        original: String,
    },
    #[error("cannot write the text to a temp file for the editor: {0}")]
    TempFile(#[source] std::io::Error),
    #[error("cannot read back what the editor wrote: {0}; the text is kept as it was")]
    ReadBack(#[source] std::io::Error),
    #[error("the editor left {bytes} bytes, more than {limit}; the text is kept as it was")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("the editor left text that is not UTF-8; the text is kept as it was")]
    NotUtf8,
}

/// Opens `text` in an external editor and returns the edited text.
///
/// `command` (a configured editor) wins over `$VISUAL` and `$EDITOR`; values are split
/// like a POSIX shell would (`code --wait`, `"/opt/my editor/bin/ed" -n`), and the file
/// name is added as the last argument. `suffix` ends the temp file's name (`.md`,
/// `-NAV-101.md`), so the editor can pick its syntax mode; characters other than ASCII
/// letters, digits, `.`, `-` and `_` become `_`.
///
/// A trailing newline the editor added (most do) is removed when `text` had none.
pub fn edit_externally(
    text: &str,
    suffix: &str,
    command: Option<&str>,
) -> Result<String, ExternalEditorError> {
    let argv = editor_command(
        command,
        std::env::var_os("VISUAL").as_deref(),
        std::env::var_os("EDITOR").as_deref(),
    )?;
    run_editor(&argv, text, suffix)
}

/// The editor's program and arguments: the first non-blank of `explicit`, `visual` and
/// `editor`, else [`FALLBACK_EDITOR`], split into words.
pub fn editor_command(
    explicit: Option<&str>,
    visual: Option<&OsStr>,
    editor: Option<&OsStr>,
) -> Result<Vec<String>, ExternalEditorError> {
    let chosen = explicit
        .map(OsStr::new)
        .into_iter()
        .chain(visual)
        .chain(editor)
        .find(|value| !value.to_string_lossy().trim().is_empty());
    let Some(value) = chosen else {
        return Ok(vec![FALLBACK_EDITOR.to_owned()]);
    };
    let bad = |reason: &str| ExternalEditorError::BadCommand {
        command: value.to_string_lossy().into_owned(),
        reason: reason.to_owned(),
    };
    let value_str = value.to_str().ok_or_else(|| bad("it is not UTF-8"))?;
    let argv =
        shell_words::split(value_str).map_err(|_| bad("its quotes or escapes are unbalanced"))?;
    match argv.first() {
        Some(program) if !program.is_empty() => Ok(argv),
        _ => Err(bad("it names no program")),
    }
}

fn run_editor(argv: &[String], text: &str, suffix: &str) -> Result<String, ExternalEditorError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(ExternalEditorError::BadCommand {
            command: String::new(),
            reason: "it names no program".to_owned(),
        });
    };
    // tempfile creates the file 0600 on unix, with a random name (no clobbering, no
    // guessing by other users).
    let mut file = tempfile::Builder::new()
        .prefix("jtui-")
        .suffix(&safe_suffix(suffix))
        .tempfile()
        .map_err(ExternalEditorError::TempFile)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(ExternalEditorError::TempFile)?;
    // Closed before the editor runs (some editors, and Windows, want the file to
    // themselves); the path still removes the file when dropped, whatever happens.
    let path = file.into_temp_path();
    let status = Command::new(program)
        .args(args)
        .arg(&path)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|source| ExternalEditorError::Spawn {
            program: program.clone(),
            source,
        })?;
    if !status.success() {
        return Err(ExternalEditorError::Failed {
            program: program.clone(),
            status,
            original: text.to_owned(),
        });
    }
    // Read by path: editors that save by writing a new file and renaming it over the
    // old one (vim's default on many systems) leave a different file there.
    let bytes = std::fs::metadata(&path)
        .map_err(ExternalEditorError::ReadBack)?
        .len();
    if bytes > MAX_EDITED_BYTES {
        return Err(ExternalEditorError::TooLarge {
            bytes,
            limit: MAX_EDITED_BYTES,
        });
    }
    let content = std::fs::read(&path).map_err(ExternalEditorError::ReadBack)?;
    if let Err(e) = path.close() {
        tracing::warn!(error = %e, "could not remove the external editor's temp file");
    }
    let mut edited = String::from_utf8(content).map_err(|_| ExternalEditorError::NotUtf8)?;
    if !text.ends_with('\n') {
        if edited.ends_with("\r\n") {
            edited.truncate(edited.len() - 2);
        } else if edited.ends_with('\n') {
            edited.truncate(edited.len() - 1);
        }
    }
    Ok(edited)
}

/// `suffix` with only characters that are safe in a file name on every platform.
fn safe_suffix(suffix: &str) -> String {
    suffix
        .chars()
        .take(MAX_SUFFIX_CHARS)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_made_safe() {
        assert_eq!(safe_suffix(".md"), ".md");
        assert_eq!(safe_suffix("-NAV-101.md"), "-NAV-101.md");
        assert_eq!(safe_suffix("/../x y.md"), "_.._x_y.md");
        assert_eq!(safe_suffix(&"a".repeat(100)).len(), MAX_SUFFIX_CHARS);
    }
}
