//! Review before submitting: every field and photo with its status, and the submit button,
//! enabled only when nothing fails; open warnings need one confirming click. Submitting
//! hands the form to the host page as an `id-precheck:submit` event on `#app`.

use super::field::labels;
use super::photo_state::PhotoState;
use super::state::{shown_status, Action, FormState};
use super::status_parts;
use super::text::slot_texts;
use super::text::{text, Text};
use crate::checks::{FieldKind, Status};
use serde::Serialize;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub state: UseReducerHandle<FormState>,
}

/// One line of the review: what, its status, and where it is on the page.
struct Item {
    key: String,
    label: &'static str,
    status: Option<Status>,
    optional: bool,
    anchor: String,
}

fn items(state: &FormState) -> Vec<Item> {
    let locale = state.locale;
    let fields = state.doc.fields().iter().map(|&kind| Item {
        key: kind.as_str().to_owned(),
        label: text(locale, labels(kind).0),
        status: shown_status(state.shown(kind)),
        optional: kind == FieldKind::Mrz,
        anchor: format!("#field-{}", kind.as_str()),
    });
    let photos = state.slots().into_iter().map(|slot| Item {
        key: slot.as_str().to_owned(),
        label: text(locale, slot_texts(slot).0),
        status: state.photo_status(slot),
        optional: state.is_optional(slot),
        anchor: format!("#photo-{}", slot.as_str()),
    });
    fields.chain(photos).collect()
}

#[component]
pub fn Review(props: &ReviewProps) -> Html {
    let state = &props.state;
    let locale = state.locale;
    let readiness = state.readiness();

    {
        // The hand-over, once per submission.
        let state = state.clone();
        use_effect_with(state.submitted, move |&submitted| {
            if submitted {
                dispatch_submit(&state);
            }
        });
    }

    let list: Html = items(state)
        .into_iter()
        .map(|item| {
            let (data_status, icon, word) = status_parts(item.status);
            let word = match item.status {
                None if item.optional => Text::Optional,
                None => Text::ReviewMissing,
                Some(_) => word,
            };
            let word = text(locale, word);
            html! {
                <li data-review={item.key} data-status={data_status}>
                    <span class="icon" aria-hidden="true">{ icon }</span>
                    <a href={item.anchor}>{ item.label }</a>
                    <span class="word">{ word }</span>
                </li>
            }
        })
        .collect();

    let onsubmit = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Submit))
    };
    let onconfirm = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::ConfirmSubmit))
    };
    let blocked = readiness == Status::Fail;
    let confirm = (state.confirming && !state.submitted && readiness == Status::Warn).then(|| {
        let warned: Html = items(state)
            .into_iter()
            .filter(|i| i.status == Some(Status::Warn))
            .map(|i| html! { <li>{ i.label }</li> })
            .collect();
        html! {
            <div class="confirm" role="alert" data-confirm="">
                <p>{ text(locale, Text::WarningsToConfirm) }</p>
                <ul>{ warned }</ul>
                <button type="button" class="button primary" data-action="confirm-submit"
                    onclick={onconfirm}>{ text(locale, Text::ConfirmSubmit) }</button>
            </div>
        }
    });
    html! {
        <section class="review" aria-labelledby="review-title" data-readiness={status_parts(Some(readiness)).0}>
            <h2 id="review-title">{ text(locale, Text::Review) }</h2>
            <ul class="review-list">{ list }</ul>
            if blocked {
                <p class="blocked" id="submit-blocked">{ text(locale, Text::SubmitBlocked) }</p>
            }
            { confirm }
            if state.submitted {
                <p class="submitted" role="status" data-submitted="">{ text(locale, Text::Submitted) }</p>
            } else {
                <button type="button" class="button primary submit" data-action="submit"
                    disabled={blocked} aria-describedby={blocked.then_some("submit-blocked")}
                    onclick={onsubmit}>{ text(locale, Text::Submit) }</button>
            }
        </section>
    }
}

/// What the host page receives (`event.detail`): the normalised fields, and per slot the
/// upload-ready JPEG (`Blob`, EXIF-free) with its size.
#[derive(Serialize)]
struct Submission {
    document: &'static str,
    country: String,
    fields: std::collections::BTreeMap<&'static str, String>,
    photos: Vec<SubmittedPhoto>,
}

#[derive(Serialize)]
struct SubmittedPhoto {
    slot: &'static str,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: web_sys::Blob,
    width: u32,
    height: u32,
    bytes: f64,
    status: Status,
}

fn dispatch_submit(state: &FormState) {
    let fields = state
        .doc
        .fields()
        .iter()
        .map(|&kind| {
            let r = state.report(kind);
            let value = if r.normalized.is_empty() {
                state.value(kind).trim().to_owned()
            } else {
                r.normalized
            };
            (kind.as_str(), value)
        })
        .collect();
    let photos = state
        .slots()
        .into_iter()
        .filter_map(|slot| {
            let entry = state.photos.get(&slot)?;
            match (&entry.state, &entry.upload) {
                (PhotoState::Checked(p), Some(u)) => Some(SubmittedPhoto {
                    slot: slot.as_str(),
                    file: u.blob.clone(),
                    width: u.width,
                    height: u.height,
                    bytes: u.bytes,
                    status: p.report.status(),
                }),
                _ => None,
            }
        })
        .collect();
    let submission = Submission {
        document: state.doc.as_str(),
        country: state.country.clone(),
        fields,
        photos,
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let Ok(detail) = submission.serialize(&serializer) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&detail);
    let target = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    if let (Some(target), Ok(event)) = (
        target,
        web_sys::CustomEvent::new_with_event_init_dict("id-precheck:submit", &init),
    ) {
        let _ = target.dispatch_event(&event);
    }
}
