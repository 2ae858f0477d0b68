//! Taking over the terminal and always giving it back: on quit, on error, on panic, on
//! SIGTERM, SIGHUP and SIGINT, and for the time a Ctrl-Z suspend lasts.

use std::io::{self, Stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    KeyboardEnhancementFlags, PopKeyboardEnhancementFlags, PushKeyboardEnhancementFlags,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::{Host, ProcessSignal};
use crate::crash::CrashReport;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// The exit status after a panic: the one Rust itself uses.
const PANIC_EXIT_CODE: i32 = 101;

/// Whether jtui holds the terminal (raw mode, alternate screen) right now, so `restore`
/// writes its escape sequences only when there is something to give back: never into a
/// pipe, never twice.
static TAKEN: AtomicBool = AtomicBool::new(false);

static PANIC_HOOK: Once = Once::new();

/// Raw mode, alternate screen, mouse and bracketed paste; restores on panic.
pub fn init() -> io::Result<Tui> {
    install_panic_hook();
    enter()?;
    Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| restore())
}

/// Takes the terminal: raw mode, alternate screen, mouse capture, bracketed paste.
fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    TAKEN.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .inspect_err(|_| restore())?;
    enhance_keyboard();
    Ok(())
}

/// Whether keyboard enhancement was pushed, so `restore` pops only what it pushed.
static KEYBOARD_ENHANCED: AtomicBool = AtomicBool::new(false);

/// Where the terminal speaks the kitty keyboard protocol, asks it to tell keys apart
/// that legacy encoding merges: Ctrl-I then arrives as itself instead of as Tab (so it
/// can mean "forward"). Terminals without the protocol ignore the request. It is sent
/// without asking first: the query (`supports_keyboard_enhancement`) waits up to two
/// seconds for terminals that never answer, and start-up must stay instant.
fn enhance_keyboard() {
    if execute!(
        io::stdout(),
        PushKeyboardEnhancementFlags(KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES)
    )
    .is_ok()
    {
        KEYBOARD_ENHANCED.store(true, Ordering::SeqCst);
    }
}

/// Puts the terminal back as we found it. Safe to call more than once, and from any thread.
pub fn restore() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    if KEYBOARD_ENHANCED.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), PopKeyboardEnhancementFlags);
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Makes every panic end jtui the same way, on whichever thread it happens: terminal
/// restored first, then a crash report in the state dir (see [`crate::crash`]), then one
/// line on stderr saying where it is. Rust's default hook is not called, because it prints
/// the panic message, which may carry issue content.
///
/// While jtui holds the terminal the process exits from the hook: a panic on a runtime
/// worker would otherwise leave the loop drawing over a terminal that is no longer ours.
pub fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // Holding stdout keeps the other threads from drawing over the restored
            // terminal while the report is written (the lock is reentrant for `restore`).
            let stdout = io::stdout();
            let _drawing_stopped = stdout.lock();
            let had_terminal = TAKEN.load(Ordering::SeqCst);
            restore();
            let report = CrashReport::capture(info.payload(), info.location());
            let written = crate::cli::log_dir()
                .ok_or_else(|| io::Error::other("no home directory"))
                .and_then(|dir| report.write_to(&dir));
            match &written {
                Ok(path) => eprintln!(
                    "jtui crashed at {}: {}\n\
                     A crash report (no token, no issue content) is in {}\n\
                     Please attach it when you report the bug.",
                    report.location,
                    report.message,
                    path.display()
                ),
                Err(e) => eprintln!(
                    "jtui crashed at {}: {} (no crash report: {e})",
                    report.location, report.message
                ),
            }
            if had_terminal {
                std::process::exit(PANIC_EXIT_CODE);
            }
        }));
    });
}

/// The real process around the event loop: SIGTERM, SIGHUP and SIGINT end the session,
/// SIGCONT after an outside stop redraws, and Ctrl-Z stops the process like any job.
///
/// Create it before [`init`], inside the tokio runtime: from then on those signals no
/// longer kill jtui outright but reach the loop, which quits the normal way.
#[derive(Debug)]
pub struct TtyHost {
    #[cfg(unix)]
    signals: unix::Signals,
}

impl TtyHost {
    pub fn new() -> io::Result<Self> {
        Ok(Self {
            #[cfg(unix)]
            signals: unix::Signals::install()?,
        })
    }

    /// Waits for SIGTERM, SIGHUP or SIGINT and names it, for screens simpler than the
    /// app's loop that only need to end on them.
    pub async fn terminated(&mut self) -> &'static str {
        loop {
            if let ProcessSignal::Terminate(name) = self.signal().await {
                return name;
            }
        }
    }
}

impl Host for TtyHost {
    #[cfg(unix)]
    async fn signal(&mut self) -> ProcessSignal {
        self.signals.next().await
    }

    #[cfg(not(unix))]
    async fn signal(&mut self) -> ProcessSignal {
        std::future::pending().await
    }

    fn suspend(&mut self) -> io::Result<()> {
        #[cfg(unix)]
        {
            restore();
            self.signals.expect_continue();
            // SIGTSTP, not SIGSTOP: in a process group without a job-control shell (jtui
            // started directly by a terminal emulator) the kernel drops it, so there is no
            // stopping a process that nobody could continue. Returns once continued.
            if let Err(e) = nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP) {
                tracing::warn!(error = %e, "could not stop for Ctrl-Z");
            }
            enter()
        }
        #[cfg(not(unix))]
        {
            Ok(())
        }
    }

    fn resume(&mut self) -> io::Result<()> {
        enter()
    }

    async fn outside<R: Send + 'static>(
        &mut self,
        f: impl FnOnce() -> R + Send + 'static,
    ) -> io::Result<R> {
        restore();
        let result = tokio::task::spawn_blocking(f).await;
        enter()?;
        result.map_err(|e| io::Error::other(e.to_string()))
    }
}

#[cfg(unix)]
mod unix {
    //! The signals `TtyHost` listens for.

    use std::io;

    use tokio::signal::unix::{Signal, SignalKind, signal};

    use crate::app::ProcessSignal;

    #[derive(Debug)]
    pub struct Signals {
        terminate: Signal,
        hangup: Signal,
        interrupt: Signal,
        continued: Signal,
        /// Our own suspend is followed by one SIGCONT that needs no second redraw. Where
        /// the kernel dropped our SIGTSTP (no job-control shell) no SIGCONT follows, and
        /// the flag swallows the next outside one: one redraw missed, in a rare case.
        skip_continue: bool,
    }

    impl Signals {
        pub fn install() -> io::Result<Self> {
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
                interrupt: signal(SignalKind::interrupt())?,
                continued: signal(SignalKind::from_raw(
                    nix::sys::signal::Signal::SIGCONT as i32,
                ))?,
                skip_continue: false,
            })
        }

        pub fn expect_continue(&mut self) {
            self.skip_continue = true;
        }

        pub async fn next(&mut self) -> ProcessSignal {
            loop {
                tokio::select! {
                    Some(()) = self.terminate.recv() => return ProcessSignal::Terminate("SIGTERM"),
                    Some(()) = self.hangup.recv() => return ProcessSignal::Terminate("SIGHUP"),
                    Some(()) = self.interrupt.recv() => return ProcessSignal::Terminate("SIGINT"),
                    Some(()) = self.continued.recv() => {
                        if !std::mem::take(&mut self.skip_continue) {
                            return ProcessSignal::Continued;
                        }
                    }
                    else => std::future::pending::<()>().await,
                }
            }
        }
    }
}
