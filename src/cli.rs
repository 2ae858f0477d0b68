//! The command line: `jtui`, `jtui demo`, `jtui emulator`, `jtui login`, `jtui logout`,
//! `jtui status`, `jtui profile`.

pub mod account;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::app::{self, App};
use crate::config::{self, Config};
use crate::crash::DebugPanic;
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
    /// Set by `main` from `JTUI_DEBUG_PANIC_AFTER_FRAME`; never a command-line flag.
    #[arg(skip)]
    pub debug_panic: Option<DebugPanic>,
    /// Send Jira no changes at all, only reads (also a profile's `read_only = true`).
    #[arg(long, global = true)]
    pub read_only: bool,
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
        /// The token's expiry date as Atlassian's token page shows it, e.g. 2027-03-01
        /// (asked after the token when not given; jtui warns before it).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_expiry)]
        expires: Option<NaiveDate>,
        /// Replace the token of an existing profile: the new one is checked first, and
        /// the old one stays if Jira refuses it.
        #[arg(long)]
        rotate: bool,
    },
    /// Remove the API token from the OS keyring (and say how to revoke it).
    Logout {
        /// Every profile's token.
        #[arg(long)]
        all: bool,
    },
    /// Show the site, the account, where the token comes from, whether Jira accepts it,
    /// when it expires, and what it may do.
    #[command(alias = "whoami")]
    Status,
    /// Change a profile's settings.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Make the profile read-only: jtui then sends Jira no changes with it.
    ReadOnly {
        /// Allow changes again.
        #[arg(long)]
        off: bool,
    },
}

/// `--expires`: a date, checked against today when the login runs.
fn parse_expiry(text: &str) -> Result<NaiveDate, String> {
    session::expiry::parse_expiry(text)
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// How many issues the demo dataset has.
    #[arg(long, default_value_t = DEMO_ISSUES)]
    pub issues: usize,
    /// Fill every text of the dataset with terminal attacks (escape sequences, control
    /// and invisible characters), to see that jtui shows none of them.
    #[arg(long)]
    pub hostile: bool,
}

impl DataArgs {
    /// What the demo's cached view belongs to: the emulator's port changes each run, its
    /// data does not, so the dataset names it (another size, or the hostile one, ignores
    /// the view and starts afresh).
    pub fn cache_site(&self) -> String {
        let hostile = if self.hostile { ", hostile" } else { "" };
        format!("demo: {} issues{hostile}", self.issues)
    }

    /// The dataset these options ask for.
    pub fn store(&self) -> crate::emulator::store::Store {
        if self.hostile {
            crate::emulator::hostile::hostile_store(self.issues)
        } else {
            seed::demo_store(self.issues)
        }
    }
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
            demo(
                &data,
                latency,
                cli.jql.as_deref(),
                cli.no_cache,
                cli.read_only,
                cli.debug_panic,
            )
            .await
        }
        Some(Command::Emulator {
            port,
            data,
            latency,
        }) => emulator(port, &data, latency).await,
        Some(Command::Login {
            site,
            email,
            token_stdin,
            scoped,
            default,
            expires,
            rotate,
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
                expires,
                rotate,
                now: None,
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
            let options = account::StatusOptions {
                read_only: cli.read_only,
                now: None,
            };
            account::status_with(
                &env,
                config.as_ref(),
                cli.profile.as_deref(),
                store,
                options,
                &mut account::Terminal,
            )
            .await
        }
        Some(Command::Profile {
            command: ProfileCommand::ReadOnly { off },
        }) => {
            let config = load_config()?;
            account::set_read_only(
                cli.profile.as_deref(),
                !off,
                config.as_ref(),
                &config_path()?,
                &mut account::Terminal,
            )
        }
        None => {
            site(
                &env,
                cli.profile.as_deref(),
                cli.jql.as_deref(),
                cli.no_cache,
                cli.read_only,
                cli.debug_panic,
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
    data: &DataArgs,
    latency: Option<Duration>,
    jql: Option<&str>,
    no_cache: bool,
    read_only: bool,
    debug_panic: Option<DebugPanic>,
) -> Result<()> {
    let store = data.store();
    let options = server::ServerOptions {
        latency,
        ..server::ServerOptions::default()
    };
    let emulator = server::start(store, options)
        .await
        .context("could not start the built-in emulator")?;
    let base = url::Url::parse(&emulator.base_url).context("emulator URL")?;
    let creds = Credentials::new(seed::DEMO_EMAIL, ApiToken::new(seed::DEMO_TOKEN));
    let client = JiraClient::new(base, creds)?.with_read_only(read_only);
    let site = format!("demo · {}", emulator.base_url.trim_start_matches("http://"));
    let dataset = data.cache_site();
    let first = FirstView {
        jql,
        default_jql: DEFAULT_JQL,
        cache: (!no_cache).then_some(dataset.as_str()),
    };
    run_tui(client, site, DEMO_PROFILE, first, None, None, debug_panic).await
}

async fn emulator(port: u16, data: &DataArgs, latency: Option<Duration>) -> Result<()> {
    let store = data.store();
    let options = server::ServerOptions {
        port,
        latency,
        ..server::ServerOptions::default()
    };
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
        "  a viewer who may only browse: {} / {}",
        seed::DEMO_VIEWER_EMAIL,
        seed::DEMO_VIEWER_TOKEN
    );
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
    read_only: bool,
    debug_panic: Option<DebugPanic>,
) -> Result<()> {
    let config = load_config()?;
    let store = secrets::default_store();
    let (env2, profile2, config2) = (env.clone(), profile.map(str::to_owned), config.clone());
    let resolved = tokio::task::spawn_blocking(move || {
        session::resolve(&env2, config2.as_ref(), profile2.as_deref(), store.as_ref())
    })
    .await
    .context("keyring task failed")?;
    let session = match resolved {
        Ok(s) => s,
        Err(SessionError::NotConfigured) => return welcome().await,
        Err(e) => return Err(e.into()),
    };
    let client = session
        .client()?
        .with_read_only(read_only || session.read_only());
    let warning = session.expiry_warning(session::expiry::today(), profile.is_none());
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
    let first = FirstView {
        jql,
        default_jql: &default_jql,
        cache: (!no_cache).then_some(cache.as_str()),
    };
    run_tui(
        client,
        site,
        &session.profile,
        first,
        config.as_ref(),
        warning,
        debug_panic,
    )
    .await
}

/// No site configured: a screen that says how to sign in or try the demo.
async fn welcome() -> Result<()> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("{}", SessionError::NotConfigured);
    }
    let path = config::config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut host = terminal::TtyHost::new().context("could not listen for signals")?;
    let mut terminal = terminal::init().context("could not set up the terminal")?;
    let result = tokio::select! {
        result = crate::ui::welcome::run(&mut terminal, &path) => result,
        _ = host.terminated() => Ok(()),
    };
    terminal::restore();
    result
}

/// What the first view shows: the query given on the command line, else the cached
/// view's, else the default one.
struct FirstView<'a> {
    jql: Option<&'a str>,
    default_jql: &'a str,
    /// The site (and account) the cached view must belong to; `None` (`--no-cache`)
    /// neither reads nor writes one.
    cache: Option<&'a str>,
}

/// `profile` names the JQL history and the view cache kept for this session;
/// `token_warning` is the token's expiry warning, kept in the status line.
async fn run_tui(
    client: JiraClient,
    site: String,
    profile: &str,
    first: FirstView<'_>,
    config: Option<&Config>,
    token_warning: Option<String>,
    debug_panic: Option<DebugPanic>,
) -> Result<()> {
    let mut app = App::new(client, site);
    app.debug_panic = debug_panic;
    app.state.token_warning = token_warning;
    let problems = config.map(|c| configure(&mut app, c)).unwrap_or_default();
    if let Some(dir) = app::history_file::default_dir() {
        app = app.with_history(dir, profile);
    }
    if let Some(drafts) = crate::drafts::DraftStore::in_state_dir(profile) {
        app = app.with_drafts(drafts);
    }
    if let (Some(cache_site), Some(dir)) = (first.cache, crate::cache::default_dir()) {
        app = app.with_view_cache(dir, profile, cache_site);
    }
    let jql = first
        .jql
        .or(app.cached_jql())
        .unwrap_or(first.default_jql)
        .to_owned();
    // Signals first: a SIGTERM once the terminal is ours must reach the loop.
    let host = terminal::TtyHost::new().context("could not listen for signals")?;
    let mut terminal = terminal::init().context("could not set up the terminal")?;
    app.start(&jql);
    if !problems.is_empty() {
        // After `start`, which clears the message line for its search.
        app.state.error(format!("config: {}", problems.join("; ")));
    }
    let events = app::spawn_terminal_events();
    let result = app.run(&mut terminal, events, host).await;
    terminal::restore();
    result.context("terminal error")
}

/// Applies the config file's UI settings (theme, keymap overrides, results columns).
/// A bad setting is reported and skipped, never fatal.
pub fn configure(app: &mut App, config: &Config) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(name) = &config.theme {
        match crate::ui::Theme::named(name) {
            Ok(theme) => app.theme = theme,
            Err(e) => problems.push(e),
        }
    }
    if !config.keymap.is_empty() {
        let (keymap, keymap_problems) =
            crate::config::keymap::Keymap::with_overrides(&config.keymap);
        app.keymap = keymap;
        problems.extend(keymap_problems.into_iter().map(|p| format!("keymap: {p}")));
    }
    if let Some(names) = &config.ui.columns {
        match crate::state::columns::ResultsColumns::from_names(names) {
            Ok(columns) => app.state.search.columns = columns,
            Err(e) => problems.push(format!("[ui] columns: {e}")),
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_view_belongs_to_its_dataset() {
        let data = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Some(Command::Demo { data, .. }) => data.cache_site(),
            other => panic!("{other:?}"),
        };
        let plain = data(&["jtui", "demo"]);
        assert_eq!(plain, data(&["jtui", "demo", "--latency", "150ms"]));
        assert_ne!(plain, data(&["jtui", "demo", "--hostile"]));
        assert_ne!(plain, data(&["jtui", "demo", "--issues", "20000"]));
    }

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
