//! The photo worker's entry point (built by Trunk as a Web Worker, started lazily by the
//! app the first time a photo is chosen).

#[cfg(target_arch = "wasm32")]
fn main() {
    id_precheck::worker::run();
}

/// The worker is wasm only.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
