//! Sign-in: where a session's site, e-mail and token come from (environment, config
//! profile, OS keyring), and checking credentials against Jira before anything is saved.
//!
//! Order for the token: `JIRA_API_TOKEN`, then the keyring entry of the profile.
//! `JIRA_BASE_URL`, `JIRA_USER_EMAIL` and `JIRA_API_TOKEN` together make a whole session
//! without any config file (the names Atlassian's own CI actions use).

pub mod expiry;

use std::fmt;

use serde::Deserialize;
use url::Url;

use crate::config::{AuthMode, Config, ConfigError, Profile};
use crate::jira::client::is_loopback;
use crate::jira::models::User;
use crate::jira::{ApiToken, Credentials, JiraClient, JiraError};
use crate::secrets::{SecretError, TokenStore};

/// Where users create API tokens.
pub const TOKEN_PAGE: &str = "https://id.atlassian.com/manage-profile/security/api-tokens";
/// Atlassian's API gateway, the only place scoped tokens work.
pub const GATEWAY: &str = "https://api.atlassian.com";
/// The profile name a session from environment variables alone goes by.
pub const ENV_PROFILE: &str = "env";

/// The environment variables jtui reads, captured once so tests can pass their own.
#[derive(Default, Clone)]
pub struct EnvVars {
    pub base_url: Option<String>,
    pub email: Option<String>,
    pub token: Option<String>,
    /// `JTUI_GATEWAY_URL`: another API gateway (a proxy, or the emulator in tests).
    pub gateway: Option<String>,
}

impl fmt::Debug for EnvVars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvVars")
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("gateway", &self.gateway)
            .finish()
    }
}

impl EnvVars {
    pub fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            base_url: var("JIRA_BASE_URL"),
            email: var("JIRA_USER_EMAIL"),
            token: var("JIRA_API_TOKEN"),
            gateway: var("JTUI_GATEWAY_URL"),
        }
    }
}

/// Where the session's token came from, for `jtui status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `JIRA_API_TOKEN`.
    Env,
    /// The OS keyring, with the backend's name.
    Keyring(String),
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env => f.write_str("the JIRA_API_TOKEN environment variable"),
            Self::Keyring(backend) => write!(f, "the OS keyring ({backend})"),
        }
    }
}

/// Everything needed to talk to one Jira site as one user.
#[derive(Debug, Clone)]
pub struct Session {
    pub profile: String,
    /// The site, for browser links: `https://acme.atlassian.net`.
    pub site: Url,
    /// Where requests go: the site, or the gateway for a scoped token.
    pub api_base: Url,
    pub email: String,
    pub token: ApiToken,
    pub source: TokenSource,
    /// The profile's settings (default JQL...), when the session came from config.
    pub settings: Option<Profile>,
}

impl Session {
    /// A client for the session; read-only when the profile says so.
    pub fn client(&self) -> Result<JiraClient, JiraError> {
        let creds = Credentials::new(self.email.clone(), self.token.clone());
        Ok(JiraClient::new(self.api_base.clone(), creds)?
            .with_site_url(self.site.clone())
            .with_read_only(self.read_only()))
    }

    /// The profile's `read_only = true` (`--read-only` adds to it in the CLI).
    pub fn read_only(&self) -> bool {
        self.settings.as_ref().is_some_and(|s| s.read_only)
    }

    /// The expiry warning for this session's token, if it is due (see
    /// [`expiry::warning`]). A token from `JIRA_API_TOKEN` is not the one whose expiry
    /// the profile recorded, so it gets none.
    pub fn expiry_warning(&self, today: chrono::NaiveDate, is_default: bool) -> Option<String> {
        if self.source == TokenSource::Env {
            return None;
        }
        expiry::warning(&self.profile, self.settings.as_ref()?, today, is_default)
    }

    pub fn is_scoped(&self) -> bool {
        self.api_base != self.site
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No profile and no environment: the welcome screen's case.
    #[error(
        "no Jira site configured: run `jtui login`, or set JIRA_BASE_URL, JIRA_USER_EMAIL and JIRA_API_TOKEN, or try `jtui demo`"
    )]
    NotConfigured,
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "no API token for profile '{profile}': run `jtui login --profile {profile}` or set JIRA_API_TOKEN"
    )]
    NoToken { profile: String },
    #[error(transparent)]
    Keyring(#[from] SecretError),
    #[error("{0}")]
    Site(String),
    #[error("no profile '{0}': there is no config file yet; run `jtui login --profile {0}`")]
    UnknownProfile(String),
}

/// Turns what a user types for a site into its base URL: `acme` and `acme.atlassian.net`
/// become `https://acme.atlassian.net`; any path is dropped. Plain http is accepted only
/// for loopback addresses (the emulator).
pub fn normalize_site(input: &str) -> Result<Url, String> {
    let input = input.trim().trim_end_matches('/');
    if input.is_empty() {
        return Err("the site is empty".into());
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else if !input.contains('.') && !input.contains(':') {
        format!("https://{input}.atlassian.net")
    } else {
        format!("https://{input}")
    };
    let url =
        Url::parse(&with_scheme).map_err(|e| format!("'{input}' is not a site address ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "'{input}' is not a site address (expected https://your-site.atlassian.net)"
        ));
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(format!(
            "'{input}' uses plain http: Jira Cloud sites are https://"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the site address must not contain a user name or password".into());
    }
    let mut base = url.clone();
    base.set_path("");
    base.set_query(None);
    base.set_fragment(None);
    Ok(base)
}

/// The gateway base for a scoped token: `JTUI_GATEWAY_URL`, else the site itself when it
/// is on loopback (the emulator serves the gateway prefix too), else Atlassian's.
pub fn gateway_for(site: &Url, env: &EnvVars) -> Result<Url, String> {
    match &env.gateway {
        Some(g) => normalize_site(g),
        None if is_loopback(site) => Ok(site.clone()),
        None => Url::parse(GATEWAY).map_err(|e| e.to_string()),
    }
}

/// `<gateway>/ex/jira/<cloudId>`.
pub fn gateway_base(gateway: &Url, cloud_id: &str) -> Url {
    let mut url = gateway.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().extend(["ex", "jira", cloud_id]);
    }
    url
}

fn api_base_for(site: &Url, profile: &Profile, env: &EnvVars) -> Result<Url, SessionError> {
    match (&profile.auth, &profile.cloud_id) {
        (AuthMode::Scoped, Some(cloud_id)) => Ok(gateway_base(
            &gateway_for(site, env).map_err(SessionError::Site)?,
            cloud_id,
        )),
        (AuthMode::Scoped, None) => Err(SessionError::Site(
            "the profile uses a scoped token but has no cloud_id: run `jtui login --scoped` again"
                .into(),
        )),
        _ => Ok(site.clone()),
    }
}

/// Picks the session: `--profile`, else the config's default profile, else the
/// environment alone. Environment variables override the profile's values.
pub fn resolve(
    env: &EnvVars,
    config: Option<&Config>,
    profile: Option<&str>,
    store: &dyn TokenStore,
) -> Result<Session, SessionError> {
    let chosen = match (config.filter(|c| !c.profiles.is_empty()), profile) {
        (Some(config), _) => match config.profile(profile) {
            Ok(found) => Some(found),
            // Several profiles and none marked default: a complete environment still works.
            Err(_) if profile.is_none() && env_complete(env) => None,
            Err(e) => return Err(e.into()),
        },
        (None, Some(p)) => return Err(SessionError::UnknownProfile(p.to_owned())),
        (None, None) => None,
    };
    let Some((name, settings)) = chosen else {
        return env_session(env);
    };
    let site_text = env.base_url.as_deref().unwrap_or(&settings.site);
    let site = normalize_site(site_text)
        .map_err(|e| SessionError::Site(format!("profile '{name}': {e}")))?;
    let api_base = api_base_for(&site, settings, env)?;
    let email = env.email.clone().unwrap_or_else(|| settings.email.clone());
    let (token, source) = match &env.token {
        Some(t) => (ApiToken::new(t.clone()), TokenSource::Env),
        None => match store.get(&name)? {
            Some(t) => (t, TokenSource::Keyring(store.backend().to_owned())),
            None => return Err(SessionError::NoToken { profile: name }),
        },
    };
    Ok(Session {
        profile: name,
        site,
        api_base,
        email,
        token,
        source,
        settings: Some(settings.clone()),
    })
}

fn env_complete(env: &EnvVars) -> bool {
    env.base_url.is_some() && env.email.is_some() && env.token.is_some()
}

/// A session from `JIRA_BASE_URL`, `JIRA_USER_EMAIL` and `JIRA_API_TOKEN` alone.
fn env_session(env: &EnvVars) -> Result<Session, SessionError> {
    let (Some(base), Some(email), Some(token)) = (&env.base_url, &env.email, &env.token) else {
        return Err(SessionError::NotConfigured);
    };
    let site =
        normalize_site(base).map_err(|e| SessionError::Site(format!("JIRA_BASE_URL: {e}")))?;
    Ok(Session {
        profile: ENV_PROFILE.into(),
        site: site.clone(),
        api_base: site,
        email: email.clone(),
        token: ApiToken::new(token.clone()),
        source: TokenSource::Env,
        settings: None,
    })
}

/// Why credentials could not be confirmed. Each case says what to do; none holds the token.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error(
        "Jira at {site} rejected the API token for {email}. Check the e-mail and the token (tokens expire; create a new one at {TOKEN_PAGE})"
    )]
    Rejected { site: String, email: String },
    #[error("{site} does not look like a Jira Cloud site ({detail}). Check the site name")]
    NotJira { site: String, detail: String },
    #[error("could not reach {site}: {detail}. Check the site name and your network connection")]
    Unreachable { site: String, detail: String },
    #[error("Jira at {site} answered: {detail}")]
    Other { site: String, detail: String },
}

/// What a successful check found out.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The site, or the gateway base for a scoped token.
    pub api_base: Url,
    /// Set for a scoped token.
    pub cloud_id: Option<String>,
    pub user: User,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TenantInfo {
    cloud_id: String,
}

/// The site's cloud id from `/_edge/tenant_info` (no credentials needed).
pub async fn tenant_info(site: &Url) -> Result<String, LoginError> {
    let shown = site.as_str().trim_end_matches('/').to_owned();
    let url = site
        .join("_edge/tenant_info")
        .map_err(|e| LoginError::NotJira {
            site: shown.clone(),
            detail: e.to_string(),
        })?;
    let http = reqwest::Client::builder()
        .connect_timeout(crate::jira::client::CONNECT_TIMEOUT)
        .timeout(crate::jira::client::CONNECT_TIMEOUT * 2)
        .user_agent(concat!("jtui/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| LoginError::Unreachable {
            site: shown.clone(),
            detail: e.to_string(),
        })?;
    let response = http
        .get(url)
        .send()
        .await
        .map_err(|e| LoginError::Unreachable {
            site: shown.clone(),
            detail: transport_detail(&e),
        })?;
    if !response.status().is_success() {
        return Err(LoginError::NotJira {
            site: shown,
            detail: format!("tenant_info answered HTTP {}", response.status().as_u16()),
        });
    }
    let info: TenantInfo = response.json().await.map_err(|_| LoginError::NotJira {
        site: shown.clone(),
        detail: "tenant_info gave no cloud id".into(),
    })?;
    Ok(info.cloud_id)
}

fn transport_detail(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    crate::sanitize::sanitize_line(&text).into_owned()
}

fn login_error(site: &Url, email: &str, e: JiraError) -> LoginError {
    let site = site.as_str().trim_end_matches('/').to_owned();
    match e {
        JiraError::Unauthorized { .. } | JiraError::Forbidden { .. } => LoginError::Rejected {
            site,
            email: email.to_owned(),
        },
        JiraError::NotFound { .. } | JiraError::Gone { .. } | JiraError::Decode { .. } => {
            LoginError::NotJira {
                site,
                detail: e.to_string(),
            }
        }
        JiraError::Transport(detail) => LoginError::Unreachable { site, detail },
        other => LoginError::Other {
            site,
            detail: other.to_string(),
        },
    }
}

/// Checks `email` + `token` against `site` with `GET /myself`. A classic token works on
/// the site; a scoped one only through the gateway, so a 401 on the site (or `scoped`)
/// makes it try the gateway with the site's cloud id.
pub async fn verify(
    site: &Url,
    email: &str,
    token: &ApiToken,
    scoped: bool,
    env: &EnvVars,
) -> Result<Verified, LoginError> {
    let creds = || Credentials::new(email.to_owned(), token.clone());
    let unreachable = |e: JiraError| login_error(site, email, e);
    if !scoped {
        let client = JiraClient::new(site.clone(), creds()).map_err(unreachable)?;
        match client.myself().await {
            Ok(user) => {
                return Ok(Verified {
                    api_base: site.clone(),
                    cloud_id: None,
                    user,
                });
            }
            Err(JiraError::Unauthorized { .. }) => {
                tracing::info!(
                    "token rejected on the site; trying the API gateway for a scoped token"
                );
            }
            Err(e) => return Err(login_error(site, email, e)),
        }
    }
    let cloud_id = match tenant_info(site).await {
        Ok(id) => id,
        // Not a scoped token after all: the site's own verdict stands.
        Err(_) if !scoped => {
            return Err(LoginError::Rejected {
                site: site.as_str().trim_end_matches('/').into(),
                email: email.into(),
            });
        }
        Err(e) => return Err(e),
    };
    let gateway = gateway_for(site, env).map_err(|detail| LoginError::Other {
        site: site.to_string(),
        detail,
    })?;
    let api_base = gateway_base(&gateway, &cloud_id);
    let client = JiraClient::new(api_base.clone(), creds()).map_err(unreachable)?;
    match client.myself().await {
        Ok(user) => Ok(Verified {
            api_base,
            cloud_id: Some(cloud_id),
            user,
        }),
        Err(e) => Err(login_error(site, email, e)),
    }
}
