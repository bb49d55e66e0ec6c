//! `scalelab cost`: a design's monthly bill as a text table.

use scalelab_sim::cost::{size_curve, CostBreakdown, Prices};

/// The bill: one row per line, the total, the cost per million requests and
/// the size ladder's price curve.
pub fn table(b: &CostBreakdown, prices: &Prices) -> String {
    let mut out = format!(
        "{:<16} {:<22} {:>16} {:<18} {:>12} {:>12}\n",
        "component", "item", "quantity", "unit", "unit USD", "USD/month"
    );
    for l in &b.lines {
        let item = serde_json::to_value(l.item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<16} {:<22} {:>16.3} {:<18} {:>12.4} {:>12.2}\n",
            l.component, item, l.quantity, l.unit, l.unit_usd, l.usd_per_month
        ));
    }
    out.push_str(&format!(
        "total: {:.2} USD/month at {:.1} requests/s",
        b.cost_usd_per_month, b.offered_rps
    ));
    match b.cost_usd_per_million_requests {
        Some(m) => out.push_str(&format!(" = {m:.4} USD per million requests\n")),
        None => out.push('\n'),
    }
    out.push_str(&format!(
        "prices: {} (as of {})\n\nsize ladder (vertical scaling):\n{:<8} {:>5} {:>6} {:>9} {:>11} {:>14}\n",
        b.prices_source, b.prices_as_of, "size", "cores", "speed", "capacity", "USD/month", "USD/capacity"
    ));
    for r in size_curve(prices) {
        let name = serde_json::to_value(r.size)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<8} {:>5} {:>6.2} {:>9.2} {:>11.2} {:>14.2}{}\n",
            name,
            r.cores,
            r.speed,
            r.capacity,
            r.usd_per_month,
            r.usd_per_month_per_capacity,
            if r.ceiling { "  <- ceiling" } else { "" }
        ));
    }
    out
}

/// `scalelab challenge CARD [FILE]`: the score of FILE, or of the card's
/// start and reference designs.
pub fn challenge(
    card_path: &std::path::Path,
    file: Option<&std::path::Path>,
    json: bool,
) -> Result<String, crate::load::InputError> {
    use crate::load::{describe, load, InputError};
    use scalelab_challenges::{score, Card};
    let text = std::fs::read_to_string(card_path)
        .map_err(|e| InputError(format!("{}: {e}", card_path.display())))?;
    let card =
        Card::from_json(&text).map_err(|e| InputError(format!("{}: {e}", card_path.display())))?;
    let designs = match file {
        Some(f) => vec![(f.display().to_string(), load(f)?)],
        None => vec![
            ("start".to_string(), card.start.clone()),
            ("reference".to_string(), card.reference.clone()),
        ],
    };
    let mut scores = Vec::new();
    for (name, design) in designs {
        let s = score(&card, &design).map_err(|e| match file {
            Some(f) => describe(f, &e),
            None => InputError(format!("{}: {name} design: {e}", card_path.display())),
        })?;
        scores.push((name, s));
    }
    if json {
        let v: Vec<serde_json::Value> = scores
            .iter()
            .map(|(n, s)| serde_json::json!({ "design": n, "score": s }))
            .collect();
        return Ok(crate::report::to_json(&v));
    }
    let mut out = format!("{}\n{}\n", card.title.en, card.brief.en);
    for (name, s) in &scores {
        out.push_str(&format!(
            "\n{name}: {}\n",
            if s.passed { "PASSED" } else { "FAILED" }
        ));
        for l in &s.lines {
            out.push_str(&format!(
                "  [{}] {:<58} measured {}\n",
                if l.met { "met" } else { "MISSED" },
                l.requirement,
                l.measured_text
            ));
        }
        out.push_str(&format!(
            "  cost {:.2} USD/month, {} USD per million requests\n",
            s.cost_usd_per_month,
            s.cost_usd_per_million_requests
                .map_or("-".to_string(), |m| format!("{m:.4}"))
        ));
    }
    Ok(out)
}
