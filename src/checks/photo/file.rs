//! What a photo file is, and why it cannot be checked: types by magic bytes, size limits,
//! typed errors. No decoding here (the browser decodes; natively see `decode`).

use super::report::PhotoCode;
use serde::{Deserialize, Serialize};

/// Image formats recognised by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Heic,
    Avif,
    Gif,
    Bmp,
    Tiff,
    Pdf,
    Unknown,
}

impl Format {
    /// Sniffs the format from the first bytes of a file.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Format {
        let at = |i: usize, sig: &[u8]| bytes.get(i..i + sig.len()) == Some(sig);
        if at(0, &[0xFF, 0xD8, 0xFF]) {
            Format::Jpeg
        } else if at(0, b"\x89PNG\r\n\x1a\n") {
            Format::Png
        } else if at(0, b"RIFF") && at(8, b"WEBP") {
            Format::Webp
        } else if at(4, b"ftyp") {
            // ISO-BMFF: the major brand tells HEIF/HEIC from AVIF.
            match bytes.get(8..12) {
                Some(b"avif" | b"avis") => Format::Avif,
                Some(
                    b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1",
                ) => Format::Heic,
                _ => Format::Unknown,
            }
        } else if at(0, b"GIF8") {
            Format::Gif
        } else if at(0, b"BM") {
            Format::Bmp
        } else if at(0, b"II*\0") || at(0, b"MM\0*") {
            Format::Tiff
        } else if at(0, b"%PDF") {
            Format::Pdf
        } else {
            Format::Unknown
        }
    }

    /// Formats the checks can decode (natively; the browser may decode more).
    #[must_use]
    pub fn is_supported(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png | Format::Webp)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Heic => "heic",
            Format::Avif => "avif",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
            Format::Tiff => "tiff",
            Format::Pdf => "pdf",
            Format::Unknown => "unknown",
        }
    }
}

/// Caps applied before decoding (decompression bombs, memory).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLimits {
    /// Largest file, bytes (default 50 MB: a 200 MP phone JPEG is ~40 MB).
    pub max_bytes: u64,
    /// Most pixels (default 200 MP).
    pub max_pixels: u64,
    /// Longest side, px (default 30 000).
    pub max_side: u32,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            max_bytes: 50_000_000,
            max_pixels: 200_000_000,
            max_side: 30_000,
        }
    }
}

/// Why a photo could not be checked at all. (A bad photo is a report, not an error.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")] // externally tagged: cheaper to (de)serialise in wasm
pub enum PhotoError {
    /// The file has no bytes.
    Empty,
    /// Not JPEG, PNG or WebP (HEIC is named so the message can say what to do).
    UnsupportedFormat { format: Format },
    /// Recognised but undecodable (truncated, damaged).
    Corrupt { detail: String },
    /// Larger than the byte limit.
    TooLarge { bytes: u64, max: u64 },
    /// More pixels than the limit.
    TooManyPixels { width: u32, height: u32, max: u64 },
    /// The file could not be read (CLI: missing, no permission).
    Unreadable { detail: String },
}

impl PhotoError {
    /// The stable error code (`empty`, `unsupported-format`, `corrupt`, `too-large`,
    /// `too-many-pixels`, `unreadable`).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            PhotoError::Empty => "empty",
            PhotoError::UnsupportedFormat { .. } => "unsupported-format",
            PhotoError::Corrupt { .. } => "corrupt",
            PhotoError::TooLarge { .. } => "too-large",
            PhotoError::TooManyPixels { .. } => "too-many-pixels",
            PhotoError::Unreadable { .. } => "unreadable",
        }
    }

    /// The message code of the shopper-facing text.
    #[must_use]
    pub fn message_code(&self) -> PhotoCode {
        match self {
            PhotoError::Empty => PhotoCode::ErrorEmpty,
            PhotoError::UnsupportedFormat {
                format: Format::Heic,
            } => PhotoCode::ErrorHeic,
            PhotoError::UnsupportedFormat { .. } => PhotoCode::ErrorUnsupportedFormat,
            PhotoError::Corrupt { .. } => PhotoCode::ErrorCorrupt,
            PhotoError::TooLarge { .. } => PhotoCode::ErrorTooLarge,
            PhotoError::TooManyPixels { .. } => PhotoCode::ErrorTooManyPixels,
            PhotoError::Unreadable { .. } => PhotoCode::ErrorUnreadable,
        }
    }

    /// Checks what can be checked before decoding: emptiness, size, format.
    ///
    /// # Errors
    /// `Empty`, `TooLarge` or `UnsupportedFormat`.
    pub fn precheck(bytes: &[u8], limits: &FileLimits) -> Result<Format, PhotoError> {
        if bytes.is_empty() {
            return Err(PhotoError::Empty);
        }
        let len = bytes.len() as u64;
        if len > limits.max_bytes {
            return Err(PhotoError::TooLarge {
                bytes: len,
                max: limits.max_bytes,
            });
        }
        let format = Format::sniff(bytes);
        if format.is_supported() {
            Ok(format)
        } else {
            Err(PhotoError::UnsupportedFormat { format })
        }
    }

    /// Checks decoded dimensions against the limits.
    ///
    /// # Errors
    /// `TooManyPixels` when a side or the area is over the limit.
    pub fn check_dimensions(
        width: u32,
        height: u32,
        limits: &FileLimits,
    ) -> Result<(), PhotoError> {
        let pixels = u64::from(width) * u64::from(height);
        if width > limits.max_side || height > limits.max_side || pixels > limits.max_pixels {
            return Err(PhotoError::TooManyPixels {
                width,
                height,
                max: limits.max_pixels,
            });
        }
        Ok(())
    }
}

/// Reads the pixel size from the first bytes of a JPEG, PNG or WebP file, without decoding
/// (so a decompression bomb is refused before the browser allocates its pixels). JPEG:
/// the first SOFn segment, found by walking the segment lengths (EXIF thumbnails live in
/// APP1, ≤ 64 KiB, so 256 KiB of head is plenty); PNG: IHDR; WebP: VP8, VP8L or VP8X.
/// `None` when the head does not say (truncated, or another format).
#[must_use]
pub fn header_dimensions(head: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| {
        Some(u32::from(u16::from_be_bytes([
            *head.get(i)?,
            *head.get(i + 1)?,
        ])))
    };
    let le = |i: usize, n: usize| {
        let bytes = head.get(i..i + n)?;
        Some(
            bytes
                .iter()
                .rev()
                .fold(0u32, |a, &b| (a << 8) | u32::from(b)),
        )
    };
    match Format::sniff(head) {
        Format::Png => {
            let w = u32::from_be_bytes(head.get(16..20)?.try_into().ok()?);
            let h = u32::from_be_bytes(head.get(20..24)?.try_into().ok()?);
            Some((w, h))
        }
        Format::Webp => match head.get(12..16)? {
            b"VP8 " => Some((le(26, 2)? & 0x3FFF, le(28, 2)? & 0x3FFF)),
            b"VP8L" => {
                let bits = le(21, 4)?;
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8X" => Some((le(24, 3)? + 1, le(27, 3)? + 1)),
            _ => None,
        },
        Format::Jpeg => {
            let mut i = 2;
            loop {
                // Markers may be padded with fill bytes 0xFF.
                while *head.get(i)? == 0xFF && *head.get(i + 1)? == 0xFF {
                    i += 1;
                }
                if *head.get(i)? != 0xFF {
                    return None;
                }
                let marker = *head.get(i + 1)?;
                let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_sof {
                    return Some((be16(i + 7)?, be16(i + 5)?));
                }
                if matches!(marker, 0xD8 | 0x01 | 0xD0..=0xD7) {
                    i += 2;
                    continue;
                }
                if marker == 0xD9 || marker == 0xDA {
                    return None; // end of image / scan data before any frame header
                }
                i += 2 + usize::try_from(be16(i + 2)?).ok()?;
            }
        }
        _ => None,
    }
}

/// A technical description for logs (what a shopper reads is `i18n::photo_error_message`).
impl std::fmt::Display for PhotoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhotoError::Empty => f.write_str("empty file"),
            PhotoError::UnsupportedFormat { format } => {
                write!(f, "unsupported format: {}", format.as_str())
            }
            PhotoError::Corrupt { detail } => write!(f, "corrupt: {detail}"),
            PhotoError::TooLarge { bytes, max } => {
                write!(f, "too large: {bytes} bytes, at most {max}")
            }
            PhotoError::TooManyPixels { width, height, max } => {
                write!(f, "too many pixels: {width}×{height}, at most {max}")
            }
            PhotoError::Unreadable { detail } => write!(f, "unreadable: {detail}"),
        }
    }
}

impl std::error::Error for PhotoError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_dimensions_without_decoding() {
        // PNG IHDR of 3×2.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]);
        assert_eq!(header_dimensions(&png), Some((3, 2)));
        // JPEG: SOI, APP0 (16 bytes), fill byte, SOF0 4000×3000.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        jpeg.extend_from_slice(&[0; 14]);
        jpeg.extend_from_slice(&[0xFF, 0xFF, 0xC0, 0, 17, 8, 0x0B, 0xB8, 0x0F, 0xA0, 3]);
        assert_eq!(header_dimensions(&jpeg), Some((4000, 3000)));
        // A DHT (C4) before the frame header is not a frame header.
        let mut dht = vec![0xFF, 0xD8, 0xFF, 0xC4, 0, 4, 0, 0];
        dht.extend_from_slice(&[0xFF, 0xC2, 0, 17, 8, 0, 2, 0, 3, 3]);
        assert_eq!(header_dimensions(&dht), Some((3, 2)));
        // Truncated heads and other formats say nothing.
        assert_eq!(header_dimensions(&jpeg[..12]), None);
        assert_eq!(header_dimensions(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(header_dimensions(&[]), None);
        // WebP VP8X canvas 5000×4000 (stored minus one, 24-bit little-endian).
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        webp.extend_from_slice(&[10, 0, 0, 0, 0, 0, 0, 0]);
        webp.extend_from_slice(&[0x87, 0x13, 0x00, 0x9F, 0x0F, 0x00]);
        assert_eq!(header_dimensions(&webp), Some((5000, 4000)));
    }

    #[test]
    fn sniffing() {
        let cases: &[(&[u8], Format)] = &[
            (&[0xFF, 0xD8, 0xFF, 0xE0], Format::Jpeg),
            (b"\x89PNG\r\n\x1a\n....", Format::Png),
            (b"RIFF\0\0\0\0WEBPVP8 ", Format::Webp),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Format::Heic),
            (b"\0\0\0\x18ftypmif1\0\0\0\0", Format::Heic),
            (b"\0\0\0\x18ftypavif\0\0\0\0", Format::Avif),
            (b"GIF89a", Format::Gif),
            (b"%PDF-1.7", Format::Pdf),
            (b"hello", Format::Unknown),
            (b"", Format::Unknown),
            (&[0xFF, 0xD8], Format::Unknown),
        ];
        for (bytes, want) in cases {
            assert_eq!(Format::sniff(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn prechecks() {
        let l = FileLimits {
            max_bytes: 10,
            ..FileLimits::default()
        };
        assert_eq!(PhotoError::precheck(b"", &l), Err(PhotoError::Empty));
        assert_eq!(
            PhotoError::precheck(&[0xFF, 0xD8, 0xFF, 0], &l),
            Ok(Format::Jpeg)
        );
        assert_eq!(
            PhotoError::precheck(&[0; 11], &l).map_err(|e| e.code()),
            Err("too-large")
        );
        let heic = PhotoError::precheck(b"\0\0\0\x18ftypheic", &FileLimits::default());
        assert_eq!(
            heic.as_ref().map_err(PhotoError::code),
            Err("unsupported-format")
        );
        assert_eq!(
            heic.map_err(|e| e.message_code()),
            Err(PhotoCode::ErrorHeic)
        );
        assert!(PhotoError::check_dimensions(30_001, 10, &FileLimits::default()).is_err());
        assert!(PhotoError::check_dimensions(20_000, 20_000, &FileLimits::default()).is_err());
        assert!(PhotoError::check_dimensions(4032, 3024, &FileLimits::default()).is_ok());
    }
}
