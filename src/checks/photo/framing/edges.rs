//! Stage 1 of [`super::measure`]: the half-resolution luma, its Sobel gradients and the edge
//! pixels that survive non-maximum suppression (one pixel wide, with their direction).

use super::polygon::{rem_180, round};
use super::EDGE_MIN;
use crate::checks::photo::work::WorkImage;

/// The half-resolution luma and its edges.
pub(super) struct Edges {
    pub(super) w: usize,
    pub(super) h: usize,
    /// Gradient direction of each edge pixel in degrees 0–179 (the line's normal), or
    /// [`NO_EDGE`].
    pub(super) dir: Vec<u8>,
    /// Edge pixels as (x, y, direction).
    pub(super) list: Vec<(u16, u16, u8)>,
    /// The blurred half-resolution luma, 4 × levels (for the step across a line).
    pub(super) luma: Vec<i32>,
}

pub(super) const NO_EDGE: u8 = 255;

/// Halves the luma with a 2×2 box and finds thin edges; `None` when too small to judge.
pub(super) fn edges(img: &WorkImage) -> Option<Edges> {
    let (ww, wh) = (img.width as usize, img.height as usize);
    let (w, h) = (ww / 2, wh / 2);
    if w < 16 || h < 16 || img.luma.len() < ww * wh {
        return None;
    }
    let mut g = vec![0i32; w * h];
    for y in 0..h {
        let (r0, r1) = (&img.luma[2 * y * ww..], &img.luma[(2 * y + 1) * ww..]);
        for (x, out) in g[y * w..(y + 1) * w].iter_mut().enumerate() {
            let s = u32::from(r0[2 * x])
                + u32::from(r0[2 * x + 1])
                + u32::from(r1[2 * x])
                + u32::from(r1[2 * x + 1]);
            *out = s as i32; // 4 × luma, 0–1020
        }
    }
    // A 3×3 binomial blur ([1 2 1]ᵀ[1 2 1] / 16, borders kept) steadies the gradient
    // direction of slanted, aliased edges.
    let mut b = g.clone();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: usize, dy: usize| g[(y + dy - 1) * w + x + dx - 1];
            b[y * w + x] = (p(0, 0)
                + 2 * p(1, 0)
                + p(2, 0)
                + 2 * (p(0, 1) + 2 * p(1, 1) + p(2, 1))
                + p(0, 2)
                + 2 * p(1, 2)
                + p(2, 2)
                + 8)
                / 16;
        }
    }
    let g = b;
    // Sobel on 4×luma, so divide the response by 4 to compare with EDGE_MIN.
    // imageproc Sobel (its filter): identical, ±0 KB wasm, ×1.1–1.5 slower; kept hand-written.
    let mut gx = vec![0i32; w * h];
    let mut gy = vec![0i32; w * h];
    let mut mag = vec![0i32; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: usize, dy: usize| g[(y + dy - 1) * w + x + dx - 1];
            let sx = (p(2, 0) + 2 * p(2, 1) + p(2, 2)) - (p(0, 0) + 2 * p(0, 1) + p(0, 2));
            let sy = (p(0, 2) + 2 * p(1, 2) + p(2, 2)) - (p(0, 0) + 2 * p(1, 0) + p(2, 0));
            let i = y * w + x;
            gx[i] = sx;
            gy[i] = sy;
            mag[i] = (sx.abs() + sy.abs()) / 4;
        }
    }
    let mut dir = vec![NO_EDGE; w * h];
    let mut list = Vec::new();
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let i = y * w + x;
            let m = mag[i];
            if m < EDGE_MIN {
                continue;
            }
            // imageproc canny: +19 KB wasm, ×5 slower, 6–8/107 verdicts change; kept hand-written.
            // Neighbours along the gradient, by the nearest of 0°, 45°, 90°, 135° (tan 22.5°
            // ≈ 0.4142 ≈ 53/128, in integers), before any trigonometry.
            let (ax, ay) = (gx[i].abs(), gy[i].abs());
            let (o1, o2) = if 128 * ay <= 53 * ax {
                (i - 1, i + 1)
            } else if 128 * ax <= 53 * ay {
                (i - w, i + w)
            } else if (gx[i] > 0) == (gy[i] > 0) {
                (i - w - 1, i + w + 1)
            } else {
                (i - w + 1, i + w - 1)
            };
            if m < mag[o1] || m < mag[o2] {
                continue;
            }
            let angle = f64::from(gy[i]).atan2(f64::from(gx[i])).to_degrees();
            let a = round(rem_180(angle)) as i32 % 180;
            dir[i] = a as u8;
            list.push((x as u16, y as u16, a as u8));
        }
    }
    Some(Edges {
        w,
        h,
        dir,
        list,
        luma: g,
    })
}
