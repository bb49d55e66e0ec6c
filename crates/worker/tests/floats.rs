//! The worker reads what the page writes: a scenario's figures, written as
//! shortest round-trip decimals, must come back bit for bit (the
//! `exact-floats` feature, on by default; the page itself builds without it).

use proptest::prelude::*;
use scalelab_sim::{presets, ComponentSpec, Scenario};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn any_finite_float_crosses_exactly(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        let text = serde_json::to_string(&x).unwrap();
        let back: f64 = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back.to_bits(), x.to_bits(), "{}", text);
    }

    #[test]
    fn a_scenario_with_computed_figures_crosses_exactly(rps in 1.0f64..1.0e5) {
        // What the page sends after scaling the users: 17-digit figures.
        let mut s = presets::by_name("04-load-balancer.json").unwrap();
        s.scale_users_to(rps);
        let back = Scenario::from_json(&s.to_json()).unwrap();
        for (a, b) in s.components.iter().zip(&back.components) {
            if let (ComponentSpec::Users(a), ComponentSpec::Users(b)) = (&a.spec, &b.spec) {
                prop_assert_eq!(a.users, b.users);
                prop_assert_eq!(
                    a.requests_per_user_per_s.to_bits(),
                    b.requests_per_user_per_s.to_bits()
                );
            }
        }
        prop_assert!(back == s);
    }
}
