#![no_main]
//! The worker protocol's decoding (the same serde impls the worker and page use through
//! serde-wasm-bindgen): never panics; what decodes re-encodes to the same value.
use id_precheck::protocol::{Reply, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(r) = serde_json::from_str::<Request>(s) {
        let again: Request = serde_json::from_str(&serde_json::to_string(&r).expect("encodes"))
            .expect("decodes");
        assert_eq!(again, r);
    }
    if let Ok(r) = serde_json::from_str::<Reply>(s) {
        let _ = serde_json::to_string(&r).expect("encodes");
    }
});
