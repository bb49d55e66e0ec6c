//! Runs one built-in scenario for a while and prints events per second of wall time
//! (a profiling target: `perf record cargo run --release --example profile -- 13-millions-of-users.json 20`).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args
        .get(1)
        .map(String::as_str)
        .unwrap_or("13-millions-of-users.json");
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let Some(s) = scalelab_sim::presets::by_name(name) else {
        eprintln!("no preset {name}");
        std::process::exit(2);
    };
    let Ok(mut sim) = scalelab_sim::Simulation::new(&s) else {
        std::process::exit(2)
    };
    let t0 = std::time::Instant::now();
    sim.advance_ms(secs * 1000);
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{name}: {} events in {dt:.2} s = {:.2} M events/s; {:.1}x real time",
        sim.events_processed(),
        sim.events_processed() as f64 / dt / 1e6,
        secs as f64 / dt
    );
}
