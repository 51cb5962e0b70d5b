//! Form state: one reducer for every field, the locale and the document type.
//!
//! Values change on every keystroke; what each field's message *shows* changes only when the
//! typing settles (debounced) or the field loses focus, so a half-typed ID number is not
//! shouted at.

use crate::checks::{self, mrz, passport, Date, FieldKind, FieldReport, Status};
use crate::i18n::Locale;
use std::collections::HashMap;
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormState {
    pub locale: Locale,
    pub doc: DocType,
    /// Passport issuing country, ISO 3166-1 alpha-3.
    pub country: String,
    pub values: HashMap<FieldKind, String>,
    pub shown: HashMap<FieldKind, Shown>,
    /// Today in Asia/Shanghai, fixed when the page loads.
    pub today: Date,
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
}

impl FormState {
    #[must_use]
    pub fn new(today: Date, locale: Locale) -> FormState {
        FormState {
            locale,
            doc: DocType::IdCard,
            country: passport::DEFAULT_COUNTRY.to_owned(),
            values: HashMap::new(),
            shown: HashMap::new(),
            today,
        }
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
