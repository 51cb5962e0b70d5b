//! The page's side of the photo worker: started on the first photo, reused for the next,
//! shut down after [`IDLE_MS`] without work (its decoder memory goes with it).
//!
//! **Watchdog.** A worker can die without an `error` event (out of memory, `self.close()`),
//! and then answers nothing: every job would stay "checking". While jobs are pending and the
//! worker is running, it is pinged every [`PING_MS`]; one that has said nothing for
//! [`DEAD_MS`] is terminated and replaced, and each photo it held is sent once more to the new
//! one (a second loss reports it as failed). The same on an `error` event. Camera frames are
//! not retried: the next frame is already there.

use crate::protocol::{FrameJob, Job, JobId, Outcome, Reply, Request, WorkerError, PONG, READY};
use crate::worker::wire;
use gloo_timers::callback::{Interval, Timeout};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Idle time after the last answer before the worker is stopped, ms.
pub const IDLE_MS: u32 = 60_000;

/// Ping period of the watchdog while jobs are pending, ms.
pub const PING_MS: u32 = 2_000;
/// Silence after which a ready worker with pending jobs is taken for dead, ms: longer than
/// any single synchronous step of a check (the worker answers pings between steps; the
/// slowest, a 48 MP photo's analysis on a slow phone, takes about 2 s).
pub const DEAD_MS: f64 = 8_000.0;

/// Longest wait for an idle period before the worker is started anyway, ms.
pub const PREFETCH_MS: u32 = 3_000;

/// A pending [`PhotoWorker::warm_when_idle`]; dropping it cancels the start.
pub struct IdleStart {
    id: f64,
    idle: bool,
    _callback: Closure<dyn Fn()>,
}

impl Drop for IdleStart {
    fn drop(&mut self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let name = if self.idle {
            "cancelIdleCallback"
        } else {
            "clearTimeout"
        };
        if let Some(cancel) = js_sys::Reflect::get(&window, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = cancel.call1(&window, &self.id.into());
        }
    }
}

/// Gets every message of a job: `Checked` then `Prepared` (with the upload-ready JPEG),
/// or `Failed`.
type Done = Rc<dyn Fn(Outcome, Option<web_sys::Blob>)>;

struct Running {
    worker: Worker,
    /// The worker said [`READY`]; until then jobs wait in `queue`.
    ready: bool,
    queue: Vec<JsValue>,
    /// When the worker last said anything (`performance.now()`, ms).
    last_heard: f64,
    _watchdog: Interval,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

impl Running {
    /// Stops the worker. Its handlers are detached first: a message it sent just before (a
    /// pong, a reply) may still be queued, and must not reach the closures dropped with this.
    fn end(self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// A job waiting for its answers.
struct Pending {
    done: Done,
    /// The request, to send once more if the worker is lost (photos only, and only once).
    resend: Option<JsValue>,
}

#[derive(Default)]
struct Inner {
    running: Option<Running>,
    pending: HashMap<JobId, Pending>,
    idle: Option<Timeout>,
}

impl Inner {
    /// Ends the worker and forgets every job and the pending idle start.
    fn end_all(&mut self) {
        if let Some(r) = self.running.take() {
            r.end();
        }
        self.pending.clear();
        self.idle = None;
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// A handle to the (lazily started) worker. Clones share it.
#[derive(Clone)]
pub struct PhotoWorker {
    url: Rc<str>,
    inner: Rc<RefCell<Inner>>,
}

/// A [`PhotoWorker`] that may be gone.
pub struct WeakPhotoWorker {
    url: Rc<str>,
    inner: std::rc::Weak<RefCell<Inner>>,
}

impl WeakPhotoWorker {
    #[must_use]
    pub fn upgrade(&self) -> Option<PhotoWorker> {
        Some(PhotoWorker {
            url: self.url.clone(),
            inner: self.inner.upgrade()?,
        })
    }
}

impl PartialEq for PhotoWorker {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl PhotoWorker {
    #[must_use]
    pub fn new(url: &str) -> PhotoWorker {
        PhotoWorker {
            url: url.into(),
            inner: Rc::default(),
        }
    }

    /// Sends `job` with its `file`; `done` gets each outcome (a failure if the worker
    /// cannot run).
    pub fn check(
        &self,
        job: Job,
        file: &web_sys::Blob,
        done: impl Fn(Outcome, Option<web_sys::Blob>) + 'static,
    ) {
        let id = job.id;
        let message = wire::encode(&Request::Check(job), Some(file.as_ref()));
        let sent = match (self.ensure_running(), message) {
            (Ok(()), Ok(message)) => self.post(message.clone()).then_some(message),
            _ => None,
        };
        if let Some(message) = sent {
            self.track(id, Rc::new(done), Some(message));
        } else {
            done(worker_failed("the photo checker could not start"), None);
        }
    }

    /// Sends a camera preview frame (`frame` is transferred: it is unusable here afterwards);
    /// `done` gets its [`Outcome::Framed`] (or a failure). `false`, with nothing sent, while
    /// the worker is still starting: the camera offers the next frame instead.
    pub fn frame(
        &self,
        job: FrameJob,
        frame: &web_sys::ImageBitmap,
        done: impl Fn(Outcome, Option<web_sys::Blob>) + 'static,
    ) -> bool {
        let id = job.id;
        if self.ensure_running().is_err() {
            return false;
        }
        let Ok(message) = wire::encode(&Request::Frame(job), Some(frame.as_ref())) else {
            return false;
        };
        let sent = {
            let inner = self.inner.borrow();
            let transfer = js_sys::Array::of1(frame);
            inner.running.as_ref().is_some_and(|r| {
                r.ready
                    && r.worker
                        .post_message_with_transfer(&message, &transfer)
                        .is_ok()
            })
        };
        if sent {
            self.track(id, Rc::new(done), None);
        }
        sent
    }

    /// Waits for job `id`'s answers (the worker is busy: no idle stop meanwhile).
    fn track(&self, id: JobId, done: Done, resend: Option<JsValue>) {
        let mut inner = self.inner.borrow_mut();
        inner.idle = None;
        inner.pending.insert(id, Pending { done, resend });
    }

    /// Stops job `id` (its photo was replaced or removed): nothing more is reported for it,
    /// and the worker drops it at its next step.
    pub fn cancel(&self, id: JobId) {
        if self.inner.borrow_mut().pending.remove(&id).is_none() {
            return;
        }
        if let Ok(message) = wire::encode(&Request::Cancel(id), None) {
            self.post(message);
        }
        self.idle_if_done();
    }

    /// Starts the worker ahead of a job (the shopper is about to choose a photo), so its
    /// wasm is compiled by the time the photo arrives. Failures surface at `check`.
    pub fn warm(&self) {
        let _ = self.ensure_running();
    }

    /// Starts the worker in the browser's next idle period (`requestIdleCallback`, at most
    /// [`PREFETCH_MS`] later; a plain timeout where it is missing): its 0.5 MB (gzipped) wasm
    /// then loads while the shopper types, not when the first photo is chosen. Dropping the
    /// handle cancels it.
    #[must_use]
    pub fn warm_when_idle(&self) -> Option<IdleStart> {
        let window = web_sys::window()?;
        let this = self.clone();
        let callback = Closure::<dyn Fn()>::new(move || this.warm());
        let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let (id, idle) = match idle {
            Some(request) => {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&options, &"timeout".into(), &PREFETCH_MS.into());
                let id = request
                    .call2(&window, callback.as_ref(), &options)
                    .ok()?
                    .as_f64()?;
                (id, true)
            }
            None => {
                let id = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        callback.as_ref().unchecked_ref(),
                        i32::try_from(PREFETCH_MS).unwrap_or(i32::MAX),
                    )
                    .ok()?;
                (f64::from(id), false)
            }
        };
        Some(IdleStart {
            id,
            idle,
            _callback: callback,
        })
    }

    /// Posts now if the worker listens, else queues until it says [`READY`].
    fn post(&self, message: JsValue) -> bool {
        let mut inner = self.inner.borrow_mut();
        let Some(r) = inner.running.as_mut() else {
            return false;
        };
        if r.ready {
            r.worker.post_message(&message).is_ok()
        } else {
            r.queue.push(message);
            true
        }
    }

    fn on_ready(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(r) = inner.running.as_mut() {
            r.ready = true;
            for message in r.queue.drain(..) {
                let _ = r.worker.post_message(&message);
            }
        }
    }

    fn ensure_running(&self) -> Result<(), JsValue> {
        if self.inner.borrow().running.is_some() {
            return Ok(());
        }
        // Trunk builds the worker as a classic (no-modules) script.
        let worker = Worker::new(&self.url)?;
        let on_message = {
            let this = self.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(r) = this.inner.borrow_mut().running.as_mut() {
                    r.last_heard = now();
                }
                let text = e.data().as_string();
                if text.as_deref() == Some(PONG) {
                    // Alive: nothing else to do.
                } else if text.as_deref() == Some(READY) {
                    this.on_ready();
                } else {
                    match wire::decode::<Reply>(&e.data()) {
                        Ok((reply, blob)) => this.answer(reply.id, reply.outcome, blob),
                        Err(err) => this.lost(&format!("unreadable reply: {err}")),
                    }
                }
            })
        };
        let on_error = {
            let this = self.clone();
            Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
                e.prevent_default();
                this.lost(&e.message());
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let watchdog = {
            let this = self.clone();
            Interval::new(PING_MS, move || this.watch())
        };
        self.inner.borrow_mut().running = Some(Running {
            worker,
            ready: false,
            queue: Vec::new(),
            last_heard: now(),
            _watchdog: watchdog,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }

    /// The watchdog's tick (see the module docs). Only a ready worker is judged: loading
    /// its wasm on a slow network may take longer than [`DEAD_MS`], and a failed load is an
    /// `error` event.
    fn watch(&self) {
        let silent = {
            let inner = self.inner.borrow();
            match inner.running.as_ref() {
                Some(r) if r.ready && !inner.pending.is_empty() => {
                    if now() - r.last_heard > DEAD_MS {
                        true
                    } else {
                        if let Ok(ping) = wire::encode(&Request::Ping, None) {
                            let _ = r.worker.post_message(&ping);
                        }
                        false
                    }
                }
                _ => false,
            }
        };
        if silent {
            self.lost("the photo checker stopped answering");
        }
    }

    fn answer(&self, id: JobId, outcome: Outcome, blob: Option<web_sys::Blob>) {
        let done = {
            let mut inner = self.inner.borrow_mut();
            if outcome.is_last() {
                inner.pending.remove(&id).map(|p| p.done)
            } else {
                inner.pending.get(&id).map(|p| p.done.clone())
            }
        };
        self.idle_if_done();
        if let Some(done) = done {
            done(outcome, blob);
        }
    }

    /// Arms the idle timer once no job is pending.
    fn idle_if_done(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.pending.is_empty() && inner.running.is_some() {
            let this = self.clone();
            inner.idle = Some(Timeout::new(IDLE_MS, move || this.stop()));
        }
    }

    /// The worker died (a trap, its script failed to load, or it went silent): terminate
    /// it; each photo it held that was not retried yet goes once more to a fresh worker, the
    /// rest fail.
    fn lost(&self, message: &str) {
        web_sys::console::warn_1(&format!("photo worker lost: {message}").into());
        let (retry, failed): (Vec<JsValue>, Vec<Done>) = {
            let mut inner = self.inner.borrow_mut();
            if let Some(r) = inner.running.take() {
                r.end();
            }
            let mut retry = Vec::new();
            let mut failed = Vec::new();
            inner.pending.retain(|_, p| match p.resend.take() {
                Some(message) => {
                    retry.push(message);
                    true
                }
                None => {
                    failed.push(p.done.clone());
                    false
                }
            });
            (retry, failed)
        };
        if !retry.is_empty() {
            if self.ensure_running().is_ok() {
                // Queued until the fresh worker says READY.
                for message in retry {
                    self.post(message);
                }
            } else {
                let pending: Vec<Done> = self
                    .inner
                    .borrow_mut()
                    .pending
                    .drain()
                    .map(|(_, p)| p.done)
                    .collect();
                for done in pending {
                    done(worker_failed("the photo checker could not restart"), None);
                }
            }
        }
        for done in failed {
            done(worker_failed(message), None);
        }
    }

    /// A handle that does not keep the worker alive (see [`WeakPhotoWorker::upgrade`]).
    #[must_use]
    pub fn downgrade(&self) -> WeakPhotoWorker {
        WeakPhotoWorker {
            url: self.url.clone(),
            inner: Rc::downgrade(&self.inner),
        }
    }

    /// [`PhotoWorker::shutdown`] unless the worker's state is in use right now (called from
    /// the panic hook, which must not panic again; the worker's handlers are then dead too).
    pub fn try_shutdown(&self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            inner.end_all();
        }
    }

    /// Stops the worker now, whatever it is doing, and forgets every job (the form that owns
    /// it was unmounted): nothing more is reported.
    pub fn shutdown(&self) {
        self.inner.borrow_mut().end_all();
    }

    fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.pending.is_empty() {
            inner.end_all();
        }
    }
}

fn worker_failed(detail: &str) -> Outcome {
    web_sys::console::error_1(&format!("photo worker: {detail}").into());
    Outcome::Failed(WorkerError::Crashed {
        detail: detail.to_owned(),
    })
}
