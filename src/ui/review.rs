//! Review before submitting: every field and photo with its status, and the submit button,
//! enabled only when nothing fails; open warnings need one confirming click. Once submitted,
//! [`hand_over`] gives the form to the host page as a `precheck:submit` event on the mount element.

use super::field::labels;
use super::host::use_ids;
use super::host::Host;
use super::state::{FormState, Upload};
use super::status_parts;
use super::text::slot_texts;
use super::text::{text, Text};
use super::upload::{Part, Reports, Uploader};
use super::upload_panel::{error_text, UploadPanel};
use crate::checks::Status;
use crate::form::{PhotoState, ReviewItem, Reviewed, Submission};
use crate::i18n;
use crate::i18n::Locale;
use crate::upload::{UploadError, UploadView};
use serde::Serialize;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub locale: Locale,
    /// The fields, then the photo slots ([`crate::form::FormState::review`]).
    pub items: Vec<ReviewItem>,
    pub readiness: Status,
    /// Open warnings wait for a confirming click.
    pub confirming: bool,
    pub submitted: bool,
    pub on_submit: Callback<()>,
    pub on_confirm: Callback<()>,
    /// The built-in upload is configured: after submitting, its panel shows.
    pub upload_enabled: bool,
    pub upload: Option<UploadView>,
    pub on_retry_upload: Callback<()>,
    pub on_cancel_upload: Callback<()>,
}

/// One line of the review: what, its status, and where it is on the page.
struct Item {
    key: &'static str,
    label: &'static str,
    status: Option<Status>,
    optional: bool,
    anchor: String,
}

fn item(locale: Locale, i: &ReviewItem) -> Item {
    let (key, label, anchor) = match i.what {
        Reviewed::Field(kind) => (kind.as_str(), labels(kind).0, "field"),
        Reviewed::Photo(slot) => (slot.as_str(), slot_texts(slot).0, "photo"),
    };
    Item {
        key,
        label: text(locale, label),
        status: i.status,
        optional: i.optional,
        anchor: format!("#{anchor}-{key}"),
    }
}

#[component]
pub fn Review(props: &ReviewProps) -> Html {
    let ids = use_ids();
    let locale = props.locale;
    let readiness = props.readiness;
    let items: Vec<Item> = props.items.iter().map(|i| item(locale, i)).collect();

    let list: Html = items
        .iter()
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
                    <a href={format!("#{}", ids.id(item.anchor.trim_start_matches('#')))}>{ item.label }</a>
                    <span class="word">{ word }</span>
                </li>
            }
        })
        .collect();

    let onsubmit = props.on_submit.reform(|_: MouseEvent| ());
    let onconfirm = props.on_confirm.reform(|_: MouseEvent| ());
    let blocked = readiness == Status::Fail;
    let confirm = (props.confirming && !props.submitted && readiness == Status::Warn).then(|| {
        let warned: Html = items
            .iter()
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
        <section class="review" aria-labelledby={ids.id("review-title")} data-readiness={status_parts(Some(readiness)).0}>
            <h2 id={ids.id("review-title")}>{ text(locale, Text::Review) }</h2>
            <ul class="review-list">{ list }</ul>
            if blocked {
                <p class="blocked" id={ids.id("submit-blocked")}>{ text(locale, Text::SubmitBlocked) }</p>
            }
            { confirm }
            if props.submitted && props.upload_enabled {
                <UploadPanel {locale} view={props.upload.clone()} on_retry={props.on_retry_upload.clone()}
                    on_cancel={props.on_cancel_upload.clone()} />
            } else if props.submitted {
                <p class="submitted" role="status" data-submitted="">{ text(locale, Text::Submitted) }</p>
            } else {
                <button type="button" class="button primary submit" data-action="submit"
                    disabled={blocked} aria-describedby={blocked.then(|| ids.id("submit-blocked"))}
                    onclick={onsubmit}>{ text(locale, Text::Submit) }</button>
            }
        </section>
    }
}

/// What the host page receives (`event.detail` of `precheck:submit`): the normalized fields,
/// and per slot the upload-ready JPEG (`Blob`, EXIF-free) with its size and its report.
#[derive(Serialize)]
struct SubmissionDetail {
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
    /// The checks, as `precheck photo` prints them.
    report: Option<serde_json::Value>,
}

/// Hands the submission to the host page: a `precheck:submit` event on the mount element.
pub(crate) fn hand_over(state: &FormState, submission: &Submission<Upload>, host: &Host) {
    let photos = submission
        .photos
        .iter()
        .map(|p| SubmittedPhoto {
            slot: p.slot.as_str(),
            file: p.upload.blob.clone(),
            width: p.upload.width,
            height: p.upload.height,
            bytes: p.upload.bytes,
            status: p.status,
            report: match state.photos.get(&p.slot).map(|e| &e.state) {
                Some(PhotoState::Checked(c)) => Some(i18n::photo_json(&c.report, state.locale)),
                _ => None,
            },
        })
        .collect();
    let detail = SubmissionDetail {
        document: submission.document.as_str(),
        country: submission.country.clone(),
        fields: submission
            .fields
            .iter()
            .map(|(kind, value)| (kind.as_str(), value.clone()))
            .collect(),
        photos,
    };
    host.emit("precheck:submit", &detail);
}

/// Starts the built-in upload of the submission, when the host configured one: multipart
/// sends the fields as form fields, tus as one more upload (`fields.json`). Every step is
/// dispatched to the form and reported to the host page (`precheck:upload-progress`,
/// `precheck:uploaded`, `precheck:error`).
pub(crate) fn start_upload(
    state: &FormState,
    submission: &Submission<Upload>,
    host: &Host,
    dispatch: &UseReducerDispatcher<FormState>,
) -> Option<Uploader> {
    let config = state.config.send.clone()?;
    let mut fields: Vec<(String, String)> = vec![(
        "document".to_owned(),
        submission.document.as_str().to_owned(),
    )];
    if submission.document == crate::form::DocType::Passport {
        fields.push(("country".to_owned(), submission.country.clone()));
    }
    fields.extend(
        submission
            .fields
            .iter()
            .map(|(kind, value)| (kind.as_str().to_owned(), value.clone())),
    );
    let mut parts = Vec::new();
    if config.protocol == crate::upload::Protocol::Tus {
        let json: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        let text = serde_json::Value::Object(json).to_string();
        let blob = blob_of(&text, "application/json")?;
        parts.push(Part::new("fields", blob, "fields.json", "application/json"));
    }
    for p in &submission.photos {
        let name = p.slot.as_str();
        parts.push(Part::new(
            name,
            p.upload.blob.clone(),
            &format!("{name}.jpg"),
            "image/jpeg",
        ));
    }
    let locale = state.locale;
    let reports = Reports {
        on_view: Box::new({
            let host = host.clone();
            let dispatch = dispatch.clone();
            move |view: &UploadView| {
                host.emit("precheck:upload-progress", view);
                dispatch.dispatch(super::state::Action::Upload(view.clone()));
            }
        }),
        on_error: Box::new({
            let host = host.clone();
            move |error: &UploadError| {
                let detail = serde_json::json!({
                    "stage": "upload",
                    "error": { "code": error.code(), "message": error_text(locale, error), "detail": error },
                });
                host.emit("precheck:error", &detail);
            }
        }),
        on_done: Box::new({
            let host = host.clone();
            move |detail| host.emit_js("precheck:uploaded", &detail)
        }),
    };
    Some(Uploader::start(config, fields, parts, reports))
}

/// A text as a `Blob` of type `mime`.
fn blob_of(text: &str, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}
