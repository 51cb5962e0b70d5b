//! The embed's `mount(element, config)` settings: one JSON object, validated as a whole.
//! Unknown keys are errors that name the key, so a typo never silently keeps a default.
//!
//! ```json
//! { "locale": "en", "documents": ["passport"], "required": ["passport-data", "face"],
//!   "passportVisa": "optional", "rules": { "all": { "blur": { "crisp_edges": { "warn": 0.5 } } } },
//!   "uploadImage": { "maxLongSide": 2048, "maxBytes": 1500000 }, "baseUrl": "/assets/precheck/",
//!   "upload": { "url": "https://shop.example/kyc/files/", "protocol": "tus" } }
//! ```

use super::config::{Config, VisaPolicy};
use super::doc::DocType;
use crate::checks::photo::{Rules, Slot};
use crate::i18n::Locale;
use crate::protocol::UploadLimits;
use crate::upload::UploadConfig;
use serde::Deserialize;

/// The settings of one mount.
#[derive(Clone, Debug, PartialEq)]
pub struct HostConfig {
    pub config: Config,
    pub locale: Locale,
    /// Where the module's wasm and worker are served (the module's own folder when absent).
    pub base_url: Option<String>,
}

/// Why a config cannot be used: the offending key (a dotted path) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostConfigError(pub String);

impl std::fmt::Display for HostConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
struct Raw {
    locale: Option<String>,
    documents: Option<Vec<String>>,
    required: Option<Vec<String>>,
    passport_visa: Option<String>,
    rules: Option<serde_json::Value>,
    upload_image: Option<RawImage>,
    upload: Option<serde_json::Value>,
    base_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
struct RawImage {
    max_long_side: Option<u32>,
    max_bytes: Option<u32>,
}

/// Smallest accepted `uploadImage.maxLongSide`, px, and `uploadImage.maxBytes`, bytes: below
/// them no document stays legible.
pub const MIN_LONG_SIDE: u32 = 256;
pub const MIN_BYTES: u32 = 50_000;

fn err(message: String) -> HostConfigError {
    HostConfigError(message)
}

impl HostConfig {
    /// Reads the config object (as JSON text; `{}` means every default).
    ///
    /// # Errors
    /// The first problem found, naming its key: an unknown key, a wrong type, an unknown
    /// locale, document or slot, a required slot that is never offered, rules the CLI would
    /// refuse, an image limit below the minimum.
    pub fn from_json(json: &str) -> Result<HostConfig, HostConfigError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| err(format!("config: {e}")))?;
        if !value.is_object() {
            return Err(err("config: expected an object".to_owned()));
        }
        let raw: Raw = serde_json::from_value(value).map_err(|e| err(format!("config: {e}")))?;
        let mut config = Config::default();
        let locale = match raw.locale.as_deref() {
            None => Locale::default(),
            Some(tag) => Locale::parse(tag)
                .ok_or_else(|| err(format!("locale: `{tag}` is not supported (zh-CN or en)")))?,
        };
        if let Some(documents) = raw.documents {
            let mut parsed = Vec::new();
            for d in &documents {
                let doc = [DocType::IdCard, DocType::Passport]
                    .into_iter()
                    .find(|doc| doc.as_str() == d)
                    .ok_or_else(|| {
                        err(format!(
                            "documents: `{d}` is not a document (id-card, passport)"
                        ))
                    })?;
                if !parsed.contains(&doc) {
                    parsed.push(doc);
                }
            }
            if parsed.is_empty() {
                return Err(err("documents: offer at least one document".to_owned()));
            }
            config.documents = parsed;
        }
        if let Some(visa) = raw.passport_visa.as_deref() {
            config.visa = VisaPolicy::parse(visa).ok_or_else(|| {
                err(format!(
                    "passportVisa: `{visa}` is not one of off, optional, required"
                ))
            })?;
        }
        if let Some(required) = raw.required {
            let mut slots = Vec::new();
            for s in &required {
                slots.push(
                    Slot::parse(s)
                        .ok_or_else(|| err(format!("required: `{s}` is not a photo slot")))?,
                );
            }
            let offered: Vec<Slot> = config
                .documents
                .iter()
                .flat_map(|d| d.slots(config.visa))
                .collect();
            if let Some(s) = slots.iter().find(|s| !offered.contains(s)) {
                return Err(err(format!(
                    "required: `{}` is not offered by the documents and passportVisa chosen",
                    s.as_str()
                )));
            }
            if slots.contains(&Slot::PassportVisa) {
                config.visa = VisaPolicy::Required;
            } else if config.visa == VisaPolicy::Required {
                config.visa = VisaPolicy::Optional;
            }
            config.optional = Slot::ALL
                .into_iter()
                .filter(|s| *s != Slot::PassportVisa && !slots.contains(s))
                .collect();
        }
        if let Some(rules) = raw.rules {
            config.rules =
                Ok(Rules::from_json(&rules.to_string())
                    .map_err(|e| err(format!("rules: {}", e.0)))?);
        }
        if let Some(image) = raw.upload_image {
            let mut upload = UploadLimits::default();
            if let Some(side) = image.max_long_side {
                if side < MIN_LONG_SIDE {
                    return Err(err(format!(
                        "uploadImage.maxLongSide: {side} is below {MIN_LONG_SIDE} px"
                    )));
                }
                upload.max_long_side = side;
            }
            if let Some(bytes) = image.max_bytes {
                if bytes < MIN_BYTES {
                    return Err(err(format!(
                        "uploadImage.maxBytes: {bytes} is below {MIN_BYTES} bytes"
                    )));
                }
                upload.max_bytes = bytes;
            }
            config.upload = upload;
        }
        if let Some(upload) = raw.upload {
            let send: UploadConfig =
                serde_json::from_value(upload).map_err(|e| err(format!("upload: {e}")))?;
            send.validate().map_err(err)?;
            config.send = Some(send);
        }
        if let Some(url) = &raw.base_url {
            if url.trim().is_empty() {
                return Err(err("baseUrl: empty".to_owned()));
            }
        }
        Ok(HostConfig {
            config,
            locale,
            base_url: raw.base_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(json: &str) -> String {
        match HostConfig::from_json(json) {
            Err(e) => e.0,
            Ok(c) => panic!("{json} was accepted: {c:?}"),
        }
    }

    #[test]
    fn an_empty_object_is_every_default() {
        let c = HostConfig::from_json("{}").unwrap();
        assert_eq!(c.config, Config::default());
        assert_eq!(c.locale, Locale::ZhCn);
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn every_key_is_read() {
        let c = HostConfig::from_json(
            r#"{"locale":"en","documents":["passport","passport"],"required":["passport-data","face"],
                "rules":{"all":{"blur":{"crisp_edges":{"warn":0.5}}}},
                "uploadImage":{"maxLongSide":2048,"maxBytes":1500000},"baseUrl":"/a/"}"#,
        )
        .unwrap();
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.config.documents, [DocType::Passport]);
        assert_eq!(c.config.visa, VisaPolicy::Optional);
        assert_eq!(
            c.config.optional,
            [Slot::IdFront, Slot::IdBack, Slot::SelfieWithDocument]
        );
        assert_eq!(c.config.upload.max_long_side, 2048);
        assert_eq!(c.config.upload.max_bytes, 1_500_000);
        assert_ne!(c.config.rules, Ok(Rules::default()));
        assert_eq!(c.base_url.as_deref(), Some("/a/"));
        assert_eq!(c.config.send, None);
        let tus =
            HostConfig::from_json(r#"{"upload":{"url":"/files/","protocol":"tus"}}"#).unwrap();
        let send = tus.config.send.unwrap();
        assert_eq!(send.url, "/files/");
        assert_eq!(send.protocol, crate::upload::Protocol::Tus);
        assert_eq!(send.timeout_ms, 30_000, "defaults for the rest");
        let visa = HostConfig::from_json(r#"{"required":["passport-visa"]}"#).unwrap();
        assert_eq!(visa.config.visa, VisaPolicy::Required);
        let off = HostConfig::from_json(r#"{"passportVisa":"off"}"#).unwrap();
        assert_eq!(off.config.visa, VisaPolicy::Off);
    }

    #[test]
    fn mistakes_are_named() {
        assert!(error(r#"{"lcoale":"en"}"#).contains("unknown field `lcoale`"));
        assert!(error(r#"{"uploadImage":{"maxSide":1}}"#).contains("unknown field `maxSide`"));
        assert!(error(r#"{"locale":"fr"}"#).starts_with("locale: `fr`"));
        assert!(error(r#"{"locale":5}"#).contains("invalid type"));
        assert!(error(r#"{"documents":["visa"]}"#).starts_with("documents: `visa`"));
        assert!(error(r#"{"documents":[]}"#).starts_with("documents: offer"));
        assert!(error(r#"{"required":["back"]}"#).starts_with("required: `back`"));
        assert!(
            error(r#"{"documents":["passport"],"required":["id-front"]}"#)
                .starts_with("required: `id-front` is not offered")
        );
        assert!(
            error(r#"{"passportVisa":"off","required":["passport-visa"]}"#)
                .starts_with("required: `passport-visa` is not offered")
        );
        assert!(error(r#"{"passportVisa":"maybe"}"#).starts_with("passportVisa: `maybe`"));
        assert!(error(r#"{"rules":{"all":{"nope":{}}}}"#).starts_with("rules: "));
        assert!(error(r#"{"uploadImage":{"maxLongSide":100}}"#).contains("below 256"));
        assert!(error(r#"{"uploadImage":{"maxBytes":10}}"#).contains("below 50000"));
        assert!(error(r#"{"baseUrl":" "}"#).starts_with("baseUrl"));
        assert!(error("[]").starts_with("config: "));
        assert!(error(r#"{"upload":{"url":"/u","protocol":"ftp"}}"#).starts_with("upload: "));
        assert!(error(r#"{"upload":{"url":"/u","retry":1}}"#).contains("unknown field `retry`"));
        assert!(error(r#"{"upload":{"url":""}}"#).starts_with("upload.url"));
        assert!(error(r#"{"upload":{"url":"/u","timeoutMs":5}}"#).starts_with("upload.timeoutMs"));
    }
}
