//! The browser app's entry point (built by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    id_precheck::ui::start();
}

/// The app is wasm only; native builds have the `precheck` CLI instead.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
