//! Form state: one reducer for every field, every photo, the locale and the document type.
//!
//! Values change on every keystroke; what each field's message *shows* changes only when the
//! typing settles (debounced) or the field loses focus, so a half-typed ID number is not
//! shouted at.

use super::photo_state::{Config, PhotoEntry, PhotoState, PreparedUpload, VisaPolicy};
use crate::checks::photo::{phash, Slot};
use crate::checks::{self, mrz, passport, Date, FieldKind, FieldReport, Status};
use crate::i18n::Locale;
use crate::protocol::JobId;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use yew::Reducible;

/// Which identity document the shopper uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocType {
    #[default]
    IdCard,
    Passport,
}

impl DocType {
    /// The `value` of the document-type radio.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::IdCard => "id-card",
            DocType::Passport => "passport",
        }
    }

    /// The fields of the form for this document, in order.
    #[must_use]
    pub fn fields(self) -> &'static [FieldKind] {
        match self {
            DocType::IdCard => &[FieldKind::Name, FieldKind::IdNumber, FieldKind::Phone],
            DocType::Passport => &[
                FieldKind::Name,
                FieldKind::PassportNumber,
                FieldKind::PassportExpiry,
                FieldKind::Mrz,
                FieldKind::Phone,
            ],
        }
    }

    /// The photo slots of the form for this document, in order.
    #[must_use]
    pub fn slots(self, visa: VisaPolicy) -> Vec<Slot> {
        let mut slots = match self {
            DocType::IdCard => vec![Slot::IdFront, Slot::IdBack],
            DocType::Passport if visa == VisaPolicy::Off => vec![Slot::PassportData],
            DocType::Passport => vec![Slot::PassportData, Slot::PassportVisa],
        };
        slots.extend([Slot::Face, Slot::SelfieWithDocument]);
        slots
    }
}

/// What a field's message currently shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Nothing checked yet.
    Nothing,
    /// Checked while typing: unfinished-value issues are held back.
    Typing(FieldReport),
    /// Checked on blur: everything is shown.
    Full(FieldReport),
}

/// The status shown for a field: `None` means "empty / nothing to say yet".
#[must_use]
pub fn shown_status(shown: &Shown) -> Option<Status> {
    match shown {
        Shown::Nothing => None,
        Shown::Typing(r) => r.typing_status(),
        Shown::Full(r) => Some(r.status()),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FormState {
    pub locale: Locale,
    pub doc: DocType,
    /// Passport issuing country, ISO 3166-1 alpha-3.
    pub country: String,
    pub values: HashMap<FieldKind, String>,
    pub shown: HashMap<FieldKind, Shown>,
    /// Today in Asia/Shanghai, fixed when the page loads.
    pub today: Date,
    /// What the host page configured.
    pub config: Config,
    /// The photo chosen for each slot, and what the checks said.
    pub photos: BTreeMap<Slot, PhotoEntry>,
    /// The shopper clicked "submit" while warnings were open: they are listed for a
    /// confirming click.
    pub confirming: bool,
    /// The form was handed over for upload.
    pub submitted: bool,
}

pub enum Action {
    SetLocale(Locale),
    SetDoc(DocType),
    SetCountry(String),
    /// A keystroke: store the value only.
    Input(FieldKind, String),
    /// Typing paused: check and show what is certain.
    Settle(FieldKind),
    /// Focus left the field: check and show everything.
    Commit(FieldKind),
    /// A photo was chosen for a slot and sent to the worker as job `job`.
    PhotoChosen {
        slot: Slot,
        job: JobId,
        name: String,
    },
    /// The worker answered job `job`.
    PhotoDone {
        job: JobId,
        state: PhotoState,
    },
    /// The upload-ready image of job `job` is made.
    PhotoPrepared {
        job: JobId,
        upload: Rc<PreparedUpload>,
    },
    /// The photo of a slot was removed.
    PhotoRemoved(Slot),
    /// Submit was clicked: list warnings to confirm, or hand over.
    Submit,
    /// The warnings were confirmed: hand over.
    ConfirmSubmit,
}

impl FormState {
    #[must_use]
    pub fn new(today: Date, locale: Locale) -> FormState {
        FormState::with_config(today, locale, Config::default())
    }

    #[must_use]
    pub fn with_config(today: Date, locale: Locale, config: Config) -> FormState {
        FormState {
            locale,
            doc: DocType::IdCard,
            country: passport::DEFAULT_COUNTRY.to_owned(),
            values: HashMap::new(),
            shown: HashMap::new(),
            today,
            config,
            photos: BTreeMap::new(),
            confirming: false,
            submitted: false,
        }
    }

    /// The photo slots shown for the current document.
    #[must_use]
    pub fn slots(&self) -> Vec<Slot> {
        self.doc.slots(self.config.visa)
    }

    /// Whether a slot may stay empty.
    #[must_use]
    pub fn is_optional(&self, slot: Slot) -> bool {
        slot == Slot::PassportVisa && self.config.visa == VisaPolicy::Optional
    }

    /// For each shown slot whose photo is the same as another shown slot's: that other slot.
    #[must_use]
    pub fn duplicates(&self) -> BTreeMap<Slot, Slot> {
        let hashes: Vec<_> = self
            .slots()
            .into_iter()
            .filter_map(|slot| match &self.photos.get(&slot)?.state {
                PhotoState::Checked(c) => Some((slot, c.hash)),
                _ => None,
            })
            .collect();
        let mut out = BTreeMap::new();
        for (a, b, _) in phash::duplicates(&hashes) {
            out.entry(a).or_insert(b);
            out.entry(b).or_insert(a);
        }
        out
    }

    /// Overall status of a slot's photo: `None` while empty or being checked. A photo that
    /// could not be checked, or that duplicates another slot's, fails.
    #[must_use]
    pub fn photo_status(&self, slot: Slot) -> Option<Status> {
        let entry = self.photos.get(&slot)?;
        match &entry.state {
            PhotoState::Checking => None,
            PhotoState::Failed(_) => Some(Status::Fail),
            PhotoState::Checked(_) if self.duplicates().contains_key(&slot) => Some(Status::Fail),
            PhotoState::Checked(c) => Some(c.report.status()),
        }
    }

    /// What blocks submitting: `Some(Fail)` if anything fails or a required item is
    /// missing, `Some(Warn)` if warnings remain, `Some(Pass)` when all is well.
    #[must_use]
    pub fn readiness(&self) -> Status {
        let fields = self.overall().unwrap_or(Status::Fail);
        let photos = self
            .slots()
            .into_iter()
            .map(|slot| {
                let entry = self.photos.get(&slot);
                match self.photo_status(slot) {
                    None if entry.is_none() && self.is_optional(slot) => Status::Pass,
                    // Missing, still being checked, or its upload-ready image not made yet.
                    None => Status::Fail,
                    Some(Status::Fail) => Status::Fail,
                    Some(_) if entry.is_some_and(|e| e.upload.is_none()) => Status::Fail,
                    Some(s) => s,
                }
            })
            .max()
            .unwrap_or(Status::Pass);
        fields.max(photos)
    }

    /// The current value of a field.
    #[must_use]
    pub fn value(&self, kind: FieldKind) -> &str {
        self.values.get(&kind).map_or("", String::as_str)
    }

    /// What the message of a field shows.
    #[must_use]
    pub fn shown(&self, kind: FieldKind) -> &Shown {
        self.shown.get(&kind).unwrap_or(&Shown::Nothing)
    }

    /// Checks a field's current value, with the other fields it depends on.
    #[must_use]
    pub fn report(&self, kind: FieldKind) -> FieldReport {
        let value = self.value(kind);
        match kind {
            FieldKind::Mrz => {
                let typed = mrz::Typed {
                    number: self.value(FieldKind::PassportNumber),
                    name: self.value(FieldKind::Name),
                    expiry: self.value(FieldKind::PassportExpiry),
                    country: &self.country,
                };
                mrz::check(value, &typed, self.today)
            }
            _ => checks::check_field(kind, value, Some(&self.country), self.today),
        }
    }

    /// Worst status over the fields of the current document; `None` while a required field
    /// has nothing to show yet.
    #[must_use]
    pub fn overall(&self) -> Option<Status> {
        let mut worst = Status::Pass;
        for &kind in self.doc.fields() {
            let status = match (kind, shown_status(self.shown(kind))) {
                (FieldKind::Mrz, _) if self.value(kind).trim().is_empty() => Some(Status::Pass),
                (_, s) => s,
            };
            worst = worst.max(status?);
        }
        Some(worst)
    }

    /// Re-checks a shown field after something it depends on changed.
    fn refresh(&mut self, kind: FieldKind) {
        let next = match self.shown(kind) {
            Shown::Nothing => return,
            Shown::Typing(_) => Shown::Typing(self.report(kind)),
            Shown::Full(_) => Shown::Full(self.report(kind)),
        };
        self.shown.insert(kind, next);
    }

    /// Fields whose report depends on `kind` (the MRZ cross-checks the others).
    fn dependents(kind: FieldKind) -> &'static [FieldKind] {
        match kind {
            FieldKind::Name | FieldKind::PassportNumber | FieldKind::PassportExpiry => {
                &[FieldKind::Mrz]
            }
            _ => &[],
        }
    }

    fn show(&mut self, kind: FieldKind, full: bool) {
        let shown = if self.value(kind).trim().is_empty() && !full {
            Shown::Nothing
        } else if full {
            Shown::Full(self.report(kind))
        } else {
            Shown::Typing(self.report(kind))
        };
        self.shown.insert(kind, shown);
        for &dep in Self::dependents(kind) {
            self.refresh(dep);
        }
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let edits = !matches!(
            action,
            Action::SetLocale(_) | Action::Submit | Action::ConfirmSubmit
        );
        if edits {
            next.confirming = false;
            next.submitted = false;
        }
        match action {
            Action::SetLocale(locale) => next.locale = locale,
            Action::SetDoc(doc) => next.doc = doc,
            Action::SetCountry(country) => {
                next.country = country;
                next.refresh(FieldKind::PassportNumber);
                next.refresh(FieldKind::Mrz);
            }
            Action::Input(kind, value) => {
                next.values.insert(kind, value);
            }
            Action::Settle(kind) => next.show(kind, false),
            Action::PhotoChosen { slot, job, name } => {
                next.photos.insert(
                    slot,
                    PhotoEntry {
                        job,
                        name,
                        state: PhotoState::Checking,
                        upload: None,
                    },
                );
            }
            Action::PhotoDone { job, state } => {
                let Some(entry) = next.photos.values_mut().find(|e| e.job == job) else {
                    return self; // the slot has moved on to another photo
                };
                entry.state = state;
            }
            Action::PhotoPrepared { job, upload } => {
                let Some(entry) = next.photos.values_mut().find(|e| e.job == job) else {
                    return self;
                };
                entry.upload = Some(upload);
            }
            Action::PhotoRemoved(slot) => {
                next.photos.remove(&slot);
            }
            Action::Submit => match next.readiness() {
                Status::Fail => return self,
                Status::Warn => next.confirming = true,
                Status::Pass => next.submitted = true,
            },
            Action::ConfirmSubmit => {
                if next.readiness() != Status::Fail {
                    next.submitted = true;
                }
            }
            Action::Commit(kind) => {
                // An empty optional field that was never touched says nothing on blur.
                if next.value(kind).trim().is_empty() && matches!(next.shown(kind), Shown::Nothing)
                {
                    return self;
                }
                next.show(kind, true);
            }
        }
        Rc::new(next)
    }
}
