//! The `jtui` binary: command line, logging, panic hook, runtime; everything else is in the
//! library.

use std::process::ExitCode;

use clap::Parser;
use jtui::cli::{self, Cli};
use jtui::crash::DebugPanic;
use jtui::terminal;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    // Read once, here: the hidden hook the crash-safety tests use (see `DebugPanic`).
    cli.debug_panic = DebugPanic::from_env();
    init_logging();
    // Before anything can panic: restores the terminal and writes a crash report.
    terminal::install_panic_hook();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jtui: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jtui: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to a file in the state dir, never to the terminal the UI owns.
/// `JTUI_LOG` sets the filter (default `info`).
fn init_logging() {
    let Some(dir) = cli::log_dir() else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("jtui.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("JTUI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
