//! What the photo test crates share: a fixture file decoded as the CLI decodes it, its
//! pixels as the engine takes them, and a one-line summary of a report for failure messages.
#![allow(dead_code)] // each test crate uses the helpers it needs

use id_precheck::checks::photo::decode::{analyze_file, decode, Decoded};
use id_precheck::checks::photo::{face, FileLimits, PhotoReport, RgbaView, Rules, Slot};
use std::path::{Path, PathBuf};

/// `path` decoded under the default limits (panics with the file's name: a test input).
pub fn load(path: &Path) -> Decoded {
    let name = path.display();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    decode(&bytes, &FileLimits::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The report the CLI (and the browser's worker) gives for the file at `path`: every check,
/// faces included, a JPEG read through its scaled decodes (panics with the file's name).
pub fn check_file(path: &Path, slot: Slot, rules: &Rules) -> PhotoReport {
    let name = path.display();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (mut report, work) = analyze_file(&bytes, &FileLimits::default(), slot, rules)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    face::add_faces_embedded(&mut report, &work, rules);
    report
}

/// The decoded pixels as the engine takes them.
pub fn view(img: &Decoded) -> RgbaView<'_> {
    RgbaView::new(img.width, img.height, &img.rgba).unwrap_or_else(|| panic!("size"))
}

/// `id=status:value …` for every check, for failure messages.
pub fn summary(report: &PhotoReport) -> String {
    report
        .checks
        .iter()
        .map(|c| format!("{}={}:{:.3}", c.id.as_str(), c.status.as_str(), c.value))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The real phone photos: `../shared/realphotos/` (or `REAL_PHOTOS`). They are not in the
/// repository; under `CI=true` a missing folder fails the test, elsewhere it is skipped
/// with a message (`None`).
pub fn real_photos() -> Option<PathBuf> {
    let dir = std::env::var_os("REAL_PHOTOS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realphotos"),
        PathBuf::from,
    );
    if dir.join("manifest.jsonl").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{}: the real photos are missing (CI needs ../shared/realphotos)",
        dir.display()
    );
    println!("skipped: no real photos at {}", dir.display());
    None
}
