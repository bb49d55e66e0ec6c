//! Service-time and lag distributions, by name, with a mean and a shape.

use crate::rng::Stream;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A named distribution of durations in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "dist",
    rename_all = "snake_case",
    deny_unknown_fields,
    try_from = "RawDistribution"
)]
pub enum Distribution {
    /// Always the mean.
    Constant {
        /// The duration in ms.
        mean_ms: f64,
    },
    /// Exponential (memoryless): coefficient of variation 1.
    Exponential {
        /// Mean duration in ms.
        mean_ms: f64,
    },
    /// Log-normal with the given mean and coefficient of variation (`cv` = sd / mean).
    LogNormal {
        /// Mean duration in ms.
        mean_ms: f64,
        /// Standard deviation divided by the mean.
        cv: f64,
    },
}

/// The flat form read from JSON (smaller code than serde's internally tagged enums).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistribution {
    dist: DistKind,
    mean_ms: f64,
    cv: Option<f64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum DistKind {
    Constant,
    Exponential,
    LogNormal,
}

impl TryFrom<RawDistribution> for Distribution {
    type Error = String;
    fn try_from(r: RawDistribution) -> Result<Self, String> {
        match (r.dist, r.cv) {
            (DistKind::Constant, None) => Ok(Distribution::Constant { mean_ms: r.mean_ms }),
            (DistKind::Exponential, None) => Ok(Distribution::Exponential { mean_ms: r.mean_ms }),
            (DistKind::LogNormal, Some(cv)) => Ok(Distribution::LogNormal {
                mean_ms: r.mean_ms,
                cv,
            }),
            (DistKind::LogNormal, None) => Err("a log_normal distribution needs `cv`".into()),
            (_, Some(_)) => Err("`cv` applies only to a log_normal distribution".into()),
        }
    }
}

impl Distribution {
    /// The mean in ms.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Distribution::Constant { mean_ms }
            | Distribution::Exponential { mean_ms }
            | Distribution::LogNormal { mean_ms, .. } => mean_ms,
        }
    }

    /// The squared coefficient of variation (0 constant, 1 exponential).
    pub fn scv(&self) -> f64 {
        match *self {
            Distribution::Constant { .. } => 0.0,
            Distribution::Exponential { .. } => 1.0,
            Distribution::LogNormal { cv, .. } => cv * cv,
        }
    }

    /// The same shape with the mean divided by `speed`.
    pub fn scaled(&self, speed: f64) -> Distribution {
        match *self {
            Distribution::Constant { mean_ms } => Distribution::Constant {
                mean_ms: mean_ms / speed,
            },
            Distribution::Exponential { mean_ms } => Distribution::Exponential {
                mean_ms: mean_ms / speed,
            },
            Distribution::LogNormal { mean_ms, cv } => Distribution::LogNormal {
                mean_ms: mean_ms / speed,
                cv,
            },
        }
    }

    /// Checks the parameters; the `Err` is the reason in words.
    pub fn check(&self) -> Result<(), String> {
        let m = self.mean_ms();
        if !m.is_finite() || m < 0.0 {
            return Err(format!("mean_ms must be a number ≥ 0 (got {m})"));
        }
        if m > 3_600_000.0 {
            return Err(format!("mean_ms must be at most one hour (got {m})"));
        }
        if let Distribution::LogNormal { cv, .. } = self {
            if !cv.is_finite() || *cv <= 0.0 || *cv > 10.0 {
                return Err(format!("cv must be in (0, 10] (got {cv})"));
            }
        }
        Ok(())
    }

    /// One draw, in microseconds (at least 1 µs when the mean is positive).
    pub fn sample_us(&self, rng: &mut Stream) -> u64 {
        let ms = match *self {
            Distribution::Constant { mean_ms } => mean_ms,
            Distribution::Exponential { mean_ms } => rng.exponential(mean_ms),
            Distribution::LogNormal { mean_ms, cv } => {
                let sigma2 = libm::log(1.0 + cv * cv);
                let mu = libm::log(mean_ms) - sigma2 / 2.0;
                libm::exp(mu + libm::sqrt(sigma2) * rng.standard_normal())
            }
        };
        let us = libm::round(ms * 1000.0);
        if self.mean_ms() > 0.0 {
            (us as u64).max(1)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_has_its_mean() {
        let d = Distribution::LogNormal {
            mean_ms: 10.0,
            cv: 0.5,
        };
        let mut s = Stream::new(3, 3);
        let n = 200_000;
        let mean_us = (0..n).map(|_| d.sample_us(&mut s) as f64).sum::<f64>() / n as f64;
        assert!((mean_us / 1000.0 - 10.0).abs() < 0.1, "mean {mean_us}");
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(Distribution::Exponential { mean_ms: f64::NAN }
            .check()
            .is_err());
        assert!(Distribution::Constant { mean_ms: -1.0 }.check().is_err());
        assert!(Distribution::LogNormal {
            mean_ms: 1.0,
            cv: 0.0
        }
        .check()
        .is_err());
        assert!(Distribution::Exponential { mean_ms: 5.0 }.check().is_ok());
    }
}
