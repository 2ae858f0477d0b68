//! Taking over the terminal and always giving it back: on quit, on error and on panic.

use std::io::{self, Stdout};

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

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen, mouse and bracketed paste; restores on panic.
pub fn init() -> io::Result<Tui> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e);
    }
    enhance_keyboard();
    Terminal::new(CrosstermBackend::new(stdout))
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

/// Puts the terminal back as we found it. Safe to call more than once.
pub fn restore() {
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

/// Restores the terminal before the default hook prints the panic, so the message is
/// readable and the shell usable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
