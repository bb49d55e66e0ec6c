//! The instance-size ladder used for vertical scaling.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An instance size: more cores, faster cores, a higher price. `X2large` is the ceiling.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum InstanceSize {
    /// 1 core.
    Small,
    /// 2 cores.
    #[default]
    Medium,
    /// 4 cores, 10% faster per core.
    Large,
    /// 8 cores, 20% faster per core.
    Xlarge,
    /// 16 cores, 25% faster per core: the largest size there is.
    X2large,
}

/// What a size gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeSpec {
    /// Cores (parallel servers) per instance.
    pub cores: u32,
    /// Service speed per core relative to `small` (service time is divided by it).
    pub speed: f64,
    /// Price per instance and month at list prices, in US dollars
    /// (from `data/prices.json`, see [`crate::cost::Prices`]).
    pub price_usd_per_month: f64,
}

impl InstanceSize {
    /// Every size, smallest first.
    pub const LADDER: [InstanceSize; 5] = [
        InstanceSize::Small,
        InstanceSize::Medium,
        InstanceSize::Large,
        InstanceSize::Xlarge,
        InstanceSize::X2large,
    ];

    /// The size's cores, speed and list price.
    pub fn spec(self) -> SizeSpec {
        let (cores, speed) = match self {
            InstanceSize::Small => (1, 1.0),
            InstanceSize::Medium => (2, 1.0),
            InstanceSize::Large => (4, 1.1),
            InstanceSize::Xlarge => (8, 1.2),
            InstanceSize::X2large => (16, 1.25),
        };
        SizeSpec {
            cores,
            speed,
            price_usd_per_month: crate::cost::Prices::LIST.instance_usd_per_month(self),
        }
    }
}
