//! The live camera behind [`super::camera::CameraSheet`]: `getUserMedia`, one preview frame
//! at a time to the worker for guidance ([`Request::Frame`](crate::protocol::Request)), the
//! steadied message ([`Guide`]) and the still.
//!
//! - **Frames.** On each new camera frame (`requestVideoFrameCallback`, else
//!   `requestAnimationFrame`) the current frame is copied into an `ImageBitmap`
//!   (`createImageBitmap(video)`, the stream's own resolution) and *transferred* to the
//!   worker, which runs the full photo checks on it; the next frame is sent only once the
//!   answer is back, so the worker is never queued up and the main thread only copies.
//! - **Still.** `ImageCapture.takePhoto()` where the browser has it (the camera's full photo
//!   resolution). Elsewhere (Safari, Firefox) each analysed frame is also copied at the
//!   stream's full resolution, and [`SharpestStill`] keeps the copy of the sharpest steady,
//!   passing frame of the last second: that is the still, encoded as JPEG 0.95 (the current
//!   frame only when no such frame is recent). It then goes through the slot exactly as a
//!   chosen file.
//! - **Stopping.** Every track is stopped when the sheet closes, the page is hidden, a photo
//!   is taken or anything fails; frames never leave the device and nothing is recorded.

use super::photo_worker::PhotoWorker;
use crate::checks::photo::guidance::{FrameFacts, Guide, SharpestStill, Shown};
use crate::checks::photo::{Rules, Slot};
use crate::protocol::{FrameJob, Outcome};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, HtmlVideoElement, ImageBitmap, ImageBitmapOptions, ImageEncodeOptions, MediaStream,
    MediaStreamTrack, ResizeQuality,
};

/// Longest side of the frames sent for guidance, px (a larger stream is scaled down by the
/// browser first): about the working image the checks were calibrated on.
pub const FRAME_LONG_SIDE: u32 = 1008;
use yew::Callback;

/// Why the camera could not be used; each leaves the file input as the way to add a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraError {
    /// No `getUserMedia` here (in-app browsers such as WeChat's, insecure pages).
    Unsupported,
    /// The shopper or the browser's settings refused the camera.
    Denied,
    /// No camera on this device.
    NoCamera,
    /// Another app holds the camera.
    Busy,
    /// The camera or the still failed in another way.
    Failed,
}

impl CameraError {
    /// Stable code (`data-camera-error`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            CameraError::Unsupported => "camera-unsupported",
            CameraError::Denied => "camera-denied",
            CameraError::NoCamera => "camera-none",
            CameraError::Busy => "camera-busy",
            CameraError::Failed => "camera-failed",
        }
    }

    /// From the `DOMException` name `getUserMedia` rejected with.
    fn from_name(name: &str) -> CameraError {
        match name {
            "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => CameraError::Denied,
            "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => {
                CameraError::NoCamera
            }
            "NotReadableError" | "TrackStartError" | "AbortError" => CameraError::Busy,
            "TypeError" | "NotSupportedError" => CameraError::Unsupported,
            _ => CameraError::Failed,
        }
    }
}

/// What the session tells the sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum CameraEvent {
    /// The preview plays at `width × height`.
    Live {
        width: u32,
        height: u32,
    },
    /// A frame was analysed: the message to show and what was found on it.
    Frame {
        shown: Shown,
        facts: FrameFacts,
        stats: Stats,
    },
    /// Too slow for live guidance (or the checker stopped): tap to capture.
    TapOnly,
    /// The still is being taken.
    Taking,
    /// The still, to check as a chosen file (its name says where it came from:
    /// [`StillSource::file_name`]).
    Photo(web_sys::File),
    Error(CameraError),
}

/// Where the still came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StillSource {
    /// `ImageCapture.takePhoto()`: the camera's own photo.
    ImageCapture,
    /// The sharpest steady, passing frame of the last second ([`SharpestStill`]).
    SharpestFrame,
    /// The frame on screen at the shutter.
    CurrentFrame,
}

impl StillSource {
    /// The still's file name (stable: hosts and tests may tell the sources apart by it).
    #[must_use]
    pub fn file_name(self, png: bool) -> &'static str {
        match (self, png) {
            (StillSource::ImageCapture, false) => "camera.jpg",
            (StillSource::ImageCapture, true) => "camera.png",
            (StillSource::SharpestFrame, _) => "camera-sharpest-frame.jpg",
            (StillSource::CurrentFrame, _) => "camera-frame.jpg",
        }
    }
}

/// Frame counts since the preview started, for the bench and the page's data attributes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Frames the camera delivered (video frame callbacks).
    pub camera_frames: u32,
    /// Frames analysed by the worker.
    pub analysed: u32,
    /// Sum of the worker's analysis times, ms.
    pub analysis_ms: f64,
    /// Sum of the read-backs within those, ms.
    pub readback_ms: f64,
    /// Slowest analysis, ms.
    pub worst_ms: f64,
    /// Since the preview started playing, ms.
    pub elapsed_ms: f64,
}

struct Inner {
    video: HtmlVideoElement,
    stream: Option<MediaStream>,
    worker: PhotoWorker,
    slot: Slot,
    rules: Rules,
    guide: Guide,
    report: Callback<CameraEvent>,
    in_flight: bool,
    /// Stopped: nothing more happens (closing, hidden page, photo taken, failure).
    stopped: bool,
    /// Live guidance runs (not after [`CameraEvent::TapOnly`] or while taking the still).
    guiding: bool,
    frame_callback: Option<Closure<dyn FnMut()>>,
    on_hidden: Option<Closure<dyn FnMut()>>,
    started: f64,
    stats: Stats,
    next_id: u32,
    /// The browser can take a photo (`ImageCapture`); else frames are kept for the still.
    image_capture: bool,
    /// Full-resolution copy of the frame being analysed (without `ImageCapture` only).
    in_flight_copy: Option<ImageBitmap>,
    /// The copy of the frame [`SharpestStill`] keeps.
    still_copy: Option<ImageBitmap>,
    still: SharpestStill,
}

impl Inner {
    /// Releases the frame copies (the still's too).
    fn release_copies(&mut self) {
        for bitmap in [self.in_flight_copy.take(), self.still_copy.take()]
            .into_iter()
            .flatten()
        {
            bitmap.close();
        }
        self.still.clear();
    }
}

/// One opened camera. Dropping it does not stop it: call [`CameraSession::stop`].
#[derive(Clone)]
pub struct CameraSession(Rc<RefCell<Inner>>);

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Whether this page can ask for the camera at all (`navigator.mediaDevices.getUserMedia`
/// exists: not in insecure contexts, not in many in-app browsers).
#[must_use]
pub fn camera_available() -> bool {
    web_sys::window().is_some_and(|w| {
        let devices = get(&w.navigator(), "mediaDevices");
        devices.is_object() && get(&devices, "getUserMedia").is_function()
    })
}

/// The constraints: the rear camera for documents, the front one for the face slots; a
/// high resolution, 4:3 (the sensor's full area, so the camera focuses on the whole card).
fn constraints(slot: Slot) -> JsValue {
    let facing = if slot.needs_face() {
        "user"
    } else {
        "environment"
    };
    let ideal = |v: JsValue| {
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"ideal".into(), &v);
        o
    };
    let video = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(o, &k.into(), v);
    };
    set(&video, "facingMode", &ideal(facing.into()));
    set(&video, "width", &ideal(1920.into()));
    set(&video, "height", &ideal(1440.into()));
    set(&video, "aspectRatio", &ideal((4.0 / 3.0).into()));
    let all = js_sys::Object::new();
    set(&all, "video", &video);
    set(&all, "audio", &false.into());
    all.into()
}

impl CameraSession {
    /// Opens the camera for `slot` into `video`; `report` gets every [`CameraEvent`].
    pub fn open(
        video: HtmlVideoElement,
        worker: PhotoWorker,
        slot: Slot,
        rules: Rules,
        report: Callback<CameraEvent>,
    ) -> CameraSession {
        let session = CameraSession(Rc::new(RefCell::new(Inner {
            video,
            stream: None,
            worker,
            slot,
            rules,
            guide: Guide::new(),
            report,
            in_flight: false,
            stopped: false,
            guiding: true,
            frame_callback: None,
            on_hidden: None,
            started: now(),
            stats: Stats::default(),
            next_id: 1,
            image_capture: web_sys::window().is_some_and(|w| get(&w, "ImageCapture").is_function()),
            in_flight_copy: None,
            still_copy: None,
            still: SharpestStill::default(),
        })));
        let this = session.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = this.start().await {
                this.fail(e);
            }
        });
        session
    }

    async fn start(&self) -> Result<(), CameraError> {
        let window = web_sys::window().ok_or(CameraError::Unsupported)?;
        if !camera_available() {
            return Err(CameraError::Unsupported);
        }
        self.0.borrow().worker.warm();
        let devices = get(&window.navigator(), "mediaDevices");
        let ask: js_sys::Function = get(&devices, "getUserMedia").unchecked_into();
        let promise: js_sys::Promise = ask
            .call1(&devices, &constraints(self.0.borrow().slot))
            .map_err(|_| CameraError::Unsupported)?
            .unchecked_into();
        let stream: MediaStream = match JsFuture::from(promise).await {
            Ok(s) => s.unchecked_into(),
            Err(e) => {
                let name = get(&e, "name").as_string().unwrap_or_default();
                return Err(CameraError::from_name(&name));
            }
        };
        if self.0.borrow().stopped || super::crash::crashed() {
            stop_tracks(&stream);
            return Ok(());
        }
        let video = self.0.borrow().video.clone();
        video.set_muted(true);
        let _ = video.set_attribute("playsinline", "");
        video.set_src_object(Some(&stream));
        LIVE_STREAMS.with(|l| l.borrow_mut().push(stream.clone()));
        self.0.borrow_mut().stream = Some(stream);
        self.watch_visibility();
        if let Ok(p) = video.play() {
            JsFuture::from(p).await.map_err(|_| CameraError::Failed)?;
        }
        let (width, height) = (video.video_width(), video.video_height());
        {
            let mut inner = self.0.borrow_mut();
            inner.started = now();
            inner.report.emit(CameraEvent::Live { width, height });
        }
        self.schedule();
        Ok(())
    }

    /// Stops the camera when the page is hidden (another app, the lock screen).
    fn watch_visibility(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let weak = Rc::downgrade(&self.0);
        let handler = Closure::<dyn FnMut()>::new(move || {
            let hidden = web_sys::window()
                .and_then(|w| w.document())
                .is_some_and(|d| d.hidden());
            if let (true, Some(inner)) = (hidden, weak.upgrade()) {
                CameraSession(inner).fail(CameraError::Failed);
            }
        });
        let _ = document
            .add_event_listener_with_callback("visibilitychange", handler.as_ref().unchecked_ref());
        self.0.borrow_mut().on_hidden = Some(handler);
    }

    /// Asks for the next camera frame.
    fn schedule(&self) {
        let mut inner = self.0.borrow_mut();
        if inner.stopped {
            return;
        }
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(&self.0);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                CameraSession(inner).on_camera_frame();
            }
        });
        let video: &JsValue = inner.video.as_ref();
        let rvfc = get(video, "requestVideoFrameCallback");
        if rvfc.is_function() {
            let f: js_sys::Function = rvfc.unchecked_into();
            let _ = f.call1(video, callback.as_ref());
        } else if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(callback.as_ref().unchecked_ref());
        }
        // Replacing the previous callback drops it: it has already run.
        inner.frame_callback = Some(callback);
    }

    fn on_camera_frame(&self) {
        let send = {
            let mut inner = self.0.borrow_mut();
            if inner.stopped {
                return;
            }
            inner.stats.camera_frames += 1;
            inner.guiding && !inner.in_flight
        };
        if send {
            self.send_frame();
        }
        self.schedule();
    }

    /// Copies the current frame and sends it to the worker.
    fn send_frame(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let (video, weak) = {
            let mut inner = self.0.borrow_mut();
            inner.in_flight = true;
            (inner.video.clone(), Rc::downgrade(&self.0))
        };
        let (w, h) = (video.video_width(), video.video_height());
        let long = w.max(h);
        let promise = if long > FRAME_LONG_SIDE {
            // A large stream is analysed at most FRAME_LONG_SIDE px long (the checks are
            // calibrated on working images of that size); px/mm stays the stream's.
            let options = ImageBitmapOptions::new();
            options.set_resize_width(w * FRAME_LONG_SIDE / long);
            options.set_resize_height(h * FRAME_LONG_SIDE / long);
            options.set_resize_quality(ResizeQuality::Medium);
            window.create_image_bitmap_with_html_video_element_and_image_bitmap_options(
                &video, &options,
            )
        } else {
            window.create_image_bitmap_with_html_video_element(&video)
        };
        let Ok(promise) = promise else {
            self.0.borrow_mut().in_flight = false;
            return;
        };
        // Without `ImageCapture` the still is a frame: copy this one at the stream's full
        // resolution now, in the same task, so that it is the very frame analysed.
        let copy = (!self.0.borrow().image_capture)
            .then(|| {
                window
                    .create_image_bitmap_with_html_video_element(&video)
                    .ok()
            })
            .flatten();
        wasm_bindgen_futures::spawn_local(async move {
            let bitmap = JsFuture::from(promise).await;
            let copy = match copy {
                Some(p) => JsFuture::from(p)
                    .await
                    .ok()
                    .map(JsCast::unchecked_into::<ImageBitmap>),
                None => None,
            };
            let Some(inner) = weak.upgrade() else {
                if let Ok(b) = bitmap {
                    b.unchecked_into::<ImageBitmap>().close();
                }
                if let Some(c) = copy {
                    c.close();
                }
                return;
            };
            let session = CameraSession(inner);
            if let Some(old) = std::mem::replace(&mut session.0.borrow_mut().in_flight_copy, copy) {
                old.close();
            }
            let Ok(bitmap) = bitmap.map(JsCast::unchecked_into::<ImageBitmap>) else {
                session.0.borrow_mut().in_flight = false;
                return;
            };
            session.analyse(&bitmap);
        });
    }

    fn analyse(&self, bitmap: &ImageBitmap) {
        let (worker, job) = {
            let mut inner = self.0.borrow_mut();
            if inner.stopped || !inner.guiding {
                inner.in_flight = false;
                bitmap.close();
                return;
            }
            inner.next_id = inner.next_id.wrapping_add(1);
            // Frame ids live in the upper half: they never meet a photo's job id.
            let id = 0x8000_0000 | inner.next_id;
            let job = FrameJob {
                id,
                slot: inner.slot,
                rules: inner.rules.clone(),
                capture: (inner.video.video_width(), inner.video.video_height()),
            };
            (inner.worker.clone(), job)
        };
        let weak = Rc::downgrade(&self.0);
        let sent = worker.frame(job, bitmap, move |outcome, _| {
            if let Some(inner) = weak.upgrade() {
                CameraSession(inner).on_answer(outcome);
            }
        });
        if !sent {
            bitmap.close();
            self.0.borrow_mut().in_flight = false;
        }
    }

    fn on_answer(&self, outcome: Outcome) {
        let (event, capture) = {
            let mut inner = self.0.borrow_mut();
            inner.in_flight = false;
            if inner.stopped || !inner.guiding {
                return;
            }
            match outcome {
                Outcome::Framed(framed) => {
                    let ms = framed.analysis_ms;
                    inner.stats.analysed += 1;
                    inner.stats.analysis_ms += ms;
                    inner.stats.readback_ms += framed.readback_ms;
                    inner.stats.worst_ms = inner.stats.worst_ms.max(ms);
                    inner.stats.elapsed_ms = now() - inner.started;
                    if inner.guide.record_cost(ms) {
                        inner.guiding = false;
                        (CameraEvent::TapOnly, false)
                    } else {
                        let t = now();
                        let shown = inner.guide.push(t, &framed.facts);
                        if let Some(copy) = inner.in_flight_copy.take() {
                            if inner.still.offer(t, &shown, &framed.facts) {
                                if let Some(old) = inner.still_copy.replace(copy) {
                                    old.close();
                                }
                            } else {
                                copy.close();
                            }
                        }
                        let stats = inner.stats;
                        (
                            CameraEvent::Frame {
                                shown,
                                facts: framed.facts,
                                stats,
                            },
                            shown.capture,
                        )
                    }
                }
                // The checker failed on a frame: no live tips, the shutter still works.
                _ => {
                    inner.guiding = false;
                    (CameraEvent::TapOnly, false)
                }
            }
        };
        self.0.borrow().report.emit(event);
        if capture {
            self.take();
        }
    }

    /// Takes the still (auto-capture or the shutter button), stops the camera and hands
    /// the photo over.
    pub fn take(&self) {
        let (video, stream, report) = {
            let mut inner = self.0.borrow_mut();
            if inner.stopped || inner.stream.is_none() {
                return;
            }
            inner.guiding = false;
            (
                inner.video.clone(),
                inner.stream.clone(),
                inner.report.clone(),
            )
        };
        report.emit(CameraEvent::Taking);
        let kept = {
            let mut inner = self.0.borrow_mut();
            let usable = inner.still.usable(now()).is_some();
            let kept = inner.still_copy.take().filter(|_| usable);
            inner.release_copies();
            kept
        };
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let track = stream.as_ref().and_then(first_video_track);
            let mut still = None;
            if let Some(track) = &track {
                still = take_photo(track)
                    .await
                    .map(|b| (b, StillSource::ImageCapture));
            }
            if let (None, Some(bitmap)) = (&still, &kept) {
                still = encode_still(bitmap)
                    .await
                    .map(|b| (b, StillSource::SharpestFrame));
            }
            if let Some(bitmap) = kept {
                bitmap.close();
            }
            if still.is_none() {
                still = frame_still(&video)
                    .await
                    .map(|b| (b, StillSource::CurrentFrame));
            }
            this.stop();
            match still.and_then(|(b, source)| to_file(&b, source)) {
                Some(file) => report.emit(CameraEvent::Photo(file)),
                None => report.emit(CameraEvent::Error(CameraError::Failed)),
            }
        });
    }

    fn fail(&self, error: CameraError) {
        let already = self.0.borrow().stopped;
        self.stop();
        if !already {
            let report = self.0.borrow().report.clone();
            report.emit(CameraEvent::Error(error));
        }
    }

    /// Stops every track and every callback; idempotent.
    pub fn stop(&self) {
        let mut inner = self.0.borrow_mut();
        inner.stopped = true;
        inner.guiding = false;
        if let Some(stream) = inner.stream.take() {
            stop_tracks(&stream);
        }
        inner.video.set_src_object(None);
        inner.release_copies();
        if let (Some(handler), Some(document)) = (
            inner.on_hidden.take(),
            web_sys::window().and_then(|w| w.document()),
        ) {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                handler.as_ref().unchecked_ref(),
            );
        }
        inner.frame_callback = None;
    }
}

fn first_video_track(stream: &MediaStream) -> Option<MediaStreamTrack> {
    stream.get_video_tracks().get(0).dyn_into().ok()
}

thread_local! {
    /// Every camera stream this instance opened and has not stopped (see [`stop_all_streams`]).
    static LIVE_STREAMS: RefCell<Vec<MediaStream>> = const { RefCell::new(Vec::new()) };
}

/// Stops `stream`'s tracks (the camera light goes off).
fn end_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
}

fn stop_tracks(stream: &MediaStream) {
    end_tracks(stream);
    LIVE_STREAMS.with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            l.retain(|s| s != stream);
        }
    });
}

/// Stops every camera this instance opened (it panicked: the camera must not stay on).
/// Never panics.
pub fn stop_all_streams() {
    let streams = LIVE_STREAMS
        .try_with(|l| l.try_borrow().map(|l| l.clone()).unwrap_or_default())
        .unwrap_or_default();
    for stream in &streams {
        end_tracks(stream);
    }
}

/// `new ImageCapture(track).takePhoto()`, where the browser has it.
async fn take_photo(track: &MediaStreamTrack) -> Option<Blob> {
    let window = web_sys::window()?;
    let ctor = get(&window, "ImageCapture");
    if !ctor.is_function() {
        return None;
    }
    let capture = js_sys::Reflect::construct(
        ctor.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of1(track),
    )
    .ok()?;
    let take: js_sys::Function = get(&capture, "takePhoto").dyn_into().ok()?;
    let promise: js_sys::Promise = take.call0(&capture).ok()?.dyn_into().ok()?;
    let blob: Blob = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    (blob.size() > 0.0).then_some(blob)
}

/// The current frame at the stream's resolution, as JPEG 0.95.
async fn frame_still(video: &HtmlVideoElement) -> Option<Blob> {
    let (canvas, ctx) = still_canvas(video.video_width(), video.video_height())?;
    ctx.draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    to_jpeg(&canvas).await
}

/// A kept frame copy, as JPEG 0.95.
async fn encode_still(bitmap: &ImageBitmap) -> Option<Blob> {
    let (canvas, ctx) = still_canvas(bitmap.width(), bitmap.height())?;
    ctx.draw_image_with_image_bitmap(bitmap, 0.0, 0.0).ok()?;
    to_jpeg(&canvas).await
}

fn still_canvas(
    w: u32,
    h: u32,
) -> Option<(
    web_sys::OffscreenCanvas,
    web_sys::OffscreenCanvasRenderingContext2d,
)> {
    if w == 0 || h == 0 {
        return None;
    }
    let canvas = web_sys::OffscreenCanvas::new(w, h).ok()?;
    let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    Some((canvas, ctx))
}

/// `canvas` as JPEG 0.95.
async fn to_jpeg(canvas: &web_sys::OffscreenCanvas) -> Option<Blob> {
    let options = ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(0.95);
    let promise = canvas.convert_to_blob_with_options(&options).ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

fn to_file(blob: &Blob, source: StillSource) -> Option<web_sys::File> {
    let parts = js_sys::Array::of1(blob);
    let bag = web_sys::FilePropertyBag::new();
    let kind = blob.type_();
    bag.set_type(if kind.is_empty() { "image/jpeg" } else { &kind });
    let name = source.file_name(kind == "image/png");
    web_sys::File::new_with_blob_sequence_and_options(&parts, name, &bag).ok()
}
