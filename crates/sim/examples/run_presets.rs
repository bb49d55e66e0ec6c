//! Runs every built-in scenario and prints its summary line (a quick look while developing).
//! `cargo run --release -p scalelab-sim --example run_presets`

fn main() {
    for (name, text) in scalelab_sim::presets::ALL {
        match scalelab_sim::Scenario::from_json(text) {
            Ok(s) => match scalelab_sim::Simulation::new(&s) {
                Ok(mut sim) => {
                    let sum = sim.run_to_end();
                    println!(
                        "{name}: p50 {:.1} p99 {:.1} ms, {:.0} rps, avail {:.4}, errors {:?}, lost {} stale {}, events {}",
                        sum.latency_ms_p50, sum.latency_ms_p99, sum.throughput_rps, sum.availability,
                        sum.errors.iter().filter(|(_, n)| *n > 0).collect::<Vec<_>>(), sum.lost_writes, sum.stale_reads, sim.events_processed()
                    );
                    for c in &sum.components {
                        println!("    {:<14} util {:.2} L {:.2} λ {:.0} W {:.2} ms hit {:?} lag {:?} backlog {:?}", c.id, c.utilization, c.in_system_mean, c.arrivals_rps, c.sojourn_ms_mean, c.hit_ratio, c.replication_lag_ms, c.backlog_max);
                    }
                }
                Err(e) => println!("{name}: {e}"),
            },
            Err(e) => println!("{name}: {e}"),
        }
    }
}
