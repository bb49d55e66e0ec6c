//! Key popularity: a Zipf law over a finite key space, sampled by inverse CDF,
//! with an optional celebrity key, and Che's approximation of an LRU cache's
//! hit ratio under it (used by the analytic twin and the tests).

use crate::rng::Stream;

/// Keys per bucket of [`Zipf`]'s guide table.
pub const KEYS_PER_BUCKET: usize = 8;

/// Zipf(s) over keys 0..n (key 0 the most popular), sampled by inverse CDF.
///
/// The search starts from a guide table (Chen and Asau's indexed search):
/// `first[j]` is the number of CDF values whose bucket `⌊c·m⌋` is below
/// `j`, so a uniform `u` in bucket `j` only searches the CDF values of
/// that bucket. A plain binary search of 200 000 values took a chain of
/// about 18 dependent loads, most of them cache misses; this takes about
/// two. The key drawn is exactly the one the plain search finds.
///
/// The table has one bucket per [`KEYS_PER_BUCKET`] keys, not one per key:
/// a bucket of the tail then spans a few adjacent CDF values (one or two
/// cache lines), and the table is an eighth of the size. With one bucket
/// per key, at 200 000 keys its 800 KB did not stay in a core's 2 MiB L2
/// beside the per-user state, and a draw missed on the table and then on
/// the CDF (docs/benchmarks.md, session 12).
#[derive(Debug, Clone)]
pub struct Zipf {
    cdf: Vec<f64>,
    /// Guide table, `m + 2` entries for `m` buckets (empty: plain search).
    first: Vec<u32>,
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
        let first = Self::guide(&cdf);
        Zipf { cdf, first }
    }

    /// The bucket of a probability (monotone in `c`: `c1 ≤ c2` gives
    /// `bucket(c1) ≤ bucket(c2)`, which is all the search relies on).
    #[inline]
    fn bucket(c: f64, m: usize) -> usize {
        ((c * m as f64) as usize).min(m)
    }

    /// The guide table, one bucket per [`KEYS_PER_BUCKET`] keys (at least
    /// one), or none if the CDF is not finite and sorted (then the plain
    /// search is used).
    fn guide(cdf: &[f64]) -> Vec<u32> {
        let sorted = cdf.windows(2).all(|w| w[0] <= w[1]);
        if !sorted || cdf.iter().any(|c| !c.is_finite()) || cdf.len() >= u32::MAX as usize {
            return Vec::new();
        }
        let m = (cdf.len() / KEYS_PER_BUCKET).max(1);
        let mut first = vec![0u32; m + 2];
        // counts[j + 1] = CDF values in bucket j, then a prefix sum.
        for &c in cdf {
            first[Self::bucket(c, m) + 1] += 1;
        }
        for j in 1..first.len() {
            first[j] += first[j - 1];
        }
        first
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
        self.index_of(u).min(self.cdf.len() - 1) as u32
    }

    /// The number of CDF values `≤ u`. Values before `first[j]` lie in
    /// earlier buckets, so are below `u`; values from `first[j + 1]` on lie
    /// in later buckets, so are above it: only bucket `j` is searched.
    #[inline]
    fn index_of(&self, u: f64) -> usize {
        let m = self.first.len().wrapping_sub(2);
        if self.first.is_empty() || u.is_nan() {
            return self.cdf.partition_point(|&c| c <= u);
        }
        let j = Self::bucket(u, m);
        let (lo, hi) = (self.first[j] as usize, self.first[j + 1] as usize);
        lo + self.cdf[lo..hi].partition_point(|&c| c <= u)
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

    /// The guide table finds exactly the key a plain binary search of the
    /// CDF finds, for every exponent the scenario format allows, on random
    /// uniforms and on each CDF value itself and its neighbours (the
    /// boundaries where an off-by-one would show).
    #[test]
    fn guided_search_finds_the_plain_search_key() {
        let mut rng = Stream::new(9, 9);
        for (n, s) in [
            (1, 0.0),
            (2, 1.0),
            (7, 0.5),
            (1000, 0.0),
            (1000, 0.9),
            (20_000, 1.2),
            (200_000, 0.9),
            (5000, 5.0),
            (12_345, 0.7),
        ] {
            let z = Zipf::new(n, s);
            assert_eq!(
                z.first.len(),
                (z.cdf.len() / KEYS_PER_BUCKET).max(1) + 2,
                "table built for n={n} s={s}"
            );
            let plain = |u: f64| z.cdf.partition_point(|&c| c <= u);
            let mut probes: Vec<f64> = (0..20_000).map(|_| rng.uniform()).collect();
            for &c in z.cdf.iter().step_by((n as usize / 500).max(1)) {
                // The neighbouring floats of c (c > 0).
                probes.extend([
                    c,
                    f64::from_bits(c.to_bits() - 1),
                    f64::from_bits(c.to_bits() + 1),
                ]);
            }
            probes.extend([
                0.0,
                1.0,
                f64::from_bits(1.0f64.to_bits() - 1),
                f64::MIN_POSITIVE,
            ]);
            for u in probes {
                assert_eq!(z.index_of(u), plain(u), "n={n} s={s} u={u:e}");
            }
        }
    }

    #[test]
    fn uniform_che_is_capacity_share() {
        let pmf = vec![0.001; 1000];
        let h = che_lru_hit_ratio(&pmf, 100.0, f64::INFINITY);
        assert!((h - 0.1).abs() < 0.002, "h {h}");
    }
}
