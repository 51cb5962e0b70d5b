//! Native decoding (CLI, calibration, tests) under [`FileLimits`], EXIF orientation applied.
//! The browser decodes with `createImageBitmap` instead, and both must give the same pixels:
//! JPEG goes through libjpeg-turbo (vendored, via `turbojpeg-sys`) with the settings Chromium
//! uses (accurate integer IDCT, smooth chroma upsampling), so the pixels are bit-identical to
//! Chromium's (and to PIL's); PNG and WebP through the `image` crate (lossless, or exactly
//! specified).

use super::file::{header_dimensions, FileLimits, Format, PhotoError};
use super::orient::Orientation;
use super::pyramid::{self, Region, Source};
use super::scaled::{self, Missing, ScaledSource};
use super::{PhotoReport, RgbaView, Rules, Slot, WorkImage};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use std::ffi::CStr;
use std::io::Cursor;
use turbojpeg_sys as tj;

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
    decode_unsized(bytes, limits).map_err(|e| with_real_size(e, bytes, limits))
}

/// The decoders report a size limit without the size ([`size_unknown`]): the error then
/// gets the header's size and the limit in force; a file whose header says no size is
/// corrupt rather than "too large".
fn with_real_size(e: PhotoError, bytes: &[u8], limits: &FileLimits) -> PhotoError {
    if e != size_unknown() {
        return e;
    }
    match header_dimensions(bytes) {
        Some((width, height)) => PhotoError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        },
        None => PhotoError::Corrupt {
            detail: "the decoder's size limit was reached, the header gives no size".into(),
        },
    }
}

/// What the decoders' size-limit errors become before [`with_real_size`] fills them in.
fn size_unknown() -> PhotoError {
    PhotoError::TooManyPixels {
        width: 0,
        height: 0,
        max: 0,
    }
}

/// The file's format, once its bytes and the size its header claims are within `limits`: as
/// in the browser, the claimed size is judged before anything is decoded.
fn sized_format(bytes: &[u8], limits: &FileLimits) -> Result<Format, PhotoError> {
    let format = PhotoError::precheck(bytes, limits)?;
    if let Some((w, h)) = header_dimensions(bytes) {
        PhotoError::check_dimensions(w, h, limits)?;
    }
    Ok(format)
}

fn decode_unsized(bytes: &[u8], limits: &FileLimits) -> Result<Decoded, PhotoError> {
    let format = sized_format(bytes, limits)?;
    if format == Format::Jpeg {
        return decode_jpeg(bytes, limits);
    }
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        _ => ImageFormat::WebP,
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
    Ok(upright(img, format))
}

fn upright(img: DynamicImage, format: Format) -> Decoded {
    let rgba = img.into_rgba8();
    Decoded {
        width: rgba.width(),
        height: rgba.height(),
        format,
        rgba: rgba.into_raw(),
    }
}

/// Most progressive scans accepted: Chromium gives up on the 100th (a progressive JPEG can
/// make a decoder loop over millions of empty scans).
const MAX_SCANS: i32 = 99;

/// JPEG through libjpeg-turbo, as Chromium's `JPEGImageDecoder` does it: RGB, YCbCr and grey
/// to RGBA by libjpeg-turbo itself; CMYK and YCCK to (Adobe-inverted) CMYK, then
/// `R = C·K / 255` (integer division) and so on, Chromium's own conversion. libjpeg warnings
/// (corrupt entropy data, extraneous bytes) do not fail the decode, as in Chromium; running
/// out of data does (Chromium: the decoder still waits for data when the file has ended).
fn decode_jpeg(bytes: &[u8], limits: &FileLimits) -> Result<Decoded, PhotoError> {
    Jpeg::open(bytes, limits)?.decode_upright(0)
}

/// A JPEG whose header was read, decoded at any of libjpeg-turbo's scales `1/2ˢ` as stored
/// (not turned upright).
struct Jpeg<'a> {
    bytes: &'a [u8],
    tj: TurboJpeg,
    /// Stored size.
    size: (u32, u32),
    /// The EXIF orientation, read as Chromium reads it.
    orientation: Orientation,
    cmyk: bool,
}

impl<'a> Jpeg<'a> {
    /// Reads the header under `limits` (see [`decode_jpeg`]).
    fn open(bytes: &'a [u8], limits: &FileLimits) -> Result<Jpeg<'a>, PhotoError> {
        if !jpeg_is_complete(bytes) {
            // Cheap, and before any allocation: libjpeg would pad a truncated scan with grey.
            return Err(PhotoError::Corrupt {
                detail: "truncated: the data ends before the end-of-image marker".into(),
            });
        }
        let mut tj = TurboJpeg::new()?;
        let clamp = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
        tj.set(tj::TJPARAM_TJPARAM_SCANLIMIT, MAX_SCANS)?;
        tj.set(tj::TJPARAM_TJPARAM_MAXPIXELS, clamp(limits.max_pixels))?;
        // libjpeg's own buffers (a progressive JPEG keeps every coefficient: 2 bytes per
        // sample, up to 4 samples per pixel), in MiB; the RGBA output is allocated here, not
        // counted.
        tj.set(
            tj::TJPARAM_TJPARAM_MAXMEMORY,
            clamp(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20) >> 20),
        )?;
        tj.decompress_header(bytes)?;
        let dim = |param| u32::try_from(tj.get(param)).unwrap_or(0);
        let (w, h) = (
            dim(tj::TJPARAM_TJPARAM_JPEGWIDTH),
            dim(tj::TJPARAM_TJPARAM_JPEGHEIGHT),
        );
        PhotoError::check_dimensions(w, h, limits)?;
        if w == 0 || h == 0 {
            return Err(PhotoError::Corrupt {
                detail: format!("empty frame ({w}×{h})"),
            });
        }
        let colorspace = u32::try_from(tj.get(tj::TJPARAM_TJPARAM_COLORSPACE)).unwrap_or(u32::MAX);
        let cmyk = matches!(colorspace, tj::TJCS_TJCS_CMYK | tj::TJCS_TJCS_YCCK);
        Ok(Jpeg {
            bytes,
            tj,
            size: (w, h),
            orientation: Orientation::of_jpeg(bytes),
            cmyk,
        })
    }

    /// [`Jpeg::decode`], turned upright per EXIF.
    fn decode_upright(&mut self, scale: u32) -> Result<Decoded, PhotoError> {
        let (rgba, (w, h)) = self.decode(scale)?;
        let (rgba, width, height) = self.orientation.apply(rgba, w, h);
        Ok(Decoded {
            width,
            height,
            format: Format::Jpeg,
            rgba,
        })
    }

    /// The pixels decoded at `1/2ˢ` (`s` ≤ 3; 0: full size), RGBA as stored, and their size.
    fn decode(&mut self, scale: u32) -> Result<(Vec<u8>, (u32, u32)), PhotoError> {
        let factor = tj::tjscalingfactor {
            num: 1,
            denom: 1 << scale.min(scaled::MAX_SCALE),
        };
        // SAFETY: the handle is valid; 1/1, 1/2, 1/4 and 1/8 are libjpeg-turbo scaling factors.
        if unsafe { tj::tj3SetScalingFactor(self.tj.0, factor) } != 0 {
            return Err(self.tj.error());
        }
        let (w, h) = scaled::scaled_size(self.size, scale);
        let pixel_format = if self.cmyk {
            tj::TJPF_TJPF_CMYK
        } else {
            tj::TJPF_TJPF_RGBA
        };
        // w, h ≤ max_side and w·h ≤ max_pixels (checked in `open`): the buffer is bounded.
        let len =
            usize::try_from(u64::from(w) * u64::from(h) * 4).map_err(|_| PhotoError::Corrupt {
                detail: format!("{w}×{h}: too large for this machine"),
            })?;
        let mut rgba = vec![0u8; len];
        self.tj
            .decompress_as_chromium(self.bytes, &mut rgba, w, h, pixel_format)?;
        if self.cmyk {
            for px in rgba.chunks_exact_mut(4) {
                let k = u32::from(px[3]);
                for c in &mut px[..3] {
                    // ≤ 255·255 / 255: fits.
                    *c = u8::try_from(u32::from(*c) * k / 255).unwrap_or(u8::MAX);
                }
                px[3] = 255;
            }
        }
        Ok((rgba, (w, h)))
    }
}

/// The CLI's [`Source`] for a JPEG: levels 1 and deeper from its scaled decodes
/// ([`ScaledSource`], what the browser's `ImageDecoder` gives), level 0 from the full decode;
/// each decode made on first use.
pub struct JpegSource<'a> {
    jpeg: Jpeg<'a>,
    scaled: ScaledSource,
    full: Option<Decoded>,
}

impl<'a> JpegSource<'a> {
    /// The source of a JPEG file, its header read under `limits`.
    ///
    /// # Errors
    /// The header cannot be read or is over the limits.
    pub fn open(bytes: &'a [u8], limits: &FileLimits) -> Result<JpegSource<'a>, PhotoError> {
        let jpeg = Jpeg::open(bytes, limits)?;
        let scaled = ScaledSource::new(jpeg.size, jpeg.orientation);
        Ok(JpegSource {
            jpeg,
            scaled,
            full: None,
        })
    }

    /// The photo's upright size.
    #[must_use]
    pub fn upright_size(&self) -> (u32, u32) {
        self.scaled.upright_size()
    }
}

impl Source for JpegSource<'_> {
    type Error = PhotoError;

    fn size(&self) -> (u32, u32) {
        self.scaled.size()
    }

    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), PhotoError> {
        if level == 0 {
            if self.full.is_none() {
                self.full = Some(self.jpeg.decode_upright(0)?);
            }
            if let Some(full) = &self.full {
                pyramid::sink_region(&full.rgba, full.width, 0, region, sink);
            }
            return Ok(());
        }
        if let Some(s) = self.scaled.missing(level) {
            let (rgba, size) = self.jpeg.decode(s)?;
            self.scaled
                .insert(s, rgba, size)
                .map_err(|e| PhotoError::Corrupt {
                    detail: format!("{e:?}"),
                })?;
        }
        self.scaled
            .read_rows(level, region, sink)
            .map_err(|Missing(s)| PhotoError::Corrupt {
                detail: format!("no decode at 1/{}", 1 << s),
            })
    }
}

/// Checks a photo file as the browser's worker does, without faces: a JPEG through its
/// scaled decodes ([`JpegSource`]), PNG and WebP through the full decode's [`Pyramid`].
///
/// # Errors
/// The file cannot be read as a photo ([`PhotoError`]).
pub fn analyze_file(
    bytes: &[u8],
    limits: &FileLimits,
    slot: Slot,
    rules: &Rules,
) -> Result<(PhotoReport, WorkImage), PhotoError> {
    if sized_format(bytes, limits)? == Format::Jpeg {
        let mut source =
            JpegSource::open(bytes, limits).map_err(|e| with_real_size(e, bytes, limits))?;
        let original = source.upright_size();
        return super::analyze_source(&mut source, original, slot, rules)
            .map_err(|e| with_real_size(e, bytes, limits));
    }
    let img = decode(bytes, limits)?;
    let view =
        RgbaView::new(img.width, img.height, &img.rgba).ok_or_else(|| PhotoError::Corrupt {
            detail: "pixel buffer size".into(),
        })?;
    Ok(super::analyze_keeping_work(view, None, slot, rules))
}

/// A TurboJPEG decompressor handle (libjpeg-turbo's C API: errors come back as return codes,
/// never as unwinding, so this is sound under `panic = "abort"`).
struct TurboJpeg(tj::tjhandle);

impl TurboJpeg {
    fn new() -> Result<Self, PhotoError> {
        // SAFETY: tj3Init has no preconditions; a null handle is checked below.
        let handle = unsafe { tj::tj3Init(tj::TJINIT_TJINIT_DECOMPRESS as i32) };
        if handle.is_null() {
            return Err(PhotoError::Corrupt {
                detail: "libjpeg-turbo: cannot initialise a decompressor".into(),
            });
        }
        Ok(TurboJpeg(handle))
    }

    fn set(&mut self, param: tj::TJPARAM, value: i32) -> Result<(), PhotoError> {
        // SAFETY: the handle is valid (non-null, not yet destroyed).
        let rc = unsafe { tj::tj3Set(self.0, param as i32, value) };
        if rc == 0 {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn get(&self, param: tj::TJPARAM) -> i32 {
        // SAFETY: the handle is valid.
        unsafe { tj::tj3Get(self.0, param as i32) }
    }

    /// Decompresses into `out` (`w × h` pixels of 4 bytes, RGBA or CMYK) as Chromium does:
    /// libjpeg warnings (corrupt entropy data, stray bytes: libjpeg goes on to the end) are
    /// not errors, but running out of data is, and so is any error after a warning.
    fn decompress_as_chromium(
        &mut self,
        jpeg: &[u8],
        out: &mut [u8],
        w: u32,
        h: u32,
        pixel_format: tj::TJPF,
    ) -> Result<(), PhotoError> {
        // Most files have no warning: one pass, stopping at the first warning if there is one.
        self.set(tj::TJPARAM_TJPARAM_STOPONWARNING, 1)?;
        if self.decompress(jpeg, out, w, h, pixel_format)? {
            return Ok(());
        }
        if !self.is_warning() {
            return Err(self.error());
        }
        let first = self.message();
        if first.contains("Premature end") {
            return Err(PhotoError::Corrupt { detail: first });
        }
        // Again, to the end. TurboJPEG then says "warning" even when an error followed one;
        // libjpeg keeps the message of the first warning only, but that of every error: the
        // message left is the first warning's again exactly when no error followed.
        self.set(tj::TJPARAM_TJPARAM_STOPONWARNING, 0)?;
        if self.decompress(jpeg, out, w, h, pixel_format)? {
            return Ok(());
        }
        let last = self.message();
        if self.is_warning() && last == first {
            Ok(())
        } else {
            Err(tj_error(last))
        }
    }

    /// One `tj3Decompress8` call: whether it succeeded without a warning.
    fn decompress(
        &mut self,
        jpeg: &[u8],
        out: &mut [u8],
        w: u32,
        h: u32,
        pixel_format: tj::TJPF,
    ) -> Result<bool, PhotoError> {
        let pitch = i32::try_from(u64::from(w) * 4).ok();
        let size = u64::from(w) * u64::from(h) * 4;
        let Some(pitch) = pitch.filter(|_| out.len() as u64 == size) else {
            return Err(PhotoError::Corrupt {
                detail: format!("{w}×{h}: no output buffer"),
            });
        };
        // The header read by tj3Decompress8 is the one read by decompress_header (same
        // bytes), so the image is `w × h` and fills `out` exactly (`pitch × h` bytes).
        // SAFETY: the handle is valid; `jpeg` is readable and `out` writable for their lengths.
        let rc = unsafe {
            tj::tj3Decompress8(
                self.0,
                jpeg.as_ptr(),
                jpeg.len() as _,
                out.as_mut_ptr(),
                pitch,
                pixel_format,
            )
        };
        Ok(rc == 0)
    }

    /// The header: warnings are not errors (the decode itself judges them).
    fn decompress_header(&mut self, jpeg: &[u8]) -> Result<(), PhotoError> {
        // SAFETY: the handle is valid; `jpeg` is readable for `jpeg.len()` bytes.
        let rc = unsafe { tj::tj3DecompressHeader(self.0, jpeg.as_ptr(), jpeg.len() as _) };
        if rc == 0 || self.is_warning() {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// Whether the last call's failure is (or, after an error, follows) a libjpeg warning.
    fn is_warning(&self) -> bool {
        // SAFETY: the handle is valid.
        unsafe { tj::tj3GetErrorCode(self.0) == tj::TJERR_TJERR_WARNING as i32 }
    }

    fn message(&mut self) -> String {
        // SAFETY: the handle is valid; tj3GetErrorStr returns a NUL-terminated string owned
        // by the library (valid until the next call), copied at once.
        unsafe { CStr::from_ptr(tj::tj3GetErrorStr(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    fn error(&mut self) -> PhotoError {
        tj_error(self.message())
    }
}

impl Drop for TurboJpeg {
    fn drop(&mut self) {
        // SAFETY: the handle is valid and destroyed exactly once.
        unsafe { tj::tj3Destroy(self.0) };
    }
}

/// A TurboJPEG error message as a [`PhotoError`].
fn tj_error(detail: String) -> PhotoError {
    // TJPARAM_MAXPIXELS, TJPARAM_MAXMEMORY, libjpeg's 65 500-pixel side.
    let limit = [
        "Image is too large",
        "Insufficient memory",
        "Maximum supported image",
    ];
    if limit.iter().any(|m| detail.contains(m)) {
        return size_unknown();
    }
    PhotoError::Corrupt { detail }
}

/// Whether libjpeg, reading the file as it does, meets the end-of-image marker (FF D9)
/// before the bytes run out: Chromium refuses a JPEG that ends first (its decoder is still
/// waiting for data), while libjpeg on its own pads it with grey. Marker segments are skipped
/// by their lengths (a bogus length can run past the end), entropy-coded data up to the next
/// marker (FF 00 stuffing, FF fill bytes and restart markers belong to it), stray bytes
/// between segments are skipped. Bytes after the EOI (some cameras append data) are allowed.
#[must_use]
pub fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    loop {
        let Some(ff) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
        else {
            return false;
        };
        i += ff + 1;
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let Some(&marker) = bytes.get(i) else {
            return false;
        };
        i += 1;
        match marker {
            0xD9 => return true,
            // Stuffing, restart markers, TEM; reserved markers and a second SOI have no
            // length either (libjpeg skips them in a scan, or fails on them anyway).
            0x00..=0xBF | 0xD0..=0xD8 => {}
            _ => {
                let Some(len) = bytes.get(i..i + 2) else {
                    return false;
                };
                i += usize::from(u16::from_be_bytes([len[0], len[1]])).max(2);
                if i > bytes.len() {
                    return false;
                }
            }
        }
    }
}

fn classify(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(_) => size_unknown(),
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
    use image::metadata::Orientation as ImageOrientation;
    use image::RgbaImage;
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
        // Cut in the middle of the scan (libjpeg alone would fill it with grey), and a
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
            decode(&bomb, &FileLimits::default()),
            Err(PhotoError::TooManyPixels {
                width: 40_000,
                height: 40_000,
                max: 200_000_000
            })
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
        // The limit in force and the photo's real size, whichever decoder noticed.
        assert_eq!(
            decode(&jpeg(64, 48), &small),
            Err(PhotoError::TooManyPixels {
                width: 64,
                height: 48,
                max: 1000
            })
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
    fn orientation_is_read_as_chromium_reads_it() {
        for o in 1..=8 {
            let tagged = with_orientation(&jpeg(8, 8), o);
            assert_eq!(Orientation::of_jpeg(&tagged).to_exif(), o);
        }
        // No EXIF, an out-of-range value, a segment that is not EXIF: upright.
        assert_eq!(Orientation::of_jpeg(&jpeg(8, 8)), Orientation::UPRIGHT);
        let bogus = with_orientation(&jpeg(8, 8), 9);
        assert_eq!(Orientation::of_jpeg(&bogus), Orientation::UPRIGHT);
        let mut not_exif = with_orientation(&jpeg(8, 8), 6);
        not_exif[6] = b'X';
        assert_eq!(Orientation::of_jpeg(&not_exif), Orientation::UPRIGHT);
    }

    #[test]
    fn the_core_turns_pixels_upright_as_the_image_crate_does() {
        let (w, h) = (5u32, 3u32);
        let px: Vec<u8> = (0..w * h * 4).map(|i| (i * 7 % 251) as u8).collect();
        for o in 1..=8u8 {
            let ours = Orientation::from_exif(o)
                .unwrap_or_default()
                .apply(px.clone(), w, h);
            let mut img = DynamicImage::ImageRgba8(
                RgbaImage::from_raw(w, h, px.clone()).unwrap_or_else(|| panic!("size")),
            );
            img.apply_orientation(ImageOrientation::from_exif(o).unwrap_or_else(|| panic!("{o}")));
            let theirs = img.into_rgba8();
            assert_eq!(
                (ours.1, ours.2, ours.0),
                (theirs.width(), theirs.height(), theirs.into_raw()),
                "orientation {o}"
            );
        }
    }

    #[test]
    fn a_jpeg_source_reads_level_1_from_the_half_size_decode() {
        // 64 × 48 tagged 6: upright 48 × 64 (top level 0 below 256 px: use a bigger one).
        let bytes = with_orientation(&jpeg(520, 264), 6);
        let mut source =
            JpegSource::open(&bytes, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(source.upright_size(), (264, 520));
        assert_eq!(source.size(), (264, 520)); // top level 1: even sides
        let read = |s: &mut JpegSource, level| {
            let mut out = Vec::new();
            s.read_rows(level, Region::whole(264, 520), &mut |r| {
                out.extend_from_slice(r)
            })
            .unwrap_or_else(|e| panic!("{e:?}"));
            out
        };
        // Level 0 is the full decode, turned upright.
        let full = decode(&bytes, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read(&mut source, 0), full.rgba);
        // Level 1 is the half-size decode (not the 2×2 mean of level 0), turned upright.
        let mut jpeg =
            Jpeg::open(&bytes, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let (half, (hw, hh)) = jpeg.decode(1).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((hw, hh), (260, 132));
        let (upright, uw, _) = Orientation::from_exif(6)
            .unwrap_or_default()
            .apply(half, hw, hh);
        assert_eq!(uw, 132);
        assert_eq!(read(&mut source, 1), upright);
        assert_ne!(upright, pyramid::half(&full.rgba, 264, 264, 520));
    }

    #[test]
    fn libjpeg_warnings_do_not_fail_the_decode() {
        // Two stray bytes before the end-of-image marker ("Corrupt JPEG data: 2 extraneous
        // bytes"): Chromium shows the image, so the same pixels come out here.
        let whole = jpeg(64, 48);
        let mut stray = whole[..whole.len() - 2].to_vec();
        stray.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
        let a = decode(&whole, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        let b = decode(&stray, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a, b);
        // Without the end-of-image marker, Chromium refuses it.
        assert_eq!(
            decode(&whole[..whole.len() - 2], &FileLimits::default()).map_err(|e| e.code()),
            Err("corrupt")
        );
        // A bogus table in the middle of the scan: a warning (premature end of the data
        // segment), then an error (Chromium refuses it), which TurboJPEG reports as a warning.
        let big = jpeg(640, 480);
        let sos = big.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap_or(0);
        let mut at = sos + (big.len() - sos) / 2;
        while big[at - 1] == 0xFF {
            at += 1;
        }
        let mut bad = big[..at].to_vec();
        bad.extend_from_slice(&[0xFF, 0xC4, 0, 1]);
        bad.extend_from_slice(&big[at..]);
        assert_eq!(
            decode(&bad, &FileLimits::default()).map_err(|e| e.code()),
            Err("corrupt")
        );
        // A comment segment there whose length runs past the end of the file: libjpeg skips
        // the real end-of-image marker with it and runs out of data (a second warning, after
        // the premature end of the scan); Chromium refuses it.
        let mut swallowed = big[..at].to_vec();
        swallowed.extend_from_slice(&[0xFF, 0xFE, 0xFF, 0xF0]);
        swallowed.extend_from_slice(&big[at..]);
        assert!(!jpeg_is_complete(&swallowed) && jpeg_is_complete(&big));
        assert_eq!(
            decode(&swallowed, &FileLimits::default()).map_err(|e| e.code()),
            Err("corrupt")
        );
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
