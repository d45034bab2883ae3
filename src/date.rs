//! Calendar dates as the content uses them: strict ISO `YYYY-MM-DD`.
//!
//! A small pure value type so that front matter, governance and (later) reports
//! compare and print dates the same way. It knows nothing about time zones or the
//! clock; "today" is always passed in by the caller.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
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
        let year: i32 = s[0..4].parse().map_err(|_| format!("`{s}`: bad year"))?;
        let month: u8 = s[5..7].parse().map_err(|_| format!("`{s}`: bad month"))?;
        let day: u8 = s[8..10].parse().map_err(|_| format!("`{s}`: bad day"))?;
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

/// A calendar month, the period of targets and measurements (`2026-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
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

    pub fn of(date: Date) -> YearMonth {
        YearMonth { year: date.year, month: date.month }
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

    /// The UTC date of a Unix timestamp in seconds (`SOURCE_DATE_EPOCH`).
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date::from_unix_days(secs.div_euclid(86_400))
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
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
