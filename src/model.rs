//! Pure design helpers: new components with sensible defaults, connection
//! checks against the core, deletion, default layout, loading and sharing
//! designs (deflate + URL-safe base64). No web-sys here: tested natively.

use scalelab_sim::scenario::{ComponentSpec, Edge};
use scalelab_sim::{Component, Scenario, SimError, SCENARIO_VERSION};

use crate::components::icons::Kind;

/// Width of a node on the canvas (canvas units).
pub const NODE_W: f64 = 140.0;
/// Height of a node on the canvas.
pub const NODE_H: f64 = 66.0;
/// Grid pitch nodes snap to.
pub const GRID: f64 = 20.0;
/// Height of a data-center frame's title strip.
pub const DC_HEAD: f64 = 28.0;
/// Padding between a data-center frame and its members.
pub const DC_PAD: f64 = 14.0;

/// Stage 1 (users → one web server), the design the page starts from when
/// nothing is saved. The only chapter scenario in the wasm: the others are
/// fetched from `dist/scenarios/` when picked from the menu.
pub fn single_server() -> Scenario {
    Scenario::from_json(include_str!("../scenarios/01-single-server.json"))
        .unwrap_or_else(|_| empty_scenario())
}

/// An empty design (the menu's "empty canvas").
pub fn empty_scenario() -> Scenario {
    Scenario {
        version: SCENARIO_VERSION,
        name: "My design".into(),
        description: String::new(),
        seed: 1,
        duration_s: 60.0,
        window_ms: 1000,
        slo: Default::default(),
        workload: Default::default(),
        network: Default::default(),
        components: Vec::new(),
        edges: Vec::new(),
        timeline: Vec::new(),
        prices: None,
    }
}

/// The kind of a component spec.
pub fn kind_of(spec: &ComponentSpec) -> Kind {
    use ComponentSpec as C;
    match spec {
        C::Users(_) => Kind::Users,
        C::Dns(_) => Kind::Dns,
        C::Cdn(_) => Kind::Cdn,
        C::LoadBalancer(_) => Kind::LoadBalancer,
        C::WebTier(_) => Kind::WebTier,
        C::SessionStore(_) => Kind::SessionStore,
        C::Cache(_) => Kind::Cache,
        C::Database(_) => Kind::Database,
        C::ShardedDatabase(_) => Kind::ShardedDb,
        C::MessageQueue(_) => Kind::MessageQueue,
        C::Workers(_) => Kind::Workers,
        C::DataCenter(_) => Kind::DataCenter,
        C::Autoscaler(_) => Kind::Autoscaler,
    }
}

/// The file name of a kind (`web_tier`…), also the id prefix of new components.
pub fn kind_file_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Users => "users",
        Kind::Dns => "dns",
        Kind::Cdn => "cdn",
        Kind::LoadBalancer => "load_balancer",
        Kind::WebTier => "web_tier",
        Kind::SessionStore => "session_store",
        Kind::Cache => "cache",
        Kind::Database => "database",
        Kind::ShardedDb => "sharded_database",
        Kind::MessageQueue => "message_queue",
        Kind::Workers => "workers",
        Kind::DataCenter => "data_center",
        Kind::Autoscaler => "autoscaler",
    }
}

fn id_prefix(kind: Kind) -> &'static str {
    match kind {
        Kind::Users => "users",
        Kind::Dns => "dns",
        Kind::Cdn => "cdn",
        Kind::LoadBalancer => "lb",
        Kind::WebTier => "web",
        Kind::SessionStore => "sessions",
        Kind::Cache => "cache",
        Kind::Database => "db",
        Kind::ShardedDb => "shards",
        Kind::MessageQueue => "queue",
        Kind::Workers => "workers",
        Kind::DataCenter => "dc",
        Kind::Autoscaler => "autoscaler",
    }
}

/// A fresh, unused id for a component of `kind` (`web`, `web-2`, …).
pub fn fresh_id(s: &Scenario, kind: Kind) -> String {
    let base = id_prefix(kind);
    if s.component(base).is_none() {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| s.component(id).is_none())
        .unwrap_or_else(|| base.to_string())
}

/// The spec a new component of `kind` gets: the format's defaults, plus
/// figures that make a first design run (200 users × 1 rps, a cache of 1,000 keys…).
pub fn default_spec(kind: Kind, s: &Scenario) -> ComponentSpec {
    let json = match kind {
        Kind::Users => r#"{"kind":"users","users":200,"requests_per_user_per_s":1}"#.to_string(),
        Kind::Cache => r#"{"kind":"cache","capacity_keys":1000}"#.to_string(),
        Kind::ShardedDb => r#"{"kind":"sharded_database","shards":4}"#.to_string(),
        Kind::DataCenter => {
            let used: Vec<&str> = s
                .components
                .iter()
                .filter_map(|c| match &c.spec {
                    ComponentSpec::DataCenter(d) => Some(d.region.as_str()),
                    _ => None,
                })
                .collect();
            let region = ["us-east", "us-west", "eu-west", "ap-northeast"]
                .into_iter()
                .find(|r| !used.contains(r))
                .unwrap_or("region");
            format!(r#"{{"kind":"data_center","region":"{region}"}}"#)
        }
        Kind::Autoscaler => {
            let target = s
                .components
                .iter()
                .find(|c| {
                    matches!(
                        c.spec,
                        ComponentSpec::WebTier(_) | ComponentSpec::Workers(_)
                    )
                })
                .map_or(String::new(), |c| c.id.clone());
            format!(r#"{{"kind":"autoscaler","target":{target:?}}}"#)
        }
        other => format!(r#"{{"kind":"{}"}}"#, kind_file_name(other)),
    };
    // Every string above is a valid spec; fall back to a web tier if the format changes.
    serde_json::from_str(&json).unwrap_or(ComponentSpec::Dns(scalelab_sim::scenario::DnsSpec {
        ttl_s: 60.0,
    }))
}

/// Snap a coordinate to the grid.
pub fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

/// Canvas position of a component: its own, or a default slot by index.
pub fn pos_of(s: &Scenario, i: usize) -> (f64, f64) {
    s.components[i].pos.unwrap_or_else(|| {
        let col = (i % 5) as f64;
        let row = (i / 5) as f64;
        (40.0 + col * 180.0, 60.0 + row * 120.0)
    })
}

/// The rectangle (x, y, w, h) of a data center's frame: around its members,
/// or a default box at its own position when it has none.
pub fn dc_frame(s: &Scenario, dc_index: usize) -> (f64, f64, f64, f64) {
    let id = &s.components[dc_index].id;
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    for (i, c) in s.components.iter().enumerate() {
        if c.dc.as_deref() == Some(id.as_str()) && i != dc_index {
            let (x, y) = pos_of(s, i);
            bounds = Some(match bounds {
                None => (x, y, x + NODE_W, y + NODE_H),
                Some((a, b, c2, d)) => (a.min(x), b.min(y), c2.max(x + NODE_W), d.max(y + NODE_H)),
            });
        }
    }
    match bounds {
        Some((x0, y0, x1, y1)) => (
            x0 - DC_PAD,
            y0 - DC_PAD - DC_HEAD,
            x1 - x0 + 2.0 * DC_PAD,
            y1 - y0 + 2.0 * DC_PAD + DC_HEAD,
        ),
        None => {
            let (x, y) = pos_of(s, dc_index);
            (x, y, 260.0, 150.0)
        }
    }
}

/// Which kinds may send requests to which: the core's rule.
pub use scalelab_sim::scenario::edge_allowed;

/// Whether a validation error is about one edge (so a new edge that causes it is refused).
fn is_edge_error(e: &SimError) -> bool {
    match e {
        SimError::Topology { reason, .. } => {
            reason.contains("cannot send requests")
                || reason.contains("cycle")
                || reason.contains("two edges")
                || reason.contains("to itself")
        }
        _ => false,
    }
}

/// The design with an edge `from → to` added, or the learner-readable reason it is refused.
pub fn connect(s: &Scenario, from: &str, to: &str) -> Result<Scenario, String> {
    let (Some(f), Some(t)) = (s.component(from), s.component(to)) else {
        return Err("that component no longer exists".into());
    };
    if from == to {
        return Err("a component cannot send requests to itself".into());
    }
    if s.edges.iter().any(|e| e.from == from && e.to == to) {
        return Err(format!("'{from}' is already connected to '{to}'"));
    }
    if !edge_allowed(&f.spec, &t.spec) {
        let why = if edge_allowed(&t.spec, &f.spec) {
            "requests flow the other way (drag from the other component's output port)"
        } else {
            "these kinds cannot be connected"
        };
        return Err(format!(
            "{} cannot send requests to {}: {why}",
            f.spec.kind_phrase(),
            t.spec.kind_phrase()
        ));
    }
    let mut next = s.clone();
    next.edges.push(Edge {
        from: from.into(),
        to: to.into(),
        latency_ms: None,
    });
    if let Err(e) = next.validate() {
        if is_edge_error(&e) {
            return Err(e.to_string());
        }
    }
    Ok(next)
}

/// The design without the components `ids`, their edges, their timeline actions
/// and their data-center memberships.
pub fn delete(s: &Scenario, ids: &[String]) -> Scenario {
    let gone = |id: &str| ids.iter().any(|x| x == id);
    let mut next = s.clone();
    next.components.retain(|c| !gone(&c.id));
    next.edges.retain(|e| !gone(&e.from) && !gone(&e.to));
    next.timeline.retain(|a| !gone(a.action.component()));
    for c in &mut next.components {
        if c.dc.as_deref().is_some_and(gone) {
            c.dc = None;
        }
    }
    next
}

/// Deletes one edge.
pub fn delete_edge(s: &Scenario, from: &str, to: &str) -> Scenario {
    let mut next = s.clone();
    next.edges.retain(|e| !(e.from == from && e.to == to));
    next
}

/// Whether `candidate` adds an invalid-parameter error the current design did not have.
/// Incomplete designs (topology errors) are allowed: the learner is still building.
pub fn parameter_error(current: &Scenario, candidate: &Scenario) -> Option<SimError> {
    match candidate.validate() {
        Err(e @ (SimError::Invalid { .. } | SimError::Version { .. } | SimError::Parse { .. })) => {
            match current.validate() {
                Err(old) if old == e => None,
                _ => Some(e),
            }
        }
        _ => None,
    }
}

/// Reads a scenario from JSON text. A design that is still incomplete (a
/// topology problem) loads, so the learner can finish it; anything else (not
/// JSON, not a scenario, a newer version, an invalid parameter) is refused
/// with the core's message.
pub fn load_design(text: &str) -> Result<Scenario, SimError> {
    match Scenario::from_json(text) {
        Ok(s) => Ok(s),
        Err(e @ SimError::Topology { .. }) => serde_json::from_str::<Scenario>(text).map_err(|_| e),
        Err(e) => Err(e),
    }
}

/// JSON of a design (for share links and storage). The pretty form is the
/// one the core writes; using it everywhere keeps one serializer in the wasm.
pub fn to_compact_json(s: &Scenario) -> String {
    s.to_json()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding.
pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for k in 0..chars {
            out.push(char::from(B64[((n >> (18 - 6 * k)) & 63) as usize]));
        }
    }
    out
}

/// Decodes URL-safe (or standard) base64, padding optional.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * k);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Some(out)
}

/// The URL hash fragment (without `#`) that encodes a whole design.
pub fn share_fragment(s: &Scenario) -> String {
    let json = to_compact_json(s);
    let packed = crate::deflate::compress(json.as_bytes());
    format!("s={}", b64_encode(&packed))
}

/// The share fragment of a comparison: A as in [`share_fragment`], then
/// `&b=…` for design B (links without it open A alone, as before).
pub fn share_fragment_ab(a: &Scenario, b: Option<&Scenario>) -> String {
    let mut f = share_fragment(a);
    if let Some(b) = b {
        f.push_str("&b");
        f.push_str(&share_fragment(b)[1..]);
    }
    f
}

/// Design B of a comparison link (`&b=…`), if the link has one.
pub fn b_from_share_fragment(fragment: &str) -> Option<Result<Scenario, String>> {
    let data = fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix("b="))?;
    Some(decode_design(data))
}

/// Reads a design from a share fragment (`s=…`, with or without `#`).
pub fn from_share_fragment(fragment: &str) -> Result<Scenario, String> {
    let f = fragment.trim_start_matches('#');
    let data = f
        .split('&')
        .find_map(|kv| kv.strip_prefix("s="))
        .ok_or_else(|| "the link holds no design".to_string())?;
    decode_design(data)
}

fn decode_design(data: &str) -> Result<Scenario, String> {
    let bytes = b64_decode(data)
        .ok_or_else(|| "the share link is damaged: it is not valid base64".to_string())?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, 4 << 20)
        .map_err(|_| "the share link is damaged: its data does not decompress".to_string())?;
    let text = String::from_utf8(raw)
        .map_err(|_| "the share link is damaged: its data is not text".to_string())?;
    load_design(&text).map_err(|e| format!("the share link does not hold a usable design: {e}"))
}

/// A component of `kind` with defaults, placed at `pos`.
pub fn new_component(s: &Scenario, kind: Kind, pos: (f64, f64), label: String) -> Component {
    Component {
        id: fresh_id(s, kind),
        label,
        dc: None,
        pos: Some((snap(pos.0), snap(pos.1))),
        spec: default_spec(kind, s),
    }
}

/// The data center whose frame contains the point, if the kind may join one.
pub fn dc_at(s: &Scenario, p: (f64, f64), kind: Kind) -> Option<String> {
    if matches!(kind, Kind::Users | Kind::Cdn | Kind::DataCenter) {
        return None;
    }
    s.components
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.spec, ComponentSpec::DataCenter(_)))
        .find(|(i, _)| {
            let (x, y, w, h) = dc_frame(s, *i);
            p.0 >= x && p.0 <= x + w && p.1 >= y && p.1 <= y + h
        })
        .map(|(_, c)| c.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_valid_default() {
        let mut s = empty_scenario();
        for (i, kind) in Kind::ALL.iter().enumerate() {
            let c = new_component(&s, *kind, (i as f64 * 10.0, 0.0), String::new());
            assert_eq!(kind_of(&c.spec), *kind);
            s.components.push(c);
        }
        // Parameters are all valid: only topology problems remain.
        match s.validate() {
            Err(SimError::Topology { .. }) | Err(SimError::Invalid { .. }) | Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
        let mut t = empty_scenario();
        for kind in Kind::ALL {
            if kind == Kind::Autoscaler {
                continue;
            }
            t.components
                .push(new_component(&t, kind, (0.0, 0.0), String::new()));
        }
        assert!(
            matches!(t.validate(), Err(SimError::Topology { .. })),
            "{:?}",
            t.validate()
        );
    }

    #[test]
    fn connections_follow_the_core() {
        let mut s = empty_scenario();
        for k in [
            Kind::Users,
            Kind::LoadBalancer,
            Kind::WebTier,
            Kind::Database,
        ] {
            s.components
                .push(new_component(&s, k, (0.0, 0.0), String::new()));
        }
        let err = connect(&s, "lb", "db").expect_err("lb → db refused");
        assert!(
            err.contains("a load balancer cannot send requests to a database"),
            "{err}"
        );
        let err = connect(&s, "web", "lb").expect_err("backwards refused");
        assert!(err.contains("other way"), "{err}");
        let s = connect(&s, "users", "lb").expect("ok");
        let s = connect(&s, "lb", "web").expect("ok");
        let s = connect(&s, "web", "db").expect("ok");
        s.validate().expect("the design runs");
        assert!(connect(&s, "users", "lb").is_err(), "duplicate refused");
        let d = delete(&s, &["web".into()]);
        assert_eq!(d.edges.len(), 1);
    }

    #[test]
    fn the_start_design_is_stage_one() {
        assert_eq!(single_server(), scalelab_sim::presets::single_server());
    }

    #[test]
    fn share_links_round_trip_and_reject_damage() {
        for (name, text) in scalelab_sim::presets::ALL {
            let s = Scenario::from_json(text).expect(name);
            let f = share_fragment(&s);
            assert_eq!(from_share_fragment(&f).expect(name), s);
        }
        assert!(from_share_fragment("s=AAAA").is_err());
        assert!(from_share_fragment("s=%%%").is_err());
        assert!(from_share_fragment("nothing").is_err());
        // A comparison link: A opens as before, B is the extra `b=`.
        let a = single_server();
        let mut b = single_server();
        b.seed += 1;
        let f = share_fragment_ab(&a, Some(&b));
        assert_eq!(from_share_fragment(&f).expect("a"), a);
        assert_eq!(b_from_share_fragment(&f).expect("has b").expect("b"), b);
        assert!(b_from_share_fragment(&share_fragment(&a)).is_none());
        // A damaged B (not base64) is an error, not a silent A-only link.
        assert!(b_from_share_fragment(&f.replace("b=", "b=%%"))
            .expect("has b")
            .is_err());
        let bogus = format!(
            "s={}",
            b64_encode(&crate::deflate::compress(b"{\"version\":99}"))
        );
        let e = from_share_fragment(&bogus).expect_err("newer version");
        assert!(e.contains("version 99"), "{e}");
        for data in [&b""[..], b"a", b"ab", b"abc", b"abcd", b"\xff\x00\x10"] {
            assert_eq!(b64_decode(&b64_encode(data)).as_deref(), Some(data));
        }
    }

    #[test]
    fn incomplete_designs_load_but_bad_parameters_do_not() {
        let mut s = empty_scenario();
        s.components
            .push(new_component(&s, Kind::WebTier, (0.0, 0.0), String::new()));
        let text = s.to_json();
        assert!(load_design(&text).is_ok());
        let bad = text.replace("\"instances\": 1", "\"instances\": 0");
        assert!(load_design(&bad).is_err());
        assert!(load_design("[1,2]").is_err());
        let mut c = s.clone();
        if let ComponentSpec::WebTier(w) = &mut c.components[0].spec {
            w.instances = 0;
        }
        assert!(parameter_error(&s, &c).is_some());
    }
}
