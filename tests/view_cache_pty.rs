//! The view cache end to end: the real `jtui demo` in a pseudo-terminal, with a private
//! cache dir. `--no-cache` leaves nothing behind; a normal session writes the view on quit,
//! and the next one draws it stale before Jira answers, then fresh.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const COLS: u16 = 160;
const ROWS: u16 = 48;
/// Longest wait for any screen; the checks poll the screen, they never sleep blindly.
const TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(10);

#[derive(Default)]
struct StaleFrame {
    screen: Option<String>,
    /// A screen without the mark followed one with it: `screen` is final.
    gone: bool,
}

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    /// The stale view as it was drawn: the last screen with a `stale` mark before the
    /// mark went, caught as the bytes arrive (it may be replaced before a poll would see
    /// it). Not the first such screen: a frame can arrive in several reads, and the mark
    /// in the pane title comes before the rows under it.
    stale_frame: Arc<Mutex<StaleFrame>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(home: &Path, args: &[&str]) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_jtui"));
        cmd.args(args);
        cmd.env_clear();
        for (var, sub) in [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_DATA_HOME", "data"),
        ] {
            std::fs::create_dir_all(home.join(sub)).unwrap();
            cmd.env(var, home.join(sub));
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        let child = pty.slave.spawn_command(cmd).unwrap();
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(ROWS).unwrap(),
            NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let stale_frame = Arc::new(Mutex::new(StaleFrame::default()));
        let (shared, stale) = (Arc::clone(&screen), Arc::clone(&stale_frame));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut parser = shared.lock().unwrap();
                parser.process(&buf[..n]);
                let mut stale = stale.lock().unwrap();
                if !stale.gone {
                    let text = parser.screen().contents();
                    if text.contains(" stale ") {
                        stale.screen = Some(text);
                    } else if stale.screen.is_some() {
                        stale.gone = true;
                    }
                }
            }
        });
        Session {
            screen,
            stale_frame,
            writer,
            child,
            _master: pty.master,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until `holds` is true of the screen; returns that screen.
    fn wait_for(&self, what: &str, holds: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + TIMEOUT;
        loop {
            let text = self.text();
            if holds(&text) {
                return text;
            }
            assert!(Instant::now() < until, "no {what} on screen:\n{text}");
            std::thread::sleep(POLL);
        }
    }

    fn quit(mut self) {
        self.writer.write_all(b"q").unwrap();
        self.writer.flush().unwrap();
        let until = Instant::now() + TIMEOUT;
        while Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "jtui exited with {status:?}");
                return;
            }
            std::thread::sleep(POLL);
        }
        let _ = self.child.kill();
        panic!("jtui did not quit on q");
    }
}

/// Results are on screen and nothing is loading or stale any more.
fn settled(text: &str) -> bool {
    (text.contains(" issues ") || text.contains(" of ~"))
        && !text.contains("loading")
        && !text.contains(" stale ")
        && !text.contains("more ")
}

#[test]
fn no_cache_leaves_nothing_and_a_normal_session_starts_from_its_last_view() {
    let home = tempfile::tempdir().unwrap();
    let views = home.path().join("cache").join("jtui").join("views");
    let jql = "project = NAV ORDER BY key ASC";

    let s = Session::start(home.path(), &["demo", "--no-cache", "--jql", jql]);
    s.wait_for("settled results", settled);
    s.quit();
    assert!(!views.exists(), "--no-cache wrote {}", views.display());

    let s = Session::start(home.path(), &["demo", "--jql", jql]);
    let first = s.wait_for("settled results", settled);
    assert!(first.contains("NAV-1 "), "{first}");
    s.quit();
    let file = views.join("demo.json");
    assert!(file.exists(), "the view is written on quit");

    // Started again without --jql: the last query and its rows, stale, then fresh.
    let s = Session::start(home.path(), &["demo"]);
    let fresh = s.wait_for("fresh results", |t| settled(t) && t.contains("NAV-1 "));
    assert!(fresh.contains("project = NAV"), "{fresh}");
    let cached = s.stale_frame.lock().unwrap().screen.clone();
    let cached = cached.expect("a frame marked stale came first");
    assert!(cached.contains("NAV-1 "), "the cached rows: {cached}");
    assert!(cached.contains("project = NAV"), "{cached}");
    s.quit();
}
