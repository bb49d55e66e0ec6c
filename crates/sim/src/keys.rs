//! Key popularity: a Zipf law over a finite key space, sampled by inverse CDF,
//! with an optional celebrity key, and Che's approximation of an LRU cache's
//! hit ratio under it (used by the analytic twin and the tests).

use crate::rng::Stream;

/// Zipf(s) over keys 0..n (key 0 the most popular), sampled by binary search of the CDF.
#[derive(Debug, Clone)]
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    /// The law over `n` keys with exponent `s` (s = 0 is uniform). `n` ≥ 1.
    pub fn new(n: u64, s: f64) -> Self {
        let n = n.max(1) as usize;
        let mut cdf = Vec::with_capacity(n);
        let mut acc = 0.0;
        for k in 0..n {
            acc += Self::weight(k, s);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }

    fn weight(k: usize, s: f64) -> f64 {
        if s == 0.0 {
            1.0
        } else {
            libm::pow((k + 1) as f64, -s)
        }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.cdf.len()
    }

    /// Always false: a law has at least one key.
    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }

    /// Probability of key `k`.
    pub fn pmf(&self, k: usize) -> f64 {
        if k == 0 {
            self.cdf[0]
        } else {
            self.cdf[k] - self.cdf[k - 1]
        }
    }

    /// One key.
    #[inline]
    pub fn sample(&self, rng: &mut Stream) -> u32 {
        let u = rng.uniform();
        let i = self.cdf.partition_point(|&c| c <= u);
        i.min(self.cdf.len() - 1) as u32
    }
}

/// Che's approximation: the hit ratio of an LRU cache of `capacity` keys under
/// independent requests with probabilities `pmf` (with a TTL of `ttl_events`
/// requests when finite: entries expire after that many requests' time).
pub fn che_lru_hit_ratio(pmf: &[f64], capacity: f64, ttl_events: f64) -> f64 {
    if capacity >= pmf.len() as f64 {
        // Every key fits: only the TTL causes misses.
        return pmf
            .iter()
            .map(|&p| {
                if ttl_events.is_finite() {
                    p * (1.0 - libm::exp(-p * ttl_events))
                } else {
                    p
                }
            })
            .sum();
    }
    // Find the characteristic time T (in requests) with sum(1 - e^{-p T}) = C.
    let occupancy = |t: f64| pmf.iter().map(|&p| 1.0 - libm::exp(-p * t)).sum::<f64>();
    let (mut lo, mut hi) = (0.0, 1.0);
    while occupancy(hi) < capacity && hi < 1e18 {
        hi *= 2.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if occupancy(mid) < capacity {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let t = (0.5 * (lo + hi)).min(ttl_events);
    pmf.iter().map(|&p| p * (1.0 - libm::exp(-p * t))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zipf_sampling_matches_pmf() {
        let z = Zipf::new(100, 1.0);
        let mut rng = Stream::new(5, 5);
        let n = 200_000;
        let mut hits0 = 0;
        for _ in 0..n {
            if z.sample(&mut rng) == 0 {
                hits0 += 1;
            }
        }
        let p0 = hits0 as f64 / n as f64;
        assert!((p0 - z.pmf(0)).abs() < 0.005, "p0 {p0} vs {}", z.pmf(0));
    }

    #[test]
    fn uniform_che_is_capacity_share() {
        let pmf = vec![0.001; 1000];
        let h = che_lru_hit_ratio(&pmf, 100.0, f64::INFINITY);
        assert!((h - 0.1).abs() < 0.002, "h {h}");
    }
}
