//! The command line: `jtui`, `jtui demo`, `jtui emulator`, `jtui login`, `jtui logout`,
//! `jtui status`.

pub mod account;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use crate::app::{self, App};
use crate::config::{self, Config};
use crate::emulator::{seed, server};
use crate::jira::client::{ApiToken, Credentials, JiraClient};
use crate::session::{self, EnvVars, SessionError};
use crate::{secrets, terminal};

/// The query the app opens with when none is given.
pub const DEFAULT_JQL: &str = "updated >= -30d ORDER BY updated DESC";
/// The profile `jtui demo` keeps its JQL history under.
pub const DEMO_PROFILE: &str = "demo";
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
    /// The config profile to use (see `[profiles.NAME]` in the config file).
    #[arg(long, short = 'p', global = true)]
    pub profile: Option<String>,
    /// Start without the last view (normally drawn at once from the cache while Jira is
    /// asked again), and keep none.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try jtui on a built-in Jira Cloud emulator with a demo dataset (no account needed).
    Demo {
        #[command(flatten)]
        data: DataArgs,
        /// Delay the built-in emulator adds to every response, e.g. `150ms`, to feel a
        /// real network.
        #[arg(long, value_parser = parse_duration)]
        latency: Option<Duration>,
    },
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
    /// Sign in to a Jira Cloud site: checks the API token, then keeps it in the OS keyring.
    Login {
        /// The site: `acme` or `https://acme.atlassian.net`.
        #[arg(long)]
        site: Option<String>,
        /// The e-mail of your Atlassian account.
        #[arg(long)]
        email: Option<String>,
        /// Read the API token from standard input (for scripts) instead of asking.
        #[arg(long)]
        token_stdin: bool,
        /// The token is a scoped API token (it only works through Atlassian's API gateway).
        #[arg(long)]
        scoped: bool,
        /// Make this profile the default one.
        #[arg(long)]
        default: bool,
    },
    /// Remove the API token from the OS keyring (and say how to revoke it).
    Logout {
        /// Every profile's token.
        #[arg(long)]
        all: bool,
    },
    /// Show the site, the account, where the token comes from, and whether Jira accepts it.
    #[command(alias = "whoami")]
    Status,
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

/// Where jtui writes its log: the platform's state dir.
pub fn log_dir() -> Option<PathBuf> {
    config::state_dir()
}

pub async fn run(cli: Cli) -> Result<()> {
    let env = EnvVars::from_env();
    match cli.command {
        Some(Command::Demo { data, latency }) => {
            demo(data.issues, latency, cli.jql.as_deref(), cli.no_cache).await
        }
        Some(Command::Emulator {
            port,
            data,
            latency,
        }) => emulator(port, data.issues, latency).await,
        Some(Command::Login {
            site,
            email,
            token_stdin,
            scoped,
            default,
        }) => {
            let path = config_path()?;
            let token = if token_stdin {
                Some(account::read_token(std::io::stdin())?)
            } else {
                None
            };
            let args = account::LoginArgs {
                profile: cli.profile,
                site,
                email,
                token_stdin,
                scoped,
                make_default: default,
            };
            let store = secrets::default_store();
            account::login(args, token, &env, store, &path, &mut account::Terminal).await
        }
        Some(Command::Logout { all }) => {
            let config = load_config()?;
            let store = secrets::default_store();
            account::logout(
                cli.profile,
                all,
                config.as_ref(),
                store,
                &mut account::Terminal,
            )
            .await
        }
        Some(Command::Status) => {
            let config = load_config()?;
            let store = secrets::default_store();
            account::status(
                &env,
                config.as_ref(),
                cli.profile.as_deref(),
                store,
                &mut account::Terminal,
            )
            .await
        }
        None => {
            site(
                &env,
                cli.profile.as_deref(),
                cli.jql.as_deref(),
                cli.no_cache,
            )
            .await
        }
    }
}

fn config_path() -> Result<std::path::PathBuf> {
    config::config_path().context("cannot find a config directory on this system; set JTUI_CONFIG")
}

/// The config file if there is one; its warnings go to stderr before the UI starts.
fn load_config() -> Result<Option<Config>> {
    let path = config_path()?;
    let Some(loaded) = config::load_optional(&path)? else {
        return Ok(None);
    };
    for warning in &loaded.warnings {
        eprintln!("jtui: warning: {warning}");
    }
    Ok(Some(loaded.config))
}

async fn demo(
    issues: usize,
    latency: Option<Duration>,
    jql: Option<&str>,
    no_cache: bool,
) -> Result<()> {
    let store = seed::demo_store(issues);
    let options = server::ServerOptions {
        latency,
        ..server::ServerOptions::default()
    };
    let emulator = server::start(store, options)
        .await
        .context("could not start the built-in emulator")?;
    let base = url::Url::parse(&emulator.base_url).context("emulator URL")?;
    let creds = Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN));
    let client = JiraClient::new(base, creds)?;
    let site = format!("demo · {}", emulator.base_url.trim_start_matches("http://"));
    // The emulator's port changes each run, its data does not: one cache for the demo.
    let cache = (!no_cache).then_some(DEMO_PROFILE);
    run_tui(client, site, DEMO_PROFILE, (jql, DEFAULT_JQL), cache).await
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

/// A session against a real site: a config profile, or the environment alone.
async fn site(
    env: &EnvVars,
    profile: Option<&str>,
    jql: Option<&str>,
    no_cache: bool,
) -> Result<()> {
    let config = load_config()?;
    let store = secrets::default_store();
    let (env2, profile2) = (env.clone(), profile.map(str::to_owned));
    let resolved = tokio::task::spawn_blocking(move || {
        session::resolve(&env2, config.as_ref(), profile2.as_deref(), store.as_ref())
    })
    .await
    .context("keyring task failed")?;
    let session = match resolved {
        Ok(s) => s,
        Err(SessionError::NotConfigured) => return welcome().await,
        Err(e) => return Err(e.into()),
    };
    let client = session.client()?;
    let default_jql = session
        .settings
        .as_ref()
        .and_then(|s| s.default_jql.clone())
        .or_else(|| {
            let project = session.settings.as_ref()?.default_project.as_deref()?;
            Some(app::update::project_jql(project))
        })
        .unwrap_or_else(|| DEFAULT_JQL.to_owned());
    let site = session.site.host_str().unwrap_or("jira").to_owned();
    // A view belongs to one site and account: another login under the profile's name
    // must not be shown the last one's issues.
    let cache = format!("{} {}", session.site, session.email);
    let cache = (!no_cache).then_some(cache.as_str());
    run_tui(client, site, &session.profile, (jql, &default_jql), cache).await
}

/// No site configured: a screen that says how to sign in or try the demo.
async fn welcome() -> Result<()> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("{}", SessionError::NotConfigured);
    }
    let path = config::config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut terminal = terminal::init().context("could not set up the terminal")?;
    let result = crate::ui::welcome::run(&mut terminal, &path).await;
    terminal::restore();
    result
}

/// `profile` names the JQL history and the view cache kept for this session. The query
/// is `jql.0` if given, else the cached view's, else `jql.1`. `cache` names the site the
/// cached view must belong to; `None` (`--no-cache`) neither reads nor writes one.
async fn run_tui(
    client: JiraClient,
    site: String,
    profile: &str,
    jql: (Option<&str>, &str),
    cache: Option<&str>,
) -> Result<()> {
    let mut app = App::new(client, site);
    if let Some(dir) = app::history_file::default_dir() {
        app = app.with_history(dir, profile);
    }
    if let (Some(cache_site), Some(dir)) = (cache, crate::cache::default_dir()) {
        app = app.with_view_cache(dir, profile, cache_site);
    }
    let jql = jql.0.or(app.cached_jql()).unwrap_or(jql.1).to_owned();
    let mut terminal = terminal::init().context("could not set up the terminal")?;
    app.start(&jql);
    let events = app::spawn_terminal_events();
    let result = app.run(&mut terminal, events).await;
    terminal::restore();
    result.context("terminal error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cache_is_global_and_the_demo_takes_a_latency() {
        let cli =
            Cli::try_parse_from(["jtui", "demo", "--no-cache", "--latency", "150ms"]).unwrap();
        assert!(cli.no_cache);
        assert!(matches!(
            cli.command,
            Some(Command::Demo { latency: Some(d), .. }) if d == Duration::from_millis(150)
        ));
        let cli = Cli::try_parse_from(["jtui", "--no-cache"]).unwrap();
        assert!(cli.no_cache && cli.command.is_none());
        assert!(!Cli::try_parse_from(["jtui"]).unwrap().no_cache);
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("150ms"), Ok(Duration::from_millis(150)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("40"), Ok(Duration::from_millis(40)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3h").is_err());
    }
}
