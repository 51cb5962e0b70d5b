//! A JPEG's pyramid in the worker from the browser's **scaled decodes** (WebCodecs'
//! `ImageDecoder` asked for `⌈W/2ˢ⌉ × ⌈H/2ˢ⌉`: libjpeg-turbo's scaled IDCT, so no full-size
//! pixels are made), the same bytes the CLI gets from its libjpeg-turbo
//! ([`crate::checks::photo::scaled`]). For a 12 MP photo the checks then cost one decode at a
//! quarter of the size (1008 × 756, ~40 ms here) instead of the full decode and the canvas
//! halving (docs/decode_speed.md); coarser levels are halved from it. Level 0, when a small document needs it, is the full
//! decode read back through the canvas as before.

use super::{corrupt, read_rows};
use crate::checks::photo::orient::Orientation;
use crate::checks::photo::pyramid::{Region, Source};
use crate::checks::photo::scaled::{scaled_size, Missing, ScaledSource};
use crate::checks::photo::PhotoError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap};

#[wasm_bindgen]
extern "C" {
    /// WebCodecs' `ImageDecoder` (Chromium 94+, Firefox 133+; not Safari).
    type ImageDecoder;
    #[wasm_bindgen(constructor, catch)]
    fn new(init: &JsValue) -> Result<ImageDecoder, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn decode(this: &ImageDecoder) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method)]
    fn close(this: &ImageDecoder);

    /// The decoded frame (a `VideoFrame`).
    type VideoFrame;
    #[wasm_bindgen(method, getter, js_name = codedWidth)]
    fn coded_width(this: &VideoFrame) -> u32;
    #[wasm_bindgen(method, getter, js_name = codedHeight)]
    fn coded_height(this: &VideoFrame) -> u32;
    #[wasm_bindgen(method, catch, js_name = allocationSize)]
    fn allocation_size(this: &VideoFrame, options: &JsValue) -> Result<u32, JsValue>;
    #[wasm_bindgen(method, catch, js_name = copyTo)]
    fn copy_to(
        this: &VideoFrame,
        destination: &js_sys::Uint8Array,
        options: &JsValue,
    ) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = close)]
    fn close_frame(this: &VideoFrame);
}

/// Whether this worker has `ImageDecoder`.
pub fn available() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"ImageDecoder".into()).unwrap_or(false)
}

/// Why a read could not be answered now.
pub enum Fetch {
    /// The decode at `1/2ˢ` (0: the full decode) is needed first.
    Need(u32),
    Failed(PhotoError),
}

/// The worker's [`Source`] for a JPEG: [`ScaledSource`] for levels ≥ 1, the full decode's
/// bitmap for level 0. Decodes are asynchronous, so a read of a level not yet decoded answers
/// [`Fetch::Need`]: the caller [`fetch`](JpegSource::fetch)es it and runs the pipeline again.
pub struct JpegSource {
    /// The file: each decode reads it as a stream ([`decoder_for`]: 2–3 ms less than from an
    /// `ArrayBuffer` here).
    file: Blob,
    pub scaled: ScaledSource,
    /// The full decode, upright (`createImageBitmap`), once level 0 was needed.
    pub bitmap: Option<ImageBitmap>,
}

impl JpegSource {
    /// The source of the JPEG `file`, stored `coded` pixels, `orientation`.
    pub fn new(file: &Blob, coded: (u32, u32), orientation: Orientation) -> JpegSource {
        JpegSource {
            file: file.clone(),
            scaled: ScaledSource::new(coded, orientation),
            bitmap: None,
        }
    }

    /// Decodes at `1/2ˢ` (1–3) with `ImageDecoder` and hands the pixels to the source.
    ///
    /// # Errors
    /// The browser could not decode at that size (the caller falls back to the canvas).
    pub async fn fetch(&mut self, scale: u32) -> Result<(), PhotoError> {
        let (w, h) = self.scaled.coded_size_at(scale);
        let decoder = decoder_for(&self.file, (w, h)).map_err(corrupt)?;
        let decoded = async {
            let result = JsFuture::from(decoder.decode()?).await?;
            let frame: VideoFrame =
                js_sys::Reflect::get(&result, &"image".into())?.unchecked_into();
            let pixels = copy_rgba(&frame).await;
            let size = (frame.coded_width(), frame.coded_height());
            frame.close_frame();
            Ok::<_, JsValue>((pixels?, size))
        }
        .await;
        decoder.close();
        let (pixels, size) = decoded.map_err(corrupt)?;
        self.scaled
            .insert(scale, pixels, size)
            .map_err(|e| corrupt(format!("ImageDecoder at 1/{}: {e:?}", 1 << scale)))
    }
}

/// The JPEG `file` (stored `coded` pixels) decoded at `1/2ˢ` and turned upright by the browser
/// (`createImageBitmap` of the frame applies its EXIF rotation and flip), for the upload copy
/// of a photo at least twice the upload's size: a 48 MP photo is then never decoded whole
/// (48 MB instead of 192 MB of pixels, and 189 ms instead of 230 here).
///
/// # Errors
/// The browser could not decode it so (the caller decodes it whole).
pub async fn upright_bitmap(
    file: &Blob,
    coded: (u32, u32),
    scale: u32,
) -> Result<ImageBitmap, JsValue> {
    let (w, h) = scaled_size(coded, scale);
    let decoder = decoder_for(file, (w, h))?;
    let bitmap = async {
        let result = JsFuture::from(decoder.decode()?).await?;
        let frame: VideoFrame = js_sys::Reflect::get(&result, &"image".into())?.unchecked_into();
        let global = js_sys::global();
        let create: js_sys::Function =
            js_sys::Reflect::get(&global, &"createImageBitmap".into())?.dyn_into()?;
        let made = match create.call1(&global, &frame) {
            Ok(promise) => JsFuture::from(js_sys::Promise::from(promise)).await,
            Err(e) => Err(e),
        };
        let size = (frame.coded_width(), frame.coded_height());
        frame.close_frame();
        if size != (w, h) {
            return Err(JsValue::from_str("the decoder did not scale as asked"));
        }
        Ok::<ImageBitmap, JsValue>(made?.unchecked_into())
    }
    .await;
    decoder.close();
    bitmap
}

/// A decoder of the JPEG `file`, read as a stream (no copy of its bytes in JS; decoding starts
/// as they arrive), asked for `w × h` pixels.
fn decoder_for(file: &Blob, (w, h): (u32, u32)) -> Result<ImageDecoder, JsValue> {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"data".into(), &file.stream())?;
    js_sys::Reflect::set(&init, &"type".into(), &"image/jpeg".into())?;
    js_sys::Reflect::set(&init, &"desiredWidth".into(), &w.into())?;
    js_sys::Reflect::set(&init, &"desiredHeight".into(), &h.into())?;
    ImageDecoder::new(&init)
}

/// The frame's pixels as RGBA (Chromium decodes a scaled JPEG to BGRX: a swizzle).
async fn copy_rgba(frame: &VideoFrame) -> Result<Vec<u8>, JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"format".into(), &"RGBA".into())?;
    let buffer = js_sys::Uint8Array::new_with_length(frame.allocation_size(&options)?);
    JsFuture::from(frame.copy_to(&buffer, &options)?).await?;
    Ok(buffer.to_vec())
}

impl Drop for JpegSource {
    /// Frees the full decode's pixels now (on every early return too), not at garbage collection.
    fn drop(&mut self) {
        if let Some(bitmap) = self.bitmap.take() {
            bitmap.close();
        }
    }
}

impl Source for JpegSource {
    type Error = Fetch;

    fn size(&self) -> (u32, u32) {
        self.scaled.size()
    }

    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Fetch> {
        if level == 0 {
            let Some(bitmap) = &self.bitmap else {
                return Err(Fetch::Need(0));
            };
            return read_rows(bitmap, region, sink).map_err(Fetch::Failed);
        }
        self.scaled
            .read_rows(level, region, sink)
            .map_err(|Missing(s)| Fetch::Need(s))
    }
}
