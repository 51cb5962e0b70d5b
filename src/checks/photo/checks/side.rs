//! `side`: the photo is of the page or side its slot asks for, judged only on certain
//! evidence, and silent without it (never a failure: a guess must not block a good photo).
//!
//! Evidence, in the found document:
//! - **a machine-readable zone read in full** (every check digit holds,
//!   [`MrzRead::accepted`]): `P…` is a passport data page, `V…` a visa. The data-page slot
//!   with a visa zone, or the visa slot with a data page's zone, warns and names the page it
//!   shows; a matching zone passes.
//! - **the printed portrait of an ID card** (a face inside the card's quad, of a printed
//!   portrait's size, [`crate::checks::photo::face`]): the emblem side (国徽面) has none, so
//!   the `id-back` slot with a portrait warns "this is the portrait side".
//! - **the resident ID number read in full** (its check character holds, every character
//!   clear: [`crate::checks::photo::ocr::IdRead::accepted`]): it is printed on the portrait
//!   side only, so the `id-back` slot warns "this is the portrait side", and the `id-front`
//!   slot passes.
//!
//! The value is the confidence that the photo shows another slot's page: 1 for a
//! contradiction (check digits, a check character or a detected portrait), 0 for a zone or
//! number of the slot's own page. No evidence: no result.

use super::CheckId;
use crate::checks::photo::ocr::{MrzKind, MrzRead};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limits, Limit};
use crate::checks::photo::slot::Slot;
use crate::checks::Status;

/// Codes of this check.
pub const CODES: [PhotoCode; 4] = [
    PhotoCode::SideOk,
    PhotoCode::LooksLikeVisaPage,
    PhotoCode::LooksLikeDataPage,
    PhotoCode::LooksLikePortraitSide,
];

limits! {
    /// Thresholds of `side`.
    pub struct Rules {
        /// Confidence (0–1) that the photo shows another slot's page; bad above. Warn at
        /// 0.5: both kinds of evidence are certain (1) or absent.
        pub other_page,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(_slot: Slot) -> Rules {
        Rules {
            other_page: Limit {
                warn: Some(0.5),
                fail: None,
            },
        }
    }
}

/// What was found on the document.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Evidence<'a> {
    /// The accepted zone, if one was read.
    pub mrz: Option<&'a MrzRead>,
    /// A printed portrait lies on the card.
    pub portrait: bool,
    /// The card's ID number line was read, and the read counts.
    pub id_number: bool,
}

/// The verdict for `slot`, `None` without evidence either way.
#[must_use]
pub fn check(slot: Slot, evidence: Evidence<'_>, rules: &Rules) -> Option<CheckResult> {
    let zone = evidence.mrz.filter(|m| m.accepted()).map(|m| m.kind);
    // What only the portrait side shows: its printed portrait, or its number read in full.
    let portrait_side = evidence.portrait || evidence.id_number;
    let (other, code) = match (slot, zone, portrait_side) {
        (Slot::PassportData, Some(MrzKind::Visa), _) => (1.0, PhotoCode::LooksLikeVisaPage),
        (Slot::PassportVisa, Some(MrzKind::Passport), _) => (1.0, PhotoCode::LooksLikeDataPage),
        (Slot::PassportData, Some(MrzKind::Passport), _)
        | (Slot::PassportVisa, Some(MrzKind::Visa), _) => (0.0, PhotoCode::SideOk),
        (Slot::IdBack, _, true) => (1.0, PhotoCode::LooksLikePortraitSide),
        (Slot::IdFront, _, _) if evidence.id_number => (0.0, PhotoCode::SideOk),
        _ => return None,
    };
    let warn = rules.other_page.warn.is_some_and(|t| other >= t);
    Some(CheckResult {
        id: CheckId::Side,
        status: if warn { Status::Warn } else { Status::Pass },
        value: other,
        threshold: rules.other_page.warn,
        code: if warn { code } else { PhotoCode::SideOk },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(kind: MrzKind, unclear: Vec<usize>) -> MrzRead {
        MrzRead {
            kind,
            lines: [String::new(), String::new()],
            checks_hold: true,
            min_score: 0.9,
            min_margin: 0.1,
            unclear,
        }
    }

    #[test]
    fn the_wrong_page_warns_and_names_the_page_it_shows() {
        let r = Rules::default_for(Slot::PassportData);
        let visa = zone(MrzKind::Visa, vec![]);
        let data = zone(MrzKind::Passport, vec![]);
        let got = |slot, mrz, portrait| {
            let evidence = Evidence {
                mrz,
                portrait,
                id_number: false,
            };
            check(slot, evidence, &r).map(|c| (c.status, c.code))
        };
        assert_eq!(
            got(Slot::PassportData, Some(&visa), false),
            Some((Status::Warn, PhotoCode::LooksLikeVisaPage))
        );
        assert_eq!(
            got(Slot::PassportVisa, Some(&data), false),
            Some((Status::Warn, PhotoCode::LooksLikeDataPage))
        );
        assert_eq!(
            got(Slot::PassportData, Some(&data), false),
            Some((Status::Pass, PhotoCode::SideOk))
        );
        assert_eq!(
            got(Slot::IdBack, None, true),
            Some((Status::Warn, PhotoCode::LooksLikePortraitSide))
        );
        // No evidence, or a zone that is not certain: silence.
        assert_eq!(got(Slot::PassportVisa, None, false), None);
        assert_eq!(got(Slot::IdBack, None, false), None);
        assert_eq!(
            got(Slot::IdFront, None, true),
            None,
            "the portrait side's own portrait"
        );
        let unsure = zone(MrzKind::Visa, vec![3]);
        assert_eq!(got(Slot::PassportData, Some(&unsure), false), None);
    }

    #[test]
    fn a_read_id_number_is_the_portrait_side() {
        let r = Rules::default_for(Slot::IdBack);
        let number = |slot, portrait| {
            let evidence = Evidence {
                mrz: None,
                portrait,
                id_number: true,
            };
            check(slot, evidence, &r).map(|c| (c.status, c.code, c.value))
        };
        let named = Some((Status::Warn, PhotoCode::LooksLikePortraitSide, 1.0));
        assert_eq!(number(Slot::IdBack, false), named);
        assert_eq!(number(Slot::IdBack, true), named);
        assert_eq!(
            number(Slot::IdFront, false),
            Some((Status::Pass, PhotoCode::SideOk, 0.0))
        );
        // A card's number says nothing about a passport page.
        assert_eq!(number(Slot::PassportData, false), None);
    }
}
