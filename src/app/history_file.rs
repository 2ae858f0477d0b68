//! The JQL history on disk: `<state dir>/history/<profile>.jsonl`, one `{"jql":…}` per
//! line, oldest first. `App` reads it at start and writes it off the UI path; `update`
//! never touches the file.

use std::io;
use std::path::{Path, PathBuf};

use crate::state::history::{HISTORY_CAP, HistoryState, profile_file_stem};

/// The platform's state dir for jtui (`~/.local/state/jtui` on Linux), or its cache dir
/// where the platform has no state dir (macOS, Windows).
pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("dev", "jtui", "jtui")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .to_path_buf(),
    )
}

/// The history file of `profile` under `dir`.
pub fn path(dir: &Path, profile: &str) -> PathBuf {
    dir.join("history")
        .join(format!("{}.jsonl", profile_file_stem(profile)))
}

/// Reads the history; a missing file is an empty history.
pub fn load(path: &Path) -> io::Result<HistoryState> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(HistoryState::from_jsonl(&text, HISTORY_CAP)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HistoryState::default()),
        Err(e) => Err(e),
    }
}

/// Writes the whole history (newest first, as the state keeps it). It goes to a
/// temporary file first and is renamed over the old one, so a crash mid-write leaves
/// the old history rather than half of the new one.
pub fn save(path: &Path, entries: &[String]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, HistoryState::to_jsonl(entries))?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "jtui-history-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn saves_and_loads_per_profile() {
        let dir = temp_dir("unit");
        let demo = path(&dir, "demo");
        assert_eq!(demo, dir.join("history").join("demo.jsonl"));
        assert!(load(&demo).unwrap().entries().is_empty(), "no file yet");
        save(&demo, &["b".into(), "a".into()]).unwrap();
        assert_eq!(load(&demo).unwrap().entries(), ["b", "a"]);
        let other = path(&dir, "acme.atlassian.net");
        assert!(load(&other).unwrap().entries().is_empty());
        save(&demo, &["c".into()]).unwrap();
        assert_eq!(load(&demo).unwrap().entries(), ["c"]);
        assert!(!dir.join("history").join("demo.jsonl.tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
