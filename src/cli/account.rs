//! `jtui login`, `jtui logout`, `jtui status` and `jtui profile read-only`: signing in with
//! an API token that is checked before anything is saved, stored in the OS keyring and
//! never printed; rotating it, recording when it expires, and saying what it may do.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use url::Url;

use crate::config::{self, AuthMode, Config, Profile};
use crate::jira::ApiToken;
use crate::secrets::TokenStore;
use crate::session::expiry::{self, TokenExpiry};
use crate::session::{self, EnvVars, TOKEN_PAGE};

/// The profile `jtui login` writes when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// How the commands talk to the user; a script in tests.
pub trait Prompter {
    /// Asks for a line of text.
    fn line(&mut self, prompt: &str) -> io::Result<String>;
    /// Asks for a secret without echoing it.
    fn secret(&mut self, prompt: &str) -> io::Result<String>;
    /// Tells the user something.
    fn say(&mut self, text: &str);
    /// Whether there is a person to ask.
    fn interactive(&self) -> bool;
}

/// The terminal: prompts on stderr, answers from stdin, the token from the tty unechoed.
#[derive(Debug, Default)]
pub struct Terminal;

impl Prompter for Terminal {
    fn line(&mut self, prompt: &str) -> io::Result<String> {
        eprint!("{prompt}");
        io::stderr().flush()?;
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no input"));
        }
        Ok(line.trim().to_owned())
    }

    fn secret(&mut self, prompt: &str) -> io::Result<String> {
        rpassword::prompt_password(prompt).map(|s| s.trim().to_owned())
    }

    fn say(&mut self, text: &str) {
        println!("{text}");
    }

    fn interactive(&self) -> bool {
        io::stdin().is_terminal()
    }
}

#[derive(Debug, Clone, Default)]
pub struct LoginArgs {
    pub profile: Option<String>,
    pub site: Option<String>,
    pub email: Option<String>,
    /// The token comes on standard input (for scripts), not from a prompt.
    pub token_stdin: bool,
    /// The token is a scoped one: go through the API gateway.
    pub scoped: bool,
    /// Make this the default profile.
    pub make_default: bool,
    /// The token's expiry date (`--expires`); asked after the token when not given.
    pub expires: Option<NaiveDate>,
    /// Replace the token of an existing profile (`--rotate`); site and e-mail come from it.
    pub rotate: bool,
    /// The clock; `None` is the system's. Tests pin it to check dates.
    pub now: Option<DateTime<Utc>>,
}

fn ask(p: &mut dyn Prompter, given: Option<String>, prompt: &str, what: &str) -> Result<String> {
    if let Some(v) = given.filter(|v| !v.trim().is_empty()) {
        return Ok(v.trim().to_owned());
    }
    if !p.interactive() {
        bail!("no terminal to ask for the {what}: pass it as an option (see `jtui login --help`)");
    }
    let answer = p
        .line(prompt)
        .with_context(|| format!("reading the {what}"))?;
    if answer.is_empty() {
        bail!("no {what} given; nothing was saved");
    }
    Ok(answer)
}

/// Reads the token from `input` (for `--token-stdin`): the first line, trimmed.
pub fn read_token(mut input: impl Read) -> Result<ApiToken> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .context("reading the token from standard input")?;
    let token = text.lines().next().unwrap_or("").trim().to_owned();
    if token.is_empty() {
        bail!("no token on standard input; nothing was saved");
    }
    Ok(ApiToken::new(token))
}

/// Runs `f` on a thread where blocking is fine: keyring backends may block on D-Bus.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow!("keyring task failed: {e}"))
}

/// Times `jtui login` asks again for an expiry date it cannot use, before going on
/// without one.
const EXPIRY_ATTEMPTS: usize = 3;

/// Asks for the token's expiry date (Atlassian shows it when the token is created). An
/// empty answer skips; a date that cannot be right is explained and asked again.
fn ask_expiry(p: &mut dyn Prompter, today: NaiveDate) -> Result<Option<NaiveDate>> {
    for _ in 0..EXPIRY_ATTEMPTS {
        let answer = p
            .line("Expiry date shown on the token page (YYYY-MM-DD, Enter to skip): ")
            .context("reading the expiry date")?;
        if answer.is_empty() {
            return Ok(None);
        }
        match expiry::parse_expiry(&answer).and_then(|d| expiry::check_expiry(d, today)) {
            Ok(date) => return Ok(Some(date)),
            Err(problem) => p.say(&format!("{problem}.")),
        }
    }
    p.say("Going on without an expiry date.");
    Ok(None)
}

/// Where `jtui login` signs in: a new or updated profile, or (`--rotate`) the one whose
/// token is replaced.
struct Target {
    profile: String,
    site: Url,
    email: String,
    scoped: bool,
    /// The config as it was, if there was one.
    existing: Option<Config>,
}

fn rotate_target(args: &LoginArgs, config_path: &Path) -> Result<Target> {
    if args.site.is_some() || args.email.is_some() {
        bail!(
            "--rotate keeps the profile's site and e-mail; to change them, run `jtui login` without --rotate"
        );
    }
    let config = config::load_optional(config_path)?
        .map(|l| l.config)
        .ok_or_else(|| {
            anyhow!(
                "there is no config file at {}, so no token to rotate: run `jtui login`",
                config_path.display()
            )
        })?;
    let (profile, settings) = config.profile(args.profile.as_deref())?;
    let site =
        session::normalize_site(&settings.site).map_err(|e| anyhow!("profile '{profile}': {e}"))?;
    Ok(Target {
        scoped: args.scoped || settings.auth == AuthMode::Scoped,
        email: settings.email.clone(),
        profile,
        site,
        existing: Some(config.clone()),
    })
}

fn login_target(args: &LoginArgs, config_path: &Path, p: &mut dyn Prompter) -> Result<Target> {
    let profile = args
        .profile
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    let site_text = ask(
        p,
        args.site.clone(),
        "Jira site (acme or https://acme.atlassian.net): ",
        "site",
    )?;
    let site = session::normalize_site(&site_text).map_err(|e| anyhow!(e))?;
    let email = ask(
        p,
        args.email.clone(),
        "E-mail of your Atlassian account: ",
        "e-mail",
    )?;
    Ok(Target {
        profile,
        site,
        email,
        scoped: args.scoped,
        existing: config::load_optional(config_path)
            .ok()
            .flatten()
            .map(|l| l.config),
    })
}

/// `jtui login`: asks, checks with `GET /myself`, then stores. Nothing is saved unless
/// Jira accepted the token.
///
/// With `--rotate` it replaces the token of an existing profile in one step: the site and
/// e-mail come from the profile, and the new token is checked before the old one is
/// dropped, so a bad new token leaves the old one in the keyring untouched.
pub async fn login(
    args: LoginArgs,
    token_input: Option<ApiToken>,
    env: &EnvVars,
    store: Arc<dyn TokenStore>,
    config_path: &Path,
    p: &mut dyn Prompter,
) -> Result<()> {
    let now = args.now.unwrap_or_else(Utc::now);
    let today = expiry::local_date(now);
    let nothing_saved = if args.rotate {
        "The old token is still in place"
    } else {
        "Nothing was saved"
    };
    if let Some(date) = args.expires {
        expiry::check_expiry(date, today)
            .map_err(|e| anyhow!("--expires: {e}. {nothing_saved}"))?;
    }
    let target = if args.rotate {
        rotate_target(&args, config_path)?
    } else {
        login_target(&args, config_path, p)?
    };
    let Target {
        profile,
        site,
        email,
        scoped,
        existing,
    } = target;
    let asked = token_input.is_none();
    let token = match token_input {
        Some(t) => t,
        None => {
            if !p.interactive() {
                bail!("no terminal to ask for the API token: use --token-stdin");
            }
            let prompt = if args.rotate {
                p.say(&format!(
                    "Replacing the API token of profile '{profile}' ({email} on {}).",
                    site.as_str().trim_end_matches('/')
                ));
                p.say(&format!("Create a new API token at {TOKEN_PAGE}\n(Atlassian shows it once; note its expiry date too)."));
                "New API token (input hidden): "
            } else {
                p.say(&format!("Create an API token at {TOKEN_PAGE}\n(Atlassian shows it once; note its expiry date too)."));
                "API token (input hidden): "
            };
            let t = p.secret(prompt).context("reading the API token")?;
            if t.is_empty() {
                bail!("no API token given. {nothing_saved}");
            }
            ApiToken::new(t)
        }
    };
    let expires = match args.expires {
        Some(date) => Some(date),
        None if asked => ask_expiry(p, today)?,
        None => None,
    };

    p.say(&format!(
        "Checking with {}…",
        site.as_str().trim_end_matches('/')
    ));
    let verified = session::verify(&site, &email, &token, scoped, env)
        .await
        .map_err(|e| anyhow!("{e}. {nothing_saved}"))?;

    // The token this replaces, to put back if the config cannot be written.
    let backend = store.backend().to_owned();
    let previous = {
        let (store, profile) = (store.clone(), profile.clone());
        blocking(move || store.get(&profile))
            .await?
            .map_err(|e| anyhow!("could not read the keyring: {e}. {nothing_saved}"))?
    };
    {
        let (store, profile, token) = (store.clone(), profile.clone(), token.clone());
        blocking(move || store.set(&profile, &token))
            .await?
            .map_err(|e| anyhow!("could not store the token: {e}. {nothing_saved}"))?;
    }

    let site_text = site.as_str().trim_end_matches('/').to_owned();
    let mut settings = existing
        .as_ref()
        .and_then(|c| c.profiles.get(&profile).cloned())
        .unwrap_or_else(|| Profile::new(site_text.clone(), email.clone()));
    settings.site = site_text;
    settings.email = email.clone();
    settings.auth = if verified.cloud_id.is_some() {
        AuthMode::Scoped
    } else {
        AuthMode::Classic
    };
    settings.cloud_id = verified.cloud_id.clone();
    settings.token_stored_at = Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    // An expiry recorded for an earlier token says nothing about this one.
    settings.token_expires = expires.map(|d| d.to_string());
    // A rotation changes the token, not which profile is the default.
    let make_default = args.make_default
        || (!args.rotate
            && existing
                .as_ref()
                .is_none_or(|c| c.default_profile.is_none()));
    if let Err(e) = config::upsert_profile(config_path, &profile, &settings, make_default) {
        // Keep the two stores consistent: put back what the keyring held before.
        let (store, name) = (store.clone(), profile.clone());
        let _ = blocking(move || match previous {
            Some(old) => store.set(&name, &old).map(|()| true),
            None => store.delete(&name),
        })
        .await;
        return Err(anyhow!(
            "could not write {}: {e}. {nothing_saved}",
            config_path.display()
        ));
    }

    let name = crate::sanitize::sanitize_line(&verified.user.display_name).into_owned();
    if args.rotate {
        p.say(&format!(
            "Replaced the API token of profile '{profile}' in {backend}; Jira accepts the new one ({name} <{email}>)."
        ));
        p.say(&format!(
            "Revoke the old token at {TOKEN_PAGE} once nothing else uses it."
        ));
    } else {
        p.say(&format!(
            "Signed in to {} as {name} <{email}>.",
            settings.site
        ));
    }
    if !store.survives_reboot() {
        p.say(&format!(
            "Note: {backend} keeps the token in memory only: it is gone after a reboot. \
             Start a Secret Service (GNOME Keyring, KWallet, KeePassXC) to keep it."
        ));
    }
    if verified.cloud_id.is_some() {
        p.say(&format!(
            "Scoped token: requests go through {}",
            verified.api_base
        ));
    }
    if !args.rotate {
        p.say(&format!(
            "Token stored in {backend} (service 'jtui', account '{profile}'); site and e-mail in {}.",
            config_path.display()
        ));
    }
    let is_default = make_default
        || existing
            .as_ref()
            .and_then(|c| c.profile(None).ok())
            .is_some_and(|(n, _)| n == profile);
    match expiry::warning(&profile, &settings, today, is_default) {
        Some(warning) => p.say(&warning),
        None => match TokenExpiry::of(&settings, today) {
            Some(e) => p.say(&format!(
                "The token expires {}; jtui warns from {} days before.",
                e.when(),
                e.warning_days
            )),
            None => p.say(
                "No expiry date recorded, so jtui cannot warn before the token expires \
                 (`jtui login --rotate --expires YYYY-MM-DD` records one with the next token).",
            ),
        },
    }
    Ok(())
}

/// `jtui profile read-only [--off]`: turns the profile's `read_only` setting on or off, so
/// jtui sends (or again may send) changes to Jira on it.
pub fn set_read_only(
    profile: Option<&str>,
    read_only: bool,
    config: Option<&Config>,
    config_path: &Path,
    p: &mut dyn Prompter,
) -> Result<()> {
    let config = config.ok_or_else(|| {
        anyhow!(
            "there is no config file at {}: run `jtui login` first",
            config_path.display()
        )
    })?;
    let (name, _) = config.profile(profile)?;
    config::set_profile_field(config_path, &name, "read_only", Some(read_only.into()))?;
    if read_only {
        p.say(&format!(
            "Profile '{name}' is read-only now: jtui only reads from Jira with it and sends no changes. \
             `jtui profile read-only --off` undoes this."
        ));
    } else {
        p.say(&format!(
            "Profile '{name}' may send changes to Jira again (as far as the token and your Jira permissions allow)."
        ));
    }
    Ok(())
}

/// `jtui logout`: removes the token(s) from the keyring and says how to revoke them.
pub async fn logout(
    profile: Option<String>,
    all: bool,
    config: Option<&Config>,
    store: Arc<dyn TokenStore>,
    p: &mut dyn Prompter,
) -> Result<()> {
    let names: Vec<String> = if all {
        config
            .map(|c| c.profiles.keys().cloned().collect())
            .unwrap_or_default()
    } else {
        let name = match (&profile, config) {
            (Some(p), _) => p.clone(),
            (None, Some(c)) => c
                .profile(None)
                .map(|(n, _)| n)
                .unwrap_or_else(|_| DEFAULT_PROFILE.into()),
            (None, None) => DEFAULT_PROFILE.into(),
        };
        vec![name]
    };
    if names.is_empty() {
        p.say("No profiles configured; nothing to remove.");
    }
    let backend = store.backend().to_owned();
    for name in names {
        let (s, n) = (store.clone(), name.clone());
        match blocking(move || s.delete(&n)).await? {
            Ok(true) => p.say(&format!(
                "Removed the API token of profile '{name}' from {backend}."
            )),
            Ok(false) => p.say(&format!(
                "No API token stored for profile '{name}' in {backend}."
            )),
            Err(e) => {
                return Err(anyhow!(
                    "could not remove the token of profile '{name}': {e}"
                ));
            }
        }
    }
    p.say(&format!(
        "The token still works until you revoke it: {TOKEN_PAGE}\n(jtui never had a copy anywhere but the keyring)."
    ));
    Ok(())
}

/// The permissions `jtui status` probes, with what they let a person do. Reading them is
/// harmless (`GET /mypermissions`); trying a write to find out would not be.
pub const PROBED_PERMISSIONS: &[(&str, &str)] = &[
    ("BROWSE_PROJECTS", "browse projects and issues"),
    ("EDIT_ISSUES", "edit issues"),
    ("TRANSITION_ISSUES", "move issues through the workflow"),
    ("ADD_COMMENTS", "comment"),
    ("ASSIGN_ISSUES", "assign issues"),
    ("CREATE_ISSUES", "create issues"),
];

/// What `jtui status` is told besides the session.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusOptions {
    /// `--read-only` was given.
    pub read_only: bool,
    /// The clock; `None` is the system's.
    pub now: Option<DateTime<Utc>>,
}

/// `jtui status`: which site, which user, where the token comes from, and whether Jira
/// accepts it. Never prints the token. Errors when Jira rejects it.
pub async fn status(
    env: &EnvVars,
    config: Option<&Config>,
    profile: Option<&str>,
    store: Arc<dyn TokenStore>,
    p: &mut dyn Prompter,
) -> Result<()> {
    status_with(env, config, profile, store, StatusOptions::default(), p).await
}

/// [`status`], plus the token's dates and expiry warning, the read-only mode, and what
/// the account may do (probed with `GET /mypermissions`).
pub async fn status_with(
    env: &EnvVars,
    config: Option<&Config>,
    profile: Option<&str>,
    store: Arc<dyn TokenStore>,
    options: StatusOptions,
    p: &mut dyn Prompter,
) -> Result<()> {
    let today = expiry::local_date(options.now.unwrap_or_else(Utc::now));
    let (env2, config2, profile2, store2) = (
        env.clone(),
        config.cloned(),
        profile.map(str::to_owned),
        store.clone(),
    );
    let session = blocking(move || {
        session::resolve(
            &env2,
            config2.as_ref(),
            profile2.as_deref(),
            store2.as_ref(),
        )
    })
    .await??;
    let is_default = profile.is_none();
    p.say(&format!("Profile:  {}", session.profile));
    p.say(&format!(
        "Site:     {}",
        session.site.as_str().trim_end_matches('/')
    ));
    if session.is_scoped() {
        p.say(&format!("Gateway:  {} (scoped token)", session.api_base));
    }
    p.say(&format!("E-mail:   {}", session.email));
    p.say(&format!("Token:    from {}", session.source));
    let settings = session
        .settings
        .as_ref()
        .filter(|_| session.source != session::TokenSource::Env);
    if let Some(settings) = settings {
        if let Some(stored) = settings.token_stored_at() {
            p.say(&format!("Stored:   {}", stored.date_naive()));
        }
        match TokenExpiry::of(settings, today) {
            Some(e) if e.is_expired() => p.say(&format!("Expires:  expired {}", e.when())),
            Some(e) => p.say(&format!("Expires:  {}", e.when())),
            None => p.say(
                "Expires:  not recorded (`jtui login --rotate --expires YYYY-MM-DD` records it with the next token)",
            ),
        }
    }
    if let Some(warning) = session.expiry_warning(today, is_default) {
        p.say(&format!("Warning:  {warning}"));
    }
    let read_only = options.read_only || session.read_only();
    if read_only {
        let why = if session.read_only() {
            "the profile says read_only = true"
        } else {
            "--read-only"
        };
        p.say(&format!(
            "Mode:     read-only ({why}): jtui sends Jira no changes"
        ));
    }
    let client = session.client()?.with_read_only(read_only);
    match client.myself().await {
        Ok(user) => {
            let name = crate::sanitize::sanitize_line(&user.display_name).into_owned();
            p.say(&format!("Jira:     accepts it — signed in as {name}"));
        }
        Err(e) => {
            p.say(&format!("Jira:     does not accept it — {e}"));
            if matches!(e, crate::jira::JiraError::Unauthorized { .. }) {
                p.say(&format!(
                    "          If the token was revoked or has expired, create a new one and run `{}`.",
                    expiry::rotate_command(&session.profile, is_default)
                ));
            }
            return Err(anyhow!(
                "Jira did not accept the credentials of profile '{}'",
                session.profile
            ));
        }
    }
    let keys: Vec<&str> = PROBED_PERMISSIONS.iter().map(|(k, _)| *k).collect();
    match client.my_permissions(&keys).await {
        Ok(found) => {
            p.say("Can:      (what Jira allows this account, in at least one project)");
            for (key, what) in PROBED_PERMISSIONS {
                let answer = match found.has(key) {
                    Some(true) => "yes",
                    Some(false) => "no ",
                    None => "?  ",
                };
                p.say(&format!("          {answer}  {what} ({key})"));
            }
            let can_write = PROBED_PERMISSIONS
                .iter()
                .filter(|(k, _)| *k != "BROWSE_PROJECTS")
                .any(|(k, _)| found.has(k) == Some(true));
            if !can_write && !read_only {
                p.say(&format!(
                    "          This account may not change anything: `jtui profile read-only{}` stops jtui from offering changes.",
                    if is_default {
                        String::new()
                    } else {
                        format!(" --profile {}", session.profile)
                    }
                ));
            }
        }
        Err(e) => p.say(&format!("Can:      unknown — {e}")),
    }
    if session.is_scoped() {
        p.say(&format!(
            "          A scoped token also needs the {} scope for changes; Jira does not report a token's scopes, so jtui says so when a change is refused for lack of one.",
            crate::jira::access::WRITE_SCOPE
        ));
    }
    Ok(())
}
