#![no_main]
//! Passport number check, for China and another country: never panics, idempotent.
mod common;
use id_precheck::checks::passport;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    for country in ["CHN", "USA"] {
        let r = passport::check(s, country);
        common::assert_sane(&r, &passport::check(&r.normalized, country));
    }
});
