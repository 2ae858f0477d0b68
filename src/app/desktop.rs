//! The two effects that reach outside the terminal UI: opening a link in the browser
//! and copying text. Behind a trait so tests record them instead of launching a browser
//! or writing escape sequences to the test runner's terminal.

use std::fmt;
use std::io::{self, Write};
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::sync::mpsc;

/// Carries out `Effect::OpenBrowser` and `Effect::Copy`. Errors are one line for the
/// status line.
pub trait Desktop: Send + fmt::Debug {
    fn open_url(&mut self, url: &str) -> Result<(), String>;
    fn copy(&mut self, text: &str) -> Result<(), String>;
}

/// `ESC ] 52 ; c ; <base64> ESC \`: asks the terminal to put `text` on the system
/// clipboard. It travels with the output, so it works over SSH (and in tmux with
/// `set-clipboard on`).
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x1b\\", BASE64.encode(text))
}

/// Writes [`osc52`] for `text` to `out` and flushes.
pub fn write_osc52(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

/// The real desktop: the platform's opener, and OSC 52 on the terminal's output.
pub struct SystemDesktop {
    out: Box<dyn Write + Send>,
    /// Reports an opener that started but failed later (xdg-open without a browser).
    late_errors: mpsc::UnboundedSender<String>,
}

impl fmt::Debug for SystemDesktop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemDesktop").finish_non_exhaustive()
    }
}

impl SystemDesktop {
    /// Writes clipboard sequences to stdout (the terminal the UI draws on); late
    /// opener failures are sent on `late_errors`.
    pub fn new(late_errors: mpsc::UnboundedSender<String>) -> Self {
        Self {
            out: Box::new(io::stdout()),
            late_errors,
        }
    }
}

/// The command that opens `url`: `$BROWSER` if set, else the platform's opener.
fn opener(url: &str) -> Result<Command, String> {
    if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        let mut cmd = Command::new(browser);
        cmd.arg(url);
        return Ok(cmd);
    }
    if cfg!(target_os = "macos") {
        let mut cmd = Command::new("open");
        cmd.arg(url);
        Ok(cmd)
    } else if cfg!(windows) {
        // Not `cmd /C start`: cmd would read `&` in the URL as a command separator.
        let mut cmd = Command::new("rundll32");
        cmd.args(["url.dll,FileProtocolHandler", url]);
        Ok(cmd)
    } else if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        Err(
            "no graphical session to open a browser in (over SSH?): press Y to copy the link"
                .into(),
        )
    } else {
        let mut cmd = Command::new("xdg-open");
        cmd.arg(url);
        Ok(cmd)
    }
}

impl Desktop for SystemDesktop {
    fn open_url(&mut self, url: &str) -> Result<(), String> {
        let mut cmd = opener(url)?;
        // Detached from our terminal: the browser must not read keys or draw over us.
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!(
                    "could not start {:?} to open the link: {e}",
                    cmd.get_program()
                )
            })?;
        let late_errors = self.late_errors.clone();
        let program = cmd.get_program().to_string_lossy().into_owned();
        // Reaps the opener (no zombie) and reports it if it gave up.
        std::thread::spawn(move || match child.wait() {
            Ok(status) if !status.success() => {
                let _ = late_errors.send(format!("{program} could not open the link ({status})"));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "waiting for the browser opener"),
        });
        Ok(())
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        write_osc52(&mut self.out, text).map_err(|e| format!("could not copy: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_the_exact_sequence() {
        let mut out = Vec::new();
        write_osc52(&mut out, "NAV-12").unwrap();
        assert_eq!(out, b"\x1b]52;c;TkFWLTEy\x1b\\");
        let mut out = Vec::new();
        write_osc52(&mut out, "https://acme.atlassian.net/browse/NAV-12").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b]52;c;aHR0cHM6Ly9hY21lLmF0bGFzc2lhbi5uZXQvYnJvd3NlL05BVi0xMg==\x1b\\"
        );
        // Non-ASCII text is encoded as UTF-8 bytes.
        assert_eq!(osc52("é"), "\x1b]52;c;w6k=\x1b\\");
    }
}
