//! Texts of the user interface that are not check messages (those live in [`crate::i18n`],
//! keyed by the core's codes): labels, hints, buttons, summaries. One exhaustive `match`
//! per locale, so the compiler refuses a text missing in either.

mod en;
mod zh_cn;

use crate::checks::photo::{CheckId, Slot};
use crate::i18n::Locale;

/// Texts of the user interface that are not issue messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Text {
    Title,
    Intro,
    DocType,
    DocIdCard,
    DocPassport,
    Name,
    NameHint,
    IdNumber,
    IdNumberHint,
    PassportNumber,
    PassportNumberHint,
    PassportCountry,
    PassportExpiry,
    PassportExpiryHint,
    Mrz,
    MrzHint,
    Phone,
    PhoneHint,
    StatusPass,
    StatusWarn,
    StatusFail,
    StatusEmpty,
    Normalized,
    Privacy,
    Language,
    Summary,
    SummaryPending,
    SummaryReady,
    SummaryWarn,
    SummaryFail,
    Crashed,
    Restarted,
    Optional,
    Photos,
    PhotosIntro,
    SlotIdFront,
    SlotIdBack,
    SlotPassportData,
    SlotPassportVisa,
    SlotFace,
    SlotSelfie,
    HintIdFront,
    HintIdBack,
    HintPassportData,
    HintPassportVisa,
    HintFace,
    HintSelfie,
    ChoosePhoto,
    TakePhoto,
    DropHere,
    NoPhotoYet,
    Retake,
    Remove,
    Checking,
    CouldNotCheck,
    CheckResolution,
    CheckBrightness,
    CheckContrast,
    CheckBlur,
    CheckGlare,
    CheckColor,
    CheckDuplicate,
    CheckFraming,
    CheckFace,
    CheckSide,
    DuplicateOf,
    UploadSize,
    Review,
    ReviewMissing,
    Submit,
    SubmitBlocked,
    WarningsToConfirm,
    ConfirmSubmit,
    Submitted,
    /// The host's `data-photo-rules` could not be used (`{detail}`: why).
    RulesInvalid,
    /// The worker stopped or could not start.
    CheckerFailed,
    /// The built-in upload: its title, one line per phase and error, the bytes, the buttons.
    Upload,
    UploadFields,
    UploadTotal,
    UploadSending,
    /// `{seconds}`: until the retry, `{attempt}`: the failures so far.
    UploadWaiting,
    UploadPaused,
    UploadDone,
    UploadCancelled,
    UploadOffline,
    UploadNetwork,
    UploadTimeout,
    /// `{status}`: the HTTP status.
    UploadRefused,
    UploadTooLarge,
    /// `{detail}`: what the server's answer lacked.
    UploadProtocol,
    /// `{sent}` of `{total}`.
    UploadBytes,
    UploadRetry,
    UploadCancel,
    /// Everything typed and photographed is still here.
    UploadKept,
    /// The live camera: open it, its buttons and states, and why it could not be used.
    UseCamera,
    CameraShutter,
    CameraClose,
    CameraStarting,
    CameraSlow,
    CameraTaking,
    CameraUnsupported,
    CameraDenied,
    CameraNoCamera,
    CameraBusy,
    CameraFailed,
    MrzReadTitle,
    MrzReadBody,
    MrzReadName,
    MrzFill,
    IdReadTitle,
    IdReadBody,
    IdReadDiffers,
    IdFill,
    IdUse,
}

/// A UI text in `locale`.
#[must_use]
pub fn text(locale: Locale, t: Text) -> &'static str {
    match locale {
        Locale::ZhCn => zh_cn::text(t),
        Locale::En => en::text(t),
    }
}

/// The row title of a check (from the registry's ids, exhaustively).
#[must_use]
pub fn check_label(id: CheckId) -> Text {
    match id {
        CheckId::Resolution => Text::CheckResolution,
        CheckId::Brightness => Text::CheckBrightness,
        CheckId::Contrast => Text::CheckContrast,
        CheckId::Blur => Text::CheckBlur,
        CheckId::Glare => Text::CheckGlare,
        CheckId::Color => Text::CheckColor,
        CheckId::Framing => Text::CheckFraming,
        CheckId::Face => Text::CheckFace,
        CheckId::Side => Text::CheckSide,
    }
}

/// The label and hint of a slot.
#[must_use]
pub fn slot_texts(slot: Slot) -> (Text, Text) {
    match slot {
        Slot::IdFront => (Text::SlotIdFront, Text::HintIdFront),
        Slot::IdBack => (Text::SlotIdBack, Text::HintIdBack),
        Slot::PassportData => (Text::SlotPassportData, Text::HintPassportData),
        Slot::PassportVisa => (Text::SlotPassportVisa, Text::HintPassportVisa),
        Slot::Face => (Text::SlotFace, Text::HintFace),
        Slot::SelfieWithDocument => (Text::SlotSelfie, Text::HintSelfie),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates with placeholders have the same ones in both locales.
    #[test]
    fn placeholders_agree_between_locales() {
        let keys = |s: &str| -> Vec<String> {
            let mut k: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|r| r.split_once('}').map(|(k, _)| k.to_owned()))
                .collect();
            k.sort();
            k
        };
        for (t, want) in [
            (Text::DuplicateOf, vec!["slot"]),
            (Text::UploadSize, vec!["after", "before", "size"]),
            (Text::RulesInvalid, vec!["detail"]),
            (Text::UploadWaiting, vec!["attempt", "seconds"]),
            (Text::UploadRefused, vec!["status"]),
            (Text::UploadProtocol, vec!["detail"]),
            (Text::UploadBytes, vec!["sent", "total"]),
        ] {
            for locale in Locale::ALL {
                assert_eq!(keys(text(locale, t)), want, "{t:?} {locale:?}");
            }
        }
        for id in CheckId::ALL {
            for locale in Locale::ALL {
                assert!(!text(locale, check_label(id)).is_empty());
            }
        }
    }
}
