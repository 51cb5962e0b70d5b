//! The user interface: its texts ([`text`], native too), and (wasm only) the Yew components
//! around the form's reducer ([`crate::form`], made Yew state in `state`), and the client of
//! the photo worker.

pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod camera;
#[cfg(target_arch = "wasm32")]
pub mod camera_session;
#[cfg(target_arch = "wasm32")]
pub mod countries;
#[cfg(target_arch = "wasm32")]
pub mod crash;
#[cfg(target_arch = "wasm32")]
pub mod field;
#[cfg(target_arch = "wasm32")]
pub mod host;
#[cfg(target_arch = "wasm32")]
pub mod photo_state;
#[cfg(target_arch = "wasm32")]
pub mod photo_worker;
#[cfg(target_arch = "wasm32")]
pub mod photos;
#[cfg(target_arch = "wasm32")]
pub mod review;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod upload;
#[cfg(target_arch = "wasm32")]
pub mod upload_panel;

use crate::checks::Status;
#[cfg(target_arch = "wasm32")]
use crate::i18n::Locale;
use text::Text;

/// How a status looks everywhere in the UI: `data-status` value, icon, and word (`None`:
/// nothing to say yet).
#[must_use]
pub fn status_parts(status: Option<Status>) -> (&'static str, &'static str, Text) {
    match status {
        None => ("empty", "–", Text::StatusEmpty),
        Some(Status::Pass) => ("pass", "✓", Text::StatusPass),
        Some(Status::Warn) => ("warn", "!", Text::StatusWarn),
        Some(Status::Fail) => ("fail", "✕", Text::StatusFail),
    }
}

/// Installs (once) a panic hook that hands every mounted form, with its inputs, to a fresh
/// instance ([`crash`]) instead of leaving a dead or blank form.
#[cfg(target_arch = "wasm32")]
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Through Yew, or its renderer replaces the hook with its own (it did, silently,
        // until an E2E test made a real panic).
        yew::set_custom_panic_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            crash::on_panic();
        }));
    });
}

/// The stand-alone page: mounts the form on the element marked `data-id-precheck-app`
/// (index.html's `#app`, configured by its `data-*` attributes). A page without that
/// element (one that embeds the module) gets nothing until it calls `mount`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-id-precheck-app]").ok().flatten());
    let Some(root) = root else {
        return;
    };
    if crash::is_restart_instance() {
        // `remount` gives the page its form back, with the shopper's inputs.
        return;
    }
    install_panic_hook();
    let config = app::host_config(&root);
    let host = host::Host::new(root, "", false);
    let mounted = crash::Mounted {
        host,
        embed: None,
        generation: 0,
    };
    mount(&mounted, config.into(), app::initial_locale(), None);
}

/// The class of the element each form renders into, inside its mount element. Yew listens
/// for events on it; a new form (reset, or a restart after a crash) gets a new one, so no
/// listener of an earlier form, or of a dead instance, ever sees its events.
#[cfg(target_arch = "wasm32")]
const APP_ROOT_CLASS: &str = "id-precheck-app";

/// Renders a form into `mounted.host`'s element, replacing what it held (the static
/// "loading" note, the form before a reset, a dead instance's form), and registers it for
/// the crash path. `restore`: the inputs to give it back after a crash.
#[cfg(target_arch = "wasm32")]
pub fn mount(
    mounted: &crash::Mounted,
    config: crate::form::SharedConfig,
    locale: Locale,
    restore: Option<app::Restore>,
) -> Option<yew::AppHandle<app::App>> {
    let root = mounted.host.root().clone();
    let document = root.owner_document()?;
    let app_root = document.create_element("div").ok()?;
    let _ = app_root.set_attribute("class", APP_ROOT_CLASS);
    root.set_inner_html("");
    root.append_child(&app_root).ok()?;
    let _ = root.class_list().add_1("id-precheck");
    crash::register(mounted.clone());
    let props = app::AppProps {
        config,
        locale,
        host: mounted.host.clone(),
        restore,
    };
    Some(yew::Renderer::<app::App>::with_root_and_props(app_root, props).render())
}

/// Forgets a mount element (after its form was destroyed) and removes what is left of it.
#[cfg(target_arch = "wasm32")]
pub fn unmounted(root: &web_sys::Element) {
    crash::unregister(root);
    if let Ok(left) = root.query_selector_all(&format!(":scope > .{APP_ROOT_CLASS}")) {
        for i in 0..left.length() {
            if let Some(node) = left.item(i) {
                let _ = root.remove_child(&node);
            }
        }
    }
}
