//! id-precheck: checks an identity-verification form and its photos in the browser, before
//! upload, and says at once what is wrong and how to fix it.
//!
//! - [`checks`]: the pure core (strings and pixels in, reports of codes and typed values
//!   out), tested natively; it names nothing below.
//! - [`i18n`]: renders reports: the zh-CN and en message catalogues, keyed by stable codes.
//! - [`form`]: the form's logic (fields and slots per document, what blocks submitting)
//!   as one pure reducer, tested natively.
//! - [`protocol`]: the typed messages between the page and the photo worker.
//! - [`upload`]: the built-in upload's retry, backoff and tus rules, tested natively.
//! - [`ui`]: its texts ([`ui::text`]) everywhere; wasm only, the Yew components on [`form`].
//!   `worker` (wasm only): the photo worker. The API for host pages is the app binary's
//!   `js_api` (src/bin/app/js_api.rs).
//! - [`cli`] (native only): the `precheck` command.
//!
//! `docs/architecture.md` draws the dependencies and follows one photo through them.

pub mod checks;
pub mod form;
pub mod i18n;
pub mod protocol;
pub mod ui;
pub mod upload;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod worker;
