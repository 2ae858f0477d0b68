//! End to end in a real pseudo-terminal: the `jtui` binary signed in through Atlassian's
//! environment variables to an emulator running in this test, where an issue is edited
//! as a user would (field menu, new summary, Enter) and the network fails for a while
//! and comes back while the user works; a comment draft and an unsent new issue survive
//! `kill -9`; `Ctrl-E`
//! hands a cooked terminal to `$EDITOR` and takes it back. The emulator's own state is
//! the proof.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support {
    pub mod pty;
}

use std::time::Duration;

use jtui::emulator::faults::{Fault, FaultRule};
use jtui::emulator::seed::{self, DEMO_EMAIL, DEMO_TOKEN};
use jtui::emulator::server::{self, RunningEmulator};
use nix::sys::signal::Signal;
use support::pty::{Home, Pty, keys};

const COLS: u16 = 140;
const ROWS: u16 = 50;
/// Generous bounds for one step; a passing run takes a fraction of them.
const STEP: Duration = Duration::from_secs(20);

/// An emulator on its own runtime (the pty side of the test is synchronous).
fn emulator() -> (tokio::runtime::Runtime, RunningEmulator) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime
        .block_on(server::start(
            seed::demo_store(120),
            server::ServerOptions::default(),
        ))
        .unwrap();
    (runtime, emulator)
}

fn jtui_on(emulator: &RunningEmulator, jql: &str) -> Pty {
    jtui_in(Home::new(), emulator, jql)
}

fn jtui_in(home: Home, emulator: &RunningEmulator, jql: &str) -> Pty {
    Pty::spawn_in(
        home,
        support::pty::jtui(&["--jql", jql]),
        &[
            ("JIRA_BASE_URL", emulator.base_url.as_str()),
            ("JIRA_USER_EMAIL", DEMO_EMAIL),
            ("JIRA_API_TOKEN", DEMO_TOKEN),
        ],
        COLS,
        ROWS,
    )
}

fn summary_now(runtime: &tokio::runtime::Runtime, emulator: &RunningEmulator, key: &str) -> String {
    let url = format!(
        "{}/rest/api/3/issue/{key}?fields=summary",
        emulator.base_url
    );
    runtime.block_on(async {
        let body: serde_json::Value = reqwest::Client::new()
            .get(url)
            .basic_auth(DEMO_EMAIL, Some(DEMO_TOKEN))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["fields"]["summary"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    })
}

#[test]
fn edit_a_summary_then_ride_out_a_network_fault() {
    let (runtime, emulator) = emulator();
    let mut pty = jtui_on(&emulator, "project = OPS ORDER BY key ASC");
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));

    // Open OPS-1, then edit its summary from the field menu.
    pty.send_keys(keys::ENTER);
    pty.wait_for_text("Issue OPS-1 ", STEP);
    pty.send_keys("e");
    pty.wait_for_text("choose a field", STEP);
    pty.send_keys("summary");
    pty.send_keys(keys::ENTER);
    pty.wait_for_text("Summary — OPS-1", STEP);
    pty.send_keys(keys::CTRL_U);
    pty.send_keys("Edited from a real terminal");
    pty.send_keys(keys::ENTER);
    pty.wait_for("the save", STEP, |s| {
        let text = s.contents();
        text.contains("Saved Summary of OPS-1") && text.contains("Edited from a real terminal")
    });
    assert_eq!(
        summary_now(&runtime, &emulator, "OPS-1"),
        "Edited from a real terminal"
    );

    // The network fails: the issue's reload is retried, the status line says so, and
    // the app keeps answering keys; then Jira answers again.
    emulator.faults().add(
        FaultRule::new("/rest/api/3/issue/OPS-1", Fault::Status(503))
            .method("GET")
            .times(2),
    );
    pty.send_keys("r");
    pty.wait_for_text("retrying in", STEP);
    pty.send_keys("?");
    pty.wait_for_text("Keys — ", STEP);
    pty.send_keys(keys::ESC);
    pty.wait_for_text("Jira is answering again", STEP);
    pty.wait_for_text("Edited from a real terminal", STEP);

    pty.send_keys("q");
    let status = pty.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}\n{}", pty.screen_text());
}

#[test]
fn a_comment_draft_survives_kill_9() {
    let (_runtime, emulator) = emulator();
    let mut pty = jtui_on(&emulator, "project = OPS ORDER BY key ASC");
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));
    pty.send_keys(keys::ENTER);
    pty.wait_for_text("Issue OPS-1 ", STEP);
    pty.send_keys("c");
    pty.wait_for_text("Comment on OPS-1", STEP);
    pty.send_keys("Half-written thought about the rollout");
    pty.wait_for_text("Half-written thought about the rollout", STEP);
    // The draft is written a moment after the last key; then the process dies without
    // any chance to save anything.
    let drafts = pty.home().state_dir().join("drafts");
    pty.wait_until("the draft on disk", STEP, || {
        // The draft file itself, not the temporary one it is written through.
        pty.home().files().iter().any(|f| {
            f.starts_with(&drafts)
                && f.extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(f)
                    .is_ok_and(|t| t.contains("Half-written thought about the rollout"))
        })
    });
    pty.kill(Signal::SIGKILL);
    pty.wait_exit(Duration::from_secs(10));
    assert_eq!(
        emulator.request_count("POST", "/rest/api/3/issue/OPS-1/comment"),
        0
    );

    // The next start names the draft; the comment editor opens with it.
    let home = pty.take_home();
    let mut pty = jtui_in(home, &emulator, "project = OPS ORDER BY key ASC");
    pty.wait_for_text("1 unsent draft", STEP);
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));
    pty.send_keys(keys::ENTER);
    pty.wait_for_text("Issue OPS-1 ", STEP);
    pty.send_keys("c");
    pty.wait_for_text("Half-written thought about the rollout", STEP);
    pty.wait_for_text("Restored your draft", STEP);
    pty.send_keys(keys::ESC);
    // Esc alone, not the start of Alt-q.
    pty.wait_for("the editor closed", STEP, |s| {
        s.contents().contains("your text is kept as a draft")
    });
    pty.send_keys("q");
    let status = pty.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}\n{}", pty.screen_text());
}

#[test]
fn an_unsent_new_issue_survives_kill_9() {
    let (_runtime, emulator) = emulator();
    let mut pty = jtui_on(&emulator, "project = OPS ORDER BY key ASC");
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));
    pty.send_keys("n");
    pty.wait_for_text("New issue in OPS", STEP);
    pty.wait_for_text("* required", STEP);
    pty.send_keys("Rollout stalls at canary");
    pty.wait_for_text("Rollout stalls at canary", STEP);
    // Still in the summary's line, not taken yet: the draft timer keeps it anyway.
    let draft = pty.home().state_dir().join("drafts");
    pty.wait_until("the draft on disk", STEP, || {
        pty.home().files().iter().any(|f| {
            f.starts_with(&draft)
                && f.file_name().is_some_and(|n| n == "OPS.new-issue.json")
                && std::fs::read_to_string(f).is_ok_and(|t| t.contains("Rollout stalls at canary"))
        })
    });
    pty.kill(Signal::SIGKILL);
    pty.wait_exit(Duration::from_secs(10));
    assert_eq!(emulator.request_count("POST", "/rest/api/3/issue"), 0);

    // The next start names it; `n` opens the form with the summary back.
    let home = pty.take_home();
    let mut pty = jtui_in(home, &emulator, "project = OPS ORDER BY key ASC");
    pty.wait_for_text("a new issue in OPS", STEP);
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));
    pty.send_keys("n");
    pty.wait_for_text("New issue in OPS", STEP);
    pty.wait_for_text("Restored your unsent issue", STEP);
    pty.wait_for_text("Rollout stalls at canary", STEP);
    pty.send_keys("\x13"); // Ctrl-S
    pty.wait_for_text("Created OPS-", STEP);
    assert_eq!(emulator.request_count("POST", "/rest/api/3/issue"), 1);
    pty.wait_until("the draft deleted", STEP, || {
        !pty.home()
            .files()
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == "OPS.new-issue.json"))
    });
    pty.send_keys("q");
    let status = pty.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}\n{}", pty.screen_text());
}

/// A stand-in for `$EDITOR`: appends a line to the file it is given, after checking that
/// jtui gave the terminal back (no alternate screen in its way is not checkable from a
/// script, but a cooked terminal is: `stty` must see `icanon`).
fn fake_editor(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("fake-editor");
    std::fs::write(
        &path,
        "#!/bin/sh\n\
         stty -a < /dev/tty | grep -q -- ' icanon' && mode=cooked || mode=raw\n\
         printf '\\nWritten in the editor on a %s terminal\\n' \"$mode\" >> \"$1\"\n",
    )
    .unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).unwrap();
    path
}

#[test]
fn editor_key_hands_the_terminal_to_editor_and_takes_it_back() {
    let (_runtime, emulator) = emulator();
    let dir = tempfile::tempdir().unwrap();
    let editor = fake_editor(dir.path());
    let mut pty = Pty::spawn(
        support::pty::jtui(&["--jql", "project = OPS ORDER BY key ASC"]),
        &[
            ("JIRA_BASE_URL", emulator.base_url.as_str()),
            ("JIRA_USER_EMAIL", DEMO_EMAIL),
            ("JIRA_API_TOKEN", DEMO_TOKEN),
            ("EDITOR", editor.to_str().unwrap()),
        ],
        COLS,
        ROWS,
    );
    pty.wait_for("results", STEP, |s| s.contents().contains("OPS-1 "));
    pty.send_keys(keys::ENTER);
    pty.wait_for_text("Issue OPS-1 ", STEP);
    pty.send_keys("c");
    pty.wait_for_text("Comment on OPS-1", STEP);
    pty.send_keys("Typed in jtui");
    pty.wait_for_text("Typed in jtui", STEP);
    let before = pty.raw_output().len();
    pty.send_keys("\x05"); // Ctrl-E
    pty.wait_for("the editor's text back in jtui", STEP, |s| {
        let text = s.contents();
        s.alternate_screen()
            && text.contains("Typed in jtui")
            && text.contains("Written in the editor on a cooked terminal")
    });
    // jtui left the alternate screen for the editor and came back to it.
    let during = String::from_utf8_lossy(&pty.raw_output()[before..]).into_owned();
    let left = during
        .find("\x1b[?1049l")
        .expect("left the alternate screen");
    let back = during.rfind("\x1b[?1049h").expect("took the screen back");
    assert!(left < back, "left at {left}, back at {back}");
    // Still a working app: save the comment.
    pty.send_keys("\x13"); // Ctrl-S
    pty.wait_for_text("Saved Comment on OPS-1", STEP);
    assert_eq!(
        emulator.request_count("POST", "/rest/api/3/issue/OPS-1/comment"),
        1
    );
    pty.send_keys("q");
    let status = pty.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "{status:?}\n{}", pty.screen_text());
}
