//! Terminal injection, at the byte level: the real `jtui demo --hostile` in a pty, browsed
//! with keys, and every byte it writes parsed as a terminal would. Only jtui's own
//! control sequences may be there: CSI sequences with the final bytes ratatui and
//! crossterm use (colours, cursor moves, clearing, modes), and nothing else: no OSC
//! (clipboard, links, titles), DCS, APC, PM or SOS, no C1 controls, no other C0 controls,
//! no bidi or invisible characters, and none of the texts hidden inside the dataset's
//! escape sequences.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support {
    pub mod pty;
}

use std::time::Duration;

use jtui::emulator::hostile::HIDDEN_MARKERS;
use jtui::sanitize::is_unsafe_char;
use support::pty::{Pty, keys};

const COLS: u16 = 140;
const ROWS: u16 = 50;
/// Generous bounds for one step; a passing run takes a fraction of them.
const STEP: Duration = Duration::from_secs(20);
const EXIT: Duration = Duration::from_secs(10);
/// Final bytes of the CSI sequences jtui writes: SGR (`m`), cursor position and moves
/// (`H`, `A`–`G`), erase (`J`, `K`), modes (`h`, `l`, for the alternate screen, cursor,
/// mouse and bracketed paste), cursor shape (`q`), the kitty keyboard flags (`u`) and
/// scroll regions (`r`, `S`, `T`).
const ALLOWED_CSI_FINALS: &str = "mHABCDEFGJKhlqurST";

/// What is wrong with the byte stream, if anything.
fn violations(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut found = Vec::new();
    let mut printable = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\x1b' => {
                let Some((_, kind)) = chars.next() else {
                    found.push(format!("a lone ESC at the end (byte {at})"));
                    break;
                };
                match kind {
                    '[' => {
                        let mut body = String::new();
                        let mut last = None;
                        for (_, b) in chars.by_ref() {
                            body.push(b);
                            if ('\u{40}'..='\u{7e}').contains(&b) {
                                last = Some(b);
                                break;
                            }
                            if !('\u{20}'..='\u{3f}').contains(&b) {
                                break;
                            }
                        }
                        match last {
                            Some(f) if ALLOWED_CSI_FINALS.contains(f) => {}
                            _ => found.push(format!("CSI {body:?} at byte {at}")),
                        }
                        // A cursor move breaks text runs: markers must be contiguous.
                        printable.push('\n');
                    }
                    ']' | 'P' | '_' | '^' | 'X' => {
                        let tail: String = text[at..].chars().take(40).collect();
                        found.push(format!("string sequence ESC {kind} at byte {at}: {tail:?}"));
                    }
                    other => found.push(format!("ESC {other:?} at byte {at}")),
                }
            }
            '\r' | '\n' => printable.push('\n'),
            c if c.is_control() || is_unsafe_char(c) => {
                found.push(format!("{c:?} at byte {at}"));
            }
            c => printable.push(c),
        }
    }
    for marker in HIDDEN_MARKERS {
        if printable.contains(marker) {
            found.push(format!(
                "{marker:?} from inside an escape sequence is printed"
            ));
        }
    }
    found
}

#[test]
fn the_checker_catches_what_it_should() {
    let ok = b"\x1b[?1049h\x1b[1;1H\x1b[38;5;12mNAV-1\x1b[0m \xe2\x94\x82 text\x1b[K\r\n";
    assert_eq!(violations(ok), Vec::<String>::new());
    for bad in [
        &b"a\x1b]52;c;QUJD\x07b"[..],
        b"\x1b]8;;http://x\x1b\\link",
        b"\x1bP1$q\x1b\\",
        b"\x1b_apc\x1b\\",
        b"\x1b[6n",
        b"\xc2\x9b2J",
        b"\x07",
        b"\xe2\x80\xae",
        b"\x1bc",
        b"visible [2J text",
    ] {
        assert!(!violations(bad).is_empty(), "{bad:?} passed");
    }
}

#[test]
fn browsing_the_hostile_demo_writes_only_jtuis_own_sequences() {
    let mut pty = Pty::jtui(&["demo", "--hostile", "--issues", "40"], COLS, ROWS);
    pty.wait_for("results", STEP, |s| {
        let text = s.contents();
        s.alternate_screen() && text.contains("Projects") && text.contains("NAV-")
    });
    // Open issues one after another and page through each, its history too.
    for n in 0..4 {
        pty.send_keys(keys::ENTER);
        // The pane's title counts its lines once the issue is laid out: "Issue NAV-7
        // 1–24/285". Only the title line counts: issue text may hold " 1–" too.
        pty.wait_for("an issue", STEP, |s| {
            s.contents()
                .lines()
                .any(|l| l.contains(" Issue ") && l.contains(" 1–"))
        });
        for _ in 0..4 {
            pty.send_keys("\x1b[6~"); // PageDown
        }
        pty.send_keys("H");
        pty.wait_for("its history", STEP, |s| s.contents().contains("history"));
        pty.send_keys("H");
        // Back to the results (`h`: the pane to the left). Not Backspace: from the
        // second issue on, that goes back to the issue before.
        pty.send_keys("h");
        for _ in 0..=n {
            pty.send_keys("j");
        }
    }
    // The projects pane, help, completion of hostile values, the filter picker. A lone
    // ESC is told apart from the start of a key sequence by what follows it, so each
    // one is waited out before the next key.
    pty.send_keys("\x1b[Z"); // Shift-Tab
    pty.send_keys("?");
    pty.wait_for("help", STEP, |s| s.contents().contains("Keys —"));
    pty.send_keys(keys::ESC);
    pty.wait_for("help closed", STEP, |s| !s.contents().contains("Keys —"));
    pty.send_keys("\t/");
    pty.send_keys(keys::CTRL_U);
    pty.send_keys("project = NAV AND status = ");
    pty.send_keys("\t");
    pty.wait_for("status suggestions", STEP, |s| {
        s.contents().contains("values ·")
    });
    pty.send_keys(keys::ESC);
    pty.wait_for("suggestions closed", STEP, |s| {
        !s.contents().contains("values ·")
    });
    pty.send_keys(keys::ESC);
    pty.wait_for("JQL bar closed", STEP, |s| {
        !s.contents().contains("status = ")
    });
    pty.send_keys("f");
    pty.wait_for("the filter picker", STEP, |s| s.contents().contains("★"));
    pty.send_keys(keys::ESC);
    pty.wait_for("picker closed", STEP, |s| !s.contents().contains("★"));
    // The comment editor's visibility list: hostile role and group names.
    pty.send_keys("c");
    pty.wait_for("the comment editor", STEP, |s| {
        s.contents().contains("Comment on")
    });
    pty.send_keys("\x16"); // Ctrl-V
    pty.wait_for("the visibility list with groups", STEP, |s| {
        let text = s.contents();
        text.contains("Who may see this comment") && text.contains("  group")
    });
    pty.send_keys(keys::ESC);
    pty.wait_for("list closed", STEP, |s| {
        !s.contents().contains("Who may see this comment")
    });
    pty.send_keys(keys::ESC);
    pty.wait_for("editor closed", STEP, |s| {
        !s.contents().contains("Comment on")
    });
    pty.send_keys("q");
    let status = pty.wait_exit(EXIT);
    assert!(status.success(), "{status:?}");

    let raw = pty.raw_output();
    assert!(
        raw.len() > 10_000,
        "jtui drew screens ({} bytes)",
        raw.len()
    );
    let problems = violations(&raw);
    assert!(
        problems.is_empty(),
        "{} problems, the first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
}
