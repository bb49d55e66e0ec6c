//! The worker's session, driven natively with a fake clock: pacing, the
//! bound on batches in flight, stepping, bad input, and that slicing a run
//! into ticks changes nothing in its figures.
#![allow(clippy::unwrap_used)]

use scalelab_sim::{presets, Simulation, WindowSnapshot};
use scalelab_worker::session::{
    MAX_BATCH_WINDOWS, MAX_IN_FLIGHT, MAX_SPEED_BATCH_MS, TICK_BUDGET_MS,
};
use scalelab_worker::{FromSim, LoadError, Session, ToSim};

mod common;
use common::{scenario_json, FakeClock};

/// Play (`running`) or pause at `speed` (0: as fast as possible).
fn run(s: &mut Session, clock: &FakeClock, running: bool, speed: u32) {
    s.handle(ToSim::Run { running, speed }, &mut || clock.read());
}

/// The windows of one uninterrupted run of preset `name` to `ms`.
fn uninterrupted(name: &str, ms: u64) -> Vec<WindowSnapshot> {
    let mut whole = Simulation::new(&presets::by_name(name).unwrap()).unwrap();
    whole.advance_ms(ms)
}

fn load(session: &mut Session, clock: &FakeClock, name: &str) {
    let replies = session.handle(
        ToSim::Load {
            gen: 1,
            scenario_json: scenario_json(name),
            traffic_rps: None,
        },
        &mut || clock.read(),
    );
    assert_eq!(
        replies[0],
        FromSim::Loaded {
            gen: 1,
            result: Ok(())
        }
    );
    // The design's monthly cost follows a successful load.
    assert!(
        matches!(
            replies[1..],
            [FromSim::Cost { gen: 1, .. }, FromSim::Review { gen: 1, .. }]
        ),
        "{replies:?}"
    );
}

fn windows_of(reply: &FromSim) -> Vec<WindowSnapshot> {
    match reply {
        FromSim::Advanced { windows, .. } => windows.clone(),
        other => panic!("expected Advanced, got {other:?}"),
    }
}

fn now_of(reply: &FromSim) -> f64 {
    match reply {
        FromSim::Advanced { now_ms, .. } => *now_ms,
        other => panic!("expected Advanced, got {other:?}"),
    }
}

#[test]
fn paused_session_does_not_advance() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "01-single-server.json");
    assert_eq!(s.next_tick_ms(), None);
    clock.advance(500.0);
    assert_eq!(s.tick(&mut || clock.read()), None);
    assert_eq!(s.simulation().unwrap().now_ms(), 0.0);
}

#[test]
fn a_tick_runs_wall_time_times_speed() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "01-single-server.json");
    run(&mut s, &clock, true, 10);
    assert_eq!(s.next_tick_ms(), Some(16));
    // The first tick only starts the clock.
    assert_eq!(s.tick(&mut || clock.read()), None);
    clock.advance(50.0);
    let batch = s.tick(&mut || clock.read()).unwrap();
    assert_eq!(
        now_of(&batch),
        500.0,
        "50 wall ms at 10x = 500 simulated ms"
    );
    s.handle(ToSim::Ack { gen: 1 }, &mut || clock.read());
    clock.advance(60.0);
    let batch = s.tick(&mut || clock.read()).unwrap();
    assert_eq!(now_of(&batch), 1100.0);
    assert_eq!(windows_of(&batch).len(), 1, "the first 1 s window closed");
}

#[test]
fn too_slow_for_the_speed_reports_behind_and_keeps_the_budget() {
    // Every clock reading costs 1 wall ms: the simulation looks expensive.
    let clock = FakeClock::new(1.0);
    let mut s = Session::new();
    load(&mut s, &clock, "01-single-server.json");
    run(&mut s, &clock, true, 1000);
    s.tick(&mut || clock.read());
    clock.advance(100.0);
    let started = clock.peek();
    let batch = s.tick(&mut || clock.read()).unwrap();
    let spent = clock.peek() - started;
    assert!(
        spent <= TICK_BUDGET_MS + 5.0,
        "tick overran its budget: {spent} ms"
    );
    assert!(
        matches!(batch, FromSim::Advanced { behind: true, .. }),
        "{batch:?}"
    );
    assert!(now_of(&batch) < 100_000.0);
}

#[test]
fn batches_in_flight_are_bounded_until_the_page_acks() {
    let clock = FakeClock::new(0.5);
    let mut s = Session::new();
    load(&mut s, &clock, "01-single-server.json");
    run(&mut s, &clock, true, 0);
    assert_eq!(s.next_tick_ms(), Some(0));
    let mut sent = 0;
    for _ in 0..10 {
        clock.advance(16.0);
        if s.tick(&mut || clock.read()).is_some() {
            sent += 1;
        }
    }
    assert_eq!(
        sent, MAX_IN_FLIGHT,
        "no more than {MAX_IN_FLIGHT} unacknowledged batches"
    );
    let stuck_at = s.simulation().unwrap().now_ms();
    // Waiting for the page: no tick is due until an ack wakes the worker.
    assert_eq!(s.next_tick_ms(), None);
    // A stale ack (older generation) frees nothing.
    s.handle(ToSim::Ack { gen: 0 }, &mut || clock.read());
    assert_eq!(s.next_tick_ms(), None);
    assert!(s.tick(&mut || clock.read()).is_none());
    s.handle(ToSim::Ack { gen: 1 }, &mut || clock.read());
    assert_eq!(s.next_tick_ms(), Some(0));
    clock.advance(MAX_SPEED_BATCH_MS);
    assert!(s.tick(&mut || clock.read()).is_some());
    assert!(s.simulation().unwrap().now_ms() > stuck_at);
}

/// At the fastest speed the windows of several ticks go in one batch, at
/// most one batch per `MAX_SPEED_BATCH_MS` of wall time; none is lost, and
/// any message but an ack sends the held batch before its own replies.
#[test]
fn fastest_speed_batches_ticks_and_flushes_before_any_message() {
    let name = "04-load-balancer.json";
    let clock = FakeClock::new(0.5);
    let mut s = Session::new();
    load(&mut s, &clock, name);
    run(&mut s, &clock, true, 0);
    let (mut got, mut ticks, mut sent_at) = (Vec::new(), 0, Vec::new());
    while s.simulation().unwrap().now_ms() < 30_000.0 {
        ticks += 1;
        if let Some(batch) = s.tick(&mut || clock.read()) {
            sent_at.push(clock.peek());
            got.extend(windows_of(&batch));
            s.handle(ToSim::Ack { gen: 1 }, &mut || clock.read());
        }
    }
    assert!(
        sent_at.len() >= 2 && ticks >= 2 * sent_at.len(),
        "{ticks} ticks, {} batches",
        sent_at.len()
    );
    for pair in sent_at.windows(2) {
        assert!(pair[1] - pair[0] >= MAX_SPEED_BATCH_MS, "{sent_at:?}");
    }
    // Pause: the held batch comes first, with the clock the simulation is at.
    let at_ms = s.simulation().unwrap().now_ms();
    let replies = s.handle(
        ToSim::Run {
            running: false,
            speed: 0,
        },
        &mut || clock.read(),
    );
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(now_of(&replies[0]), at_ms);
    got.extend(windows_of(&replies[0]));
    // Nothing held twice, nothing lost.
    assert!(s.handle(ToSim::Step, &mut || clock.read()).len() == 1);
    let reference = uninterrupted(name, at_ms as u64);
    assert!(got.len() >= 30);
    assert_eq!(got, reference);
}

/// A design that runs thousands of simulated seconds per wall second still
/// sends at most `MAX_BATCH_WINDOWS` windows per batch, and loses none.
#[test]
fn fastest_speed_batches_are_bounded_in_windows() {
    let name = "01-single-server.json";
    // A clock that barely moves: time would never close a batch.
    let clock = FakeClock::new(0.001);
    let mut s = Session::new();
    load(&mut s, &clock, name);
    run(&mut s, &clock, true, 0);
    let (mut got, mut batches) = (Vec::new(), 0);
    while got.len() < 5 * MAX_BATCH_WINDOWS {
        if let Some(batch) = s.tick(&mut || clock.read()) {
            let w = windows_of(&batch);
            assert!(!w.is_empty() && w.len() <= MAX_BATCH_WINDOWS, "{}", w.len());
            got.extend(w);
            batches += 1;
            s.handle(ToSim::Ack { gen: 1 }, &mut || clock.read());
        }
    }
    assert!(batches >= 5);
    let reference = uninterrupted(name, s.simulation().unwrap().now_ms() as u64);
    assert_eq!(got, reference);
}

#[test]
fn step_goes_to_the_next_window_boundary() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "04-load-balancer.json");
    let replies = s.handle(ToSim::Step, &mut || clock.read());
    assert_eq!(replies.len(), 1);
    assert_eq!(now_of(&replies[0]), 1000.0);
    assert_eq!(windows_of(&replies[0]).len(), 1);
    let replies = s.handle(ToSim::Step, &mut || clock.read());
    assert_eq!(now_of(&replies[0]), 2000.0);
}

#[test]
fn ticked_run_equals_an_uninterrupted_run() {
    // Any slicing of simulated time gives the same windows (bit for bit).
    let name = "05-database-replication.json";
    let clock = FakeClock::new(0.37);
    let mut s = Session::new();
    load(&mut s, &clock, name);
    run(&mut s, &clock, true, 100);
    let mut ticked = Vec::new();
    while s.simulation().unwrap().now_ms() < 20_000.0 {
        clock.advance(13.0);
        if let Some(batch) = s.tick(&mut || clock.read()) {
            ticked.extend(windows_of(&batch));
            s.handle(ToSim::Ack { gen: 1 }, &mut || clock.read());
        }
    }
    let reference = uninterrupted(name, s.simulation().unwrap().now_ms() as u64);
    assert!(ticked.len() >= 20);
    assert_eq!(ticked.len(), reference.len());
    for (a, b) in ticked.iter().zip(&reference) {
        assert!(a == b, "window {} differs after slicing and JSON", a.index);
    }
}

#[test]
fn windows_cross_to_the_page_bit_identical() {
    // gloo-worker encodes every message with bincode: a whole `Advanced`
    // reply must come back equal, every float bit included.
    let mut sim =
        Simulation::new(&presets::by_name("05-database-replication.json").unwrap()).unwrap();
    let windows = sim.advance_ms(30_000);
    let reply = FromSim::Advanced {
        gen: 3,
        now_ms: sim.now_ms(),
        windows: windows.clone(),
        windows_b: Some(windows.clone()),
        diff: None,
        behind: false,
        worker_memory_bytes: 0,
    };
    let bytes = bincode::serialize(&reply).unwrap();
    let back: FromSim = bincode::deserialize(&bytes).unwrap();
    let FromSim::Advanced { windows: got, .. } = &back else {
        panic!("expected Advanced, got {back:?}");
    };
    assert_eq!(got.len(), 30);
    for (a, b) in got.iter().zip(&windows) {
        assert!(a == b, "window {} changed crossing to the page", a.index);
        assert_eq!(a.latency_ms_p99.to_bits(), b.latency_ms_p99.to_bits());
    }
    // Optional figures survive as such (bincode cannot skip fields).
    assert!(got
        .iter()
        .flat_map(|w| &w.components)
        .any(|c| c.replication_lag_ms.is_some()));
    assert!(got
        .iter()
        .flat_map(|w| &w.components)
        .any(|c| c.hit_ratio.is_none()));
    assert!(back == reply);
}

#[test]
fn traffic_and_actions_apply_or_say_why_not() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "04-load-balancer.json");
    let r = s.handle(ToSim::SetTraffic { rps: 123.0 }, &mut || clock.read());
    assert!(
        matches!(
            &r[0],
            FromSim::Applied {
                result: Ok(()),
                traffic_rps: Some(_),
                ..
            }
        ),
        "{r:?}"
    );
    let bad = r#"{"do":"fail","component":"no-such-thing"}"#.to_string();
    let r = s.handle(ToSim::Apply { action_json: bad }, &mut || clock.read());
    match &r[0] {
        FromSim::Applied {
            result: Err(msg), ..
        } => assert!(msg.contains("no-such-thing"), "{msg}"),
        other => panic!("{other:?}"),
    }
    let r = s.handle(
        ToSim::Apply {
            action_json: "[1,2".into(),
        },
        &mut || clock.read(),
    );
    assert!(matches!(&r[0], FromSim::Applied { result: Err(_), .. }));
}

#[test]
fn a_bad_scenario_is_a_load_error_and_unloads() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "01-single-server.json");
    for text in ["", "[]", "{\"version\":1}", "not json"] {
        let r = s.handle(
            ToSim::Load {
                gen: 2,
                scenario_json: text.into(),
                traffic_rps: None,
            },
            &mut || clock.read(),
        );
        assert!(
            matches!(
                &r[0],
                FromSim::Loaded {
                    gen: 2,
                    result: Err(LoadError::Scenario(_))
                }
            ),
            "{text:?}: {r:?}"
        );
        assert!(s.simulation().is_none());
        assert_eq!(s.tick(&mut || clock.read()), None);
    }
    let r = s.handle(
        ToSim::Load {
            gen: 3,
            scenario_json: scenario_json("01-single-server.json"),
            traffic_rps: Some(f64::NAN),
        },
        &mut || clock.read(),
    );
    assert!(
        matches!(
            &r[0],
            FromSim::Loaded {
                result: Err(LoadError::Traffic(_)),
                ..
            }
        ),
        "{r:?}"
    );
}

#[test]
fn bench_counts_events() {
    let clock = FakeClock::new(0.5);
    let mut s = Session::new();
    let r = s.handle(
        ToSim::Bench {
            scenario_json: scenario_json("04-load-balancer.json"),
            duration_s: 5.0,
        },
        &mut || clock.read(),
    );
    match &r[0] {
        FromSim::Bench {
            events,
            sim_s,
            wall_ms,
            error: None,
        } => {
            assert!(*events > 1000, "{events}");
            assert_eq!(*sim_s, 5.0);
            assert!(*wall_ms > 0.0);
        }
        other => panic!("{other:?}"),
    }
    let r = s.handle(
        ToSim::Bench {
            scenario_json: "{}".into(),
            duration_s: 5.0,
        },
        &mut || clock.read(),
    );
    assert!(matches!(&r[0], FromSim::Bench { error: Some(_), .. }));
}

/// The monthly cost of a `Cost` reply.
fn cost_of(replies: &[FromSim]) -> (f64, Option<f64>) {
    replies
        .iter()
        .find_map(|r| match r {
            FromSim::Cost {
                cost_usd_per_month,
                cost_usd_per_million_requests,
                ..
            } => Some((*cost_usd_per_month, *cost_usd_per_million_requests)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no cost in {replies:?}"))
}

#[test]
fn load_and_traffic_report_the_cost_of_the_design() {
    use scalelab_sim::cost::{monthly_cost, monthly_cost_at, Prices};
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    let text = scenario_json("04-load-balancer.json");
    let r = s.handle(
        ToSim::Load {
            gen: 1,
            scenario_json: text.clone(),
            traffic_rps: None,
        },
        &mut || clock.read(),
    );
    let scenario = scalelab_sim::Scenario::from_json(&text).unwrap();
    let bill = monthly_cost(&scenario, &Prices::LIST).unwrap();
    let (usd, per_m) = cost_of(&r);
    assert_eq!(usd, bill.cost_usd_per_month);
    assert_eq!(per_m, bill.cost_usd_per_million_requests);
    // One more web instance costs exactly that instance's list price more.
    let mut more = scenario.clone();
    let mut price = 0.0;
    for c in &mut more.components {
        if let scalelab_sim::ComponentSpec::WebTier(w) = &mut c.spec {
            w.instances += 1;
            price = w.size.spec().price_usd_per_month;
        }
    }
    let r = s.handle(
        ToSim::Load {
            gen: 2,
            scenario_json: more.to_json(),
            traffic_rps: None,
        },
        &mut || clock.read(),
    );
    assert!((cost_of(&r).0 - usd - price).abs() < 1e-6);
    // Traffic changes reprice the month (egress grows with it).
    let r = s.handle(ToSim::SetTraffic { rps: 2_000.0 }, &mut || clock.read());
    let at = monthly_cost_at(&more, &Prices::LIST, 2_000.0).unwrap();
    assert_eq!(cost_of(&r).0, at.cost_usd_per_month);
    assert!(at.cost_usd_per_month > usd + price);
    // A failed load sends no cost.
    let r = s.handle(
        ToSim::Load {
            gen: 3,
            scenario_json: "{}".into(),
            traffic_rps: None,
        },
        &mut || clock.read(),
    );
    assert_eq!(r.len(), 1, "{r:?}");
}

#[test]
fn score_runs_a_challenge_card_or_says_why_not() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    let (_, card_text) = scalelab_challenges::ALL[0];
    let card = scalelab_challenges::Card::from_json(card_text).unwrap();
    for (design, passes) in [(&card.reference, true), (&card.start, false)] {
        let r = s.handle(
            ToSim::Score {
                card_json: card_text.to_string(),
                scenario_json: design.to_json(),
            },
            &mut || clock.read(),
        );
        let [FromSim::Scored { result: Ok(json) }] = &r[..] else {
            panic!("{r:?}")
        };
        let score: scalelab_challenges::Score = serde_json::from_str(json).unwrap();
        assert_eq!(score, scalelab_challenges::score(&card, design).unwrap());
        assert_eq!(score.passed, passes);
    }
    let r = s.handle(
        ToSim::Score {
            card_json: "{}".into(),
            scenario_json: card.start.to_json(),
        },
        &mut || clock.read(),
    );
    assert!(
        matches!(&r[..], [FromSim::Scored { result: Err(_) }]),
        "{r:?}"
    );
}

#[test]
fn chaos_writes_the_cores_script_or_says_why_not() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    let stage6 = scenario_json("06-cache.json");
    let design = scalelab_sim::Scenario::from_json(&stage6).unwrap();
    let ask = |s: &mut Session, json: &str, kind: &str| {
        let r = s.handle(
            ToSim::Chaos {
                scenario_json: json.to_string(),
                kind: kind.into(),
            },
            &mut || clock.read(),
        );
        let [FromSim::Chaos { result }] = &r[..] else {
            panic!("{r:?}")
        };
        result.clone()
    };
    let json = ask(&mut s, &stage6, "cache_flush_at_peak").unwrap();
    let timeline: Vec<scalelab_sim::TimedAction> = serde_json::from_str(&json).unwrap();
    let kind = scalelab_sim::chaos::ChaosKind::CacheFlushAtPeak;
    assert_eq!(
        timeline,
        scalelab_sim::chaos::chaos_script(&design, kind).unwrap()
    );
    let e = ask(&mut s, &stage6, "dc_loss_at_peak").unwrap_err();
    assert!(e.contains("a data center"), "{e}");
    let e = ask(&mut s, &stage6, "meteor").unwrap_err();
    assert!(e.contains("meteor"), "{e}");
    assert!(ask(&mut s, "{", "rolling_restart").is_err());
}

/// The review items of a `Review` reply among `replies`.
fn review_of(replies: &[FromSim]) -> Vec<scalelab_worker::ReviewItem> {
    replies
        .iter()
        .find_map(|r| match r {
            FromSim::Review { findings, .. } => Some(findings.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no review in {replies:?}"))
}

fn load_json(s: &mut Session, clock: &FakeClock, gen: u64, json: String) -> Vec<FromSim> {
    s.handle(
        ToSim::Load {
            gen,
            scenario_json: json,
            traffic_rps: None,
        },
        &mut || clock.read(),
    )
}

#[test]
fn each_load_sends_the_design_review_and_a_fix_is_an_ordinary_edit() {
    use scalelab_sim::review::review;
    use scalelab_sim::scenario::{ComponentSpec, Sessions};
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    let text = scenario_json("04-load-balancer.json");
    let doc = scalelab_sim::Scenario::from_json(&text).unwrap();
    let items = review_of(&load_json(&mut s, &clock, 1, text.clone()));
    let core = review(&doc).unwrap();
    assert_eq!(items, scalelab_worker::session::review_items(&doc, &core));
    // Stage 4: the database has no replica; the fix is one component.
    let db = items.iter().find(|i| i.kind == "no_replica").unwrap();
    assert_eq!(db.component, "db");
    assert_eq!(db.reason.0, "review.no_replica");
    assert_eq!(db.reason.1, ["Database"]);
    assert!(!db.fix_is_design);
    let fixed: scalelab_sim::Component = serde_json::from_str(&db.fix_json).unwrap();
    let mut next = doc.clone();
    *next.components.iter_mut().find(|c| c.id == "db").unwrap() = fixed;
    let after = review_of(&load_json(&mut s, &clock, 2, next.to_json()));
    assert!(after.iter().all(|i| i.kind != "no_replica"), "{after:?}");
    // Sessions in the web servers: the fix adds a session store (a whole design).
    let mut stateful = doc.clone();
    for c in &mut stateful.components {
        if let ComponentSpec::WebTier(w) = &mut c.spec {
            w.sessions = Sessions::Stateful;
        }
    }
    let items = review_of(&load_json(&mut s, &clock, 3, stateful.to_json()));
    let st = items
        .iter()
        .find(|i| i.kind == "stateful_sessions")
        .unwrap();
    assert!(st.fix_is_design);
    let fixed = scalelab_sim::Scenario::from_json(&st.fix_json).unwrap();
    assert_eq!(fixed.components.len(), stateful.components.len() + 1);
    let after = review_of(&load_json(&mut s, &clock, 4, fixed.to_json()));
    assert!(after.iter().all(|i| i.kind != "stateful_sessions"));
}

fn exported(replies: &[FromSim]) -> (String, String, String) {
    match replies {
        [FromSim::Exported {
            file_name,
            mime,
            text,
            ..
        }] => (file_name.clone(), mime.clone(), text.clone()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_csv_has_one_row_per_window_run_with_the_windows_figures() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load(&mut s, &clock, "04-load-balancer.json");
    let mut windows = Vec::new();
    for _ in 0..5 {
        let r = s.handle(ToSim::Step, &mut || clock.read());
        windows.extend(windows_of(&r[0]));
    }
    assert_eq!(windows.len(), 5);
    let (name, mime, csv) = exported(&s.handle(ToSim::ExportCsv, &mut || clock.read()));
    assert_eq!(
        (name.as_str(), mime.as_str()),
        ("scalelab-metrics.csv", "text/csv")
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + windows.len());
    let header: Vec<&str> = lines[0].split(',').collect();
    assert!(header.contains(&"latency_ms_p99") && header.contains(&"throughput_rps"));
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (line, w) in lines[1..].iter().zip(&windows) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), header.len());
        // Shortest round-trip decimal: the figures come back bit-identical.
        assert_eq!(
            cells[col("latency_ms_p99")].parse::<f64>().unwrap(),
            w.latency_ms_p99
        );
        assert_eq!(cells[col("arrivals")].parse::<u64>().unwrap(), w.arrivals);
        assert_eq!(cells[col("end_s")].parse::<f64>().unwrap(), w.end_s);
    }
    // Back to 2 s: the later rows are gone; a new load starts empty.
    s.handle(ToSim::Seek { t_ms: 2_000 }, &mut || clock.read());
    let (_, _, csv) = exported(&s.handle(ToSim::ExportCsv, &mut || clock.read()));
    assert_eq!(csv.lines().count(), 1 + 2);
    load(&mut s, &clock, "04-load-balancer.json");
    let (_, _, csv) = exported(&s.handle(ToSim::ExportCsv, &mut || clock.read()));
    assert_eq!(csv.lines().count(), 1);
}

#[test]
fn the_report_shows_the_picture_figures_and_findings_as_text() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    let mut doc =
        scalelab_sim::Scenario::from_json(&scenario_json("04-load-balancer.json")).unwrap();
    doc.name = "<b>Mine</b> & co".into();
    load_json(&mut s, &clock, 1, doc.to_json());
    for _ in 0..3 {
        s.handle(ToSim::Step, &mut || clock.read());
    }
    let svg = r#"<svg id="topology"><text>web</text></svg>"#;
    let r = s.handle(
        ToSim::ExportReport {
            design_svg: format!("junk{svg}junk"),
            css: ".node rect { fill: #abcdef } /* </STYLE><script>alert(2)</script> */".into(),
            lang: "en".into(),
            strings: Vec::new(),
        },
        &mut || clock.read(),
    );
    let (name, mime, html) = exported(&r);
    assert_eq!(
        (name.as_str(), mime.as_str()),
        ("scalelab-report.html", "text/html")
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(svg) && !html.contains("junk<svg"));
    assert!(html.contains("&lt;b&gt;Mine&lt;/b&gt; &amp; co") && !html.contains("<b>Mine"));
    let summary = s.simulation().unwrap().summary();
    assert!(html.contains(&format!("{:.1} ms", summary.latency_ms_p99)));
    assert!(html.contains("Monthly cost"));
    // The page's stylesheet is in the report, and cannot close its <style> early.
    assert!(html.contains(".node rect { fill: #abcdef }"));
    assert_eq!(html.to_ascii_lowercase().matches("</style").count(), 1);
    assert!(html.contains(r#"data-kind="no_replica""#));
    assert!(html.contains("Database has no replica"));
    // A picture with a script in it is left out.
    let r = s.handle(
        ToSim::ExportReport {
            design_svg: "<svg><script>alert(1)</script></svg>".into(),
            css: String::new(),
            lang: "en".into(),
            strings: Vec::new(),
        },
        &mut || clock.read(),
    );
    assert!(!exported(&r).2.contains("alert(1)"));
}

/// The `report.*` and `review.*` texts of `static/i18n/{lang}.json`, as the page sends them.
fn report_strings(lang: &str) -> Vec<(String, String)> {
    let path = format!(
        "{}/../../static/i18n/{lang}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let table: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    table
        .into_iter()
        .filter(|(k, _)| k.starts_with("report.") || k.starts_with("review."))
        .collect()
}

#[test]
fn the_report_is_in_the_pages_language() {
    let clock = FakeClock::new(0.0);
    let mut s = Session::new();
    load_json(&mut s, &clock, 1, scenario_json("04-load-balancer.json"));
    s.handle(ToSim::Step, &mut || clock.read());
    let report = |s: &mut Session, lang: &str, strings| {
        let r = s.handle(
            ToSim::ExportReport {
                design_svg: "<svg></svg>".into(),
                css: String::new(),
                lang: lang.into(),
                strings,
            },
            &mut || clock.read(),
        );
        exported(&r).2
    };
    let ko = report(&mut s, "ko", report_strings("ko"));
    assert!(ko.contains(r#"<html lang="ko">"#));
    let ko_table: std::collections::BTreeMap<_, _> = report_strings("ko").into_iter().collect();
    for key in [
        "report.figures",
        "report.p99",
        "report.monthly_cost",
        "review.title",
    ] {
        assert!(ko.contains(ko_table[key].as_str()), "{key} in Korean");
    }
    // The finding's sentence is the Korean template with the component's name.
    let template = &ko_table["review.no_replica"];
    assert!(
        ko.contains(&template.replace("{0}", "Database")),
        "{template}"
    );
    let body = &ko[ko.find("<body").unwrap()..];
    for english in [
        "Key figures",
        "p99 latency",
        "Design review",
        "has no replica",
    ] {
        assert!(!body.contains(english), "no English left: {english}");
    }
    // With no texts sent (an older page), the report is in English.
    let en = report(&mut s, "en", Vec::new());
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("Key figures"));
    assert_eq!(en, report(&mut s, "en", report_strings("en")));
    // A language code that is not one stays out of the markup.
    assert!(report(&mut s, "ko\"><script>", Vec::new()).contains(r#"<html lang="en">"#));
}

#[test]
fn the_reports_english_labels_are_en_json() {
    let en: std::collections::BTreeMap<_, _> = report_strings("en").into_iter().collect();
    for (key, text) in scalelab_worker::export::ENGLISH {
        assert_eq!(en.get(key).map(String::as_str), Some(text), "{key}");
    }
}
