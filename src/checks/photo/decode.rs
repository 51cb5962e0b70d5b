//! Native decoding (CLI, calibration, tests): the `image` crate under [`FileLimits`],
//! EXIF orientation applied. The browser decodes with `createImageBitmap` instead.

use super::file::{header_dimensions, FileLimits, Format, PhotoError};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use std::io::Cursor;

/// A decoded, upright photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// RGBA8, `width × height × 4` bytes.
    pub rgba: Vec<u8>,
}

/// Decodes a JPEG, PNG or WebP file. Dimensions and allocations are capped before the
/// pixels are decoded, so a small file claiming a huge image is refused cheaply.
///
/// # Errors
/// Every [`PhotoError`] but `Unreadable`.
pub fn decode(bytes: &[u8], limits: &FileLimits) -> Result<Decoded, PhotoError> {
    let format = PhotoError::precheck(bytes, limits)?;
    // As in the browser: the header's claimed size is judged before anything is decoded.
    if let Some((w, h)) = header_dimensions(bytes) {
        PhotoError::check_dimensions(w, h, limits)?;
    }
    if format == Format::Jpeg && !jpeg_is_complete(bytes) {
        // zune-jpeg fills a truncated scan with grey and reports no error; browsers refuse it.
        return Err(PhotoError::Corrupt {
            detail: "truncated: no end-of-image marker after the last scan".into(),
        });
    }
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
        _ => ImageFormat::Jpeg,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut caps = image::Limits::default();
    caps.max_image_width = Some(limits.max_side);
    caps.max_image_height = Some(limits.max_side);
    // RGBA8 of the largest allowed image, plus the decoder's own buffers.
    caps.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    reader.limits(caps);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    PhotoError::check_dimensions(w, h, limits)?;
    let orientation = decoder.orientation().map_err(classify)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    img.apply_orientation(orientation);
    let rgba = img.into_rgba8();
    Ok(Decoded {
        width: rgba.width(),
        height: rgba.height(),
        format,
        rgba: rgba.into_raw(),
    })
}

/// Whether a JPEG ends its last scan: an end-of-image marker (FF D9) after the last
/// start-of-scan (FF DA). Entropy-coded data stuffs every FF with 00, so neither marker can
/// appear inside it; an EXIF thumbnail's own FF D9 comes before the main image's scans.
/// Bytes after the EOI (some cameras append data) are allowed.
#[must_use]
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let marker = |m: u8| move |w: &[u8]| w == [0xFF, m];
    match bytes.windows(2).rposition(marker(0xDA)) {
        Some(sos) => bytes[sos..].windows(2).any(marker(0xD9)),
        None => false,
    }
}

fn classify(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(_) => PhotoError::TooManyPixels {
            width: 0,
            height: 0,
            max: FileLimits::default().max_pixels,
        },
        ImageError::Unsupported(u) => PhotoError::Corrupt {
            detail: u.to_string(),
        },
        other => PhotoError::Corrupt {
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn decodes_and_refuses_bad_files() {
        let ok = decode(&jpeg(64, 48), &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (ok.width, ok.height, ok.format, ok.rgba.len()),
            (64, 48, Format::Jpeg, 64 * 48 * 4)
        );

        let mut truncated = jpeg(64, 48);
        truncated.truncate(truncated.len() / 3);
        assert_eq!(
            decode(&truncated, &FileLimits::default()).map_err(|e| e.code()),
            Err("corrupt")
        );
        // Cut in the middle of the scan (zune-jpeg alone would fill it with grey), and a
        // frame header claiming 40 000 × 40 000 with no scan at all.
        let whole = jpeg(640, 480);
        let mid_scan = &whole[..whole.len() - 200];
        assert!(jpeg_is_complete(&whole) && !jpeg_is_complete(mid_scan));
        assert_eq!(
            decode(mid_scan, &FileLimits::default()).map_err(|e| e.code()),
            Err("corrupt")
        );
        let mut bomb = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 17, 8, 0x9C, 0x40, 0x9C, 0x40, 3];
        bomb.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        assert_eq!(
            decode(&bomb, &FileLimits::default()).map_err(|e| e.code()),
            Err("too-many-pixels")
        );
        assert_eq!(
            decode(b"not an image", &FileLimits::default()).map_err(|e| e.code()),
            Err("unsupported-format")
        );
        assert_eq!(
            decode(b"", &FileLimits::default()).map_err(|e| e.code()),
            Err("empty")
        );
        let small = FileLimits {
            max_pixels: 1000,
            ..FileLimits::default()
        };
        assert_eq!(
            decode(&jpeg(64, 48), &small).map_err(|e| e.code()),
            Err("too-many-pixels")
        );
    }

    /// Inserts an EXIF APP1 segment with the given orientation tag right after SOI.
    fn with_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&[1, 0]); // one IFD entry
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = u16::try_from(app1.len() + 2).unwrap_or(u16::MAX);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_is_applied() {
        // A 64×48 landscape JPEG tagged "rotate 90° clockwise" (6) is upright 48×64.
        let rotated = decode(&with_orientation(&jpeg(64, 48), 6), &FileLimits::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((rotated.width, rotated.height), (48, 64));
        let upright = decode(&with_orientation(&jpeg(64, 48), 1), &FileLimits::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((upright.width, upright.height), (64, 48));
        // Orientation 3 (180°): the top-left pixel comes from the bottom-right corner.
        let turned = decode(&with_orientation(&jpeg(64, 48), 3), &FileLimits::default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let plain =
            decode(&jpeg(64, 48), &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let last = plain.rgba.len() - 4;
        for c in 0..3 {
            let (a, b) = (i32::from(turned.rgba[c]), i32::from(plain.rgba[last + c]));
            assert!((a - b).abs() <= 6, "channel {c}: {a} vs {b}");
        }
    }

    #[test]
    fn a_png_bomb_is_refused_before_decoding() {
        // A valid 1×1 PNG whose header claims 100 000 × 100 000 pixels.
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&[0, 0, 0], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap_or_else(|e| panic!("{e}"));
        // IHDR width/height are at bytes 16..24; the CRC then mismatches, which must still
        // be an error, never an allocation of 40 GB.
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let err = decode(&png, &FileLimits::default()).map_err(|e| e.code());
        assert!(matches!(err, Err("too-many-pixels" | "corrupt")), "{err:?}");
    }
}
