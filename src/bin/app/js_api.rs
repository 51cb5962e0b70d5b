//! The JavaScript API for host pages (wasm only): thin adapters over [`id_precheck::checks`].
//!
//! ```js
//! const r = wasmBindings.validateField("id-number", "360426199101010071", { locale: "en" });
//! // r = { kind, input, status: "pass"|"warn"|"fail", normalized, issues: [{ code, severity, message }] }
//! ```

use id_precheck::checks::{self, mrz, Date, FieldKind};
use id_precheck::i18n::Locale;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

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
}

/// The options object of an API call; `undefined` or `null` means all defaults.
fn options<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// The `locale` option: zh-CN when absent, an error when unsupported.
fn locale(tag: Option<&str>) -> Result<Locale, JsError> {
    match tag {
        None => Ok(Locale::default()),
        Some(tag) => {
            Locale::parse(tag).ok_or_else(|| JsError::new(&format!("unsupported locale `{tag}`")))
        }
    }
}

/// Serialises to plain JS objects (maps become objects, not `Map`s).
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    Ok(value.serialize(&serializer)?)
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
pub fn validate_field(kind: &str, value: &str, opts: JsValue) -> Result<JsValue, JsError> {
    let o: Options = options(opts)?;
    let locale = locale(o.locale.as_deref())?;
    let kind = FieldKind::parse(kind)
        .ok_or_else(|| JsError::new(&format!("unknown field kind `{kind}`")))?;
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
        _ => checks::check_field(kind, value, o.country.as_deref(), today()),
    };
    to_js(&id_precheck::i18n::field_view(&report, locale))
}

/// Every issue code with its message in `locale`, for host pages that render their own UI.
#[wasm_bindgen(js_name = messageCatalogue)]
pub fn message_catalogue(locale: &str) -> Result<JsValue, JsError> {
    let locale = Locale::parse(locale)
        .ok_or_else(|| JsError::new(&format!("unsupported locale `{locale}`")))?;
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

/// Checks decoded pixels (RGBA, e.g. `ImageData.data`) of a photo for `slot`.
/// `originalWidth`/`originalHeight` are the photo's size before the browser resized it
/// (the resolution check uses them). Returns `{slot, width, height, status, checks:[{id,
/// status, value, threshold, code, message}], metrics, glare_boxes}` (as the CLI prints).
#[wasm_bindgen(js_name = analyzePhoto)]
pub fn analyze_photo(
    rgba: &[u8],
    width: u32,
    height: u32,
    original_width: u32,
    original_height: u32,
    slot: &str,
    opts: JsValue,
) -> Result<JsValue, JsError> {
    use id_precheck::checks::photo::{analyze, RgbaView, Rules, Slot};
    let o: PhotoOptions = options(opts)?;
    let locale = locale(o.locale.as_deref())?;
    let slot = Slot::parse(slot).ok_or_else(|| JsError::new(&format!("unknown slot `{slot}`")))?;
    let rules = match &o.rules {
        None => Rules::default(),
        Some(v) => Rules::from_json(&v.to_string()).map_err(|e| JsError::new(&e.to_string()))?,
    };
    let view = RgbaView::new(width, height, rgba)
        .ok_or_else(|| JsError::new("pixel buffer is not width × height × 4 bytes"))?;
    let report = analyze(view, Some((original_width, original_height)), slot, &rules);
    to_js(&id_precheck::i18n::photo_json(&report, locale))
}

/// Benchmark reference: one plain pass summing every byte of `data` (what any check that
/// looks at every pixel costs at least).
#[wasm_bindgen(js_name = benchReferencePass)]
pub fn bench_reference_pass(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |a, &b| a.wrapping_add(u32::from(b)))
}
