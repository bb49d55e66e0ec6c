//! Seeded random streams. Every draw in the simulation comes from here.
//!
//! One scenario seed is split into independent streams (one per purpose and
//! component) with SplitMix64, so adding randomness to one component never
//! shifts another's sequence.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

// ZIG_EXP_R, ZIG_EXP_X, ZIG_EXP_F: the exponential ziggurat (build.rs).
include!(concat!(env!("OUT_DIR"), "/ziggurat.rs"));

/// A seeded pseudo-random stream (PCG 64 MCG).
#[derive(Debug, Clone)]
pub struct Stream {
    inner: Pcg64Mcg,
}

/// SplitMix64 finalizer: a good 64-bit mixer for deriving stream seeds.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Stream {
    /// The stream number `stream` of the scenario seed `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        let a = splitmix64(seed ^ splitmix64(stream.wrapping_add(1)));
        let b = splitmix64(a);
        let state = (u128::from(a) << 64) | u128::from(b);
        Stream {
            inner: Pcg64Mcg::from_seed(state.to_le_bytes()),
        }
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.inner.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform draw in (0, 1]: safe to take the logarithm of.
    #[inline]
    pub fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// A uniform integer in [0, n). `n` must be > 0.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift; the tiny bias is irrelevant here.
        ((u128::from(self.inner.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An exponential draw with the given mean: `mean` times a standard
    /// exponential from [`Stream::standard_exponential`].
    #[inline]
    pub fn exponential(&mut self, mean: f64) -> f64 {
        mean * self.standard_exponential()
    }

    /// A standard exponential draw (mean 1) by the ziggurat method
    /// (Marsaglia & Tsang 2000, with Doornik's (2005) refinement of taking
    /// the layer and the uniform from one 64-bit draw, no integer compare).
    ///
    /// 256 layers of equal area `v` cover the density `exp(-x)`; layer `i`
    /// spans `[0, x[i])`. One draw gives the layer (low 8 bits) and a uniform
    /// `u` (top 52 bits); `u * x[i]` below the next layer's edge `x[i+1]` is
    /// accepted at once: 97.8 % of draws cost one PCG step, a multiply and a
    /// compare, no logarithm. Otherwise the point lies in the wedge between
    /// the rectangle and the curve (accepted if under `exp(-x)`, one
    /// `libm::exp`) or, for the base layer, in the tail beyond `r ≈ 7.697`,
    /// which is `r + Exp(1)` by memorylessness (one `libm::log`).
    ///
    /// The tables are computed by `build.rs` with `libm` and embedded as bit
    /// patterns, and the rare paths use `libm`, so draws are bit-identical
    /// natively and in wasm. `rand_distr::Exp1` is the same algorithm but
    /// computes its wedge and tail with std's `f64::exp`/`ln`, which call the
    /// platform's math library (glibc natively, a different implementation in
    /// wasm) whose results may differ in the last bit: that would break the
    /// native/wasm golden digests.
    #[inline]
    pub fn standard_exponential(&mut self) -> f64 {
        loop {
            let bits = self.inner.next_u64();
            let i = (bits & 0xff) as usize;
            // Top 52 bits: a uniform in [0, 1), independent of the layer bits.
            let u = (bits >> 12) as f64 * (1.0 / (1u64 << 52) as f64);
            let x = u * ZIG_EXP_X[i];
            if x < ZIG_EXP_X[i + 1] {
                return x;
            }
            if i == 0 {
                return ZIG_EXP_R - libm::log(self.uniform_open0());
            }
            let y = ZIG_EXP_F[i + 1] + (ZIG_EXP_F[i] - ZIG_EXP_F[i + 1]) * self.uniform();
            if y < libm::exp(-x) {
                return x;
            }
        }
    }

    /// A standard normal draw (Box–Muller with libm).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.uniform_open0();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_other_stream_differs() {
        let mut a = Stream::new(7, 1);
        let mut b = Stream::new(7, 1);
        let mut c = Stream::new(7, 2);
        let xa: Vec<u64> = (0..5).map(|_| a.below(1000)).collect();
        let xb: Vec<u64> = (0..5).map(|_| b.below(1000)).collect();
        let xc: Vec<u64> = (0..5).map(|_| c.below(1000)).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    /// Draws of the standard exponential used by the statistical tests below.
    const N: usize = 1_000_000;

    fn draws() -> Vec<f64> {
        let mut s = Stream::new(2026, 5);
        (0..N).map(|_| s.standard_exponential()).collect()
    }

    /// Five standard errors: a correct sampler fails with probability < 1e-6.
    const Z: f64 = 5.0;

    #[test]
    fn ziggurat_layers_have_equal_area_and_shrink() {
        // Area of layer i ≥ 1 (between x[i+1] and x[i] in height): x[i] (f(x[i+1]) − f(x[i])).
        let v = ZIG_EXP_X[0] * ZIG_EXP_F[1];
        assert!((v - 0.003_949_659_822_581_557).abs() < 1e-15, "v {v}");
        for i in 1..256 {
            let area = ZIG_EXP_X[i] * (ZIG_EXP_F[i + 1] - ZIG_EXP_F[i]);
            assert!((area - v).abs() < 1e-12 * v.max(1.0), "layer {i}: {area}");
            assert!(ZIG_EXP_X[i + 1] < ZIG_EXP_X[i], "layer {i}");
            assert_eq!(ZIG_EXP_F[i].to_bits(), libm::exp(-ZIG_EXP_X[i]).to_bits());
        }
        assert_eq!(ZIG_EXP_X[1], ZIG_EXP_R);
        assert_eq!((ZIG_EXP_X[256], ZIG_EXP_F[256]), (0.0, 1.0));
        // The base strip: rectangle r × f(r) plus the tail's area f(r) is v too.
        let base = ZIG_EXP_R * ZIG_EXP_F[1] + ZIG_EXP_F[1];
        assert!((base - v).abs() < 1e-15, "base {base}");
    }

    #[test]
    fn standard_exponential_mean_and_variance() {
        let x = draws();
        let n = N as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        // SE of the mean: σ/√n = 1/√n; of the variance: √((μ4 − σ⁴)/n) = √(8/n).
        assert!((mean - 1.0).abs() < Z / n.sqrt(), "mean {mean}");
        assert!((var - 1.0).abs() < Z * (8.0 / n).sqrt(), "variance {var}");
        assert!(x.iter().all(|&v| v.is_finite() && v >= 0.0));
    }

    #[test]
    fn standard_exponential_matches_the_cdf() {
        let mut x = draws();
        x.sort_by(f64::total_cmp);
        let n = N as f64;
        // Kolmogorov–Smirnov: D = sup |F_n − F|; P(√n D > 1.95) ≈ 0.001.
        let d = x
            .iter()
            .enumerate()
            .map(|(k, &v)| {
                let f = 1.0 - libm::exp(-v);
                (f - k as f64 / n).abs().max(((k + 1) as f64 / n - f).abs())
            })
            .fold(0.0, f64::max);
        assert!(d * n.sqrt() < 1.95, "KS D = {d}");

        // Chi-square on 256 bins of equal probability (edges −ln(1 − k/256)),
        // finer than the ziggurat's layers near 0 where a wrong edge would show.
        const BINS: usize = 256;
        let mut count = [0u64; BINS];
        for &v in &x {
            let b = ((1.0 - libm::exp(-v)) * BINS as f64) as usize;
            count[b.min(BINS - 1)] += 1;
        }
        let expected = n / BINS as f64;
        let chi2: f64 = count
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum();
        // The 0.999 quantile of χ² with k = 255 degrees of freedom (Wilson–Hilferty).
        let k = (BINS - 1) as f64;
        let h = 2.0 / (9.0 * k);
        let limit = k * (1.0 - h + 3.09 * h.sqrt()).powi(3);
        assert!(chi2 < limit, "chi-square {chi2} ≥ {limit}");
    }

    #[test]
    fn standard_exponential_tail_beyond_the_base_layer() {
        let x = draws();
        let n = N as f64;
        // Beyond 7.7 (just past r ≈ 7.697, so only the tail path yields these):
        // binomial count with p = exp(−7.7), σ ≈ √(np).
        let tail: Vec<f64> = x.iter().copied().filter(|&v| v > 7.7).collect();
        let p = libm::exp(-7.7);
        let (got, want) = (tail.len() as f64, n * p);
        assert!(
            (got - want).abs() < Z * (n * p * (1.0 - p)).sqrt(),
            "{got} draws beyond 7.7, expected {want}"
        );
        // Memoryless: the excess over 7.7 is Exp(1) again, mean 1, SE 1/√count.
        let excess = tail.iter().map(|v| v - 7.7).sum::<f64>() / got;
        assert!(
            (excess - 1.0).abs() < Z / got.sqrt(),
            "mean excess {excess}"
        );
        // Far tail: beyond 12 there are n·e^−12 ≈ 6 expected; some must appear.
        assert!(x.iter().any(|&v| v > 12.0));
    }

    #[test]
    fn exponential_mean_is_right() {
        let mut s = Stream::new(1, 0);
        let n = 200_000;
        let mean = (0..n).map(|_| s.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.03, "mean {mean}");
    }
}
