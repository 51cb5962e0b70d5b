#![no_main]
//! File sniffing, header sizes and native decoding under limits on arbitrary bytes: never
//! panics; a decoded image is within the limits and matches its header's size.
use id_precheck::checks::photo::decode::decode;
use id_precheck::checks::photo::file::header_dimensions;
use id_precheck::checks::photo::{FileLimits, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = Format::sniff(data);
    let head = header_dimensions(data);
    // Small limits keep each run fast; bombs must be refused before any pixel is decoded.
    let limits = FileLimits {
        max_bytes: 1 << 20,
        max_pixels: 1 << 20,
        max_side: 4096,
    };
    if let Ok(img) = decode(data, &limits) {
        assert!(u64::from(img.width) * u64::from(img.height) <= limits.max_pixels);
        assert_eq!(img.rgba.len(), img.width as usize * img.height as usize * 4);
        assert_ne!(format, Format::Unknown, "decoded an unknown format");
        if let Some((w, h)) = head {
            // EXIF orientation may swap the sides.
            assert!((w, h) == (img.width, img.height) || (h, w) == (img.width, img.height));
        }
    }
});
