//! Browser tests of the glue (wasm-bindgen-test in headless Chromium): the JS API, the form
//! reducer and the mounted app.
#![cfg(target_arch = "wasm32")]

use id_precheck::checks::{Date, FieldKind, Status};
use id_precheck::i18n::Locale;
use id_precheck::js_api::{message_catalogue, validate_field};
use id_precheck::ui::state::{shown_status, Action, DocType, FormState, Shown};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn js_api_returns_the_report_object() {
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"locale".into(), &"en".into()).ok();
    let r = validate_field("id-number", "360426199101010070", opts.into())
        .ok()
        .unwrap_or_default();
    assert_eq!(get(&r, "status").as_string().as_deref(), Some("fail"));
    assert_eq!(get(&r, "kind").as_string().as_deref(), Some("id-number"));
    let issues: js_sys::Array = get(&r, "issues").dyn_into().unwrap_or_default();
    let first = issues.get(0);
    assert_eq!(
        get(&first, "code").as_string().as_deref(),
        Some("id-number.check-mismatch")
    );
    assert!(get(&first, "message")
        .as_string()
        .unwrap_or_default()
        .contains("mistyped"));

    let r = validate_field("phone", "+86 138 0013 8000", JsValue::UNDEFINED)
        .ok()
        .unwrap_or_default();
    assert_eq!(
        get(&r, "normalized").as_string().as_deref(),
        Some("13800138000")
    );

    assert!(validate_field("shoe-size", "1", JsValue::UNDEFINED).is_err());
    let bad_locale = js_sys::Object::new();
    js_sys::Reflect::set(&bad_locale, &"locale".into(), &"fr".into()).ok();
    assert!(validate_field("name", "张三", bad_locale.into()).is_err());

    let cat = message_catalogue("zh-CN").ok().unwrap_or_default();
    assert!(get(&cat, "phone.data-only")
        .as_string()
        .unwrap_or_default()
        .contains("短信"));
}

fn reduce(state: Rc<FormState>, action: Action) -> Rc<FormState> {
    state.reduce(action)
}

#[wasm_bindgen_test]
fn reducer_holds_back_unfinished_values_until_blur() {
    let today = Date {
        year: 2026,
        month: 11,
        day: 28,
    };
    let s = Rc::new(FormState::new(today, Locale::ZhCn));
    let s = reduce(s, Action::Input(FieldKind::IdNumber, "1101011990".into()));
    assert_eq!(
        s.shown(FieldKind::IdNumber),
        &Shown::Nothing,
        "a keystroke alone shows nothing"
    );
    let s = reduce(s, Action::Settle(FieldKind::IdNumber));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        None,
        "too short while typing is not an error"
    );
    let s = reduce(s, Action::Commit(FieldKind::IdNumber));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        Some(Status::Fail)
    );
    let s = reduce(
        s,
        Action::Input(FieldKind::IdNumber, "360426199101010071".into()),
    );
    let s = reduce(s, Action::Settle(FieldKind::IdNumber));
    assert_eq!(
        shown_status(s.shown(FieldKind::IdNumber)),
        Some(Status::Pass)
    );

    // Tabbing through an untouched field says nothing.
    let s = reduce(s, Action::Commit(FieldKind::Phone));
    assert_eq!(s.shown(FieldKind::Phone), &Shown::Nothing);
    assert_eq!(s.overall(), None);
}

#[wasm_bindgen_test]
fn reducer_rechecks_dependents() {
    let today = Date {
        year: 2026,
        month: 11,
        day: 28,
    };
    let mut s = Rc::new(FormState::new(today, Locale::En));
    s = reduce(s, Action::SetDoc(DocType::Passport));
    s = reduce(
        s,
        Action::Input(FieldKind::PassportNumber, "A1234567".into()),
    );
    s = reduce(s, Action::Commit(FieldKind::PassportNumber));
    assert_eq!(
        shown_status(s.shown(FieldKind::PassportNumber)),
        Some(Status::Fail),
        "8 characters for CHN"
    );
    s = reduce(s, Action::SetCountry("USA".into()));
    assert_eq!(
        shown_status(s.shown(FieldKind::PassportNumber)),
        Some(Status::Pass),
        "fine for USA"
    );

    let mrz = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    s = reduce(s, Action::Input(FieldKind::Mrz, mrz.into()));
    s = reduce(s, Action::Commit(FieldKind::Mrz));
    let mrz_report = |s: &FormState| match s.shown(FieldKind::Mrz) {
        Shown::Full(r) => r.clone(),
        other => panic!("{other:?}"),
    };
    assert!(mrz_report(&s).has(id_precheck::checks::Code::MrzNumberMismatch));
    s = reduce(
        s,
        Action::Input(FieldKind::PassportNumber, "L898902C3".into()),
    );
    s = reduce(s, Action::Settle(FieldKind::PassportNumber));
    assert!(
        !mrz_report(&s).has(id_precheck::checks::Code::MrzNumberMismatch),
        "MRZ re-checked"
    );
}

#[wasm_bindgen_test]
async fn app_mounts_with_the_dom_contract() {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = doc.create_element("div").expect("div");
    doc.body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<id_precheck::ui::app::App>::with_root(root.clone()).render();
    // Let Yew render.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .ok();
    gloo_timers_sleep(50).await;
    for name in ["name", "id-number", "phone"] {
        assert!(
            root.query_selector(&format!("input[name='{name}']"))
                .ok()
                .flatten()
                .is_some(),
            "{name}"
        );
        let msg = root
            .query_selector(&format!("[data-field='{name}']"))
            .ok()
            .flatten()
            .expect("message");
        assert_eq!(msg.get_attribute("data-status").as_deref(), Some("empty"));
        assert_eq!(msg.get_attribute("aria-live").as_deref(), Some("polite"));
    }
    assert!(root
        .query_selector("button[data-action='locale'][data-locale='en']")
        .ok()
        .flatten()
        .is_some());
}

async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.ok();
}

#[wasm_bindgen_test]
fn analyze_photo_checks_pixels_and_rejects_bad_input() {
    use id_precheck::js_api::analyze_photo;
    // A 1280×960 "photo": sharp coloured squares on a mid-grey table.
    let (w, h) = (1280u32, 960u32);
    let mut px = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let square = (x / 40 + y / 40) % 2 == 0;
            let v = if square {
                [200, 60, 40, 255]
            } else {
                [90, 110, 150, 255]
            };
            px.extend_from_slice(&v);
        }
    }
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"locale".into(), &"zh-CN".into()).ok();
    let r = analyze_photo(&px, w, h, 4032, 3024, "id-front", opts.into())
        .ok()
        .unwrap_or_default();
    let checks: js_sys::Array = get(&r, "checks").dyn_into().unwrap_or_default();
    assert_eq!(checks.length(), 7);
    let ids: Vec<String> = checks
        .iter()
        .filter_map(|c| get(&c, "id").as_string())
        .collect();
    assert_eq!(
        ids,
        [
            "resolution",
            "brightness",
            "contrast",
            "blur",
            "glare",
            "color",
            "framing"
        ]
    );
    // The resolution check uses the original size the page passes, not the decoded one.
    assert_eq!(get(&checks.get(0), "value").as_f64(), Some(3024.0));
    assert_eq!(
        get(&checks.get(3), "status").as_string().as_deref(),
        Some("pass"),
        "sharp squares"
    );
    assert!(get(&checks.get(0), "message")
        .as_string()
        .unwrap_or_default()
        .contains("分辨率"));

    // Wrong buffer size, unknown slot, bad rules: thrown errors, not panics.
    assert!(analyze_photo(&px[..100], w, h, w, h, "id-front", JsValue::UNDEFINED).is_err());
    assert!(analyze_photo(&px, w, h, w, h, "selfie", JsValue::UNDEFINED).is_err());
    let bad =
        js_sys::JSON::parse(r#"{"rules": {"all": {"blurr": {}}}}"#).unwrap_or(JsValue::UNDEFINED);
    assert!(analyze_photo(&px, w, h, w, h, "face", bad).is_err());
}

mod photo_flow {
    use super::*;
    use id_precheck::checks::photo::{PerceptualHash, PhotoCode, Slot};
    use id_precheck::ui::photo_state::{
        CheckView, CheckedPhoto, Config, PhotoState, PreparedUpload, ReportView, VisaPolicy,
    };
    use id_precheck::worker::Prepared;

    fn today() -> Date {
        Date {
            year: 2026,
            month: 11,
            day: 28,
        }
    }

    fn checked(status: Status, hash: u64) -> PhotoState {
        PhotoState::Checked(Rc::new(CheckedPhoto {
            report: ReportView {
                width: 4032,
                height: 3024,
                status,
                checks: vec![CheckView {
                    id: "blur".into(),
                    status,
                    value: 1.0,
                    threshold: Some(1.1),
                    code: "photo.sharp".into(),
                }],
                glare_boxes: vec![],
                document_quad: None,
                face_boxes: vec![],
            },
            hash: PerceptualHash(hash),
            original_bytes: 2.5e6,
            timings: [50.0, 60.0],
        }))
    }

    fn upload() -> Rc<PreparedUpload> {
        let blob = web_sys::Blob::new().unwrap_or_else(|_| panic!("blob"));
        Rc::new(
            PreparedUpload::from_worker(Prepared {
                upload: blob,
                width: 2560,
                height: 1920,
                encode_ms: 100.0,
            })
            .unwrap_or_else(|| panic!("object URL")),
        )
    }

    /// Chooses, checks and prepares a photo for `slot` as job `job`.
    fn add(s: Rc<FormState>, slot: Slot, job: u32, state: PhotoState) -> Rc<FormState> {
        let s = reduce(
            s,
            Action::PhotoChosen {
                slot,
                job,
                name: format!("{job}.jpg"),
            },
        );
        let s = reduce(s, Action::PhotoDone { job, state });
        reduce(
            s,
            Action::PhotoPrepared {
                job,
                upload: upload(),
            },
        )
    }

    fn fill_fields(s: Rc<FormState>) -> Rc<FormState> {
        let mut s = s;
        for (kind, value) in [
            (FieldKind::Name, "张三"),
            (FieldKind::IdNumber, "11010519491231002X"),
            (FieldKind::Phone, "13800138000"),
        ] {
            s = reduce(s, Action::Input(kind, value.into()));
            s = reduce(s, Action::Commit(kind));
        }
        s
    }

    #[wasm_bindgen_test]
    fn slots_follow_the_document_and_the_visa_setting() {
        assert_eq!(
            DocType::IdCard.slots(VisaPolicy::Optional),
            vec![
                Slot::IdFront,
                Slot::IdBack,
                Slot::Face,
                Slot::SelfieWithDocument
            ]
        );
        assert_eq!(
            DocType::Passport.slots(VisaPolicy::Off),
            vec![Slot::PassportData, Slot::Face, Slot::SelfieWithDocument]
        );
        let s = FormState::new(today(), Locale::ZhCn);
        assert!(!s.is_optional(Slot::PassportVisa) || s.config.visa == VisaPolicy::Optional);
        let required = FormState::with_config(
            today(),
            Locale::ZhCn,
            Config {
                visa: VisaPolicy::Required,
                ..Config::default()
            },
        );
        assert!(!required.is_optional(Slot::PassportVisa));
    }

    #[wasm_bindgen_test]
    fn a_late_answer_for_a_replaced_photo_is_ignored() {
        let s = Rc::new(FormState::new(today(), Locale::ZhCn));
        let s = reduce(
            s,
            Action::PhotoChosen {
                slot: Slot::IdFront,
                job: 1,
                name: "old.jpg".into(),
            },
        );
        let s = reduce(
            s,
            Action::PhotoChosen {
                slot: Slot::IdFront,
                job: 2,
                name: "new.jpg".into(),
            },
        );
        let s = reduce(
            s,
            Action::PhotoDone {
                job: 1,
                state: checked(Status::Fail, 1),
            },
        );
        assert_eq!(s.photos[&Slot::IdFront].state, PhotoState::Checking);
        assert_eq!(s.photo_status(Slot::IdFront), None);
        let s = reduce(
            s,
            Action::PhotoDone {
                job: 2,
                state: checked(Status::Pass, 1),
            },
        );
        assert_eq!(s.photo_status(Slot::IdFront), Some(Status::Pass));
    }

    #[wasm_bindgen_test]
    fn submit_needs_everything_and_a_confirmation_for_warnings() {
        let s = fill_fields(Rc::new(FormState::new(today(), Locale::ZhCn)));
        assert_eq!(s.overall(), Some(Status::Pass));
        // Photos missing: blocked, and Submit does nothing.
        assert_eq!(s.readiness(), Status::Fail);
        let s = reduce(s, Action::Submit);
        assert!(!s.submitted && !s.confirming);

        let s = add(s, Slot::IdFront, 10, checked(Status::Pass, 0x0F0F));
        let s = add(s, Slot::IdBack, 11, checked(Status::Warn, 0xFF00_0000));
        let s = add(s, Slot::Face, 12, checked(Status::Pass, 0xFFFF_0000_0000));
        // Checked but its upload image not made yet: still blocked.
        let s = reduce(
            s,
            Action::PhotoChosen {
                slot: Slot::SelfieWithDocument,
                job: 13,
                name: "s.jpg".into(),
            },
        );
        let s = reduce(
            s,
            Action::PhotoDone {
                job: 13,
                state: checked(Status::Pass, 0x5555_5555_5555_5555),
            },
        );
        assert_eq!(s.readiness(), Status::Fail);
        let s = reduce(
            s,
            Action::PhotoPrepared {
                job: 13,
                upload: upload(),
            },
        );
        assert_eq!(s.readiness(), Status::Warn);
        let s = reduce(s, Action::Submit);
        assert!(
            s.confirming && !s.submitted,
            "a warning asks for confirmation"
        );
        let s = reduce(s, Action::ConfirmSubmit);
        assert!(s.submitted);
        // Any edit takes the submission back.
        let s = reduce(s, Action::PhotoRemoved(Slot::IdBack));
        assert!(!s.submitted && !s.confirming);
        assert_eq!(s.readiness(), Status::Fail);
    }

    #[wasm_bindgen_test]
    fn the_same_photo_in_two_slots_fails_both() {
        let s = Rc::new(FormState::new(today(), Locale::ZhCn));
        let s = add(s, Slot::IdFront, 20, checked(Status::Pass, 0b1011_0110));
        let s = add(s, Slot::IdBack, 21, checked(Status::Pass, 0b1011_0111));
        let s = add(
            s,
            Slot::Face,
            22,
            checked(Status::Pass, 0x7FFF_FFFF_0000_0000),
        );
        let d = s.duplicates();
        assert_eq!(d.get(&Slot::IdFront), Some(&Slot::IdBack));
        assert_eq!(d.get(&Slot::IdBack), Some(&Slot::IdFront));
        assert_eq!(d.get(&Slot::Face), None);
        assert_eq!(s.photo_status(Slot::IdFront), Some(Status::Fail));
        assert_eq!(s.photo_status(Slot::Face), Some(Status::Pass));
        // A photo that could not be checked fails too.
        let s = reduce(
            s,
            Action::PhotoDone {
                job: 22,
                state: PhotoState::Failed {
                    error: "corrupt".into(),
                    message: PhotoCode::ErrorCorrupt,
                },
            },
        );
        assert_eq!(s.photo_status(Slot::Face), Some(Status::Fail));
        // Hidden slots do not count: a passport shopper's ID photos are not compared.
        let s = reduce(s, Action::SetDoc(DocType::Passport));
        assert!(s.duplicates().is_empty());
    }
}
