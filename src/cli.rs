//! The command line: `jtui`, `jtui demo`, `jtui emulator`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::app::{self, App};
use crate::crash::DebugPanic;
use crate::emulator::{seed, server};
use crate::jira::client::{ApiToken, Credentials, JiraClient};
use crate::terminal;

/// The query the app opens with when none is given.
pub const DEFAULT_JQL: &str = "updated >= -30d ORDER BY updated DESC";
/// Issues in the demo dataset unless `--issues` says otherwise.
pub const DEMO_ISSUES: usize = 600;

#[derive(Debug, Parser)]
#[command(
    name = "jtui",
    version,
    about = "A fast, keyboard-driven terminal client for Jira Cloud"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// JQL to open with.
    #[arg(long, global = true)]
    pub jql: Option<String>,
    /// Set by `main` from `JTUI_DEBUG_PANIC_AFTER_FRAME`; never a command-line flag.
    #[arg(skip)]
    pub debug_panic: Option<DebugPanic>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try jtui on a built-in Jira Cloud emulator with a demo dataset (no account needed).
    Demo(DataArgs),
    /// Run the Jira Cloud emulator alone, for scripts and other clients.
    Emulator {
        /// Port to listen on (127.0.0.1 only); 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        #[command(flatten)]
        data: DataArgs,
        /// Delay added to every response, e.g. `150ms` or `1s`, to mimic a real network.
        #[arg(long, value_parser = parse_duration)]
        latency: Option<Duration>,
    },
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// How many issues the demo dataset has.
    #[arg(long, default_value_t = DEMO_ISSUES)]
    pub issues: usize,
}

/// `150ms`, `2s`, or a bare number of milliseconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "ms"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("not a duration: '{text}'"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        _ => Err(format!("unknown unit in '{text}' (use ms or s)")),
    }
}

/// Where jtui writes its log: the platform's state dir (cache dir where there is none).
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("dev", "jtui", "jtui")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .to_path_buf(),
    )
}

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Some(Command::Demo(data)) => demo(data.issues, cli.jql.as_deref(), cli.debug_panic).await,
        Some(Command::Emulator {
            port,
            data,
            latency,
        }) => emulator(port, data.issues, latency).await,
        None => site(cli.jql.as_deref(), cli.debug_panic).await,
    }
}

async fn demo(issues: usize, jql: Option<&str>, debug_panic: Option<DebugPanic>) -> Result<()> {
    let store = seed::demo_store(issues);
    let emulator = server::start(store, server::ServerOptions::default())
        .await
        .context("could not start the built-in emulator")?;
    let base = url::Url::parse(&emulator.base_url).context("emulator URL")?;
    let creds = Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN));
    let client = JiraClient::new(base, creds)?;
    let site = format!("demo · {}", emulator.base_url.trim_start_matches("http://"));
    run_tui(client, site, jql.unwrap_or(DEFAULT_JQL), debug_panic).await
}

async fn emulator(port: u16, issues: usize, latency: Option<Duration>) -> Result<()> {
    let store = seed::demo_store(issues);
    let options = server::ServerOptions { port, latency };
    let emulator = server::start(store, options)
        .await
        .context("could not start the emulator")?;
    println!(
        "jtui Jira Cloud emulator listening on {}",
        emulator.base_url
    );
    println!("  e-mail:    {}", seed::DEMO_EMAIL);
    println!("  API token: {}", seed::DEMO_TOKEN);
    println!(
        "  try: curl -u {}:{} {}/rest/api/3/myself",
        seed::DEMO_EMAIL,
        seed::DEMO_TOKEN,
        emulator.base_url
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    emulator.shutdown().await.context("stopping the emulator")?;
    Ok(())
}

/// A session against a real site, configured by Atlassian's CI variable names.
async fn site(jql: Option<&str>, debug_panic: Option<DebugPanic>) -> Result<()> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (Some(base), Some(email), Some(token)) = (
        var("JIRA_BASE_URL"),
        var("JIRA_USER_EMAIL"),
        var("JIRA_API_TOKEN"),
    ) else {
        bail!(
            "no Jira site configured.\n\
             Set JIRA_BASE_URL (https://your-site.atlassian.net), JIRA_USER_EMAIL and \
             JIRA_API_TOKEN (create one at https://id.atlassian.com/manage-profile/security/api-tokens),\n\
             or try jtui on the built-in demo: jtui demo"
        );
    };
    let base = url::Url::parse(base.trim())
        .with_context(|| format!("JIRA_BASE_URL is not a URL: {base}"))?;
    let site = base.host_str().unwrap_or("jira").to_owned();
    let client = JiraClient::new(base, Credentials::new(&email, ApiToken::new(&token)))?;
    run_tui(client, site, jql.unwrap_or(DEFAULT_JQL), debug_panic).await
}

async fn run_tui(
    client: JiraClient,
    site: String,
    jql: &str,
    debug_panic: Option<DebugPanic>,
) -> Result<()> {
    // Signals first: a SIGTERM once the terminal is ours must reach the loop.
    let host = terminal::TtyHost::new().context("could not listen for signals")?;
    let mut terminal = terminal::init().context("could not set up the terminal")?;
    let mut app = App::new(client, site);
    app.debug_panic = debug_panic;
    app.start(jql);
    let events = app::spawn_terminal_events();
    let result = app.run(&mut terminal, events, host).await;
    terminal::restore();
    result.context("terminal error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("150ms"), Ok(Duration::from_millis(150)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("40"), Ok(Duration::from_millis(40)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3h").is_err());
    }
}
