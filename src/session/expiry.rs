//! API token expiry: checking the date a user gives at `jtui login`, and the warning shown
//! from `expiry_warning_days` before it (TUI status line, `jtui status`, `jtui login`).
//!
//! Everything takes "today" as a parameter, so tests pin the clock; [`today`] is the real
//! one. Atlassian's token page shows the expiry as a date, so days are whole local days.

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::config::Profile;

/// Atlassian API tokens live at most a year (1 to 365 days, chosen at creation, for tokens
/// created since December 2024).
pub const MAX_TOKEN_LIFETIME_MONTHS: u32 = 12;

/// The local date of `now`.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono::Local).date_naive()
}

/// Today, on this machine's clock and in its time zone.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// Reads an expiry date as Atlassian's page and the config write it: `2027-03-01`.
pub fn parse_expiry(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{}' is not a date like 2027-03-01", text.trim()))
}

/// Checks an expiry date against `today`: not in the past (Jira refuses an expired token,
/// so such a date must be a typo), and no further ahead than a token can live.
pub fn check_expiry(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date < today {
        return Err(format!(
            "{date} is in the past; Jira refuses expired tokens, so check the date on the token page"
        ));
    }
    let latest = today
        .checked_add_months(Months::new(MAX_TOKEN_LIFETIME_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if date > latest {
        return Err(format!(
            "{date} is more than a year away, but Atlassian API tokens expire within a year \
             (so by {latest}); check the date on the token page"
        ));
    }
    Ok(date)
}

/// Where a token stands against its expiry date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenExpiry {
    pub date: NaiveDate,
    /// Days from today to the expiry date: 0 on the day itself, negative once past.
    pub days_left: i64,
    /// From how many days before `date` to warn.
    pub warning_days: u32,
}

impl TokenExpiry {
    /// The profile's recorded expiry, seen from `today`; `None` when none is recorded.
    pub fn of(profile: &Profile, today: NaiveDate) -> Option<TokenExpiry> {
        let date = profile.token_expires()?;
        Some(TokenExpiry {
            date,
            days_left: (date - today).num_days(),
            warning_days: profile.expiry_warning_days_or_default(),
        })
    }

    pub fn is_expired(&self) -> bool {
        self.days_left < 0
    }

    /// Whether it is time to warn.
    pub fn is_due(&self) -> bool {
        self.days_left <= i64::from(self.warning_days)
    }

    /// `in 10 days (2026-12-08)`, `tomorrow (...)`, `today (...)`, `on 2026-12-08`.
    pub fn when(&self) -> String {
        match self.days_left {
            d if d < 0 => format!("on {}", self.date),
            0 => format!("today ({})", self.date),
            1 => format!("tomorrow ({})", self.date),
            d => format!("in {d} days ({})", self.date),
        }
    }
}

/// The command that rotates `profile`'s token: `--profile` only when it is not the one
/// jtui picks by itself.
pub fn rotate_command(profile: &str, is_default: bool) -> String {
    if is_default {
        "jtui login --rotate".to_owned()
    } else {
        format!("jtui login --rotate --profile {profile}")
    }
}

/// The warning for the status line and `jtui status`, from `expiry_warning_days` before
/// the expiry date on; `None` before that or when no date is recorded.
pub fn warning(
    name: &str,
    profile: &Profile,
    today: NaiveDate,
    is_default: bool,
) -> Option<String> {
    let expiry = TokenExpiry::of(profile, today).filter(TokenExpiry::is_due)?;
    let verb = if expiry.is_expired() {
        "expired"
    } else {
        "expires"
    };
    Some(format!(
        "API token for profile '{name}' {verb} {}: {}",
        expiry.when(),
        rotate_command(name, is_default)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        parse_expiry(text).unwrap()
    }

    #[test]
    fn expiry_dates_are_checked() {
        let today = date("2026-11-20");
        assert_eq!(
            check_expiry(date("2026-11-20"), today),
            Ok(date("2026-11-20"))
        );
        assert_eq!(
            check_expiry(date("2027-11-20"), today),
            Ok(date("2027-11-20"))
        );
        assert!(
            check_expiry(date("2027-11-21"), today)
                .unwrap_err()
                .contains("within a year")
        );
        assert!(
            check_expiry(date("2026-11-19"), today)
                .unwrap_err()
                .contains("in the past")
        );
        assert!(parse_expiry("next week").is_err());
        assert!(parse_expiry("2026-02-30").is_err());
        assert_eq!(parse_expiry(" 2027-03-01\n"), Ok(date("2027-03-01")));
    }

    #[test]
    fn the_rotate_command_names_a_profile_only_when_needed() {
        assert_eq!(rotate_command("work", true), "jtui login --rotate");
        assert_eq!(
            rotate_command("work", false),
            "jtui login --rotate --profile work"
        );
    }
}
