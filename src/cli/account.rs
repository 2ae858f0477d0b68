//! `jtui login`, `jtui logout` and `jtui status`: signing in with an API token that is
//! checked before anything is saved, stored in the OS keyring and never printed.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};

use crate::config::{self, AuthMode, Config, Profile};
use crate::jira::ApiToken;
use crate::secrets::TokenStore;
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

/// `jtui login`: asks, checks with `GET /myself`, then stores. Nothing is saved unless
/// Jira accepted the token.
pub async fn login(
    args: LoginArgs,
    token_input: Option<ApiToken>,
    env: &EnvVars,
    store: Arc<dyn TokenStore>,
    config_path: &Path,
    p: &mut dyn Prompter,
) -> Result<()> {
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
    let token = match token_input {
        Some(t) => t,
        None => {
            if !p.interactive() {
                bail!("no terminal to ask for the API token: use --token-stdin");
            }
            p.say(&format!("Create an API token at {TOKEN_PAGE}\n(Atlassian shows it once; note its expiry date too)."));
            let t = p
                .secret("API token (input hidden): ")
                .context("reading the API token")?;
            if t.is_empty() {
                bail!("no API token given; nothing was saved");
            }
            ApiToken::new(t)
        }
    };

    p.say(&format!(
        "Checking with {}…",
        site.as_str().trim_end_matches('/')
    ));
    let verified = session::verify(&site, &email, &token, args.scoped, env)
        .await
        .map_err(|e| anyhow!("{e}. Nothing was saved"))?;

    let backend = store.backend().to_owned();
    {
        let (store, profile, token) = (store.clone(), profile.clone(), token.clone());
        blocking(move || store.set(&profile, &token))
            .await?
            .map_err(|e| anyhow!("could not store the token: {e}. Nothing was saved"))?;
    }

    let existing = config::load_optional(config_path)
        .ok()
        .flatten()
        .map(|l| l.config);
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
    settings.token_stored_at =
        Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let make_default = args.make_default
        || existing
            .as_ref()
            .is_none_or(|c| c.default_profile.is_none());
    if let Err(e) = config::upsert_profile(config_path, &profile, &settings, make_default) {
        // Keep the two stores consistent: no token without the profile that names it.
        let (store, name) = (store.clone(), profile.clone());
        let _ = blocking(move || store.delete(&name)).await;
        return Err(anyhow!(
            "could not write {}: {e}. Nothing was saved",
            config_path.display()
        ));
    }

    let name = crate::sanitize::sanitize_line(&verified.user.display_name).into_owned();
    p.say(&format!(
        "Signed in to {} as {name} <{email}>.",
        settings.site
    ));
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
    p.say(&format!(
        "Token stored in {backend} (service 'jtui', account '{profile}'); site and e-mail in {}.",
        config_path.display()
    ));
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

/// `jtui status`: which site, which user, where the token comes from, and whether Jira
/// accepts it. Never prints the token. Errors when Jira rejects it.
pub async fn status(
    env: &EnvVars,
    config: Option<&Config>,
    profile: Option<&str>,
    store: Arc<dyn TokenStore>,
    p: &mut dyn Prompter,
) -> Result<()> {
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
    let client = session.client()?;
    match client.myself().await {
        Ok(user) => {
            let name = crate::sanitize::sanitize_line(&user.display_name).into_owned();
            p.say(&format!("Jira:     accepts it — signed in as {name}"));
            Ok(())
        }
        Err(e) => {
            p.say(&format!("Jira:     does not accept it — {e}"));
            Err(anyhow!(
                "Jira did not accept the credentials of profile '{}'",
                session.profile
            ))
        }
    }
}
