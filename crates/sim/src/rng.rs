//! Seeded random streams. Every draw in the simulation comes from here.
//!
//! One scenario seed is split into independent streams (one per purpose and
//! component) with SplitMix64, so adding randomness to one component never
//! shifts another's sequence.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

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

    /// An exponential draw with the given mean (`mean * -ln U`), computed with libm.
    #[inline]
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(self.uniform_open0())
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

    #[test]
    fn exponential_mean_is_right() {
        let mut s = Stream::new(1, 0);
        let n = 200_000;
        let mean = (0..n).map(|_| s.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.03, "mean {mean}");
    }
}
