//! The inspector: the selected component's parameters (sliders + numeric
//! fields with units, validated: a bad value shows a message and the design
//! keeps its value), its mini charts from the window history, and fail /
//! recover buttons that act on the running simulation.

use std::rc::Rc;

use scalelab_sim::cost::{
    size_curve, PriceField, Prices, PRICES_AS_OF, PRICES_SOURCE, PRICE_FIELDS,
};
use scalelab_sim::dist::Distribution;
use scalelab_sim::scenario::{
    Algorithm, ComponentSpec, DbProfile, Eviction, LoadShape, Sessions, ShardKey,
};
use scalelab_sim::sizes::InstanceSize;
use scalelab_sim::{Component, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::icons::icon;
use crate::i18n::{use_tr, Tr};
use crate::model::kind_of;
use crate::state::{format_latency, format_number, parse_number, History, NumError, Prediction};

type C = ComponentSpec;

/// A numeric parameter.
#[derive(Clone, Copy)]
struct NumField {
    /// Field id (also the i18n key `f.<id>` and the element id `f-<id>`).
    id: &'static str,
    unit: &'static str,
    min: f64,
    max: f64,
    /// Upper end of the slider (the field accepts up to `max`).
    slider_max: f64,
    integer: bool,
    log: bool,
    /// Writes the value if one is given, then reads it (one function per field keeps the wasm small).
    at: fn(&mut C, Option<f64>) -> f64,
    /// For a service time: the distribution whose mean this is (kind and cv are edited next to it).
    dist: Option<DistField>,
}

impl NumField {
    fn get(&self, spec: &C) -> f64 {
        (self.at)(&mut spec.clone(), None)
    }

    fn set(&self, spec: &mut C, v: f64) {
        (self.at)(spec, Some(v));
    }
}

/// The shape of a service-time distribution, edited next to its mean.
#[derive(Clone, Copy)]
struct DistField {
    /// Id of the kind `<select>` (`<field id>_dist`).
    kind_id: &'static str,
    /// Id of the log-normal `cv` field (`<field id>_cv`).
    cv_id: &'static str,
    /// The distribution in the component.
    at: fn(&mut C) -> Option<&mut Distribution>,
}

/// A [`NumField`] bound to one field of one component kind:
/// `num!(id, unit, min, max, slider_max, Kind.path.to.field: conv [log])`.
/// `conv` says how the stored value maps to the number shown: `u64` / `u32`
/// (whole numbers), `f64` (as is), `pct` (a share shown in %), `mean` (the
/// mean of a distribution, its shape kept), `svc` (a service time: its mean,
/// with the distribution's kind and cv edited next to it); `log` makes the
/// slider logarithmic. `Users.load(Step | Spike).at_s: f64` is a parameter of
/// the users' load shape, read and written only while it has one of those shapes.
macro_rules! num {
    (@int u64) => { true };
    (@int u32) => { true };
    (@int $other:ident) => { false };
    (@log log) => { true };
    (@get u64 $e:expr) => { $e as f64 };
    (@get u32 $e:expr) => { f64::from($e) };
    (@get f64 $e:expr) => { $e };
    (@get pct $e:expr) => { $e * 100.0 };
    (@get mean $e:expr) => { $e.mean_ms() };
    (@get svc $e:expr) => { $e.mean_ms() };
    (@set u64 $p:expr, $v:expr) => { $p = $v as u64 };
    (@set u32 $p:expr, $v:expr) => { $p = $v as u32 };
    (@set f64 $p:expr, $v:expr) => { $p = $v };
    (@set pct $p:expr, $v:expr) => { $p = $v / 100.0 };
    (@set mean $p:expr, $v:expr) => { $p = with_mean(&$p, $v) };
    (@set svc $p:expr, $v:expr) => { $p = with_mean(&$p, $v) };
    (@dist $id:literal, $kind:ident, svc, $($f:ident).+) => {
        Some(DistField {
            kind_id: concat!($id, "_dist"),
            cv_id: concat!($id, "_cv"),
            at: |s| match s {
                C::$kind(x) => Some(&mut x.$($f).+),
                _ => None,
            },
        })
    };
    (@dist $id:literal, $kind:ident, $other:ident, $($f:ident).+) => { None };
    ($id:literal, $unit:literal, $min:expr, $max:expr, $slider:expr,
     Users.load($($shape:ident)|+).$f:ident : $conv:ident $($log:ident)?) => {
        NumField {
            id: $id,
            unit: $unit,
            min: $min,
            max: $max,
            slider_max: $slider,
            integer: false,
            log: false $(|| num!(@log $log))?,
            at: |s, v| match s {
                C::Users(u) => match &mut u.load {
                    $(LoadShape::$shape { $f, .. })|+ => {
                        if let Some(v) = v {
                            num!(@set $conv *$f, v);
                        }
                        num!(@get $conv *$f)
                    }
                    _ => 0.0,
                },
                _ => 0.0,
            },
            dist: None,
        }
    };
    ($id:literal, $unit:literal, $min:expr, $max:expr, $slider:expr,
     $kind:ident . $($f:ident).+ : $conv:ident $($log:ident)?) => {
        NumField {
            id: $id,
            unit: $unit,
            min: $min,
            max: $max,
            slider_max: $slider,
            integer: num!(@int $conv),
            log: false $(|| num!(@log $log))?,
            at: |s, v| match s {
                C::$kind(x) => {
                    if let Some(v) = v {
                        num!(@set $conv x.$($f).+, v);
                    }
                    num!(@get $conv x.$($f).+)
                }
                _ => 0.0,
            },
            dist: num!(@dist $id, $kind, $conv, $($f).+),
        }
    };
}

fn with_mean(d: &Distribution, mean: f64) -> Distribution {
    match *d {
        Distribution::Constant { .. } => Distribution::Constant { mean_ms: mean },
        Distribution::Exponential { .. } => Distribution::Exponential { mean_ms: mean },
        Distribution::LogNormal { cv, .. } => Distribution::LogNormal { mean_ms: mean, cv },
    }
}

/// A field of the design's SLO or prices (read and written by the overview, not a component).
const fn slo_field(id: &'static str, unit: &'static str, max: f64, slider_max: f64) -> NumField {
    NumField {
        id,
        unit,
        min: 0.0,
        max,
        slider_max,
        integer: false,
        log: false,
        at: |_, _| 0.0,
        dist: None,
    }
}

const SLO_A: NumField = slo_field("slo_availability", "%", 100.0, 100.0);
const SLO_P99: NumField = slo_field("slo_p99", "ms", 3.6e6, 2000.0);
/// A log-normal's coefficient of variation: the core accepts (0, 10]; below
/// 0.1 it is a constant in all but name, and the slider's lowest step is 0.1.
const CV: NumField = NumField {
    min: 0.1,
    ..slo_field("cv", "", 10.0, 5.0)
};
/// The cv a distribution gets when it becomes log-normal.
const CV_DEFAULT: f64 = 1.5;

/// The kinds of service-time distribution, as `<select>` values.
const DIST_KINDS: [&str; 3] = ["constant", "exponential", "log_normal"];

fn dist_kind(d: &Distribution) -> &'static str {
    match d {
        Distribution::Constant { .. } => "constant",
        Distribution::Exponential { .. } => "exponential",
        Distribution::LogNormal { .. } => "log_normal",
    }
}

/// `d` as another kind, with the same mean (a log-normal keeps its cv).
fn with_kind(d: &Distribution, kind: &str) -> Distribution {
    let mean_ms = d.mean_ms();
    match (kind, *d) {
        ("constant", _) => Distribution::Constant { mean_ms },
        ("exponential", _) => Distribution::Exponential { mean_ms },
        (_, Distribution::LogNormal { cv, .. }) => Distribution::LogNormal { mean_ms, cv },
        _ => Distribution::LogNormal {
            mean_ms,
            cv: CV_DEFAULT,
        },
    }
}

/// The users' load shapes, as `<select>` values.
const LOAD_SHAPES: [&str; 4] = ["constant", "step", "spike", "diurnal"];

fn load_name(l: &LoadShape) -> &'static str {
    match l {
        LoadShape::Constant => "constant",
        LoadShape::Step { .. } => "step",
        LoadShape::Spike { .. } => "spike",
        LoadShape::Diurnal { .. } => "diurnal",
    }
}

/// A new load shape of the named kind, with parameters that show it in a short run.
fn default_load(name: &str) -> LoadShape {
    match name {
        "step" => LoadShape::Step {
            at_s: 10.0,
            factor: 2.0,
        },
        "spike" => LoadShape::Spike {
            at_s: 10.0,
            duration_s: 10.0,
            factor: 3.0,
        },
        "diurnal" => LoadShape::Diurnal {
            period_s: 120.0,
            amplitude: 0.3,
        },
        _ => LoadShape::Constant,
    }
}

/// The parameters of the users' load shape, within the core's limits
/// (times up to a day, factor 0 … 100, amplitude 0 … 0.99).
#[rustfmt::skip]
fn load_fields(load: &LoadShape) -> Vec<NumField> {
    let at = num!("load_at", "s", 0.0, 86_400.0, 300.0, Users.load(Step | Spike).at_s: f64);
    let duration = num!("load_duration", "s", 0.0, 86_400.0, 300.0, Users.load(Spike).duration_s: f64);
    let factor = num!("load_factor", "×", 0.0, 100.0, 10.0, Users.load(Step | Spike).factor: f64);
    let period = num!("load_period", "s", 1.0, 86_400.0, 86_400.0, Users.load(Diurnal).period_s: f64 log);
    let amplitude = num!("load_amplitude", "%", 0.0, 99.0, 99.0, Users.load(Diurnal).amplitude: pct);
    match load {
        LoadShape::Constant => vec![],
        LoadShape::Step { .. } => vec![at, factor],
        LoadShape::Spike { .. } => vec![at, duration, factor],
        LoadShape::Diurnal { .. } => vec![period, amplitude],
    }
}

/// The value of numeric field `id` (the inspector's field ids) of `spec`, if it has one.
pub(crate) fn field_value(spec: &C, id: &str) -> Option<f64> {
    num_fields(spec)
        .into_iter()
        .find(|f| f.id == id)
        .map(|f| f.get(spec))
}

#[rustfmt::skip]
fn num_fields(spec: &C) -> Vec<NumField> {
    match spec {
        C::Users(_) => vec![
            num!("users",            "",   0.0,  1e7,      1e7,      Users.users: u64 log),
            num!("rate",             "/s", 0.0,  1000.0,   10.0,     Users.requests_per_user_per_s: f64),
            num!("mix_static",       "%",  0.0,  100.0,    100.0,    Users.mix.static_share: pct),
            num!("mix_read",         "%",  0.0,  100.0,    100.0,    Users.mix.read: pct),
            num!("mix_write",        "%",  0.0,  100.0,    100.0,    Users.mix.write: pct),
            num!("mix_async",        "%",  0.0,  100.0,    100.0,    Users.mix.async_share: pct),
            num!("timeout",          "ms", 0.0,  3.6e6,    10_000.0, Users.client_timeout_ms: f64),
            num!("retries",          "",   0.0,  10.0,     10.0,     Users.retries: u32),
        ],
        C::Dns(_) => vec![
            num!("dns_ttl",          "s",  0.0,  86_400.0, 600.0,    Dns.ttl_s: f64),
        ],
        C::Cdn(_) => vec![
            num!("capacity_objects", "",   1.0,  2e6,      1e5,      Cdn.capacity_objects: u64 log),
            num!("ttl",              "s",  0.0,  3.15e7,   86_400.0, Cdn.ttl_s: f64),
            num!("edge_latency",     "ms", 0.0,  10_000.0, 100.0,    Cdn.edge_latency_ms: f64),
            num!("origin_latency",   "ms", 0.0,  10_000.0, 300.0,    Cdn.origin_latency_ms: f64),
        ],
        C::LoadBalancer(_) => vec![
            num!("hc_interval",      "ms", 10.0, 3.6e6,    10_000.0, LoadBalancer.health_check.interval_ms: f64),
            num!("hc_threshold",     "",   1.0,  100.0,    10.0,     LoadBalancer.health_check.threshold: u32),
            num!("hc_rise",          "",   1.0,  100.0,    10.0,     LoadBalancer.health_check.rise: u32),
        ],
        C::WebTier(_) => vec![
            num!("instances",        "",   1.0,  1000.0,   20.0,     WebTier.instances: u32),
            num!("service",          "ms", 0.0,  1e6,      200.0,    WebTier.service: svc),
            num!("queue",            "",   0.0,  1e6,      2000.0,   WebTier.queue_capacity: u32),
            num!("boot",             "s",  0.0,  3600.0,   120.0,    WebTier.boot_s: f64),
        ],
        C::SessionStore(_) => vec![
            num!("instances",        "",   1.0,  1000.0,   20.0,     SessionStore.instances: u32),
            num!("service",          "ms", 0.0,  1e6,      20.0,     SessionStore.service: svc),
            num!("queue",            "",   0.0,  1e6,      2000.0,   SessionStore.queue_capacity: u32),
        ],
        C::Cache(_) => vec![
            num!("nodes",            "",   1.0,  1000.0,   16.0,     Cache.nodes: u32),
            num!("capacity_keys",    "",   1.0,  2e6,      1e5,      Cache.capacity_keys: u64 log),
            num!("ttl",              "s",  0.0,  3.15e7,   3600.0,   Cache.ttl_s: f64),
            num!("service",          "ms", 0.0,  1e6,      10.0,     Cache.service: svc),
        ],
        C::Database(_) => vec![
            num!("replicas",         "",   0.0,  64.0,     8.0,      Database.replicas: u32),
            num!("read_service",     "ms", 0.0,  1e6,      50.0,     Database.read_service: svc),
            num!("write_service",    "ms", 0.0,  1e6,      100.0,    Database.write_service: svc),
            num!("lag",              "ms", 0.0,  1e6,      2000.0,   Database.replication_lag: mean),
            num!("queue",            "",   0.0,  1e6,      2000.0,   Database.queue_capacity: u32),
            num!("detection",        "s",  0.0,  3600.0,   60.0,     Database.failover.detection_s: f64),
            num!("promotion",        "s",  0.0,  3600.0,   60.0,     Database.failover.promotion_s: f64),
        ],
        C::ShardedDatabase(_) => vec![
            num!("shards",           "",   1.0,  256.0,    32.0,     ShardedDatabase.shards: u32),
            num!("read_service",     "ms", 0.0,  1e6,      50.0,     ShardedDatabase.read_service: svc),
            num!("write_service",    "ms", 0.0,  1e6,      100.0,    ShardedDatabase.write_service: svc),
            num!("queue",            "",   0.0,  1e6,      2000.0,   ShardedDatabase.queue_capacity: u32),
        ],
        C::MessageQueue(_) => vec![
            num!("mq_capacity",      "",   1.0,  1e6,      1e6,      MessageQueue.capacity: u32 log),
            num!("publish",          "ms", 0.0,  10_000.0, 20.0,     MessageQueue.publish_ms: f64),
        ],
        C::Workers(_) => vec![
            num!("instances",        "",   1.0,  1000.0,   50.0,     Workers.instances: u32),
            num!("job_service",      "ms", 0.0,  1e6,      1000.0,   Workers.service: svc),
            num!("boot",             "s",  0.0,  3600.0,   120.0,    Workers.boot_s: f64),
        ],
        C::DataCenter(_) => vec![],
        C::Autoscaler(_) => vec![
            num!("target_util",      "%",  5.0,  100.0,    100.0,    Autoscaler.target_utilization: pct),
            num!("min",              "",   1.0,  1000.0,   50.0,     Autoscaler.min: u32),
            num!("max",              "",   1.0,  1000.0,   100.0,    Autoscaler.max: u32),
            num!("period",           "s",  1.0,  3600.0,   120.0,    Autoscaler.period_s: f64),
        ],
    }
}

/// Slider position (0..1000) of a value.
fn to_slider(f: &NumField, v: f64) -> f64 {
    if f.log {
        let lo = f.min.max(1.0).ln();
        let hi = f.slider_max.ln();
        ((v.max(1.0).ln() - lo) / (hi - lo) * 1000.0).clamp(0.0, 1000.0)
    } else {
        ((v - f.min) / (f.slider_max - f.min) * 1000.0).clamp(0.0, 1000.0)
    }
}

/// Value of a slider position, rounded to a friendly figure.
fn from_slider(f: &NumField, pos: f64) -> f64 {
    let t = pos / 1000.0;
    let v = if f.log {
        let lo = f.min.max(1.0).ln();
        let hi = f.slider_max.ln();
        (lo + t * (hi - lo)).exp()
    } else {
        f.min + t * (f.slider_max - f.min)
    };
    if f.integer || v >= 100.0 {
        let mag = 10f64
            .powf((v.abs().max(1.0)).log10().floor() - 1.0)
            .max(1.0);
        (v / mag).round() * mag
    } else if v >= 10.0 {
        v.round()
    } else {
        (v * 10.0).round() / 10.0
    }
}

/// Check a typed value; the message names the field's limits.
fn check_value(tr: &Tr, f: &NumField, text: &str) -> Result<f64, String> {
    let v = parse_number(text).map_err(|e| match e {
        NumError::Empty => tr.t("err.empty"),
        NumError::NotANumber => tr.f("err.nan", &[text.trim()]),
    })?;
    if v < f.min {
        return Err(tr.f("err.min", &[&format_number(f.min)]));
    }
    if v > f.max {
        return Err(tr.f("err.max", &[&format_number(f.max)]));
    }
    if f.integer && v.fract() != 0.0 {
        return Err(tr.t("err.integer"));
    }
    Ok(v)
}

/// The [`NumInput`] of a field.
fn num_view(
    tr: &Tr,
    f: NumField,
    label: String,
    hint: Option<String>,
    value: f64,
    on_commit: Callback<f64>,
    locked: bool,
) -> Html {
    let check = {
        let tr = tr.clone();
        Callback::from(move |t: String| check_value(&tr, &f, &t))
    };
    html! {
        <NumInput key={f.id} field_id={f.id} {label} {hint} unit={f.unit} value={value}
            slider={(f.min, f.slider_max)}
            check={check}
            to_slider={Callback::from(move |v| to_slider(&f, v))}
            from_slider={Callback::from(move |p| from_slider(&f, p))}
            {on_commit} {locked} />
    }
}

#[derive(Properties, PartialEq)]
struct NumInputProps {
    field_id: &'static str,
    label: String,
    unit: &'static str,
    value: f64,
    slider: (f64, f64),
    #[prop_or_default]
    hint: Option<String>,
    check: Callback<String, Result<f64, String>>,
    to_slider: Callback<f64, f64>,
    from_slider: Callback<f64, f64>,
    on_commit: Callback<f64>,
    /// Locked by the page's pins: shown with a lock, not editable.
    #[prop_or_default]
    locked: bool,
    /// No slider, and the value shown in full (prices).
    #[prop_or_default]
    plain: bool,
}

/// A slider and a numeric field with its unit; bad text shows a message and commits nothing.
#[function_component(NumInput)]
fn num_input(props: &NumInputProps) -> Html {
    let tr = use_tr();
    let draft = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    {
        let draft = draft.clone();
        let error = error.clone();
        use_effect_with(props.value.to_bits(), move |_| {
            draft.set(None);
            error.set(None);
        });
    }
    let commit_text = {
        let check = props.check.clone();
        let on_commit = props.on_commit.clone();
        let error = error.clone();
        let value = props.value;
        move |text: String| match check.emit(text) {
            Ok(v) => {
                error.set(None);
                if v != value {
                    on_commit.emit(v);
                }
            }
            Err(msg) => error.set(Some(msg)),
        }
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.set(Some(input.value()));
        })
    };
    let onchange = {
        let commit_text = commit_text.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            commit_text(input.value());
        })
    };
    let onkeydown = {
        let draft = draft.clone();
        let error = error.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                draft.set(None);
                error.set(None);
            }
        })
    };
    let on_slide = {
        let from_slider = props.from_slider.clone();
        let on_commit = props.on_commit.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(p) = crate::state::parse_f64(&input.value()) {
                on_commit.emit(from_slider.emit(p));
            }
        })
    };
    let text = (*draft).clone().unwrap_or_else(|| {
        let v = props.value;
        if props.plain {
            format!("{v}")
        } else if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{}", (v * 1000.0).round() / 1000.0)
        }
    });
    let id = format!("f-{}", props.field_id).replace('.', "-");
    html! {
        <div class={classes!("field", error.is_some().then_some("invalid"))}>
            <label for={id.clone()} class="field-name">{ props.label.clone() }
                if let Some(h) = &props.hint { <span class="field-hint">{ h.clone() }</span> }
                if props.locked { <span class="lock" id={format!("{id}-lock")} title={tr.t("pin.locked")}><svg class="lock-icon" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="7" rx="1.5" /><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" /></svg></span> }
            </label>
            <div class="field-row">
                if !props.plain { <input type="range" min="0" max="1000" step="1" class="field-slider" disabled={props.locked}
                    value={format!("{:.0}", props.to_slider.emit(props.value))} onchange={on_slide}
                    aria-label={props.label.clone()} /> }
                <div class="num-field small">
                    <input id={id.clone()} data-testid={id.clone()} type="text" inputmode="decimal" autocomplete="off"
                        disabled={props.locked} readonly={props.locked}
                        value={text} {oninput} {onchange} {onkeydown}
                        aria-invalid={error.is_some().to_string()} />
                    if !props.unit.is_empty() { <span class="unit">{ props.unit }</span> }
                </div>
            </div>
            if let Some(msg) = &*error {
                <div class="field-error" role="alert" id={format!("{id}-error")}>{ msg.clone() }</div>
            }
        </div>
    }
}

/// A `<select>` of labelled values. Each option is keyed by its value and
/// whether it is the current one: once a learner has picked an option,
/// `selected` attributes no longer move the choice, but a fresh selected option
/// does (an undo must show the restored value).
fn select_field(
    id: &str,
    label: String,
    options: Vec<(String, String)>,
    current: &str,
    on: Callback<String>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        on.emit(s.value());
    });
    let fid = format!("f-{id}");
    html! {
        <div class="field">
            <label for={fid.clone()} class="field-name">{ label }</label>
            <select id={fid.clone()} data-testid={fid} class="select wide" {onchange}>
                { for options.into_iter().map(|(v, l)| {
                    let selected = v == current;
                    html! {
                        <option key={format!("{}{v}", u8::from(selected))} value={v} {selected}>{ l }</option>
                    }
                }) }
            </select>
        </div>
    }
}

fn size_name(s: InstanceSize) -> &'static str {
    match s {
        InstanceSize::Small => "small",
        InstanceSize::Medium => "medium",
        InstanceSize::Large => "large",
        InstanceSize::Xlarge => "xlarge",
        InstanceSize::X2large => "x2large",
    }
}

fn eviction_mut(spec: &mut C) -> Option<&mut Eviction> {
    match spec {
        C::Cache(c) => Some(&mut c.eviction),
        C::Cdn(c) => Some(&mut c.eviction),
        _ => None,
    }
}

fn size_mut(spec: &mut C) -> Option<&mut InstanceSize> {
    match spec {
        C::WebTier(w) => Some(&mut w.size),
        C::SessionStore(s) => Some(&mut s.size),
        C::Cache(c) => Some(&mut c.size),
        C::Database(d) => Some(&mut d.size),
        C::ShardedDatabase(d) => Some(&mut d.size),
        C::Workers(w) => Some(&mut w.size),
        _ => None,
    }
}

/// A small line chart of one series (0..max).
fn sparkline(title: String, values: &[f64], fmt: fn(f64) -> String, max_hint: f64) -> Html {
    let (w, h) = (220.0, 44.0);
    let max = values.iter().copied().fold(max_hint, f64::max).max(1e-9);
    let n = values.len().max(2) as f64;
    let pts: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1} ",
                i as f64 / (n - 1.0) * w,
                h - 2.0 - (v / max).clamp(0.0, 1.0) * (h - 4.0)
            )
        })
        .collect();
    let last = values.last().copied();
    html! {
        <div class="mini">
            <div class="mini-head"><span>{ title }</span><strong>{ last.map_or("–".into(), fmt) }</strong></div>
            <svg viewBox={format!("0 0 {w} {h}")} class="mini-chart" preserveAspectRatio="none">
                <polyline points={pts} class="mini-line" />
            </svg>
        </div>
    }
}

/// What [`inspector`] shows and does.
pub struct InspectorProps {
    /// The design.
    pub doc: Rc<Scenario>,
    /// Selected component ids.
    pub selection: Vec<String>,
    /// Selected edge.
    pub selected_edge: Option<(String, String)>,
    /// Window history (mini charts).
    pub history: History,
    /// Failed (component, instance) pairs.
    pub failed: Vec<(String, Option<u32>)>,
    /// A refused parameter: (component, message).
    pub field_error: Option<(String, String)>,
    /// The analytic twin.
    pub prediction: Prediction,
    /// Whether a simulation exists (fail/recover act on it).
    pub can_fault: bool,
    /// Replace a component.
    pub on_update: Callback<Component>,
    /// Delete the selection.
    pub on_delete: Callback<()>,
    /// Fail or recover on the running simulation.
    pub on_fault: Callback<scalelab_sim::Action>,
    /// New SLO (availability 0..1, p99 ms).
    pub on_slo: Callback<(f64, f64)>,
    /// The design's own prices (`None`: the list).
    pub on_prices: Callback<Option<Prices>>,
    /// Instructor controls (locked fields, read-only view).
    pub pins: Rc<crate::pins::Pins>,
}

/// The inspector panel. A function rather than a component (it has no
/// state of its own): a component's machinery cost the wasm more than it saved.
pub fn inspector(tr: &Tr, props: &InspectorProps) -> Html {
    let body = if let Some((f, t)) = &props.selected_edge {
        let del = props.on_delete.reform(|_: MouseEvent| ());
        html! { <>
            <div class="insp-head"><h2>{ tr.t("insp.edge") }</h2></div>
            <p class="insp-text">{ format!("{f} → {t}") }</p>
            <button id="delete-selection" class="btn danger" onclick={del}>{ tr.t("insp.delete_edge") }</button>
        </> }
    } else if props.selection.len() > 1 {
        let del = props.on_delete.reform(|_: MouseEvent| ());
        html! { <>
            <div class="insp-head"><h2>{ tr.f("insp.n_selected", &[&props.selection.len().to_string()]) }</h2></div>
            <p class="insp-text">{ props.selection.join(", ") }</p>
            <button id="delete-selection" class="btn danger" onclick={del}>{ tr.t("insp.delete") }</button>
        </> }
    } else if let Some(c) = props
        .selection
        .first()
        .and_then(|id| props.doc.component(id))
    {
        component_panel(tr, props, c)
    } else {
        overview(tr, props)
    };
    html! {
        <aside class="inspector" id="inspector" aria-label={tr.t("insp.title")}>
            { body }
        </aside>
    }
}

fn overview(tr: &Tr, props: &InspectorProps) -> Html {
    let d = &props.doc;
    let p = &props.prediction;
    html! { <>
        <div class="insp-head"><h2>{ tr.t("insp.design") }</h2></div>
        <p class="insp-name">{ d.name.clone() }</p>
        if !d.description.is_empty() { <p class="insp-text">{ d.description.clone() }</p> }
        <dl class="facts">
            <dt>{ tr.t("insp.components") }</dt><dd>{ d.components.len() }</dd>
            <dt>{ tr.t("insp.capacity") }</dt>
            <dd id="predicted-capacity">{ p.capacity_rps.map_or("–".into(), |c| format!("{} rps", format_number(c))) }</dd>
            <dt>{ tr.t("insp.bottleneck") }</dt><dd>{ p.bottleneck.clone().unwrap_or_else(|| "–".into()) }</dd>
            <dt>{ tr.t("insp.predicted_latency") }</dt><dd>{ p.latency_ms_mean.map_or("–".into(), format_latency) }</dd>
            <dt>{ tr.t("insp.slo") }</dt>
            <dd>{ format!("{:.2}% · p99 ≤ {}", d.slo.availability * 100.0, format_latency(d.slo.latency_ms_p99)) }</dd>
        </dl>
        { num_view(tr, SLO_A, tr.t("f.slo_availability"), None, d.slo.availability * 100.0,
            { let cb = props.on_slo.clone(); let p99 = d.slo.latency_ms_p99; Callback::from(move |v: f64| cb.emit((v / 100.0, p99))) }, props.pins.readonly) }
        { num_view(tr, SLO_P99, tr.t("f.slo_p99"), None, d.slo.latency_ms_p99,
            { let cb = props.on_slo.clone(); let a = d.slo.availability; Callback::from(move |v: f64| cb.emit((a, v))) }, props.pins.readonly) }
        { prices_section(tr, props) }
        <p class="insp-tip">{ tr.t("insp.tip") }</p>
    </> }
}

/// The design's prices: every field of the list with its unit, prefilled with
/// the design's own price or the list price; each change is one undoable edit.
fn prices_section(tr: &Tr, props: &InspectorProps) -> Html {
    let doc_prices = props.doc.prices;
    let current = doc_prices.unwrap_or(Prices::LIST);
    let changed = |f: &PriceField| f.get(&current).to_bits() != f.get(&Prices::LIST).to_bits();
    let fields = PRICE_FIELDS.iter().map(|&pf| {
        let max = if pf.name == "hours_per_month" {
            744.0
        } else {
            scalelab_sim::cost::MAX_PRICE_USD
        };
        let f = slo_field(pf.name, pf.unit, max, 1.0);
        let check = {
            let tr = tr.clone();
            Callback::from(move |t: String| check_value(&tr, &f, &t))
        };
        let on_commit = props.on_prices.reform(move |v: f64| {
            let mut p = current;
            *(pf.at)(&mut p) = v;
            Some(p)
        });
        let hint = changed(&pf).then(|| tr.f("price.list", &[&pf.get(&Prices::LIST).to_string()]));
        html! {
            <NumInput key={pf.name} field_id={pf.name} label={tr.t(&format!("price.{}", pf.name))} {hint}
                unit={pf.unit} value={pf.get(&current)} slider={(0.0, 1.0)} {check}
                to_slider={Callback::from(|v| v)} from_slider={Callback::from(|v| v)}
                {on_commit} locked={props.pins.readonly} plain=true />
        }
    });
    let n = PRICE_FIELDS.iter().filter(|f| changed(f)).count();
    let reset = props.on_prices.reform(|_: MouseEvent| None);
    html! {
        <details class="insp-section" id="prices">
            <summary id="prices-toggle">
                { tr.t("price.title") }
                if n > 0 { { " · " }{ tr.f("price.changed", &[&n.to_string()]) } }
            </summary>
            <p class="insp-tip" id="prices-source">{ tr.f("price.source", &[PRICES_AS_OF, PRICES_SOURCE]) }</p>
            { for fields }
            <button id="prices-reset" class="btn" onclick={reset}
                disabled={doc_prices.is_none() || props.pins.readonly}>{ tr.t("price.reset") }</button>
        </details>
    }
}

/// The price curve along the size ladder at the design's prices: cores,
/// capacity and price per instance of each size, the current one marked, and
/// the ceiling.
fn size_table(tr: &Tr, prices: &Prices, current: InstanceSize) -> Html {
    let rows = size_curve(prices);
    let top = rows
        .iter()
        .find(|r| r.ceiling)
        .map_or("", |r| size_name(r.size));
    html! {
        <div class="size-curve">
            <table class="compare-table" id="size-curve">
                <thead><tr>
                    <th>{ tr.t("size.size") }</th><th>{ tr.t("size.cores") }</th>
                    <th>{ tr.t("size.capacity") }</th><th>{ tr.t("size.usd_month") }</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|r| html! {
                    <tr class={classes!((r.size == current).then_some("current"))}
                        data-size={size_name(r.size)} data-usd-per-month={r.usd_per_month.to_string()}
                        data-ceiling={r.ceiling.to_string()} aria-current={(r.size == current).then_some("true")}>
                        <th>{ size_name(r.size) }
                            if r.ceiling { <span class="size-top">{ tr.t("size.top") }</span> }</th>
                        <td>{ r.cores }</td>
                        <td>{ format!("{}×", format_number(r.capacity)) }</td>
                        <td>{ crate::components::readout::usd(r.usd_per_month) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            <p class="insp-tip" id="size-ceiling">{ tr.f("size.ceiling", &[top]) }</p>
        </div>
    }
}

fn component_panel(tr: &Tr, props: &InspectorProps, c: &Component) -> Html {
    let kind = kind_of(&c.spec);
    let all_locked = props.pins.component_locked(&c.id);
    let update = props.on_update.clone();
    let base = c.clone();
    let err = props
        .field_error
        .as_ref()
        .filter(|(id, _)| *id == c.id)
        .map(|(_, m)| m.clone());

    // Label.
    let on_label = {
        let update = update.clone();
        let base = base.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = base.clone();
            next.label = input.value();
            update.emit(next);
        })
    };

    // A numeric field of the component: a change is an ordinary (undoable) edit.
    let num_input = |f: NumField| {
        let value = f.get(&c.spec);
        let on_commit = {
            let update = update.clone();
            let base = base.clone();
            Callback::from(move |v: f64| {
                let mut next = base.clone();
                f.set(&mut next.spec, v);
                update.emit(next);
            })
        };
        let locked = props.pins.field_locked(&c.id, f.id);
        num_view(
            tr,
            f,
            tr.t(&format!("f.{}", f.id)),
            None,
            value,
            on_commit,
            locked,
        )
    };
    // A service time's distribution: its kind (the mean is kept) and a log-normal's cv.
    let dist_input = |d: DistField, locked: bool| {
        let mut probe = c.spec.clone();
        let Some(current) = (d.at)(&mut probe).copied() else {
            return Html::default();
        };
        let edit = |change: fn(&mut Distribution, f64, &str)| {
            let update = update.clone();
            let base = base.clone();
            move |v: f64, kind: &str| {
                let mut next = base.clone();
                if let Some(x) = (d.at)(&mut next.spec) {
                    change(x, v, kind);
                }
                update.emit(next);
            }
        };
        let set_kind = edit(|x, _, kind| *x = with_kind(x, kind));
        let select = select_field(
            d.kind_id,
            tr.t("f.dist"),
            DIST_KINDS
                .iter()
                .map(|k| (k.to_string(), tr.t(&format!("dist.{k}"))))
                .collect(),
            dist_kind(&current),
            Callback::from(move |v: String| set_kind(0.0, &v)),
        );
        let cv = match current {
            Distribution::LogNormal { cv, .. } => {
                let set_cv = edit(|x, v, _| {
                    if let Distribution::LogNormal { cv, .. } = x {
                        *cv = v;
                    }
                });
                num_view(
                    tr,
                    NumField { id: d.cv_id, ..CV },
                    tr.t("f.cv"),
                    Some(tr.t("hint.cv")),
                    cv,
                    Callback::from(move |v: f64| set_cv(v, "")),
                    locked,
                )
            }
            _ => Html::default(),
        };
        html! {
            <fieldset key={d.kind_id} class="sub-fields pin-set" disabled={locked}>{ select }{ cv }</fieldset>
        }
    };
    let mut numbers: Vec<Html> = Vec::new();
    for f in num_fields(&c.spec) {
        numbers.push(num_input(f));
        if let Some(d) = f.dist {
            numbers.push(dist_input(d, props.pins.field_locked(&c.id, f.id)));
        }
    }

    // Choices.
    let mut choices: Vec<Html> = Vec::new();
    let choose = |id: &str,
                  label: String,
                  options: Vec<(String, String)>,
                  current: String,
                  apply: fn(&mut C, &str)| {
        let update = update.clone();
        let base = base.clone();
        select_field(
            id,
            label,
            options,
            &current,
            Callback::from(move |v: String| {
                let mut next = base.clone();
                apply(&mut next.spec, &v);
                update.emit(next);
            }),
        )
    };
    let mut probe = c.spec.clone();
    if let Some(size) = size_mut(&mut probe) {
        let prices = props.doc.prices.unwrap_or(Prices::LIST);
        let opts = InstanceSize::LADDER
            .iter()
            .map(|s| {
                (
                    size_name(*s).to_string(),
                    format!(
                        "{} · {} · ${}/mo",
                        size_name(*s),
                        tr.f("node.cores", &[&s.spec().cores.to_string()]),
                        prices.instance_usd_per_month(*s)
                    ),
                )
            })
            .collect();
        choices.push(choose(
            "size",
            tr.t("f.size"),
            opts,
            size_name(*size).into(),
            |s, v| {
                if let (Some(slot), Some(new)) = (
                    size_mut(s),
                    InstanceSize::LADDER.iter().find(|x| size_name(**x) == v),
                ) {
                    *slot = *new;
                }
            },
        ));
        choices.push(size_table(tr, &prices, *size));
    }
    match &c.spec {
        C::Users(u) => {
            // The load shape, then the parameters of the chosen one.
            let shape = choose(
                "load",
                tr.t("f.load"),
                LOAD_SHAPES
                    .iter()
                    .map(|l| (l.to_string(), tr.t(&format!("load.{l}"))))
                    .collect(),
                load_name(&u.load).into(),
                |s, v| {
                    if let C::Users(u) = s {
                        if load_name(&u.load) != v {
                            u.load = default_load(v);
                        }
                    }
                },
            );
            let params: Vec<Html> = load_fields(&u.load).into_iter().map(num_input).collect();
            choices.push(html! { <>
                { shape }
                if !params.is_empty() { <div class="sub-fields">{ for params }</div> }
            </> });
        }
        C::WebTier(w) => choices.push(choose(
            "sessions",
            tr.t("f.sessions"),
            vec![
                ("stateful".into(), tr.t("sessions.stateful")),
                ("stateless".into(), tr.t("sessions.stateless")),
            ],
            if w.sessions == Sessions::Stateless {
                "stateless".into()
            } else {
                "stateful".into()
            },
            |s, v| {
                if let C::WebTier(w) = s {
                    w.sessions = if v == "stateless" {
                        Sessions::Stateless
                    } else {
                        Sessions::Stateful
                    }
                }
            },
        )),
        C::LoadBalancer(l) => choices.push(choose(
            "algorithm",
            tr.t("f.algorithm"),
            ["round_robin", "least_connections", "random", "power_of_two"]
                .iter()
                .map(|a| (a.to_string(), tr.t(&format!("alg.{a}"))))
                .collect(),
            match l.algorithm {
                Algorithm::RoundRobin => "round_robin",
                Algorithm::LeastConnections => "least_connections",
                Algorithm::Random => "random",
                Algorithm::PowerOfTwo => "power_of_two",
            }
            .into(),
            |s, v| {
                if let C::LoadBalancer(l) = s {
                    l.algorithm = match v {
                        "least_connections" => Algorithm::LeastConnections,
                        "random" => Algorithm::Random,
                        "power_of_two" => Algorithm::PowerOfTwo,
                        _ => Algorithm::RoundRobin,
                    }
                }
            },
        )),
        C::Cache(_) | C::Cdn(_) => choices.push(choose(
            "eviction",
            tr.t("f.eviction"),
            vec![("lru".into(), "LRU".into()), ("lfu".into(), "LFU".into())],
            if eviction_mut(&mut c.spec.clone()) == Some(&mut Eviction::Lfu) {
                "lfu".into()
            } else {
                "lru".into()
            },
            |s, v| {
                if let Some(e) = eviction_mut(s) {
                    *e = if v == "lfu" {
                        Eviction::Lfu
                    } else {
                        Eviction::Lru
                    }
                }
            },
        )),
        C::Database(d) => {
            // Read-your-writes: a user's reads go to the primary while that
            // user's own latest write is not yet on the replicas (no stale
            // reads for that user; more load on the primary).
            choices.push(choose(
                "ryw",
                tr.t("f.ryw"),
                vec![
                    ("replica".into(), tr.t("ryw.off")),
                    ("primary".into(), tr.t("ryw.on")),
                ],
                if d.read_your_writes {
                    "primary"
                } else {
                    "replica"
                }
                .into(),
                |s, v| {
                    if let C::Database(d) = s {
                        d.read_your_writes = v == "primary";
                    }
                },
            ));
            choices.push(choose(
                "profile",
                tr.t("f.profile"),
                vec![
                    ("relational".into(), tr.t("db.relational")),
                    ("nosql".into(), tr.t("db.nosql")),
                ],
                if d.profile == DbProfile::Nosql {
                    "nosql".into()
                } else {
                    "relational".into()
                },
                |s, v| {
                    if let C::Database(d) = s {
                        d.profile = if v == "nosql" {
                            DbProfile::Nosql
                        } else {
                            DbProfile::Relational
                        }
                    }
                },
            ));
        }
        C::ShardedDatabase(d) => choices.push(choose(
            "shard_key",
            tr.t("f.shard_key"),
            vec![
                ("hash".into(), tr.t("shard.hash")),
                ("range".into(), tr.t("shard.range")),
            ],
            if d.shard_key == ShardKey::Range {
                "range".into()
            } else {
                "hash".into()
            },
            |s, v| {
                if let C::ShardedDatabase(d) = s {
                    d.shard_key = if v == "range" {
                        ShardKey::Range
                    } else {
                        ShardKey::Hash
                    }
                }
            },
        )),
        _ => {}
    }
    // Autoscaler target and data-center region/membership need the design.
    if let C::Autoscaler(a) = &c.spec {
        let opts: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
            .chain(
                props
                    .doc
                    .components
                    .iter()
                    .filter(|x| matches!(x.spec, C::WebTier(_) | C::Workers(_)))
                    .map(|x| (x.id.clone(), x.id.clone())),
            )
            .collect();
        let update = update.clone();
        let base = base.clone();
        choices.push(select_field(
            "target",
            tr.t("f.target"),
            opts,
            &a.target,
            Callback::from(move |v: String| {
                let mut next = base.clone();
                if let C::Autoscaler(a) = &mut next.spec {
                    a.target = v;
                }
                update.emit(next);
            }),
        ));
    }
    if let C::DataCenter(d) = &c.spec {
        let update = update.clone();
        let base = base.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = base.clone();
            if let C::DataCenter(d) = &mut next.spec {
                d.region = input.value();
            }
            update.emit(next);
        });
        choices.push(html! {
            <div class="field">
                <label for="f-region" class="field-name">{ tr.t("f.region") }</label>
                <input id="f-region" class="text-input" type="text" value={d.region.clone()} {onchange} />
            </div>
        });
    }
    if !matches!(c.spec, C::Users(_) | C::Cdn(_) | C::DataCenter(_)) {
        let dcs: Vec<(String, String)> = std::iter::once((String::new(), tr.t("dc.none")))
            .chain(
                props
                    .doc
                    .components
                    .iter()
                    .filter(|x| matches!(x.spec, C::DataCenter(_)))
                    .map(|x| {
                        let region = match &x.spec {
                            C::DataCenter(d) => d.region.clone(),
                            _ => String::new(),
                        };
                        (x.id.clone(), format!("{} ({region})", x.id))
                    }),
            )
            .collect();
        if dcs.len() > 1 {
            let update = update.clone();
            let base = base.clone();
            choices.push(select_field(
                "dc",
                tr.t("f.dc"),
                dcs,
                c.dc.as_deref().unwrap_or(""),
                Callback::from(move |v: String| {
                    let mut next = base.clone();
                    next.dc = (!v.is_empty()).then_some(v);
                    update.emit(next);
                }),
            ));
        }
    }
    if let C::Users(u) = &c.spec {
        let region = u.region.clone().unwrap_or_default();
        let update = update.clone();
        let base = base.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = base.clone();
            let v = input.value().trim().to_string();
            if let C::Users(u) = &mut next.spec {
                u.region = (!v.is_empty()).then_some(v);
            }
            update.emit(next);
        });
        choices.push(html! {
            <div class="field">
                <label for="f-user-region" class="field-name">{ tr.t("f.user_region") }</label>
                <input id="f-user-region" class="text-input" type="text" value={region} placeholder="us-east" {onchange} />
            </div>
        });
    }

    // Mini charts.
    let series = |f: fn(&scalelab_sim::ComponentWindow) -> Option<f64>| -> Vec<f64> {
        props
            .history
            .windows
            .iter()
            .filter_map(|w| w.components.iter().find(|x| x.id == c.id).and_then(f))
            .collect()
    };
    let mut minis: Vec<Html> = Vec::new();
    let util = series(|w| w.instance_utilization.as_ref().map(|_| w.utilization));
    if !util.is_empty() {
        minis.push(sparkline(
            tr.t("mini.utilization"),
            &util,
            |v| format!("{:.0}%", v * 100.0),
            1.0,
        ));
        let q = series(|w| w.instance_utilization.as_ref().map(|_| w.queue_len as f64));
        minis.push(sparkline(tr.t("mini.queue"), &q, format_number, 1.0));
    }
    let hit = series(|w| w.hit_ratio);
    if !hit.is_empty() {
        minis.push(sparkline(
            tr.t("mini.hit_ratio"),
            &hit,
            |v| format!("{:.0}%", v * 100.0),
            1.0,
        ));
    }
    let lag = series(|w| w.replication_lag_ms);
    if !lag.is_empty() {
        minis.push(sparkline(tr.t("mini.lag"), &lag, format_latency, 1.0));
    }
    let backlog = series(|w| w.backlog.map(|b| b as f64));
    if !backlog.is_empty() {
        minis.push(sparkline(
            tr.t("mini.backlog"),
            &backlog,
            format_number,
            1.0,
        ));
    }
    let arrivals = series(|w| Some(w.arrivals_rps));
    if util.is_empty() && !arrivals.is_empty() {
        minis.push(sparkline(
            tr.t("mini.arrivals"),
            &arrivals,
            |v| format!("{} rps", format_number(v)),
            1.0,
        ));
    }

    // Fail / recover.
    let failed_whole = props.failed.iter().any(|(x, i)| *x == c.id && i.is_none());
    let fault_btn = |instance: Option<u32>, label: String, failed: bool| {
        let on_fault = props.on_fault.clone();
        let id = c.id.clone();
        let action = if failed {
            scalelab_sim::Action::Recover {
                component: id.clone(),
                instance,
            }
        } else {
            scalelab_sim::Action::Fail {
                component: id.clone(),
                instance,
            }
        };
        let bid = match instance {
            Some(i) => format!("{}-{}-{i}", if failed { "recover" } else { "fail" }, id),
            None => format!("{}-{}", if failed { "recover" } else { "fail" }, id),
        };
        html! {
            <button id={bid.clone()} data-testid={bid} class={classes!("chip", failed.then_some("failed"))}
                disabled={!props.can_fault} onclick={Callback::from(move |_| on_fault.emit(action.clone()))}
                title={if failed { tr.t("fault.recover") } else { tr.t("fault.fail") }}>
                <span class="chip-dot"></span>{ label }
            </button>
        }
    };
    let is_failed = |i: u32| {
        props
            .failed
            .iter()
            .any(|(x, k)| *x == c.id && *k == Some(i))
    };
    // Instances, cache nodes, or a database's primary (0) and replicas (1…), at most 16 of each.
    let instances = match &c.spec {
        C::WebTier(w) => w.instances.min(16),
        C::Workers(w) => w.instances.min(16),
        C::SessionStore(w) => w.instances.min(16),
        C::Cache(x) => x.nodes.min(16),
        C::Database(d) => d.replicas.min(16) + 1,
        _ => 0,
    };
    let instance_btns: Vec<Html> = (0..instances)
        .map(|i| {
            let label = match &c.spec {
                C::Cache(_) => tr.f("fault.node", &[&i.to_string()]),
                C::Database(_) if i == 0 => tr.t("fault.primary"),
                C::Database(_) => tr.f("fault.replica", &[&i.to_string()]),
                _ => format!("#{i}"),
            };
            fault_btn(Some(i), label, is_failed(i))
        })
        .collect();
    let whole = matches!(
        c.spec,
        C::DataCenter(_)
            | C::LoadBalancer(_)
            | C::Dns(_)
            | C::Cdn(_)
            | C::MessageQueue(_)
            | C::ShardedDatabase(_)
    );
    let whole_label = if matches!(c.spec, C::DataCenter(_)) {
        tr.t("fault.whole_dc")
    } else {
        tr.t("fault.whole")
    };

    let del = props.on_delete.reform(|_: MouseEvent| ());
    html! { <>
        <div class="insp-head">
            <span class={classes!("insp-icon", format!("kind-{}", kind.slug()))}>{ icon(kind, "icon", None) }</span>
            <div class="insp-title">
                <h2>{ if c.label.is_empty() { c.id.clone() } else { c.label.clone() } }</h2>
                <span class="insp-kind">{ format!("{} · {}", tr.t(&format!("kind.{}.name", kind.slug())), c.id) }</span>
            </div>
        </div>
        // A component locked by the page's pins (src/pins.rs): every control disabled.
        <fieldset class="pin-set" disabled={all_locked}>
        if all_locked { <p class="pin-note" id="pin-note"><svg class="lock-icon" viewBox="0 0 16 16" aria-hidden="true"><rect x="3" y="7" width="10" height="7" rx="1.5" /><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" /></svg>{ " " }{ tr.t("pin.locked") }</p> }
        <div class="field">
            <label for="f-label" class="field-name">{ tr.t("f.label") }</label>
            <input id="f-label" class="text-input" type="text" maxlength="200" value={c.label.clone()} onchange={on_label} />
        </div>
        { for numbers }
        { for choices }
        </fieldset>
        if let Some(msg) = err {
            <div class="field-error" role="alert" id="param-error">{ msg }</div>
        }
        if !instance_btns.is_empty() || whole {
            <div class="insp-section">
                <h3>{ tr.t("fault.title") }</h3>
                <div class="chips">
                    { for instance_btns }
                    if whole { { fault_btn(None, whole_label, failed_whole) } }
                </div>
                if !props.can_fault { <p class="insp-tip">{ tr.t("fault.need_run") }</p> }
            </div>
        }
        if !minis.is_empty() {
            <div class="insp-section">
                <h3>{ tr.t("mini.title") }</h3>
                { for minis }
            </div>
        }
        <button id="delete-selection" class="btn danger" onclick={del} disabled={all_locked}>{ tr.t("insp.delete") }</button>
    </> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::icons::Kind;
    use crate::model::{default_spec, empty_scenario};

    /// Every field reads the value it writes, and writing what it reads changes nothing.
    #[test]
    fn every_field_reads_what_it_writes() {
        let s = empty_scenario();
        let mut ids = 0;
        for kind in Kind::ALL {
            let spec = default_spec(kind, &s);
            for f in num_fields(&spec) {
                ids += 1;
                let v = f.get(&spec);
                assert!(v >= f.min && v <= f.max, "{}: default {v} in range", f.id);
                let mut same = spec.clone();
                f.set(&mut same, v);
                assert_eq!(same, spec, "{}: writing the value read is a no-op", f.id);
                let w = if f.integer { f.min + 1.0 } else { f.min + 0.5 };
                let w = if w == v { w + 1.0 } else { w };
                let mut next = spec.clone();
                f.set(&mut next, w);
                assert_eq!(f.get(&next), w, "{}", f.id);
                assert_ne!(next, spec, "{}: writes its own field", f.id);
                assert!(f.slider_max > f.min && f.slider_max <= f.max, "{}", f.id);
            }
        }
        assert_eq!(ids, 47, "every numeric field of every kind");
    }

    /// The eight service times edit their distribution; a kind change keeps the mean.
    #[test]
    fn service_times_have_a_distribution_editor() {
        let s = empty_scenario();
        let mut ids = Vec::new();
        for kind in Kind::ALL {
            let spec = default_spec(kind, &s);
            for f in num_fields(&spec) {
                let Some(d) = f.dist else { continue };
                ids.push(d.cv_id);
                assert_eq!(d.kind_id, format!("{}_dist", f.id));
                let mut next = spec.clone();
                let x = (d.at)(&mut next).expect("the distribution is there");
                for k in DIST_KINDS {
                    *x = with_kind(x, k);
                    assert_eq!(dist_kind(x), k);
                }
                assert_eq!(
                    *x,
                    Distribution::LogNormal {
                        mean_ms: f.get(&spec),
                        cv: CV_DEFAULT
                    }
                );
                *x = Distribution::LogNormal {
                    mean_ms: 7.0,
                    cv: 3.0,
                };
                assert_eq!(with_kind(x, "log_normal"), *x, "a log-normal keeps its cv");
                assert_eq!(
                    with_kind(x, "constant"),
                    Distribution::Constant { mean_ms: 7.0 }
                );
                assert_eq!(f.get(&next), 7.0);
            }
        }
        assert_eq!(
            ids,
            [
                "service_cv",
                "service_cv",
                "service_cv",
                "read_service_cv",
                "write_service_cv",
                "read_service_cv",
                "write_service_cv",
                "job_service_cv"
            ]
        );
        assert!(Distribution::LogNormal {
            mean_ms: 1.0,
            cv: CV.max
        }
        .check()
        .is_ok());
        assert!(Distribution::LogNormal {
            mean_ms: 1.0,
            cv: CV.min
        }
        .check()
        .is_ok());
        assert_eq!(
            from_slider(&CV, 0.0),
            CV.min,
            "the slider's lowest cv is valid"
        );
    }

    /// Each load shape's defaults pass the core's checks, and its fields edit it.
    #[test]
    fn load_shapes_have_valid_defaults_and_fields() {
        let mut s = empty_scenario();
        let users = crate::model::new_component(&s, Kind::Users, (0.0, 0.0), String::new());
        let web = crate::model::new_component(&s, Kind::WebTier, (200.0, 0.0), String::new());
        s.components = vec![users, web];
        s = crate::model::connect(&s, "users", "web").expect("users → web");
        assert!(s.validate().is_ok(), "{:?}", s.validate().err());
        for name in LOAD_SHAPES {
            let mut t = s.clone();
            let C::Users(u) = &mut t.components[0].spec else {
                unreachable!()
            };
            u.load = default_load(name);
            assert_eq!(load_name(&u.load), name);
            let fields = load_fields(&u.load);
            assert!(t.validate().is_ok(), "{name}: {:?}", t.validate().err());
            for f in fields {
                let spec = t.components[0].spec.clone();
                let v = f.get(&spec);
                assert!(v >= f.min && v <= f.max, "{}: {v}", f.id);
                for w in [f.min, f.max] {
                    let mut next = t.clone();
                    f.set(&mut next.components[0].spec, w);
                    assert_eq!(f.get(&next.components[0].spec), w, "{}", f.id);
                    assert!(
                        next.validate().is_ok(),
                        "{} = {w}: {:?}",
                        f.id,
                        next.validate().err()
                    );
                }
            }
        }
        let spike = default_load("spike");
        assert_eq!(
            spike,
            LoadShape::Spike {
                at_s: 10.0,
                duration_s: 10.0,
                factor: 3.0
            }
        );
        let ids: Vec<_> = load_fields(&spike).iter().map(|f| f.id).collect();
        assert_eq!(ids, ["load_at", "load_duration", "load_factor"]);
    }

    /// Labels built from ids (`f.<id>`, `dist.<kind>`, `load.<shape>`) exist in English.
    #[test]
    fn built_label_keys_exist() {
        let en: std::collections::HashMap<String, String> =
            serde_json::from_str(include_str!("../../static/i18n/en.json")).expect("en.json");
        let s = empty_scenario();
        let mut keys: Vec<String> = Vec::new();
        for kind in Kind::ALL {
            keys.extend(
                num_fields(&default_spec(kind, &s))
                    .iter()
                    .map(|f| format!("f.{}", f.id)),
            );
        }
        for l in LOAD_SHAPES {
            keys.extend(
                load_fields(&default_load(l))
                    .iter()
                    .map(|f| format!("f.{}", f.id)),
            );
            keys.push(format!("load.{l}"));
        }
        keys.extend(DIST_KINDS.iter().map(|k| format!("dist.{k}")));
        keys.extend(PRICE_FIELDS.iter().map(|f| format!("price.{}", f.name)));
        let missing: Vec<_> = keys.iter().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
