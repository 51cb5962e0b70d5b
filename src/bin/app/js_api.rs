//! The JavaScript API for host pages (wasm only): thin adapters over [`id_precheck::checks`]
//! and the form. The embed module (`embed/id-precheck.js`) wraps it; every error it throws is
//! a JS `Error` with a stable `code` ([`coded`]).
//!
//! ```js
//! const r = validateField("id-number", "360426199101010071", { locale: "en" });
//! // r = { kind, input, status: "pass"|"warn"|"fail", normalized, issues: [{ code, severity, message }] }
//! ```

use id_precheck::checks::photo::{Rules, Slot};
use id_precheck::checks::{self, id_number, mrz, Date, FieldKind, Status};
use id_precheck::form::DocType;
use id_precheck::form::{HostConfig, SharedConfig};
use id_precheck::i18n::Locale;
use id_precheck::protocol::{Job, Outcome, UploadLimits};
use id_precheck::ui::app::{App, Restore, Restored};
use id_precheck::ui::crash::{EmbedMount, Mounted};
use id_precheck::ui::host::Host;
use id_precheck::ui::photo_worker::PhotoWorker;
use id_precheck::ui::photos::{failure, next_job_id};
use id_precheck::ui::state::Action;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

/// Options accepted by the API functions; every member is optional.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Options {
    /// `zh-CN` (default) or `en`.
    locale: Option<String>,
    /// Passport issuing country, ISO 3166-1 alpha-3 (default `CHN`).
    country: Option<String>,
    /// Typed fields to cross-check an MRZ with.
    passport_number: String,
    name: String,
    expiry: String,
    /// The ID number `checkPhoto` read from the portrait side (`id_number` of its report), to
    /// cross-check a typed `id-number` with.
    photo_id_number: Option<String>,
}

/// A JS `Error` with `message` and a stable `code` (public API, listed in the README):
/// `options-invalid`, `locale-unsupported`, `field-kind-unknown`, `slot-unknown`,
/// `config-invalid`, `element-invalid`, `input-invalid`, `destroyed`, `cancelled`, and for a
/// photo that cannot be checked the photo error's own code (`empty`, `corrupt`, …), `config`
/// or `crashed`.
fn coded(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// The options object of an API call; `undefined` or `null` means all defaults.
fn options<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| coded("options-invalid", &e.to_string()))
}

/// The `locale` option: zh-CN when absent, an error when unsupported.
fn locale(tag: Option<&str>) -> Result<Locale, JsValue> {
    match tag {
        None => Ok(Locale::default()),
        Some(tag) => Locale::parse(tag)
            .ok_or_else(|| coded("locale-unsupported", &format!("unsupported locale `{tag}`"))),
    }
}

/// Serialises to plain JS objects (maps become objects, not `Map`s).
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    id_precheck::ui::host::to_js(value).map_err(|e| coded("internal", &e.to_string()))
}

fn today() -> Date {
    // js_sys::Date::now() is ms since the epoch, always within i64.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    Date::shanghai_from_unix_ms(now)
}

/// Checks one field value. `kind`: `name`, `id-number`, `passport-number`, `phone`,
/// `passport-expiry` or `mrz`. Throws only on a bad `kind` or options.
#[wasm_bindgen(js_name = validateField)]
pub fn validate_field(kind: &str, value: &str, opts: JsValue) -> Result<JsValue, JsValue> {
    let o: Options = options(opts)?;
    let locale = locale(o.locale.as_deref())?;
    let kind = FieldKind::parse(kind).ok_or_else(|| {
        coded(
            "field-kind-unknown",
            &format!("unknown field kind `{kind}`"),
        )
    })?;
    let report = match kind {
        FieldKind::Mrz => {
            let typed = mrz::Typed {
                number: &o.passport_number,
                name: &o.name,
                expiry: &o.expiry,
                country: o.country.as_deref().unwrap_or_default(),
            };
            mrz::check(value, &typed, today())
        }
        FieldKind::IdNumber => {
            id_number::check_with_photo(value, today(), o.photo_id_number.as_deref())
        }
        _ => checks::check_field(kind, value, o.country.as_deref(), today()),
    };
    to_js(&id_precheck::i18n::field_view(&report, locale))
}

/// Every issue code with its message in `locale`, for host pages that render their own UI.
#[wasm_bindgen(js_name = messageCatalogue)]
pub fn message_catalogue(locale: &str) -> Result<JsValue, JsValue> {
    let locale = self::locale(Some(locale))?;
    let map: std::collections::BTreeMap<&str, String> = checks::Code::ALL
        .iter()
        .map(|&c| (c.as_str(), id_precheck::i18n::message(locale, c, &[])))
        .collect();
    to_js(&map)
}

/// Photo options: `locale`, and `rules` (the same JSON object `precheck photo --rules` reads).
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PhotoOptions {
    locale: Option<String>,
    rules: Option<serde_json::Value>,
}

fn slot_of(slot: &str) -> Result<Slot, JsValue> {
    Slot::parse(slot).ok_or_else(|| coded("slot-unknown", &format!("unknown slot `{slot}`")))
}

fn rules_of(rules: Option<&serde_json::Value>) -> Result<Rules, JsValue> {
    match rules {
        None => Ok(Rules::default()),
        Some(v) => Rules::from_json(&v.to_string())
            .map_err(|e| coded("options-invalid", &format!("rules: {}", e.0))),
    }
}

thread_local! {
    /// The worker behind `checkPhoto` (shared by every call; forms have their own).
    static API_WORKER: RefCell<Option<PhotoWorker>> = const { RefCell::new(None) };
    static NEXT_MOUNT: Cell<u32> = const { Cell::new(1) };
}

/// Checks a photo file in the worker, exactly as the form does: resolves with the report
/// (the shape `precheck photo` prints), rejects with a coded error when it cannot be checked.
/// `workerUrl` is the worker script's absolute URL (the module passes it).
#[wasm_bindgen(js_name = checkPhoto)]
pub fn check_photo(
    file: web_sys::Blob,
    slot: &str,
    opts: JsValue,
    worker_url: &str,
) -> Result<js_sys::Promise, JsValue> {
    let o: PhotoOptions = options(opts)?;
    let locale = locale(o.locale.as_deref())?;
    let slot = slot_of(slot)?;
    let rules = rules_of(o.rules.as_ref())?;
    let worker = API_WORKER.with(|w| {
        let mut w = w.borrow_mut();
        w.clone().unwrap_or_else(|| {
            let worker = PhotoWorker::new(worker_url);
            *w = Some(worker.clone());
            worker
        })
    });
    let id = next_job_id();
    let job = Job {
        id,
        slot,
        rules,
        upload: UploadLimits::default(),
    };
    Ok(js_sys::Promise::new(&mut |resolve, reject| {
        let handle = worker.clone();
        worker.check(job.clone(), &file, move |outcome, _| {
            let answer = match outcome {
                Outcome::Checked(c) => {
                    // Only the verdicts were asked for: no upload-ready copy.
                    handle.cancel(id);
                    to_js(&id_precheck::i18n::photo_json(&c.report, locale))
                }
                Outcome::Failed(e) => {
                    let (code, message) = failure(locale, &e);
                    Err(coded(code, &message))
                }
                Outcome::Cancelled => Err(coded("cancelled", "the check was cancelled")),
                Outcome::Prepared(_) | Outcome::Framed(_) => return,
            };
            let _ = match answer {
                Ok(report) => resolve.call1(&JsValue::NULL, &report),
                Err(error) => reject.call1(&JsValue::NULL, &error),
            };
        });
    }))
}

/// One form mounted on a host page's element (`mount(element, config)`).
#[wasm_bindgen]
pub struct Mount {
    mounted: Mounted,
    config: SharedConfig,
    locale: Locale,
    app: RefCell<Option<AppHandle<App>>>,
}

/// Mounts the whole form and capture flow on `element`, configured by `config` (JSON text
/// of the config object; see [`HostConfig`]). `workerUrl` is the worker script's URL;
/// `onRestart(mount, module)`, if given, is called when the form was restarted in a fresh
/// instance after a crash (the embed module moves its handle to `mount`).
#[wasm_bindgen(js_name = mount)]
pub fn mount(
    element: JsValue,
    config: &str,
    worker_url: &str,
    on_restart: Option<js_sys::Function>,
) -> Result<Mount, JsValue> {
    let element: web_sys::Element = element
        .dyn_into()
        .map_err(|_| coded("element-invalid", "mount needs an Element to render into"))?;
    if element.class_list().contains("id-precheck") {
        return Err(coded(
            "element-invalid",
            "a form is already mounted on this element: destroy() it first",
        ));
    }
    let parsed = HostConfig::from_json(config).map_err(|e| coded("config-invalid", &e.0))?;
    let mut settings = parsed.config;
    settings.worker_url = worker_url.to_owned();
    id_precheck::ui::install_panic_hook();
    let n = NEXT_MOUNT.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let mounted = Mounted {
        host: Host::new(element, &format!("precheck{n}-"), true),
        embed: Some(EmbedMount {
            config_json: config.to_owned(),
            worker_url: worker_url.to_owned(),
            on_restart,
        }),
        generation: 0,
    };
    start_form(mounted, SharedConfig::from(settings), parsed.locale, None)
}

fn start_form(
    mounted: Mounted,
    config: SharedConfig,
    locale: Locale,
    restore: Option<Restore>,
) -> Result<Mount, JsValue> {
    let app = id_precheck::ui::mount(&mounted, config.clone(), locale, restore)
        .ok_or_else(|| coded("element-invalid", "the form could not be rendered here"))?;
    Ok(Mount {
        mounted,
        config,
        locale,
        app: RefCell::new(Some(app)),
    })
}

fn field(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The forms of an instance that panicked, started again in this one with their inputs
/// (called by the dying instance's crash path, `id_precheck::ui::crash`, which describes
/// each form). Returns, per form, its new [`Mount`] (embedded forms) or `undefined`.
#[wasm_bindgen]
pub fn remount(forms: &js_sys::Array) -> js_sys::Array {
    id_precheck::ui::install_panic_hook();
    let out = js_sys::Array::new();
    for form in forms.iter() {
        let mount = remount_one(&form);
        if let Err(e) = &mount {
            web_sys::console::error_2(&"id-precheck: a form could not restart".into(), e);
        }
        out.push(&mount.ok().map_or(JsValue::UNDEFINED, JsValue::from));
    }
    out
}

fn remount_one(form: &JsValue) -> Result<Mount, JsValue> {
    let element: web_sys::Element = field(form, "element")
        .dyn_into()
        .map_err(|_| coded("element-invalid", "no element"))?;
    let prefix = field(form, "idPrefix").as_string().unwrap_or_default();
    // Mounts made after the restart must not reuse a restored form's ids.
    if let Some(n) = prefix
        .strip_prefix("precheck")
        .and_then(|p| p.strip_suffix('-'))
        .and_then(|p| p.parse::<u32>().ok())
    {
        NEXT_MOUNT.with(|next| next.set(next.get().max(n + 1)));
    }
    let embedded = field(form, "embedded").as_bool().unwrap_or(false);
    let locale = field(form, "locale")
        .as_string()
        .and_then(|l| Locale::parse(&l))
        .unwrap_or_default();
    let generation = field(form, "generation").as_f64().map_or(1, |g| {
        // A small count from the crash path.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let g = g as u32;
        g
    });
    let (settings, embed) = match field(form, "config").as_string() {
        Some(json) if embedded => {
            let worker_url = field(form, "workerUrl").as_string().unwrap_or_default();
            let mut settings = HostConfig::from_json(&json)
                .map_err(|e| coded("config-invalid", &e.0))?
                .config;
            settings.worker_url.clone_from(&worker_url);
            let on_restart = field(form, "onRestart").dyn_into::<js_sys::Function>().ok();
            let embed = EmbedMount {
                config_json: json,
                worker_url,
                on_restart,
            };
            (settings, Some(embed))
        }
        _ => (id_precheck::ui::app::host_config(&element), None),
    };
    let values = field(form, "values");
    let restored = Restored {
        doc: field(form, "document")
            .as_string()
            .and_then(|d| DocType::parse(&d)),
        country: field(form, "country").as_string(),
        values: FieldKind::ALL
            .iter()
            .filter_map(|&kind| Some((kind, field(&values, kind.as_str()).as_string()?)))
            .collect(),
        photos: RefCell::new(
            js_sys::Array::from(&field(form, "photos"))
                .iter()
                .filter_map(|p| {
                    let slot = Slot::parse(&field(&p, "slot").as_string()?)?;
                    let file = field(&p, "file").dyn_into::<web_sys::File>().ok()?;
                    Some((slot, file))
                })
                .collect(),
        ),
    };
    let mounted = Mounted {
        host: Host::new(element, &prefix, embedded),
        embed,
        generation,
    };
    start_form(
        mounted,
        SharedConfig::from(settings),
        locale,
        Some(Restore::new(restored)),
    )
}

#[wasm_bindgen]
impl Mount {
    fn live(&self) -> Result<(), JsValue> {
        if self.app.borrow().is_some() {
            Ok(())
        } else {
            Err(coded("destroyed", "this form was destroyed"))
        }
    }

    /// Removes the form and stops its worker; the element is empty once Yew's scheduler has
    /// run (before the next task).
    pub fn destroy(&self) {
        if let Some(app) = self.app.borrow_mut().take() {
            app.destroy();
        }
        self.mounted.host.clear();
        let root = self.mounted.host.root();
        let _ = root.class_list().remove_1("id-precheck");
        let _ = root.remove_attribute("lang");
        id_precheck::ui::unmounted(root);
    }

    /// What the form holds now (see the README, "getState").
    #[wasm_bindgen(js_name = getState)]
    pub fn get_state(&self) -> Result<JsValue, JsValue> {
        self.live()?;
        match self.mounted.host.state() {
            Some(state) => to_js(&state),
            None => Ok(JsValue::NULL),
        }
    }

    /// Presses the form's submit button: with everything passing, `precheck:submit` follows;
    /// with warnings the shopper is asked to confirm; with a failure the form shows what
    /// blocks it. Returns the readiness it met (`pass`, `warn` or `fail`).
    pub fn submit(&self) -> Result<String, JsValue> {
        self.live()?;
        let readiness = self
            .mounted
            .host
            .state()
            .map_or(Status::Fail, |s| s.readiness);
        self.mounted.host.dispatch(Action::Submit);
        Ok(readiness.as_str().to_owned())
    }

    /// Empties the form: every field, photo and report, as if mounted anew.
    pub fn reset(&self) -> Result<(), JsValue> {
        self.live()?;
        if let Some(app) = self.app.borrow_mut().take() {
            app.destroy();
        }
        self.mounted.host.reset();
        let app = id_precheck::ui::mount(&self.mounted, self.config.clone(), self.locale, None);
        *self.app.borrow_mut() = app;
        Ok(())
    }
}
