//! What a field's message shows: values change on every keystroke, the message only when
//! typing settles (debounced by the page) or the field loses focus, so a half-typed ID
//! number is not shouted at.

use crate::checks::{FieldKind, FieldReport, Status};

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

/// Fields whose report depends on `kind`: the MRZ cross-checks the name, passport number
/// and expiry (and the issuing country, which is not a field).
#[must_use]
pub fn dependents(kind: FieldKind) -> &'static [FieldKind] {
    match kind {
        FieldKind::Name | FieldKind::PassportNumber | FieldKind::PassportExpiry => {
            &[FieldKind::Mrz]
        }
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::check_field;
    use crate::checks::date::TEST_TODAY as TODAY;

    #[test]
    fn only_the_mrz_depends_on_other_fields() {
        for kind in [
            FieldKind::Name,
            FieldKind::PassportNumber,
            FieldKind::PassportExpiry,
        ] {
            assert_eq!(dependents(kind), [FieldKind::Mrz], "{kind:?}");
        }
        for kind in [FieldKind::IdNumber, FieldKind::Phone, FieldKind::Mrz] {
            assert!(dependents(kind).is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn typing_holds_back_what_blur_shows() {
        assert_eq!(shown_status(&Shown::Nothing), None);
        // Too short: unfinished while typing, a failure once the field is left.
        let short = check_field(FieldKind::IdNumber, "1101011990", None, TODAY);
        assert_eq!(shown_status(&Shown::Typing(short.clone())), None);
        assert_eq!(shown_status(&Shown::Full(short)), Some(Status::Fail));
        // A wrong check digit is certain even while typing.
        let wrong = check_field(FieldKind::IdNumber, "360426199101010070", None, TODAY);
        assert_eq!(shown_status(&Shown::Typing(wrong)), Some(Status::Fail));
        let good = check_field(FieldKind::IdNumber, "360426199101010071", None, TODAY);
        assert_eq!(
            shown_status(&Shown::Typing(good.clone())),
            Some(Status::Pass)
        );
        assert_eq!(shown_status(&Shown::Full(good)), Some(Status::Pass));
    }
}
