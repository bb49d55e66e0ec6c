//! Input generators and the one-input harness of the ScaleLab fuzzer.
//!
//! Every input comes from a seeded stream (`scalelab_sim::rng::Stream`), so a
//! crash is reproduced with `scalelab-fuzz --seed S --cases N`, and the input
//! itself is saved under `crates/fuzz/regressions/`, which the tests replay.

use scalelab_sim::rng::Stream;
use scalelab_sim::scenario::ComponentSpec;
use scalelab_sim::{presets, Action, Scenario, Simulation};

/// Simulated time each loaded scenario is run for (ms): long enough to route
/// requests through every component, short enough for millions of cases.
pub const RUN_MS: u64 = 200;
/// Largest offered load kept when running a fuzzed scenario (requests/s).
pub const MAX_RPS: f64 = 2_000.0;

/// What kind of input case `i` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Random bytes.
    Bytes,
    /// A built-in scenario with bytes flipped, inserted, deleted or cut.
    ByteMutation,
    /// A built-in scenario with a JSON value replaced by an odd one.
    ValueMutation,
}

/// One generated input: the text and how it was made.
#[derive(Debug, Clone)]
pub struct Input {
    /// The scenario text given to the loader.
    pub text: String,
    /// The strategy that made it.
    pub strategy: Strategy,
    /// Runtime actions to apply after loading: (ms offset, seed of the action),
    /// turned into an [`Action`] on a component of the loaded scenario.
    pub actions: Vec<(u64, u64)>,
}

const ODD_VALUES: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    "1e-308",
    "4294967296",
    "18446744073709551615",
    "null",
    "true",
    "\"\"",
    "\"web_tier\"",
    "[]",
    "{}",
    "[1,2]",
    "0.5",
    "1000000",
    "\"<script>\"",
    "\"x\"",
];

/// Generates case `i` of the run seeded with `seed`.
pub fn generate(seed: u64, i: u64) -> Input {
    let mut rng = Stream::new(seed, i);
    let strategy = match rng.below(10) {
        0..=1 => Strategy::Bytes,
        2..=4 => Strategy::ByteMutation,
        _ => Strategy::ValueMutation,
    };
    let (_, base) = presets::ALL[rng.below(presets::ALL.len() as u64) as usize];
    let text = match strategy {
        Strategy::Bytes => {
            let n = rng.below(300) as usize;
            let bytes: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Strategy::ByteMutation => {
            let mut bytes = base.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len() as u64) as usize;
                match rng.below(4) {
                    0 => bytes[at] = rng.below(128) as u8,
                    1 => bytes.insert(at, b"{}[]\",:0123456789-.eE"[rng.below(21) as usize]),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => bytes.truncate(at),
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Strategy::ValueMutation => match serde_json::from_str::<serde_json::Value>(base) {
            Ok(mut v) => {
                for _ in 0..1 + rng.below(3) {
                    mutate_value(&mut v, &mut rng);
                }
                v.to_string()
            }
            Err(_) => base.to_string(),
        },
    };
    let actions = (0..rng.below(4))
        .map(|_| (rng.below(RUN_MS), rng.below(u64::MAX)))
        .collect();
    Input {
        text,
        strategy,
        actions,
    }
}

fn mutate_value(v: &mut serde_json::Value, rng: &mut Stream) {
    // Walk down a random path, then replace the value found there.
    let len = match v {
        serde_json::Value::Object(m) => m.len(),
        serde_json::Value::Array(a) => a.len(),
        _ => 0,
    };
    if len > 0 && rng.below(4) != 0 {
        let k = rng.below(len as u64) as usize;
        let child = match v {
            serde_json::Value::Object(m) => m.values_mut().nth(k),
            serde_json::Value::Array(a) => a.get_mut(k),
            _ => None,
        };
        if let Some(c) = child {
            return mutate_value(c, rng);
        }
    }
    let odd = ODD_VALUES[rng.below(ODD_VALUES.len() as u64) as usize];
    if let Ok(x) = serde_json::from_str(odd) {
        *v = x;
    }
}

fn random_action(s: &Scenario, seed: u64) -> Action {
    let mut rng = Stream::new(seed, 0);
    let rng = &mut rng;
    let component = if s.components.is_empty() || rng.below(8) == 0 {
        "nope".to_string()
    } else {
        s.components[rng.below(s.components.len() as u64) as usize]
            .id
            .clone()
    };
    let n = rng.below(6) as u32;
    match rng.below(7) {
        0 => Action::Fail {
            component,
            instance: n.checked_sub(1),
        },
        1 => Action::Recover {
            component,
            instance: n.checked_sub(1),
        },
        2 => Action::Scale {
            component,
            instances: n,
        },
        3 => Action::SetRequestRate {
            component,
            requests_per_s: [f64::NAN, -1.0, 0.0, 100.0, 1e9][rng.below(5) as usize],
        },
        4 => Action::SetUsers {
            component,
            users: [0, 1, 1000, u64::MAX][rng.below(4) as usize],
        },
        5 => Action::Reshard {
            component,
            shards: n,
        },
        _ => Action::Resize {
            component,
            size: scalelab_sim::sizes::InstanceSize::LADDER[rng.below(5) as usize],
        },
    }
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The loader refused it with an error message.
    Refused,
    /// It loaded and ran (actions refused or applied).
    Ran,
}

/// Runs one input through the loader and, if it loads, a short simulation with
/// its actions. Panics are the caller's to catch; errors are fine.
pub fn exercise(input: &Input) -> Outcome {
    let Ok(mut scenario) = Scenario::from_json(&input.text) else {
        return Outcome::Refused;
    };
    tame(&mut scenario);
    let Ok(mut sim) = Simulation::new(&scenario) else {
        return Outcome::Refused;
    };
    let mut t = 0;
    let mut actions = input.actions.clone();
    actions.sort_by_key(|(at, _)| *at);
    for (at, action_seed) in actions {
        sim.advance_ms(at.saturating_sub(t));
        t = t.max(at);
        let _ = sim.apply(&random_action(&scenario, action_seed));
    }
    sim.advance_ms(RUN_MS.saturating_sub(t));
    let sum = sim.summary();
    assert_eq!(
        sum.arrivals,
        sum.successes + sum.failures + sim.user_requests_in_flight(),
        "requests are conserved"
    );
    for (id, k, len, bound) in sim.queue_lengths() {
        assert!(len <= bound, "queue {id}[{k}] over its bound");
    }
    Outcome::Ran
}

/// Keeps a loaded scenario cheap to run: at most [`MAX_RPS`] offered in all and
/// small key spaces (building a Zipf table is linear in the keys).
fn tame(s: &mut Scenario) {
    s.workload.keys = s.workload.keys.min(2_000);
    s.workload.static_objects = s.workload.static_objects.min(2_000);
    let total = s.offered_rps();
    if total > MAX_RPS {
        let f = MAX_RPS / total;
        for c in &mut s.components {
            if let ComponentSpec::Users(u) = &mut c.spec {
                u.requests_per_user_per_s *= f;
            }
        }
    }
}
