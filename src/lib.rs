//! id-precheck: checks an identity-verification form and its photos in the browser, before
//! upload, and says at once what is wrong and how to fix it.
//!
//! - [`checks`]: the pure core (strings in, reports out), tested natively.
//! - [`i18n`]: the zh-CN and en message catalogues, keyed by stable codes.
//! - `ui` (wasm only): the Yew form and capture flow. `worker` (wasm only): the photo
//!   worker. `js_api` (wasm only): the API for host pages.
//! - [`cli`] (native only): the `precheck` command.

pub mod checks;
pub mod i18n;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod js_api;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
