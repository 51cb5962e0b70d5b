//! Per-slot thresholds: one serde struct with documented defaults, overridable from JSON.
//!
//! Override JSON maps a slot id (or `"all"`, applied first) to check ids, each to the rules
//! to change, e.g. `{"all": {"blur": {"crisp_edges": {"fail": 0.1}}}, "face": {"resolution":
//! {"short_side": {"warn": 600}}}}`. Unknown keys are errors, so a typo cannot silently keep
//! a default. Each check's rules, their defaults and evidence live in its module
//! ([`super::checks`]); the tables are in `docs/calibration.md`.

use super::checks::{
    blur, brightness, color, contrast, face, framing, glare, resolution, side, CheckId,
};
use super::slot::Slot;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
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

/// Declares a check's rules: a struct of named [`Limit`]s (serde, `deny_unknown_fields`),
/// with `NAMES` and `limit_mut(name)` so JSON overrides address each rule by its name.
macro_rules! limits {
    ($(#[$m:meta])* pub struct Rules { $($(#[$fm:meta])* pub $field:ident,)* }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Rules { $($(#[$fm])* pub $field: $crate::checks::photo::rules::Limit,)* }

        impl Rules {
            /// The rules' names, as the rules JSON spells them.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            /// The rule called `name`.
            #[must_use]
            pub fn limit_mut(
                &mut self,
                name: &str,
            ) -> Option<&mut $crate::checks::photo::rules::Limit> {
                match name {
                    $(stringify!($field) => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use limits;

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
    pub side: side::Rules,
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
            side: side::Rules::default_for(slot),
        }
    }

    /// The rule `name` of `check`, and the names `check` has.
    fn limit_mut(
        &mut self,
        check: CheckId,
        name: &str,
    ) -> (Option<&mut Limit>, &'static [&'static str]) {
        match check {
            CheckId::Resolution => (self.resolution.limit_mut(name), resolution::Rules::NAMES),
            CheckId::Brightness => (self.brightness.limit_mut(name), brightness::Rules::NAMES),
            CheckId::Contrast => (self.contrast.limit_mut(name), contrast::Rules::NAMES),
            CheckId::Blur => (self.blur.limit_mut(name), blur::Rules::NAMES),
            CheckId::Glare => (self.glare.limit_mut(name), glare::Rules::NAMES),
            CheckId::Color => (self.color.limit_mut(name), color::Rules::NAMES),
            CheckId::Framing => (self.framing.limit_mut(name), framing::Rules::NAMES),
            CheckId::Face => (self.face.limit_mut(name), face::Rules::NAMES),
            CheckId::Side => (self.side.limit_mut(name), side::Rules::NAMES),
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
        let overrides: Value = serde_json::from_str(text).map_err(|e| RulesError(e.to_string()))?;
        let map = object(&overrides, "the rules", "slot ids (or \"all\")")?;
        for key in map.keys() {
            if key != "all" && Slot::parse(key).is_none() {
                let known: Vec<&str> = Slot::ALL.iter().map(|s| s.as_str()).collect();
                return Err(RulesError(format!(
                    "unknown slot `{key}` (slots: all, {})",
                    known.join(", ")
                )));
            }
        }
        let mut rules = Rules::default();
        for (slot, slot_rules) in &mut rules.slots {
            for key in ["all", slot.as_str()] {
                if let Some(patch) = map.get(key) {
                    apply(slot_rules, patch, key)?;
                }
            }
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

/// `value` as an object, else an error naming `what` and what it should hold.
fn object<'a>(
    value: &'a Value,
    what: &str,
    of: &str,
) -> Result<&'a Map<String, Value>, RulesError> {
    value
        .as_object()
        .ok_or_else(|| RulesError(format!("{what}: expected an object of {of}, got {value}")))
}

/// Applies one slot's (or `all`'s) overrides `patch`, `{check id: {rule: {warn, fail}}}`.
fn apply(r: &mut SlotRules, patch: &Value, at: &str) -> Result<(), RulesError> {
    for (id, rules) in object(patch, &format!("`{at}`"), "check ids")? {
        let check = CheckId::parse(id).ok_or_else(|| {
            let known: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
            RulesError(format!(
                "`{at}`: unknown check `{id}` (checks: {})",
                known.join(", ")
            ))
        })?;
        for (name, levels) in object(rules, &format!("`{at}.{id}`"), "rules")? {
            let (limit, names) = r.limit_mut(check, name);
            let limit = limit.ok_or_else(|| {
                RulesError(format!(
                    "`{at}.{id}`: unknown rule `{name}` (rules: {})",
                    names.join(", ")
                ))
            })?;
            let at = format!("`{at}.{id}.{name}`");
            for (level, v) in object(levels, &at, "levels (warn, fail)")? {
                let slot = match level.as_str() {
                    "warn" => &mut limit.warn,
                    "fail" => &mut limit.fail,
                    _ => {
                        return Err(RulesError(format!(
                            "{at}: unknown level `{level}` (levels: warn, fail)"
                        )))
                    }
                };
                *slot = match v {
                    Value::Null => None,
                    Value::Number(n) => n.as_f64(),
                    other => {
                        return Err(RulesError(format!(
                            "{at}.{level}: expected a number or null, got {other}"
                        )))
                    }
                };
            }
        }
    }
    Ok(())
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

    /// An integrator reads these on the page: each names where the mistake is and what
    /// would be valid there.
    #[test]
    fn errors_name_the_place_and_the_choices() {
        let err = |json: &str| {
            Rules::from_json(json)
                .err()
                .map(|e| e.0)
                .unwrap_or_default()
        };
        assert_eq!(
            err(r#"{"all": {"blur": {"crisp_edge": {"warn": 0.5}}}}"#),
            "`all.blur`: unknown rule `crisp_edge` (rules: score, motion, textured_tiles, \
             crisp_edges, document_motion)"
        );
        assert_eq!(
            err(r#"{"face": {"sharpness": {}}}"#),
            "`face`: unknown check `sharpness` (checks: resolution, brightness, contrast, blur, \
             glare, color, framing, face, side)"
        );
        assert_eq!(
            err(r#"{"id-front": {"glare": {"largest": {"warn": "0.2"}}}}"#),
            "`id-front.glare.largest`.warn: expected a number or null, got \"0.2\""
        );
        assert_eq!(
            err(r#"{"id-front": {"glare": {"largest": {"max": 1}}}}"#),
            "`id-front.glare.largest`: unknown level `max` (levels: warn, fail)"
        );
        assert!(
            err(r#"{"passport": {}}"#).starts_with("unknown slot `passport` (slots: all, id-front")
        );
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
