//! The browser app's entry point (built by Trunk), and the JavaScript API it exports to host
//! pages ([`js_api`]). The API lives in this binary, not the library, so the photo worker's
//! wasm does not carry the field checks and catalogues it never calls.

#[cfg(target_arch = "wasm32")]
#[path = "app/js_api.rs"]
pub mod js_api;

#[cfg(target_arch = "wasm32")]
fn main() {
    id_precheck::ui::start();
}

/// The app is wasm only; native builds have the `precheck` CLI instead.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
