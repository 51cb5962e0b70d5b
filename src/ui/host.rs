//! Where one form is mounted and what it tells its host page: the mount element (events are
//! dispatched on it), the prefix of its element ids (several mounts on one page never share
//! an id), and the state snapshot behind `getState()` and `precheck:change`.
//!
//! Events (`CustomEvent`, bubbling, `detail` as documented in the README):
//! `precheck:change` when any status changes (the [`Snapshot`], without the typed values),
//! `precheck:ready` when everything passes, `precheck:error` when a photo cannot be checked,
//! `precheck:submit` with the hand-over.

use super::photos::failure;
use super::state::{Action, FormState};
use crate::checks::photo::Slot;
use crate::checks::{Code, Status};
use crate::form::PhotoState;
use crate::i18n::{self, Locale};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The prefix of every element id inside one mount (`""` for the stand-alone page).
#[derive(Clone, Debug, PartialEq)]
pub struct Ids(pub Rc<str>);

impl Ids {
    /// `name` made unique to this mount.
    #[must_use]
    pub fn id(&self, name: &str) -> String {
        format!("{}{name}", self.0)
    }
}

/// This mount's [`Ids`] (the stand-alone page's when no provider is above).
#[hook]
pub fn use_ids() -> Ids {
    use_context::<Ids>().unwrap_or_else(|| Ids(Rc::from("")))
}

/// One mount's link to its host page. Clones share it.
#[derive(Clone)]
pub struct Host(Rc<Inner>);

struct Inner {
    root: web_sys::Element,
    ids: Ids,
    /// Mounted by the embed module (not the stand-alone page): leave the host's `<title>`
    /// and `<html lang>` alone.
    embedded: bool,
    dispatcher: RefCell<Option<UseReducerDispatcher<FormState>>>,
    last: RefCell<Option<Snapshot>>,
    /// The last snapshot of a form that was [`Host::reset`]: the next form's first render
    /// is compared with it, so a reset that changes no status sends no `precheck:change`.
    before_reset: RefCell<Option<Snapshot>>,
    /// The photo each slot was given last (as chosen, before any check): what a restart
    /// after a crash gives the new form ([`super::crash`]).
    photos: RefCell<Vec<(Slot, web_sys::File)>>,
    /// What must stop if this instance dies (its worker, an upload): run by
    /// [`Host::stop_everything`].
    stoppers: RefCell<Vec<Box<dyn Fn()>>>,
}

impl PartialEq for Host {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Host {
    #[must_use]
    pub fn new(root: web_sys::Element, id_prefix: &str, embedded: bool) -> Host {
        Host(Rc::new(Inner {
            root,
            ids: Ids(Rc::from(id_prefix)),
            embedded,
            dispatcher: RefCell::default(),
            last: RefCell::default(),
            before_reset: RefCell::default(),
            photos: RefCell::default(),
            stoppers: RefCell::default(),
        }))
    }

    /// Remembers the photo given to `slot` (see [`Host::kept_photos`]).
    pub fn keep_photo(&self, slot: Slot, file: web_sys::File) {
        let mut photos = self.0.photos.borrow_mut();
        photos.retain(|(s, _)| *s != slot);
        photos.push((slot, file));
    }

    /// Forgets the photo of `slot` (the shopper removed it).
    pub fn forget_photo(&self, slot: Slot) {
        self.0.photos.borrow_mut().retain(|(s, _)| *s != slot);
    }

    /// The photos given to each slot, as chosen. Empty when they cannot be read now (called
    /// from the panic hook, which must not panic again).
    #[must_use]
    pub fn kept_photos(&self) -> Vec<(Slot, web_sys::File)> {
        self.0
            .photos
            .try_borrow()
            .map(|p| p.clone())
            .unwrap_or_default()
    }

    /// The latest snapshot if it can be read now (see [`Host::kept_photos`]).
    #[must_use]
    pub fn kept_state(&self) -> Option<Snapshot> {
        self.0.last.try_borrow().ok().and_then(|s| s.clone())
    }

    /// Registers what stops a running part of the form (its worker, an upload) when this
    /// wasm instance dies. Each must hold its target weakly and not panic.
    pub fn on_stop(&self, stop: impl Fn() + 'static) {
        self.0.stoppers.borrow_mut().push(Box::new(stop));
    }

    /// Stops every part registered with [`Host::on_stop`] (the instance panicked: nothing
    /// of it may keep running or sending).
    pub fn stop_everything(&self) {
        if let Ok(stoppers) = self.0.stoppers.try_borrow() {
            for stop in stoppers.iter() {
                stop();
            }
        }
    }

    #[must_use]
    pub fn root(&self) -> &web_sys::Element {
        &self.0.root
    }

    #[must_use]
    pub fn ids(&self) -> Ids {
        self.0.ids.clone()
    }

    #[must_use]
    pub fn embedded(&self) -> bool {
        self.0.embedded
    }

    /// Called by the form on every render: keeps the dispatcher for [`Host::dispatch`], the
    /// snapshot for [`Host::state`], and sends the events the change calls for.
    pub fn rendered(&self, state: &FormState, dispatcher: UseReducerDispatcher<FormState>) {
        *self.0.dispatcher.borrow_mut() = Some(dispatcher);
        let now = Snapshot::of(state);
        let before = self
            .0
            .last
            .borrow_mut()
            .replace(now.clone())
            .or_else(|| self.0.before_reset.borrow_mut().take());
        let changed = before.as_ref().is_none_or(|b| !b.same_statuses(&now));
        if !changed {
            return;
        }
        for (slot, photo) in &now.photos {
            let was = before.as_ref().and_then(|b| b.photos.get(slot));
            if photo.error.is_some() && was.is_none_or(|w| w.error != photo.error) {
                if let Some(error) = &photo.error {
                    self.emit("precheck:error", &PhotoErrorDetail { slot, error });
                }
            }
        }
        self.emit("precheck:change", &now.without_values());
        if now.ready && !before.is_some_and(|b| b.ready) {
            self.emit("precheck:ready", &now.without_values());
        }
    }

    /// Sends `action` to the form (the host page's `submit()`); `false` once unmounted.
    pub fn dispatch(&self, action: Action) -> bool {
        match &*self.0.dispatcher.borrow() {
            Some(d) => {
                d.dispatch(action);
                true
            }
            None => false,
        }
    }

    /// The latest snapshot (the host page's `getState()`), `None` before the first render.
    #[must_use]
    pub fn state(&self) -> Option<Snapshot> {
        self.0.last.borrow().clone()
    }

    /// Forgets the dispatcher and snapshot (the form was unmounted).
    pub fn clear(&self) {
        self.0.dispatcher.borrow_mut().take();
        self.0.last.borrow_mut().take();
        self.0.before_reset.borrow_mut().take();
        self.0.photos.borrow_mut().clear();
        self.0.stoppers.borrow_mut().clear();
    }

    /// [`Host::clear`] for a form about to be mounted anew (the host page's `reset()`): its
    /// first render sends the events the change from this form's statuses calls for, so a
    /// host that resets on `precheck:change` gets one more event, not an endless loop.
    pub fn reset(&self) {
        self.0.dispatcher.borrow_mut().take();
        let last = self.0.last.borrow_mut().take();
        *self.0.before_reset.borrow_mut() = last;
        self.0.photos.borrow_mut().clear();
        self.0.stoppers.borrow_mut().clear();
    }

    /// Dispatches a bubbling `CustomEvent` `name` with `detail` on the mount element.
    pub fn emit(&self, name: &str, detail: &impl Serialize) {
        let Ok(detail) = to_js(detail) else {
            return;
        };
        self.emit_js(name, &detail);
    }

    /// As [`Host::emit`], with a detail that is already a JS value.
    pub fn emit_js(&self, name: &str, detail: &JsValue) {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_detail(detail);
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = self.0.root.dispatch_event(&event);
        }
    }
}

/// Plain JS objects (maps become objects, not `Map`s).
///
/// # Errors
/// When `value` cannot be serialised.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

#[derive(Serialize)]
struct PhotoErrorDetail<'a> {
    slot: &'a str,
    error: &'a ErrorView,
}

/// What the host page sees of the form (`getState()`, and `precheck:change` without `values`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub locale: &'static str,
    pub document: &'static str,
    /// Passport issuing country, ISO 3166-1 alpha-3.
    pub country: String,
    /// What submitting would meet: `fail` (something fails or is missing), `warn`, `pass`.
    pub readiness: Status,
    /// Everything passes.
    pub ready: bool,
    pub submitted: bool,
    pub fields: BTreeMap<&'static str, FieldSnapshot>,
    pub photos: BTreeMap<&'static str, PhotoSnapshot>,
    /// The fields as typed (left out of `precheck:change`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<&'static str, String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldSnapshot {
    /// `None` while nothing is shown yet.
    pub status: Option<Status>,
    /// The codes of the issues shown.
    pub codes: Vec<Code>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoSnapshot {
    /// `empty`, `checking`, `checked` or `failed`.
    pub state: &'static str,
    pub status: Option<Status>,
    pub optional: bool,
    /// The upload-ready JPEG is made.
    pub upload_ready: bool,
    /// Why it could not be checked.
    pub error: Option<ErrorView>,
    /// The checks (as `precheck photo` prints them).
    pub report: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorView {
    pub code: &'static str,
    pub message: String,
}

impl Snapshot {
    #[must_use]
    pub fn of(state: &FormState) -> Snapshot {
        let locale: Locale = state.locale;
        let fields = state
            .doc
            .fields()
            .iter()
            .map(|&kind| {
                let shown = state.shown(kind);
                let codes = match shown {
                    crate::form::Shown::Nothing => Vec::new(),
                    crate::form::Shown::Typing(r) | crate::form::Shown::Full(r) => {
                        r.issues.iter().map(|i| i.code).collect()
                    }
                };
                let status = crate::form::shown_status(shown);
                (kind.as_str(), FieldSnapshot { status, codes })
            })
            .collect();
        let values = state
            .doc
            .fields()
            .iter()
            .map(|&kind| (kind.as_str(), state.value(kind).to_owned()))
            .collect();
        let photos = state
            .slot_views()
            .into_iter()
            .map(|view| {
                let entry = view.entry.as_ref();
                let (name, error, report) = match entry.map(|e| &e.state) {
                    None => ("empty", None, None),
                    Some(PhotoState::Checking) => ("checking", None, None),
                    Some(PhotoState::Failed(e)) => {
                        let (code, message) = failure(locale, e);
                        ("failed", Some(ErrorView { code, message }), None)
                    }
                    Some(PhotoState::Checked(c)) => {
                        ("checked", None, Some(i18n::photo_json(&c.report, locale)))
                    }
                };
                let snapshot = PhotoSnapshot {
                    state: name,
                    status: view.status,
                    optional: view.optional,
                    upload_ready: entry.is_some_and(|e| e.upload.is_some()),
                    error,
                    report,
                };
                (view.slot.as_str(), snapshot)
            })
            .collect();
        let readiness = state.readiness();
        Snapshot {
            locale: locale.tag(),
            document: state.doc.as_str(),
            country: state.country.clone(),
            readiness,
            ready: readiness == Status::Pass,
            submitted: state.submitted,
            fields,
            photos,
            values: Some(values),
        }
    }

    /// Equal but for the typed values (a keystroke alone is no status change).
    fn same_statuses(&self, other: &Snapshot) -> bool {
        self.without_values() == other.without_values()
    }

    #[must_use]
    pub fn without_values(&self) -> Snapshot {
        Snapshot {
            values: None,
            ..self.clone()
        }
    }
}
