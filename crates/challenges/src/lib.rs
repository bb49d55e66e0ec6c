//! ScaleLab's design challenges: requirement cards in the spirit of design
//! interviews ("1,500 rps reads, 150 rps writes, p99 ≤ 200 ms, survive one
//! data center loss, ≤ $9,000 a month").
//!
//! A card (`challenges/NN-name.json` at the repository root) holds its title
//! and brief in English and Korean, the traffic (requests/s by kind, an
//! optional load shape), a scripted fault timeline, the requirements (the
//! lessons' goal conditions over the metric windows, [`scalelab_lessons::Condition`]),
//! an optional monthly budget, and two designs in the scenario format: the
//! start (fails at least one requirement) and a reference (meets them all).
//!
//! [`score`] runs a design the card's way: the card's traffic replaces the
//! design's (each users component keeps its share of the load), the card's
//! fault timeline replaces the design's timeline, the card's seed and
//! duration are used, and the cost is taken at list prices (the design's own
//! `prices` are ignored). The fault timeline names components of the start
//! design: a design that removed one of them is refused with a message.
//!
//! ```
//! let (_, card) = &scalelab_challenges::cards()[0];
//! let start = scalelab_challenges::score(card, &card.start).expect("the start design runs");
//! assert!(!start.passed);
//! ```

use scalelab_lessons::{Condition, Unit};
use scalelab_sim::cost::{monthly_cost, Prices};
use scalelab_sim::scenario::{ComponentSpec, LoadShape, Mix};
use scalelab_sim::{Scenario, SimError, Simulation, TimedAction};
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/cards.rs"));

/// Text in English and Korean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

impl Text {
    /// The text in `lang` (`ko`, else English).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "ko" {
            &self.ko
        } else {
            &self.en
        }
    }
}

/// The card's traffic: requests per second by kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Reads per second.
    #[serde(default)]
    pub read_rps: f64,
    /// Writes per second.
    #[serde(default)]
    pub write_rps: f64,
    /// Static objects per second.
    #[serde(default)]
    pub static_rps: f64,
    /// Asynchronous jobs per second.
    #[serde(default)]
    pub async_rps: f64,
    /// How the load varies over the run (constant by default).
    #[serde(default)]
    pub load: LoadShape,
}

impl Traffic {
    /// Total requests per second.
    pub fn total_rps(&self) -> f64 {
        self.read_rps + self.write_rps + self.static_rps + self.async_rps
    }
}

fn d_seed() -> u64 {
    1
}

/// A challenge card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Short title.
    pub title: Text,
    /// The brief a candidate reads.
    pub brief: Text,
    /// Simulated seconds of a scoring run.
    pub duration_s: f64,
    /// Seed of a scoring run.
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// The traffic.
    pub traffic: Traffic,
    /// The scripted fault timeline (replaces the design's timeline).
    #[serde(default)]
    pub faults: Vec<TimedAction>,
    /// Conditions on the metric windows, all required.
    pub requirements: Vec<Condition>,
    /// Most the design may cost at list prices, US dollars per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_usd_per_month: Option<f64>,
    /// The design a candidate starts from (fails at least one requirement).
    pub start: Scenario,
    /// A design that meets every requirement.
    pub reference: Scenario,
}

impl Card {
    /// Parses a card and checks that its designs are valid scenarios.
    pub fn from_json(text: &str) -> Result<Card, String> {
        let card: Card = serde_json::from_str(text).map_err(|e| format!("not a card: {e}"))?;
        for (what, s) in [("start", &card.start), ("reference", &card.reference)] {
            s.validate().map_err(|e| format!("{what} design: {e}"))?;
        }
        let t = card.traffic;
        let rates = [t.read_rps, t.write_rps, t.static_rps, t.async_rps];
        if rates.iter().any(|r| !(r.is_finite() && *r >= 0.0)) || t.total_rps() <= 0.0 {
            return Err("traffic: the rates must be ≥ 0 and not all 0".into());
        }
        if !(card.duration_s.is_finite() && card.duration_s > 0.0 && card.duration_s <= 3_600.0) {
            return Err(format!(
                "duration_s must be in (0, 3600], got {}",
                card.duration_s
            ));
        }
        Ok(card)
    }
}

/// Every built-in card as (file name, card); a broken file is left out
/// (the tests load each one).
pub fn cards() -> Vec<(&'static str, Card)> {
    ALL.iter()
        .filter_map(|(n, t)| Card::from_json(t).ok().map(|c| (*n, c)))
        .collect()
}

/// How one requirement went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreLine {
    /// The metric key (`availability`, `latency_ms_p99`…) or `cost_usd_per_month`.
    pub metric: String,
    /// The requirement in words, English (`p99 latency ≤ 200 ms over 10–90 s`).
    pub requirement: String,
    /// The measured figure (none when no window covered the span).
    pub measured: Option<f64>,
    /// The measured figure in words, with its unit.
    pub measured_text: String,
    /// Whether it was met.
    pub met: bool,
}

/// A design's score against a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Every requirement met.
    pub passed: bool,
    /// One line per requirement, the budget last.
    pub lines: Vec<ScoreLine>,
    /// The design's monthly cost at list prices and the card's traffic.
    pub cost_usd_per_month: f64,
    /// Its cost per million requests.
    pub cost_usd_per_million_requests: Option<f64>,
}

/// The design as the card runs it: the card's traffic, faults, seed and duration.
pub fn prepare(card: &Card, design: &Scenario) -> Result<Scenario, SimError> {
    let mut s = design.clone();
    let t = card.traffic;
    let total = t.total_rps();
    let users = s
        .components
        .iter()
        .filter(|c| matches!(c.spec, ComponentSpec::Users(_)))
        .count();
    if users == 0 {
        return Err(SimError::topology(
            "",
            "the design has no users component to send the card's traffic",
        ));
    }
    s.scale_users_to(total);
    for c in &mut s.components {
        if let ComponentSpec::Users(u) = &mut c.spec {
            u.users = u.users.max(1);
            u.mix = Mix {
                static_share: t.static_rps / total,
                read: t.read_rps / total,
                write: t.write_rps / total,
                async_share: t.async_rps / total,
            };
            u.load = t.load;
        }
    }
    s.timeline = card.faults.clone();
    s.seed = card.seed;
    s.duration_s = card.duration_s;
    s.prices = None;
    s.validate()?;
    Ok(s)
}

/// Scores `design` against `card`.
pub fn score(card: &Card, design: &Scenario) -> Result<Score, SimError> {
    let s = prepare(card, design)?;
    let bill = monthly_cost(&s, &Prices::LIST)?;
    let mut sim = Simulation::new(&s)?;
    let windows = sim.advance_ms((card.duration_s * 1000.0).round() as u64);
    let mut lines: Vec<ScoreLine> = card
        .requirements
        .iter()
        .map(|c| {
            let st = c.check(&windows);
            let unit = c.metric.unit();
            let name = scalelab_lessons::goal::metric_name(c.metric);
            let subject = match (&c.component, c.cause) {
                (Some(id), _) => format!("{id} {name}"),
                (None, Some(cause)) => format!("{name} ({})", cause.name()),
                (None, None) => name.to_string(),
            };
            ScoreLine {
                metric: c.metric.key().to_string(),
                requirement: format!(
                    "{subject} {} {} over {}–{} s",
                    c.op.symbol(),
                    unit.format(c.value),
                    c.over.from_s,
                    c.over.to_s
                ),
                measured: st.measured,
                measured_text: st
                    .measured
                    .map_or_else(|| "–".to_string(), |m| unit.format(m)),
                met: st.holds,
            }
        })
        .collect();
    if let Some(budget) = card.budget_usd_per_month {
        let usd = |v: f64| format!("${}", Unit::Count.format(v));
        lines.push(ScoreLine {
            metric: "cost_usd_per_month".into(),
            requirement: format!("cost ≤ {} a month", usd(budget)),
            measured: Some(bill.cost_usd_per_month),
            measured_text: usd(bill.cost_usd_per_month),
            met: bill.cost_usd_per_month <= budget,
        });
    }
    Ok(Score {
        passed: lines.iter().all(|l| l.met),
        lines,
        cost_usd_per_month: bill.cost_usd_per_month,
        cost_usd_per_million_requests: bill.cost_usd_per_million_requests,
    })
}
