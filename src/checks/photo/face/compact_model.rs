//! The face model as shipped: SeetaFace's model stream with every weight array stored as
//! int8 (`models/seeta_fd_frontal_v1.0.q8`, written by `tools/quantize_face_model.py`).
//!
//! The stream is the original's (`rustface::read_model`'s format: little-endian `i32`
//! counts and `f32` values) except that each LAB base classifier's `num_bin + 1` bin outputs
//! and each hidden MLP layer's `in × out` weights are one `f32` scale `s` followed by `n`
//! signed bytes `q`, with `q = round(w / s)`, `s = max |w| / 127`; the output layers (score
//! and box offsets), thresholds and biases stay exact. [`expand`] writes `w' = f32(q) · s`
//! back in the original format (every other word unchanged): the exact `f32` values the tool
//! evaluated. A weight moves by at most `s / 2` (0.0118 for the array with the largest
//! weights). 1.21 MB → 312 KB, 1.12 MB → 258 KB gzipped; the same faces on all 647 files of
//! the detector's evaluation sets (`docs/calibration.md`).

use super::FaceError;

/// Size of the expanded model (the original `seeta_fd_frontal_v1.0.bin`), bytes.
pub const EXPANDED_LEN: usize = 1_209_904;

/// FNV-1a 64 of the expanded model as `tools/quantize_face_model.py` computes it.
#[cfg(test)]
const EXPANDED_FNV1A64: u64 = 0x4994_a3eb_4db6_0408;

/// The model in `rustface`'s format from its compact form.
///
/// # Errors
/// Truncated or malformed bytes (a count out of range, an unknown classifier kind, bytes left
/// over).
pub fn expand(compact: &[u8]) -> Result<Vec<u8>, FaceError> {
    let mut r = Expander {
        input: compact,
        pos: 0,
        out: Vec::with_capacity(EXPANDED_LEN),
    };
    let hierarchies = r.count()?;
    for _ in 0..hierarchies {
        let size = r.count()?;
        for _ in 0..size {
            let stages = r.count()?;
            for _ in 0..stages {
                match r.int()? {
                    // LAB boosted: feature points, thresholds, then each base classifier's bins.
                    0 => {
                        let base = r.count()?;
                        let bins = r.count()?;
                        r.copy(2 * base)?;
                        r.copy(base)?;
                        for _ in 0..base {
                            r.quantised(bins + 1)?;
                        }
                    }
                    // SURF MLP: feature ids, threshold, then each layer's weights and biases.
                    1 => {
                        let layers = r.count()?;
                        let features = r.count()?;
                        r.copy(features)?;
                        r.copy(1)?;
                        let mut input = r.count()?;
                        for layer in 1..layers {
                            let output = r.count()?;
                            if layer + 1 == layers {
                                // The output layer (score and box offsets) is kept exact.
                                r.copy(input * output)?;
                            } else {
                                r.quantised(input * output)?;
                            }
                            r.copy(output)?;
                            input = output;
                        }
                    }
                    kind => return Err(FaceError(format!("unknown classifier kind {kind}"))),
                }
            }
            // Window sources: a count (≤ 0 for none), then the ids.
            let sources = r.int()?;
            r.copy(usize::try_from(sources).unwrap_or(0))?;
        }
    }
    if r.pos != compact.len() {
        return Err(FaceError("bytes after the model".into()));
    }
    Ok(r.out)
}

struct Expander<'a> {
    input: &'a [u8],
    pos: usize,
    out: Vec<u8>,
}

impl Expander<'_> {
    /// The next `n` bytes of the input.
    fn take(&mut self, n: usize) -> Result<&[u8], FaceError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.input.len())
            .ok_or_else(|| FaceError("truncated".into()))?;
        let bytes = &self.input[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    /// The next `i32`, copied to the output.
    fn int(&mut self) -> Result<i32, FaceError> {
        let b = self.take(4)?;
        let v = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(v)
    }

    /// A count: an `i32` in `0..=1 << 20` (the model's largest is 185 328 / 257 below it).
    fn count(&mut self) -> Result<usize, FaceError> {
        let v = self.int()?;
        usize::try_from(v)
            .ok()
            .filter(|&n| n <= 1 << 20)
            .ok_or_else(|| FaceError(format!("count {v} out of range")))
    }

    /// `n` words copied unchanged.
    fn copy(&mut self, n: usize) -> Result<(), FaceError> {
        let len = n
            .checked_mul(4)
            .ok_or_else(|| FaceError("truncated".into()))?;
        let bytes = self.take(len)?.to_vec();
        self.out.extend_from_slice(&bytes);
        Ok(())
    }

    /// A quantised array of `n` weights, written back as `f32`.
    fn quantised(&mut self, n: usize) -> Result<(), FaceError> {
        let s = self.take(4)?;
        let scale = f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let q = self.take(n)?.to_vec();
        self.out.reserve(4 * n);
        for byte in q {
            let w = f32::from(i8::from_le_bytes([byte])) * scale;
            self.out.extend_from_slice(&w.to_le_bytes());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &[u8] = include_bytes!("../../../../models/seeta_fd_frontal_v1.0.bin");
    const COMPACT: &[u8] = include_bytes!("../../../../models/seeta_fd_frontal_v1.0.q8");

    fn words(bytes: &[u8]) -> impl Iterator<Item = [u8; 4]> + '_ {
        bytes.chunks_exact(4).map(|c| [c[0], c[1], c[2], c[3]])
    }

    #[test]
    fn the_shipped_model_expands_to_the_tools_bytes_near_the_original() {
        let expanded = expand(COMPACT).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(expanded.len(), ORIGINAL.len());
        assert_eq!(ORIGINAL.len(), EXPANDED_LEN);
        assert!(
            COMPACT.len() < ORIGINAL.len() * 27 / 100,
            "{} bytes",
            COMPACT.len()
        );
        // The same bytes as the tool's own expansion (numpy), by its FNV-1a 64 hash.
        let fnv = expanded.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        assert_eq!(fnv, EXPANDED_FNV1A64);
        let (mut moved, mut worst) = (0usize, 0f32);
        for (a, b) in words(ORIGINAL).zip(words(&expanded)) {
            if a != b {
                moved += 1;
                worst = worst.max((f32::from_le_bytes(a) - f32::from_le_bytes(b)).abs());
            }
        }
        // Only weights move (115 200 LAB bins and 184 832 hidden-layer MLP weights at most;
        // every count, id, threshold, bias and output-layer weight is kept), by at most the
        // tool's reported 0.01179 (half the step of the array with the largest weights).
        assert!(
            moved > 250_000 && moved <= 115_200 + 184_832,
            "{moved} words changed"
        );
        assert!(worst > 0.0 && worst <= 0.011_8, "a weight moved by {worst}");
        assert!(rustface::read_model(std::io::Cursor::new(expanded)).is_ok());
    }

    #[test]
    fn malformed_compact_models_are_errors() {
        assert!(expand(&[]).is_err());
        assert!(expand(&COMPACT[..COMPACT.len() - 1]).is_err());
        let mut longer = COMPACT.to_vec();
        longer.push(0);
        assert!(expand(&longer).is_err());
        // A huge count in the first word.
        let mut huge = COMPACT.to_vec();
        huge[..4].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(expand(&huge).is_err());
        let mut negative = COMPACT.to_vec();
        negative[..4].copy_from_slice(&(-1i32).to_le_bytes());
        assert!(expand(&negative).is_err());
    }
}
