//! The external editor with fake editors: shell scripts and `sh -c` commands passed as
//! the configured command (never through process-wide env vars, which tests share).

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use jtui::external_editor::{
    ExternalEditorError, FALLBACK_EDITOR, edit_externally, editor_command,
};

/// A script in a directory whose name has a space, run through `sh` (running a freshly
/// written file directly can fail with "text file busy" while other tests fork).
fn script(dir: &Path, body: &str) -> String {
    let folder = dir.join("my editors");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("editor.sh");
    std::fs::write(&path, body).unwrap();
    format!("sh '{}'", path.display())
}

/// Files in the temp dir whose name ends with `suffix`.
fn leftovers(suffix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

#[test]
fn a_script_that_appends_a_line_edits_a_private_temp_file() {
    let tmp = tempfile::tempdir().unwrap();
    let side = tmp.path().join("seen");
    let command = script(
        tmp.path(),
        &format!(
            "printf '%s\\n' \"$1\" > '{side}'\n\
             ls -l \"$1\" >> '{side}'\n\
             cat \"$1\" >> '{side}'\n\
             printf '\\n%s\\n' 'added by the editor' >> \"$1\"\n",
            side = side.display()
        ),
    );
    let suffix = format!("-append-{}.md", std::process::id());
    let edited = edit_externally("# Title\nbody ✓", &suffix, Some(&command)).unwrap();
    assert_eq!(edited, "# Title\nbody ✓\nadded by the editor");

    let seen = std::fs::read_to_string(&side).unwrap();
    let mut lines = seen.lines();
    let path = PathBuf::from(lines.next().unwrap());
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("jtui-") && name.ends_with(&suffix),
        "{name}"
    );
    assert_eq!(path.parent(), Some(std::env::temp_dir().as_path()));
    assert!(lines.next().unwrap().starts_with("-rw-------"), "{seen}");
    assert_eq!(lines.collect::<Vec<_>>(), ["# Title", "body ✓"]);
    assert!(!path.exists(), "the temp file is removed");
}

#[test]
fn a_failing_editor_keeps_the_original_text() {
    let tmp = tempfile::tempdir().unwrap();
    let command = script(tmp.path(), "printf 'garbage' > \"$1\"\nexit 1\n");
    let suffix = format!("-fail-{}.md", std::process::id());
    let err = edit_externally("keep me", &suffix, Some(&command)).unwrap_err();
    match &err {
        ExternalEditorError::Failed {
            program,
            status,
            original,
        } => {
            assert_eq!(program, "sh");
            assert_eq!(status.code(), Some(1));
            assert_eq!(original, "keep me");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(err.to_string().contains("kept"), "{err}");
    assert!(leftovers(&suffix).is_empty(), "the temp file is removed");
}

#[test]
fn sh_c_with_arguments_works_as_a_command() {
    let command = r#"sh -c 'printf "%s\n" "$0 was here" >> "$1"' "the editor""#;
    let edited = edit_externally("line one\n", ".md", Some(command)).unwrap();
    // The original ended with a newline, so the editor's text is kept as written.
    assert_eq!(edited, "line one\nthe editor was here\n");
}

#[test]
fn an_editor_that_saves_by_renaming_is_read_back() {
    let command = r#"sh -c 'printf "replaced\r\n" > "$1.new" && mv "$1.new" "$1"' editor"#;
    let edited = edit_externally("original", ".md", Some(command)).unwrap();
    assert_eq!(edited, "replaced");
}

#[test]
fn an_untouched_file_gives_back_the_same_text() {
    for text in ["", "no newline", "two\nlines\n", "日本語 🚀"] {
        assert_eq!(edit_externally(text, ".md", Some("true")).unwrap(), text);
    }
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let command = r"sh -c 'printf '\''\377\376'\'' > $1' editor";
    let err = edit_externally("mine", ".md", Some(command)).unwrap_err();
    assert!(matches!(err, ExternalEditorError::NotUtf8), "{err:?}");
}

#[test]
fn a_missing_program_is_a_spawn_error_naming_it() {
    let suffix = format!("-missing-{}.md", std::process::id());
    let err = edit_externally("x", &suffix, Some("/nonexistent/jtui-editor --wait")).unwrap_err();
    match &err {
        ExternalEditorError::Spawn { program, .. } => {
            assert_eq!(program, "/nonexistent/jtui-editor");
        }
        other => panic!("expected Spawn, got {other:?}"),
    }
    assert!(err.to_string().contains("$VISUAL"), "{err}");
    assert!(leftovers(&suffix).is_empty(), "the temp file is removed");
}

#[test]
fn the_command_comes_from_the_config_then_visual_then_editor_then_vi() {
    let os = |s: &'static str| Some(OsStr::new(s));
    assert_eq!(
        editor_command(Some("hx"), os("code --wait"), os("nano")).unwrap(),
        ["hx"]
    );
    assert_eq!(
        editor_command(None, os("code --wait"), os("nano")).unwrap(),
        ["code", "--wait"]
    );
    assert_eq!(editor_command(None, None, os("nano")).unwrap(), ["nano"]);
    // Blank values are not there.
    assert_eq!(
        editor_command(Some("  "), os(""), os("emacs -nw")).unwrap(),
        ["emacs", "-nw"]
    );
    assert_eq!(editor_command(None, None, None).unwrap(), [FALLBACK_EDITOR]);
    assert_eq!(
        editor_command(
            None,
            os(r#""/opt/my editor/ed" -c 'set ft=markdown'"#),
            None
        )
        .unwrap(),
        ["/opt/my editor/ed", "-c", "set ft=markdown"]
    );
}

#[test]
fn unparsable_commands_are_reported() {
    for bad in ["vim 'unclosed", "\"\"", "ed \"half"] {
        let err = editor_command(Some(bad), None, None).unwrap_err();
        assert!(
            matches!(err, ExternalEditorError::BadCommand { .. }),
            "{bad}: {err:?}"
        );
    }
    let err = edit_externally("text", ".md", Some("vim 'unclosed")).unwrap_err();
    assert!(err.to_string().contains("unbalanced"), "{err}");
}

#[test]
fn non_utf8_environment_values_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let err = editor_command(None, Some(OsStr::from_bytes(b"vi\xff")), None).unwrap_err();
    assert!(
        matches!(err, ExternalEditorError::BadCommand { .. }),
        "{err:?}"
    );
}
