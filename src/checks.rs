//! The pure core: field checks on strings, with no browser dependency.
//!
//! Every check returns a [`FieldReport`]; nothing here panics on user input.

pub mod date;
pub mod expiry;
pub mod id_number;
pub mod mrz;
pub mod name;
pub mod normalize;
pub mod passport;
pub mod phone;
pub mod photo;
pub mod report;

pub use date::Date;
pub use report::{Code, FieldKind, FieldReport, Issue, Severity, Status};

/// Checks one value of a single-value field kind (`name`, `id-number`, `passport-number`,
/// `phone`, `passport-expiry`). `country` is the passport's issuing country (ISO 3166-1
/// alpha-3, default `CHN`); `today` is the date in Asia/Shanghai. An MRZ needs the other
/// fields: use [`mrz::check`].
#[must_use]
pub fn check_field(
    kind: FieldKind,
    value: &str,
    country: Option<&str>,
    today: Date,
) -> FieldReport {
    match kind {
        FieldKind::Name => name::check(value),
        FieldKind::IdNumber => id_number::check(value, today),
        FieldKind::PassportNumber => {
            passport::check(value, country.unwrap_or(passport::DEFAULT_COUNTRY))
        }
        FieldKind::Phone => phone::check(value),
        FieldKind::PassportExpiry => expiry::check(value, today),
        FieldKind::Mrz => mrz::check(value, &mrz::Typed::default(), today),
    }
}
