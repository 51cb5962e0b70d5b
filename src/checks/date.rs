//! Proleptic Gregorian calendar dates, without a time zone library.
//!
//! China has used UTC+8 all year since 1991 (no daylight saving), so "today in
//! Asia/Shanghai" is the civil date of `unix_ms + 8 h`.

use std::fmt;

/// A calendar date. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// The unit tests' fixed "today", so that date-dependent verdicts (expiry, the age in an ID
/// number) do not move with the calendar.
#[cfg(test)]
pub(crate) const TEST_TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 28,
};

/// Milliseconds in UTC+8 (Asia/Shanghai, no DST since 1991).
const SHANGHAI_OFFSET_MS: i64 = 8 * 3600 * 1000;

impl Date {
    /// A real date, or `None` (month 13, 30 February, 29 February 1900…).
    #[must_use]
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses 8 ASCII digits `YYYYMMDD`.
    #[must_use]
    pub fn from_yyyymmdd(s: &str) -> Option<Date> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year = s[0..4].parse().ok()?;
        let month = s[4..6].parse().ok()?;
        let day = s[6..8].parse().ok()?;
        Date::new(year, month, day)
    }

    /// Parses `YYYY-MM-DD` (also with `/` or `.` separators, or none).
    #[must_use]
    pub fn parse_iso(s: &str) -> Option<Date> {
        let digits: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '/' | '.'))
            .collect();
        let seps = s
            .trim()
            .chars()
            .filter(|c| matches!(c, '-' | '/' | '.'))
            .count();
        if seps != 0 && seps != 2 {
            return None;
        }
        Date::from_yyyymmdd(&digits)
    }

    /// The civil date in Asia/Shanghai at `unix_ms` milliseconds since 1970-01-01T00:00Z.
    #[must_use]
    pub fn shanghai_from_unix_ms(unix_ms: i64) -> Date {
        let local = unix_ms.saturating_add(SHANGHAI_OFFSET_MS);
        Date::from_days(local.div_euclid(86_400_000))
    }

    /// Today in Asia/Shanghai from the system clock (native builds; the browser passes
    /// `Date.now()` to [`Date::shanghai_from_unix_ms`]).
    #[cfg(not(target_arch = "wasm32"))]
    #[must_use]
    pub fn today_shanghai() -> Date {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Date::shanghai_from_unix_ms(ms)
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    #[must_use]
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Inverse of [`Date::to_days`] (`civil_from_days`).
    #[must_use]
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // All three fit by construction for any realistic day count.
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// The same day `n` months later, clamped to the month's end (31 Aug + 6 → 28/29 Feb).
    #[must_use]
    pub fn add_months(self, n: u32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(n);
        let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MAX);
        let month = u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Whole years from `self` (a birth date) to `on`.
    #[must_use]
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Gregorian leap year rule: every 4th year, except centuries not divisible by 400.
#[must_use]
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

#[must_use]
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_only() {
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2001, 2, 29).is_none());
        assert!(Date::new(1990, 13, 1).is_none());
        assert!(Date::new(1990, 1, 0).is_none());
        assert!(Date::new(1990, 4, 31).is_none());
        assert_eq!(Date::from_yyyymmdd("19910101"), Date::new(1991, 1, 1));
        assert_eq!(Date::from_yyyymmdd("1991010"), None);
        assert_eq!(Date::parse_iso("2031-05-09"), Date::new(2031, 5, 9));
        assert_eq!(Date::parse_iso("2031/05/09"), Date::new(2031, 5, 9));
        assert_eq!(Date::parse_iso("2031-0509"), None);
    }

    #[test]
    fn days_round_trip_and_epoch() {
        assert_eq!(Date::new(1970, 1, 1).map(Date::to_days), Some(0));
        for days in (-80_000..80_000).step_by(37) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
    }

    #[test]
    fn shanghai_day_starts_at_16_00_utc() {
        // 2026-11-27T15:59:59.999Z is still the 27th in Shanghai; one ms later it is the 28th.
        let edge = Date::new(2026, 11, 28).map_or(0, Date::to_days) * 86_400_000 - 8 * 3_600_000;
        assert_eq!(
            Date::shanghai_from_unix_ms(edge - 1),
            Date {
                year: 2026,
                month: 11,
                day: 27
            }
        );
        assert_eq!(
            Date::shanghai_from_unix_ms(edge),
            Date {
                year: 2026,
                month: 11,
                day: 28
            }
        );
    }

    #[test]
    fn months_and_ages() {
        let d = Date {
            year: 2026,
            month: 8,
            day: 31,
        };
        assert_eq!(
            d.add_months(6),
            Date {
                year: 2027,
                month: 2,
                day: 28
            }
        );
        let birth = Date {
            year: 2000,
            month: 2,
            day: 29,
        };
        assert_eq!(
            birth.age_on(Date {
                year: 2026,
                month: 2,
                day: 28
            }),
            25
        );
        assert_eq!(
            birth.age_on(Date {
                year: 2026,
                month: 3,
                day: 1
            }),
            26
        );
    }
}
