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
/// worker of its own, where the checks run): not used by the app, and only in the bench's
/// build (feature `bench`, `target/dist-bench`). They live in the worker's binary because
/// the engine does: the page's wasm carries no photo engine.
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
mod bench {
    use id_precheck::checks::photo::framing::PointPx;
    use id_precheck::checks::photo::{
        analyze_frame, document, document_request, face, frame, read_id_number, read_mrz,
        DocumentRequest, Pyramid, RgbaView, Rules, Slot, WorkPlan,
    };
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

    /// The document reading alone, in wasm. On decoded RGBA pixels the document's request is
    /// made once: from `quad` (8 numbers, TL, TR, BR, BL as x, y: the app's report's
    /// `document_quad`, so that the same pixels are read as in the app), or else from the
    /// working image's framing (as [`analyze_source`] does before it reads). Then the reading,
    /// [`read_mrz`] (a passport page) or [`read_id_number`] (an ID card), runs once to warm
    /// up (the templates, the model's weights, the pyramid's levels) and `runs` times more
    /// from the same pyramid. Beside it, in the same call, the checks without reading
    /// ([`analyze_frame`]) run `runs` times: the reference. Returns JSON: `readMs` and
    /// `checksMs` per run (`Date.now`, 1 ms resolution over all runs), and `read`, the text
    /// read (`null`: silent).
    ///
    /// [`analyze_source`]: id_precheck::checks::photo::analyze_source
    ///
    /// # Errors
    /// An unknown slot, a buffer that is not `width × height × 4` bytes, or no document
    /// found whose page could be read.
    #[wasm_bindgen(js_name = benchReadDocument)]
    pub fn bench_read_document(
        rgba: &[u8],
        width: u32,
        height: u32,
        slot: &str,
        runs: u32,
        quad: Option<Vec<f64>>,
    ) -> Result<String, JsValue> {
        let slot = Slot::parse(slot).ok_or_else(|| JsValue::from_str("unknown slot"))?;
        let view = RgbaView::new(width, height, rgba)
            .ok_or_else(|| JsValue::from_str("pixel buffer is not width × height × 4 bytes"))?;
        let rules = Rules::default();
        let mut source = Pyramid::new(view);
        let request = match quad.as_deref() {
            Some(&[x0, y0, x1, y1, x2, y2, x3, y3]) => {
                let corner = |x, y| PointPx { x, y };
                let quad = [
                    corner(x0, y0),
                    corner(x1, y1),
                    corner(x2, y2),
                    corner(x3, y3),
                ];
                DocumentRequest::new(quad, width, height, document::size_for(slot))
            }
            Some(_) => return Err(JsValue::from_str("a quad is 8 numbers")),
            None => {
                let Ok(work) = WorkPlan::new((width, height)).read(&mut source);
                let framing = frame(&work, slot);
                document_request(&work, framing.as_ref(), (width, height), slot, &rules)
            }
        }
        .ok_or_else(|| JsValue::from_str("no whole document found"))?;
        let runs = runs.max(1);
        let read_once = |source: &mut Pyramid| {
            if slot.is_passport_page() {
                let Ok(mrz) = read_mrz(source, &request);
                mrz.map(|m| m.text())
            } else {
                let Ok(number) = read_id_number(source, &request);
                number
            }
        };
        // Warm: the templates and the model's weights are set up on the first read.
        let mut read = read_once(&mut source);
        let t0 = js_sys::Date::now();
        for _ in 0..runs {
            read = read_once(&mut source);
        }
        let t1 = js_sys::Date::now();
        for _ in 0..runs {
            std::hint::black_box(analyze_frame(view, None, slot, &rules));
        }
        let t2 = js_sys::Date::now();
        let per_run = |ms: f64| ms / f64::from(runs);
        // JSON by hand: the worker links no JSON serialiser for this bench alone.
        let read = read.map_or("null".into(), |t| format!("{t:?}"));
        Ok(format!(
            r#"{{"readMs":{},"checksMs":{},"read":{read}}}"#,
            per_run(t1 - t0),
            per_run(t2 - t1)
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
