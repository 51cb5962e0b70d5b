//! Per-slot thresholds: one serde struct with documented defaults, overridable from JSON.
//!
//! Override JSON maps a slot id (or `"all"`, applied first) to the fields to change, e.g.
//! `{"all": {"blur": {"fail": 0.5}}, "face": {"short_side": {"warn": 600}}}`. Unknown keys
//! are errors, so a typo cannot silently keep a default. Defaults and their evidence:
//! `docs/calibration.md`.

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

const fn limit(warn: f64, fail: f64) -> Limit {
    Limit {
        warn: Some(warn),
        fail: Some(fail),
    }
}

/// Thresholds of one slot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotRules {
    /// `resolution`: short side of the original photo, px; bad below.
    pub short_side: Limit,
    /// `resolution`: megapixels of the original photo; bad below.
    pub megapixels: Limit,
    /// `brightness` (too dark): 95th percentile of luma, 0–255; bad below.
    pub dark_p95: Limit,
    /// `brightness` (too bright): fraction of pixels with luma ≥ 250; bad above.
    pub clipped: Limit,
    /// `contrast`: luma range p95 − p5, 0–255; bad below.
    pub contrast: Limit,
    /// `blur`: edge sharpness `min over 4 directions √(ΣD₂²/ΣD₁²)` on textured tiles of the
    /// working image (≈ 1.4–2 sharp, → 0 blurred); bad below.
    pub blur: Limit,
    /// `blur` (motion): sharpness anisotropy `min_d / max_d` of the median tile ratio per
    /// direction (≈ 0.9 sharp, ≈ 0.5 motion-blurred); bad below.
    pub motion: Limit,
    /// `blur`: textured 32×32 tiles needed to judge sharpness; bad below. Below `warn` the
    /// check says "no detail" instead of guessing; below `fail` there is nothing legible at
    /// all (a document always has text), which is what heavy blur leaves of a dim photo.
    pub textured_tiles: Limit,
    /// `glare`: largest near-white, low-saturation blob not touching the frame, % of the
    /// frame; bad above.
    pub glare: Limit,
    /// `color`: colourfulness σ-term `√(σ²(R−G) + σ²((R+G)/2 − B))`; bad below
    /// (black-and-white copies score ≈ 0).
    pub color: Limit,
    /// `framing` (document slots): the document's resolution, pixels of the original photo
    /// per millimetre of document (`√(quad area / document area)`, ID-1 85.60 × 53.98 mm,
    /// TD3 125 × 88 mm); bad below.
    pub document_ppm: Limit,
    /// `framing`: area of the document's quad, % of the frame; bad below. Only a presence
    /// floor: a quad this small is not taken for the document of a document photo.
    pub framing_fill: Limit,
    /// `framing`: smallest distance of a document corner to the frame edge, % of the frame's
    /// short side (negative = outside the frame); bad below.
    pub framing_margin: Limit,
    /// `blur` on a found document: share of its strong edges that are crisp (≤ 3 px wide
    /// at 5 px/mm, i.e. ≤ 0.6 mm); bad below.
    pub crisp_edges: Limit,
    /// `blur` (motion) on a found document: the tile anisotropy of `motion`, measured on the
    /// document's region of the working image; bad below.
    pub document_motion: Limit,
    /// `glare` on a found document: largest washed-out (clipped, colourless) area, % of the
    /// document; bad above. When the document's paper is itself clipped, at most a warning.
    pub document_glare: Limit,
    /// `brightness` (too bright) on a found document: share of its pixels with luma ≥ 250;
    /// bad above.
    pub document_clipped: Limit,
    /// `face` (`face` slot): height of the largest face box, % of the image height; bad below.
    pub face_height: Limit,
}

impl SlotRules {
    /// The calibrated defaults for `slot`.
    #[must_use]
    pub fn default_for(slot: Slot) -> SlotRules {
        let (short_side, megapixels) = match slot {
            Slot::Face => (limit(720.0, 600.0), limit(0.8, 0.4)),
            _ => (limit(1080.0, 720.0), limit(1.5, 0.6)),
        };
        // A document is text in every direction, so its sharpness is nearly isotropic when
        // still (unmodified card scenes ≥ 0.93); a face photo's background may not be.
        // Card scenes score ≥ 1.48 when sharp, so documents can demand more edge sharpness.
        let (blur, motion) = if slot.is_document() {
            (limit(1.1, 0.9), limit(0.88, 0.80))
        } else {
            (limit(1.0, 0.75), limit(0.78, 0.70))
        };
        // What a reviewer reads is the document's print, so its resolution is judged in
        // px per mm of document: every acceptable real frame has ≥ 6.3 px/mm, text stays
        // legible down to about 4 (docs/calibration.md, real photos). In a selfie the card is
        // held beside the face, so it only has to be there and whole.
        let document_ppm = match slot {
            Slot::SelfieWithDocument => Limit {
                warn: None,
                fail: Some(2.0),
            },
            _ => limit(6.0, 4.0),
        };
        // The smallest acceptable real frame has its document on 9.5 % of the frame; a
        // rectangle on 2.7 % of a brick wall is not a document. Below 4 % the reviewer, who
        // gets the upload copy (≤ 2560 px), would have < 6.6 px/mm even from 12 MP.
        let framing_fill = match slot {
            Slot::SelfieWithDocument => Limit {
                warn: None,
                fail: Some(2.0),
            },
            _ => Limit {
                warn: None,
                fail: Some(4.0),
            },
        };
        let face_height = match slot {
            Slot::Face => Limit {
                warn: Some(15.0),
                fail: None,
            },
            _ => Limit {
                warn: None,
                fail: None,
            },
        };
        SlotRules {
            short_side,
            megapixels,
            dark_p95: limit(120.0, 100.0),
            clipped: limit(0.05, 0.10),
            contrast: limit(40.0, 20.0),
            blur,
            motion,
            textured_tiles: limit(12.0, 3.0),
            glare: limit(0.15, 0.40),
            color: Limit {
                warn: Some(3.0),
                fail: None,
            },
            document_ppm,
            framing_fill,
            // A corner within 1 % of the edge is whole but tight (real frames: cards touch
            // the edge with their rounded corner inside the frame); beyond −0.5 % the
            // document is cut off.
            framing_margin: limit(1.0, -0.5),
            // Real acceptable frames: crisp share ≥ 0.165 (the clearly defocused 0.12), tile
            // anisotropy ≥ 0.70; a 30 px smear of a 12 MP card scene ≤ 0.62; σ = 8 px on
            // such a card (0.2 mm) 0.17-0.25 (docs/calibration.md).
            crisp_edges: limit(0.27, 0.14),
            document_motion: limit(0.72, 0.65),
            document_glare: limit(0.4, 10.0),
            document_clipped: limit(0.30, 0.60),
            face_height,
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
            r#"{"all": {"blur": {"fail": 0.5}}, "face": {"short_side": {"warn": 600}}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.slot(Slot::IdFront).blur.fail, Some(0.5));
        assert_eq!(
            r.slot(Slot::IdFront).blur.warn,
            SlotRules::default_for(Slot::IdFront).blur.warn
        );
        assert_eq!(r.slot(Slot::Face).short_side.warn, Some(600.0));
        assert_eq!(r.slot(Slot::IdFront).short_side.warn, Some(1080.0));
        let off = Rules::from_json(r#"{"all": {"color": {"warn": null}}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(off.slot(Slot::Face).color.warn, None);
    }

    #[test]
    fn round_trips_and_rejects_typos() {
        let d = Rules::default();
        assert_eq!(Rules::from_json(&d.to_json()), Ok(d));
        for bad in [
            "[]",
            "{",
            r#"{"passport": {}}"#,
            r#"{"all": {"blurr": {"fail": 1}}}"#,
            r#"{"all": {"blur": {"fial": 1}}}"#,
            r#"{"all": {"blur": {"fail": "low"}}}"#,
        ] {
            assert!(Rules::from_json(bad).is_err(), "{bad}");
        }
    }
}
