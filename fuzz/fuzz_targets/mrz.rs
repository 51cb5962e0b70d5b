#![no_main]
//! MRZ parser and cross-checks: never panic on any text or typed values.
use id_precheck::checks::{mrz, Date};
use libfuzzer_sys::fuzz_target;

const TODAY: Date = Date { year: 2026, month: 11, day: 28 };

fuzz_target!(|input: (&str, &str, &str)| {
    let (text, number, name) = input;
    let typed = mrz::Typed { number, name, expiry: "2030-01-01", country: "CHN" };
    let _ = mrz::check(text, &typed, TODAY);
    // Also as if the fuzzer found a well-formed 2×44 block.
    if text.len() >= 88 && text.is_char_boundary(44) && text.is_char_boundary(88) {
        let block = format!("{}\n{}", &text[..44], &text[44..88]);
        let _ = mrz::check(&block, &typed, TODAY);
    }
});
