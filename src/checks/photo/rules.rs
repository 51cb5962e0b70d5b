//! Per-slot thresholds: one serde struct with documented defaults, overridable from JSON.
//!
//! Override JSON maps a slot id (or `"all"`, applied first) to check ids, each to the rules
//! to change, e.g. `{"all": {"blur": {"crisp_edges": {"fail": 0.1}}}, "face": {"resolution":
//! {"short_side": {"warn": 600}}}}`. Unknown keys are errors, so a typo cannot silently keep
//! a default. Each check's rules, their defaults and evidence live in its module
//! ([`super::checks`]); the tables are in `docs/calibration.md`.

use super::checks::{blur, brightness, color, contrast, face, framing, glare, resolution};
use super::slot::Slot;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A threshold pair. Which side is bad depends on the check (see each field's doc).
/// `None` switches that level off.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub warn: Option<f64>,
    pub fail: Option<f64>,
}

/// Both levels on.
#[must_use]
pub(crate) const fn limit(warn: f64, fail: f64) -> Limit {
    Limit {
        warn: Some(warn),
        fail: Some(fail),
    }
}

/// Thresholds of one slot: one member per check, named by its id ([`CheckId::as_str`]),
/// defined and documented in that check's module. `face` applies to the `face` and
/// `selfie-with-document` slots, `framing` to document slots.
///
/// [`CheckId::as_str`]: super::checks::CheckId::as_str
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotRules {
    pub resolution: resolution::Rules,
    pub brightness: brightness::Rules,
    pub contrast: contrast::Rules,
    pub blur: blur::Rules,
    pub glare: glare::Rules,
    pub color: color::Rules,
    pub framing: framing::Rules,
    pub face: face::Rules,
}

impl SlotRules {
    /// The calibrated defaults for `slot`.
    #[must_use]
    pub fn default_for(slot: Slot) -> SlotRules {
        SlotRules {
            resolution: resolution::Rules::default_for(slot),
            brightness: brightness::Rules::default_for(slot),
            contrast: contrast::Rules::default_for(slot),
            blur: blur::Rules::default_for(slot),
            glare: glare::Rules::default_for(slot),
            color: color::Rules::default_for(slot),
            framing: framing::Rules::default_for(slot),
            face: face::Rules::default_for(slot),
        }
    }
}

/// Thresholds for every slot (serialised as `{slot id: SlotRules}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rules {
    slots: BTreeMap<Slot, SlotRules>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            slots: Slot::ALL
                .into_iter()
                .map(|s| (s, SlotRules::default_for(s)))
                .collect(),
        }
    }
}

/// A rules file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulesError(pub String);

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rules: {}", self.0)
    }
}

impl std::error::Error for RulesError {}

impl Rules {
    /// The thresholds of one slot.
    #[must_use]
    pub fn slot(&self, slot: Slot) -> SlotRules {
        self.slots
            .get(&slot)
            .cloned()
            .unwrap_or_else(|| SlotRules::default_for(slot))
    }

    /// Defaults overridden by a JSON document (see the module docs).
    ///
    /// # Errors
    /// Invalid JSON, an unknown slot or field, or a value of the wrong type.
    pub fn from_json(text: &str) -> Result<Rules, RulesError> {
        let overrides: serde_json::Value =
            serde_json::from_str(text).map_err(|e| RulesError(e.to_string()))?;
        let serde_json::Value::Object(map) = overrides else {
            return Err(RulesError("expected an object of slots".into()));
        };
        for key in map.keys() {
            if key != "all" && Slot::parse(key).is_none() {
                return Err(RulesError(format!("unknown slot `{key}`")));
            }
        }
        let mut rules = Rules::default();
        for slot in Slot::ALL {
            let mut value = serde_json::to_value(SlotRules::default_for(slot))
                .map_err(|e| RulesError(e.to_string()))?;
            for key in ["all", slot.as_str()] {
                if let Some(patch) = map.get(key) {
                    merge(&mut value, patch);
                }
            }
            let merged: SlotRules = serde_json::from_value(value)
                .map_err(|e| RulesError(format!("{}: {e}", slot.as_str())))?;
            rules.slots.insert(slot, merged);
        }
        Ok(rules)
    }

    /// The rules as JSON (every slot, every field), the format `from_json` reads.
    #[must_use]
    pub fn to_json(&self) -> String {
        let map: BTreeMap<&str, &SlotRules> =
            self.slots.iter().map(|(k, v)| (k.as_str(), v)).collect();
        serde_json::to_string_pretty(&map).unwrap_or_default()
    }
}

/// Deep-merges `patch` into `base`: objects key by key, anything else replaced. A key that
/// `base` lacks is kept, so deserialising with `deny_unknown_fields` reports it.
fn merge(base: &mut serde_json::Value, patch: &serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_merge_over_defaults() {
        let r = Rules::from_json(
            r#"{"all": {"blur": {"score": {"fail": 0.5}}}, "face": {"resolution": {"short_side": {"warn": 600}}}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.slot(Slot::IdFront).blur.score.fail, Some(0.5));
        assert_eq!(r.slot(Slot::IdFront).blur.score.warn, Some(1.1));
        assert_eq!(r.slot(Slot::Face).resolution.short_side.warn, Some(600.0));
        assert_eq!(r.slot(Slot::Face).resolution.short_side.fail, Some(600.0));
        assert_eq!(
            r.slot(Slot::IdFront).resolution.short_side.warn,
            Some(1080.0)
        );
        let off = Rules::from_json(r#"{"all": {"color": {"sigma": {"warn": null}}}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(off.slot(Slot::Face).color.sigma.warn, None);
        // Every check's rules sit under its id, and only those.
        let json: serde_json::Value =
            serde_json::to_value(SlotRules::default_for(Slot::IdFront)).unwrap_or_default();
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut ids: Vec<&str> = super::super::checks::CheckId::ALL
            .iter()
            .map(|c| c.as_str())
            .collect();
        ids.sort_unstable();
        assert_eq!(keys, ids);
    }

    #[test]
    fn round_trips_and_rejects_typos() {
        let d = Rules::default();
        assert_eq!(Rules::from_json(&d.to_json()), Ok(d));
        for bad in [
            "[]",
            "{",
            r#"{"passport": {}}"#,
            r#"{"all": {"blurr": {"score": {"fail": 1}}}}"#,
            r#"{"all": {"blur": {"scor": {"fail": 1}}}}"#,
            r#"{"all": {"blur": {"score": {"fial": 1}}}}"#,
            r#"{"all": {"blur": {"score": {"fail": "low"}}}}"#,
            r#"{"all": {"crisp_edges": {"warn": 0.9}}}"#,
        ] {
            assert!(Rules::from_json(bad).is_err(), "{bad}");
        }
    }
}
