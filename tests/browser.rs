//! Browser tests of the glue (wasm-bindgen-test in headless Chromium): the JS API, the Yew
//! side of the form reducer (a real `Blob` as the upload handle) and the mounted app. The
//! form's logic itself is tested natively (`src/form/tests.rs`).
#![cfg(target_arch = "wasm32")]

use id_precheck::checks::photo::{
    CheckId, CheckResult, Format, Metrics, PerceptualHash, PhotoCode, PhotoReport, Slot,
};
use id_precheck::checks::{Date, Status};
use id_precheck::form::PhotoState;
use id_precheck::i18n::Locale;
// The host API is the app binary's module (so the worker's wasm does not carry it).
#[path = "../src/bin/app/js_api.rs"]
mod js_api;
use id_precheck::protocol::{Checked, Prepared};
use id_precheck::ui::photo_state::PreparedUpload;
use id_precheck::ui::state::{Action, FormState};
use js_api::{message_catalogue, validate_field};
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

/// Mounts the app in a fresh `<div>` of the test page and lets Yew render it.
async fn mount_app() -> web_sys::Element {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = doc.create_element("div").expect("div");
    doc.body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let mounted = id_precheck::ui::crash::Mounted {
        host: id_precheck::ui::host::Host::new(root.clone(), "", false),
        embed: None,
        generation: 0,
    };
    let config = id_precheck::form::SharedConfig::from(id_precheck::form::Config::default());
    let _app = id_precheck::ui::mount(&mounted, config, id_precheck::i18n::Locale::ZhCn, None);
    gloo_timers_sleep(50).await;
    root
}

#[wasm_bindgen_test]
async fn app_mounts_with_the_dom_contract() {
    let root = mount_app().await;
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

/// `checkPhoto`'s arguments are judged before any worker starts: an unknown slot, bad rules or
/// an unsupported locale are coded errors thrown at once, never panics. (Its verdicts, from
/// the worker, are compared with the CLI's in the E2E tests; the page's wasm checks no pixels.)
#[wasm_bindgen_test]
fn check_photo_rejects_bad_arguments_with_codes() {
    use crate::js_api::check_photo;
    let code = |r: Result<js_sys::Promise, JsValue>| {
        r.err()
            .map(|e| get(&e, "code").as_string().unwrap_or_default())
    };
    let file = || web_sys::Blob::new().unwrap_or_else(|_| panic!("Blob"));
    let worker = "./worker_loader.js";
    assert_eq!(
        code(check_photo(file(), "selfie", JsValue::UNDEFINED, worker)).as_deref(),
        Some("slot-unknown")
    );
    let bad =
        js_sys::JSON::parse(r#"{"rules": {"all": {"blurr": {}}}}"#).unwrap_or(JsValue::UNDEFINED);
    assert_eq!(
        code(check_photo(file(), "face", bad, worker)).as_deref(),
        Some("options-invalid")
    );
    let fr = js_sys::JSON::parse(r#"{"locale": "fr"}"#).unwrap_or(JsValue::UNDEFINED);
    assert_eq!(
        code(check_photo(file(), "face", fr, worker)).as_deref(),
        Some("locale-unsupported")
    );
}

/// The page's reducer keeps the same `Rc` (no re-render) when an action changes nothing, and
/// holds the worker's JPEG as a `Blob` with a `blob:` URL.
#[wasm_bindgen_test]
fn the_yew_reducer_holds_real_uploads_and_skips_idle_renders() {
    let today = Date {
        year: 2026,
        month: 11,
        day: 28,
    };
    let s = Rc::new(FormState::new(today, Locale::ZhCn));
    let same = s.clone().reduce(Action::Submit);
    assert!(Rc::ptr_eq(&s, &same), "a blocked submit renders nothing");
    let s = s.reduce(Action::PhotoChosen {
        slot: Slot::Face,
        job: 1,
        name: "face.jpg".into(),
    });
    let late = s.clone().reduce(Action::PhotoDone {
        job: 99,
        state: PhotoState::Checking,
    });
    assert!(Rc::ptr_eq(&s, &late), "an answer about no current job");
    let report = PhotoReport {
        slot: Slot::Face,
        width: 3000,
        height: 4000,
        checks: vec![CheckResult {
            id: CheckId::Blur,
            status: Status::Warn,
            value: 0.9,
            threshold: Some(1.0),
            code: PhotoCode::SlightlyBlurry,
        }],
        metrics: Metrics::default(),
        glare_boxes: vec![],
        document_quad: None,
        face_boxes: vec![],
        mrz: None,
        id_number: None,
    };
    let s = s.reduce(Action::PhotoDone {
        job: 1,
        state: PhotoState::Checked(Rc::new(Checked {
            report,
            hash: PerceptualHash(0x0F0F),
            original_bytes: 2.5e6,
            format: Format::Jpeg,
            decode_ms: 50.0,
            check_ms: 60.0,
        })),
    });
    assert_eq!(s.photos[&Slot::Face].upload, None);

    let parts = js_sys::Array::of1(&JsValue::from_str("0123456789"));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).unwrap_or_else(|_| panic!("blob"));
    let prepared = Prepared {
        width: 1920,
        height: 2560,
        encode_ms: 80.0,
    };
    let upload = PreparedUpload::from_worker(prepared, blob).unwrap_or_else(|| panic!("URL"));
    assert!(upload.url.starts_with("blob:"), "{}", upload.url);
    assert_eq!(upload.bytes, 10.0);
    let s = s.reduce(Action::PhotoPrepared {
        job: 1,
        upload: Rc::new(upload),
    });
    let entry = &s.photos[&Slot::Face];
    let upload = entry.upload.as_ref().unwrap_or_else(|| panic!("upload"));
    assert_eq!((upload.width, upload.height), (1920, 2560));
    assert_eq!(upload.blob.size(), 10.0);
    let sub = s.submission();
    assert_eq!(sub.photos.len(), 1);
    assert_eq!(sub.photos[0].status, Status::Warn);
    assert!(Rc::ptr_eq(&sub.photos[0].upload, upload));
}

/// Types into `name`'s input (fires `input`) and, if `leave`, blurs it.
fn type_into(root: &web_sys::Element, name: &str, value: &str, leave: bool) {
    let input = root
        .query_selector(&format!("[name='{name}']"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("input {name}"));
    if let Some(i) = input.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = input.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    }
    // Yew listens in the capture phase: the events need not bubble.
    let event = web_sys::Event::new("input").unwrap_or_else(|_| panic!("event"));
    let _ = input.dispatch_event(&event);
    if leave {
        let blur = web_sys::Event::new("blur").unwrap_or_else(|_| panic!("event"));
        let _ = input.dispatch_event(&blur);
    }
}

fn attr(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute(name))
}

/// The components report to the reducer through their callbacks: typing, settling and
/// leaving a field, the document radio, the country select, and the review follows.
#[wasm_bindgen_test]
async fn the_mounted_app_wires_fields_to_the_reducer() {
    let root = mount_app().await;

    // Unfinished while typing: nothing shown after the debounce; a failure on blur.
    type_into(&root, "id-number", "1101011990", false);
    gloo_timers_sleep(450).await;
    let msg = "[data-field='id-number']";
    assert_eq!(attr(&root, msg, "data-status").as_deref(), Some("empty"));
    type_into(&root, "id-number", "1101011990", true);
    gloo_timers_sleep(50).await;
    assert_eq!(attr(&root, msg, "data-status").as_deref(), Some("fail"));
    assert_eq!(
        attr(&root, "#field-id-number", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attr(&root, "[data-review='id-number']", "data-status").as_deref(),
        Some("fail")
    );
    // A valid value, checked once typing settles.
    type_into(&root, "id-number", "360426199101010071", false);
    gloo_timers_sleep(450).await;
    assert_eq!(attr(&root, msg, "data-status").as_deref(), Some("pass"));

    // The passport: its fields and the country select appear; the country re-checks.
    let radio = root
        .query_selector("input[name='doc-type'][value='passport']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("passport radio");
    radio.click();
    gloo_timers_sleep(50).await;
    assert!(root.query_selector("[name='mrz']").ok().flatten().is_some());
    type_into(&root, "passport-number", "A1234567", true);
    gloo_timers_sleep(50).await;
    let msg = "[data-field='passport-number']";
    assert_eq!(
        attr(&root, msg, "data-status").as_deref(),
        Some("fail"),
        "8 characters for CHN"
    );
    let select = root
        .query_selector("#field-passport-country")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .expect("country select");
    select.set_value("USA");
    let _ = select.dispatch_event(&web_sys::Event::new("change").expect("event"));
    gloo_timers_sleep(50).await;
    assert_eq!(attr(&root, msg, "data-status").as_deref(), Some("pass"));
    assert_eq!(
        attr(&root, "[data-review='passport-number']", "data-status").as_deref(),
        Some("pass")
    );
    assert_eq!(
        attr(&root, ".review", "data-readiness").as_deref(),
        Some("fail")
    );
    root.remove();
}
