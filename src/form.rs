//! The form's logic, native and browser-free: which fields and photo slots a document needs
//! ([`doc`]), what each field's message shows ([`fields`]), the photos' verdicts and
//! duplicates ([`photos`]), the host's settings ([`config`]), and one pure reducer over all
//! of it ([`state`]): what blocks submitting, the review list, the hand-over.
//!
//! The Yew components (`ui`, wasm only) render this state and dispatch its [`Action`]s. The
//! upload-ready image is an opaque handle `U` ([`FormState<U>`]): the browser's prepared
//! JPEG on the page, a plain value in the tests here.

pub mod config;
pub mod doc;
pub mod fields;
pub mod host;
pub mod photos;
pub mod state;

pub use config::{Config, SharedConfig, VisaPolicy};
pub use doc::DocType;
pub use fields::{dependents, shown_status, Shown};
pub use host::{HostConfig, HostConfigError};
pub use photos::{PhotoEntry, PhotoState, SlotView};
pub use state::{
    Action, FormState, IdNumberOffer, MrzOffer, ReviewItem, Reviewed, Submission, SubmittedPhoto,
};

#[cfg(test)]
mod tests;
