//! One labelled form field with its live message.

use super::host::use_ids;
use super::status_parts;
use super::text::{text, Text};
use crate::checks::{FieldKind, Severity, Status};
use crate::form::{shown_status, Shown};
use crate::i18n::{self, Locale};
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Quiet time after the last keystroke before the field is checked, in ms.
pub const DEBOUNCE_MS: u32 = 300;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub kind: FieldKind,
    pub locale: Locale,
    /// The current value.
    pub value: AttrValue,
    /// What its message shows.
    pub shown: Shown,
    /// A keystroke: the new value.
    pub on_input: Callback<(FieldKind, String)>,
    /// Typing paused for [`DEBOUNCE_MS`].
    pub on_settle: Callback<FieldKind>,
    /// Focus left the field.
    pub on_commit: Callback<FieldKind>,
}

/// Label, hint, input and message of one field. Checks run `DEBOUNCE_MS` after typing stops
/// (unfinished values are not failed yet) and fully on blur.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let ids = use_ids();
    let kind = props.kind;
    let locale = props.locale;
    let timer = use_mut_ref(|| None::<Timeout>);

    let oninput = {
        let on_input = props.on_input.clone();
        let on_settle = props.on_settle.clone();
        let timer = timer.clone();
        Callback::from(move |e: InputEvent| {
            let Some(value) = event_value(&e) else { return };
            on_input.emit((kind, value));
            let on_settle = on_settle.clone();
            // Replacing the timeout drops (cancels) the previous one.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                on_settle.emit(kind);
            }));
        })
    };
    let onblur = {
        let on_commit = props.on_commit.clone();
        let timer = timer.clone();
        Callback::from(move |_: FocusEvent| {
            timer.borrow_mut().take();
            on_commit.emit(kind);
        })
    };

    let name = kind.as_str();
    let input_id = ids.id(&format!("field-{name}"));
    let msg_id = ids.id(&format!("msg-{name}"));
    let hint_id = ids.id(&format!("hint-{name}"));
    let (label, hint) = labels(kind);
    let status = shown_status(&props.shown);
    let invalid = if status == Some(Status::Fail) {
        "true"
    } else {
        "false"
    };
    let described = format!("{hint_id} {msg_id}");
    let value = props.value.clone();

    let control = match kind {
        FieldKind::Mrz => html! {
            <textarea id={input_id.clone()} name={name} rows="2" wrap="off" spellcheck="false"
                autocomplete="off" autocapitalize="characters" class="mrz"
                aria-describedby={described} aria-invalid={invalid}
                value={value} {oninput} {onblur} />
        },
        _ => {
            let (ty, mode, autocomplete, caps) = input_kind(kind);
            html! {
                <input id={input_id.clone()} name={name} type={ty} inputmode={mode}
                    autocomplete={autocomplete} autocapitalize={caps} spellcheck="false"
                    aria-describedby={described} aria-invalid={invalid}
                    value={value} {oninput} {onblur} />
            }
        }
    };
    let optional = (kind == FieldKind::Mrz).then(|| {
        html! {
            <span class="optional">{ text(locale, Text::Optional) }</span>
        }
    });

    html! {
        <div class={classes!("field", status_class(status))}>
            <label for={input_id}>{ text(locale, label) }{ optional }</label>
            <p class="hint" id={hint_id}>{ text(locale, hint) }</p>
            { control }
            <FieldMessage kind={kind} shown={props.shown.clone()} locale={locale} id={msg_id} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldMessageProps {
    pub kind: FieldKind,
    pub shown: Shown,
    pub locale: Locale,
    pub id: AttrValue,
}

/// The live region under a field: icon + status word + one line per issue.
#[component]
pub fn FieldMessage(props: &FieldMessageProps) -> Html {
    let locale = props.locale;
    let status = shown_status(&props.shown);
    let (data_status, icon, word) = status_parts(status);
    let (report, typing) = match &props.shown {
        Shown::Nothing => (None, false),
        Shown::Typing(r) => (Some(r), true),
        Shown::Full(r) => (Some(r), false),
    };
    let lines = report.map(|r| {
        r.issues
            .iter()
            .map(|issue| {
                // While typing, "not finished yet" lines are shown as a neutral progress note.
                let held_back = typing && issue.incomplete;
                let severity = if held_back {
                    "note"
                } else {
                    match issue.severity {
                        Severity::Info => "info",
                        Severity::Warn => "warn",
                        Severity::Fail => "fail",
                    }
                };
                html! {
                    <li data-code={issue.code.as_str()} data-severity={severity}>
                        { i18n::issue_message(locale, issue) }
                    </li>
                }
            })
            .collect::<Html>()
    });
    let normalized = report.and_then(|r| {
        let differs = !r.normalized.is_empty() && r.normalized != r.input.trim();
        (differs && r.status() != Status::Fail && props.kind != FieldKind::Mrz).then(|| {
            html! {
                <p class="normalized">
                    { text(locale, Text::Normalized) }<bdi data-normalized="">{ r.normalized.clone() }</bdi>
                </p>
            }
        })
    });

    html! {
        <div class="msg" id={props.id.clone()} data-field={props.kind.as_str()}
            data-status={data_status} aria-live="polite">
            <span class="status">
                <span class="icon" aria-hidden="true">{ icon }</span>
                <span class="word">{ text(locale, word) }</span>
            </span>
            <ul class="issues">{ lines }</ul>
            { normalized }
        </div>
    }
}

/// The label and hint texts of a field.
pub(crate) fn labels(kind: FieldKind) -> (Text, Text) {
    match kind {
        FieldKind::Name => (Text::Name, Text::NameHint),
        FieldKind::IdNumber => (Text::IdNumber, Text::IdNumberHint),
        FieldKind::PassportNumber => (Text::PassportNumber, Text::PassportNumberHint),
        FieldKind::Phone => (Text::Phone, Text::PhoneHint),
        FieldKind::PassportExpiry => (Text::PassportExpiry, Text::PassportExpiryHint),
        FieldKind::Mrz => (Text::Mrz, Text::MrzHint),
    }
}

/// `type`, `inputmode`, `autocomplete` and `autocapitalize` of an input.
/// No `maxlength` anywhere: it counts UTF-16 units and would cut rare-character names.
fn input_kind(kind: FieldKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        FieldKind::Name => ("text", "text", "name", "words"),
        FieldKind::Phone => ("tel", "tel", "tel-national", "off"),
        FieldKind::PassportExpiry => ("date", "numeric", "off", "off"),
        _ => ("text", "text", "off", "characters"),
    }
}

fn status_class(status: Option<Status>) -> &'static str {
    match status {
        None => "is-empty",
        Some(Status::Pass) => "is-pass",
        Some(Status::Warn) => "is-warn",
        Some(Status::Fail) => "is-fail",
    }
}

/// The current value of the input or textarea an event came from.
fn event_value(e: &InputEvent) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        return Some(input.value());
    }
    target
        .dyn_ref::<HtmlTextAreaElement>()
        .map(HtmlTextAreaElement::value)
}
