#![no_main]
//! The photo engine on arbitrary sizes and pixels (`analyze`, the face detector, the live
//! guidance on its report): never panics, always one result per check of the slot.
use id_precheck::checks::photo::guidance::facts;
use id_precheck::checks::photo::{analyze_keeping_work, face, RgbaView, Rules, Slot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [w, h, s, rest @ ..] = data else { return };
    // Up to 256 × 256 (a few ms each): every size class, down to 1 × 1 and 0.
    let (w, h) = (u32::from(*w), u32::from(*h));
    let slot = Slot::ALL[usize::from(*s) % Slot::ALL.len()];
    let len = (w * h * 4) as usize;
    let pixels: Vec<u8> = if rest.is_empty() {
        vec![0; len]
    } else {
        rest.iter().copied().cycle().take(len).collect()
    };
    let Some(view) = RgbaView::new(w, h, &pixels) else { return };
    let rules = Rules::default();
    let (mut report, work) = analyze_keeping_work(view, Some((w * 16, h * 16)), slot, &rules);
    face::add_faces_embedded_at(&mut report, &work, &rules, face::GUIDE_DETECT_LONG_SIDE);
    let expected = if slot.is_document() { 7 } else { 6 } + usize::from(slot.needs_face());
    assert_eq!(report.checks.len(), expected, "{slot:?} {w}x{h}");
    let f = facts(&report);
    if let Some(q) = f.quad {
        assert!(q.iter().all(|p| p.x.is_finite() && p.y.is_finite()));
    }
});
