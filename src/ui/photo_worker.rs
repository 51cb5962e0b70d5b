//! The page's side of the photo worker: started on the first photo, reused for the next,
//! shut down after [`IDLE_MS`] without work (its decoder memory goes with it).

use crate::worker::{Job, Outcome, Reply, READY};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Idle time after the last answer before the worker is stopped, ms.
pub const IDLE_MS: u32 = 60_000;

/// Gets every message of a job: `Checked` then `Prepared`, or `Failed`.
type Done = Rc<dyn Fn(Outcome)>;

struct Running {
    worker: Worker,
    /// The worker said [`READY`]; until then jobs wait in `queue`.
    ready: bool,
    queue: Vec<JsValue>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

#[derive(Default)]
struct Inner {
    running: Option<Running>,
    pending: HashMap<u32, Done>,
    idle: Option<Timeout>,
}

/// A handle to the (lazily started) worker. Clones share it.
#[derive(Clone)]
pub struct PhotoWorker {
    url: Rc<str>,
    inner: Rc<RefCell<Inner>>,
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

    /// Sends `job`; `done` gets each outcome (a failure if the worker cannot run).
    pub fn check(&self, job: Job, done: impl Fn(Outcome) + 'static) {
        let id = job.id;
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let message = serde::Serialize::serialize(&job, &serializer);
        let sent = match (self.ensure_running(), message) {
            (Ok(()), Ok(message)) => self.post(message),
            _ => false,
        };
        if sent {
            let mut inner = self.inner.borrow_mut();
            inner.idle = None;
            inner.pending.insert(id, Rc::new(done));
        } else {
            done(worker_failed("the photo checker could not start"));
        }
    }

    /// Starts the worker ahead of a job (the shopper is about to choose a photo), so its
    /// wasm is compiled by the time the photo arrives. Failures surface at `check`.
    pub fn warm(&self) {
        let _ = self.ensure_running();
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
                if e.data().as_string().as_deref() == Some(READY) {
                    this.on_ready();
                } else {
                    match serde_wasm_bindgen::from_value::<Reply>(e.data()) {
                        Ok(reply) => this.answer(reply.id, reply.outcome),
                        Err(err) => web_sys::console::error_1(
                            &format!("photo worker: unreadable reply: {err}").into(),
                        ),
                    }
                }
            })
        };
        let on_error = {
            let this = self.clone();
            Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
                e.prevent_default();
                this.crashed(&e.message());
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.inner.borrow_mut().running = Some(Running {
            worker,
            ready: false,
            queue: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }

    fn answer(&self, id: u32, outcome: Outcome) {
        let last = !matches!(outcome, Outcome::Checked(_));
        let done = {
            let mut inner = self.inner.borrow_mut();
            let done = if last {
                inner.pending.remove(&id)
            } else {
                inner.pending.get(&id).cloned()
            };
            if inner.pending.is_empty() {
                let this = self.clone();
                inner.idle = Some(Timeout::new(IDLE_MS, move || this.stop()));
            }
            done
        };
        if let Some(done) = done {
            done(outcome);
        }
    }

    /// The worker died (a trap, or its script failed to load): fail what it was doing and
    /// start a fresh one for the next photo.
    fn crashed(&self, message: &str) {
        let pending: Vec<Done> = {
            let mut inner = self.inner.borrow_mut();
            if let Some(r) = inner.running.take() {
                r.worker.terminate();
            }
            inner.pending.drain().map(|(_, d)| d).collect()
        };
        for done in pending {
            done(worker_failed(message));
        }
    }

    fn stop(&self) {
        let mut inner = self.inner.borrow_mut();
        if inner.pending.is_empty() {
            if let Some(r) = inner.running.take() {
                r.worker.terminate();
            }
            inner.idle = None;
        }
    }
}

fn worker_failed(detail: &str) -> Outcome {
    web_sys::console::error_1(&format!("photo worker: {detail}").into());
    Outcome::Failed {
        error: "unreadable".into(),
        message: crate::checks::photo::PhotoCode::ErrorUnreadable
            .as_str()
            .into(),
    }
}
