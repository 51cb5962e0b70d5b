//! Passport expiry date: it must lie in the future; under six months left only warns
//! (many destinations and some platforms want six months of validity).

use super::date::Date;
use super::report::{Code, FieldKind, FieldReport, Issue};

/// Months of validity below which the expiry date warns.
pub const WARN_MONTHS: u32 = 6;

/// Checks an expiry date typed as `YYYY-MM-DD` (also `/`, `.` or no separators).
#[must_use]
pub fn check(input: &str, today: Date) -> FieldReport {
    let trimmed = input.trim();
    let (normalized, issue) = match Date::parse_iso(trimmed) {
        _ if trimmed.is_empty() => (String::new(), Issue::fail(Code::ExpiryEmpty)),
        None => (trimmed.to_owned(), Issue::fail(Code::ExpiryInvalid)),
        Some(d) if d <= today => (
            d.to_string(),
            Issue::fail(Code::ExpiryPassed).with("date", d.to_string()),
        ),
        Some(d) if d < today.add_months(WARN_MONTHS) => (
            d.to_string(),
            Issue::warn(Code::ExpirySoon)
                .with("date", d.to_string())
                .with("days", (d.to_days() - today.to_days()).to_string())
                .with("months", WARN_MONTHS.to_string()),
        ),
        Some(d) => (
            d.to_string(),
            Issue::info(Code::ExpiryValid).with("date", d.to_string()),
        ),
    };
    FieldReport::new(FieldKind::PassportExpiry, input, normalized, vec![issue])
}

#[cfg(test)]
mod tests {
    use super::super::report::Status::{Fail, Pass, Warn};
    use super::*;
    use crate::checks::date::TEST_TODAY as TODAY;

    #[test]
    fn future_dates_pass_and_soon_warns() {
        assert_eq!(check("2030-01-01", TODAY).status(), Pass);
        assert_eq!(check("2027-05-28", TODAY).status(), Pass);
        assert_eq!(check("2027-05-27", TODAY).status(), Warn);
        assert_eq!(check("2026-11-29", TODAY).status(), Warn);
        assert_eq!(check("2026-11-28", TODAY).status(), Fail);
        assert_eq!(check("2020-01-01", TODAY).status(), Fail);
        assert_eq!(check("2027-02-30", TODAY).status(), Fail);
        assert_eq!(check("", TODAY).status(), Fail);
        assert!(check("2026-12-01", TODAY).has(Code::ExpirySoon));
    }
}
