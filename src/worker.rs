//! The photo worker (wasm only): decodes a chosen photo, runs the photo checks and prepares
//! the upload-ready JPEG, off the main thread.
//!
//! Protocol ([`crate::protocol`]): the worker says [`READY`] once its wasm runs; the page
//! then posts [`Request`]s, each with the `File` beside it as a structured clone (no bytes
//! are copied on the main thread; see [`wire`]); the worker answers each job with
//! [`Outcome::Checked`] as soon as the verdicts are known, then [`Outcome::Prepared`] with
//! the upload-ready image (or one [`Outcome::Failed`]). A [`Request::Cancel`] stops a job at
//! its next step (between the awaits below) with [`Outcome::Cancelled`]. Steps:
//! 1. size and format from the first 256 KiB (`file::header_dimensions`), so a
//!    decompression bomb is refused before any pixel is allocated;
//! 2. a JPEG is decoded at the size the checks need, not at full size: WebCodecs'
//!    `ImageDecoder` gives its scaled decodes (1/2, 1/4, 1/8: libjpeg-turbo's scaled IDCT,
//!    the bytes the CLI gets, [`crate::checks::photo::scaled`]; for a 12 MP photo one
//!    1008 × 756 decode), turned upright per EXIF by the core, and [`analyze_source`] reads
//!    its levels from them ([`jpeg::JpegSource`]; a level not yet decoded is decoded and the
//!    pipeline run again). Other formats, and browsers without `ImageDecoder`, go through
//!    `createImageBitmap` and a [`CanvasSource`]: each pyramid level the plan asks for is
//!    drawn by the canvas (bilinear half-size steps, [`crate::checks::photo::pyramid`]), and
//!    only that level of only that region is read back;
//! 3. the working image, the document region and, for a passport page, the MRZ are read by
//!    [`analyze_source`] from that source;
//! 4. the face detector for the `face` and `selfie-with-document` slots (its model is
//!    compiled into this worker only), and the perceptual hash;
//! 5. the upload-ready JPEG from the full decode (`createImageBitmap`, made now if the
//!    checks did not need it), at low priority: it waits until no photo is being checked, and
//!    a cancelled job (the photo was replaced or removed) stops before each of its steps.
//!    Re-encoded by the canvas (no EXIF, GPS or ICC survives), long side ≤ `max_long_side`,
//!    quality lowered (0.92 → 0.5) then size reduced until it is ≤ `max_bytes`. One
//!    `convertToBlob` holds this thread while it runs (75–130 ms for 2560 px here), so a
//!    photo chosen meanwhile waits for at most that one step.

use crate::checks::photo::face;
use crate::checks::photo::file::header_dimensions;
use crate::checks::photo::guidance;
use crate::checks::photo::orient::Orientation;
use crate::checks::photo::pyramid::{cropped, Region, Source};
use crate::checks::photo::scaled::{scaled_side, MAX_SCALE};
use crate::checks::photo::{
    analyze_frame, analyze_source, FileLimits, Format, PerceptualHash, PhotoError, PhotoReport,
    RgbaView, WorkImage,
};
use crate::protocol::{
    Checked, FrameJob, Framed, Job, JobId, Outcome, Prepared, Reply, Request, UploadLimits,
    WorkerError, PONG, READY,
};
mod jpeg;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
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

/// The envelope of every message: `{message, blob}`, the typed message as a plain JS value
/// and the file (page → worker) or upload-ready JPEG (worker → page) as a structured clone.
pub mod wire {
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::Blob;

    /// Wraps `message` (and `blob`: a `Blob`, or a preview frame's `ImageBitmap`) for
    /// `postMessage`.
    ///
    /// # Errors
    /// A message serde cannot represent in JS (never for the protocol's types).
    pub fn encode<T: Serialize>(message: &T, blob: Option<&JsValue>) -> Result<JsValue, String> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = message.serialize(&serializer).map_err(|e| e.to_string())?;
        let envelope = js_sys::Object::new();
        js_sys::Reflect::set(&envelope, &"message".into(), &value).map_err(|e| format!("{e:?}"))?;
        if let Some(blob) = blob {
            js_sys::Reflect::set(&envelope, &"blob".into(), blob).map_err(|e| format!("{e:?}"))?;
        }
        Ok(envelope.into())
    }

    /// Reads an envelope back.
    ///
    /// # Errors
    /// Not an envelope of `T` (a page or worker of another version).
    pub fn decode<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Option<Blob>), String> {
        let (message, attached) = decode_any(data)?;
        Ok((message, attached.and_then(|b| b.dyn_into::<Blob>().ok())))
    }

    /// [`decode`], with whatever object travelled beside the message.
    ///
    /// # Errors
    /// Not an envelope of `T`.
    pub fn decode_any<T: DeserializeOwned>(data: &JsValue) -> Result<(T, Option<JsValue>), String> {
        let value = js_sys::Reflect::get(data, &"message".into()).map_err(|e| format!("{e:?}"))?;
        let message = serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())?;
        let attached = js_sys::Reflect::get(data, &"blob".into())
            .ok()
            .filter(JsValue::is_object);
        Ok((message, attached))
    }
}

thread_local! {
    /// Jobs the page cancelled while they ran.
    static CANCELLED: RefCell<HashSet<JobId>> = RefCell::default();
    /// Photos between their request and their verdicts: upload copies wait while any is.
    static CHECKING: Cell<u32> = const { Cell::new(0) };
    /// When the last preview frame was analysed (`Date.now()`, ms): upload copies wait
    /// while the camera is guiding ([`PREVIEW_QUIET_MS`]).
    static LAST_FRAME: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    /// The canvas preview frames are read back through, kept from frame to frame (a new
    /// canvas and context per frame cost 3 ms of the 6 ms read-back, `docs/camera.md`); freed when a
    /// photo comes to be checked ([`release_frame_canvas`]).
    static FRAME_CANVAS: RefCell<Option<(OffscreenCanvas, OffscreenCanvasRenderingContext2d)>> =
        const { RefCell::new(None) };
}

/// Frees the preview frames' canvas (a photo is to be checked: its memory goes there).
fn release_frame_canvas() {
    FRAME_CANVAS.with(|slot| {
        if let Some((canvas, _)) = slot.borrow_mut().take() {
            release(&canvas);
        }
    });
}

/// Upload copies start only this long after the last preview frame, ms: one
/// `convertToBlob` would stall the live guidance for 75–130 ms.
const PREVIEW_QUIET_MS: f64 = 500.0;

/// Counts a photo as being checked while it lives.
struct Checking;

impl Checking {
    fn start() -> Checking {
        CHECKING.with(|c| c.set(c.get() + 1));
        Checking
    }
}

impl Drop for Checking {
    fn drop(&mut self) {
        CHECKING.with(|c| c.set(c.get().saturating_sub(1)));
    }
}

/// Resolves after `ms` milliseconds (a macrotask: messages that arrived meanwhile run first).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Pause after the verdicts are posted, before the upload copy: time for the page to render
/// and paint them (two frames at 60 Hz and the render itself), ms.
const PAINT_MS: i32 = 50;

/// Waits until no photo is being checked, then `Err(Cancelled)` if job `id` was cancelled
/// meanwhile: the upload copy's steps run only when they delay no verdict.
async fn idle_then_live(id: JobId) -> Result<(), Stop> {
    sleep(0).await;
    let previewing = || js_sys::Date::now() - LAST_FRAME.with(Cell::get) < PREVIEW_QUIET_MS;
    while CHECKING.with(Cell::get) > 0 || previewing() {
        live(id)?;
        sleep(4).await;
    }
    live(id)
}

/// Why a job stopped early.
enum Stop {
    Photo(PhotoError),
    Cancelled,
}

impl From<PhotoError> for Stop {
    fn from(e: PhotoError) -> Self {
        Stop::Photo(e)
    }
}

/// `Err(Cancelled)` once the page has cancelled job `id` (checked between steps).
fn live(id: JobId) -> Result<(), Stop> {
    if CANCELLED.with(|c| c.borrow().contains(&id)) {
        Err(Stop::Cancelled)
    } else {
        Ok(())
    }
}

/// Starts answering requests (the worker binary's `main`).
pub fn run() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        match wire::decode_any::<Request>(&event.data()) {
            Ok((Request::Cancel(id), _)) => {
                CANCELLED.with(|c| c.borrow_mut().insert(id));
            }
            Ok((Request::Ping, _)) => {
                let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
                let _ = scope.post_message(&JsValue::from_str(PONG));
            }
            Ok((Request::Check(job), Some(file))) if file.is_instance_of::<Blob>() => {
                let file: Blob = file.unchecked_into();
                release_frame_canvas();
                wasm_bindgen_futures::spawn_local(async move {
                    let id = job.id;
                    let outcome = match check(&job, &file).await {
                        Ok(()) => None,
                        Err(Stop::Photo(e)) => Some(Outcome::Failed(e.into())),
                        Err(Stop::Cancelled) => Some(Outcome::Cancelled),
                    };
                    CANCELLED.with(|c| c.borrow_mut().remove(&id));
                    if let Some(outcome) = outcome {
                        post(&Reply { id, outcome }, None);
                    }
                });
            }
            Ok((Request::Frame(job), Some(frame))) if frame.is_instance_of::<ImageBitmap>() => {
                let frame: ImageBitmap = frame.unchecked_into();
                let outcome = match guide(&job, &frame) {
                    Ok(framed) => Outcome::Framed(Box::new(framed)),
                    Err(e) => Outcome::Failed(e.into()),
                };
                frame.close();
                post(
                    &Reply {
                        id: job.id,
                        outcome,
                    },
                    None,
                );
            }
            // Only a page of another version could send this.
            Ok((Request::Check(Job { id, .. }) | Request::Frame(FrameJob { id, .. }), _)) => post(
                &Reply {
                    id,
                    outcome: Outcome::Failed(WorkerError::Crashed {
                        detail: "a request without its file or frame".into(),
                    }),
                },
                None,
            ),
            Err(e) => web_sys::console::error_1(&format!("photo worker: bad request: {e}").into()),
        }
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget(); // lives as long as the worker
                      // Messages sent before this point found no handler: tell the page to send its jobs.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

fn post(reply: &Reply, blob: Option<&Blob>) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match wire::encode(reply, blob.map(AsRef::as_ref)) {
        Ok(value) => {
            let _ = scope.post_message(&value);
        }
        Err(e) => web_sys::console::error_1(&format!("photo worker: unsendable reply: {e}").into()),
    }
}

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
async fn check(job: &Job, file: &Blob) -> Result<(), Stop> {
    let limits = FileLimits::default();
    let rules = &job.rules;
    let t0 = js_sys::Date::now();
    let checking = Checking::start();
    let size = file.size();
    if size <= 0.0 {
        return Err(PhotoError::Empty.into());
    }
    // Sizes of files are integers well below 2⁵³.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bytes = size as u64;
    if bytes > limits.max_bytes {
        return Err(PhotoError::TooLarge {
            bytes,
            max: limits.max_bytes,
        }
        .into());
    }
    let head_blob = file
        .slice_with_f64_and_f64(0.0, HEAD_BYTES)
        .map_err(corrupt)?;
    let head = bytes_of(&head_blob).await?;
    live(job.id)?;
    let format = Format::sniff(&head);
    match format {
        Format::Jpeg | Format::Png | Format::Webp => {
            if let Some((w, h)) = header_dimensions(&head) {
                PhotoError::check_dimensions(w, h, &limits)?;
            }
        }
        // Decoded when this browser can (Safari: HEIC); otherwise a clear message below.
        Format::Heic | Format::Avif => {}
        _ => return Err(PhotoError::UnsupportedFormat { format }.into()),
    }
    let analyzed = if format == Format::Jpeg && jpeg::available() {
        analyze_jpeg(job, file, &head, &limits).await?
    } else {
        None
    };
    let (mut report, work, bitmap, t1) = match analyzed {
        Some(done) => done,
        None => analyze_canvas(job, file, format, &limits).await?,
    };
    face::add_faces_embedded(&mut report, &work, rules);
    let hash = PerceptualHash::of(&work);
    let t2 = js_sys::Date::now();
    let checked = Checked {
        report,
        hash,
        original_bytes: size,
        format,
        decode_ms: t1 - t0,
        check_ms: t2 - t1,
    };
    let reply = |outcome| Reply {
        id: job.id,
        outcome,
    };
    post(&reply(Outcome::Checked(Box::new(checked))), None);
    drop(checking);
    // Let the page paint the verdicts before the upload copy takes a core: on two cores,
    // with the wasm still compiling on the first photo, the verdicts' render otherwise waited
    // behind the decode and encode (E2E heartbeat: frame gaps of 86–161 ms at the verdict).
    sleep(PAINT_MS).await;
    // The upload copy, after the verdicts: from the full decode if the checks made one, else
    // from the JPEG decoded at the smallest scale still at least the upload's size.
    let bitmap = match bitmap {
        Some(b) => b,
        None => {
            idle_then_live(job.id).await?;
            upload_source(file, format, &head, job.upload).await?
        }
    };
    let upload = upload_ready(&bitmap, job.upload, job.id).await;
    bitmap.close();
    let (upload, width, height) = upload?;
    let prepared = Prepared {
        width,
        height,
        encode_ms: js_sys::Date::now() - t2,
    };
    post(&reply(Outcome::Prepared(prepared)), Some(&upload));
    Ok(())
}

/// The checks of a JPEG from its scaled decodes ([`jpeg::JpegSource`]): the decode the
/// working image needs first, then whichever others the pipeline asks for (a document or
/// MRZ at a finer level), each once. Gives the report, the working image, the full decode if
/// one was made, and when the first decode was done; `None` when `ImageDecoder` could not
/// decode at a scaled size (the caller checks through the canvas instead).
async fn analyze_jpeg(
    job: &Job,
    file: &Blob,
    head: &[u8],
    limits: &FileLimits,
) -> Result<Option<Analyzed>, Stop> {
    let Some(coded) = header_dimensions(head) else {
        return Ok(None);
    };
    let mut source = jpeg::JpegSource::new(file, coded, Orientation::of_jpeg(head));
    let original = source.scaled.upright_size();
    let mut need = Some(source.scaled.base());
    let mut fetched = Vec::new();
    let mut t1 = None;
    loop {
        if let Some(s) = need.take() {
            live(job.id)?;
            if fetched.contains(&s) {
                return Err(corrupt(format!("the decode at 1/{} was lost", 1 << s)).into());
            }
            fetched.push(s);
            if s == 0 {
                let bitmap = decode(file, Format::Jpeg).await?;
                let ok = PhotoError::check_dimensions(bitmap.width(), bitmap.height(), limits);
                source.bitmap = Some(bitmap);
                ok?;
            } else if source.fetch(s).await.is_err() {
                return Ok(None); // dropping the source closes a full decode it holds
            }
            live(job.id)?;
            t1.get_or_insert_with(js_sys::Date::now);
        }
        match analyze_source(&mut source, original, job.slot, &job.rules) {
            Ok((report, work)) => {
                let t1 = t1.unwrap_or_else(js_sys::Date::now);
                return Ok(Some((report, work, source.bitmap.take(), t1)));
            }
            Err(jpeg::Fetch::Need(s)) => need = Some(s),
            Err(jpeg::Fetch::Failed(e)) => return Err(e.into()),
        }
    }
}

/// A photo's report, working image, full decode (if made) and when its decode was done.
type Analyzed = (PhotoReport, WorkImage, Option<ImageBitmap>, f64);

/// The decode the upload copy is made from: for a JPEG whose long side is at least twice the
/// upload's `max_long_side`, the browser's scaled decode at the smallest scale (≤ 1/8) that
/// keeps it at least that long, turned upright ([`jpeg::upright_bitmap`]); otherwise, or if
/// that fails, the full decode.
async fn upload_source(
    file: &Blob,
    format: Format,
    head: &[u8],
    limits: UploadLimits,
) -> Result<ImageBitmap, Stop> {
    if let (Format::Jpeg, Some(coded)) = (format, header_dimensions(head)) {
        let long = coded.0.max(coded.1);
        let want = limits.max_long_side.max(16);
        let scale = (1..=MAX_SCALE)
            .take_while(|&s| scaled_side(long, s) >= want)
            .last();
        if let Some(scale) = scale.filter(|_| jpeg::available()) {
            if let Ok(bitmap) = jpeg::upright_bitmap(file, coded, scale).await {
                return Ok(bitmap);
            }
        }
    }
    Ok(decode(file, format).await?)
}

/// The checks through the canvas: `createImageBitmap`, then [`CanvasSource`] (any format the
/// browser decodes; JPEG where `ImageDecoder` is missing).
async fn analyze_canvas(
    job: &Job,
    file: &Blob,
    format: Format,
    limits: &FileLimits,
) -> Result<Analyzed, Stop> {
    let bitmap = decode(file, format).await?;
    let (width, height) = (bitmap.width(), bitmap.height());
    let ready = PhotoError::check_dimensions(width, height, limits)
        .map_err(Stop::from)
        .and_then(|()| live(job.id));
    if let Err(e) = ready {
        bitmap.close();
        return Err(e);
    }
    let t1 = js_sys::Date::now();
    let mut source = CanvasSource::new(&bitmap);
    let analyzed = analyze_source(&mut source, (width, height), job.slot, &job.rules);
    drop(source); // frees the level canvases before the upload copy
    match analyzed {
        Ok((report, work)) => Ok((report, work, Some(bitmap), t1)),
        Err(e) => {
            bitmap.close();
            Err(e.into())
        }
    }
}

/// Guidance on one preview frame: exactly the checks of a photo, judged as a still of
/// `job.capture` size, reduced to [`guidance::FrameFacts`]. A frame is small (the stream's
/// resolution), so it is read back whole, once, and checked by the CLI's own pipeline
/// ([`analyze_frame`] on the RGBA pixels, then the face detector at
/// [`face::GUIDE_DETECT_LONG_SIDE`]): the document region is then cut from memory instead
/// of a second canvas read-back.
fn guide(job: &FrameJob, frame: &ImageBitmap) -> Result<Framed, PhotoError> {
    let t0 = js_sys::Date::now();
    let (w, h) = (frame.width(), frame.height());
    let data = FRAME_CANVAS.with(|slot| -> Result<_, PhotoError> {
        let mut slot = slot.borrow_mut();
        let reuse = slot
            .as_ref()
            .is_some_and(|(c, _)| (c.width(), c.height()) == (w.max(1), h.max(1)));
        if !reuse {
            let canvas = OffscreenCanvas::new(w.max(1), h.max(1)).map_err(corrupt)?;
            let ctx = context(&canvas)?;
            *slot = Some((canvas, ctx));
        }
        let Some((_, ctx)) = slot.as_ref() else {
            return Err(corrupt("no frame canvas"));
        };
        ctx.draw_image_with_image_bitmap(frame, 0.0, 0.0)
            .map_err(corrupt)?;
        Ok(ctx
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .map_err(corrupt)?
            .data())
    })?;
    let readback_ms = js_sys::Date::now() - t0;
    let view = RgbaView::new(w, h, &data).ok_or_else(|| corrupt("frame size"))?;
    let (mut report, work) = analyze_frame(view, Some(job.capture), job.slot, &job.rules);
    // Faces for the face slots only: the emblem side's portrait test is for the still.
    if job.slot.needs_face() {
        face::add_faces_embedded_at(&mut report, &work, &job.rules, face::GUIDE_DETECT_LONG_SIDE);
    }
    let now = js_sys::Date::now();
    LAST_FRAME.with(|t| t.set(now));
    Ok(Framed {
        facts: guidance::facts(&report),
        analysis_ms: now - t0,
        readback_ms,
    })
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

/// The decoded bitmap as the engine's [`Source`]: level 0 is read back in bands through one
/// small canvas; level `n` of the whole frame is drawn by `n` bilinear half-size steps, canvas
/// to canvas, and each level's canvas is kept while the photo is checked, so that a region
/// (the document's box) is then cut from the deepest level already drawn (and halved further
/// when it needs a coarser one). Only the last step's pixels are read back.
struct CanvasSource<'a> {
    bitmap: &'a ImageBitmap,
    size: (u32, u32),
    /// Whole-frame levels drawn so far: `levels[j]` is level `j + 1`.
    levels: Vec<Canvas>,
}

/// An offscreen canvas and its 2D context.
type Canvas = (OffscreenCanvas, OffscreenCanvasRenderingContext2d);

impl<'a> CanvasSource<'a> {
    fn new(bitmap: &'a ImageBitmap) -> CanvasSource<'a> {
        CanvasSource {
            bitmap,
            size: cropped(bitmap.width(), bitmap.height()),
            levels: Vec::new(),
        }
    }

    /// What level `j` (0: the bitmap) is drawn from.
    fn drawable(&self, j: u32) -> Drawable<'_> {
        match j {
            0 => Drawable::Bitmap(self.bitmap),
            _ => Drawable::Canvas(&self.levels[j as usize - 1].0),
        }
    }
}

impl Drop for CanvasSource<'_> {
    fn drop(&mut self) {
        for (canvas, _) in &self.levels {
            release(canvas);
        }
    }
}

impl Source for CanvasSource<'_> {
    type Error = PhotoError;

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), PhotoError> {
        if level == 0 {
            return read_rows(self.bitmap, region, sink);
        }
        let (w, h) = self.size;
        if region == Region::whole(w, h) {
            while (self.levels.len() as u32) < level {
                let j = self.levels.len() as u32;
                let next = half_of(self.drawable(j), (0.0, 0.0), (w >> j, h >> j))?;
                self.levels.push(next);
            }
        }
        // Start from the deepest level drawn that is not coarser than the one asked for.
        let j = level.min(self.levels.len() as u32);
        let (x, y) = (f64::from(region.x >> j), f64::from(region.y >> j));
        let (lw, lh) = region.at_level(level);
        let data = if j == level {
            let (_, ctx) = &self.levels[j as usize - 1];
            ctx.get_image_data(x, y, f64::from(lw), f64::from(lh))
        } else {
            let (mut rw, mut rh) = region.at_level(j);
            let mut canvas = half_of(self.drawable(j), (x, y), (rw, rh))?;
            for _ in j + 1..level {
                (rw, rh) = (rw / 2, rh / 2);
                let next = half_of(Drawable::Canvas(&canvas.0), (0.0, 0.0), (rw, rh))?;
                release(&canvas.0);
                canvas = next;
            }
            let data = canvas
                .1
                .get_image_data(0.0, 0.0, f64::from(lw), f64::from(lh));
            release(&canvas.0);
            data
        }
        .map_err(corrupt)?;
        sink(&data.data());
        Ok(())
    }
}

/// A 2D context that is read back (software canvas) and copies pixels as they are.
fn context(canvas: &OffscreenCanvas) -> Result<OffscreenCanvasRenderingContext2d, PhotoError> {
    let attributes = ContextAttributes2d::new();
    attributes.set_will_read_frequently(true);
    let ctx: OffscreenCanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &attributes)
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("no 2d context"))?
        .dyn_into()
        .map_err(corrupt)?;
    ctx.set_global_composite_operation("copy")
        .map_err(corrupt)?;
    Ok(ctx)
}

/// Frees a canvas's pixels now rather than at garbage collection.
fn release(canvas: &OffscreenCanvas) {
    canvas.set_width(1);
    canvas.set_height(1);
}

/// What a level is drawn from.
#[derive(Clone, Copy)]
enum Drawable<'a> {
    Bitmap(&'a ImageBitmap),
    Canvas(&'a OffscreenCanvas),
}

/// The `(w, h)` pixels at `(x, y)` of `image` drawn at exactly half size with bilinear
/// smoothing (`imageSmoothingQuality` "low", the default): each pixel the rounded mean of a
/// 2×2 block ([`crate::checks::photo::pyramid`]).
fn half_of(
    image: Drawable<'_>,
    (x, y): (f64, f64),
    (w, h): (u32, u32),
) -> Result<Canvas, PhotoError> {
    let canvas = OffscreenCanvas::new((w / 2).max(1), (h / 2).max(1)).map_err(corrupt)?;
    let ctx = context(&canvas)?;
    ctx.set_image_smoothing_enabled(true);
    let (sw, sh, dw, dh) = (
        f64::from(w),
        f64::from(h),
        f64::from(w / 2),
        f64::from(h / 2),
    );
    match image {
        Drawable::Bitmap(b) => ctx
            .draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                b, x, y, sw, sh, 0.0, 0.0, dw, dh,
            ),
        Drawable::Canvas(c) => ctx
            .draw_image_with_offscreen_canvas_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                c, x, y, sw, sh, 0.0, 0.0, dw, dh,
            ),
    }
    .map_err(corrupt)?;
    Ok((canvas, ctx))
}

/// Hands the RGBA rows of `region` of the bitmap to `sink`, top to bottom, in bands of about
/// [`BAND_BYTES`], through one small canvas (level 0: no resampling).
fn read_rows(
    bitmap: &ImageBitmap,
    region: Region,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), PhotoError> {
    let Region {
        x,
        y: y0,
        width,
        height,
    } = region;
    let band = (BAND_BYTES / (width.max(1) * 4)).max(1).min(height.max(1));
    let canvas = OffscreenCanvas::new(width.max(1), band).map_err(corrupt)?;
    let ctx = context(&canvas)?;
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
        sink(&data.data());
        y += rows;
    }
    release(&canvas);
    Ok(())
}

/// Re-encodes the photo as the JPEG to upload (see the module docs).
async fn upload_ready(
    bitmap: &ImageBitmap,
    limits: UploadLimits,
    id: JobId,
) -> Result<(Blob, u32, u32), Stop> {
    let (w, h) = (bitmap.width(), bitmap.height());
    let long = w.max(h).max(1);
    let mut scale = (f64::from(limits.max_long_side.max(16)) / f64::from(long)).min(1.0);
    loop {
        idle_then_live(id).await?;
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
            idle_then_live(id).await?;
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
                release(&canvas);
                return Ok((blob, tw, th));
            }
        }
        release(&canvas);
        scale *= 0.8;
    }
}
