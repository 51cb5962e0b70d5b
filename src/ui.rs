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
use text::Text;
#[cfg(target_arch = "wasm32")]
use {crate::i18n::Locale, text::text};

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

/// Installs (once) a panic hook that writes a readable notice into every mounted form
/// instead of leaving it blank.
#[cfg(target_arch = "wasm32")]
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_crash();
        }));
    });
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The elements forms are mounted on (the crash notice goes into each).
    static ROOTS: std::cell::RefCell<Vec<web_sys::Element>> = const { std::cell::RefCell::new(Vec::new()) };
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
    install_panic_hook();
    let config = app::host_config(&root);
    let host = host::Host::new(root, "", false);
    mount(host, config.into(), app::initial_locale(), true);
}

/// Renders a form into `host`'s element. Its previous content is replaced, unless it is a
/// form being destroyed (`reset`): Yew removes that one itself, in its next scheduler run.
#[cfg(target_arch = "wasm32")]
pub fn mount(
    host: host::Host,
    config: crate::form::SharedConfig,
    locale: Locale,
    replace_content: bool,
) -> yew::AppHandle<app::App> {
    let root = host.root().clone();
    if replace_content {
        // E.g. the static "loading" note.
        root.set_inner_html("");
    }
    let _ = root.class_list().add_1("id-precheck");
    ROOTS.with(|r| r.borrow_mut().push(root.clone()));
    let props = app::AppProps {
        config,
        locale,
        host,
    };
    yew::Renderer::<app::App>::with_root_and_props(root, props).render()
}

/// Forgets a mount element (after its form was destroyed).
#[cfg(target_arch = "wasm32")]
pub fn unmounted(root: &web_sys::Element) {
    ROOTS.with(|r| r.borrow_mut().retain(|e| e != root));
}

/// Writes the crash notice, in both languages, into every mount element.
#[cfg(target_arch = "wasm32")]
fn show_crash() {
    let html = format!(
        r#"<div class="crash" role="alert" data-crash=""><p lang="zh-CN">{}</p><p lang="en">{}</p></div>"#,
        text(Locale::ZhCn, Text::Crashed),
        text(Locale::En, Text::Crashed)
    );
    let roots = ROOTS.with(|r| r.borrow().clone());
    for root in roots {
        root.set_inner_html(&html);
    }
}
