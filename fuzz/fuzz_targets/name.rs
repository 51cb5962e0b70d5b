#![no_main]
//! Name check: never panics, idempotent normalization.
mod common;
use id_precheck::checks::name;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let r = name::check(s);
    common::assert_sane(&r, &name::check(&r.normalized));
});
