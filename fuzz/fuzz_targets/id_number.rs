#![no_main]
//! Resident ID check: never panics, idempotent normalization.
mod common;
use id_precheck::checks::{id_number, Date};
use libfuzzer_sys::fuzz_target;

const TODAY: Date = Date { year: 2026, month: 11, day: 28 };

fuzz_target!(|s: &str| {
    let r = id_number::check(s, TODAY);
    common::assert_sane(&r, &id_number::check(&r.normalized, TODAY));
});
