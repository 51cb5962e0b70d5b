//! The photo section: one card per slot with its file input (and camera on phones), drop
//! zone, thumbnail with overlays, one row per check and the upload-ready size.

use super::app::Restore;
use super::camera::{camera_error_text, CameraSheet};
use super::camera_session::{camera_available, CameraError};
use super::host::use_ids;
use super::photo_state::{format_bytes, PreparedUpload};
use super::photo_worker::PhotoWorker;
use super::state::{PhotoEntry, SlotView, Upload};
use super::status_parts;
use super::text::{check_label, slot_texts, text, Text};
use crate::checks::photo::Slot;
use crate::checks::Status;
use crate::form::{PhotoState, SharedConfig};
use crate::i18n::{self, fill, Locale};
use crate::protocol::{Checked, JobId, Outcome, WorkerError};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// What a slot reports to the form: a photo was chosen and sent as a job, the worker
/// answered, the upload-ready image is made, the photo was removed.
#[derive(Clone, PartialEq)]
pub struct PhotoCallbacks {
    pub on_chosen: Callback<(Slot, JobId, File)>,
    pub on_done: Callback<(JobId, PhotoState)>,
    pub on_prepared: Callback<(JobId, Upload)>,
    pub on_removed: Callback<Slot>,
}

#[derive(Properties, PartialEq)]
pub struct PhotoSectionProps {
    pub locale: Locale,
    /// The shown slots ([`crate::form::FormState::slot_views`]).
    pub slots: Vec<SlotView>,
    /// The host's photo rules and upload limits.
    pub config: SharedConfig,
    pub worker: PhotoWorker,
    pub callbacks: PhotoCallbacks,
    /// The photos of a form restarted after a crash.
    pub restore: Option<Restore>,
}

/// Every slot of the selected document, in one section.
#[component]
pub fn PhotoSection(props: &PhotoSectionProps) -> Html {
    let locale = props.locale;
    let ids = use_ids();
    let touch = use_memo((), |()| {
        web_sys::window()
            .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
            .is_some_and(|m| m.matches())
    });
    let slots: Html = props
        .slots
        .iter()
        .map(|view| {
            html! {
                <PhotoSlot key={view.slot.as_str()} slot={view.slot} entry={view.entry.clone()}
                    status={view.status} optional={view.optional}
                    duplicate_of={view.duplicate_of} {locale} config={props.config.clone()}
                    worker={props.worker.clone()} touch={*touch}
                    callbacks={props.callbacks.clone()} restore={props.restore.clone()} />
            }
        })
        .collect();
    // Shown once, above the slots, for the integrator and the shopper alike.
    let config_error = props.config.rules.as_ref().err().map(|e| {
        let message = fill(text(locale, Text::RulesInvalid), &[("detail", e.0.clone())]);
        html! { <p class="config-error" role="alert" data-config-error="photo-rules">{ message }</p> }
    });
    html! {
        <section class="photos" aria-labelledby={ids.id("photos-title")}>
            <h2 id={ids.id("photos-title")}>{ text(locale, Text::Photos) }</h2>
            <p class="hint">{ text(locale, Text::PhotosIntro) }</p>
            { config_error }
            <div class="slots">{ slots }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotoSlotProps {
    pub slot: Slot,
    /// Its photo, if one was chosen.
    pub entry: Option<PhotoEntry>,
    /// See [`crate::form::FormState::photo_status`].
    pub status: Option<Status>,
    /// May stay empty.
    pub optional: bool,
    /// Another shown slot holding the same photo.
    pub duplicate_of: Option<Slot>,
    pub locale: Locale,
    pub config: SharedConfig,
    pub worker: PhotoWorker,
    /// Offer the camera (phones and tablets).
    pub touch: bool,
    pub callbacks: PhotoCallbacks,
    /// A form restarted after a crash: this slot's photo is checked again when it mounts.
    pub restore: Option<Restore>,
}

/// One slot: choose / take / drop a photo, see what the checks found, retake.
#[component]
pub fn PhotoSlot(props: &PhotoSlotProps) -> Html {
    let ids = use_ids();
    let slot = props.slot;
    let locale = props.locale;
    let callbacks = &props.callbacks;
    // The job of the photo shown now: cancelled when the photo is replaced or removed.
    let previous = props.entry.as_ref().map(|e| e.job);
    let dragging = use_state(|| false);
    let started = use_mut_ref(|| 0.0f64);
    let elapsed = use_state(|| None::<f64>);

    // Sends a file to the worker and reports the outcome to the form.
    let choose = {
        let callbacks = callbacks.clone();
        let config = props.config.clone();
        let worker = props.worker.clone();
        let started = started.clone();
        let elapsed = elapsed.clone();
        Callback::from(move |file: File| {
            if let Some(previous) = previous {
                worker.cancel(previous);
            }
            let job = next_job_id();
            *started.borrow_mut() = now_ms();
            elapsed.set(None);
            callbacks.on_chosen.emit((slot, job, file.clone()));
            let job_msg = match config.job(job, slot) {
                Ok(job_msg) => job_msg,
                Err(e) => {
                    callbacks.on_done.emit((job, PhotoState::Failed(e)));
                    return;
                }
            };
            let callbacks = callbacks.clone();
            let started = started.clone();
            let elapsed = elapsed.clone();
            worker.check(job_msg, &file, move |outcome, blob| {
                let photo = match outcome {
                    Outcome::Prepared(p) => {
                        let upload = blob.and_then(|b| PreparedUpload::from_worker(p, b));
                        if let Some(upload) = upload {
                            callbacks.on_prepared.emit((job, Rc::new(upload)));
                        }
                        return;
                    }
                    Outcome::Checked(c) => PhotoState::Checked(Rc::new(*c)),
                    Outcome::Failed(e) => PhotoState::Failed(e),
                    // Only after this slot moved on: nothing to show (frames are the
                    // camera's, never answers to a photo).
                    Outcome::Cancelled | Outcome::Framed(_) => return,
                };
                let t0 = *started.borrow();
                elapsed.set(Some(now_ms() - t0));
                callbacks.on_done.emit((job, photo));
            });
        })
    };

    {
        let choose = choose.clone();
        let restore = props.restore.clone();
        use_effect_with((), move |()| {
            if let Some(file) = restore.and_then(|r| r.take_photo(slot)) {
                choose.emit(file);
            }
        });
    }
    let onchange = {
        let choose = choose.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                choose.emit(file);
            }
            // Choosing the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let choose = choose.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                choose.emit(file);
            }
        })
    };
    let input = use_node_ref();
    let camera_open = use_state(|| false);
    // Without getUserMedia (in-app browsers, insecure pages) the slot says so at once, and
    // phones keep the system camera through the file input.
    let live_camera = *use_memo((), |()| camera_available());
    let camera_error = use_state(move || (!live_camera).then_some(CameraError::Unsupported));
    let camera_button = use_node_ref();
    let open_camera = {
        let camera_open = camera_open.clone();
        let camera_error = camera_error.clone();
        Callback::from(move |_: MouseEvent| {
            camera_error.set(None);
            camera_open.set(true);
        })
    };
    // Back from the sheet: focus returns to the button that opened it.
    let refocus = {
        let camera_button = camera_button.clone();
        move || {
            if let Some(el) = camera_button.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    let sheet = camera_open.then(|| {
        let on_photo = {
            let camera_open = camera_open.clone();
            let choose = choose.clone();
            let refocus = refocus.clone();
            Callback::from(move |file: File| {
                camera_open.set(false);
                choose.emit(file);
                refocus();
            })
        };
        let on_error = {
            let camera_open = camera_open.clone();
            let camera_error = camera_error.clone();
            let refocus = refocus.clone();
            Callback::from(move |e: CameraError| {
                camera_open.set(false);
                camera_error.set(Some(e));
                refocus();
            })
        };
        let on_close = {
            let camera_open = camera_open.clone();
            Callback::from(move |()| {
                camera_open.set(false);
                refocus();
            })
        };
        let rules = props.config.rules.clone().unwrap_or_default();
        html! {
            <CameraSheet {slot} {locale} worker={props.worker.clone()} {rules}
                {on_photo} {on_error} {on_close} />
        }
    });
    // An alert when the camera just failed; the note of a browser without one is no news
    // (every slot shows it from the start, so it is not announced four times).
    let camera_note = camera_error.map(|e| {
        let role = (e != CameraError::Unsupported).then_some("alert");
        html! {
            <p class="camera-error" {role} data-camera-error={e.code()}>
                { text(locale, camera_error_text(e)) }
            </p>
        }
    });
    let remove = {
        let on_removed = callbacks.on_removed.clone();
        let input = input.clone();
        let worker = props.worker.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(previous) = previous {
                worker.cancel(previous);
            }
            on_removed.emit(slot);
            // The Remove button goes away: keep the keyboard user in this slot, on its
            // file input (the "choose photo" control).
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };

    let (label, hint) = slot_texts(slot);
    let name = slot.as_str();
    let entry = props.entry.as_ref();
    let (mut data_status, icon, _) = status_parts(props.status);
    if matches!(entry.map(|e| &e.state), Some(PhotoState::Checking)) {
        data_status = "checking";
    }
    let optional = props.optional.then(|| {
        html! { <span class="optional">{ text(locale, Text::Optional) }</span> }
    });
    let duplicate_of = props.duplicate_of;

    let body = match entry.map(|e| &e.state) {
        // Phones have no drag & drop.
        None => html! {
            <p class="placeholder">
                { text(locale, if props.touch { Text::NoPhotoYet } else { Text::DropHere }) }
            </p>
        },
        Some(PhotoState::Checking) => html! {
            <p class="checking" role="status"><span class="spinner" aria-hidden="true"></span>
                { text(locale, Text::Checking) }</p>
        },
        Some(PhotoState::Failed(e)) => {
            let (error, tip) = failure(locale, e);
            html! {
                <ul class="checks">
                    <li data-check="file" data-status="fail" data-error={error}>
                        <span class="icon" aria-hidden="true">{ "✕" }</span>
                        <span class="what">{ text(locale, Text::CouldNotCheck) }</span>
                        <span class="tip">{ tip }</span>
                    </li>
                </ul>
            }
        }
        Some(PhotoState::Checked(photo)) => {
            let upload = entry.and_then(|e| e.upload.clone());
            html! { <CheckedPhoto photo={photo.clone()} {upload} {locale} {duplicate_of} /> }
        }
    };
    let has_photo = entry.is_some();
    let camera = (props.touch && !live_camera).then(|| {
        let capture = if slot == Slot::Face || slot == Slot::SelfieWithDocument {
            "user"
        } else {
            "environment"
        };
        let id = ids.id(&format!("camera-{name}"));
        html! {
            <>
                <label class="button" for={id.clone()}>{ text(locale, Text::TakePhoto) }</label>
                <input id={id} class="visually-hidden" type="file" accept="image/*"
                    {capture} data-camera={name} onchange={onchange.clone()} />
            </>
        }
    });
    // Start the worker as soon as the shopper reaches for a photo (pointer down on a
    // button, keyboard focus on an input): it compiles while the file chooser is open.
    let warm = {
        let worker = props.worker.clone();
        Callback::from(move |()| worker.warm())
    };
    let onpointerdown = warm.reform(|_: PointerEvent| ());
    let onfocusin = warm.reform(|_: FocusEvent| ());
    let input_id = ids.id(&format!("photo-{name}"));
    let title_id = ids.id(&format!("slot-title-{name}"));
    html! {
        <article class={classes!("slot", (*dragging).then_some("dragging"))}
            data-slot-card={name} data-status={data_status}
            aria-labelledby={title_id.clone()} aria-busy={(data_status == "checking").to_string()}
            {ondragover} {ondragleave} {ondrop}>
            <header>
                <h3 id={title_id}>
                    <span class="icon" aria-hidden="true">{ icon }</span>
                    { text(locale, label) }{ optional }
                </h3>
                <p class="hint">{ text(locale, hint) }</p>
            </header>
            <div class="slot-body" aria-live="polite"
                data-elapsed-ms={elapsed.map(|ms| format!("{ms:.1}"))}>
                { body }
            </div>
            { camera_note }
            { sheet }
            <div class="actions" {onpointerdown} {onfocusin}>
                // The retake action: choosing again replaces the photo.
                <label class="button primary" for={input_id.clone()} data-action="choose">
                    { text(locale, if has_photo { Text::Retake } else { Text::ChoosePhoto }) }
                </label>
                <input id={input_id} ref={input} class="visually-hidden" type="file"
                    accept="image/*" data-slot={name} onchange={onchange.clone()} />
                { camera }
                if live_camera {
                    <button type="button" class="button" data-action="camera" ref={camera_button}
                        onclick={open_camera}>{ text(locale, Text::UseCamera) }</button>
                }
                if has_photo {
                    <button type="button" class="button subtle" data-action="remove"
                        onclick={remove}>{ text(locale, Text::Remove) }</button>
                }
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckedPhotoProps {
    pub photo: Rc<Checked>,
    /// The upload-ready image, once made (the thumbnail shows it).
    pub upload: Option<Rc<PreparedUpload>>,
    pub locale: Locale,
    pub duplicate_of: Option<Slot>,
}

/// Thumbnail with overlays, check rows (problems first), and the upload-ready size.
#[component]
pub fn CheckedPhoto(props: &CheckedPhotoProps) -> Html {
    let locale = props.locale;
    let photo = &props.photo;
    let r = &photo.report;
    // Problems first, in report order otherwise (a stable partition: no sort code for 8 rows).
    let checks = [Status::Fail, Status::Warn, Status::Pass]
        .into_iter()
        .flat_map(|s| r.checks.iter().filter(move |c| c.status == s));
    let duplicate = props.duplicate_of.map(|other| {
        let other = text(locale, slot_texts(other).0);
        html! {
            <li data-check="duplicate" data-status="fail">
                <span class="icon" aria-hidden="true">{ "✕" }</span>
                <span class="what">{ text(locale, Text::CheckDuplicate) }</span>
                <span class="tip">{ fill(text(locale, Text::DuplicateOf), &[("slot", other.to_owned())]) }</span>
            </li>
        }
    });
    let rows: Html = checks
        .into_iter()
        .map(|c| {
            let (status, icon, _) = status_parts(Some(c.status));
            html! {
                <li data-check={c.id.as_str()} data-status={status} data-code={c.code.as_str()}>
                    <span class="icon" aria-hidden="true">{ icon }</span>
                    <span class="what">{ text(locale, check_label(c.id)) }</span>
                    <span class="tip">{ i18n::photo_message(locale, c.code) }</span>
                </li>
            }
        })
        .collect();
    // Presentation attributes, not inline styles: a strict CSP allows them.
    let stroke = format!("{:.1}", (f64::from(r.width.max(r.height)) / 120.0).max(2.0));
    let rect = |class: &'static str, (x, y, width, height): (f64, f64, f64, f64)| {
        html! {
            <rect {class} x={x.to_string()} y={y.to_string()}
                width={width.to_string()} height={height.to_string()}
                stroke-width={stroke.clone()} />
        }
    };
    let quad = r.document_quad.as_ref().map(|q| {
        let points = q
            .iter()
            .map(|p| format!("{:.0},{:.0}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ");
        html! { <polygon class="quad" {points} stroke-width={stroke.clone()} /> }
    });
    let boxes: Html = r
        .glare_boxes
        .iter()
        .map(|b| {
            let [x, y, w, h] = [b.x, b.y, b.width, b.height].map(f64::from);
            rect("glare", (x, y, w, h))
        })
        .chain(
            r.face_boxes
                .iter()
                .map(|b| rect("face", (b.x, b.y, b.width, b.height))),
        )
        .collect();
    let upload = props.upload.as_ref().map(|u| {
        let note = fill(
            text(locale, Text::UploadSize),
            &[
                ("after", format_bytes(u.bytes)),
                ("before", format_bytes(photo.original_bytes)),
                ("size", format!("{}×{}", u.width, u.height)),
            ],
        );
        html! {
            <p class="upload-size" data-upload-bytes={format!("{:.0}", u.bytes)}
                data-upload-size={format!("{}x{}", u.width, u.height)}
                data-timings={format!("{:.0} {:.0} {:.0}", photo.decode_ms, photo.check_ms, u.encode_ms)}>
                { note }
            </p>
        }
    });
    let view_box = format!("0 0 {} {}", r.width, r.height);
    html! {
        <>
            <figure class="thumb">
                if let Some(u) = &props.upload {
                    <img src={u.url.clone()} alt="" />
                }
                <svg class="overlay" viewBox={view_box} preserveAspectRatio="xMidYMid meet"
                    aria-hidden="true">
                    { quad }
                    { boxes }
                </svg>
            </figure>
            <ul class="checks">
                { duplicate }
                { rows }
            </ul>
            { upload }
        </>
    }
}

thread_local! {
    static NEXT_JOB: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// A fresh job id (an older job's late answer for a slot is then recognised and ignored).
/// Why a photo could not be checked: its stable code (`data-error`, the host's
/// `precheck:error`) and the message for the shopper.
#[must_use]
pub fn failure(locale: Locale, error: &WorkerError) -> (&'static str, String) {
    match error {
        WorkerError::Photo { error } => (error.code(), i18n::photo_error_message(locale, error)),
        WorkerError::Config { detail } => (
            "config",
            fill(
                text(locale, Text::RulesInvalid),
                &[("detail", detail.clone())],
            ),
        ),
        WorkerError::Crashed { .. } => ("crashed", text(locale, Text::CheckerFailed).to_owned()),
    }
}

/// A job id no other job of this page has had.
#[must_use]
pub fn next_job_id() -> JobId {
    NEXT_JOB.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}
