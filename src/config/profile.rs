//! One sign-in profile (`[profiles.NAME]`): which site, as whom, how, and what to open.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use url::Url;

/// Days before a token's expiry date from which jtui warns, unless a profile says otherwise.
pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 14;

/// The keys a profile table may hold, in the order `upsert_profile` writes them.
pub(crate) const PROFILE_KEYS: &[&str] = &[
    "site",
    "email",
    "auth",
    "cloud_id",
    "default_jql",
    "default_project",
    "read_only",
    "token_stored_at",
    "token_expires",
    "expiry_warning_days",
];

/// A Jira Cloud site and the account to use on it. The API token is not here: it is in the
/// keyring under the profile's name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Profile {
    /// The site's base URL, e.g. `https://acme.atlassian.net`.
    pub site: String,
    /// The Atlassian account's e-mail (the user name of Basic auth).
    pub email: String,
    /// Which kind of API token the keyring holds.
    #[serde(default)]
    pub auth: AuthMode,
    /// The site's cloud id, needed for scoped tokens (they go through the API gateway);
    /// fetched from the site and remembered here when missing.
    #[serde(default)]
    pub cloud_id: Option<String>,
    /// The JQL the app opens with.
    #[serde(default)]
    pub default_jql: Option<String>,
    /// The project key selected at start.
    #[serde(default)]
    pub default_project: Option<String>,
    /// Refuse every write (edits, transitions, comments) on this profile.
    #[serde(default)]
    pub read_only: bool,
    /// When the token was stored (RFC 3339), to guess its age.
    #[serde(default, deserialize_with = "string_or_datetime")]
    pub token_stored_at: Option<String>,
    /// The token's expiry date (`YYYY-MM-DD`) as shown on Atlassian's token page.
    #[serde(default, deserialize_with = "string_or_datetime")]
    pub token_expires: Option<String>,
    /// How many days before `token_expires` to start warning.
    #[serde(default)]
    pub expiry_warning_days: Option<u32>,
}

/// How the API token authenticates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMode {
    /// A classic API token, sent with Basic auth to the site itself.
    #[default]
    Classic,
    /// A scoped API token: Basic auth too, but only accepted through
    /// `api.atlassian.com/ex/jira/{cloud_id}`.
    Scoped,
}

impl AuthMode {
    /// The word the config file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "classic",
            Self::Scoped => "scoped",
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Profile {
    /// A classic-token profile with nothing but the site and e-mail set.
    pub fn new(site: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            site: site.into(),
            email: email.into(),
            auth: AuthMode::default(),
            cloud_id: None,
            default_jql: None,
            default_project: None,
            read_only: false,
            token_stored_at: None,
            token_expires: None,
            expiry_warning_days: None,
        }
    }

    /// The site as a URL; `Err` says what is wrong with it (see [`validate_site`]).
    pub fn site_url(&self) -> Result<Url, String> {
        validate_site(&self.site)
    }

    /// `expiry_warning_days`, or the default when the profile does not set it.
    pub fn expiry_warning_days_or_default(&self) -> u32 {
        self.expiry_warning_days
            .unwrap_or(DEFAULT_EXPIRY_WARNING_DAYS)
    }

    /// `token_stored_at` as a time, if set (it is checked when the file is loaded).
    pub fn token_stored_at(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.token_stored_at
            .as_deref()
            .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
    }

    /// `token_expires` as a date, if set (it is checked when the file is loaded).
    pub fn token_expires(&self) -> Option<chrono::NaiveDate> {
        self.token_expires
            .as_deref()
            .and_then(|text| parse_date(text).ok())
    }

    /// Every problem a well-formed profile can still have, with the key it concerns.
    pub(crate) fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if let Err(problem) = validate_site(&self.site) {
            problems.push(("site", problem));
        }
        if let Err(problem) = validate_email(&self.email) {
            problems.push(("email", problem));
        }
        if let Some(text) = &self.token_stored_at
            && let Err(e) = chrono::DateTime::parse_from_rfc3339(text)
        {
            problems.push((
                "token_stored_at",
                format!("'{text}' is not an RFC 3339 time such as 2025-06-01T09:30:00Z ({e})"),
            ));
        }
        if let Some(text) = &self.token_expires
            && parse_date(text).is_err()
        {
            problems.push((
                "token_expires",
                format!("'{text}' is not a date such as 2026-05-12"),
            ));
        }
        problems
    }
}

fn parse_date(text: &str) -> chrono::ParseResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
}

/// Checks a site URL: http(s), https unless the host is loopback (the emulator), and no
/// user name, password, query or fragment in it.
pub fn validate_site(site: &str) -> Result<Url, String> {
    let url = Url::parse(site.trim()).map_err(|e| {
        format!("'{site}' is not a URL ({e}); write it like https://your-site.atlassian.net")
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "'{site}' must use https (plain http is only allowed for a local emulator)"
            ));
        }
        other => {
            return Err(format!(
                "'{site}' must be an https URL, not {other}:; write it like \
                 https://your-site.atlassian.net"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "'{site}' must not contain a user name or password: the e-mail goes in `email` \
             and the token in the keyring"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{site}' must be the site's base URL, without '?' or '#' parts"
        ));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks the account e-mail: Basic auth needs one, and Atlassian accounts always have '@'.
pub fn validate_email(email: &str) -> Result<(), String> {
    let email = email.trim();
    if email.is_empty() {
        return Err("the e-mail is empty; set it to your Atlassian account's e-mail".to_owned());
    }
    if !email.contains('@') {
        return Err(format!(
            "'{email}' is not an e-mail address; set it to your Atlassian account's e-mail"
        ));
    }
    Ok(())
}

/// Dates may be written as TOML dates (`token_expires = 2026-05-12`) or as strings; both
/// are kept as their text.
fn string_or_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct TextVisitor;

    impl<'de> Visitor<'de> for TextVisitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date or time, as a TOML date or a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let datetime =
                toml_edit::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(Some(datetime.to_string()))
        }
    }

    d.deserialize_any(TextVisitor)
}

/// Keymap entries take one key (`quit = "ctrl-q"`) or several (`quit = ["q", "ctrl-q"]`).
pub(crate) fn keymap_entries<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    struct Keys(Vec<String>);

    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct KeysVisitor;

            impl<'de> Visitor<'de> for KeysVisitor {
                type Value = Keys;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a key such as \"ctrl-c\" or a list of them")
                }

                fn visit_str<E: de::Error>(self, v: &str) -> Result<Keys, E> {
                    Ok(Keys(vec![v.to_owned()]))
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = seq.next_element::<String>()? {
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }

            d.deserialize_any(KeysVisitor)
        }
    }

    let entries = BTreeMap::<String, Keys>::deserialize(d)?;
    Ok(entries.into_iter().map(|(k, Keys(v))| (k, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_sites_and_http_only_on_loopback() {
        assert!(validate_site("https://acme.atlassian.net").is_ok());
        assert!(validate_site("http://127.0.0.1:8080").is_ok());
        assert!(validate_site("http://localhost:8080").is_ok());
        assert!(validate_site("http://[::1]:8080").is_ok());
        assert_eq!(
            validate_site("http://acme.atlassian.net").unwrap_err(),
            "'http://acme.atlassian.net' must use https (plain http is only allowed for a \
             local emulator)"
        );
        assert_eq!(
            validate_site("acme.atlassian.net").unwrap_err(),
            "'acme.atlassian.net' is not a URL (relative URL without a base); write it like \
             https://your-site.atlassian.net"
        );
        assert!(validate_site("ftp://acme.atlassian.net").is_err());
        assert!(validate_site("https://me:secret@acme.atlassian.net").is_err());
        assert!(validate_site("https://acme.atlassian.net/?x=1").is_err());
    }

    #[test]
    fn email_must_be_an_address() {
        assert!(validate_email("me@example.com").is_ok());
        assert!(validate_email("  ").is_err());
        assert!(validate_email("me").is_err());
    }

    #[test]
    fn typed_views_of_the_token_dates() {
        let mut profile = Profile::new("https://acme.atlassian.net", "me@example.com");
        assert_eq!(profile.expiry_warning_days_or_default(), 14);
        profile.token_expires = Some("2026-05-12".into());
        profile.token_stored_at = Some("2025-05-12T10:00:00+02:00".into());
        assert_eq!(
            profile.token_expires(),
            chrono::NaiveDate::from_ymd_opt(2026, 5, 12)
        );
        assert_eq!(
            profile.token_stored_at().map(|t| t.to_rfc3339()),
            Some("2025-05-12T10:00:00+02:00".to_owned())
        );
        assert!(profile.problems().is_empty());
        profile.token_expires = Some("next year".into());
        assert_eq!(profile.problems()[0].0, "token_expires");
    }
}
