//! The photo slots of the form.

use serde::{Deserialize, Serialize};

/// Which photo a file is for. The kebab-case names are public API (`data-slot`, CLI, rules JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    /// ID card, portrait side (人像面).
    IdFront,
    /// ID card, emblem side (国徽面).
    IdBack,
    /// Passport data page.
    PassportData,
    /// Passport visa page.
    PassportVisa,
    /// Front-facing photo of the person (本人正面照).
    Face,
    /// Selfie holding the document (手持证件照).
    SelfieWithDocument,
}

impl Slot {
    pub const ALL: [Slot; 6] = [
        Slot::IdFront,
        Slot::IdBack,
        Slot::PassportData,
        Slot::PassportVisa,
        Slot::Face,
        Slot::SelfieWithDocument,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::IdFront => "id-front",
            Slot::IdBack => "id-back",
            Slot::PassportData => "passport-data",
            Slot::PassportVisa => "passport-visa",
            Slot::Face => "face",
            Slot::SelfieWithDocument => "selfie-with-document",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|slot| slot.as_str() == s)
    }

    /// Whether the slot shows a document (text that must be legible).
    #[must_use]
    pub fn is_document(self) -> bool {
        !matches!(self, Slot::Face)
    }

    /// Whether the photo is of a document page itself (its print is judged at the document's
    /// own scale); the selfie only has to show the document.
    #[must_use]
    pub fn is_document_page(self) -> bool {
        matches!(
            self,
            Slot::IdFront | Slot::IdBack | Slot::PassportData | Slot::PassportVisa
        )
    }

    /// Whether the photo is a passport page (data or visa page: TD3 size, an MRZ to read).
    #[must_use]
    pub fn is_passport_page(self) -> bool {
        matches!(self, Slot::PassportData | Slot::PassportVisa)
    }

    /// Whether the photo is checked with the face detector: the face slots (`face` check),
    /// and the emblem side (a printed portrait there is the other side: `side` check).
    #[must_use]
    pub fn runs_face_detector(self) -> bool {
        self.needs_face() || self == Slot::IdBack
    }

    /// Whether the photo must show the person's face (`face` check).
    #[must_use]
    pub fn needs_face(self) -> bool {
        matches!(self, Slot::Face | Slot::SelfieWithDocument)
    }
}
