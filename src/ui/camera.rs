//! The camera sheet of a slot: the live preview with a document- (or face-) shaped guide,
//! the found document drawn on it, one steadied message at a time (`aria-live`), auto-capture
//! and a shutter button. The camera itself is [`CameraSession`].

use super::camera_session::{CameraError, CameraEvent, CameraSession, Stats};
use super::host::use_ids;
use super::photo_worker::PhotoWorker;
use super::text::{slot_texts, text, Text};
use crate::checks::photo::document::size_for;
use crate::checks::photo::guidance::{FrameFacts, GuideCode};
use crate::checks::photo::{Rules, Slot};
use crate::i18n::{self, Locale};
use std::rc::Rc;
use web_sys::HtmlVideoElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CameraSheetProps {
    pub slot: Slot,
    pub locale: Locale,
    pub worker: PhotoWorker,
    pub rules: Rules,
    /// The still, to check like a chosen file (the sheet closes).
    pub on_photo: Callback<web_sys::File>,
    /// The camera could not be used (the sheet closes; the slot says why).
    pub on_error: Callback<CameraError>,
    pub on_close: Callback<()>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Starting,
    Live,
    /// No live tips (slow device, or the checker stopped): the shutter only.
    TapOnly,
    Taking,
}

#[derive(Clone, Debug, PartialEq)]
struct View {
    phase: Phase,
    size: (u32, u32),
    hint: Option<GuideCode>,
    facts: Option<FrameFacts>,
    stats: Stats,
}

impl Reducible for View {
    type Action = CameraEvent;
    fn reduce(self: Rc<Self>, event: CameraEvent) -> Rc<Self> {
        let mut v = (*self).clone();
        match event {
            CameraEvent::Live { width, height } => {
                v.phase = Phase::Live;
                v.size = (width, height);
            }
            CameraEvent::Frame {
                shown,
                facts,
                stats,
            } => {
                v.hint = Some(shown.hint);
                v.facts = Some(facts);
                v.stats = stats;
            }
            CameraEvent::TapOnly => {
                v.phase = Phase::TapOnly;
                v.hint = None;
                v.facts = None;
            }
            CameraEvent::Taking => v.phase = Phase::Taking,
            CameraEvent::Photo(_) | CameraEvent::Error(_) => {}
        }
        Rc::new(v)
    }
}

/// A full-screen dialog over the form; the file input below stays where it was.
#[component]
pub fn CameraSheet(props: &CameraSheetProps) -> Html {
    let ids = use_ids();
    let locale = props.locale;
    let slot = props.slot;
    let video = use_node_ref();
    let view = use_reducer(|| View {
        phase: Phase::Starting,
        size: (0, 0),
        hint: None,
        facts: None,
        stats: Stats::default(),
    });
    let session = use_mut_ref(|| None::<CameraSession>);
    // The dialog takes the keyboard focus (its close button: the shutter waits for the
    // camera); Escape closes it and the slot's camera button gets the focus back.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |()| {
            if let Some(el) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    {
        let video = video.clone();
        let session = session.clone();
        let dispatch = view.dispatcher();
        let worker = props.worker.clone();
        let rules = props.rules.clone();
        let on_photo = props.on_photo.clone();
        let on_error = props.on_error.clone();
        use_effect_with((), move |()| {
            let report = Callback::from(move |event: CameraEvent| match event {
                CameraEvent::Photo(file) => on_photo.emit(file),
                CameraEvent::Error(e) => on_error.emit(e),
                other => dispatch.dispatch(other),
            });
            if let Some(el) = video.cast::<HtmlVideoElement>() {
                *session.borrow_mut() = Some(CameraSession::open(el, worker, slot, rules, report));
            }
            move || {
                if let Some(s) = session.borrow_mut().take() {
                    s.stop();
                }
            }
        });
    }
    let shutter = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = session.borrow().as_ref() {
                s.take();
            }
        })
    };
    let close = {
        let session = session.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = session.borrow().as_ref() {
                s.stop();
            }
            on_close.emit(());
        })
    };
    let onkeydown = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                if let Ok(click) = MouseEvent::new("click") {
                    close.emit(click);
                }
            }
        })
    };

    let (w, h) = view.size;
    let message = match (view.phase, view.hint) {
        (Phase::Starting, _) => text(locale, Text::CameraStarting),
        (Phase::Taking, _) => text(locale, Text::CameraTaking),
        (Phase::TapOnly, _) => text(locale, Text::CameraSlow),
        (Phase::Live, Some(hint)) => i18n::guide_message(locale, hint),
        (Phase::Live, None) => text(locale, Text::CameraStarting),
    };
    let phase = match view.phase {
        Phase::Starting => "starting",
        Phase::Live => "live",
        Phase::TapOnly => "tap-only",
        Phase::Taking => "taking",
    };
    // Always one <svg> after the <video>: the element list never changes shape, so the
    // playing video element is never re-created.
    let overlay = overlay(slot, (w.max(1), h.max(1)), view.facts.as_ref());
    let s = view.stats;
    let title_id = ids.id(&format!("camera-title-{}", slot.as_str()));
    html! {
        <div class="camera-sheet" role="dialog" aria-modal="true" aria-labelledby={title_id.clone()}
            data-camera-sheet={slot.as_str()} data-phase={phase}
            data-guide={view.hint.map(GuideCode::as_str)}
            data-camera-frames={s.camera_frames.to_string()}
            data-analysed={s.analysed.to_string()}
            data-analysis-ms={format!("{:.1}", s.analysis_ms)}
            data-readback-ms={format!("{:.1}", s.readback_ms)}
            data-worst-ms={format!("{:.1}", s.worst_ms)}
            data-elapsed-ms={format!("{:.0}", s.elapsed_ms)}
            {onkeydown}>
            <h2 id={title_id}>{ text(locale, slot_texts(slot).0) }</h2>
            <div class="camera-view">
                <video ref={video} class="camera-video" muted=true autoplay=true playsinline=true
                    aria-hidden="true"></video>
                { overlay }
            </div>
            <p class="camera-hint" role="status" aria-live="polite" aria-atomic="true">{ message }</p>
            <div class="actions">
                <button type="button" class="button primary" data-action="shutter"
                    disabled={matches!(view.phase, Phase::Starting | Phase::Taking)}
                    onclick={shutter}>{ text(locale, Text::CameraShutter) }</button>
                <button type="button" class="button subtle" data-action="close-camera"
                    ref={close_button} onclick={close}>{ text(locale, Text::CameraClose) }</button>
            </div>
        </div>
    }
}

/// The guide (where to put the document or face) and what was found, in video pixels (the
/// SVG letterboxes exactly as the video's `object-fit: contain`).
fn overlay(slot: Slot, (w, h): (u32, u32), facts: Option<&FrameFacts>) -> Html {
    let (fw, fh) = (f64::from(w), f64::from(h));
    let good = facts.is_some_and(|f| f.hint == GuideCode::Good);
    let guide = if slot.needs_face() {
        let (rx, ry) = (fw.min(fh) * 0.28, fw.min(fh) * 0.36);
        html! {
            <ellipse class={classes!("guide", good.then_some("good"))}
                cx={(fw / 2.0).to_string()} cy={(fh * 0.45).to_string()}
                rx={rx.to_string()} ry={ry.to_string()} />
        }
    } else {
        // The document lying across the frame, 84 % of its width (or of 1.4 × its height
        // on a landscape stream), its own aspect ratio.
        let size = size_for(slot);
        let aspect = size.width_mm / size.height_mm;
        let gw = (fw * 0.84).min(fh * 0.84 * aspect);
        let gh = gw / aspect;
        html! {
            <rect class={classes!("guide", good.then_some("good"))}
                x={((fw - gw) / 2.0).to_string()} y={((fh - gh) / 2.0).to_string()}
                width={gw.to_string()} height={gh.to_string()} rx={(gh * 0.06).to_string()} />
        }
    };
    let quad = facts.and_then(|f| f.quad).map(|q| {
        let points = q
            .iter()
            .map(|p| format!("{:.0},{:.0}", p.x * fw, p.y * fh))
            .collect::<Vec<_>>()
            .join(" ");
        html! { <polygon class="found" {points} /> }
    });
    let face = facts.and_then(|f| f.face).map(|[x, y, bw, bh]| {
        html! {
            <rect class="found" x={(x * fw).to_string()} y={(y * fh).to_string()}
                width={(bw * fw).to_string()} height={(bh * fh).to_string()} />
        }
    });
    let stroke = format!("{:.1}", (fw.max(fh) / 150.0).max(2.0));
    html! {
        <svg class="camera-overlay" viewBox={format!("0 0 {w} {h}")}
            preserveAspectRatio="xMidYMid meet" stroke-width={stroke} aria-hidden="true">
            { guide }{ quad }{ face }
        </svg>
    }
}

/// The slot's line explaining why the camera is not available.
#[must_use]
pub fn camera_error_text(error: CameraError) -> Text {
    match error {
        CameraError::Unsupported => Text::CameraUnsupported,
        CameraError::Denied => Text::CameraDenied,
        CameraError::NoCamera => Text::CameraNoCamera,
        CameraError::Busy => Text::CameraBusy,
        CameraError::Failed => Text::CameraFailed,
    }
}
