#![no_main]
//! The photo rules JSON (`--rules`, the embed's `rules`): never panics; rules that parse
//! survive a round trip through their JSON unchanged.
use id_precheck::checks::photo::Rules;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(rules) = Rules::from_json(s) {
        let text = serde_json::to_string(&rules).expect("rules serialise");
        let back: Rules = serde_json::from_str(&text).expect("own JSON reads back");
        assert_eq!(back, rules);
    }
});
