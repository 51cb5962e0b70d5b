//! The photo section: one card per slot with its file input (and camera on phones), drop
//! zone, thumbnail with overlays, one row per check and the upload-ready size.

use super::photo_state::{format_bytes, BoxView, CheckedPhoto, PhotoState, PreparedUpload};
use super::photo_worker::PhotoWorker;
use super::state::{Action, FormState};
use super::status_parts;
use crate::checks::photo::{PhotoCode, Slot};
use crate::i18n::{fill, text, Locale, Text};
use crate::worker::{Job, Outcome};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

/// The label and hint of a slot.
#[must_use]
pub fn slot_texts(slot: Slot) -> (Text, Text) {
    match slot {
        Slot::IdFront => (Text::SlotIdFront, Text::HintIdFront),
        Slot::IdBack => (Text::SlotIdBack, Text::HintIdBack),
        Slot::PassportData => (Text::SlotPassportData, Text::HintPassportData),
        Slot::PassportVisa => (Text::SlotPassportVisa, Text::HintPassportVisa),
        Slot::Face => (Text::SlotFace, Text::HintFace),
        Slot::SelfieWithDocument => (Text::SlotSelfie, Text::HintSelfie),
    }
}

/// The row title of a check id (ids added later show as written).
fn check_name(locale: Locale, id: &str) -> String {
    let t = match id {
        "resolution" => Text::CheckResolution,
        "brightness" => Text::CheckBrightness,
        "contrast" => Text::CheckContrast,
        "blur" => Text::CheckBlur,
        "glare" => Text::CheckGlare,
        "color" => Text::CheckColor,
        "duplicate" => Text::CheckDuplicate,
        "framing" => Text::CheckFraming,
        "face" => Text::CheckFace,
        other => return other.to_owned(),
    };
    text(locale, t).to_owned()
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

#[derive(Properties, PartialEq)]
pub struct PhotoSectionProps {
    pub state: UseReducerHandle<FormState>,
    pub worker: PhotoWorker,
}

/// Every slot of the selected document, in one section.
#[component]
pub fn PhotoSection(props: &PhotoSectionProps) -> Html {
    let state = &props.state;
    let locale = state.locale;
    let touch = use_memo((), |()| {
        web_sys::window()
            .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
            .is_some_and(|m| m.matches())
    });
    let slots: Html = state
        .slots()
        .into_iter()
        .map(|slot| {
            html! {
                <PhotoSlot key={slot.as_str()} {slot} state={state.clone()}
                    worker={props.worker.clone()} touch={*touch} />
            }
        })
        .collect();
    html! {
        <section class="photos" aria-labelledby="photos-title">
            <h2 id="photos-title">{ text(locale, Text::Photos) }</h2>
            <p class="hint">{ text(locale, Text::PhotosIntro) }</p>
            <div class="slots">{ slots }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PhotoSlotProps {
    pub slot: Slot,
    pub state: UseReducerHandle<FormState>,
    pub worker: PhotoWorker,
    /// Offer the camera (phones and tablets).
    pub touch: bool,
}

/// One slot: choose / take / drop a photo, see what the checks found, retake.
#[component]
pub fn PhotoSlot(props: &PhotoSlotProps) -> Html {
    let slot = props.slot;
    let state = &props.state;
    let locale = state.locale;
    let dragging = use_state(|| false);
    let started = use_mut_ref(|| 0.0f64);
    let elapsed = use_state(|| None::<f64>);

    // Sends a file to the worker and records the outcome in the reducer.
    let choose = {
        let state = state.clone();
        let worker = props.worker.clone();
        let started = started.clone();
        let elapsed = elapsed.clone();
        Callback::from(move |file: File| {
            let job = next_job_id();
            *started.borrow_mut() = now_ms();
            elapsed.set(None);
            state.dispatch(Action::PhotoChosen {
                slot,
                job,
                name: file.name(),
            });
            let state = state.clone();
            let started = started.clone();
            let elapsed = elapsed.clone();
            let job_msg = Job {
                id: job,
                slot,
                file: file.into(),
                rules: state.config.rules.clone(),
                upload: state.config.upload,
            };
            worker.check(job_msg, move |outcome| {
                let photo = match outcome {
                    Outcome::Prepared(p) => {
                        if let Some(upload) = PreparedUpload::from_worker(p) {
                            state.dispatch(Action::PhotoPrepared {
                                job,
                                upload: Rc::new(upload),
                            });
                        }
                        return;
                    }
                    Outcome::Checked(c) => match CheckedPhoto::from_worker(&c) {
                        Some(p) => PhotoState::Checked(Rc::new(p)),
                        None => PhotoState::Failed {
                            error: "unreadable".into(),
                            message: PhotoCode::ErrorUnreadable,
                        },
                    },
                    Outcome::Failed { error, message } => PhotoState::Failed {
                        error,
                        message: PhotoCode::parse(&message).unwrap_or(PhotoCode::ErrorUnreadable),
                    },
                };
                let t0 = *started.borrow();
                elapsed.set(Some(now_ms() - t0));
                state.dispatch(Action::PhotoDone { job, state: photo });
            });
        })
    };

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
    let remove = {
        let state = state.clone();
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::PhotoRemoved(slot));
            // The Remove button goes away: keep the keyboard user in this slot, on its
            // file input (the "choose photo" control).
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };

    let (label, hint) = slot_texts(slot);
    let name = slot.as_str();
    let entry = state.photos.get(&slot);
    let status = state.photo_status(slot);
    let (mut data_status, icon, _) = status_parts(status);
    if matches!(entry.map(|e| &e.state), Some(PhotoState::Checking)) {
        data_status = "checking";
    }
    let optional = state.is_optional(slot).then(|| {
        html! { <span class="optional">{ text(locale, Text::Optional) }</span> }
    });
    let duplicate_of = state.duplicates().get(&slot).copied();

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
        Some(PhotoState::Failed { error, message }) => html! {
            <ul class="checks">
                <li data-check="file" data-status="fail" data-error={error.clone()}>
                    <span class="icon" aria-hidden="true">{ "✕" }</span>
                    <span class="what">{ text(locale, Text::CouldNotCheck) }</span>
                    <span class="tip">{ message.message(locale) }</span>
                </li>
            </ul>
        },
        Some(PhotoState::Checked(photo)) => {
            let upload = entry.and_then(|e| e.upload.clone());
            html! { <Checked photo={photo.clone()} {upload} {locale} {duplicate_of} /> }
        }
    };
    let has_photo = entry.is_some();
    let camera = props.touch.then(|| {
        let capture = if slot == Slot::Face || slot == Slot::SelfieWithDocument {
            "user"
        } else {
            "environment"
        };
        let id = format!("camera-{name}");
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
    let input_id = format!("photo-{name}");
    let title_id = format!("slot-title-{name}");
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
            <div class="actions" {onpointerdown} {onfocusin}>
                // The retake action: choosing again replaces the photo.
                <label class="button primary" for={input_id.clone()} data-action="choose">
                    { text(locale, if has_photo { Text::Retake } else { Text::ChoosePhoto }) }
                </label>
                <input id={input_id} ref={input} class="visually-hidden" type="file"
                    accept="image/*" data-slot={name} onchange={onchange.clone()} />
                { camera }
                if has_photo {
                    <button type="button" class="button subtle" data-action="remove"
                        onclick={remove}>{ text(locale, Text::Remove) }</button>
                }
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckedProps {
    pub photo: Rc<CheckedPhoto>,
    /// The upload-ready image, once made (the thumbnail shows it).
    pub upload: Option<Rc<PreparedUpload>>,
    pub locale: Locale,
    pub duplicate_of: Option<Slot>,
}

/// Thumbnail with overlays, check rows (problems first), and the upload-ready size.
#[component]
pub fn Checked(props: &CheckedProps) -> Html {
    let locale = props.locale;
    let photo = &props.photo;
    let r = &photo.report;
    let mut checks: Vec<_> = r.checks.iter().collect();
    checks.sort_by_key(|c| std::cmp::Reverse(c.status));
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
            let message = PhotoCode::parse(&c.code).map_or("", |code| code.message(locale));
            html! {
                <li data-check={c.id.clone()} data-status={status} data-code={c.code.clone()}>
                    <span class="icon" aria-hidden="true">{ icon }</span>
                    <span class="what">{ check_name(locale, &c.id) }</span>
                    <span class="tip">{ message }</span>
                </li>
            }
        })
        .collect();
    // Presentation attributes, not inline styles: a strict CSP allows them.
    let stroke = format!("{:.1}", (f64::from(r.width.max(r.height)) / 120.0).max(2.0));
    let rect = |class: &'static str, b: &BoxView| {
        html! {
            <rect {class} x={b.x.to_string()} y={b.y.to_string()}
                width={b.width.to_string()} height={b.height.to_string()}
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
        .map(|b| rect("glare", b))
        .chain(r.face_boxes.iter().map(|b| rect("face", b)))
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
                data-timings={format!("{:.0} {:.0} {:.0}", photo.timings[0], photo.timings[1], u.encode_ms)}>
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
fn next_job_id() -> u32 {
    NEXT_JOB.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}
