//! The capacity sweep in the worker's session, driven natively with a fake
//! clock: one progress reply per step, the same figures as the core's
//! `sweep()`, cancel stops at once, bad input is an error, and the loaded
//! simulation is left as it was.
#![allow(clippy::unwrap_used)]

use scalelab_sim::sweep::{sweep, Sweep, SweepPoint};
use scalelab_sim::Scenario;
use scalelab_worker::session::SWEEP_BUDGET_MS;
use scalelab_worker::{FromSim, Session, ToSim};

const STAGE4: &str = "04-load-balancer.json";

mod common;
use common::{scenario_json, FakeClock};

fn start(session: &mut Session, clock: &FakeClock, gen: u64, steps: u32) -> Vec<FromSim> {
    session.handle(
        ToSim::Sweep {
            gen,
            scenario_json: scenario_json(STAGE4),
            from_rps: 300.0,
            to_rps: 2400.0,
            steps,
            duration_s: 4.0,
        },
        &mut || clock.read(),
    )
}

/// Ticks until the sweep ends (or `max_ticks`); the progress points and the final reply.
fn run(
    session: &mut Session,
    clock: &FakeClock,
    max_ticks: usize,
) -> (Vec<SweepPoint>, Vec<FromSim>, usize) {
    let (mut points, mut ends, mut ticks) = (Vec::new(), Vec::new(), 0);
    while session.sweeping() && ticks < max_ticks {
        assert_eq!(
            session.next_tick_ms(),
            Some(0),
            "a sweep ticks back to back"
        );
        ticks += 1;
        let replies = session.sweep_tick(&mut || clock.read());
        let progress = replies
            .iter()
            .filter(|r| matches!(r, FromSim::SweepProgress { .. }))
            .count();
        assert!(progress <= 1, "at most one step per tick: {replies:?}");
        for r in replies {
            match r {
                FromSim::SweepProgress {
                    gen,
                    done,
                    total,
                    point,
                } => {
                    assert_eq!(gen, 7);
                    points.push(point);
                    assert_eq!(done as usize, points.len());
                    assert_eq!(total, 6);
                }
                other => ends.push(other),
            }
        }
    }
    (points, ends, ticks)
}

#[test]
fn a_sweep_reports_each_step_and_ends_with_the_core_sweep() {
    let clock = FakeClock::new(0.5);
    let mut session = Session::new();
    assert!(start(&mut session, &clock, 7, 6).is_empty());
    assert!(session.sweeping());
    let (points, ends, ticks) = run(&mut session, &clock, 100_000);
    assert_eq!(points.len(), 6);
    assert!(ticks >= 6, "{ticks} ticks");
    let s = Scenario::from_json(&scenario_json(STAGE4)).unwrap();
    let core: Sweep = sweep(&s, 300.0, 2400.0, 6, 4.0).unwrap();
    assert_eq!(points, core.points);
    assert_eq!(
        ends,
        vec![FromSim::SweepDone {
            gen: 7,
            result: Ok(core)
        }]
    );
    assert!(!session.sweeping());
    assert_eq!(session.next_tick_ms(), None);
    assert!(session.sweep_tick(&mut || clock.read()).is_empty());
}

#[test]
fn on_a_slow_machine_a_step_spans_several_ticks_with_the_same_figures() {
    // The real clock, read as if the machine were 200 times slower.
    let t0 = std::time::Instant::now();
    let slow = || t0.elapsed().as_secs_f64() * 1000.0 * 200.0;
    let mut session = Session::new();
    let clock = FakeClock::new(0.0);
    start(&mut session, &clock, 7, 6);
    let (mut progress, mut ticks, mut end) = (Vec::new(), 0, None);
    while session.sweeping() {
        ticks += 1;
        for r in session.sweep_tick(&mut || slow()) {
            match r {
                FromSim::SweepProgress { point, .. } => progress.push(point),
                other => end = Some(other),
            }
        }
    }
    assert!(ticks > 2 * 6, "{ticks} ticks for 6 steps");
    let s = Scenario::from_json(&scenario_json(STAGE4)).unwrap();
    let core = sweep(&s, 300.0, 2400.0, 6, 4.0).unwrap();
    assert_eq!(progress, core.points);
    assert_eq!(
        end,
        Some(FromSim::SweepDone {
            gen: 7,
            result: Ok(core)
        })
    );
}

#[test]
fn a_tick_keeps_to_its_budget() {
    // Each clock reading costs 2 ms: a tick stops after about the budget.
    let clock = FakeClock::new(2.0);
    let mut session = Session::new();
    start(&mut session, &clock, 7, 6);
    let before = clock.peek();
    session.sweep_tick(&mut || clock.read());
    let spent = clock.peek() - before;
    assert!(spent <= SWEEP_BUDGET_MS + 10.0, "{spent} ms");
    assert!(session.sweeping());
}

#[test]
fn cancel_stops_the_sweep_at_once() {
    let clock = FakeClock::new(0.5);
    let mut session = Session::new();
    start(&mut session, &clock, 7, 6);
    let mut points = Vec::new();
    while points.len() < 2 {
        for r in session.sweep_tick(&mut || clock.read()) {
            if let FromSim::SweepProgress { point, .. } = r {
                points.push(point);
            }
        }
    }
    // Part of the third step may have run: it is dropped.
    session.sweep_tick(&mut || clock.read());
    let replies = session.handle(ToSim::CancelSweep, &mut || clock.read());
    let done = match replies.as_slice() {
        [FromSim::SweepCancelled { gen: 7, done }] => *done,
        other => panic!("{other:?}"),
    };
    assert!((2..6).contains(&done), "{done}");
    assert!(!session.sweeping());
    assert!(session.sweep_tick(&mut || clock.read()).is_empty());
    // Nothing to cancel now.
    assert!(session
        .handle(ToSim::CancelSweep, &mut || clock.read())
        .is_empty());
}

#[test]
fn cancel_right_after_two_steps_keeps_two_points() {
    let clock = FakeClock::new(0.5);
    let mut session = Session::new();
    start(&mut session, &clock, 7, 6);
    let mut done = 0;
    while done < 2 {
        for r in session.sweep_tick(&mut || clock.read()) {
            if let FromSim::SweepProgress { done: d, .. } = r {
                done = d;
            }
        }
    }
    let replies = session.handle(ToSim::CancelSweep, &mut || clock.read());
    assert_eq!(replies, vec![FromSim::SweepCancelled { gen: 7, done: 2 }]);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let clock = FakeClock::new(0.5);
    let mut session = Session::new();
    let cases: [(&str, f64, f64, u32, f64, &str); 5] = [
        ("{not json", 100.0, 200.0, 3, 2.0, "scenario"),
        (&scenario_json(STAGE4), 0.0, 200.0, 3, 2.0, "from"),
        (&scenario_json(STAGE4), 300.0, 200.0, 3, 2.0, "to"),
        (&scenario_json(STAGE4), 100.0, 200.0, 0, 2.0, "steps"),
        (
            &scenario_json(STAGE4),
            100.0,
            200.0,
            3,
            f64::NAN,
            "duration_s",
        ),
    ];
    for (json, from_rps, to_rps, steps, duration_s, word) in cases {
        let replies = session.handle(
            ToSim::Sweep {
                gen: 3,
                scenario_json: json.to_string(),
                from_rps,
                to_rps,
                steps,
                duration_s,
            },
            &mut || clock.read(),
        );
        match replies.as_slice() {
            [FromSim::SweepDone {
                gen: 3,
                result: Err(e),
            }] => assert!(e.contains(word), "{word}: {e}"),
            other => panic!("{word}: {other:?}"),
        }
        assert!(!session.sweeping());
    }
    // A design that parses but does not build fails at its first step.
    let mut broken: Scenario = Scenario::from_json(&scenario_json(STAGE4)).unwrap();
    broken.edges.push(scalelab_sim::Edge {
        from: "web".into(),
        to: "nowhere".into(),
        ..broken.edges[0].clone()
    });
    let json = serde_json::to_string(&broken).unwrap();
    let replies = session.handle(
        ToSim::Sweep {
            gen: 4,
            scenario_json: json,
            from_rps: 100.0,
            to_rps: 200.0,
            steps: 3,
            duration_s: 2.0,
        },
        &mut || clock.read(),
    );
    let mut all = replies;
    for _ in 0..10 {
        all.extend(session.sweep_tick(&mut || clock.read()));
    }
    match all.as_slice() {
        [FromSim::SweepDone {
            gen: 4,
            result: Err(e),
        }] => assert!(e.contains("nowhere"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_sweep_leaves_the_loaded_simulation_alone() {
    let clock = FakeClock::new(0.5);
    let run_alone = |sweep_too: bool| {
        let mut session = Session::new();
        session.handle(
            ToSim::Load {
                gen: 1,
                scenario_json: scenario_json(STAGE4),
                traffic_rps: None,
            },
            &mut || clock.read(),
        );
        session.handle(ToSim::Step, &mut || clock.read());
        if sweep_too {
            start(&mut session, &clock, 7, 6);
            run(&mut session, &clock, 100_000);
        }
        session.handle(ToSim::Step, &mut || clock.read());
        session.handle(ToSim::Step, &mut || clock.read());
        let sim = session.simulation().unwrap();
        (sim.now_us(), sim.digest(), format!("{:?}", sim.summary()))
    };
    assert_eq!(run_alone(true), run_alone(false));
}
