//! The form's state and its pure reducer: every field, every photo, the locale and the
//! document type; what blocks submitting, the review list and the hand-over.

use super::config::{Config, SharedConfig, VisaPolicy};
use super::doc::DocType;
use super::fields::{dependents, shown_status, Shown};
use super::photos::{self, PhotoEntry, PhotoState, SlotView};
use crate::checks::photo::Slot;
use crate::checks::{self, id_number, mrz, passport, Date, FieldKind, FieldReport, Status};
use crate::i18n::Locale;
use crate::protocol::JobId;
use crate::upload::UploadView;
use std::collections::{BTreeMap, HashMap};

/// The whole form; `U` is the handle of a photo's upload-ready image.
#[derive(Clone, Debug, PartialEq)]
pub struct FormState<U> {
    pub locale: Locale,
    pub doc: DocType,
    /// Passport issuing country, ISO 3166-1 alpha-3.
    pub country: String,
    pub values: HashMap<FieldKind, String>,
    pub shown: HashMap<FieldKind, Shown>,
    /// Today in Asia/Shanghai, fixed when the page loads.
    pub today: Date,
    /// What the host page configured (shared: it never changes).
    pub config: SharedConfig,
    /// The photo chosen for each slot, and what the checks said.
    pub photos: BTreeMap<Slot, PhotoEntry<U>>,
    /// The shopper clicked "submit" while warnings were open: they are listed for a
    /// confirming click.
    pub confirming: bool,
    /// The form was handed over for upload.
    pub submitted: bool,
    /// The built-in upload of this submission, once started.
    pub upload: Option<UploadView>,
    /// The MRZ field holds the zone read from the passport photo (not typed): a new photo
    /// replaces it, removing the photo clears it.
    pub mrz_from_photo: bool,
}

/// The zone read from the passport photo, offered to fill the fields it differs from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MrzOffer {
    pub number: String,
    /// `YYYY-MM-DD`.
    pub expiry: String,
    /// ISO 3166-1 alpha-3 of the issuing state, when it is one (Germany's MRZ says `D`).
    pub country: Option<String>,
    /// `SURNAME GIVEN NAMES`, offered only for a non-Chinese passport whose name field is
    /// empty (a Chinese passport's MRZ spells the name in pinyin; the form wants 汉字).
    pub name: Option<String>,
}

/// The resident ID number read from the portrait side's photo, offered when the typed number
/// is empty or differs from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdNumberOffer {
    /// The 18 characters read (check character valid).
    pub number: String,
    /// 1-based positions where the typed number differs; empty when nothing (or a number of
    /// another length) was typed.
    pub differs_at: Vec<usize>,
}

/// What can happen to the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Action<U> {
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
    /// The worker answered job `job` (or the page failed it).
    PhotoDone {
        job: JobId,
        state: PhotoState,
    },
    /// The upload-ready image of job `job` is made.
    PhotoPrepared {
        job: JobId,
        upload: U,
    },
    /// The photo of a slot was removed.
    PhotoRemoved(Slot),
    /// Submit was clicked: list warnings to confirm, or hand over.
    Submit,
    /// The warnings were confirmed: hand over.
    ConfirmSubmit,
    /// "Fill in from the photo": the fields take the read zone's values ([`MrzOffer`]).
    FillFromMrz,
    /// "Use the number from the photo": the ID number field takes the read number
    /// ([`IdNumberOffer`]).
    FillFromIdPhoto,
    /// The built-in upload moved on.
    Upload(UploadView),
}

/// What a review line is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reviewed {
    Field(FieldKind),
    Photo(Slot),
}

/// One line of the review before submitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewItem {
    pub what: Reviewed,
    /// `None`: empty, or nothing to say yet.
    pub status: Option<Status>,
    /// May stay empty.
    pub optional: bool,
}

/// What is handed to the host page on submit.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission<U> {
    pub document: DocType,
    pub country: String,
    /// Each field of the document, in form order: normalized when the check normalizes it,
    /// else trimmed.
    pub fields: Vec<(FieldKind, String)>,
    /// Each shown slot's checked, upload-ready photo, in slot order.
    pub photos: Vec<SubmittedPhoto<U>>,
}

/// One photo of a [`Submission`].
#[derive(Clone, Debug, PartialEq)]
pub struct SubmittedPhoto<U> {
    pub slot: Slot,
    pub upload: U,
    /// The checks' verdict.
    pub status: Status,
}

impl<U> FormState<U> {
    #[must_use]
    pub fn new(today: Date, locale: Locale) -> FormState<U> {
        FormState::with_config(today, locale, Config::default())
    }

    #[must_use]
    pub fn with_config(today: Date, locale: Locale, config: Config) -> FormState<U> {
        FormState {
            locale,
            doc: config.documents.first().copied().unwrap_or_default(),
            country: passport::DEFAULT_COUNTRY.to_owned(),
            values: HashMap::new(),
            shown: HashMap::new(),
            today,
            config: SharedConfig::from(config),
            photos: BTreeMap::new(),
            confirming: false,
            submitted: false,
            upload: None,
            mrz_from_photo: false,
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
        if slot == Slot::PassportVisa {
            self.config.visa == VisaPolicy::Optional
        } else {
            self.config.optional.contains(&slot)
        }
    }

    /// For each shown slot whose photo is the same as another shown slot's: that other slot.
    #[must_use]
    pub fn duplicates(&self) -> BTreeMap<Slot, Slot> {
        photos::duplicates(&self.photos, &self.slots())
    }

    /// Overall status of a slot's photo: `None` while empty or being checked. A photo that
    /// could not be checked, or that duplicates another shown slot's, fails.
    #[must_use]
    pub fn photo_status(&self, slot: Slot) -> Option<Status> {
        let entry = self.photos.get(&slot)?;
        let duplicate =
            matches!(entry.state, PhotoState::Checked(_)) && self.duplicates().contains_key(&slot);
        photos::status(Some(entry), duplicate)
    }

    /// What blocks submitting: `Fail` if anything fails or a required item is missing,
    /// `Warn` if warnings remain, `Pass` when all is well.
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
            FieldKind::IdNumber => {
                id_number::check_with_photo(value, self.today, self.photo_id_number())
            }
            _ => checks::check_field(kind, value, Some(&self.country), self.today),
        }
    }

    /// The ID number read from the portrait side's photo, when the ID card is the document.
    #[must_use]
    pub fn photo_id_number(&self) -> Option<&str> {
        if self.doc != DocType::IdCard {
            return None;
        }
        match self.photos.get(&Slot::IdFront).map(|e| &e.state) {
            Some(PhotoState::Checked(c)) => c.report.id_number.as_deref(),
            _ => None,
        }
    }

    /// The number read from the portrait side's photo, when the typed number is empty or
    /// differs from it: what "Use the number from the photo" would write.
    #[must_use]
    pub fn id_number_offer(&self) -> Option<IdNumberOffer> {
        let read = self.photo_id_number()?;
        let typed = self.report(FieldKind::IdNumber).normalized;
        if typed == read {
            return None;
        }
        Some(IdNumberOffer {
            number: read.to_owned(),
            differs_at: id_number::differing_positions(&typed, read),
        })
    }

    /// Worst status over the fields of the current document; `None` while a required field
    /// has nothing to show yet (an empty MRZ, which is optional, passes).
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

    /// The zone read from the passport photo, when the fields differ from it (or are empty):
    /// what "Fill in from the photo" would write. `None` for a typed MRZ, one that does not
    /// parse or whose check digits fail, and when every field already agrees.
    #[must_use]
    pub fn mrz_offer(&self) -> Option<MrzOffer> {
        if !self.mrz_from_photo || self.doc != DocType::Passport {
            return None;
        }
        let td3 = mrz::parse(self.value(FieldKind::Mrz)).ok()?;
        if !td3.bad_checks.is_empty() {
            return None;
        }
        let expiry = td3.expiry_date()?.to_string();
        let country =
            Some(td3.issuing_state.clone()).filter(|c| passport::country_code(c).is_some());
        let name = (self.value(FieldKind::Name).trim().is_empty() && td3.issuing_state != "CHN")
            .then(|| {
                format!("{} {}", td3.surname, td3.given_names)
                    .trim()
                    .to_owned()
            })
            .filter(|n| !n.is_empty());
        let (typed_number, _) = passport::normalize(self.value(FieldKind::PassportNumber));
        let differs = typed_number != td3.number
            || self.value(FieldKind::PassportExpiry).trim() != expiry
            || country.as_ref().is_some_and(|c| *c != self.country)
            || name.is_some();
        differs.then_some(MrzOffer {
            number: td3.number,
            expiry,
            country,
            name,
        })
    }

    /// The review list: the document's fields, then its photo slots, in page order.
    #[must_use]
    pub fn review(&self) -> Vec<ReviewItem> {
        let fields = self.doc.fields().iter().map(|&kind| ReviewItem {
            what: Reviewed::Field(kind),
            status: shown_status(self.shown(kind)),
            optional: kind == FieldKind::Mrz,
        });
        let photos = self.slots().into_iter().map(|slot| ReviewItem {
            what: Reviewed::Photo(slot),
            status: self.photo_status(slot),
            optional: self.is_optional(slot),
        });
        fields.chain(photos).collect()
    }
}

impl<U: Clone> FormState<U> {
    /// The cards of the shown photo slots, in order.
    #[must_use]
    pub fn slot_views(&self) -> Vec<SlotView<U>> {
        let duplicates = self.duplicates();
        self.slots()
            .into_iter()
            .map(|slot| SlotView {
                slot,
                entry: self.photos.get(&slot).cloned(),
                status: self.photo_status(slot),
                optional: self.is_optional(slot),
                duplicate_of: duplicates.get(&slot).copied(),
            })
            .collect()
    }

    /// What the host page receives on submit.
    #[must_use]
    pub fn submission(&self) -> Submission<U> {
        let fields = self
            .doc
            .fields()
            .iter()
            .map(|&kind| {
                let r = self.report(kind);
                let value = if r.normalized.is_empty() {
                    self.value(kind).trim().to_owned()
                } else {
                    r.normalized
                };
                (kind, value)
            })
            .collect();
        let photos = self
            .slots()
            .into_iter()
            .filter_map(|slot| {
                let entry = self.photos.get(&slot)?;
                match (&entry.state, &entry.upload) {
                    (PhotoState::Checked(c), Some(upload)) => Some(SubmittedPhoto {
                        slot,
                        upload: upload.clone(),
                        status: c.report.status(),
                    }),
                    _ => None,
                }
            })
            .collect();
        Submission {
            document: self.doc,
            country: self.country.clone(),
            fields,
            photos,
        }
    }

    /// The state after `action`, or `None` when it changes nothing (an answer about a
    /// replaced photo, a blocked submit, leaving an untouched empty field): the page then
    /// need not render again. Any edit takes back a submission or a pending confirmation.
    #[must_use]
    pub fn next(&self, action: Action<U>) -> Option<FormState<U>> {
        let mut next = self.clone();
        let edits = !matches!(
            action,
            Action::SetLocale(_) | Action::Submit | Action::ConfirmSubmit | Action::Upload(_)
        );
        if edits {
            next.confirming = false;
            next.submitted = false;
            next.upload = None;
        }
        match action {
            Action::SetLocale(locale) => next.locale = locale,
            Action::SetDoc(doc) if self.config.documents.contains(&doc) => next.doc = doc,
            Action::SetDoc(_) => return None,
            Action::SetCountry(country) => {
                next.country = country;
                next.refresh(FieldKind::PassportNumber);
                next.refresh(FieldKind::Mrz);
            }
            Action::Input(kind, value) => {
                if kind == FieldKind::Mrz {
                    next.mrz_from_photo = false;
                }
                next.values.insert(kind, value);
            }
            Action::Settle(kind) => next.show(kind, false),
            Action::Commit(kind) => {
                // An empty optional field that was never touched says nothing on blur.
                if next.value(kind).trim().is_empty() && matches!(next.shown(kind), Shown::Nothing)
                {
                    return None;
                }
                next.show(kind, true);
            }
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
                // None: the slot has moved on to another photo, or lost it.
                let (&slot, entry) = next.photos.iter_mut().find(|(_, e)| e.job == job)?;
                entry.state = state;
                next.take_mrz(slot);
                if slot == Slot::IdFront {
                    next.refresh(FieldKind::IdNumber);
                }
            }
            Action::PhotoPrepared { job, upload } => {
                next.photos.values_mut().find(|e| e.job == job)?.upload = Some(upload);
            }
            Action::PhotoRemoved(slot) => {
                next.photos.remove(&slot);
                if slot == Slot::PassportData {
                    next.forget_photo_mrz();
                }
                if slot == Slot::IdFront {
                    next.refresh(FieldKind::IdNumber);
                }
            }
            Action::FillFromMrz => {
                let offer = next.mrz_offer()?;
                if let Some(country) = offer.country {
                    next.country = country;
                }
                let mut fill = vec![
                    (FieldKind::PassportNumber, offer.number),
                    (FieldKind::PassportExpiry, offer.expiry),
                ];
                fill.extend(offer.name.map(|n| (FieldKind::Name, n)));
                for (kind, value) in fill {
                    next.values.insert(kind, value);
                    next.show(kind, true);
                }
            }
            Action::FillFromIdPhoto => {
                let offer = next.id_number_offer()?;
                next.values.insert(FieldKind::IdNumber, offer.number);
                next.show(FieldKind::IdNumber, true);
            }
            Action::Submit => match next.readiness() {
                Status::Fail => return None,
                Status::Warn => next.confirming = true,
                Status::Pass => next.submitted = true,
            },
            Action::ConfirmSubmit => {
                if next.readiness() != Status::Fail {
                    next.submitted = true;
                }
            }
            // Only the submission's own upload; none after an edit took it back.
            Action::Upload(view) if self.submitted => next.upload = Some(view),
            Action::Upload(_) => return None,
        }
        Some(next)
    }

    /// [`Self::next`], or an unchanged copy.
    #[must_use]
    pub fn reduce(&self, action: Action<U>) -> FormState<U> {
        self.next(action).unwrap_or_else(|| self.clone())
    }

    /// After a passport data page was checked: its accepted zone goes into the MRZ field
    /// (unless the shopper typed one there), which cross-checks it with the typed fields.
    fn take_mrz(&mut self, slot: Slot) {
        if slot != Slot::PassportData
            || (!self.mrz_from_photo && !self.value(FieldKind::Mrz).trim().is_empty())
        {
            return;
        }
        let read = match self.photos.get(&slot).map(|e| &e.state) {
            Some(PhotoState::Checked(c)) => c.report.mrz.as_ref().map(|m| m.text()),
            _ => None,
        };
        match read {
            Some(text) => {
                self.values.insert(FieldKind::Mrz, text);
                self.mrz_from_photo = true;
                self.show(FieldKind::Mrz, true);
            }
            // A new photo with nothing read: the old photo's zone goes.
            None => self.forget_photo_mrz(),
        }
    }

    /// Empties the MRZ field when it holds a photo's zone (a typed one stays).
    fn forget_photo_mrz(&mut self) {
        if self.mrz_from_photo {
            self.mrz_from_photo = false;
            self.values.remove(&FieldKind::Mrz);
            self.shown.remove(&FieldKind::Mrz);
        }
    }

    /// Re-checks a shown field after something it depends on changed, in the same mode.
    fn refresh(&mut self, kind: FieldKind) {
        let next = match self.shown(kind) {
            Shown::Nothing => return,
            Shown::Typing(_) => Shown::Typing(self.report(kind)),
            Shown::Full(_) => Shown::Full(self.report(kind)),
        };
        self.shown.insert(kind, next);
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
        for &dep in dependents(kind) {
            self.refresh(dep);
        }
    }
}
