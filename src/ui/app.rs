//! The identity form page.

use super::countries::COUNTRIES;
use super::field::Field;
use super::host::{use_ids, Host, Ids};
use super::photo_worker::PhotoWorker;
use super::photos::{PhotoCallbacks, PhotoSection};
use super::review::{hand_over, start_upload, Review};
use super::state::{Action, FormState};
use super::text::{text, Text};
use super::upload::Uploader;
use crate::checks::photo::{Rules, Slot};
use crate::checks::{Date, FieldKind, Status};
use crate::form::{Config, DocType, IdNumberOffer, MrzOffer, SharedConfig, VisaPolicy};
use crate::i18n::{fill, Locale};
use crate::protocol::JobId;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// What one mount of the form starts from.
#[derive(Properties, Clone, PartialEq)]
pub struct AppProps {
    pub config: SharedConfig,
    pub locale: Locale,
    pub host: Host,
    /// The inputs of the form this one replaces after a crash ([`super::crash`]).
    pub restore: Option<Restore>,
}

/// What a form restarted after a crash starts from: the document, the passport country and
/// the fields as the shopper typed them, and the photos as chosen (each slot takes its own
/// once, when it mounts, and checks it again).
#[derive(Clone)]
pub struct Restore(Rc<Restored>);

pub struct Restored {
    pub doc: Option<DocType>,
    pub country: Option<String>,
    pub values: Vec<(FieldKind, String)>,
    pub photos: RefCell<Vec<(Slot, web_sys::File)>>,
}

impl Restore {
    #[must_use]
    pub fn new(restored: Restored) -> Restore {
        Restore(Rc::new(restored))
    }

    /// The photo for `slot`, once.
    #[must_use]
    pub fn take_photo(&self, slot: Slot) -> Option<web_sys::File> {
        let mut photos = self.0.photos.borrow_mut();
        let i = photos.iter().position(|(s, _)| *s == slot)?;
        Some(photos.remove(i).1)
    }

    /// The form state with the restored document, country and fields (each committed, so
    /// its verdict shows as it did).
    fn apply(&self, mut state: FormState) -> FormState {
        let r = &self.0;
        let mut actions = Vec::new();
        if let Some(doc) = r.doc {
            actions.push(Action::SetDoc(doc));
        }
        if let Some(country) = &r.country {
            actions.push(Action::SetCountry(country.clone()));
        }
        for (kind, value) in &r.values {
            if !value.is_empty() {
                actions.push(Action::Input(*kind, value.clone()));
                actions.push(Action::Commit(*kind));
            }
        }
        for action in actions {
            if let Some(next) = state.next(action) {
                state = next;
            }
        }
        state
    }
}

impl PartialEq for Restore {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer({
        let config = (*props.config).clone();
        let locale = props.locale;
        let restore = props.restore.clone();
        move || {
            // js_sys::Date::now() is ms since the epoch, always within i64.
            #[allow(clippy::cast_possible_truncation)]
            let now = js_sys::Date::now() as i64;
            let state = FormState::with_config(Date::shanghai_from_unix_ms(now), locale, config);
            match restore {
                Some(r) => r.apply(state),
                None => state,
            }
        }
    });
    let host = props.host.clone();
    let locale = state.locale;
    let worker = use_memo((), {
        let url = state.config.worker_url.clone();
        move |()| PhotoWorker::new(&url)
    });
    {
        // Loaded in idle time after the first paint, ready when the shopper reaches the
        // photos; unmounted (the host's destroy() or reset()), the worker goes with it.
        let worker = worker.clone();
        let host = host.clone();
        use_effect_with((), move |()| {
            let weak = worker.downgrade();
            host.on_stop(move || {
                if let Some(w) = weak.upgrade() {
                    w.try_shutdown();
                }
            });
            let start = worker.warm_when_idle();
            move || {
                drop(start);
                worker.shutdown();
            }
        });
    }
    // The leaves report through these, made once (the dispatcher never changes).
    let dispatch = state.dispatcher();
    let callbacks = use_memo((), {
        let dispatch = dispatch.clone();
        let host = host.clone();
        move |()| Callbacks::new(&dispatch, &host)
    });
    let Callbacks {
        on_input,
        on_settle,
        on_commit,
        on_country,
        on_submit,
        on_confirm,
        on_fill_mrz,
        on_fill_id,
        photos: photo_callbacks,
    } = (*callbacks).clone();

    // The built-in upload of the current submission.
    let uploader = use_mut_ref(|| None::<Uploader>);
    {
        // The hand-over, once per submission; an edit takes it (and its upload) back.
        let state = state.clone();
        let host = host.clone();
        let dispatch = dispatch.clone();
        let uploader = uploader.clone();
        use_effect_with(state.submitted, move |&submitted| {
            if let Some(previous) = uploader.borrow_mut().take() {
                previous.dispose();
            }
            if submitted {
                let submission = state.submission();
                hand_over(&state, &submission, &host);
                *uploader.borrow_mut() = start_upload(&state, &submission, &host, &dispatch);
            }
        });
    }
    {
        // Unmounted, or this instance died: no upload goes on behind the host's back.
        let uploader = uploader.clone();
        let host = host.clone();
        use_effect_with((), move |()| {
            let weak = Rc::downgrade(&uploader);
            host.on_stop(move || {
                let upload = weak
                    .upgrade()
                    .and_then(|u| u.try_borrow_mut().ok().and_then(|mut u| u.take()));
                if let Some(u) = upload {
                    u.dispose();
                }
            });
            move || {
                if let Some(u) = uploader.borrow_mut().take() {
                    u.dispose();
                }
            }
        });
    }
    let upload_action = |retry: bool| {
        let uploader = uploader.clone();
        Callback::from(move |()| {
            let current = uploader.borrow().clone();
            if let Some(u) = current {
                if retry {
                    u.retry();
                } else {
                    u.cancel();
                }
            }
        })
    };
    {
        // The host page's view of the form, after every render.
        let state = state.clone();
        let host = host.clone();
        let dispatch = dispatch.clone();
        use_effect(move || host.rendered(&state, dispatch));
    }

    let embedded = host.embedded();
    use_effect_with(locale, move |locale| {
        if embedded {
            // A mount speaks for its own element only, never for the host's page.
            let _ = host.root().set_attribute("lang", locale.tag());
        } else if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", locale.tag());
            }
            doc.set_title(text(*locale, Text::Title));
        }
    });

    let locale_button = |l: Locale, label: &'static str| {
        let dispatch = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetLocale(l)));
        let pressed = if locale == l { "true" } else { "false" };
        let lang = l.tag();
        html! {
            <button type="button" data-action="locale" data-locale={lang} lang={lang}
                aria-pressed={pressed} {onclick}>{ label }</button>
        }
    };

    let doc_radio = |doc: DocType, label: Text| {
        if !state.config.documents.contains(&doc) {
            return Html::default();
        }
        let checked = state.doc == doc;
        let dispatch = dispatch.clone();
        let onchange = Callback::from(move |_: Event| dispatch.dispatch(Action::SetDoc(doc)));
        html! {
            <label class="choice">
                <input type="radio" name="doc-type" value={doc.as_str()} {checked} {onchange} />
                <span>{ text(locale, label) }</span>
            </label>
        }
    };

    let fields: Html = state
        .doc
        .fields()
        .iter()
        .map(|&kind| {
            let country = (kind == FieldKind::PassportNumber).then(|| {
                html! {
                    <CountrySelect {locale} country={state.country.clone()}
                        on_change={on_country.clone()} />
                }
            });
            html! {
                <>
                    { country }
                    <Field key={kind.as_str()} kind={kind} {locale}
                        value={state.value(kind).to_owned()} shown={state.shown(kind).clone()}
                        on_input={on_input.clone()} on_settle={on_settle.clone()}
                        on_commit={on_commit.clone()} />
                </>
            }
        })
        .collect();

    let (summary_status, summary_text) = match state.overall() {
        None => ("empty", Some(Text::SummaryPending)),
        Some(Status::Pass) => ("pass", Some(Text::SummaryReady)),
        Some(Status::Warn) => ("warn", Some(Text::SummaryWarn)),
        Some(Status::Fail) => ("fail", Some(Text::SummaryFail)),
    };

    html! {
        <ContextProvider<Ids> context={props.host.ids()}>
        <main class="page">
            <header class="top">
                <h1>{ text(locale, Text::Title) }</h1>
                <nav class="locales" aria-label={text(locale, Text::Language)}>
                    { locale_button(Locale::ZhCn, "中文") }
                    { locale_button(Locale::En, "English") }
                </nav>
            </header>
            if props.restore.is_some() {
                <p class="restarted" role="alert" data-restarted="">{ text(locale, Text::Restarted) }</p>
            }
            <p class="intro">{ text(locale, Text::Intro) }</p>
            <form class="form" novalidate=true autocomplete="off"
                onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                if state.config.documents.len() > 1 {
                    <fieldset class="doc-type">
                        <legend>{ text(locale, Text::DocType) }</legend>
                        { doc_radio(DocType::IdCard, Text::DocIdCard) }
                        { doc_radio(DocType::Passport, Text::DocPassport) }
                    </fieldset>
                }
                { fields }
            </form>
            <section class="summary" data-summary={summary_status} aria-live="polite">
                <h2>{ text(locale, Text::Summary) }</h2>
                <p>{ summary_text.map(|t| text(locale, t)) }</p>
            </section>
            { state.mrz_offer().map(|o| mrz_offer_card(locale, &o, &on_fill_mrz)) }
            { state.id_number_offer().map(|o| id_number_offer_card(locale, &o, &on_fill_id)) }
            <PhotoSection {locale} slots={state.slot_views()} config={state.config.clone()}
                worker={(*worker).clone()} callbacks={photo_callbacks}
                restore={props.restore.clone()} />
            <Review {locale} items={state.review()} readiness={state.readiness()}
                confirming={state.confirming} submitted={state.submitted}
                {on_submit} {on_confirm} upload_enabled={state.config.send.is_some()}
                upload={state.upload.clone()} on_retry_upload={upload_action(true)}
                on_cancel_upload={upload_action(false)} />
            <footer class="privacy">
                { text(locale, Text::Privacy) }
            </footer>
        </main>
        </ContextProvider<Ids>>
    }
}

/// Every callback the leaves get, each one dispatching its action.
#[derive(Clone)]
struct Callbacks {
    on_input: Callback<(FieldKind, String)>,
    on_settle: Callback<FieldKind>,
    on_commit: Callback<FieldKind>,
    on_country: Callback<String>,
    on_submit: Callback<()>,
    on_confirm: Callback<()>,
    on_fill_mrz: Callback<()>,
    on_fill_id: Callback<()>,
    photos: PhotoCallbacks,
}

impl Callbacks {
    fn new(d: &UseReducerDispatcher<FormState>, host: &Host) -> Callbacks {
        fn to<T: 'static>(d: &UseReducerDispatcher<FormState>, f: fn(T) -> Action) -> Callback<T> {
            let d = d.clone();
            Callback::from(move |x| d.dispatch(f(x)))
        }
        Callbacks {
            on_input: to(d, |(kind, value)| Action::Input(kind, value)),
            on_settle: to(d, Action::Settle),
            on_commit: to(d, Action::Commit),
            on_country: to(d, Action::SetCountry),
            on_submit: to(d, |()| Action::Submit),
            on_confirm: to(d, |()| Action::ConfirmSubmit),
            on_fill_mrz: to(d, |()| Action::FillFromMrz),
            on_fill_id: to(d, |()| Action::FillFromIdPhoto),
            photos: PhotoCallbacks {
                on_chosen: {
                    let (d, host) = (d.clone(), host.clone());
                    Callback::from(move |(slot, job, file): (Slot, JobId, web_sys::File)| {
                        let name = file.name();
                        host.keep_photo(slot, file);
                        d.dispatch(Action::PhotoChosen { slot, job, name });
                    })
                },
                on_done: to(d, |(job, state)| Action::PhotoDone { job, state }),
                on_prepared: to(d, |(job, upload)| Action::PhotoPrepared { job, upload }),
                on_removed: {
                    let (d, host) = (d.clone(), host.clone());
                    Callback::from(move |slot: Slot| {
                        host.forget_photo(slot);
                        d.dispatch(Action::PhotoRemoved(slot));
                    })
                },
            },
        }
    }
}

/// A click that emits `on_fill`.
fn fill_click(on_fill: &Callback<()>) -> Callback<MouseEvent> {
    let on_fill = on_fill.clone();
    Callback::from(move |_: MouseEvent| on_fill.emit(()))
}

/// What was read from the passport photo's MRZ, and the button that fills the fields (a plain
/// function, not a component: the page's first load is within 350 kB by a few hundred bytes).
fn mrz_offer_card(locale: Locale, o: &MrzOffer, on_fill: &Callback<()>) -> Html {
    let body = fill(
        text(locale, Text::MrzReadBody),
        &[("number", o.number.clone()), ("expiry", o.expiry.clone())],
    );
    let name = o
        .name
        .as_ref()
        .map(|n| fill(text(locale, Text::MrzReadName), &[("name", n.clone())]));
    html! {
        <section class="read-offer mrz-offer" role="status" data-mrz-number={o.number.clone()}>
            <h2>{ text(locale, Text::MrzReadTitle) }</h2>
            <p>{ body }</p>
            if let Some(name) = name {
                <p>{ name }</p>
            }
            <button type="button" class="button primary" onclick={fill_click(on_fill)}>{ text(locale, Text::MrzFill) }</button>
        </section>
    }
}

/// The ID number read from the portrait side's photo, its digits that differ from the typed
/// number marked, and the button that puts it into the field.
fn id_number_offer_card(locale: Locale, o: &IdNumberOffer, on_fill: &Callback<()>) -> Html {
    let differs = !o.differs_at.is_empty();
    let digits = o.number.chars().enumerate().map(|(i, c)| {
        if o.differs_at.contains(&(i + 1)) {
            html! { <mark>{ c }</mark> }
        } else {
            html! { { c } }
        }
    });
    let (role, button) = if differs {
        ("alert", Text::IdUse)
    } else {
        ("status", Text::IdFill)
    };
    let at: Vec<String> = o.differs_at.iter().map(usize::to_string).collect();
    html! {
        <section class="read-offer id-offer" {role} data-id-number={o.number.clone()}
            data-differs-at={at.join(",")}>
            <h2>{ text(locale, Text::IdReadTitle) }</h2>
            <p>{ text(locale, Text::IdReadBody) }</p>
            <p class="number" translate="no">{ for digits }</p>
            if differs {
                <p>{ text(locale, Text::IdReadDiffers) }</p>
            }
            <button type="button" class="button primary" onclick={fill_click(on_fill)}>{ text(locale, button) }</button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct CountrySelectProps {
    pub locale: Locale,
    /// The selected country, ISO 3166-1 alpha-3.
    pub country: AttrValue,
    pub on_change: Callback<String>,
}

/// Issuing country of the passport (ISO 3166-1 alpha-3), China first.
#[component]
pub fn CountrySelect(props: &CountrySelectProps) -> Html {
    let ids = use_ids();
    let locale = props.locale;
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let select = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok());
            if let Some(select) = select {
                on_change.emit(select.value());
            }
        })
    };
    let options: Html = COUNTRIES
        .iter()
        .map(|c| {
            let name = if locale == Locale::ZhCn { c.zh } else { c.en };
            html! {
                <option value={c.code} selected={props.country == c.code}>
                    { format!("{name} ({})", c.code) }
                </option>
            }
        })
        .collect();
    // A country outside the list (filled from a passport's MRZ) is shown by its code.
    let other = (!COUNTRIES.iter().any(|c| c.code == props.country)).then(|| {
        html! { <option value={props.country.clone()} selected=true>{ props.country.clone() }</option> }
    });
    html! {
        <div class="field">
            <label for={ids.id("field-passport-country")}>{ text(locale, Text::PassportCountry) }</label>
            <select id={ids.id("field-passport-country")} name="passport-country" {onchange}>
                { options }
                { other }
            </select>
        </div>
    }
}

/// zh-CN unless the page asks for English (`?lang=en`) or the browser prefers it.
pub fn initial_locale() -> Locale {
    let Some(window) = web_sys::window() else {
        return Locale::default();
    };
    let from_query = window.location().search().ok().and_then(|q| {
        q.trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Locale::parse)
    });
    from_query.unwrap_or_default()
}

/// The host page's settings from `#app`'s `data-*` attributes: `data-passport-visa`
/// (`off` | `optional` | `required`), `data-upload-max-side` (px), `data-upload-max-bytes`,
/// `data-photo-rules` (rules JSON), `data-upload-url` with `data-upload-protocol` (`multipart`
/// default, or `tus`: the built-in upload) and `data-worker-url` (default
/// `./worker_loader.js`). Bad
/// values of the first three keep the defaults; bad photo rules are an error the page shows
/// (and logs once), never silently replaced by the defaults.
pub fn host_config(app: &web_sys::Element) -> Config {
    let mut config = Config::default();
    let attr = |name: &str| app.get_attribute(name).filter(|v| !v.trim().is_empty());
    if let Some(v) = attr("data-passport-visa").and_then(|v| VisaPolicy::parse(v.trim())) {
        config.visa = v;
    }
    if let Some(v) = attr("data-upload-max-side").and_then(|v| v.trim().parse().ok()) {
        config.upload.max_long_side = u32::max(v, 256);
    }
    if let Some(v) = attr("data-upload-max-bytes").and_then(|v| v.trim().parse().ok()) {
        config.upload.max_bytes = u32::max(v, 50_000);
    }
    if let Some(json) = attr("data-photo-rules") {
        config.rules = Rules::from_json(&json);
        if let Err(e) = &config.rules {
            web_sys::console::error_1(&format!("id-precheck: data-photo-rules: {e}").into());
        }
    }
    if let Some(url) = attr("data-upload-url") {
        let protocol = match attr("data-upload-protocol").as_deref().map(str::trim) {
            Some("tus") => crate::upload::Protocol::Tus,
            _ => crate::upload::Protocol::Multipart,
        };
        config.send = Some(crate::upload::UploadConfig {
            url,
            protocol,
            ..crate::upload::UploadConfig::default()
        });
    }
    if let Some(v) = attr("data-worker-url") {
        config.worker_url = v;
    }
    config
}
