//! What a panic in the page leaves the shopper: the same form again, with everything typed
//! and every photo given, and a notice saying so.
//!
//! A panic aborts the wasm instance (wasm32 has no unwinding), and Yew's scheduler stays
//! locked in it, so no form of this instance can render again. The panic hook
//! ([`on_panic`]) therefore stops what the instance runs (workers, uploads, cameras),
//! collects each mounted form's inputs (the host's last snapshot and the photos as chosen),
//! and hands them to a fresh instance: the same glue module imported once more under another
//! URL fragment (a new module record, no new download when cached) and instantiated from
//! this instance's compiled `WebAssembly.Module`. Its `remount` export renders each form
//! again on its element, restores the inputs, checks the photos anew and shows
//! [`Text::Restarted`]. Nothing is written to storage. After [`MAX_RESTARTS`] restarts, or
//! when the fresh instance cannot load, the old form stays on screen with its inputs, made
//! inert, under [`Text::Crashed`].

use super::host::Host;
use super::text::{text, Text};
use crate::i18n::Locale;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

/// Restarts in a row before the form gives up (a restart that panics at once again).
pub const MAX_RESTARTS: u32 = 2;

#[wasm_bindgen(inline_js = r#"
export function restart_fresh(url, module, forms) {
  import(url)
    .then(async (fresh) => {
      await fresh.default({ module_or_path: module });
      const mounts = fresh.remount(forms);
      forms.forEach((f, i) => {
        f.onRestart?.(mounts[i], fresh);
        f.element.dispatchEvent(new CustomEvent('precheck:restarted', { bubbles: true, detail: { reason: 'crashed' } }));
      });
    })
    .catch((e) => {
      console.error('id-precheck: the form could not restart', e);
      for (const f of forms) {
        f.element.insertAdjacentHTML('afterbegin', f.fallback);
        f.element.querySelector('main')?.setAttribute('inert', '');
      }
    });
}
"#)]
extern "C" {
    fn restart_fresh(url: &str, module: &JsValue, forms: &js_sys::Array);
}

#[wasm_bindgen]
extern "C" {
    /// The URL of this instance's glue module (the `import.meta.url` of the module that
    /// holds the wasm-bindgen imports).
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// One mounted form, as the crash path needs it.
#[derive(Clone)]
pub struct Mounted {
    pub host: Host,
    /// Mounted by the embed module: its config (JSON text) and worker URL; `None` for the
    /// stand-alone page, which reads its settings from the element again.
    pub embed: Option<EmbedMount>,
    /// Restarts behind this form (0 for one mounted by the page or host).
    pub generation: u32,
}

/// What the embed module's `mount(element, config)` was given.
#[derive(Clone)]
pub struct EmbedMount {
    pub config_json: String,
    pub worker_url: String,
    /// The embed module's function that moves its handle to the new instance's form.
    pub on_restart: Option<js_sys::Function>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    static CRASHED: Cell<bool> = const { Cell::new(false) };
}

/// This instance panicked: what it still runs (a pending camera request, a timer) must
/// start nothing.
#[must_use]
pub fn crashed() -> bool {
    CRASHED.try_with(Cell::get).unwrap_or(true)
}

/// Started to restart the forms of an instance that crashed (its glue was imported under a
/// `#restart-N` fragment): the stand-alone page's own start-up must not mount a form.
#[must_use]
pub fn is_restart_instance() -> bool {
    GLUE_URL.with(|u| u.contains("#restart-"))
}

/// Registers a mounted form (replacing an earlier registration on the same element).
pub fn register(mounted: Mounted) {
    MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|x| x.host.root() != mounted.host.root());
        m.push(mounted);
    });
}

/// Forgets the form on `root` (destroyed).
pub fn unregister(root: &web_sys::Element) {
    MOUNTED.with(|m| m.borrow_mut().retain(|x| x.host.root() != root));
}

/// The panic hook's work (once per instance; see the module docs). Must not panic.
pub fn on_panic() {
    if CRASHED.with(|c| c.replace(true)) {
        return;
    }
    let mounted = MOUNTED
        .try_with(|m| m.try_borrow().map(|m| m.clone()).unwrap_or_default())
        .unwrap_or_default();
    for m in &mounted {
        m.host.stop_everything();
    }
    super::camera_session::stop_all_streams();
    if mounted.is_empty() {
        return;
    }
    let generation = mounted.iter().map(|m| m.generation).max().unwrap_or(0);
    let forms = js_sys::Array::new();
    for m in &mounted {
        forms.push(&describe(m));
    }
    let url = GLUE_URL.with(Clone::clone);
    if generation < MAX_RESTARTS && !url.is_empty() {
        let url = format!(
            "{}#restart-{}",
            url.split('#').next().unwrap_or(&url),
            generation + 1
        );
        restart_fresh(&url, &wasm_bindgen::module(), &forms);
    } else {
        for m in &mounted {
            show_fallback(m);
        }
    }
}

fn locale_of(m: &Mounted) -> Locale {
    m.host
        .kept_state()
        .and_then(|s| Locale::parse(s.locale))
        .unwrap_or_default()
}

/// The notice shown when no fresh instance takes over: the old form stays, inert.
fn fallback_html(locale: Locale) -> String {
    format!(
        r#"<div class="crash" role="alert" data-crash="">{}</div>"#,
        text(locale, Text::Crashed)
    )
}

fn show_fallback(m: &Mounted) {
    let root = m.host.root();
    let _ = root.insert_adjacent_html("afterbegin", &fallback_html(locale_of(m)));
    if let Ok(Some(main)) = root.query_selector("main") {
        let _ = main.set_attribute("inert", "");
    }
}

fn set(o: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), value);
}

/// A form as the fresh instance's `remount` reads it (see `remount` in the app's js_api):
/// `{element, idPrefix, embedded, config, workerUrl, onRestart, generation, locale,
/// document, country, values: {field: typed}, photos: [{slot, file}], fallback}`.
fn describe(m: &Mounted) -> js_sys::Object {
    let o = js_sys::Object::new();
    let host = &m.host;
    set(&o, "element", host.root());
    set(&o, "idPrefix", &JsValue::from_str(&host.ids().0));
    set(&o, "embedded", &JsValue::from_bool(host.embedded()));
    if let Some(e) = &m.embed {
        set(&o, "config", &JsValue::from_str(&e.config_json));
        set(&o, "workerUrl", &JsValue::from_str(&e.worker_url));
        if let Some(f) = &e.on_restart {
            set(&o, "onRestart", f);
        }
    }
    set(&o, "generation", &JsValue::from(m.generation + 1));
    let locale = locale_of(m);
    set(&o, "locale", &JsValue::from_str(locale.tag()));
    if let Some(state) = host.kept_state() {
        set(&o, "document", &JsValue::from_str(state.document));
        set(&o, "country", &JsValue::from_str(&state.country));
        let values = js_sys::Object::new();
        for (field, value) in state.values.iter().flatten() {
            set(&values, field, &JsValue::from_str(value));
        }
        set(&o, "values", &values);
    }
    let photos = js_sys::Array::new();
    for (slot, file) in host.kept_photos() {
        let p = js_sys::Object::new();
        set(&p, "slot", &JsValue::from_str(slot.as_str()));
        set(&p, "file", &file);
        photos.push(&p);
    }
    set(&o, "photos", &photos);
    set(&o, "fallback", &JsValue::from_str(&fallback_html(locale)));
    o
}
