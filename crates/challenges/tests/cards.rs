//! Every card: its reference design meets every requirement, its start
//! design misses at least one; scoring imposes the card's traffic, faults
//! and list prices.

use scalelab_challenges::{cards, prepare, score, Card, ALL};
use scalelab_sim::scenario::ComponentSpec;

#[test]
fn every_card_loads_and_there_are_at_least_eight() {
    assert!(ALL.len() >= 8, "{} cards", ALL.len());
    for (name, text) in ALL {
        let card = Card::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !card.title.en.is_empty() && !card.title.ko.is_empty(),
            "{name}"
        );
        assert!(
            !card.brief.en.is_empty() && !card.brief.ko.is_empty(),
            "{name}"
        );
        assert!(!card.requirements.is_empty(), "{name}");
    }
    assert_eq!(cards().len(), ALL.len());
}

#[test]
fn reference_passes_and_start_fails_every_card() {
    for (name, card) in cards() {
        let r = score(&card, &card.reference).unwrap_or_else(|e| panic!("{name}: {e}"));
        let missed: Vec<_> = r.lines.iter().filter(|l| !l.met).collect();
        assert!(
            r.passed && missed.is_empty(),
            "{name} reference missed {missed:?}"
        );
        assert_eq!(
            r.lines.len(),
            card.requirements.len() + usize::from(card.budget_usd_per_month.is_some())
        );
        let s = score(&card, &card.start).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !s.passed && s.lines.iter().any(|l| !l.met),
            "{name} start passed"
        );
        // The measured figure is what decides.
        for l in r.lines.iter().chain(&s.lines) {
            if l.met {
                assert!(l.measured.is_some(), "{name}: {l:?}");
            }
        }
    }
}

#[test]
fn the_card_sets_traffic_faults_and_prices() {
    let (_, card) = &cards()[1];
    let mut design = card.reference.clone();
    // A design cannot shrink the traffic, drop the faults or price itself for free.
    for c in &mut design.components {
        if let ComponentSpec::Users(u) = &mut c.spec {
            u.users = 1;
            u.requests_per_user_per_s = 0.5;
        }
    }
    design.timeline.clear();
    design.prices = Some(scalelab_sim::cost::Prices {
        hours_per_month: 1.0,
        ..Default::default()
    });
    let s = prepare(card, &design).expect("prepared");
    assert!((s.offered_rps() - card.traffic.total_rps()).abs() < 1e-6);
    assert_eq!(s.timeline, card.faults);
    assert!(s.prices.is_none());
    assert_eq!(s.duration_s, card.duration_s);
    let a = score(card, &design).expect("scored");
    let b = score(card, &card.reference).expect("scored");
    assert_eq!(a.cost_usd_per_month, b.cost_usd_per_month);
}

#[test]
fn a_design_without_the_faulted_component_is_refused_by_name() {
    let (_, card) = &cards()[1];
    let target = card.faults[0].action.component().to_string();
    let mut design = card.reference.clone();
    design.components.retain(|c| c.id != target);
    design.edges.retain(|e| e.from != target && e.to != target);
    let e = score(card, &design).expect_err("the fault names a missing component");
    assert!(e.to_string().contains(&target), "{e}");
}
