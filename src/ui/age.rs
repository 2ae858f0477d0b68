//! Relative dates for lists: "just now", "5m", "3h", "2d", "5w", "4mo", "2y". Drawing
//! gets `now` from the state (set by `App` before each draw), never from the clock.

use chrono::{DateTime, TimeZone};

const MINUTE_SECS: i64 = 60;
const HOUR_SECS: i64 = 60 * MINUTE_SECS;
const DAY_SECS: i64 = 24 * HOUR_SECS;
const WEEK_SECS: i64 = 7 * DAY_SECS;
/// An average month, close enough for "4mo".
const MONTH_SECS: i64 = 30 * DAY_SECS;
const YEAR_SECS: i64 = 365 * DAY_SECS;
/// Weeks are shown up to this many, then months.
const MAX_WEEKS: i64 = 8;

/// How long before `now` `then` was, in the largest unit that fits. A time in the future
/// (clock skew between us and Jira) reads "just now" within a minute, "in 3h" beyond.
pub fn relative<A: TimeZone, B: TimeZone>(then: &DateTime<A>, now: &DateTime<B>) -> String {
    let secs = now.timestamp() - then.timestamp();
    if secs.abs() < MINUTE_SECS {
        return "just now".to_owned();
    }
    let span = short_span(secs.abs());
    if secs < 0 { format!("in {span}") } else { span }
}

fn short_span(secs: i64) -> String {
    if secs < HOUR_SECS {
        format!("{}m", secs / MINUTE_SECS)
    } else if secs < DAY_SECS {
        format!("{}h", secs / HOUR_SECS)
    } else if secs < WEEK_SECS {
        format!("{}d", secs / DAY_SECS)
    } else if secs < MAX_WEEKS * WEEK_SECS {
        format!("{}w", secs / WEEK_SECS)
    } else if secs < YEAR_SECS {
        format!("{}mo", secs / MONTH_SECS)
    } else {
        format!("{}y", secs / YEAR_SECS)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, FixedOffset, Utc};

    use super::*;

    #[test]
    fn picks_the_largest_unit_that_fits() {
        let now: DateTime<Utc> = "2026-11-20T12:00:00Z".parse().unwrap();
        let ago = |d: Duration| relative(&(now - d), &now);
        assert_eq!(ago(Duration::seconds(20)), "just now");
        assert_eq!(ago(Duration::minutes(5)), "5m");
        assert_eq!(ago(Duration::minutes(59)), "59m");
        assert_eq!(ago(Duration::hours(3)), "3h");
        assert_eq!(ago(Duration::hours(49)), "2d");
        assert_eq!(ago(Duration::days(35)), "5w");
        assert_eq!(ago(Duration::days(120)), "4mo");
        assert_eq!(ago(Duration::days(800)), "2y");
        assert_eq!(ago(Duration::hours(-3)), "in 3h");
        assert_eq!(ago(Duration::seconds(-30)), "just now");
    }

    #[test]
    fn offsets_do_not_matter_only_instants() {
        let now: DateTime<Utc> = "2026-11-20T12:00:00Z".parse().unwrap();
        let then: DateTime<FixedOffset> = "2026-11-20T11:00:00-02:00".parse().unwrap();
        assert_eq!(relative(&then, &now), "in 1h");
    }
}
