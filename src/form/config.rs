//! What the host page configured: `data-*` attributes of `#app` (read by the page) or the
//! embed's `mount` config ([`super::host`]).

use super::doc::DocType;
use crate::checks::photo::{Rules, RulesError, Slot};
use crate::protocol::{Job, JobId, UploadLimits, WorkerError};

/// Whether the passport visa page is asked for (`data-passport-visa` on `#app`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VisaPolicy {
    /// Not asked for.
    Off,
    /// Shown, may stay empty (default).
    #[default]
    Optional,
    /// Shown and required.
    Required,
}

impl VisaPolicy {
    /// `off`, `optional` or `required`.
    #[must_use]
    pub fn parse(s: &str) -> Option<VisaPolicy> {
        match s {
            "off" => Some(VisaPolicy::Off),
            "optional" => Some(VisaPolicy::Optional),
            "required" => Some(VisaPolicy::Required),
            _ => None,
        }
    }
}

/// The host page's settings (see the README).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The documents the shopper may choose from, in order (never empty; default both).
    pub documents: Vec<DocType>,
    pub visa: VisaPolicy,
    /// Slots besides the visa page that may stay empty (the embed's `required` leaves them out).
    pub optional: Vec<Slot>,
    pub upload: UploadLimits,
    /// The photo rules: the defaults overridden by `data-photo-rules`, or why that JSON
    /// cannot be used (then no photo is checked, and the page says why).
    pub rules: Result<Rules, RulesError>,
    /// The built-in upload (`None`: the host uploads what `precheck:submit` carries).
    pub send: Option<crate::upload::UploadConfig>,
    /// URL of the worker script (`data-worker-url`, default `./worker_loader.js`).
    pub worker_url: String,
}

/// A shared handle to the page's configuration. It is fixed when the page loads, so two
/// handles are equal when they are the same one: props and states compare a pointer, not
/// every rule of every slot on each render.
#[derive(Clone, Debug)]
pub struct SharedConfig(std::rc::Rc<Config>);

impl From<Config> for SharedConfig {
    fn from(config: Config) -> Self {
        SharedConfig(std::rc::Rc::new(config))
    }
}

impl std::ops::Deref for SharedConfig {
    type Target = Config;
    fn deref(&self) -> &Config {
        &self.0
    }
}

impl PartialEq for SharedConfig {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            documents: vec![DocType::IdCard, DocType::Passport],
            visa: VisaPolicy::default(),
            optional: Vec::new(),
            upload: UploadLimits::default(),
            rules: Ok(Rules::default()),
            send: None,
            worker_url: "./worker_loader.js".to_owned(),
        }
    }
}

impl Config {
    /// The worker job for a photo chosen for `slot`, or, when the host's rules are invalid,
    /// the error the photo fails with instead (the job is never sent).
    ///
    /// # Errors
    /// [`WorkerError::Config`] with the rules error's text.
    pub fn job(&self, id: JobId, slot: Slot) -> Result<Job, WorkerError> {
        match &self.rules {
            Ok(rules) => Ok(Job {
                id,
                slot,
                rules: rules.clone(),
                upload: self.upload,
            }),
            Err(e) => Err(WorkerError::Config {
                detail: e.0.clone(),
            }),
        }
    }
}
