//! One test per claim of the chapter: each asserts the direction and the size
//! of an effect against a baseline scenario. Nothing here is typed into the
//! model; every effect emerges from the mechanisms of DESIGN.md §3.
#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the report
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use scalelab_sim::dist::Distribution;
use scalelab_sim::scenario::*;
use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::{analyze, Simulation};

/// Throughput (rps) of the second half of a run: the steady state.
fn steady_throughput(s: &Scenario) -> f64 {
    let (_, w) = run(s);
    let half = &w[w.len() / 2..];
    half.iter().map(|w| w.throughput_rps).sum::<f64>() / half.len() as f64
}

#[test]
fn separate_database_raises_capacity() {
    // One server doing the app's work (6 ms) and the data work (5–10 ms) on the same cores,
    // against the same work split over a web server and a database server of the same size.
    let mut one = preset("01-single-server.json");
    one.duration_s = 30.0;
    set_rate(&mut one, "users", 1_200.0);
    let mut two = preset("02-separate-database.json");
    two.duration_s = 30.0;
    set_rate(&mut two, "users", 1_200.0);
    let (t1, t2) = (steady_throughput(&one), steady_throughput(&two));
    println!("single server {t1:.0} rps, separate database {t2:.0} rps");
    assert!(t2 > 1.6 * t1, "separate DB {t2} vs single server {t1}");
    // The analytic twin agrees on the direction and the bottleneck moves to the web tier.
    let (a1, a2) = (analyze(&one).unwrap(), analyze(&two).unwrap());
    assert!(a2.max_sustainable_rps.unwrap() > 1.6 * a1.max_sustainable_rps.unwrap());
}

#[test]
fn vertical_scaling_raises_capacity_up_to_a_ceiling_and_one_failure_is_total() {
    let mut last = 0.0;
    for size in InstanceSize::LADDER {
        let mut s = mmc(100_000.0, size, 10.0, 3, 10.0);
        if let ComponentSpec::WebTier(w) = spec_mut(&mut s, "web") {
            w.queue_capacity = 100;
        }
        let t = steady_throughput(&s);
        let cap = f64::from(size.spec().cores) * size.spec().speed * 100.0;
        println!("{size:?}: {t:.0} rps (capacity {cap:.0})");
        assert!(
            t > last * 1.2,
            "{size:?} must serve more than the size below"
        );
        assert!(rel(t, cap) < 0.05, "{size:?}: {t} vs {cap}");
        last = t;
    }
    // The ladder ends: x2large is the largest size there is.
    assert_eq!(InstanceSize::LADDER.last(), Some(&InstanceSize::X2large));
    // One big server fails at 30 s: availability is zero from then on.
    let (_, w) = run(&preset("03-vertical-scaling.json"));
    assert!(w[..30].iter().all(|w| w.availability > 0.99));
    assert!(w[31..]
        .iter()
        .all(|w| w.availability == 0.0 && w.failures > 0));
}

/// Time of the end of the last window (of 100 ms) with `instance_down` errors.
fn last_instance_down_s(w: &[scalelab_sim::WindowSnapshot]) -> f64 {
    w.iter()
        .filter(|w| w.errors.instance_down > 0)
        .map(|w| w.end_s)
        .fold(0.0, f64::max)
}

#[test]
fn load_balancer_errors_stop_once_health_checks_detect_the_dead_server() {
    let (sum, w) = run(&preset("04-load-balancer.json"));
    // Errors start at the failure (20 s) and end when 3 probes 2 s apart have failed.
    assert!(
        w[..20].iter().all(|w| w.failures == 0),
        "no errors before the failure"
    );
    assert!(w[20].errors.instance_down > 0);
    assert!(
        w[27..].iter().all(|w| w.failures == 0),
        "no errors once detected"
    );
    // Size: a third of ~600 rps for the ~4 s detection delay.
    let expected = 600.0 / 3.0 * 4.0;
    let got = sum.errors.instance_down as f64;
    println!("instance_down {got}, expected ≈ {expected}");
    assert!(rel(got, expected) < 0.15);
    // Expected detection delay at a random failure moment: (threshold − 1) × interval + interval / 2.
    let mut delays = Vec::new();
    for k in 0..10 {
        let mut s = preset("04-load-balancer.json");
        s.window_ms = 100;
        s.duration_s = 35.0;
        let at = 20.0 + 0.2 * f64::from(k) + 0.1;
        s.timeline[0].at_s = at;
        let (_, w) = run(&s);
        delays.push(last_instance_down_s(&w) - at);
    }
    let mean = delays.iter().sum::<f64>() / delays.len() as f64;
    println!("detection delays {delays:?}, mean {mean:.3} s");
    assert!(
        rel(mean, 2.0 * 2.0 + 1.0) < 0.05,
        "mean detection {mean} vs 5 s"
    );
}

#[test]
fn read_replicas_raise_read_capacity() {
    let build = |replicas: u32| {
        let mut s = preset("05-database-replication.json");
        s.timeline.clear();
        s.duration_s = 30.0;
        set_rate(&mut s, "users", 5_000.0);
        if let ComponentSpec::Users(u) = spec_mut(&mut s, "users") {
            u.mix = Mix {
                static_share: 0.0,
                read: 1.0,
                write: 0.0,
                async_share: 0.0,
            };
        }
        if let ComponentSpec::WebTier(w) = spec_mut(&mut s, "web") {
            w.instances = 10;
        }
        if let ComponentSpec::Database(d) = spec_mut(&mut s, "db") {
            d.replicas = replicas;
        }
        s
    };
    let t: Vec<f64> = [0, 1, 3]
        .iter()
        .map(|&r| steady_throughput(&build(r)))
        .collect();
    println!("read throughput with 0, 1, 3 replicas: {t:?}");
    // Large node: 4 cores × 1.1 / 5 ms = 880 reads/s each.
    assert!(rel(t[0], 880.0) < 0.05);
    assert!(rel(t[1], 880.0) < 0.05, "one replica serves all reads");
    assert!(
        rel(t[2], 3.0 * 880.0) < 0.05,
        "three replicas triple read capacity"
    );
}

#[test]
fn primary_failure_loses_unreplicated_writes_and_writes_fail_until_promotion() {
    let (sum, w) = run(&preset("05-database-replication.json"));
    // Writes fail with no_primary from 20 s to 20 + 10 (detection) + 5 (promotion) s.
    assert!(w[..20].iter().all(|w| w.errors.no_primary == 0));
    assert!(w[20..35].iter().all(|w| w.errors.no_primary > 0));
    assert!(
        w[36..].iter().all(|w| w.errors.no_primary == 0),
        "writes work after promotion"
    );
    // No-primary errors: the write rate (160/s) for 15 s.
    assert!(rel(sum.errors.no_primary as f64, 160.0 * 15.0) < 0.1);
    // The loss is counted at the moment of the failure.
    assert_eq!(w[20].lost_writes, sum.lost_writes);
    // Lost writes average w × L = 160/s × 0.2 s = 32 over seeds.
    let mut total = 0;
    let seeds = 20;
    for seed in 0..seeds {
        let mut s = preset("05-database-replication.json");
        s.seed = 100 + seed;
        s.duration_s = 21.0;
        total += run(&s).0.lost_writes;
    }
    let mean = total as f64 / seeds as f64;
    println!("lost writes mean over {seeds} seeds: {mean} (expected 32)");
    assert!(rel(mean, 32.0) < 0.1);
}

#[test]
fn cache_cuts_database_load_by_its_hit_ratio_which_follows_che() {
    let mut s = preset("06-cache.json");
    s.timeline.clear();
    s.duration_s = 120.0;
    if let ComponentSpec::Users(u) = spec_mut(&mut s, "users") {
        u.mix = Mix {
            static_share: 0.0,
            read: 1.0,
            write: 0.0,
            async_share: 0.0,
        };
    }
    let (_, w) = run(&s);
    let steady = &w[30..];
    let reads: f64 = steady.iter().map(|w| comp(w, "cache").arrivals_rps).sum();
    let db: f64 = steady.iter().map(|w| comp(w, "db").arrivals_rps).sum();
    let hits: f64 = steady
        .iter()
        .map(|w| comp(w, "cache").hit_ratio.unwrap() * comp(w, "cache").arrivals_rps)
        .sum::<f64>()
        / reads;
    let che = analyze(&s).unwrap().hit_ratios[0].1;
    println!(
        "hit ratio sim {hits:.4}, Che {che:.4}; db/reads {:.4}",
        db / reads
    );
    assert!(
        (hits - che).abs() < 0.02,
        "LRU hit ratio {hits} vs Che {che}"
    );
    assert!(
        rel(db / reads, 1.0 - hits) < 0.02,
        "DB load is the miss ratio of reads"
    );
    // And the cache node's failure sends every read to the database: it saturates.
    let (_, w) = run(&preset("06-cache.json"));
    // Reads go to the replica (instance 1); the primary keeps the writes.
    let before = comp(&w[35], "db").instance_utilization.as_ref().unwrap()[1];
    let after = comp(&w[45], "db").instance_utilization.as_ref().unwrap()[1];
    println!("db utilization before {before:.2}, after cache failure {after:.2}");
    assert!(before < 0.8 && after > 0.95, "{before} -> {after}");
    assert!(
        w[45].errors.queue_full > 0,
        "the overloaded database sheds requests"
    );
}

#[test]
fn cdn_cuts_static_latency_and_origin_load() {
    let mut with = preset("07-cdn.json");
    with.timeline.clear();
    with.duration_s = 40.0;
    if let ComponentSpec::Users(u) = spec_mut(&mut with, "users") {
        u.mix = Mix {
            static_share: 1.0,
            read: 0.0,
            write: 0.0,
            async_share: 0.0,
        };
    }
    let mut without = with.clone();
    without.edges.retain(|e| e.to != "cdn" && e.from != "cdn");
    without.components.retain(|c| c.id != "cdn");
    let (sw, ww) = run(&with);
    let (so, wo) = run(&without);
    let origin = |w: &[scalelab_sim::WindowSnapshot]| {
        w[10..]
            .iter()
            .map(|w| comp(w, "web").arrivals_rps)
            .sum::<f64>()
            / (w.len() - 10) as f64
    };
    let (ow, oo) = (origin(&ww), origin(&wo));
    let hit = analyze(&with).unwrap().hit_ratios[0].1;
    println!(
        "origin rps with CDN {ow:.0}, without {oo:.0}; Che hit {hit:.3}; p50 {:.1} vs {:.1} ms",
        sw.latency_ms_p50, so.latency_ms_p50
    );
    assert!(
        rel(ow / oo, 1.0 - hit) < 0.1,
        "origin load falls by the hit ratio"
    );
    assert!(
        sw.latency_ms_p50 < 0.5 * so.latency_ms_p50,
        "most static requests answered at the edge"
    );
    // A CDN outage sends everything back to the origin.
    let (_, w) = run(&preset("07-cdn.json"));
    assert!(comp(&w[45], "web").arrivals_rps > 1.3 * comp(&w[35], "web").arrivals_rps);
}

#[test]
fn local_sessions_are_lost_with_their_server_a_shared_store_loses_nothing() {
    let stateless = preset("08-stateless-web.json");
    let mut stateful = stateless.clone();
    if let ComponentSpec::WebTier(w) = spec_mut(&mut stateful, "web") {
        w.sessions = Sessions::Stateful;
    }
    let (a, _) = run(&stateless);
    let (b, wb) = run(&stateful);
    println!(
        "session_lost stateless {}, stateful {}",
        a.errors.session_lost, b.errors.session_lost
    );
    assert_eq!(a.errors.session_lost, 0);
    // Every user whose session lived on the dead server (a third of those active) fails once.
    assert!(b.errors.session_lost > 500, "stateful loses sessions");
    // About a third of the 3,000 users had their session there (binomial, sd ≈ 26).
    assert!(b.errors.session_lost <= 1_100, "each user at most once");
    assert!(wb[..20].iter().all(|w| w.errors.session_lost == 0));
    // With the store, the store itself becomes the dependency.
    let mut store_down = stateless.clone();
    store_down.timeline = vec![TimedAction {
        at_s: 10.0,
        action: Action::Fail {
            component: "sessions".into(),
            instance: None,
        },
    }];
    store_down.duration_s = 20.0;
    let (_, w) = run(&store_down);
    assert!(w[12..]
        .iter()
        .all(|w| w.successes == 0 && w.errors.session_store_down > 0));
}

#[test]
fn requests_sent_before_the_user_had_a_session_are_not_logged_out() {
    // Two requests of a user sent before the first reached a web server carry
    // no session; the round robin may send them to different servers. Neither
    // was logged out: the second starts a session of its own. (Seeds where
    // this race happens in the first 20 s of stage 8, made stateful.)
    let mut s = preset("08-stateless-web.json");
    if let ComponentSpec::WebTier(w) = spec_mut(&mut s, "web") {
        w.sessions = Sessions::Stateful;
    }
    s.timeline.clear();
    s.duration_s = 20.0;
    for seed in [1, 3, 10] {
        s.seed = seed;
        let (sum, _) = run(&s);
        assert_eq!(sum.errors.session_lost, 0, "seed {seed}");
        assert!(sum.successes > 11_000, "seed {seed}: {}", sum.successes);
    }
}

#[test]
fn dc_outage_shifts_traffic_after_the_dns_ttl_not_before() {
    let (sum, w) = run(&preset("09-data-centers.json"));
    assert!(w[..20].iter().all(|w| w.errors.dc_down == 0));
    assert!(
        w[20..45].iter().all(|w| w.errors.dc_down > 0),
        "cached answers keep users on the dead DC"
    );
    assert!(
        w[51..].iter().all(|w| w.errors.dc_down == 0),
        "after the TTL every user resolved again"
    );
    // r × TTL / 2 = 500 rps × 30 s / 2.
    println!("dc_down {}", sum.errors.dc_down);
    assert!(rel(sum.errors.dc_down as f64, 500.0 * 30.0 / 2.0) < 0.1);
    // The west data center takes both regions' traffic afterwards.
    assert!(comp(&w[60], "web-west").arrivals_rps > 1.8 * comp(&w[10], "web-west").arrivals_rps);
    // Cross-region users pay the extra latency (70 ms each way).
    assert!(w[60].latency_ms_p95 > w[10].latency_ms_p95 + 100.0);
}

#[test]
fn a_queue_absorbs_a_spike_and_drains_its_backlog() {
    let (sum, w) = run(&preset("10-message-queue.json"));
    assert_eq!(sum.failures, 0, "no web request fails during the spike");
    let backlog = |i: usize| comp(&w[i], "queue").backlog.unwrap();
    println!(
        "backlog at 19, 29, 45, 89 s: {} {} {} {}",
        backlog(19),
        backlog(29),
        backlog(45),
        backlog(89)
    );
    assert!(backlog(29) > 1_000, "the spike piles up jobs");
    assert!(backlog(45) < backlog(29), "workers drain it");
    assert!(backlog(89) < 50, "drained by the end");
    assert!(
        comp(&w[35], "workers").job_latency_ms_p99.unwrap() > 1_000.0,
        "jobs waited"
    );
}

#[test]
fn autoscaler_adds_instances_after_boot_time_and_p99_recovers() {
    let (_, w) = run(&preset("11-autoscaling.json"));
    let inst = |i: usize| comp(&w[i], "web").instances;
    let up = |i: usize| comp(&w[i], "web").instances_up;
    println!(
        "instances at 29, 50, 80, 149 s: {} {} {} {}; up {} {} {} {}",
        inst(29),
        inst(50),
        inst(80),
        inst(149),
        up(29),
        up(50),
        up(80),
        up(149)
    );
    assert_eq!(inst(29), 2);
    assert!(inst(50) > 2, "the autoscaler asked for more after the step");
    assert_eq!(up(50), 2, "new instances are still booting");
    assert!(up(100) > 2, "booted instances take traffic");
    assert!(w[40].latency_ms_p99 > 200.0, "p99 blew up after the step");
    let tail = &w[120..];
    assert!(
        tail.iter()
            .all(|w| w.latency_ms_p99 < 200.0 && w.failures == 0),
        "p99 recovered"
    );
}

#[test]
fn shards_raise_write_capacity_and_a_celebrity_key_overloads_one_shard() {
    let build = |shards: u32, hot: f64| {
        let mut s = preset("12-sharding.json");
        s.timeline.clear();
        s.duration_s = 30.0;
        s.workload.zipf_s = 0.0;
        s.workload.hot_key_share = hot;
        if let ComponentSpec::ShardedDatabase(d) = spec_mut(&mut s, "shards") {
            d.shards = shards;
        }
        s
    };
    let mut one = build(1, 0.0);
    let mut four = build(4, 0.0);
    for s in [&mut one, &mut four] {
        set_rate(s, "users", 3_000.0);
        if let ComponentSpec::Users(u) = spec_mut(s, "users") {
            u.mix = Mix {
                static_share: 0.0,
                read: 0.0,
                write: 1.0,
                async_share: 0.0,
            };
        }
        if let ComponentSpec::WebTier(w) = spec_mut(s, "web") {
            w.instances = 10;
        }
    }
    let (t1, t4) = (steady_throughput(&one), steady_throughput(&four));
    println!("write throughput 1 shard {t1:.0}, 4 shards {t4:.0}");
    // Medium shard: 2 cores / 8 ms = 250 writes/s.
    assert!(rel(t1, 250.0) < 0.05);
    assert!(rel(t4, 1_000.0) < 0.05);
    // Celebrity: a share f of all requests on key 0 puts λ (f + (1 − f)/S) on its shard.
    let f = 0.3;
    let hot_shard = (scalelab_sim::rng::splitmix64(0) % 4) as usize;
    let shard_util = |rps: f64| {
        let mut s = build(4, f);
        set_rate(&mut s, "users", rps);
        let (_, w) = run(&s);
        let steady = &w[10..];
        let mut u = [0.0; 4];
        for w in steady {
            for (k, x) in comp(w, "shards")
                .instance_utilization
                .as_ref()
                .unwrap()
                .iter()
                .enumerate()
            {
                u[k] += x / steady.len() as f64;
            }
        }
        u
    };
    // Below saturation, each shard's share of the work is its share of the requests.
    let u = shard_util(400.0);
    let share = u[hot_shard] / u.iter().sum::<f64>();
    let expected = f + (1.0 - f) / 4.0;
    println!("hot shard share of load {share:.3}, expected {expected:.3} (utilizations {u:?})");
    assert!(rel(share, expected) < 0.05);
    // At 800 requests/s the celebrity's shard saturates while the others idle along.
    let u = shard_util(800.0);
    println!("at 800 rps: {u:?}");
    assert!(u[hot_shard] > 0.95);
    assert!((0..4).filter(|&k| k != hot_shard).all(|k| u[k] < 0.6));
}

#[test]
fn resharding_adds_background_load_until_it_ends() {
    let (_, w) = run(&preset("12-sharding.json"));
    let util = |i: usize| comp(&w[i], "shards").utilization;
    let shards = |i: usize| comp(&w[i], "shards").instances;
    println!(
        "shards util at 25, 35, 80 s: {:.3} {:.3} {:.3}; instances {} {}",
        util(25),
        util(35),
        util(80),
        shards(25),
        shards(80)
    );
    assert_eq!(shards(25), 4);
    assert_eq!(shards(80), 8);
    // During migration (30 s to 50 s at 1,000 keys/s for 20,000 keys) the new shards carry moved keys and migration work.
    let hot_before = comp(&w[25], "shards").instance_utilization.clone().unwrap();
    let later = comp(&w[80], "shards").instance_utilization.clone().unwrap();
    let max_before = hot_before.iter().cloned().fold(0.0, f64::max);
    let max_after = later.iter().cloned().fold(0.0, f64::max);
    assert!(max_after < max_before, "8 shards spread the load thinner");
}

#[test]
fn same_seed_same_digest_other_seed_differs() {
    for (name, _) in scalelab_sim::presets::ALL {
        let mut s = preset(name);
        s.duration_s = s.duration_s.min(5.0);
        let digest = |s: &Scenario| {
            let mut sim = Simulation::new(s).unwrap();
            sim.advance_ms((s.duration_s * 1000.0) as u64);
            sim.digest()
        };
        let a = digest(&s);
        assert_eq!(a, digest(&s), "{name}");
        s.seed += 1;
        assert_ne!(a, digest(&s), "{name}: another seed gives other metrics");
    }
}

#[test]
fn timeout_counts_at_the_deadline_and_the_work_still_runs() {
    // An overloaded single core with a 100 ms timeout: requests time out, and the
    // server stays busy with their wasted work.
    let mut s = mmc(150.0, InstanceSize::Small, 10.0, 9, 20.0);
    if let ComponentSpec::Users(u) = spec_mut(&mut s, "users") {
        u.client_timeout_ms = 100.0;
    }
    let (sum, _) = run(&s);
    assert!(sum.errors.timeout > 0);
    assert!(
        sum.latency_ms_max <= 100.0 + 1.0,
        "no success is slower than the timeout"
    );
    assert!(
        sum.components[1].utilization > 0.99,
        "the server keeps doing the work"
    );
    let _ = Distribution::Constant { mean_ms: 1.0 };
}
