//! End to end: the real `jtui` binary in a pseudo-terminal, as a user runs it. Keys go in
//! as a terminal sends them, the screen is read through a terminal emulator (vt100), and
//! the raw bytes show that the terminal is always given back: on quit, Ctrl-C, SIGTERM,
//! SIGHUP, SIGINT, around Ctrl-Z and after a panic, which also leaves a crash report
//! without the token or issue content. Without a site, `jtui` shows the welcome screen.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support {
    pub mod pty;
}

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use jtui::crash::{DEBUG_PANIC_VAR, WITHHELD};
use jtui::emulator::seed::{DEMO_EMAIL, DEMO_TOKEN};
use nix::sys::signal::Signal;
use portable_pty::CommandBuilder;
use regex::Regex;
use support::pty::{Pty, jtui_bin, keys, seq};

const COLS: u16 = 140;
const ROWS: u16 = 60;
/// Generous bounds for one step; a passing run takes a fraction of them.
const STEP: Duration = Duration::from_secs(15);
const EXIT: Duration = Duration::from_secs(10);
/// Exit status after a panic (Rust's own).
const PANIC_STATUS: u32 = 101;
/// Result rows a `ROWS`-high screen shows at least.
const MIN_VISIBLE_ROWS: usize = 10;
/// Issue keys of the demo dataset's projects.
const ISSUE_KEY: &str = r"\b(HELP|NAV|OPS|WEB)-\d+\b";

fn issue_key() -> Regex {
    Regex::new(ISSUE_KEY).unwrap()
}

/// `jtui demo`, waited for until the first page of results is on screen.
fn demo(env: &[(&str, &str)]) -> Pty {
    let pty = Pty::spawn(support::pty::jtui(&["demo"]), env, COLS, ROWS);
    wait_for_results(&pty);
    pty
}

fn wait_for_results(pty: &Pty) {
    pty.wait_for("projects and results", STEP, |s| {
        let text = s.contents();
        s.alternate_screen()
            && text.contains("Projects")
            && text.contains("NAV Autonomous Navigat")
            && text.contains("50 of ~")
            && result_rows(&text).len() >= MIN_VISIBLE_ROWS
    });
}

/// The terminal is as it was before jtui: main screen, cursor shown, no mouse reporting,
/// no bracketed paste, line discipline back on (no raw mode); each mode jtui switched on
/// was switched off later in the byte stream. With `output_ends_there`, the restore is
/// also the very last thing jtui wrote.
fn assert_restored(pty: &Pty, output_ends_there: bool) {
    pty.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse still captured"
        );
        assert!(!s.bracketed_paste(), "bracketed paste still on");
    });
    let flags = pty.local_flags();
    for flag in ["ICANON", "ECHO", "ISIG", "IEXTEN"] {
        assert!(
            flags.iter().any(|f| f == flag),
            "raw mode left on: {flags:?}"
        );
    }
    let raw = pty.raw_text();
    for (on, off) in [
        (seq::ENTER_ALT_SCREEN, seq::LEAVE_ALT_SCREEN),
        (seq::HIDE_CURSOR, seq::SHOW_CURSOR),
        (seq::ENABLE_PASTE, seq::DISABLE_PASTE),
        (seq::ENABLE_MOUSE, seq::DISABLE_MOUSE),
    ] {
        let switched_on = raw.rfind(on).unwrap_or_else(|| panic!("{on:?} never sent"));
        let switched_off = raw
            .rfind(off)
            .unwrap_or_else(|| panic!("{off:?} never sent"));
        assert!(switched_off > switched_on, "{on:?} after the last {off:?}");
    }
    if output_ends_there {
        let tail = &raw[raw.rfind(seq::DISABLE_PASTE).unwrap()..];
        // Paste off, every mouse mode off, main screen, cursor shown (ratatui shows it
        // once more when its Terminal drops), and nothing after.
        let restore =
            Regex::new(r"^\x1b\[\?2004l(\x1b\[\?10\d\dl){5}\x1b\[\?1049l(\x1b\[\?25h)+$").unwrap();
        assert!(
            restore.is_match(tail),
            "the output does not end restored: {tail:?}"
        );
    }
}

fn assert_exits_cleanly(pty: &mut Pty) {
    let status = pty.wait_exit(EXIT);
    assert!(
        status.success(),
        "{status:?}; screen:\n{}",
        pty.screen_text()
    );
}

/// The rows of the results pane, as `KEY  Type  Priority ...`: lines that start with an
/// issue key right after a border, above the issue pane.
fn result_rows(screen: &str) -> Vec<String> {
    let row = Regex::new(r"[┃│]((?:HELP|NAV|OPS|WEB)-\d+ [^┃│]*)[┃│]$").unwrap();
    screen
        .lines()
        .take_while(|line| !line.contains("╭ Issue ") && !line.contains("┏ Issue "))
        .filter_map(|line| row.captures(line).map(|c| c[1].trim().to_owned()))
        .collect()
}

fn first_result_row(screen: &str) -> Option<String> {
    result_rows(screen).into_iter().next()
}

#[test]
fn demo_start_search_open_typo_and_quit() {
    let mut pty = demo(&[]);
    let flags = pty.local_flags();
    assert!(
        !flags.iter().any(|f| f == "ICANON" || f == "ECHO"),
        "raw mode while running: {flags:?}"
    );
    let before = first_result_row(&pty.screen_text()).expect("a first row");

    // Search: open the JQL bar, clear it, type a query, run it.
    pty.send_keys("/");
    pty.wait_for_text("JQL ›", STEP);
    pty.send_keys(keys::CTRL_U);
    pty.send_keys("project = OPS ORDER BY key ASC");
    pty.wait_for_text("project = OPS ORDER BY key ASC", STEP);
    pty.send_keys(keys::ENTER);
    pty.wait_for("the OPS results", STEP, |s| {
        let text = s.contents();
        let rows = result_rows(&text);
        text.contains("Issues project = OPS ORDER BY key ASC")
            && rows.first().is_some_and(|row| row.starts_with("OPS-1 "))
            && rows.len() >= MIN_VISIBLE_ROWS
            && rows.iter().all(|r| r.starts_with("OPS-"))
    });
    let rows = result_rows(&pty.screen_text());
    assert_ne!(rows.first(), Some(&before), "the results changed");

    // Open the first issue: its key heads the issue pane, the description follows.
    pty.send_keys(keys::ENTER);
    pty.wait_for("OPS-1 opened", STEP, |s| {
        let text = s.contents();
        text.contains("Issue OPS-1 ") && text.contains("Description")
    });

    // A JQL typo: the server's error is shown, in the results pane and the status line.
    pty.send_keys("/");
    pty.wait_for_text("JQL ›", STEP);
    pty.send_keys(keys::CTRL_U);
    pty.send_keys("project = OPS AND");
    pty.wait_for_text("project = OPS AND ", STEP);
    pty.send_keys(keys::ENTER);
    pty.wait_for("the JQL error", STEP, |s| {
        let text = s.contents();
        text.contains("Issues project = OPS AND failed")
            && text.contains("Error in the JQL Query: Expecting a field name")
    });

    pty.send_keys("q");
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

#[test]
fn ctrl_c_quits_and_restores() {
    let mut pty = demo(&[]);
    pty.send_keys(keys::CTRL_C);
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

fn quits_on(signal: Signal) {
    let mut pty = demo(&[]);
    pty.kill(signal);
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

#[test]
fn sigterm_quits_and_restores() {
    quits_on(Signal::SIGTERM);
}

#[test]
fn sighup_quits_and_restores() {
    quits_on(Signal::SIGHUP);
}

#[test]
fn sigint_quits_and_restores() {
    quits_on(Signal::SIGINT);
}

/// The scheduler state letter of a process (`R`, `S`, `T` for stopped...).
fn process_state(pid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
    // The command name in parentheses may hold spaces; the state follows it.
    let (_, rest) = stat.rsplit_once(')').expect("stat format");
    rest.trim_start().chars().next().expect("state letter")
}

/// The only child of `pid`.
fn only_child(pid: i32) -> i32 {
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .expect("/proc children");
    let pids: Vec<i32> = children
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 1, "children of {pid}: {children:?}");
    pids[0]
}

/// Ctrl-Z in an interactive shell, as a user does it: jtui gives the terminal back and
/// stops (state `T`), the shell says so; `fg` continues it (SIGCONT) and the screen is
/// drawn again in full.
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes() {
    // A job-control shell is what makes Ctrl-Z mean anything: the kernel ignores SIGTSTP
    // for a process that is alone in its session, as jtui is when started directly.
    let mut shell = CommandBuilder::new("/bin/sh");
    shell.arg("-i");
    let mut pty = Pty::spawn(
        shell,
        &[("PS1", "shell$ "), ("JTUI", jtui_bin())],
        COLS,
        ROWS,
    );
    pty.wait_for_text("shell$ ", STEP);
    pty.send_keys("\"$JTUI\" demo\r");
    wait_for_results(&pty);
    let jtui = only_child(pty.pid().as_raw());
    assert_ne!(process_state(jtui), 'T');
    let entered_before = pty.raw_text().matches(seq::ENTER_ALT_SCREEN).count();

    pty.send_keys(keys::CTRL_Z);
    pty.wait_until("jtui to stop", STEP, || process_state(jtui) == 'T');
    pty.wait_for("the shell's prompt after the stop", STEP, |s| {
        let text = s.contents();
        text.contains("Stopped") && text.trim_end().ends_with("shell$")
    });
    assert_restored(&pty, false);

    pty.send_keys("fg\r");
    pty.wait_until("jtui to run again", STEP, || process_state(jtui) != 'T');
    wait_for_results(&pty);
    assert_eq!(
        pty.raw_text().matches(seq::ENTER_ALT_SCREEN).count(),
        entered_before + 1,
        "took the terminal again"
    );
    let flags = pty.local_flags();
    assert!(
        !flags.iter().any(|f| f == "ICANON"),
        "raw mode again: {flags:?}"
    );

    pty.send_keys("q");
    pty.wait_until("jtui to exit", STEP, || {
        !PathBuf::from(format!("/proc/{jtui}")).exists() || process_state(jtui) == 'Z'
    });
    assert_restored(&pty, false);
    pty.wait_for("the shell's prompt after quitting", STEP, |s| {
        s.contents().trim_end().ends_with("shell$")
    });
    pty.send_keys("exit\r");
    assert_exits_cleanly(&mut pty);
}

/// Started directly (alone in its session, as by `xterm -e jtui`), nobody could continue
/// a stopped jtui: Ctrl-Z must not freeze it. It steps aside and comes straight back.
#[test]
fn ctrl_z_without_a_shell_does_not_freeze() {
    let mut pty = demo(&[]);
    let pid = pty.pid().as_raw();
    pty.send_keys(keys::CTRL_Z);
    pty.wait_until("the terminal taken again", STEP, || {
        pty.raw_text().matches(seq::ENTER_ALT_SCREEN).count() == 2
    });
    wait_for_results(&pty);
    assert_ne!(process_state(pid), 'T');
    pty.send_keys("q");
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

/// Stopped from outside (SIGSTOP, as a debugger or `kill -STOP` does) and continued with
/// SIGCONT: jtui takes the terminal again and draws the whole screen.
#[test]
fn sigcont_after_an_outside_stop_redraws() {
    let mut pty = demo(&[]);
    let pid = pty.pid().as_raw();
    pty.kill(Signal::SIGSTOP);
    pty.wait_until("jtui to stop", STEP, || process_state(pid) == 'T');
    let before = pty.raw_output().len();
    pty.kill(Signal::SIGCONT);
    // The bytes written since, alone on a blank terminal, show the whole screen: a full
    // redraw on the alternate screen, not a diff against what was there.
    pty.wait_until("a full redraw", STEP, || {
        let fresh = pty.replay(before..pty.raw_output().len());
        let screen = fresh.screen();
        screen.alternate_screen()
            && screen.contents().contains("NAV Autonomous Navigat")
            && first_result_row(&screen.contents()).is_some()
            && screen.contents().contains("Dev Patel @ demo")
    });
    wait_for_results(&pty);
    pty.send_keys("q");
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

/// The crash report named on stderr, checked to be the only file in the state dir that
/// looks like one.
fn crash_report(pty: &Pty) -> (PathBuf, String) {
    let raw = pty.raw_text();
    let named = Regex::new(r"A crash report \(no token, no issue content\) is in (\S+\.txt)")
        .unwrap()
        .captures(&raw)
        .unwrap_or_else(|| panic!("no report named on stderr: {raw:?}"))[1]
        .to_owned();
    let path = PathBuf::from(named);
    let reports: Vec<PathBuf> = pty
        .home()
        .files()
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .collect();
    assert_eq!(reports, vec![path.clone()]);
    assert_eq!(path.parent().unwrap(), pty.home().state_dir());
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// Nothing jtui wrote to disk or to the terminal holds the token.
fn assert_no_token_anywhere(pty: &Pty) {
    assert!(
        !pty.raw_text().contains(DEMO_TOKEN),
        "token on the terminal"
    );
    for file in pty.home().files() {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(DEMO_TOKEN),
            "token in {}",
            file.display()
        );
    }
}

#[test]
fn a_panic_restores_the_terminal_and_writes_a_report() {
    let mut pty = Pty::spawn(
        support::pty::jtui(&["demo"]),
        &[(DEBUG_PANIC_VAR, "1")],
        COLS,
        ROWS,
    );
    let status = pty.wait_exit(EXIT);
    assert_eq!(status.exit_code(), PANIC_STATUS, "{status:?}");
    assert!(
        pty.raw_text().contains(seq::ENTER_ALT_SCREEN),
        "a frame was drawn first"
    );
    assert_restored(&pty, false);
    let screen = pty.screen_text();
    assert!(screen.contains("jtui crashed at src/"), "{screen}");
    assert!(
        !pty.raw_text().contains("panicked at"),
        "Rust's default hook (which prints any message) must not run"
    );

    let (_, report) = crash_report(&pty);
    assert!(report.starts_with("jtui crash report\n"), "{report}");
    assert!(report.contains(&format!("version:  {}", env!("CARGO_PKG_VERSION"))));
    assert!(report.contains(&format!("platform: {}", std::env::consts::OS)));
    assert!(report.contains("location: src/crash.rs:"), "{report}");
    // A string literal from our own code is kept: it cannot carry data.
    assert!(
        report.contains("message:  deliberate panic (JTUI_DEBUG_PANIC_AFTER_FRAME=1)"),
        "{report}"
    );
    assert!(report.contains("backtrace:"));
    assert!(
        report.contains("DebugPanic::after_frame"),
        "a real backtrace: {report}"
    );
    assert!(!report.contains(DEMO_TOKEN));
    assert_no_token_anywhere(&pty);
}

#[test]
fn a_panic_report_withholds_issue_content() {
    let mut pty = Pty::spawn(
        support::pty::jtui(&["demo"]),
        &[(DEBUG_PANIC_VAR, "content")],
        COLS,
        ROWS,
    );
    let status = pty.wait_exit(EXIT);
    assert_eq!(status.exit_code(), PANIC_STATUS, "{status:?}");
    assert_restored(&pty, false);
    let raw = pty.raw_text();
    // The panic message carried the first result's key and summary: the last frame
    // before jtui left the alternate screen showed them.
    let left = pty
        .raw_output()
        .windows(seq::LEAVE_ALT_SCREEN.len())
        .rposition(|w| w == seq::LEAVE_ALT_SCREEN.as_bytes())
        .unwrap();
    let last_frame = pty.replay(0..left).screen().contents();
    let first_row = first_result_row(&last_frame)
        .unwrap_or_else(|| panic!("results were drawn before the panic:\n{last_frame}"));
    let shown = issue_key().find(&first_row).unwrap().as_str().to_owned();

    let (_, report) = crash_report(&pty);
    assert!(
        report.contains(&format!("message:  {WITHHELD}")),
        "{report}"
    );
    assert!(!report.contains("carrying issue content"), "{report}");
    assert!(!report.contains(&shown), "{report}");
    assert!(
        !issue_key().is_match(&report),
        "no issue key at all: {report}"
    );
    // What was printed after leaving the alternate screen withholds it too.
    let after = &raw[raw.rfind(seq::LEAVE_ALT_SCREEN).unwrap()..];
    assert!(after.contains(WITHHELD), "{after:?}");
    assert!(!after.contains("carrying issue content"), "{after:?}");
    assert!(!issue_key().is_match(after), "{after:?}");
    assert_no_token_anywhere(&pty);
}

/// `jtui` with no config and no `JIRA_*` variables: the welcome screen.
fn welcome() -> Pty {
    let pty = Pty::jtui(&[], COLS, ROWS);
    pty.wait_for("the welcome screen", STEP, |s| {
        let text = s.contents();
        s.alternate_screen()
            && text.contains("Welcome to jtui")
            && text.contains("jtui login")
            && text.contains("jtui demo")
            && text.contains("Press q to quit.")
    });
    pty
}

#[test]
fn without_a_site_jtui_welcomes_and_quits_cleanly() {
    let mut pty = welcome();
    // The config file it points at is in the session's private home, not the user's.
    let config_home = pty.home().path().join("config").display().to_string();
    let screen = pty.screen_text();
    assert!(
        screen.contains(&config_home),
        "{config_home} not in\n{screen}"
    );
    pty.send_keys("q");
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

#[test]
fn the_welcome_screen_ends_on_sigterm() {
    let mut pty = welcome();
    pty.kill(Signal::SIGTERM);
    assert_exits_cleanly(&mut pty);
    assert_restored(&pty, true);
}

/// `jtui emulator --port 0` says where it listens and how to sign in, serves the API
/// there, and stops on Ctrl-C; it never takes the terminal over.
#[test]
fn the_emulator_prints_its_url_and_credentials() {
    let mut pty = Pty::jtui(&["emulator", "--port", "0"], COLS, ROWS);
    pty.wait_for_text("Press Ctrl-C to stop.", STEP);
    let screen = pty.screen_text();
    let url = Regex::new(r"listening on (http://127\.0\.0\.1:\d+)")
        .unwrap()
        .captures(&screen)
        .unwrap_or_else(|| panic!("no URL: {screen}"))[1]
        .to_owned();
    assert!(
        screen.contains(&format!("e-mail:    {DEMO_EMAIL}")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("API token: {DEMO_TOKEN}")),
        "{screen}"
    );

    let (status, body) = http_get(&url, "/rest/api/3/myself", DEMO_EMAIL, DEMO_TOKEN);
    assert_eq!(status, 200, "{body}");
    let me: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(me["emailAddress"], DEMO_EMAIL, "{body}");

    pty.send_keys(keys::CTRL_C);
    assert_exits_cleanly(&mut pty);
    assert!(!pty.raw_text().contains(seq::ENTER_ALT_SCREEN));
}

/// A plain HTTP/1.1 GET with Basic auth: status and body.
fn http_get(base: &str, path: &str, email: &str, token: &str) -> (u16, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(STEP)).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {auth}\r\n\
         Accept: application/json\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}
