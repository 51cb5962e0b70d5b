//! The photo worker's entry point (built by Trunk as a Web Worker, fetched by the app in idle
//! time after the first paint).

#[cfg(target_arch = "wasm32")]
fn main() {
    id_precheck::worker::run();
}

/// The worker is wasm only.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

/// The wasm engine benchmark's entry points (`tests/e2e/bench.test.mjs` runs them inside a
/// worker of its own, where the checks run): not used by the app. They live in the worker's
/// binary because the engine does: the page's wasm carries no photo engine.
#[cfg(target_arch = "wasm32")]
mod bench {
    use id_precheck::checks::photo::{face, RgbaView, Rules, Slot};
    use wasm_bindgen::prelude::*;

    /// Every check of `slot` on decoded RGBA pixels, as the worker's report has them (the
    /// document reading and, for the face slots, the detector included); returns the
    /// overall status (`pass`, `warn`, `fail`) and the number of checks, e.g. `pass 7`.
    ///
    /// # Errors
    /// An unknown slot, or a buffer that is not `width × height × 4` bytes.
    #[wasm_bindgen(js_name = benchAnalyzePhoto)]
    pub fn bench_analyze_photo(
        rgba: &[u8],
        width: u32,
        height: u32,
        slot: &str,
    ) -> Result<String, JsValue> {
        let slot = Slot::parse(slot).ok_or_else(|| JsValue::from_str("unknown slot"))?;
        let view = RgbaView::new(width, height, rgba)
            .ok_or_else(|| JsValue::from_str("pixel buffer is not width × height × 4 bytes"))?;
        let report = face::analyze_with_faces(view, None, slot, &Rules::default());
        Ok(format!(
            "{} {}",
            report.status().as_str(),
            report.checks.len()
        ))
    }

    /// The reference: one plain pass summing every byte of `data` (what any check that looks
    /// at every pixel costs at least), copy into wasm memory included like the engine's.
    #[wasm_bindgen(js_name = benchReferencePass)]
    #[must_use]
    pub fn bench_reference_pass(data: &[u8]) -> u32 {
        data.iter().fold(0u32, |a, &b| a.wrapping_add(u32::from(b)))
    }
}
