//! The built-in upload on the page: one progress bar overall and one per part (with bytes),
//! what is happening in words (announced politely), and Retry / Cancel.

use super::photo_state::format_bytes;
use super::text::{slot_texts, text, Text};
use crate::checks::photo::Slot;
use crate::i18n::{fill, Locale};
use crate::upload::{Phase, UploadError, UploadView};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UploadPanelProps {
    pub locale: Locale,
    /// `None` until the first report.
    pub view: Option<UploadView>,
    pub on_retry: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// What the shopper reads about an upload error.
#[must_use]
pub fn error_text(locale: Locale, error: &UploadError) -> String {
    match error {
        UploadError::Offline => text(locale, Text::UploadOffline).to_owned(),
        UploadError::Network => text(locale, Text::UploadNetwork).to_owned(),
        UploadError::Timeout => text(locale, Text::UploadTimeout).to_owned(),
        UploadError::Refused { status } => fill(
            text(locale, Text::UploadRefused),
            &[("status", status.to_string())],
        ),
        UploadError::TooLarge { .. } => text(locale, Text::UploadTooLarge).to_owned(),
        UploadError::Protocol { detail } => fill(
            text(locale, Text::UploadProtocol),
            &[("detail", detail.clone())],
        ),
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Sending => "sending",
        Phase::Waiting => "waiting",
        Phase::Paused => "paused",
        Phase::Failed => "failed",
        Phase::Cancelled => "cancelled",
        Phase::Done => "done",
    }
}

fn bar(locale: Locale, label: &str, sent: f64, total: f64, name: &str) -> Html {
    let bytes = fill(
        text(locale, Text::UploadBytes),
        &[("sent", format_bytes(sent)), ("total", format_bytes(total))],
    );
    html! {
        <li data-upload-part={name.to_owned()} data-sent={format!("{sent:.0}")} data-total={format!("{total:.0}")}>
            <span class="what">{ label.to_owned() }</span>
            <progress max={format!("{total:.0}")} value={format!("{sent:.0}")} aria-label={label.to_owned()}></progress>
            <span class="bytes">{ bytes }</span>
        </li>
    }
}

#[component]
pub fn UploadPanel(props: &UploadPanelProps) -> Html {
    let locale = props.locale;
    let Some(view) = &props.view else {
        return html! {
            <div class="upload" data-upload="sending">
                <p class="upload-status" role="status">{ text(locale, Text::UploadSending) }</p>
            </div>
        };
    };
    let status = match (view.phase, &view.error) {
        (Phase::Done, _) => text(locale, Text::UploadDone).to_owned(),
        (Phase::Cancelled, _) => text(locale, Text::UploadCancelled).to_owned(),
        (Phase::Paused, _) => text(locale, Text::UploadPaused).to_owned(),
        (Phase::Waiting, _) => fill(
            text(locale, Text::UploadWaiting),
            &[
                ("attempt", view.failures.to_string()),
                (
                    "seconds",
                    format!("{:.0}", (view.retry_in_ms.unwrap_or(0.0) / 1000.0).ceil()),
                ),
            ],
        ),
        (Phase::Failed, Some(e)) => error_text(locale, e),
        (Phase::Failed | Phase::Sending, _) => text(locale, Text::UploadSending).to_owned(),
    };
    let waiting_detail = match (&view.phase, &view.error) {
        (Phase::Waiting, Some(e)) => Some(error_text(locale, e)),
        _ => None,
    };
    let kept = matches!(view.phase, Phase::Failed | Phase::Paused | Phase::Cancelled)
        .then(|| html! { <p class="upload-kept">{ text(locale, Text::UploadKept) }</p> });
    let parts: Html = view
        .parts
        .iter()
        .map(|p| {
            let label = match Slot::parse(&p.name) {
                Some(slot) => text(locale, slot_texts(slot).0),
                None => text(locale, Text::UploadFields),
            };
            bar(locale, label, p.sent, p.total, &p.name)
        })
        .collect();
    let on_retry = props.on_retry.reform(|_: MouseEvent| ());
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let button = match view.phase {
        Phase::Failed | Phase::Cancelled => html! {
            <button type="button" class="button primary" data-action="upload-retry" onclick={on_retry}>
                { text(locale, Text::UploadRetry) }</button>
        },
        Phase::Sending | Phase::Waiting | Phase::Paused => html! {
            <button type="button" class="button subtle" data-action="upload-cancel" onclick={on_cancel}>
                { text(locale, Text::UploadCancel) }</button>
        },
        Phase::Done => Html::default(),
    };
    let error_code = view.error.as_ref().map(UploadError::code);
    html! {
        <div class="upload" data-upload={phase_name(view.phase)} data-upload-error={error_code}
            data-sent={format!("{:.0}", view.sent)} data-total={format!("{:.0}", view.total)}>
            <h3>{ text(locale, Text::Upload) }</h3>
            <p class="upload-status" role="status" aria-live="polite">{ status }</p>
            if let Some(detail) = waiting_detail {
                <p class="upload-detail">{ detail }</p>
            }
            { kept }
            <ul class="upload-overall">
                { bar(locale, text(locale, Text::UploadTotal), view.sent, view.total, "all") }
            </ul>
            <ul class="upload-parts">{ parts }</ul>
            <div class="actions">{ button }</div>
        </div>
    }
}
