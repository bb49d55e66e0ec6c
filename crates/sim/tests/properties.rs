//! Property tests: random valid scenarios never panic, conserve requests and
//! keep every queue within its bound; random bytes and mangled files give an
//! `Err`, never a panic.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use proptest::prelude::*;
use scalelab_sim::scenario::*;
use scalelab_sim::{Scenario, Simulation};

/// A random action on a random component of `s` (may be refused: that is fine).
fn action_for(s: &Scenario, pick: usize, kind: u8, n: u32) -> Action {
    let c = &s.components[pick % s.components.len()];
    let component = c.id.clone();
    match kind % 7 {
        0 => Action::Fail {
            component,
            instance: (!n.is_multiple_of(3)).then_some(n % 4),
        },
        1 => Action::Recover {
            component,
            instance: (!n.is_multiple_of(3)).then_some(n % 4),
        },
        2 => Action::Scale {
            component,
            instances: 1 + n % 6,
        },
        3 => Action::SetRequestRate {
            component,
            requests_per_s: f64::from(n % 2000),
        },
        4 => Action::SetUsers {
            component,
            users: u64::from(n % 5000),
        },
        5 => Action::Reshard {
            component,
            shards: 1 + n % 9,
        },
        _ => Action::Resize {
            component,
            size: scalelab_sim::sizes::InstanceSize::LADDER[(n % 5) as usize],
        },
    }
}

fn check_invariants(sim: &Simulation, at: &str) {
    let sum = sim.summary();
    assert_eq!(
        sum.arrivals,
        sum.successes + sum.failures + sim.user_requests_in_flight(),
        "conservation at {at}"
    );
    for (id, k, len, bound) in sim.queue_lengths() {
        assert!(
            len <= bound,
            "{id}[{k}] holds {len} > bound {bound} at {at}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_conserve_requests_and_bound_queues(
        preset_ix in 0usize..12,
        seed in any::<u64>(),
        rate_factor in 0.05f64..4.0,
        actions in proptest::collection::vec((0.0f64..8.0, any::<usize>(), any::<u8>(), any::<u32>()), 0..8),
    ) {
        let (name, _) = scalelab_sim::presets::ALL[preset_ix];
        let mut s = preset(name);
        s.seed = seed;
        s.duration_s = 8.0;
        for c in &mut s.components {
            if let ComponentSpec::Users(u) = &mut c.spec {
                u.requests_per_user_per_s = (u.requests_per_user_per_s * rate_factor).min(1.0);
            }
        }
        for (at_s, pick, kind, n) in actions {
            let a = action_for(&s, pick, kind, n);
            // Only actions the loader accepts make it into the timeline.
            let mut t = s.clone();
            t.timeline.push(TimedAction { at_s, action: a });
            if t.validate().is_ok() {
                s = t;
            }
        }
        let mut sim = Simulation::new(&s).expect("still valid");
        for step in 0..16 {
            sim.advance_ms(500);
            check_invariants(&sim, &format!("{name} seed {seed} step {step}"));
        }
    }

    #[test]
    fn random_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(Scenario::from_json(&text).is_err());
    }

    #[test]
    fn mangled_scenarios_are_refused_or_run(
        preset_ix in 0usize..13,
        cut in 0usize..4000,
        replace_at in 0usize..4000,
        with in prop::sample::select(vec!["0", "-1", "1e308", "NaN", "\"x\"", "null", "[]", "{}", "99999999999", "0.0000001", "\"web_tier\"", "true"]),
    ) {
        let (_, text) = scalelab_sim::presets::ALL[preset_ix];
        // Truncated files.
        let cut = cut.min(text.len());
        if text.is_char_boundary(cut) {
            let _ = Scenario::from_json(&text[..cut]);
        }
        // A number replaced by something else.
        let digits: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
        if !digits.is_empty() {
            let i = digits[replace_at % digits.len()];
            let mut j = i;
            while j < text.len() && (text.as_bytes()[j].is_ascii_digit() || text.as_bytes()[j] == b'.') {
                j += 1;
            }
            let mangled = format!("{}{}{}", &text[..i], with, &text[j..]);
            if let Ok(mut s) = Scenario::from_json(&mangled) {
                s.duration_s = 2.0;
                for c in &mut s.components {
                    if let ComponentSpec::Users(u) = &mut c.spec {
                        u.users = u.users.min(10_000);
                    }
                }
                let mut sim = Simulation::new(&s).expect("a loaded scenario builds");
                sim.advance_ms(2_000);
                check_invariants(&sim, "mangled");
            }
        }
    }
}
