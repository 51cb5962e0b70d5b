//! The user interface: its texts ([`text`], native too), and (wasm only) the Yew components
//! around the form's reducer ([`crate::form`], made Yew state in `state`), and the client of
//! the photo worker.

pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod countries;
#[cfg(target_arch = "wasm32")]
pub mod field;
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

/// Mounts the app on `#app` (or `<body>`), after installing a panic hook that replaces the
/// page with a readable message instead of leaving it blank.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash();
    }));
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            // Drop the static "loading" note before mounting.
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}

/// Writes the crash notice, in both languages, into `#app`.
#[cfg(target_arch = "wasm32")]
fn show_crash() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc
        .get_element_by_id("app")
        .or_else(|| doc.body().map(Into::into))
    else {
        return;
    };
    let html = format!(
        r#"<div class="crash" role="alert" data-crash=""><p lang="zh-CN">{}</p><p lang="en">{}</p></div>"#,
        text(Locale::ZhCn, Text::Crashed),
        text(Locale::En, Text::Crashed)
    );
    root.set_inner_html(&html);
}
