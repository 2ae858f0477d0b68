//! A pseudo-terminal harness for end-to-end tests: runs the real `jtui` binary (or a shell
//! that runs it) in a pty of a given size, feeds everything it writes to a `vt100`
//! terminal emulator on a reader thread and keeps the raw bytes too, so a test can read the
//! screen as a user sees it and check the exact escape sequences. Waiting is always a
//! bounded poll of a condition, never a fixed sleep.
//!
//! Each session gets its own temporary home: `HOME` and every `XDG_*` directory point into
//! it, `TERM=xterm-256color`, and nothing else from the test's environment (no `JIRA_*`)
//! reaches the child.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use tempfile::TempDir;

/// How often `wait_for` looks at the screen again.
const POLL_INTERVAL: Duration = Duration::from_millis(10);
/// Scrollback kept by the emulated terminal (what scrolled off the top of the main screen).
const SCROLLBACK_LINES: usize = 1000;
/// How long the reader may take to hand over the last bytes once the child has exited.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Keys as a terminal sends them.
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_U: &str = "\x15";
    pub const CTRL_Z: &str = "\x1a";
}

/// Escape sequences the tests look for in the raw output.
pub mod seq {
    pub const ENTER_ALT_SCREEN: &str = "\x1b[?1049h";
    pub const LEAVE_ALT_SCREEN: &str = "\x1b[?1049l";
    pub const SHOW_CURSOR: &str = "\x1b[?25h";
    pub const HIDE_CURSOR: &str = "\x1b[?25l";
    pub const ENABLE_PASTE: &str = "\x1b[?2004h";
    pub const DISABLE_PASTE: &str = "\x1b[?2004l";
    pub const ENABLE_MOUSE: &str = "\x1b[?1000h";
    pub const DISABLE_MOUSE: &str = "\x1b[?1000l";
}

/// What the reader thread has seen so far.
struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    /// The pty's master side reported end of file: every writer is gone.
    closed: bool,
}

/// A running session in a pseudo-terminal.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Output>>,
    status: Option<ExitStatus>,
    home: Home,
    size: (u16, u16),
}

/// A session's private home: `HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`,
/// `XDG_STATE_HOME`, `XDG_CACHE_HOME` and `XDG_RUNTIME_DIR`, all inside one temp dir.
pub struct Home {
    dir: TempDir,
}

impl Home {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("jtui-e2e-")
            .tempdir()
            .expect("temp dir");
        for sub in ["home", "config", "data", "state", "cache", "runtime"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("home dirs");
        }
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where jtui keeps its state (log, crash reports): `$XDG_STATE_HOME/jtui`.
    pub fn state_dir(&self) -> PathBuf {
        self.path().join("state").join("jtui")
    }

    /// Every file under the home, for scans (a missing dir is no files).
    pub fn files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out.sort();
        out
    }

    fn apply(&self, cmd: &mut CommandBuilder) {
        let p = |sub: &str| self.path().join(sub);
        cmd.env_clear();
        cmd.env("HOME", p("home"));
        cmd.env("XDG_CONFIG_HOME", p("config"));
        cmd.env("XDG_DATA_HOME", p("data"));
        cmd.env("XDG_STATE_HOME", p("state"));
        cmd.env("XDG_CACHE_HOME", p("cache"));
        cmd.env("XDG_RUNTIME_DIR", p("runtime"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        // For a shell to find its tools; jtui itself looks nothing up on PATH.
        cmd.env("PATH", "/usr/local/bin:/usr/bin:/bin");
        cmd.cwd(p("home"));
    }
}

/// The binary under test.
pub fn jtui_bin() -> &'static str {
    env!("CARGO_BIN_EXE_jtui")
}

/// A command running `jtui` with `args`.
pub fn jtui(args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(jtui_bin());
    cmd.args(args);
    cmd
}

impl Pty {
    /// Starts `jtui args...` in a `cols`×`rows` pty with a fresh home.
    pub fn jtui(args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn(jtui(args), &[], cols, rows)
    }

    /// Starts `cmd` in a `cols`×`rows` pty with a fresh home and the extra `env`. The
    /// child leads a new session with the pty as its controlling terminal, like a login
    /// shell in a terminal window.
    pub fn spawn(cmd: CommandBuilder, env: &[(&str, &str)], cols: u16, rows: u16) -> Self {
        Self::spawn_in(Home::new(), cmd, env, cols, rows)
    }

    /// [`Pty::spawn`] in a home an earlier session used (see [`Pty::take_home`]).
    pub fn spawn_in(
        home: Home,
        mut cmd: CommandBuilder,
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Self {
        home.apply(&mut cmd);
        for (key, value) in env {
            cmd.env(key, value);
        }
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        // Only the child may hold the slave side, or reads never see the end of output.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(
                rows.try_into().expect("rows > 0"),
                cols.try_into().expect("cols > 0"),
                SCROLLBACK_LINES,
            ),
            raw: Vec::new(),
            closed: false,
        }));
        let sink = Arc::clone(&output);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut out = sink.lock().unwrap_or_else(|e| e.into_inner());
                        out.parser.process(&buf[..n]);
                        out.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        });
        Self {
            child,
            master: pair.master,
            writer,
            output,
            status: None,
            home,
            size: (rows, cols),
        }
    }

    fn output(&self) -> MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn pid(&self) -> Pid {
        let pid = self.child.process_id().expect("child pid");
        Pid::from_raw(i32::try_from(pid).expect("pid fits"))
    }

    /// The session's private home (see [`Home`]).
    /// The home, for a next session in it; this one keeps a fresh, empty one.
    pub fn take_home(&mut self) -> Home {
        std::mem::replace(&mut self.home, Home::new())
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    pub fn send_keys(&mut self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    /// What the screen shows now, row by row.
    pub fn screen_text(&self) -> String {
        self.output().parser.screen().contents()
    }

    /// Runs `f` on the emulated screen as it is now.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.output().parser.screen())
    }

    /// Every byte the child has written so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.output().raw.clone()
    }

    /// The raw output as text (invalid UTF-8 replaced), for searching escape sequences.
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.output().raw).into_owned()
    }

    /// A fresh terminal of the same size that saw only `range` of the raw output: what
    /// a frame drawn there shows on its own (a full redraw), or the screen as it was
    /// before some later byte.
    pub fn replay(&self, range: Range<usize>) -> vt100::Parser {
        let (rows, cols) = self.size;
        let mut parser = vt100::Parser::new(
            rows.try_into().expect("rows > 0"),
            cols.try_into().expect("cols > 0"),
            SCROLLBACK_LINES,
        );
        parser.process(&self.output().raw[range]);
        parser
    }

    /// Polls until `done` holds for a settled screen, or panics after `timeout` with what
    /// the screen showed; `what` names the wait in that message. Settled: no byte arrived
    /// for one poll interval, so a frame caught half-written does not count.
    pub fn wait_for(&self, what: &str, timeout: Duration, done: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + timeout;
        let mut held_at: Option<usize> = None;
        loop {
            let (holds, len) = {
                let out = self.output();
                (done(out.parser.screen()), out.raw.len())
            };
            match (holds, held_at) {
                (true, Some(before)) if before == len => return,
                (true, _) => held_at = Some(len),
                (false, _) => held_at = None,
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; the screen:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// `wait_for` the screen to contain `text`.
    pub fn wait_for_text(&self, text: &str, timeout: Duration) {
        self.wait_for(&format!("{text:?}"), timeout, |s| {
            s.contents().contains(text)
        });
    }

    /// Polls an arbitrary condition with the same bounded deadline.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !done() {
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {what}; the screen:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// Sends `signal` to the child.
    pub fn kill(&self, signal: Signal) {
        signal::kill(self.pid(), signal).expect("send signal");
    }

    /// Waits for the child to exit and for its last output to arrive; panics after
    /// `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for child") {
                break status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "still running after {timeout:?}; the screen:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(POLL_INTERVAL);
        };
        self.status = Some(status.clone());
        let drained = Instant::now() + DRAIN_TIMEOUT;
        while !self.output().closed && Instant::now() < drained {
            thread::sleep(POLL_INTERVAL);
        }
        status
    }

    /// The pty's line discipline flags (`ICANON`, `ECHO`, `ISIG`...) as they are now:
    /// raw mode clears them, a restored terminal has them back.
    pub fn local_flags(&self) -> Vec<String> {
        let termios = self.master.get_termios().expect("termios");
        // Named through their Debug form: portable-pty's termios type comes from its own
        // nix, a different version from ours.
        let text = format!("{:?}", termios.local_flags);
        let inner = text
            .split_once('(')
            .and_then(|(_, rest)| rest.rsplit_once(')'))
            .map_or("", |(inner, _)| inner);
        inner.split('|').map(|f| f.trim().to_owned()).collect()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A test that failed half-way must not leave a process behind (SIGKILL works on a
        // stopped one too).
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = signal::kill(self.pid(), Signal::SIGKILL);
            let _ = self.child.wait();
        }
    }
}
