//! The built-in upload in the browser: sends the submission with `XMLHttpRequest` (fetch has
//! no upload progress) as one multipart POST or as tus 1.0 uploads, and reports every step
//! as an [`UploadView`]. What to retry and when is decided by [`crate::upload`]; this module
//! only sends requests, watches for stalls and the browser's `online`/`offline`, and keeps
//! every input (nothing is stored anywhere but in memory).

use crate::upload::{
    after_failure, tus_chunk, tus_metadata, tus_offset, Attempt, Next, PartView, Phase, Protocol,
    UploadConfig, UploadError, UploadView,
};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest};

/// One thing to send: the fields (tus: as JSON) or a photo.
pub struct Part {
    /// `fields` or the slot's name.
    pub name: String,
    pub blob: Blob,
    pub filename: String,
    pub mime: String,
    /// tus: the upload's URL once created, and how much the server has.
    location: Option<String>,
    offset: f64,
    /// tus: the offset must be asked for (`HEAD`) before the next `PATCH`.
    stale: bool,
}

impl Part {
    #[must_use]
    pub fn new(name: &str, blob: Blob, filename: &str, mime: &str) -> Part {
        Part {
            name: name.to_owned(),
            blob,
            filename: filename.to_owned(),
            mime: mime.to_owned(),
            location: None,
            offset: 0.0,
            stale: false,
        }
    }

    fn size(&self) -> f64 {
        self.blob.size()
    }

    /// Not yet created, or not all on the server.
    fn pending(&self) -> bool {
        self.location.is_none() || self.offset < self.size()
    }
}

/// What the upload reports.
pub struct Reports {
    /// Every change of the view (progress, retries, pause, end).
    pub on_view: Box<dyn Fn(&UploadView)>,
    /// It stopped with an error (after the view saying so).
    pub on_error: Box<dyn Fn(&UploadError)>,
    /// It completed: the server's answer (`precheck:uploaded`'s detail).
    pub on_done: Box<dyn Fn(JsValue)>,
}

/// A running upload. Clones share it; [`Uploader::cancel`] stops it.
#[derive(Clone)]
pub struct Uploader(Rc<RefCell<Inner>>);

struct Inner {
    config: UploadConfig,
    protocol: Protocol,
    /// Multipart: the form fields, in order.
    fields: Vec<(String, String)>,
    parts: Vec<Part>,
    /// The submission's key: `Idempotency-Key`, and tus metadata `submission`.
    key: String,
    phase: Phase,
    failures: u32,
    error: Option<UploadError>,
    /// Bytes of the request in flight already sent (tus: of its chunk; multipart: of all).
    in_flight: f64,
    /// Bumped by every new request and abort: callbacks of older requests are ignored.
    generation: u32,
    request: Option<Request>,
    wait: Option<Timeout>,
    /// The delay of the retry `wait` waits for, ms.
    retry_in: Option<f64>,
    reports: Rc<Reports>,
    listeners: Vec<Listener>,
}

/// A window event listener: its event name and callback.
type Listener = (&'static str, Closure<dyn Fn(web_sys::Event)>);

/// The request in flight, and what keeps its callbacks alive.
struct Request {
    xhr: XmlHttpRequest,
    _closures: Vec<Closure<dyn Fn(ProgressEvent)>>,
    stall: Option<Timeout>,
}

/// A finished request.
struct Answer {
    status: u16,
    xhr: XmlHttpRequest,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.xhr.get_response_header(name).ok().flatten()
    }
}

impl Uploader {
    /// Starts uploading `parts` (and, multipart, `fields`) as `config` says.
    #[must_use]
    pub fn start(
        mut config: UploadConfig,
        fields: Vec<(String, String)>,
        parts: Vec<Part>,
        reports: Reports,
    ) -> Uploader {
        let protocol = config.protocol;
        // tus `Location`s are resolved against it.
        if let Some(url) = absolute(&config.url) {
            config.url = url;
        }
        let uploader = Uploader(Rc::new(RefCell::new(Inner {
            config,
            protocol,
            fields,
            parts,
            key: random_key(),
            phase: Phase::Sending,
            failures: 0,
            error: None,
            in_flight: 0.0,
            generation: 0,
            request: None,
            wait: None,
            retry_in: None,
            reports: Rc::new(reports),
            listeners: Vec::new(),
        })));
        uploader.listen();
        uploader.step();
        uploader
    }

    /// Stops for good: aborts the request in flight, forgets the timers and listeners.
    pub fn cancel(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if matches!(inner.phase, Phase::Done | Phase::Cancelled) {
                return;
            }
            inner.abort();
            inner.phase = Phase::Cancelled;
        }
        self.report();
    }

    /// Starts again after a failure or a cancel (tus uploads resume at the server's offset).
    pub fn retry(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if !matches!(inner.phase, Phase::Failed | Phase::Cancelled) {
                return;
            }
            inner.phase = Phase::Sending;
            inner.failures = 0;
            inner.error = None;
            inner.ask_offsets();
        }
        self.report();
        self.step();
    }

    /// Removes the window listeners and aborts what runs (the form was unmounted or the
    /// submission taken back).
    pub fn dispose(&self) {
        self.cancel();
        let listeners = std::mem::take(&mut self.0.borrow_mut().listeners);
        if let Some(window) = web_sys::window() {
            for (name, closure) in &listeners {
                let _ = window
                    .remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
        }
    }

    /// Pause on `offline`, resume on `online`.
    fn listen(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut listeners = Vec::new();
        for name in ["offline", "online"] {
            let weak = Rc::downgrade(&self.0);
            let closure = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                if let Some(inner) = weak.upgrade() {
                    let this = Uploader(inner);
                    if name == "offline" {
                        this.pause();
                    } else {
                        this.resume();
                    }
                }
            });
            let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            listeners.push((name, closure));
        }
        self.0.borrow_mut().listeners = listeners;
    }

    fn pause(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if !matches!(inner.phase, Phase::Sending | Phase::Waiting) {
                return;
            }
            inner.abort();
            inner.ask_offsets();
            inner.phase = Phase::Paused;
            inner.error = Some(UploadError::Offline);
        }
        self.report();
    }

    fn resume(&self) {
        {
            let mut inner = self.0.borrow_mut();
            if inner.phase != Phase::Paused {
                return;
            }
            inner.phase = Phase::Sending;
            inner.error = None;
        }
        self.report();
        self.step();
    }

    /// Sends the next request, or finishes.
    fn step(&self) {
        let (phase, protocol) = {
            let inner = self.0.borrow();
            (inner.phase, inner.protocol)
        };
        if phase != Phase::Sending {
            return;
        }
        if !online() {
            self.pause_offline();
            return;
        }
        match protocol {
            Protocol::Multipart => self.send_multipart(),
            Protocol::Tus => self.send_tus(),
        }
    }

    fn pause_offline(&self) {
        {
            let mut inner = self.0.borrow_mut();
            inner.phase = Phase::Paused;
            inner.error = Some(UploadError::Offline);
        }
        self.report();
    }

    fn send_multipart(&self) {
        let built = {
            let inner = self.0.borrow();
            multipart_body(&inner.fields, &inner.parts).map(|form| {
                let mut headers = inner.config.headers.clone();
                headers.insert("Idempotency-Key".to_owned(), inner.key.clone());
                (form, headers, inner.config.url.clone())
            })
        };
        let Ok((form, headers, url)) = built else {
            self.stop(UploadError::Protocol {
                detail: "the photos could not be put into a form".to_owned(),
            });
            return;
        };
        let this = self.clone();
        self.request(
            "POST",
            &url,
            &headers,
            Some(form.into()),
            move |result| match result {
                Ok(answer) if (200..300).contains(&answer.status) => {
                    let body = answer
                        .xhr
                        .response_text()
                        .ok()
                        .flatten()
                        .unwrap_or_default();
                    let detail = serde_json::json!({
                        "protocol": "multipart",
                        "status": answer.status,
                        "body": body,
                        "idempotencyKey": this.0.borrow().key,
                    });
                    this.finish(&detail);
                }
                Ok(answer) => this.failed(&Attempt::Status {
                    status: answer.status,
                    retry_after: answer.header("Retry-After"),
                }),
                Err(attempt) => this.failed(&attempt),
            },
        );
    }

    fn send_tus(&self) {
        enum Step {
            Create,
            Head(String),
            Patch(String, f64, f64),
        }
        let (step, index, mut headers, url, metadata) = {
            let inner = self.0.borrow();
            let Some(index) = inner.parts.iter().position(Part::pending) else {
                drop(inner);
                let inner = self.0.borrow();
                let uploads: Vec<serde_json::Value> = inner
                    .parts
                    .iter()
                    .map(|p| serde_json::json!({ "name": p.name, "url": p.location }))
                    .collect();
                let detail = serde_json::json!({
                    "protocol": "tus",
                    "submission": inner.key,
                    "uploads": uploads,
                });
                drop(inner);
                self.finish(&detail);
                return;
            };
            let part = &inner.parts[index];
            let step = match &part.location {
                None => Step::Create,
                Some(loc) if part.stale => Step::Head(loc.clone()),
                Some(loc) => {
                    // Whole bytes: a Blob's size is an integer.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let (start, end) = tus_chunk(
                        part.offset as u64,
                        part.size() as u64,
                        inner.config.chunk_size,
                    );
                    #[allow(clippy::cast_precision_loss)]
                    let (start, end) = (start as f64, end as f64);
                    Step::Patch(loc.clone(), start, end)
                }
            };
            let metadata = tus_metadata(&[
                ("filename", &part.filename),
                ("filetype", &part.mime),
                ("name", &part.name),
                ("submission", &inner.key),
            ]);
            (
                step,
                index,
                inner.config.headers.clone(),
                inner.config.url.clone(),
                metadata,
            )
        };
        headers.insert("Tus-Resumable".to_owned(), "1.0.0".to_owned());
        let this = self.clone();
        match step {
            Step::Create => {
                let size = self.0.borrow().parts[index].size();
                headers.insert("Upload-Length".to_owned(), format!("{size:.0}"));
                headers.insert("Upload-Metadata".to_owned(), metadata);
                let base = url.clone();
                self.request("POST", &url, &headers, None, move |result| match result {
                    Ok(a) if a.status == 201 => {
                        let location = a
                            .header("Location")
                            .and_then(|l| web_sys::Url::new_with_base(&l, &base).ok())
                            .map(|u| u.href());
                        let Some(location) = location else {
                            this.stop(UploadError::Protocol {
                                detail: "tus creation without a Location header".to_owned(),
                            });
                            return;
                        };
                        this.0.borrow_mut().parts[index].location = Some(location);
                        this.resume_at(index, 0.0);
                    }
                    Ok(a) => this.failed(&status_attempt(&a)),
                    Err(attempt) => this.failed(&attempt),
                });
            }
            Step::Head(location) => {
                self.request(
                    "HEAD",
                    &location,
                    &headers,
                    None,
                    move |result| match result {
                        Ok(a) if (200..300).contains(&a.status) => {
                            let size = this.0.borrow().parts[index].size();
                            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                            let offset =
                                tus_offset(a.header("Upload-Offset").as_deref(), size as u64);
                            let Some(offset) = offset else {
                                this.stop(UploadError::Protocol {
                                    detail: "tus HEAD without a valid Upload-Offset".to_owned(),
                                });
                                return;
                            };
                            #[allow(clippy::cast_precision_loss)]
                            this.resume_at(index, offset as f64);
                        }
                        // The server forgot it: upload that part again from the start.
                        Ok(a) if matches!(a.status, 403 | 404 | 410) => this.restart(index),
                        Ok(a) => this.failed(&status_attempt(&a)),
                        Err(attempt) => this.failed(&attempt),
                    },
                );
            }
            Step::Patch(location, start, end) => {
                let body = self.0.borrow().parts[index]
                    .blob
                    .slice_with_f64_and_f64(start, end);
                let Ok(body) = body else {
                    self.stop(UploadError::Protocol {
                        detail: "the photo could not be read".to_owned(),
                    });
                    return;
                };
                headers.insert("Upload-Offset".to_owned(), format!("{start:.0}"));
                headers.insert(
                    "Content-Type".to_owned(),
                    "application/offset+octet-stream".to_owned(),
                );
                self.request(
                    "PATCH",
                    &location,
                    &headers,
                    Some(body.into()),
                    move |result| {
                        match result {
                            Ok(a) if (200..300).contains(&a.status) => {
                                let size = this.0.borrow().parts[index].size();
                                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                                let offset =
                                    tus_offset(a.header("Upload-Offset").as_deref(), size as u64);
                                #[allow(clippy::cast_precision_loss)]
                                match offset.map(|o| o as f64) {
                                    Some(offset) if offset > start => {
                                        this.0.borrow_mut().parts[index].offset = offset;
                                        this.progressed();
                                    }
                                    _ => this.stop(UploadError::Protocol {
                                        detail: "tus PATCH without a new Upload-Offset".to_owned(),
                                    }),
                                }
                            }
                            // Offsets disagree: ask the server where it stands.
                            Ok(a) if a.status == 409 => {
                                this.0.borrow_mut().parts[index].stale = true;
                                this.progressed();
                            }
                            Ok(a) if matches!(a.status, 404 | 410) => this.restart(index),
                            Ok(a) => {
                                this.0.borrow_mut().parts[index].stale = true;
                                this.failed(&status_attempt(&a));
                            }
                            Err(attempt) => {
                                this.0.borrow_mut().parts[index].stale = true;
                                this.failed(&attempt);
                            }
                        }
                    },
                );
            }
        }
    }

    /// Part `index` continues at the server's `offset`.
    fn resume_at(&self, index: usize, offset: f64) {
        {
            let mut inner = self.0.borrow_mut();
            let part = &mut inner.parts[index];
            part.offset = offset;
            part.stale = false;
        }
        self.progressed();
    }

    /// The server forgot part `index`: it is created and sent again from the start.
    fn restart(&self, index: usize) {
        {
            let mut inner = self.0.borrow_mut();
            let part = &mut inner.parts[index];
            part.location = None;
            part.offset = 0.0;
            part.stale = false;
        }
        self.progressed();
    }

    /// A request succeeded: failures start over, and the next one goes.
    fn progressed(&self) {
        {
            let mut inner = self.0.borrow_mut();
            inner.failures = 0;
            inner.error = None;
            inner.in_flight = 0.0;
        }
        self.report();
        self.step();
    }

    fn failed(&self, attempt: &Attempt) {
        if !online() {
            self.pause_offline();
            return;
        }
        let next = {
            let mut inner = self.0.borrow_mut();
            inner.failures += 1;
            inner.in_flight = 0.0;
            after_failure(
                &inner.config,
                attempt,
                inner.failures,
                js_sys::Math::random(),
                js_sys::Date::now(),
            )
        };
        match next {
            Next::Retry { after_ms, error } => {
                {
                    let mut inner = self.0.borrow_mut();
                    inner.phase = Phase::Waiting;
                    inner.error = Some(error);
                    inner.retry_in = Some(after_ms);
                    let weak = Rc::downgrade(&self.0);
                    // Whole ms, at most 2 minutes.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let ms = after_ms.round() as u32;
                    inner.wait = Some(Timeout::new(ms, move || retry_now(&weak)));
                }
                self.report();
            }
            Next::Stop(error) => self.stop(error),
        }
    }

    fn stop(&self, error: UploadError) {
        let reports = {
            let mut inner = self.0.borrow_mut();
            inner.abort();
            inner.phase = Phase::Failed;
            inner.error = Some(error.clone());
            inner.reports.clone()
        };
        self.report();
        (reports.on_error)(&error);
    }

    fn finish(&self, detail: &serde_json::Value) {
        let reports = {
            let mut inner = self.0.borrow_mut();
            inner.phase = Phase::Done;
            inner.error = None;
            inner.in_flight = 0.0;
            inner.reports.clone()
        };
        self.report();
        if let Ok(detail) = super::host::to_js(detail) {
            (reports.on_done)(detail);
        }
    }

    fn report(&self) {
        let (view, reports) = {
            let inner = self.0.borrow();
            (inner.view(), inner.reports.clone())
        };
        (reports.on_view)(&view);
    }

    /// Sends one request; `done` gets its answer, or why there is none. No progress for
    /// `timeout_ms` aborts it as a timeout.
    fn request(
        &self,
        method: &str,
        url: &str,
        headers: &std::collections::BTreeMap<String, String>,
        body: Option<JsValue>,
        done: impl Fn(Result<Answer, Attempt>) + 'static,
    ) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            self.stop(UploadError::Network);
            return;
        };
        let generation = {
            let mut inner = self.0.borrow_mut();
            inner.abort();
            inner.generation += 1;
            inner.generation
        };
        let opened = xhr.open(method, url).is_ok()
            && headers
                .iter()
                .all(|(k, v)| xhr.set_request_header(k, v).is_ok());
        if !opened {
            self.stop(UploadError::Protocol {
                detail: format!("cannot send {method} {url}"),
            });
            return;
        }
        let done = Rc::new(done);
        let weak = Rc::downgrade(&self.0);
        // An event of this request, not of one aborted since (an event fired by an abort
        // itself, while the state is borrowed, is stale by definition).
        let current = move |weak: &Weak<RefCell<Inner>>| {
            weak.upgrade()
                .filter(|inner| inner.try_borrow().is_ok_and(|i| i.generation == generation))
                .map(Uploader)
        };
        let mut closures = Vec::new();
        let on_load = {
            let (weak, done, xhr) = (weak.clone(), done.clone(), xhr.clone());
            Closure::<dyn Fn(ProgressEvent)>::new(move |_| {
                if let Some(this) = current(&weak) {
                    this.0.borrow_mut().request = None;
                    match xhr.status().unwrap_or(0) {
                        0 => done(Err(Attempt::Network)),
                        status => done(Ok(Answer {
                            status,
                            xhr: xhr.clone(),
                        })),
                    }
                }
            })
        };
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        closures.push(on_load);
        let on_error = {
            let (weak, done) = (weak.clone(), done.clone());
            Closure::<dyn Fn(ProgressEvent)>::new(move |_| {
                if let Some(this) = current(&weak) {
                    this.0.borrow_mut().request = None;
                    done(Err(Attempt::Network));
                }
            })
        };
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        closures.push(on_error);
        let on_progress = {
            let weak = weak.clone();
            Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
                if let Some(this) = current(&weak) {
                    {
                        let mut inner = this.0.borrow_mut();
                        inner.in_flight = if inner.protocol == Protocol::Multipart {
                            // The body is the parts plus the fields and boundaries.
                            let parts: f64 = inner.parts.iter().map(Part::size).sum();
                            if e.total() > 0.0 {
                                e.loaded() / e.total() * parts
                            } else {
                                0.0
                            }
                        } else {
                            e.loaded()
                        };
                    }
                    this.watch_stall(generation);
                    this.report();
                }
            })
        };
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        closures.push(on_progress);
        let sent = match &body {
            Some(body) => match body.dyn_ref::<FormData>() {
                Some(form) => xhr.send_with_opt_form_data(Some(form)),
                None => xhr.send_with_opt_blob(body.dyn_ref::<Blob>()),
            },
            None => xhr.send(),
        };
        self.0.borrow_mut().request = Some(Request {
            xhr,
            _closures: closures,
            stall: None,
        });
        if sent.is_err() {
            self.0.borrow_mut().request = None;
            done(Err(Attempt::Network));
            return;
        }
        self.watch_stall(generation);
        let _ = done;
    }

    /// (Re)arms the stall timer of request `generation`.
    fn watch_stall(&self, generation: u32) {
        let ms = self.0.borrow().config.timeout_ms;
        let weak = Rc::downgrade(&self.0);
        let timer = Timeout::new(ms, move || {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            if inner.borrow().generation != generation {
                return;
            }
            let this = Uploader(inner);
            {
                let mut inner = this.0.borrow_mut();
                inner.abort();
                inner.ask_offsets();
            }
            this.failed(&Attempt::Timeout);
        });
        if let Some(request) = self.0.borrow_mut().request.as_mut() {
            request.stall = Some(timer);
        }
    }
}

impl Inner {
    /// After an interruption: every created tus upload asks the server for its offset
    /// (`HEAD`) before its next `PATCH`.
    fn ask_offsets(&mut self) {
        for part in &mut self.parts {
            part.stale = part.location.is_some();
        }
    }

    /// Aborts the request in flight (its callbacks are ignored from now on) and the retry
    /// timer.
    fn abort(&mut self) {
        self.generation += 1;
        self.wait = None;
        self.retry_in = None;
        self.in_flight = 0.0;
        if let Some(request) = self.request.take() {
            let _ = request.xhr.abort();
        }
    }

    fn view(&self) -> UploadView {
        let total: f64 = self.parts.iter().map(Part::size).sum();
        let mut parts = Vec::with_capacity(self.parts.len());
        match self.protocol {
            Protocol::Multipart => {
                // The body carries the parts in order: spread what is sent over them.
                let mut left = if self.phase == Phase::Done {
                    total
                } else {
                    self.in_flight.min(total)
                };
                for p in &self.parts {
                    let sent = left.min(p.size());
                    left -= sent;
                    parts.push(PartView {
                        name: p.name.clone(),
                        sent,
                        total: p.size(),
                    });
                }
            }
            Protocol::Tus => {
                let current = self.parts.iter().position(Part::pending);
                for (i, p) in self.parts.iter().enumerate() {
                    let extra = if Some(i) == current && self.request.is_some() {
                        self.in_flight
                    } else {
                        0.0
                    };
                    parts.push(PartView {
                        name: p.name.clone(),
                        sent: (p.offset + extra).min(p.size()),
                        total: p.size(),
                    });
                }
            }
        }
        UploadView {
            phase: self.phase,
            sent: parts.iter().map(|p| p.sent).sum(),
            total,
            parts,
            failures: self.failures,
            error: self.error.clone(),
            retry_in_ms: self.retry_in,
        }
    }
}

fn retry_now(weak: &Weak<RefCell<Inner>>) {
    let Some(inner) = weak.upgrade() else {
        return;
    };
    let this = Uploader(inner);
    {
        let mut inner = this.0.borrow_mut();
        if inner.phase != Phase::Waiting {
            return;
        }
        inner.phase = Phase::Sending;
        inner.wait = None;
        inner.retry_in = None;
    }
    this.report();
    this.step();
}

fn status_attempt(answer: &Answer) -> Attempt {
    Attempt::Status {
        status: answer.status,
        retry_after: answer.header("Retry-After"),
    }
}

/// `url` resolved against the page's base URL.
fn absolute(url: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(url, &base)
        .ok()
        .map(|u| u.href())
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The multipart body: the fields, then each photo as `<name>` with its file name.
fn multipart_body(fields: &[(String, String)], parts: &[Part]) -> Result<FormData, JsValue> {
    let form = FormData::new()?;
    for (name, value) in fields {
        form.append_with_str(name, value)?;
    }
    for part in parts {
        form.append_with_blob_and_filename(&part.name, &part.blob, &part.filename)?;
    }
    Ok(form)
}

/// 128 random bits as a UUID-shaped string (v4 layout).
fn random_key() -> String {
    let mut hex = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            hex.push('-');
        }
        let digit = match i {
            12 => 4,
            16 => 8 + (js_sys::Math::random() * 4.0) as u32,
            _ => (js_sys::Math::random() * 16.0) as u32,
        };
        hex.push(char::from_digit(digit.min(15), 16).unwrap_or('0'));
    }
    hex
}
