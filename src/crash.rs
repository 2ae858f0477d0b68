//! Crash reports: what a panic leaves behind for a bug report, written so that it can be
//! attached as is. It holds the version, the platform, where the panic happened and a
//! backtrace, and never the token or anything from Jira: a panic message is kept only when
//! it is a string literal from jtui's own source, because a formatted message may carry an
//! issue's text or a request's headers.

use std::any::Any;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::{self, Write as _};
use std::panic::Location;
use std::path::{Path, PathBuf};

/// What stands in a report for a message that may carry data.
pub const WITHHELD: &str = "<message withheld: may contain issue content>";

/// The environment variable behind the deliberate panic (see [`DebugPanic`]).
pub const DEBUG_PANIC_VAR: &str = "JTUI_DEBUG_PANIC_AFTER_FRAME";

/// Files under this prefix are ours: cargo names a package's own sources relative to the
/// package (`src/app.rs`), while dependencies and the standard library come with absolute
/// paths (`/root/.cargo/registry/...`, `/rustc/<hash>/library/...`).
const OWN_SOURCE_PREFIX: &str = "src/";

/// How many names `write_to` tries when reports collide within one second.
const MAX_NAME_TRIES: u32 = 100;

/// One panic, reduced to what is safe to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrashReport {
    pub version: &'static str,
    /// `linux x86_64`.
    pub platform: String,
    /// UTC, RFC 3339.
    pub time: String,
    pub thread: String,
    /// `src/app.rs:120:9`, or `unknown`.
    pub location: String,
    /// The literal message, or [`WITHHELD`].
    pub message: String,
    pub backtrace: String,
}

impl CrashReport {
    /// Gathers a report for a panic happening now, on this thread; `payload` and `location`
    /// come from the panic hook's `PanicHookInfo`.
    pub fn capture(payload: &(dyn Any + Send), location: Option<&Location<'_>>) -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION"),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            thread: std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned(),
            location: location.map_or_else(|| "unknown".to_owned(), ToString::to_string),
            message: safe_message(payload, location).to_owned(),
            // Function names and source paths only: a backtrace holds no values.
            backtrace: std::backtrace::Backtrace::force_capture().to_string(),
        }
    }

    /// The report as the text written to the file.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(out, "jtui crash report");
        let _ = writeln!(out, "version:  {}", self.version);
        let _ = writeln!(out, "platform: {}", self.platform);
        let _ = writeln!(out, "time:     {}", self.time);
        let _ = writeln!(out, "thread:   {}", self.thread);
        let _ = writeln!(out, "location: {}", self.location);
        let _ = writeln!(out, "message:  {}", self.message);
        let _ = writeln!(out);
        let _ = writeln!(out, "backtrace:");
        let _ = writeln!(out, "{}", self.backtrace);
        out
    }

    /// Writes the report as a new file `crash-<time>-<pid>[-n].txt` in `dir` (created if
    /// missing) and returns its path. Never overwrites an earlier report.
    pub fn write_to(&self, dir: &Path) -> io::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        let stamp = self.time.replace([':', '-'], "");
        let base = format!("crash-{stamp}-{}", std::process::id());
        let mut attempt = 0;
        loop {
            let name = match attempt {
                0 => format!("{base}.txt"),
                n => format!("{base}-{n}.txt"),
            };
            let path = dir.join(name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    file.write_all(self.render().as_bytes())?;
                    file.sync_all()?;
                    return Ok(path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < MAX_NAME_TRIES => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The panic message when it is a `&'static str` literal panicked from jtui's own code
/// (`panic!("...")`, or std's fixed text for an `unwrap()` there); otherwise [`WITHHELD`].
/// A `String` payload is always withheld: it was formatted at run time, from who knows what.
pub fn safe_message<'a>(payload: &'a (dyn Any + Send), location: Option<&Location<'_>>) -> &'a str {
    let ours = location.is_some_and(|l| is_own_source(l.file()));
    match payload.downcast_ref::<&'static str>() {
        Some(literal) if ours => literal,
        _ => WITHHELD,
    }
}

/// Whether a panic location is in this crate's sources rather than a dependency's.
pub fn is_own_source(file: &str) -> bool {
    file.starts_with(OWN_SOURCE_PREFIX)
}

/// A deliberate panic, for testing crash safety from the outside (the end-to-end tests
/// run the real binary in a pseudo-terminal and need a way to make it crash). Hidden:
/// armed only by `JTUI_DEBUG_PANIC_AFTER_FRAME`, read once by `main`, which no user sets
/// by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebugPanic {
    /// `=1`: panic with a string literal right after the first frame.
    Literal,
    /// `=content`: panic with a message formatted from issue data, after the first frame
    /// that shows search results; the report must withhold it.
    Content,
}

impl DebugPanic {
    /// The mode for the variable's value; anything unknown arms nothing.
    pub fn from_value(value: &str) -> Option<Self> {
        match value.trim() {
            "1" => Some(Self::Literal),
            "content" => Some(Self::Content),
            _ => None,
        }
    }

    /// Reads [`DEBUG_PANIC_VAR`].
    pub fn from_env() -> Option<Self> {
        std::env::var(DEBUG_PANIC_VAR)
            .ok()
            .and_then(|v| Self::from_value(&v))
    }

    /// Panics if a frame showing `state` is the one to panic after.
    pub fn after_frame(self, state: &crate::state::State) {
        match self {
            Self::Literal => panic!("deliberate panic (JTUI_DEBUG_PANIC_AFTER_FRAME=1)"),
            Self::Content => {
                if let Some(row) = state.search.rows.first() {
                    panic!(
                        "deliberate panic carrying issue content: {} {}",
                        row.key, row.summary
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_literals_from_our_own_code() {
        let here = Location::caller();
        assert!(is_own_source(here.file()), "{}", here.file());
        let literal: Box<dyn Any + Send> = Box::new("index out of range");
        assert_eq!(safe_message(&*literal, Some(here)), "index out of range");

        let formatted: Box<dyn Any + Send> = Box::new(format!("bad summary {}", "SECRET-1"));
        assert_eq!(safe_message(&*formatted, Some(here)), WITHHELD);
        assert_eq!(safe_message(&*literal, None), WITHHELD);
        let other: Box<dyn Any + Send> = Box::new(42_u32);
        assert_eq!(safe_message(&*other, Some(here)), WITHHELD);
    }

    #[test]
    fn dependencies_and_std_are_not_ours() {
        assert!(!is_own_source(
            "/root/.cargo/registry/src/index.crates.io-0000/tokio-1.0.0/src/runtime.rs"
        ));
        assert!(!is_own_source("/rustc/abc/library/core/src/option.rs"));
        assert!(is_own_source("src/app.rs"));
    }

    #[test]
    fn writes_a_new_file_per_report() {
        let dir = std::env::temp_dir().join(format!("jtui-crash-test-{}", std::process::id()));
        let payload: Box<dyn Any + Send> = Box::new(String::from("token=hunter2"));
        let report = CrashReport::capture(&*payload, Some(Location::caller()));
        assert_eq!(report.message, WITHHELD);
        let first = report.write_to(&dir).unwrap();
        // Same second, same pid: the second report must not replace the first.
        let second = report.write_to(&dir).unwrap();
        assert_ne!(first, second);
        let text = std::fs::read_to_string(&first).unwrap();
        assert_eq!(text, std::fs::read_to_string(&second).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(text.starts_with("jtui crash report\n"), "{text}");
        assert!(text.contains(env!("CARGO_PKG_VERSION")));
        assert!(text.contains("location: src/crash.rs:"), "{text}");
        assert!(text.contains("backtrace:"));
        assert!(!text.contains("hunter2"), "{text}");
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("crash-") && name.ends_with(".txt"),
            "{name}"
        );
    }

    #[test]
    fn the_debug_panic_is_armed_only_by_known_values() {
        assert_eq!(DebugPanic::from_value("1"), Some(DebugPanic::Literal));
        assert_eq!(DebugPanic::from_value("content"), Some(DebugPanic::Content));
        assert_eq!(DebugPanic::from_value(""), None);
        assert_eq!(DebugPanic::from_value("0"), None);
        assert_eq!(DebugPanic::from_value("yes"), None);
    }
}
