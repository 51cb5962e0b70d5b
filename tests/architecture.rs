//! The boundaries the README promises, kept by a test: the core (`src/checks/`) names
//! neither the catalogues nor the UI nor any browser crate, and the shared worker protocol
//! and the form logic stay native-compilable (no browser crate outside `cfg(wasm32)`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Lines of `path` that name one of `names` as a path (`name::`), comments excluded.
fn offending(path: &Path, names: &[&str]) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .filter(|(_, l)| names.iter().any(|n| l.contains(&format!("{n}::"))))
        .map(|(i, l)| format!("{}:{}: {}", path.display(), i + 1, l.trim()))
        .collect()
}

#[test]
fn the_core_names_no_catalogue_ui_or_browser_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = rust_files(&src.join("checks"));
    files.push(src.join("checks.rs"));
    assert!(files.len() > 20, "found only {} core files", files.len());
    let bad: Vec<String> = files
        .iter()
        .flat_map(|f| {
            offending(
                f,
                &[
                    "i18n",
                    "ui",
                    "web_sys",
                    "yew",
                    "gloo_timers",
                    "js_sys",
                    "wasm_bindgen",
                ],
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "the core must stay pure:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_protocol_and_the_form_name_no_browser_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = rust_files(&src.join("form"));
    assert!(files.len() >= 4, "found only {} form files", files.len());
    files.push(src.join("form.rs"));
    files.push(src.join("protocol.rs"));
    let bad: Vec<String> = files
        .iter()
        .flat_map(|f| offending(f, &["web_sys", "yew", "gloo_timers"]))
        .collect();
    assert!(
        bad.is_empty(),
        "native-compilable modules:\n{}",
        bad.join("\n")
    );
}
