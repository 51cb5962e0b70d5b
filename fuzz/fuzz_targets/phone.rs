#![no_main]
//! Mobile number check: never panics; a normalized number stays the same when re-checked.
mod common;
use id_precheck::checks::phone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let r = phone::check(s);
    common::assert_sane(&r, &phone::check(&r.normalized));
});
