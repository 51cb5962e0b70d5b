//! The identity document and what the form asks for it.

use super::config::VisaPolicy;
use crate::checks::photo::Slot;
use crate::checks::FieldKind;

/// Which identity document the shopper uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocType {
    #[default]
    IdCard,
    Passport,
}

impl DocType {
    /// The `value` of the document-type radio, and `document` in the hand-over.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::IdCard => "id-card",
            DocType::Passport => "passport",
        }
    }

    /// The document whose [`DocType::as_str`] is `s`.
    #[must_use]
    pub fn parse(s: &str) -> Option<DocType> {
        [DocType::IdCard, DocType::Passport]
            .into_iter()
            .find(|d| d.as_str() == s)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_slots_follow_the_document_and_the_visa_setting() {
        assert_eq!(
            DocType::IdCard.fields(),
            [FieldKind::Name, FieldKind::IdNumber, FieldKind::Phone]
        );
        assert_eq!(
            DocType::Passport.fields(),
            [
                FieldKind::Name,
                FieldKind::PassportNumber,
                FieldKind::PassportExpiry,
                FieldKind::Mrz,
                FieldKind::Phone
            ]
        );
        let id_slots = vec![
            Slot::IdFront,
            Slot::IdBack,
            Slot::Face,
            Slot::SelfieWithDocument,
        ];
        for visa in [VisaPolicy::Off, VisaPolicy::Optional, VisaPolicy::Required] {
            assert_eq!(DocType::IdCard.slots(visa), id_slots, "{visa:?}");
        }
        assert_eq!(
            DocType::Passport.slots(VisaPolicy::Off),
            [Slot::PassportData, Slot::Face, Slot::SelfieWithDocument]
        );
        let with_visa = [
            Slot::PassportData,
            Slot::PassportVisa,
            Slot::Face,
            Slot::SelfieWithDocument,
        ];
        assert_eq!(DocType::Passport.slots(VisaPolicy::Optional), with_visa);
        assert_eq!(DocType::Passport.slots(VisaPolicy::Required), with_visa);
        assert_eq!(DocType::IdCard.as_str(), "id-card");
        assert_eq!(DocType::Passport.as_str(), "passport");
        assert_eq!(DocType::parse("id-card"), Some(DocType::IdCard));
        assert_eq!(DocType::parse("passport"), Some(DocType::Passport));
        assert_eq!(DocType::parse("Passport"), None);
    }

    #[test]
    fn visa_policy_parses_the_attribute_values_only() {
        assert_eq!(VisaPolicy::parse("off"), Some(VisaPolicy::Off));
        assert_eq!(VisaPolicy::parse("optional"), Some(VisaPolicy::Optional));
        assert_eq!(VisaPolicy::parse("required"), Some(VisaPolicy::Required));
        assert_eq!(VisaPolicy::parse("Required"), None);
        assert_eq!(VisaPolicy::parse(""), None);
        assert_eq!(VisaPolicy::default(), VisaPolicy::Optional);
    }
}
