//! The reducer, natively: what each action does to the form, with a plain upload handle.

use super::*;
use crate::checks::date::TEST_TODAY as TODAY;
use crate::checks::photo::{
    CheckId, CheckResult, Format, Metrics, PerceptualHash, PhotoCode, PhotoError, PhotoReport,
    Rules, RulesError, Slot,
};
use crate::checks::{Code, FieldKind, Status};
use crate::i18n::Locale;
use crate::protocol::{Checked, Job, UploadLimits, WorkerError};
use std::rc::Rc;

/// The upload handle of these tests: the upload-ready image's size, bytes.
#[derive(Clone, Debug, PartialEq)]
struct Upload(u32);

type State = FormState<Upload>;
type Act = Action<Upload>;

const MRZ: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";

fn new(visa: VisaPolicy) -> State {
    FormState::with_config(
        TODAY,
        Locale::ZhCn,
        Config {
            visa,
            ..Config::default()
        },
    )
}

/// A checked photo whose one check has `status`, with perceptual hash `hash`.
fn checked(status: Status, hash: u64) -> PhotoState {
    PhotoState::Checked(Rc::new(Checked {
        report: PhotoReport {
            slot: Slot::IdFront,
            width: 4032,
            height: 3024,
            checks: vec![CheckResult {
                id: CheckId::Blur,
                status,
                value: 1.0,
                threshold: Some(1.1),
                code: PhotoCode::Sharp,
            }],
            metrics: Metrics::default(),
            glare_boxes: vec![],
            document_quad: None,
            face_boxes: vec![],
            mrz: None,
            id_number: None,
        },
        hash: PerceptualHash(hash),
        original_bytes: 2.5e6,
        format: Format::Jpeg,
        decode_ms: 50.0,
        check_ms: 60.0,
    }))
}

fn corrupt() -> PhotoState {
    PhotoState::Failed(WorkerError::Photo {
        error: PhotoError::Corrupt {
            detail: "truncated".into(),
        },
    })
}

/// `action`'s next state; panics if it changed nothing.
fn step(s: &State, action: Act) -> State {
    let what = format!("{action:?}");
    s.next(action)
        .unwrap_or_else(|| panic!("{what} changed nothing"))
}

fn chosen(slot: Slot, job: u32) -> Act {
    Action::PhotoChosen {
        slot,
        job,
        name: format!("{job}.jpg"),
    }
}

/// Chooses, checks and prepares a photo for `slot` as job `job` (upload of `job` KB).
fn add(s: &State, slot: Slot, job: u32, state: PhotoState) -> State {
    let s = step(s, chosen(slot, job));
    let s = step(&s, Action::PhotoDone { job, state });
    step(
        &s,
        Action::PhotoPrepared {
            job,
            upload: Upload(job * 1000),
        },
    )
}

fn type_and_leave(s: &State, kind: FieldKind, value: &str) -> State {
    let s = step(s, Action::Input(kind, value.into()));
    step(&s, Action::Commit(kind))
}

fn id_card_fields(s: &State) -> State {
    let s = type_and_leave(s, FieldKind::Name, "张三");
    let s = type_and_leave(&s, FieldKind::IdNumber, "11010519491231002X");
    type_and_leave(&s, FieldKind::Phone, "13800138000")
}

fn passport_fields(s: &State) -> State {
    let s = step(s, Action::SetDoc(DocType::Passport));
    let s = type_and_leave(&s, FieldKind::Name, "张三");
    let s = type_and_leave(&s, FieldKind::PassportNumber, "E12345678");
    let s = type_and_leave(&s, FieldKind::PassportExpiry, "2031-05-01");
    type_and_leave(&s, FieldKind::Phone, "13800138000")
}

/// Distinct hashes (pairwise ≥ 16 bits apart), one per slot.
const H1: u64 = 0x0000_0000_0000_FFFF;
const H2: u64 = 0x0000_0000_FFFF_0000;
const H3: u64 = 0x0000_FFFF_0000_0000;
const H4: u64 = 0x7FFF_0000_0000_0000;

fn id_card_photos(s: &State) -> State {
    let s = add(s, Slot::IdFront, 10, checked(Status::Pass, H1));
    let s = add(&s, Slot::IdBack, 11, checked(Status::Pass, H2));
    let s = add(&s, Slot::Face, 12, checked(Status::Pass, H3));
    add(&s, Slot::SelfieWithDocument, 13, checked(Status::Pass, H4))
}

fn mrz_report(s: &State) -> &crate::checks::FieldReport {
    match s.shown(FieldKind::Mrz) {
        Shown::Full(r) | Shown::Typing(r) => r,
        Shown::Nothing => panic!("the MRZ shows nothing"),
    }
}

#[test]
fn typing_holds_back_unfinished_values_until_blur() {
    let s = State::new(TODAY, Locale::ZhCn);
    let s = step(&s, Action::Input(FieldKind::IdNumber, "1101011990".into()));
    assert_eq!(
        s.shown(FieldKind::IdNumber),
        &Shown::Nothing,
        "a keystroke alone shows nothing"
    );
    assert_eq!(s.value(FieldKind::IdNumber), "1101011990");
    let s = step(&s, Action::Settle(FieldKind::IdNumber));
    assert!(matches!(s.shown(FieldKind::IdNumber), Shown::Typing(_)));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        None,
        "too short while typing is not an error"
    );
    let s = step(&s, Action::Commit(FieldKind::IdNumber));
    assert!(matches!(s.shown(FieldKind::IdNumber), Shown::Full(_)));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        Some(Status::Fail)
    );
    let s = step(
        &s,
        Action::Input(FieldKind::IdNumber, "360426199101010071".into()),
    );
    // The message keeps showing the last check until typing settles.
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        Some(Status::Fail)
    );
    let s = step(&s, Action::Settle(FieldKind::IdNumber));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        Some(Status::Pass)
    );

    // Tabbing through an untouched field says nothing, and changes nothing.
    assert_eq!(s.next(Action::Commit(FieldKind::Phone)), None);
    assert_eq!(s.overall(), None, "name and phone have nothing to show");
    // Settling an emptied field clears its message; leaving it then fails it.
    let s = step(&s, Action::Input(FieldKind::IdNumber, "  ".into()));
    let s = step(&s, Action::Settle(FieldKind::IdNumber));
    assert_eq!(s.shown(FieldKind::IdNumber), &Shown::Nothing);
    let s = step(&s, Action::Input(FieldKind::Name, " ".into()));
    assert_eq!(s.next(Action::Commit(FieldKind::Name)), None);
    let s = type_and_leave(&s, FieldKind::Name, "张三");
    let s = type_and_leave(&s, FieldKind::Name, "");
    assert_eq!(shown_status(s.shown(FieldKind::Name)), Some(Status::Fail));
}

#[test]
fn the_mrz_is_rechecked_when_what_it_depends_on_changes() {
    let s = step(
        &State::new(TODAY, Locale::En),
        Action::SetDoc(DocType::Passport),
    );
    let s = type_and_leave(&s, FieldKind::PassportNumber, "A1234567");
    assert_eq!(
        shown_status(s.shown(FieldKind::PassportNumber)),
        Some(Status::Fail),
        "8 characters for CHN"
    );
    let s = step(&s, Action::SetCountry("USA".into()));
    assert_eq!(s.country, "USA");
    assert_eq!(
        shown_status(s.shown(FieldKind::PassportNumber)),
        Some(Status::Pass),
        "fine for USA"
    );

    let s = type_and_leave(&s, FieldKind::Mrz, MRZ);
    assert!(matches!(s.shown(FieldKind::Mrz), Shown::Full(_)));
    assert!(mrz_report(&s).has(Code::MrzNumberMismatch));
    assert!(mrz_report(&s).has(Code::MrzCountryMismatch), "USA vs UTO");
    // Typing the number the MRZ holds: re-checked when the number's typing settles.
    let s = step(
        &s,
        Action::Input(FieldKind::PassportNumber, "L898902C3".into()),
    );
    assert!(
        mrz_report(&s).has(Code::MrzNumberMismatch),
        "a keystroke alone re-checks nothing"
    );
    let s = step(&s, Action::Settle(FieldKind::PassportNumber));
    assert!(matches!(s.shown(FieldKind::Mrz), Shown::Full(_)));
    assert!(
        !mrz_report(&s).has(Code::MrzNumberMismatch),
        "MRZ re-checked"
    );
    // The country is not a field, but the MRZ depends on it too.
    let s = step(&s, Action::SetCountry("UTO".into()));
    assert!(!mrz_report(&s).has(Code::MrzCountryMismatch));
    assert!(mrz_report(&s).has(Code::MrzExpired), "expired in 2012");

    // A re-check keeps the MRZ's mode: while typing, it stays a typing check.
    let s = step(
        &State::new(TODAY, Locale::En),
        Action::SetDoc(DocType::Passport),
    );
    let s = step(&s, Action::Input(FieldKind::Mrz, MRZ.into()));
    let s = step(&s, Action::Settle(FieldKind::Mrz));
    assert!(matches!(s.shown(FieldKind::Mrz), Shown::Typing(_)));
    let s = step(
        &s,
        Action::Input(FieldKind::PassportNumber, "L898902C3".into()),
    );
    let s = step(&s, Action::Commit(FieldKind::PassportNumber));
    assert!(matches!(s.shown(FieldKind::Mrz), Shown::Typing(_)));
    assert!(!mrz_report(&s).has(Code::MrzNumberMismatch));

    // An MRZ never checked stays silent when the fields it depends on change.
    let s = step(
        &State::new(TODAY, Locale::En),
        Action::SetDoc(DocType::Passport),
    );
    let s = step(&s, Action::Input(FieldKind::Mrz, MRZ.into()));
    let s = type_and_leave(&s, FieldKind::Name, "ERIKSSON ANNA MARIA");
    let s = step(&s, Action::SetCountry("UTO".into()));
    assert_eq!(s.shown(FieldKind::Mrz), &Shown::Nothing);
}

#[test]
fn an_empty_mrz_passes_the_other_fields_are_required() {
    let s = passport_fields(&new(VisaPolicy::Optional));
    assert_eq!(s.overall(), Some(Status::Pass), "MRZ left empty");
    // Left half-way: the phone has nothing to show yet.
    let s = step(&s, Action::Input(FieldKind::Phone, String::new()));
    let s = step(&s, Action::Settle(FieldKind::Phone));
    assert_eq!(s.overall(), None);
    // A bad MRZ counts once it is there.
    let s = type_and_leave(&s, FieldKind::Phone, "13800138000");
    let s = type_and_leave(&s, FieldKind::Mrz, MRZ);
    assert_eq!(s.overall(), Some(Status::Fail));
    // The ID card's fields do not include the MRZ at all.
    let s = step(&s, Action::SetDoc(DocType::IdCard));
    let s = type_and_leave(&s, FieldKind::IdNumber, "11010519491231002X");
    assert_eq!(s.overall(), Some(Status::Pass));
}

#[test]
fn the_visa_page_follows_the_host_setting() {
    let optional = step(
        &new(VisaPolicy::Optional),
        Action::SetDoc(DocType::Passport),
    );
    assert_eq!(
        optional.slots(),
        [
            Slot::PassportData,
            Slot::PassportVisa,
            Slot::Face,
            Slot::SelfieWithDocument
        ]
    );
    assert!(optional.is_optional(Slot::PassportVisa));
    assert!(!optional.is_optional(Slot::PassportData));
    assert!(!optional.is_optional(Slot::Face));
    let required = step(
        &new(VisaPolicy::Required),
        Action::SetDoc(DocType::Passport),
    );
    assert_eq!(required.slots(), optional.slots());
    assert!(!required.is_optional(Slot::PassportVisa));
    let off = step(&new(VisaPolicy::Off), Action::SetDoc(DocType::Passport));
    assert_eq!(
        off.slots(),
        [Slot::PassportData, Slot::Face, Slot::SelfieWithDocument]
    );
    // The default is "optional".
    assert!(State::new(TODAY, Locale::En).is_optional(Slot::PassportVisa));
}

/// A passport form with everything but the visa page, under `visa`.
fn passport_without_visa(visa: VisaPolicy) -> State {
    let s = passport_fields(&new(visa));
    let s = add(&s, Slot::PassportData, 1, checked(Status::Pass, H1));
    let s = add(&s, Slot::Face, 2, checked(Status::Pass, H3));
    add(&s, Slot::SelfieWithDocument, 3, checked(Status::Pass, H4))
}

#[test]
fn an_optional_visa_page_may_stay_empty_a_required_one_may_not() {
    let s = passport_without_visa(VisaPolicy::Optional);
    assert_eq!(s.photo_status(Slot::PassportVisa), None);
    assert_eq!(s.readiness(), Status::Pass);
    // Once chosen it must be checked and ready like any other.
    let s = step(&s, chosen(Slot::PassportVisa, 4));
    assert_eq!(s.readiness(), Status::Fail, "still being checked");
    let s = step(
        &s,
        Action::PhotoDone {
            job: 4,
            state: checked(Status::Warn, H2),
        },
    );
    assert_eq!(s.readiness(), Status::Fail, "no upload-ready image yet");
    let s = step(
        &s,
        Action::PhotoPrepared {
            job: 4,
            upload: Upload(4000),
        },
    );
    assert_eq!(s.readiness(), Status::Warn);
    let s = step(&s, Action::PhotoRemoved(Slot::PassportVisa));
    assert_eq!(s.readiness(), Status::Pass);

    assert_eq!(
        passport_without_visa(VisaPolicy::Required).readiness(),
        Status::Fail
    );
    assert_eq!(
        passport_without_visa(VisaPolicy::Off).readiness(),
        Status::Pass
    );
}

#[test]
fn a_late_answer_for_a_replaced_photo_is_ignored() {
    let s = State::new(TODAY, Locale::ZhCn);
    let s = step(&s, chosen(Slot::IdFront, 1));
    let s = step(&s, chosen(Slot::IdFront, 2));
    assert_eq!(s.photos[&Slot::IdFront].job, 2);
    assert_eq!(s.photos[&Slot::IdFront].name, "2.jpg");
    let late = Action::PhotoDone {
        job: 1,
        state: checked(Status::Fail, H1),
    };
    assert_eq!(s.next(late), None);
    let late = Action::PhotoPrepared {
        job: 1,
        upload: Upload(1),
    };
    assert_eq!(s.next(late), None);
    assert_eq!(s.photos[&Slot::IdFront].state, PhotoState::Checking);
    assert_eq!(s.photo_status(Slot::IdFront), None);
    let s = step(
        &s,
        Action::PhotoDone {
            job: 2,
            state: checked(Status::Pass, H1),
        },
    );
    assert_eq!(s.photo_status(Slot::IdFront), Some(Status::Pass));
    assert_eq!(s.photos[&Slot::IdFront].upload, None);
    let s = step(
        &s,
        Action::PhotoPrepared {
            job: 2,
            upload: Upload(2),
        },
    );
    assert_eq!(s.photos[&Slot::IdFront].upload, Some(Upload(2)));
}

#[test]
fn removing_a_photo_empties_the_slot_and_its_late_answers_are_ignored() {
    let s = add(
        &State::new(TODAY, Locale::ZhCn),
        Slot::IdBack,
        7,
        checked(Status::Pass, H2),
    );
    let s = step(&s, chosen(Slot::Face, 8));
    let s = step(&s, Action::PhotoRemoved(Slot::Face));
    assert!(!s.photos.contains_key(&Slot::Face));
    assert_eq!(s.photo_status(Slot::Face), None);
    assert_eq!(
        s.next(Action::PhotoDone {
            job: 8,
            state: checked(Status::Pass, H3),
        }),
        None
    );
    // The other slot keeps its photo.
    assert_eq!(s.photos[&Slot::IdBack].job, 7);
    assert_eq!(s.photo_status(Slot::IdBack), Some(Status::Pass));
    let s = step(&s, Action::PhotoRemoved(Slot::IdBack));
    assert!(s.photos.is_empty());
}

#[test]
fn submit_needs_everything_and_a_confirmation_for_warnings() {
    let s = id_card_fields(&State::new(TODAY, Locale::ZhCn));
    assert_eq!(s.overall(), Some(Status::Pass));
    // Photos missing: blocked, and Submit does nothing.
    assert_eq!(s.readiness(), Status::Fail);
    assert_eq!(s.next(Action::Submit), None);
    assert_eq!(
        s.next(Action::ConfirmSubmit).map(|s| s.submitted),
        Some(false)
    );

    let s = add(&s, Slot::IdFront, 10, checked(Status::Pass, H1));
    let s = add(&s, Slot::IdBack, 11, checked(Status::Warn, H2));
    let s = add(&s, Slot::Face, 12, checked(Status::Pass, H3));
    // Checked but its upload image not made yet: still blocked.
    let s = step(&s, chosen(Slot::SelfieWithDocument, 13));
    let s = step(
        &s,
        Action::PhotoDone {
            job: 13,
            state: checked(Status::Pass, H4),
        },
    );
    assert_eq!(s.photo_status(Slot::SelfieWithDocument), Some(Status::Pass));
    assert_eq!(s.readiness(), Status::Fail);
    let s = step(
        &s,
        Action::PhotoPrepared {
            job: 13,
            upload: Upload(13),
        },
    );
    assert_eq!(s.readiness(), Status::Warn);
    let s = step(&s, Action::Submit);
    assert!(
        s.confirming && !s.submitted,
        "a warning asks for confirmation"
    );
    // Switching the language keeps the question open.
    let s = step(&s, Action::SetLocale(Locale::En));
    assert!(s.confirming);
    let s = step(&s, Action::ConfirmSubmit);
    assert!(s.submitted);
    let s = step(&s, Action::SetLocale(Locale::ZhCn));
    assert!(s.submitted, "a language switch is not an edit");
    // Any edit takes the submission back.
    let s = step(&s, Action::PhotoRemoved(Slot::IdBack));
    assert!(!s.submitted && !s.confirming);
    assert_eq!(s.readiness(), Status::Fail);
}

#[test]
fn without_warnings_submit_hands_over_at_once() {
    let s = id_card_photos(&id_card_fields(&State::new(TODAY, Locale::ZhCn)));
    assert_eq!(s.readiness(), Status::Pass);
    let s = step(&s, Action::Submit);
    assert!(s.submitted && !s.confirming);
    let s = step(&s, Action::Input(FieldKind::Phone, "13800138001".into()));
    assert!(!s.submitted, "typing takes it back");
    let s = step(&s, Action::Submit);
    assert!(s.submitted);
    let s = step(&s, Action::SetCountry("USA".into()));
    assert!(!s.submitted, "so does any other edit");
}

#[test]
fn the_same_photo_in_two_slots_fails_both() {
    let s = State::new(TODAY, Locale::ZhCn);
    let s = add(&s, Slot::IdFront, 20, checked(Status::Pass, 0b1011_0110));
    let s = add(&s, Slot::IdBack, 21, checked(Status::Pass, 0b1011_0111));
    let s = add(
        &s,
        Slot::Face,
        22,
        checked(Status::Pass, 0x7FFF_FFFF_0000_0000),
    );
    let d = s.duplicates();
    assert_eq!(
        d.into_iter().collect::<Vec<_>>(),
        [(Slot::IdFront, Slot::IdBack), (Slot::IdBack, Slot::IdFront)]
    );
    assert_eq!(s.photo_status(Slot::IdFront), Some(Status::Fail));
    assert_eq!(s.photo_status(Slot::IdBack), Some(Status::Fail));
    assert_eq!(s.photo_status(Slot::Face), Some(Status::Pass));
    // A photo being checked is not compared yet.
    let s = step(&s, chosen(Slot::IdBack, 23));
    assert!(s.duplicates().is_empty());
    assert_eq!(s.photo_status(Slot::IdFront), Some(Status::Pass));
    let s = step(
        &s,
        Action::PhotoDone {
            job: 23,
            state: checked(Status::Pass, 0b1011_0110),
        },
    );
    assert_eq!(s.duplicates().get(&Slot::IdFront), Some(&Slot::IdBack));
    // A photo that could not be checked fails too.
    let s = step(
        &s,
        Action::PhotoDone {
            job: 22,
            state: corrupt(),
        },
    );
    assert_eq!(s.photo_status(Slot::Face), Some(Status::Fail));
    // Hidden slots do not count: a passport shopper's ID photos are not compared.
    let s = step(&s, Action::SetDoc(DocType::Passport));
    assert!(s.duplicates().is_empty());
    let s = add(
        &s,
        Slot::PassportData,
        24,
        checked(Status::Pass, 0b1011_0110),
    );
    assert!(s.duplicates().is_empty(), "the ID front is hidden");
    assert_eq!(s.photo_status(Slot::PassportData), Some(Status::Pass));
    // Back on the ID card, the photos are still there, and still the same.
    let s = step(&s, Action::SetDoc(DocType::IdCard));
    assert_eq!(s.duplicates().get(&Slot::IdBack), Some(&Slot::IdFront));
}

#[test]
fn a_photo_that_could_not_be_checked_blocks_submitting() {
    let s = id_card_photos(&id_card_fields(&State::new(TODAY, Locale::ZhCn)));
    let s = add(&s, Slot::Face, 30, corrupt());
    assert_eq!(s.photo_status(Slot::Face), Some(Status::Fail));
    assert_eq!(s.readiness(), Status::Fail);
    let s = add(&s, Slot::Face, 31, checked(Status::Fail, H3));
    assert_eq!(s.readiness(), Status::Fail, "a failing photo blocks too");
    let s = add(&s, Slot::Face, 32, checked(Status::Pass, H3));
    assert_eq!(s.readiness(), Status::Pass);
}

#[test]
fn switching_the_document_keeps_what_was_typed_and_chosen() {
    let s = id_card_photos(&id_card_fields(&new(VisaPolicy::Optional)));
    assert_eq!(s.readiness(), Status::Pass);
    let s = step(&s, Action::SetDoc(DocType::Passport));
    assert_eq!(s.overall(), None, "passport number and expiry are empty");
    assert_eq!(s.readiness(), Status::Fail, "and the passport page missing");
    assert_eq!(s.value(FieldKind::IdNumber), "11010519491231002X");
    let s = type_and_leave(&s, FieldKind::PassportNumber, "E12345678");
    let s = type_and_leave(&s, FieldKind::PassportExpiry, "2031-05-01");
    assert_eq!(s.overall(), Some(Status::Pass));
    let s = add(&s, Slot::PassportData, 40, checked(Status::Pass, H1 << 1));
    assert_eq!(s.readiness(), Status::Pass, "face and selfie are shared");
    let s = step(&s, Action::SetDoc(DocType::IdCard));
    assert_eq!(s.readiness(), Status::Pass);
    assert_eq!(s.photos.len(), 5);
}

#[test]
fn the_review_lists_fields_then_slots_with_their_status() {
    let s = step(
        &new(VisaPolicy::Optional),
        Action::SetDoc(DocType::Passport),
    );
    let s = type_and_leave(&s, FieldKind::Name, "张三");
    let s = type_and_leave(&s, FieldKind::PassportExpiry, "2026-12-01");
    let s = add(&s, Slot::Face, 50, checked(Status::Warn, H3));
    let s = step(&s, chosen(Slot::SelfieWithDocument, 51));
    let item = |what, status, optional| ReviewItem {
        what,
        status,
        optional,
    };
    assert_eq!(
        s.review(),
        [
            item(Reviewed::Field(FieldKind::Name), Some(Status::Pass), false),
            item(Reviewed::Field(FieldKind::PassportNumber), None, false),
            item(
                Reviewed::Field(FieldKind::PassportExpiry),
                Some(Status::Warn),
                false
            ),
            item(Reviewed::Field(FieldKind::Mrz), None, true),
            item(Reviewed::Field(FieldKind::Phone), None, false),
            item(Reviewed::Photo(Slot::PassportData), None, false),
            item(Reviewed::Photo(Slot::PassportVisa), None, true),
            item(Reviewed::Photo(Slot::Face), Some(Status::Warn), false),
            item(Reviewed::Photo(Slot::SelfieWithDocument), None, false),
        ]
    );
}

#[test]
fn slot_views_carry_what_each_card_shows() {
    let s = step(
        &new(VisaPolicy::Required),
        Action::SetDoc(DocType::Passport),
    );
    let s = add(&s, Slot::PassportData, 60, checked(Status::Pass, H1));
    let s = add(&s, Slot::PassportVisa, 61, checked(Status::Pass, H1));
    let s = step(&s, chosen(Slot::Face, 62));
    let views = s.slot_views();
    let slots: Vec<Slot> = views.iter().map(|v| v.slot).collect();
    assert_eq!(slots, s.slots());
    assert_eq!(views[0].duplicate_of, Some(Slot::PassportVisa));
    assert_eq!(views[1].duplicate_of, Some(Slot::PassportData));
    assert_eq!(views[0].status, Some(Status::Fail));
    assert!(!views[1].optional, "required by the host");
    let data = views[0].entry.as_ref().unwrap_or_else(|| panic!("entry"));
    assert_eq!((data.job, data.name.as_str()), (60, "60.jpg"));
    assert_eq!(data.upload, Some(Upload(60_000)));
    let face = views[2].entry.as_ref().unwrap_or_else(|| panic!("entry"));
    assert_eq!(face.state, PhotoState::Checking);
    assert_eq!((views[2].status, views[2].duplicate_of), (None, None));
    assert_eq!(views[3].entry, None);
}

#[test]
fn the_submission_has_normalized_fields_and_the_ready_photos() {
    let s = State::new(TODAY, Locale::ZhCn);
    let s = type_and_leave(&s, FieldKind::Name, "  张三 ");
    let s = type_and_leave(&s, FieldKind::IdNumber, "11010519491231002x");
    let s = type_and_leave(&s, FieldKind::Phone, "+86 138 0013 8000");
    let s = add(&s, Slot::IdBack, 2, checked(Status::Warn, H2));
    let s = add(&s, Slot::IdFront, 1, checked(Status::Pass, H1));
    let s = step(&s, chosen(Slot::Face, 3));
    let s = step(
        &s,
        Action::PhotoDone {
            job: 3,
            state: checked(Status::Pass, H3),
        },
    );
    let s = add(&s, Slot::PassportData, 4, checked(Status::Pass, H4));
    let sub = s.submission();
    assert_eq!(sub.document, DocType::IdCard);
    assert_eq!(sub.country, "CHN");
    assert_eq!(
        sub.fields,
        [
            (FieldKind::Name, "张三".to_owned()),
            (FieldKind::IdNumber, "11010519491231002X".to_owned()),
            (FieldKind::Phone, "13800138000".to_owned()),
        ]
    );
    // In slot order; the face has no upload-ready image, the passport page is hidden.
    assert_eq!(
        sub.photos,
        [
            SubmittedPhoto {
                slot: Slot::IdFront,
                upload: Upload(1000),
                status: Status::Pass,
            },
            SubmittedPhoto {
                slot: Slot::IdBack,
                upload: Upload(2000),
                status: Status::Warn,
            },
        ]
    );
}

#[test]
fn invalid_host_rules_fail_a_chosen_photo_instead_of_checking_it() {
    let config = Config {
        rules: Err(RulesError("unknown field `blurr`".into())),
        ..Config::default()
    };
    let error = WorkerError::Config {
        detail: "unknown field `blurr`".into(),
    };
    assert_eq!(config.job(5, Slot::Face), Err(error.clone()));
    let s: State = FormState::with_config(TODAY, Locale::En, config);
    let s = step(&s, chosen(Slot::Face, 5));
    let s = step(
        &s,
        Action::PhotoDone {
            job: 5,
            state: PhotoState::Failed(error.clone()),
        },
    );
    assert_eq!(s.photos[&Slot::Face].state, PhotoState::Failed(error));
    assert_eq!(s.photo_status(Slot::Face), Some(Status::Fail));

    // Valid rules make a job with them and the upload limits.
    let config = Config {
        upload: UploadLimits {
            max_long_side: 1600,
            max_bytes: 900_000,
        },
        ..Config::default()
    };
    assert_eq!(
        config.job(6, Slot::IdBack),
        Ok(Job {
            id: 6,
            slot: Slot::IdBack,
            rules: Rules::default(),
            upload: UploadLimits {
                max_long_side: 1600,
                max_bytes: 900_000,
            },
        })
    );
}

#[test]
fn reduce_returns_the_same_state_when_nothing_changes() {
    let s = id_card_fields(&State::new(TODAY, Locale::ZhCn));
    assert_eq!(s.reduce(Action::Submit), s);
    let typed = s.reduce(Action::Input(FieldKind::Phone, "139".into()));
    assert_eq!(typed.value(FieldKind::Phone), "139");
    assert_eq!(typed.value(FieldKind::Name), "张三");
}

#[test]
fn the_embed_config_limits_documents_and_required_slots() {
    let host = crate::form::HostConfig::from_json(
        r#"{"documents":["passport"],"required":["passport-data"],"passportVisa":"off"}"#,
    )
    .unwrap();
    let s: State = FormState::with_config(TODAY, Locale::En, host.config);
    assert_eq!(s.doc, DocType::Passport, "the only document offered");
    assert_eq!(
        s.slots(),
        [Slot::PassportData, Slot::Face, Slot::SelfieWithDocument]
    );
    assert!(!s.is_optional(Slot::PassportData));
    assert!(s.is_optional(Slot::Face));
    assert!(s.is_optional(Slot::SelfieWithDocument));
    // The ID card is not offered: choosing it changes nothing.
    assert!(s.next(Action::SetDoc(DocType::IdCard)).is_none());
    // With the fields done and the one required photo checked, it is ready.
    let s = passport_fields(&s);
    assert_eq!(s.readiness(), Status::Fail, "the data page is missing");
    let s = add(&s, Slot::PassportData, 1, checked(Status::Pass, H1));
    assert_eq!(s.readiness(), Status::Pass);
}

/// A checked passport data page whose zone was read (`Some`) or not.
fn passport_photo(mrz: Option<&str>) -> PhotoState {
    let PhotoState::Checked(c) = checked(Status::Pass, 7) else {
        unreachable!()
    };
    let mut c = (*c).clone();
    c.report.slot = Slot::PassportData;
    c.report.mrz = mrz.map(|text| {
        let (l1, l2) = text.split_once('\n').unwrap_or((text, ""));
        crate::checks::photo::ocr::MrzRead {
            kind: crate::checks::photo::ocr::MrzKind::Passport,
            lines: [l1.trim().to_owned(), l2.trim().to_owned()],
            checks_hold: true,
            min_score: 0.9,
            min_margin: 0.1,
            unclear: vec![],
        }
    });
    PhotoState::Checked(Rc::new(c))
}

#[test]
fn a_zone_read_from_the_photo_is_cross_checked_with_the_typed_fields() {
    let s = step(&new(VisaPolicy::Off), Action::SetDoc(DocType::Passport));
    // The shopper typed the number with two characters swapped.
    let s = type_and_leave(&s, FieldKind::PassportNumber, "L898920C3");
    let s = add(&s, Slot::PassportData, 1, passport_photo(Some(MRZ)));
    assert!(s.mrz_from_photo);
    assert_eq!(s.value(FieldKind::Mrz), MRZ.replace(' ', ""));
    let r = mrz_report(&s);
    assert!(r.has(Code::MrzNumberMismatch), "{r:?}");
    // The offer: the read number, expiry and issuing state (the specimen state UTO).
    let offer = s.mrz_offer().unwrap_or_else(|| panic!("no offer"));
    assert_eq!(
        (offer.number.as_str(), offer.expiry.as_str(), offer.country),
        ("L898902C3", "2012-04-15", Some("UTO".to_owned()))
    );
    assert_eq!(offer.name.as_deref(), Some("ERIKSSON ANNA MARIA"));
    let s = step(&s, Action::FillFromMrz);
    assert_eq!(s.value(FieldKind::PassportNumber), "L898902C3");
    assert_eq!(s.value(FieldKind::PassportExpiry), "2012-04-15");
    assert!(!mrz_report(&s).has(Code::MrzNumberMismatch));
    assert!(!mrz_report(&s).has(Code::MrzNameMismatch));
    assert_eq!(s.mrz_offer(), None, "everything agrees now");
    assert_eq!(s.next(Action::FillFromMrz), None);
    // Removing the photo takes its zone away.
    let s = step(&s, Action::PhotoRemoved(Slot::PassportData));
    assert_eq!((s.value(FieldKind::Mrz), s.mrz_from_photo), ("", false));
    assert_eq!(s.shown(FieldKind::Mrz), &Shown::Nothing);
}

#[test]
fn a_typed_zone_is_never_replaced_and_an_unread_photo_says_nothing() {
    let s = step(&new(VisaPolicy::Off), Action::SetDoc(DocType::Passport));
    let typed = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let s = type_and_leave(&s, FieldKind::Mrz, typed);
    let other = MRZ.replace("ERIKSSON", "ERIKSSEN");
    let s = add(&s, Slot::PassportData, 1, passport_photo(Some(&other)));
    assert_eq!(s.value(FieldKind::Mrz), typed);
    assert!(!s.mrz_from_photo);
    assert_eq!(s.mrz_offer(), None, "a typed zone offers nothing");
    // Nothing read: nothing changes, nothing is offered.
    let s = step(&new(VisaPolicy::Off), Action::SetDoc(DocType::Passport));
    let s = add(&s, Slot::PassportData, 2, passport_photo(None));
    assert_eq!((s.value(FieldKind::Mrz), s.mrz_offer()), ("", None));
    // A read zone, then a new photo with nothing read: the old zone goes.
    let s = add(&s, Slot::PassportData, 3, passport_photo(Some(MRZ)));
    assert!(s.mrz_from_photo);
    let s = add(&s, Slot::PassportData, 4, passport_photo(None));
    assert_eq!((s.value(FieldKind::Mrz), s.mrz_from_photo), ("", false));
}

/// A checked ID card portrait side whose number line was read (`Some`) or not.
fn id_front_photo(number: Option<&str>) -> PhotoState {
    let PhotoState::Checked(c) = checked(Status::Pass, 9) else {
        unreachable!()
    };
    let mut c = (*c).clone();
    c.report.id_number = number.map(str::to_owned);
    PhotoState::Checked(Rc::new(c))
}

/// The ID number field's current message's issue codes.
fn id_codes(s: &State) -> Vec<Code> {
    match s.shown(FieldKind::IdNumber) {
        Shown::Full(r) | Shown::Typing(r) => r.issues.iter().map(|i| i.code).collect(),
        Shown::Nothing => vec![],
    }
}

#[test]
fn a_number_read_from_the_id_photo_names_the_digits_typed_differently() {
    let read = "11010519491231002X";
    // Typed first, photo second: the shown field is re-checked when the photo arrives.
    let s = type_and_leave(
        &new(VisaPolicy::Off),
        FieldKind::IdNumber,
        "110105194912130020",
    );
    assert!(!id_codes(&s).contains(&Code::IdPhotoMismatch));
    let s = add(&s, Slot::IdFront, 1, id_front_photo(Some(read)));
    let report = s.report(FieldKind::IdNumber);
    let mismatch = report
        .issues
        .iter()
        .find(|i| i.code == Code::IdPhotoMismatch);
    assert_eq!(
        mismatch.map(|i| i.params.clone()),
        Some(vec![
            ("photo", read.to_owned()),
            ("positions", "13,14,18".to_owned())
        ])
    );
    assert!(
        id_codes(&s).contains(&Code::IdPhotoMismatch),
        "shown at once"
    );
    let offer = s.id_number_offer();
    assert_eq!(
        offer.map(|o| (o.number, o.differs_at)),
        Some((read.to_owned(), vec![13, 14, 18]))
    );
    // "Use the number from the photo": the field takes it, the warning and offer go.
    let s = step(&s, Action::FillFromIdPhoto);
    assert_eq!(s.value(FieldKind::IdNumber), read);
    assert!(!id_codes(&s).contains(&Code::IdPhotoMismatch));
    assert_eq!(s.report(FieldKind::IdNumber).status(), Status::Pass);
    assert_eq!(s.id_number_offer(), None);
    assert_eq!(s.next(Action::FillFromIdPhoto), None);
    // Removing the photo takes the cross-check away.
    let s = type_and_leave(&s, FieldKind::IdNumber, "110105194912130020");
    let s = step(&s, Action::PhotoRemoved(Slot::IdFront));
    assert!(!id_codes(&s).contains(&Code::IdPhotoMismatch));
    assert_eq!(s.id_number_offer(), None);
}

#[test]
fn an_id_photo_read_fills_an_empty_field_and_an_unread_one_says_nothing() {
    let read = "11010519491231002X";
    let s = add(
        &new(VisaPolicy::Off),
        Slot::IdFront,
        1,
        id_front_photo(Some(read)),
    );
    let offer = s.id_number_offer();
    assert_eq!(
        offer.map(|o| (o.number, o.differs_at)),
        Some((read.to_owned(), vec![]))
    );
    assert_eq!(
        s.value(FieldKind::IdNumber),
        "",
        "nothing is filled in unasked"
    );
    let s = step(&s, Action::FillFromIdPhoto);
    assert_eq!(s.value(FieldKind::IdNumber), read);
    // A typed number equal to the read one, in lower case with spaces: no offer.
    let s = type_and_leave(&s, FieldKind::IdNumber, "110105 19491231 002x");
    assert_eq!(s.id_number_offer(), None);
    // Nothing read: nothing offered, no cross-check.
    let s = add(&s, Slot::IdFront, 2, id_front_photo(None));
    assert_eq!(s.id_number_offer(), None);
    // A read on the passport form is not this form's business.
    let s = add(
        &new(VisaPolicy::Off),
        Slot::IdFront,
        3,
        id_front_photo(Some(read)),
    );
    let s = step(&s, Action::SetDoc(DocType::Passport));
    assert_eq!((s.photo_id_number(), s.id_number_offer()), (None, None));
}
