//! English (en) catalogue.

use crate::checks::photo::guidance::GuideCode;
use crate::checks::photo::PhotoCode;
use crate::checks::Code;

pub(super) fn issue(code: Code) -> &'static str {
    match code {
        Code::NameEmpty => "Enter your real name.",
        Code::NameTooLong => "The name is too long: at most {max} characters.",
        Code::NameDigits => "A name cannot contain digits.",
        Code::NameEmoji => "A name cannot contain emoji.",
        Code::NameMarkup => "A name cannot contain symbols such as < > & /.",
        Code::NameInvalidChar => "A name cannot contain “{char}”.",
        Code::NameSeparatorPosition => "The separator dot “·” goes between names, once.",
        Code::NameLatinPunctuation => "A Latin name starts and ends with a letter; no doubled punctuation.",
        Code::NameSingleChar => "Only one character: is this your full name?",
        Code::NameMixedScript => "The name mixes Chinese characters and letters: write it exactly as on your document.",
        Code::NameSpacesRemoved => "Spaces between Chinese characters were removed.",
        Code::NameDotsNormalized => "The separator dot was changed to “·”.",
        Code::NameWidthNormalized => "Full-width letters were changed to normal width.",
        Code::NameMrzStyle => "The “<<” form was changed to a name with spaces.",
        Code::IdEmpty => "Enter your ID card number.",
        Code::IdInvalidChar => "An ID number has only digits and a final X, not “{char}”.",
        Code::IdTooShort => "An ID number has 18 characters; you entered {count}.",
        Code::IdTooLong => "An ID number has 18 characters; you entered {count}. Check for an extra digit.",
        Code::IdFirstGeneration => "15-digit first-generation numbers are no longer valid: enter the 18-digit number on your current card.",
        Code::IdUpgradeSuggestion => "The matching 18-digit number is probably {suggestion}: compare it with your card.",
        Code::IdXPosition => "X can only be the last character of an ID number.",
        Code::IdRegionUnknown => "“{region}” is not a valid province code: check the first two digits.",
        Code::IdDateInvalid => "Digits 7–14 “{digits}” are not a real date of birth: check them.",
        Code::IdDateFuture => "The date of birth {date} is in the future: check digits 7–14.",
        Code::IdDateTooEarly => "The date of birth {date} is before 1900: check digits 7–14.",
        Code::IdCheckMismatch => "The check character does not match: a digit is probably mistyped or two are swapped. Check each digit.",
        Code::IdBirthDate => "Date of birth {date} (age {age}).",
        Code::IdResidencePermit => "Residence permit for Hong Kong, Macao or Taiwan residents.",
        Code::IdPermanentResidence => "Foreigner's permanent residence ID card.",
        Code::IdPhotoMismatch => "Differs from the number on your ID card photo ({photo}) in these positions: {positions}. Check those digits.",
        Code::PassportEmpty => "Enter your passport number.",
        Code::PassportInvalidChar => "A passport number has only letters and digits, not “{char}”.",
        Code::PassportTooShort => "A passport number has at least {min} characters.",
        Code::PassportTooLong => "A passport number has at most {max} characters.",
        Code::PassportChnLength => "A Chinese passport number has 9 characters; you entered {count}.",
        Code::PassportChnOldSeries => "This is an old-series number; all such passports have expired. Enter the number of a valid passport.",
        Code::PassportChnPattern => "This does not look like a Chinese passport number (usually starting with E): check it.",
        Code::PassportChnLetterForDigit => "The second character is never the letter O or I: did you mean {suggestion}?",
        Code::PassportRepeated => "All characters are the same: check the number.",
        Code::PassportFillerRemoved => "Trailing “<” characters were removed.",
        Code::PassportCountryInvalid => "“{country}” is not a country code: use 3 letters such as CHN.",
        Code::PhoneEmpty => "Enter your mobile number.",
        Code::PhoneInvalidChar => "A mobile number has only digits, not “{char}”.",
        Code::PhoneExtension => "Enter a mobile number without an extension.",
        Code::PhoneNotMainland => "Enter a mainland China mobile number (+86); {code} is not supported.",
        Code::PhoneNotMobile => "This is not a mobile number: an 11-digit number that can receive SMS is needed.",
        Code::PhoneInvalidPrefix => "Mobile numbers never start with “{prefix}”: check the number.",
        Code::PhoneDataOnly => "13-digit numbers starting with {prefix} are IoT numbers and cannot receive SMS.",
        Code::PhoneTooShort => "A mobile number has 11 digits; you entered {count}.",
        Code::PhoneTooLong => "A mobile number has 11 digits; you entered {count}.",
        Code::PhoneUnusualPrefix => "The {prefix} range is unusual and may not receive SMS: please confirm.",
        Code::PhonePrefixRemoved => "The country code or prefix was removed.",
        Code::ExpiryEmpty => "Enter the passport's expiry date.",
        Code::ExpiryInvalid => "Enter the expiry date as year-month-day.",
        Code::ExpiryPassed => "The passport expired on {date}: use a valid passport.",
        Code::ExpirySoon => "The passport expires on {date} ({days} days left, under {months} months): review may be affected.",
        Code::ExpiryValid => "Valid until {date}.",
        Code::MrzEmpty => "Optional: paste the two machine-readable lines from the bottom of the data page.",
        Code::MrzFormat => "The machine-readable zone is two lines of 44 characters (letters, digits and <).",
        Code::MrzNotPassport => "This is not a passport's machine-readable zone (it starts with P).",
        Code::MrzCheckNumber => "The passport number's check digit in the MRZ does not match: check it.",
        Code::MrzCheckBirth => "The date of birth's check digit in the MRZ does not match: check it.",
        Code::MrzCheckExpiry => "The expiry date's check digit in the MRZ does not match: check it.",
        Code::MrzCheckPersonal => "The personal number's check digit in the MRZ does not match: check it.",
        Code::MrzCheckComposite => "The final check digit of MRZ line 2 does not match: check it.",
        Code::MrzNumberMismatch => "The passport number differs from the MRZ ({mrz}).",
        Code::MrzExpiryMismatch => "The expiry date differs from the MRZ ({mrz}).",
        Code::MrzNameMismatch => "The name differs from the MRZ ({mrz}): please confirm.",
        Code::MrzCountryMismatch => "The selected issuing country differs from the MRZ ({mrz}).",
        Code::MrzExpired => "The MRZ shows the passport expired on {date}.",
        Code::MrzValid => "MRZ checks passed: {number}, valid until {expiry}.",
    }
}

pub(super) fn photo(code: PhotoCode) -> &'static str {
    match code {
        PhotoCode::ResolutionOk => "Resolution is enough.",
        PhotoCode::ResolutionLow => {
            "Low resolution: upload the camera original, not a screenshot or a compressed copy."
        }
        PhotoCode::ResolutionTooLow => {
            "Resolution too low: take the photo with your phone camera and upload the original."
        }
        PhotoCode::BrightnessOk => "Well lit.",
        PhotoCode::Dim => "A bit dark: retake in brighter light if you can.",
        PhotoCode::TooDark => "Too dark: retake in brighter light.",
        PhotoCode::Bright => "A bit bright: some areas are blown out; avoid direct light.",
        PhotoCode::TooBright => {
            "Too bright: the photo is blown out; avoid strong light or turn off the flash."
        }
        PhotoCode::ContrastOk => "Contrast is fine.",
        PhotoCode::LowContrast => "Low contrast: the photo looks washed out; retake in even light.",
        PhotoCode::NoContrast => "Almost no contrast: nothing can be read; retake the photo.",
        PhotoCode::Sharp => "Sharp.",
        PhotoCode::SlightlyBlurry => "Slightly blurry: hold the phone steady and let it focus.",
        PhotoCode::Blurry => "Blurry: hold the phone steady, tap to focus and retake.",
        PhotoCode::MotionBlur => "Motion blur: the phone moved during the shot; hold it still or rest it on the table and retake.",
        PhotoCode::SlightMotionBlur => "Slight motion blur: hold the phone still while taking the photo.",
        PhotoCode::NoDetail => {
            "Too little detail to judge sharpness: fill the frame with the document."
        }
        PhotoCode::NoGlare => "No glare.",
        PhotoCode::SomeGlare => {
            "Some glare: tilt the document slightly or move away from the light."
        }
        PhotoCode::Glare => {
            "Glare hides part of the photo: tilt the document, avoid lamps or turn off the flash."
        }
        PhotoCode::ColorOk => "In color.",
        PhotoCode::Grayscale => {
            "Looks like a black-and-white copy: photograph the original document in color."
        }
        PhotoCode::FramingOk => "The whole document is in the picture.",
        PhotoCode::NoDocument => "No document found: lay the whole document on a plain surface of a different color and photograph it from above.",
        PhotoCode::DocumentCutOff => "The document is cut off: keep the whole document in the picture, with a little space around each corner.",
        PhotoCode::DocumentNearEdge => "The document touches the edge of the picture: move back a little so every corner has some space.",
        PhotoCode::DocumentSmall => "The document's text is small: move a little closer so every line is easy to read.",
        PhotoCode::DocumentTooSmall => "The document is too small to read: move closer so it fills most of the frame.",
        PhotoCode::FaceOk => "Face found.",
        PhotoCode::NoFace => "No face found: face the camera with your whole face visible, in good light.",
        PhotoCode::SeveralFaces => "More than one face: only you should be in the photo.",
        PhotoCode::FaceSmall => "The face is small: move closer to the camera.",
        PhotoCode::SideOk => "The right page: its machine-readable zone was read.",
        PhotoCode::LooksLikeVisaPage => "This looks like a visa page: here, the passport's data page is needed (the page with your photo and the two machine-readable lines).",
        PhotoCode::LooksLikeDataPage => "This looks like the passport's data page: here, the visa page is needed.",
        PhotoCode::LooksLikePortraitSide => "This looks like the portrait side (人像面): here, the emblem side (国徽面) is needed.",
        PhotoCode::ErrorEmpty => "The file is empty: choose the photo again.",
        PhotoCode::ErrorUnsupportedFormat => {
            "Unsupported file type: upload a JPG, PNG or WebP photo."
        }
        PhotoCode::ErrorHeic => {
            "HEIC photos cannot be read here: set the camera to “Most Compatible” or export as JPG."
        }
        PhotoCode::ErrorCorrupt => {
            "The photo file is damaged or incomplete: take or choose it again."
        }
        PhotoCode::ErrorTooLarge => "The file is too large: upload a photo under {max_mb} MB.",
        PhotoCode::ErrorTooManyPixels => "The photo has too many pixels to check: upload one under {max_pixels}.",
        PhotoCode::ErrorUnreadable => "The file could not be read.",
    }
}

/// Live camera guidance: one short instruction, read at a glance.
pub(super) fn guide(code: GuideCode) -> &'static str {
    match code {
        GuideCode::NoDocument => "Show the whole document inside the frame.",
        GuideCode::CutOff => "Part of the document is outside the frame: move it to the centre.",
        GuideCode::TooClose => "Too close: move the phone back a little.",
        GuideCode::TooFar => "Too far: move closer.",
        GuideCode::TooDark => "Too dark: find more light.",
        GuideCode::TooBright => "Too bright: move out of direct light.",
        GuideCode::Glare => "Reflection: tilt the document slightly or move away from the light.",
        GuideCode::HoldStill => "Hold still…",
        GuideCode::Blurry => "Blurry: hold steady and let the camera focus.",
        GuideCode::NoFace => "Look at the camera, your whole face visible.",
        GuideCode::SeveralFaces => "Only you should be in the picture.",
        GuideCode::CentreFace => "Centre your face in the frame.",
        GuideCode::Good => "Good: hold still, taking the photo…",
    }
}
