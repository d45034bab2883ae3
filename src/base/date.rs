//! Calendar dates as the content uses them: strict ISO `YYYY-MM-DD`.
//!
//! A small pure value type so that front matter, governance and (later) reports
//! compare and print dates the same way. It knows nothing about time zones or the
//! clock; "today" is always passed in by the caller.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub(crate) year: i32,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// Parses exactly `YYYY-MM-DD` and checks that the day exists (2025-02-29 does not).
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        // The shape check above guarantees ASCII digits.
        let year = digits(&b[0..4]) as i32;
        let month = digits(&b[5..7]) as u8;
        let day = digits(&b[8..10]) as u8;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` has month {month}; months run from 01 to 12"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!("`{s}` has day {day}; that month has {last} days"));
        }
        Ok(Date { year, month, day })
    }
}

/// The value of ASCII decimal digits (checked by the caller).
fn digits(b: &[u8]) -> u32 {
    b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

/// A calendar month, the period of targets and measurements (`2026-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub(crate) year: i32,
    pub(crate) month: u8,
}

impl YearMonth {
    /// Parses exactly `YYYY-MM`.
    pub fn parse(s: &str) -> Result<YearMonth, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a month in the form YYYY-MM"));
        }
        let year: i32 = s[0..4].parse().map_err(|_| format!("`{s}`: bad year"))?;
        let month: u8 = s[5..7].parse().map_err(|_| format!("`{s}`: bad month"))?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` has month {month}; months run from 01 to 12"));
        }
        Ok(YearMonth { year, month })
    }

    pub(crate) fn of(date: Date) -> YearMonth {
        YearMonth { year: date.year, month: date.month }
    }

    pub(crate) fn first_day(self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }

    pub(crate) fn last_day(self) -> Date {
        Date { year: self.year, month: self.month, day: days_in_month(self.year, self.month) }
    }

    /// The month `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i32) -> YearMonth {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        YearMonth { year: index.div_euclid(12), month: (index.rem_euclid(12) + 1) as u8 }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Date {
    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_unix_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The UTC date of a Unix timestamp in seconds (`SOURCE_DATE_EPOCH`).
    pub(crate) fn from_unix_seconds(secs: i64) -> Date {
        Date::from_unix_days(secs.div_euclid(86_400))
    }
}

/// A local date and time as CRM exports write it (`2026-01-05 09:30`,
/// `2026-01-05T09:30:15`), kept exact to the second as seconds since 1970: a complaint
/// handled in 24 h 00 min 59 s is over a 24-hour limit, not on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Timestamp(pub(crate) i64);

impl Timestamp {
    pub(crate) fn parse(s: &str) -> Result<Timestamp, String> {
        let s = s.trim();
        let bad = || format!("`{s}` is not a date and time like 2026-01-05 09:30 or 2026-01-05 09:30:15");
        if s.len() < 16 || !s.is_char_boundary(10) || !s.is_char_boundary(16) {
            return Err(bad());
        }
        let date = Date::parse(&s[..10])?;
        // Check the separator before slicing after it: a wide character there (say
        // `2026-01-05中09:30`) would put byte 11 inside it.
        let sep = s.as_bytes()[10];
        if sep != b' ' && sep != b'T' {
            return Err(bad());
        }
        let time = &s[11..];
        let b = time.as_bytes();
        let valid = (time.len() == 5 || (time.len() == 8 && b[5] == b':'))
            && b[2] == b':'
            && b.iter().enumerate().all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
        if !valid {
            return Err(bad());
        }
        let hour = i64::from(digits(&b[0..2]));
        let minute = i64::from(digits(&b[3..5]));
        let second = if b.len() == 8 { i64::from(digits(&b[6..8])) } else { 0 };
        if hour > 23 || minute > 59 || second > 59 {
            return Err(format!("`{s}` has an impossible time of day"));
        }
        Ok(Timestamp(date.to_unix_days() * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// The start (00:00:00) of `date`.
    pub(crate) fn of_date(date: Date) -> Timestamp {
        Timestamp(date.to_unix_days() * 86_400)
    }

    /// The end of `date`: 24:00, which is the next day's 00:00.
    pub(crate) fn end_of(date: Date) -> Timestamp {
        Timestamp((date.to_unix_days() + 1) * 86_400)
    }

    pub(crate) fn date(self) -> Date {
        Date::from_unix_days(self.0.div_euclid(86_400))
    }

    /// Seconds from `self` to `later`.
    pub(crate) fn seconds_until(self, later: Timestamp) -> i64 {
        later.0 - self.0
    }

    /// Hours from `self` to `later`.
    #[cfg(test)]
    pub(crate) fn hours_until(self, later: Timestamp) -> f64 {
        (later.0 - self.0) as f64 / 3600.0
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates() {
        assert_eq!(Date::parse("2025-01-31").unwrap().to_string(), "2025-01-31");
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2000-02-29").is_ok());
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(Date::parse("2025-02-29").unwrap_err().contains("28 days"));
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2025-13-01").unwrap_err().contains("month 13"));
        assert!(Date::parse("2025-04-31").is_err());
        assert!(Date::parse("2025-1-01").is_err());
        assert!(Date::parse("2025/01/01").is_err());
        assert!(Date::parse("２０２５-01-01").is_err());
    }

    #[test]
    fn unix_time_converts_to_civil_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix_seconds(951_782_400).to_string(), "2000-02-29");
        assert_eq!(Date::from_unix_seconds(1_795_392_000).to_string(), "2026-11-23");
        assert_eq!(Date::from_unix_seconds(1_795_478_399).to_string(), "2026-11-23");
    }

    #[test]
    fn days_round_trip_and_minutes_parse() {
        for d in ["1970-01-01", "2000-02-29", "2026-11-23", "1969-12-31", "2100-03-01"] {
            let date = Date::parse(d).unwrap();
            assert_eq!(Date::from_unix_days(date.to_unix_days()), date, "{d}");
        }
        let a = Timestamp::parse("2026-01-05 09:30").unwrap();
        let b = Timestamp::parse("2026-01-07T10:00:00").unwrap();
        assert_eq!(a.hours_until(b), 48.5);
        assert_eq!(a.date().to_string(), "2026-01-05");
        // Seconds are kept: 24 h 00 min 59 s is 59 s over a day, not a day.
        let late = Timestamp::parse("2026-01-06 09:30:59").unwrap();
        assert_eq!(a.seconds_until(late), 86_400 + 59);
        assert!(Timestamp::parse("2026-01-05 09:30:60").is_err());
        assert_eq!(Timestamp::end_of(a.date()), Timestamp::parse("2026-01-06 00:00").unwrap());
        assert!(Timestamp::parse("2026-01-05 24:00").is_err());
        assert!(Timestamp::parse("2026-01-05").is_err());
        assert!(Timestamp::parse("2026-02-30 10:00").is_err());
        // A wide character as the separator is an error, not a slice inside it.
        assert_eq!(
            Timestamp::parse("2026-01-05中09:30").unwrap_err(),
            "`2026-01-05中09:30` is not a date and time like 2026-01-05 09:30 or 2026-01-05 09:30:15"
        );
        assert!(Timestamp::parse("2026-01-05 ０9:30").is_err());
        assert!(Timestamp::parse("2026-01-05 09:3０").is_err());
    }

    #[test]
    fn months_parse_and_step() {
        let m = YearMonth::parse("2025-11").unwrap();
        assert_eq!(m.plus(2).to_string(), "2026-01");
        assert_eq!(m.plus(-11).to_string(), "2024-12");
        assert!(YearMonth::parse("2025-13").is_err());
        assert!(YearMonth::parse("2025-1").is_err());
        assert_eq!(YearMonth::of(Date::parse("2026-03-31").unwrap()).to_string(), "2026-03");
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::parse("2025-12-31").unwrap() < Date::parse("2026-01-01").unwrap());
    }
}
