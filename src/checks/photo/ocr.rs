//! Reading the document: the passport's machine-readable zone and the resident ID number,
//! from the found quad, with an OCR-B template matcher and a small character model (committed
//! weights; no network).
//!
//! [`rectify`] puts the document upright at 8 px/mm, [`mod@line`] finds fixed-pitch lines and
//! their cells, [`glyphs`] matches each cell with the OCR-B templates, [`model`] gives a
//! second opinion on it, [`mrz_read`] reads a zone and keeps it only when every check digit
//! holds, and [`id_line`] reads an ID card's number under the same rules.

pub mod glyphs;
pub mod id_line;
pub mod line;
pub mod model;
pub mod mrz_read;
pub mod rectify;

pub use id_line::IdRead;
pub use mrz_read::{MrzKind, MrzRead};
pub use rectify::Patch;
