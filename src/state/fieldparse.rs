//! Reading what the user typed into a number, date or date-time field, with relative
//! dates (`+3d`, `fri`, `tomorrow`), and the preview an editor shows of what a relative
//! entry resolves to (`+3d → Tue 2026-12-01`). Pure: "today" and the local offset are
//! parameters, never read from a clock here. Errors are short texts to show next to the
//! field.
//!
//! Dates: `2026-12-01` (ISO only: `01/12` means different days in different countries),
//! `today`, `tomorrow`, `yesterday`, `+3d`/`-2d`, `+1w`, `+2m` (months, clamped to the
//! month's end: Jan 31 + 1m is Feb 28/29), `+1y`; the sign may be left out (`3d`).
//! `mon`…`sun` (or the full name) is the next such day, a week ahead when today is one.
//! Date-times: a date as above and a time, `2026-12-01 14:30`, `tomorrow 9:00`,
//! `2026-12-01T14:30:15`, a lone time for today, or RFC 3339 with its own offset; a date
//! alone is midnight. Empty input clears the field.
//!
//! Durations, as time tracking takes them: Jira's `3d 4h`, `2w`, `30m` (units w d h m),
//! an original and a remaining estimate typed as `3d / 1d 4h`.

use chrono::{
    DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Weekday,
};

/// How dates are shown back: weekday and ISO date.
const DATE_PREVIEW: &str = "%a %Y-%m-%d";
const DATETIME_PREVIEW: &str = "%a %Y-%m-%d %H:%M";
const ISO_DATE: &str = "%Y-%m-%d";
const TIME_FORMATS: [&str; 2] = ["%H:%M", "%H:%M:%S"];
/// Shortest weekday abbreviation taken (`mon`); shorter ones are too easy to mistype.
const MIN_WEEKDAY_CHARS: usize = 3;
const DAYS_PER_WEEK: u32 = 7;
const MONTHS_PER_YEAR: u32 = 12;
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];
const DATE_HELP: &str = "try 2026-12-01, today, +3d, -1w, +2m, fri";

/// A number field's value: `3`, `2.5`, `-1`; `None` (clear) for empty input.
pub fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok() {
        return Err(format!(
            "use a point for decimals: {}",
            text.replace(',', ".")
        ));
    }
    // `f64::from_str` also takes `inf` and `NaN`, which no Jira field holds.
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(format!("not a number: \"{text}\"")),
    }
}

/// A date field's value, relative entries resolved against `today`; `None` (clear) for
/// empty input.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    resolve_date(&text.to_lowercase(), today)
        .map(Some)
        .ok_or_else(|| format!("not a date: \"{text}\" ({DATE_HELP})"))
}

fn resolve_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    match text {
        "today" => return Some(today),
        "tomorrow" => return today.checked_add_days(Days::new(1)),
        "yesterday" => return today.checked_sub_days(Days::new(1)),
        _ => {}
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, ISO_DATE) {
        return Some(date);
    }
    if let Some(day) = weekday(text) {
        return next_weekday(today, day);
    }
    relative(text, today)
}

/// `+3d`, `-2w`, `1m`, `+1y`.
fn relative(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let (back, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let unit = rest.chars().last()?;
    let digits = &rest[..rest.len() - unit.len_utf8()];
    // Digits only: `u32::from_str` would also take a second sign (`++3d`).
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: u32 = digits.parse().ok()?;
    match unit {
        'd' | 'w' => {
            let per = if unit == 'w' { DAYS_PER_WEEK } else { 1 };
            let days = Days::new(u64::from(count.checked_mul(per)?));
            if back {
                today.checked_sub_days(days)
            } else {
                today.checked_add_days(days)
            }
        }
        'm' | 'y' => {
            let per = if unit == 'y' { MONTHS_PER_YEAR } else { 1 };
            let months = Months::new(count.checked_mul(per)?);
            if back {
                today.checked_sub_months(months)
            } else {
                today.checked_add_months(months)
            }
        }
        _ => None,
    }
}

fn weekday(text: &str) -> Option<Weekday> {
    if text.chars().count() < MIN_WEEKDAY_CHARS {
        return None;
    }
    WEEKDAYS
        .iter()
        .find(|(name, _)| name.starts_with(text))
        .map(|(_, day)| *day)
}

/// The next `day` after `today` (a week ahead when today is that day).
fn next_weekday(today: NaiveDate, day: Weekday) -> Option<NaiveDate> {
    let now = today.weekday().num_days_from_monday();
    let then = day.num_days_from_monday();
    let ahead = (then + DAYS_PER_WEEK - now) % DAYS_PER_WEEK;
    let ahead = if ahead == 0 { DAYS_PER_WEEK } else { ahead };
    today.checked_add_days(Days::new(u64::from(ahead)))
}

/// A date-time field's value at `offset` (the user's), relative dates against `today`;
/// `None` (clear) for empty input.
pub fn parse_datetime(
    text: &str,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<Option<DateTime<FixedOffset>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(full) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(full));
    }
    let bad = || format!("not a date and time: \"{text}\" (try 2026-12-01 14:30, tomorrow 9:00)");
    let lower = text.to_lowercase();
    let mut parts: Vec<&str> = lower.split_whitespace().collect();
    // `2026-12-01T14:30`: split at the `T` an ISO date is followed by.
    let iso_t = parts.len() == 1
        && lower
            .split_once('t')
            .is_some_and(|(date, _)| NaiveDate::parse_from_str(date, ISO_DATE).is_ok());
    if iso_t && let Some((date, time)) = lower.split_once('t') {
        parts = vec![date, time];
    }
    let time = parts.last().and_then(|last| time_of_day(last));
    if time.is_some() {
        parts.pop();
    }
    let date = match parts.as_slice() {
        [] => today,
        [date] => resolve_date(date, today).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    let naive = NaiveDateTime::new(date, time.unwrap_or(NaiveTime::MIN));
    offset
        .from_local_datetime(&naive)
        .single()
        .map(Some)
        .ok_or_else(bad)
}

fn time_of_day(text: &str) -> Option<NaiveTime> {
    TIME_FORMATS
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

/// What a date entry resolves to, for the editor to show under it: `+3d → Tue 2026-12-01`,
/// just `Tue 2026-12-01` for an ISO date, "clears the field" for nothing.
pub fn date_preview(text: &str, today: NaiveDate) -> Result<String, String> {
    let Some(date) = parse_date(text, today)? else {
        return Ok(CLEARS.to_owned());
    };
    Ok(arrow(
        text,
        &date.format(ISO_DATE).to_string(),
        date.format(DATE_PREVIEW),
    ))
}

/// Like [`date_preview`] for a date-time, shown at `offset`.
pub fn datetime_preview(
    text: &str,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<String, String> {
    let Some(at) = parse_datetime(text, today, offset)? else {
        return Ok(CLEARS.to_owned());
    };
    let local = at.with_timezone(&offset);
    Ok(arrow(
        text,
        &local.format("%Y-%m-%d %H:%M").to_string(),
        local.format(DATETIME_PREVIEW),
    ))
}

const CLEARS: &str = "(empty: clears the field)";

/// `input → resolved`, or only `resolved` when the input already was the plain form.
fn arrow(text: &str, plain: &str, resolved: impl std::fmt::Display) -> String {
    let text = crate::sanitize::sanitize_line(text.trim());
    if text == plain {
        resolved.to_string()
    } else {
        format!("{text} → {resolved}")
    }
}

/// Jira's duration units: weeks, days, hours, minutes (a site's week and day lengths
/// are its own; Jira converts).
const DURATION_UNITS: [char; 4] = ['w', 'd', 'h', 'm'];
/// Between the original and the remaining estimate in the time tracking editor.
const ESTIMATE_SEPARATOR: char = '/';

/// The estimates of a time tracking editor, in Jira's duration syntax; `None` leaves
/// that estimate as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Estimates {
    pub original: Option<String>,
    pub remaining: Option<String>,
}

impl Estimates {
    /// `{"originalEstimate": "3d", "remainingEstimate": "1d 4h"}`, without what is left
    /// out.
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        if let Some(original) = &self.original {
            out.insert("originalEstimate".to_owned(), serde_json::json!(original));
        }
        if let Some(remaining) = &self.remaining {
            out.insert("remainingEstimate".to_owned(), serde_json::json!(remaining));
        }
        serde_json::Value::Object(out)
    }

    /// `original 3d · remaining 1d 4h`.
    pub fn preview(&self) -> String {
        let part = |v: &Option<String>| v.clone().unwrap_or_else(|| "unchanged".to_owned());
        format!(
            "original {} · remaining {}",
            part(&self.original),
            part(&self.remaining)
        )
    }

    /// How the detail pane shows them: `3d estimate, 1d 4h remaining`.
    pub fn shown(&self) -> String {
        [(&self.original, "estimate"), (&self.remaining, "remaining")]
            .iter()
            .filter_map(|(v, label)| v.as_ref().map(|v| format!("{v} {label}")))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One duration in Jira's syntax (`3d 4h`, `2w`, `30m`, `1d4h`), normalised to
/// `3d 4h`; the error says what is wrong. A bare number is refused: its unit is a site
/// setting, so it could mean minutes or hours.
pub fn parse_duration(text: &str) -> Result<String, String> {
    let text = text.trim();
    let mut parts: Vec<String> = Vec::new();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else if c.is_whitespace() {
            if !number.is_empty() {
                return Err(format!(
                    "'{text}': give {number} a unit (w, d, h or m), as in 3d 4h"
                ));
            }
        } else if DURATION_UNITS.contains(&c.to_ascii_lowercase()) {
            if number.is_empty() {
                return Err(format!(
                    "'{text}': a number goes before each unit, as in 3d 4h"
                ));
            }
            let n: u32 = number
                .parse()
                .map_err(|_| format!("'{text}': {number} is too large"))?;
            parts.push(format!("{n}{}", c.to_ascii_lowercase()));
            number.clear();
        } else {
            return Err(format!(
                "'{text}' is not a duration: use w, d, h and m, as in 3d 4h"
            ));
        }
    }
    if !number.is_empty() {
        return Err(format!(
            "'{text}': give {number} a unit (w, d, h or m), as in 3d 4h"
        ));
    }
    if parts.is_empty() {
        return Err("type a duration, as in 3d 4h".to_owned());
    }
    Ok(parts.join(" "))
}

/// What the time tracking editor holds: `3d / 1d 4h` (original / remaining), `3d`
/// (the original only) or `/ 1d 4h` (the remaining only).
pub fn parse_estimates(text: &str) -> Result<Estimates, String> {
    let mut halves = text.split(ESTIMATE_SEPARATOR);
    let original = halves.next().unwrap_or_default().trim();
    let remaining = halves.next().unwrap_or_default().trim();
    if halves.next().is_some() {
        return Err(
            "type at most two estimates: original / remaining, as in 3d / 1d 4h".to_owned(),
        );
    }
    let one = |text: &str, which: &str| -> Result<Option<String>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        parse_duration(text)
            .map(Some)
            .map_err(|e| format!("{which} estimate {e}"))
    };
    let estimates = Estimates {
        original: one(original, "original")?,
        remaining: one(remaining, "remaining")?,
    };
    if estimates == Estimates::default() {
        return Err("type an estimate: original / remaining, as in 3d / 1d 4h".to_owned());
    }
    Ok(estimates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn durations_and_estimates_are_checked_like_jira() {
        assert_eq!(parse_duration("3d 4h"), Ok("3d 4h".into()));
        assert_eq!(parse_duration(" 2W "), Ok("2w".into()));
        assert_eq!(parse_duration("1d4h30m"), Ok("1d 4h 30m".into()));
        assert_eq!(parse_duration("03h"), Ok("3h".into()));
        assert!(parse_duration("30").unwrap_err().contains("unit"));
        assert!(parse_duration("3 d").unwrap_err().contains("unit"));
        assert!(parse_duration("1.5h").is_err());
        assert!(parse_duration("3x").unwrap_err().contains("not a duration"));
        assert!(parse_duration("h").is_err());
        assert!(
            parse_duration("99999999999m")
                .unwrap_err()
                .contains("too large")
        );
        let both = parse_estimates("3d / 1d 4h").unwrap();
        assert_eq!(
            both,
            Estimates {
                original: Some("3d".into()),
                remaining: Some("1d 4h".into())
            }
        );
        assert_eq!(both.preview(), "original 3d · remaining 1d 4h");
        assert_eq!(both.shown(), "3d estimate, 1d 4h remaining");
        let remaining = parse_estimates("/ 2h").unwrap();
        assert_eq!(remaining.original, None);
        assert_eq!(remaining.preview(), "original unchanged · remaining 2h");
        assert_eq!(parse_estimates("1w").unwrap().remaining, None);
        assert!(parse_estimates(" / ").is_err());
        assert!(parse_estimates("1d / 2d / 3d").is_err());
        let bad = parse_estimates("3d / soon").unwrap_err();
        assert!(bad.starts_with("remaining estimate 'soon'"), "{bad}");
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, ISO_DATE).unwrap()
    }

    /// A Saturday.
    fn today() -> NaiveDate {
        day("2026-11-28")
    }

    fn date(text: &str) -> Option<NaiveDate> {
        parse_date(text, today()).unwrap()
    }

    fn cet() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("3"), Ok(Some(3.0)));
        assert_eq!(parse_number(" 2.5 "), Ok(Some(2.5)));
        assert_eq!(parse_number("-1"), Ok(Some(-1.0)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("  "), Ok(None));
        assert_eq!(parse_number("abc"), Err("not a number: \"abc\"".into()));
        for bad in ["NaN", "inf", "-infinity", "1e400", "3 points", "0x10"] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_number("2,5"),
            Err("use a point for decimals: 2.5".into())
        );
    }

    #[test]
    fn absolute_and_named_dates() {
        assert_eq!(date("2026-12-01"), Some(day("2026-12-01")));
        assert_eq!(date("today"), Some(today()));
        assert_eq!(date("Tomorrow"), Some(day("2026-11-29")));
        assert_eq!(date("yesterday"), Some(day("2026-11-27")));
        assert_eq!(date(""), None);
        assert!(parse_date("2026-02-30", today()).is_err());
        assert!(parse_date("01/12/2026", today()).is_err());
        let err = parse_date("someday", today()).unwrap_err();
        assert!(err.contains("+3d"), "{err}");
    }

    #[test]
    fn relative_dates() {
        assert_eq!(date("+3d"), Some(day("2026-12-01")));
        assert_eq!(date("3d"), Some(day("2026-12-01")));
        assert_eq!(date("-2d"), Some(day("2026-11-26")));
        assert_eq!(date("+1w"), Some(day("2026-12-05")));
        assert_eq!(date("+2m"), Some(day("2027-01-28")));
        assert_eq!(date("-1y"), Some(day("2025-11-28")));
        assert_eq!(date("+0d"), Some(today()));
        // Months clamp to the month's end.
        assert_eq!(
            parse_date("+1m", day("2027-01-31")),
            Ok(Some(day("2027-02-28")))
        );
        assert_eq!(
            parse_date("+1m", day("2028-01-31")),
            Ok(Some(day("2028-02-29")))
        );
        for bad in [
            "+d",
            "+3x",
            "++3d",
            "+-3d",
            "-+3d",
            "3.5d",
            "+99999999999d",
            "+4000000000m",
        ] {
            assert!(parse_date(bad, today()).is_err(), "{bad}");
        }
    }

    #[test]
    fn weekdays_are_the_next_one() {
        // Today is a Saturday.
        assert_eq!(date("mon"), Some(day("2026-11-30")));
        assert_eq!(date("Friday"), Some(day("2026-12-04")));
        assert_eq!(
            date("sat"),
            Some(day("2026-12-05")),
            "a week ahead, not today"
        );
        assert_eq!(date("sun"), Some(day("2026-11-29")));
        assert_eq!(date("thurs"), Some(day("2026-12-03")));
        assert!(parse_date("mo", today()).is_err(), "too short");
    }

    #[test]
    fn date_times() {
        let at = |text: &str| {
            parse_datetime(text, today(), cet())
                .unwrap()
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(at("2026-12-01 14:30"), "2026-12-01T14:30:00+01:00");
        assert_eq!(at("2026-12-01T14:30:15"), "2026-12-01T14:30:15+01:00");
        assert_eq!(at("tomorrow 9:00"), "2026-11-29T09:00:00+01:00");
        assert_eq!(at("+3d 08:15"), "2026-12-01T08:15:00+01:00");
        assert_eq!(at("17:45"), "2026-11-28T17:45:00+01:00");
        assert_eq!(at("2026-12-01"), "2026-12-01T00:00:00+01:00");
        assert_eq!(at("2026-12-01T14:30:00Z"), "2026-12-01T14:30:00+00:00");
        assert_eq!(parse_datetime("", today(), cet()), Ok(None));
        for bad in ["2026-12-01 25:00", "tomorrow at 9", "9pm", "tea time"] {
            assert!(parse_datetime(bad, today(), cet()).is_err(), "{bad}");
        }
    }

    #[test]
    fn previews() {
        assert_eq!(
            date_preview("+3d", today()),
            Ok("+3d → Tue 2026-12-01".into())
        );
        assert_eq!(
            date_preview(" 2026-12-01 ", today()),
            Ok("Tue 2026-12-01".into())
        );
        assert_eq!(date_preview("", today()), Ok(CLEARS.into()));
        assert!(date_preview("nope", today()).is_err());
        assert_eq!(
            datetime_preview("tomorrow 9:00", today(), cet()),
            Ok("tomorrow 9:00 → Sun 2026-11-29 09:00".into())
        );
        assert_eq!(
            datetime_preview("2026-12-01T14:30:00Z", today(), cet()),
            Ok("2026-12-01T14:30:00Z → Tue 2026-12-01 15:30".into()),
            "shown at the user's offset"
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,12}|[-+]?[0-9]{1,12}[dwmyx]?", days in -800_000i32..800_000) {
            let today = NaiveDate::from_num_days_from_ce_opt(days.abs().max(1)).unwrap();
            let _ = parse_number(&text);
            let _ = parse_date(&text, today);
            let _ = date_preview(&text, today);
            let _ = parse_datetime(&text, today, FixedOffset::west_opt(3600 * 5).unwrap());
            let _ = datetime_preview(&text, today, FixedOffset::east_opt(3600 * 13).unwrap());
        }

        #[test]
        fn iso_dates_round_trip(days in 1i32..3_000_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            if d.year() >= 1000 && d.year() <= 9999 {
                prop_assert_eq!(parse_date(&d.format(ISO_DATE).to_string(), today()), Ok(Some(d)));
            }
        }

        #[test]
        fn relative_days_add_up(n in 0u32..10_000) {
            let ahead = parse_date(&format!("+{n}d"), today()).unwrap().unwrap();
            prop_assert_eq!((ahead - today()).num_days(), i64::from(n));
            let back = parse_date(&format!("-{n}d"), today()).unwrap().unwrap();
            prop_assert_eq!((today() - back).num_days(), i64::from(n));
        }
    }
}
