//! The photo worker (wasm only): decodes a chosen photo, runs the photo checks and prepares
//! the upload-ready JPEG, off the main thread.
//!
//! Protocol: the worker says [`READY`] once its wasm runs; the page then posts [`Job`]s (the
//! `File` itself travels as a structured clone, no bytes are copied on the main thread);
//! the worker answers each job with [`Outcome::Checked`] as soon as the verdicts are known,
//! then [`Outcome::Prepared`] with the upload-ready image (or one [`Outcome::Failed`]). Steps:
//! 1. size and format from the first 256 KiB (`file::header_dimensions`), so a
//!    decompression bomb is refused before any pixel is allocated;
//! 2. `createImageBitmap` (the browser's decoder, EXIF orientation applied);
//! 3. the bitmap is read back in bands of rows into [`WorkBuilder`]: the working image is
//!    the same as the native CLI's, without a full-size RGBA copy in wasm memory;
//! 4. for document pages, once the working image has located the document, its bounding box
//!    is read back in bands again into a [`DocBuilder`](crate::checks::photo::document::DocBuilder)
//!    (the document at 5 px per mm, as the CLI makes it);
//! 5. [`analyze_framed`], the face detector for the `face` and `selfie-with-document` slots
//!    (its model is compiled into this worker only), and the perceptual hash;
//! 6. the upload-ready JPEG: re-encoded by the canvas (no EXIF, GPS or ICC survives),
//!    long side ≤ `max_long_side`, quality lowered (0.92 → 0.5) then size reduced until it
//!    is ≤ `max_bytes`.

use crate::checks::photo::face;
use crate::checks::photo::file::header_dimensions;
use crate::checks::photo::{
    analyze_framed, document_request, frame, DocImage, DocumentRequest, FileLimits, Format,
    PerceptualHash, PhotoError, Rules, Slot, WorkBuilder,
};
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ContextAttributes2d, DedicatedWorkerGlobalScope, ImageBitmap, ImageBitmapOptions,
    ImageEncodeOptions, ImageOrientation, MessageEvent, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d, ResizeQuality,
};

/// Bytes read to find the format and pixel size.
const HEAD_BYTES: f64 = 256.0 * 1024.0;
/// Source bytes read back from the canvas per band (rows rounded to whole blocks).
const BAND_BYTES: u32 = 4 << 20;

/// Limits of the upload-ready image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadLimits {
    /// Longest side, px (default 2560).
    pub max_long_side: u32,
    /// Largest file, bytes (default 2 MB).
    pub max_bytes: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_long_side: 2560,
            max_bytes: 2_000_000,
        }
    }
}

/// A photo to check.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: u32,
    pub slot: Slot,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub file: Blob,
    /// Rules JSON (as `precheck photo --rules` reads), if the host overrides any.
    pub rules: Option<String>,
    pub upload: UploadLimits,
}

/// The worker's answer to a [`Job`].
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub id: u32,
    pub outcome: Outcome,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")] // externally tagged: an internally tagged enum buffers its content and loses the preserved Blob
pub enum Outcome {
    /// The photo was checked: a report, whatever it says.
    Checked(Checked),
    /// The upload-ready image (after `Checked`).
    Prepared(Prepared),
    /// The photo could not be checked: [`PhotoError::code`] and its message code.
    Failed { error: String, message: String },
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checked {
    /// `PhotoReport::to_json` (English messages; the page renders its own locale).
    pub report_json: String,
    /// [`PerceptualHash::to_hex`].
    pub hash: String,
    pub original_bytes: f64,
    pub format: Format,
    /// Milliseconds: decode (incl. reading the head), checks (read-back + analysis).
    pub decode_ms: f64,
    pub check_ms: f64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prepared {
    /// The upload-ready JPEG.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub upload: Blob,
    pub width: u32,
    pub height: u32,
    /// Milliseconds to resize and encode.
    pub encode_ms: f64,
}

/// Starts answering jobs (the worker binary's `main`).
pub fn run() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        wasm_bindgen_futures::spawn_local(async move {
            match serde_wasm_bindgen::from_value::<Job>(event.data()) {
                Ok(job) => {
                    let id = job.id;
                    let post = move |outcome| post(&Reply { id, outcome });
                    if let Err(e) = check(job, &post).await {
                        post(Outcome::Failed {
                            error: e.code().to_string(),
                            message: e.message_code().as_str().to_string(),
                        });
                    }
                }
                // Only a page of another version could send this.
                Err(e) => post(&Reply {
                    id: u32::MAX,
                    outcome: Outcome::Failed {
                        error: "unreadable".into(),
                        message: format!("bad job: {e}"),
                    },
                }),
            }
        });
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
                      // Messages sent before this point found no handler: tell the page to send its jobs.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

fn post(reply: &Reply) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    if let Ok(value) = reply.serialize(&serializer) {
        let _ = scope.post_message(&value);
    }
}

/// The worker's first message: it is listening.
pub const READY: &str = "id-precheck-worker-ready";

fn corrupt(detail: impl std::fmt::Debug) -> PhotoError {
    PhotoError::Corrupt {
        detail: format!("{detail:?}"),
    }
}

async fn bytes_of(blob: &Blob) -> Result<Vec<u8>, PhotoError> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| PhotoError::Unreadable {
            detail: format!("{e:?}"),
        })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Checks one photo, posting the verdicts and then the upload-ready image; see the module
/// docs for the steps.
async fn check(job: Job, post: &dyn Fn(Outcome)) -> Result<(), PhotoError> {
    let limits = FileLimits::default();
    let rules = match &job.rules {
        Some(json) => Rules::from_json(json).unwrap_or_default(),
        None => Rules::default(),
    };
    let t0 = js_sys::Date::now();
    let size = job.file.size();
    if size <= 0.0 {
        return Err(PhotoError::Empty);
    }
    // Sizes of files are integers well below 2⁵³.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bytes = size as u64;
    if bytes > limits.max_bytes {
        return Err(PhotoError::TooLarge {
            bytes,
            max: limits.max_bytes,
        });
    }
    let head_blob = job
        .file
        .slice_with_f64_and_f64(0.0, HEAD_BYTES)
        .map_err(corrupt)?;
    let head = bytes_of(&head_blob).await?;
    let format = Format::sniff(&head);
    match format {
        Format::Jpeg | Format::Png | Format::Webp => {
            if let Some((w, h)) = header_dimensions(&head) {
                PhotoError::check_dimensions(w, h, &limits)?;
            }
        }
        // Decoded when this browser can (Safari: HEIC); otherwise a clear message below.
        Format::Heic | Format::Avif => {}
        _ => return Err(PhotoError::UnsupportedFormat { format }),
    }
    let bitmap = decode(&job.file, format).await?;
    let (width, height) = (bitmap.width(), bitmap.height());
    if let Err(e) = PhotoError::check_dimensions(width, height, &limits) {
        bitmap.close();
        return Err(e);
    }
    let t1 = js_sys::Date::now();
    let work = read_back(&bitmap, width, height);
    let work = match work {
        Ok(w) => w,
        Err(e) => {
            bitmap.close();
            return Err(e);
        }
    };
    let framing = frame(&work, job.slot);
    let doc = match document_request(&work, framing.as_ref(), (width, height), job.slot, &rules) {
        Some(request) => match read_back_document(&bitmap, &request) {
            Ok(doc) => Some(doc),
            Err(e) => {
                bitmap.close();
                return Err(e);
            }
        },
        None => None,
    };
    let mut report = analyze_framed(
        &work,
        framing,
        doc.as_ref(),
        (width, height),
        job.slot,
        &rules,
    );
    face::add_faces_embedded(&mut report, &work, &rules);
    let hash = PerceptualHash::of(&work);
    let t2 = js_sys::Date::now();
    post(Outcome::Checked(Checked {
        report_json: report.to_json(Locale::En).to_string(),
        hash: hash.to_hex(),
        original_bytes: size,
        format,
        decode_ms: t1 - t0,
        check_ms: t2 - t1,
    }));
    let upload = upload_ready(&bitmap, job.upload).await;
    bitmap.close();
    let (upload, width, height) = upload?;
    post(Outcome::Prepared(Prepared {
        upload,
        width,
        height,
        encode_ms: js_sys::Date::now() - t2,
    }));
    Ok(())
}

/// The browser's decode, upright per EXIF orientation.
async fn decode(file: &Blob, format: Format) -> Result<ImageBitmap, PhotoError> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let promise = scope
        .create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)
        .map_err(corrupt)?;
    match JsFuture::from(promise).await {
        Ok(bitmap) => Ok(bitmap.unchecked_into()),
        // This browser has no decoder for it: say what to do instead.
        Err(_) if matches!(format, Format::Heic | Format::Avif) => {
            Err(PhotoError::UnsupportedFormat { format })
        }
        Err(e) => Err(corrupt(e)),
    }
}

fn context(canvas: &OffscreenCanvas) -> Result<OffscreenCanvasRenderingContext2d, PhotoError> {
    let attributes = ContextAttributes2d::new();
    attributes.set_will_read_frequently(true);
    canvas
        .get_context_with_context_options("2d", &attributes)
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("no 2d context"))?
        .dyn_into()
        .map_err(corrupt)
}

/// Reads the bitmap back in bands of whole blocks and box-filters them into the working
/// image (1:1 copies, no resampling: the same pixels the native decoder gives, up to the
/// decoders' rounding).
fn read_back(
    bitmap: &ImageBitmap,
    width: u32,
    height: u32,
) -> Result<crate::checks::photo::WorkImage, PhotoError> {
    let mut builder = WorkBuilder::new(width, height);
    let k = builder.factor();
    read_rows(bitmap, (0, 0, width, height), k, |rows| {
        builder.push_rows(rows)
    })?;
    Ok(builder.finish())
}

/// Reads the document's bounding box back in bands into the document image (the same rows
/// and the same reduction as [`DocumentRequest::from_view`] natively).
fn read_back_document(
    bitmap: &ImageBitmap,
    request: &DocumentRequest,
) -> Result<DocImage, PhotoError> {
    let mut builder = request.builder();
    let region = (request.x, request.y, request.width, request.height);
    read_rows(bitmap, region, request.factor, |rows| {
        builder.push_rows(rows)
    })?;
    Ok(builder.finish())
}

/// Hands the RGBA rows of `(x, y, width, height)` of the bitmap to `push`, top to bottom, in
/// bands of about [`BAND_BYTES`] (a whole number of `k`-row blocks), through one small canvas.
fn read_rows(
    bitmap: &ImageBitmap,
    (x, y0, width, height): (u32, u32, u32, u32),
    k: u32,
    mut push: impl FnMut(&[u8]),
) -> Result<(), PhotoError> {
    let rows_per_band = (BAND_BYTES / (width.max(1) * 4)).max(1).div_ceil(k) * k;
    let band = rows_per_band.min(height.max(1));
    let canvas = OffscreenCanvas::new(width.max(1), band).map_err(corrupt)?;
    let ctx = context(&canvas)?;
    ctx.set_global_composite_operation("copy")
        .map_err(corrupt)?;
    let mut y = 0;
    while y < height {
        let rows = band.min(height - y);
        let (w, r) = (f64::from(width), f64::from(rows));
        ctx.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            bitmap,
            f64::from(x),
            f64::from(y0 + y),
            w,
            r,
            0.0,
            0.0,
            w,
            r,
        )
        .map_err(corrupt)?;
        let data = ctx.get_image_data(0.0, 0.0, w, r).map_err(corrupt)?;
        push(&data.data());
        y += rows;
    }
    canvas.set_width(1);
    canvas.set_height(1);
    Ok(())
}

/// Re-encodes the photo as the JPEG to upload (see the module docs).
async fn upload_ready(
    bitmap: &ImageBitmap,
    limits: UploadLimits,
) -> Result<(Blob, u32, u32), PhotoError> {
    let (w, h) = (bitmap.width(), bitmap.height());
    let long = w.max(h).max(1);
    let mut scale = (f64::from(limits.max_long_side.max(16)) / f64::from(long)).min(1.0);
    loop {
        // Sizes are positive and at most the original's: the casts are exact enough.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (tw, th) = (
            ((f64::from(w) * scale).round() as u32).max(1),
            ((f64::from(h) * scale).round() as u32).max(1),
        );
        let canvas = OffscreenCanvas::new(tw, th).map_err(corrupt)?;
        let ctx: OffscreenCanvasRenderingContext2d = canvas
            .get_context("2d")
            .map_err(corrupt)?
            .ok_or_else(|| corrupt("no 2d context"))?
            .dyn_into()
            .map_err(corrupt)?;
        if (tw, th) == (w, h) {
            ctx.draw_image_with_image_bitmap(bitmap, 0.0, 0.0)
                .map_err(corrupt)?;
        } else {
            // The browser's high-quality resampler (area averaging when shrinking).
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let options = ImageBitmapOptions::new();
            options.set_resize_width(tw);
            options.set_resize_height(th);
            options.set_resize_quality(ResizeQuality::High);
            let resized: ImageBitmap = JsFuture::from(
                scope
                    .create_image_bitmap_with_image_bitmap_and_image_bitmap_options(
                        bitmap, &options,
                    )
                    .map_err(corrupt)?,
            )
            .await
            .map_err(corrupt)?
            .unchecked_into();
            ctx.draw_image_with_image_bitmap(&resized, 0.0, 0.0)
                .map_err(corrupt)?;
            resized.close();
        }
        for quality in [0.92, 0.85, 0.75, 0.65, 0.5] {
            let options = ImageEncodeOptions::new();
            options.set_type("image/jpeg");
            options.set_quality(quality);
            let blob: Blob = JsFuture::from(
                canvas
                    .convert_to_blob_with_options(&options)
                    .map_err(corrupt)?,
            )
            .await
            .map_err(corrupt)?
            .unchecked_into();
            if blob.size() <= f64::from(limits.max_bytes) || tw.max(th) <= 64 {
                return Ok((blob, tw, th));
            }
        }
        scale *= 0.8;
    }
}
