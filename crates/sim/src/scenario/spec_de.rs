//! `Deserialize` for [`ComponentSpec`], written by hand.
//!
//! serde's derive for an internally tagged enum buffers the object in its
//! private `Content` tree and deserializes every variant (and every type
//! inside it) a second time from that tree: 70 KB of the page's wasm. Here
//! the object is read once; `kind` is read where it stands, every other field
//! is kept as its raw JSON text, and the variant's struct then reads those
//! fields from their text with the ordinary JSON deserializer.
//!
//! What a file sees is unchanged: the same messages (unknown variant with the
//! list of kinds, `missing field \`kind\``, `duplicate field \`kind\``, unknown
//! or duplicate fields of the variant, invalid types), raised at the same
//! places (a bad `kind` where it is read, anything else once the whole object
//! has been read, as serde's buffered path does), so the line and column in
//! `Scenario::from_json`'s errors are those of the derived code.
//! `crates/sim/tests/bad_input.rs` and the fuzz crate hold the messages.

use super::ComponentSpec;
use serde::de::{self, value::MapAccessDeserializer, DeserializeSeed, Deserializer, MapAccess};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// The `kind` tag: the derived identifier (message "unknown variant `x`,
/// expected one of `users`, …").
#[derive(Deserialize)]
#[serde(variant_identifier, rename_all = "snake_case")]
enum Kind {
    Users,
    Dns,
    Cdn,
    LoadBalancer,
    WebTier,
    SessionStore,
    Cache,
    Database,
    ShardedDatabase,
    MessageQueue,
    Workers,
    DataCenter,
    Autoscaler,
}

/// The spec as read: its kind, then its other fields (an object) or its
/// other elements (serde also reads an internally tagged enum from an array:
/// the kind first, then the fields in order), each as its JSON text.
type Buffered = (Kind, Body);

enum Body {
    Map(Vec<(String, Box<RawValue>)>),
    Seq(Vec<Box<RawValue>>),
}

/// A struct's name and field names, as its derived `Deserialize` gives them.
fn shape<T: de::DeserializeOwned>() -> (&'static str, &'static [&'static str]) {
    struct Probe<'p>(&'p std::cell::Cell<(&'static str, &'static [&'static str])>);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom(""))
        }
        fn deserialize_struct<V: de::Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set((name, fields));
            Err(de::Error::custom(""))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let cell = std::cell::Cell::new(("", &[][..]));
    let _ = T::deserialize(Probe(&cell));
    cell.get()
}

/// Reads variant `T` from the buffered fields; errors in `E`, the file's.
fn variant<T: de::DeserializeOwned, E: de::Error>(body: &Body) -> Result<T, E> {
    // serde reads an array's elements as the struct's fields in order: the
    // same as an object with those names (without a second copy of every
    // struct's code), and the same messages (`seq_error`).
    let (fields, shape) = match body {
        Body::Map(fields) => (std::borrow::Cow::Borrowed(fields), None),
        Body::Seq(elems) => {
            let (name, names) = shape::<T>();
            let fields = names
                .iter()
                .zip(elems)
                .map(|(k, v)| (k.to_string(), v.clone()));
            (
                std::borrow::Cow::Owned(fields.collect()),
                Some((name, names, elems.len())),
            )
        }
    };
    let v = T::deserialize(MapAccessDeserializer::new(Fields {
        fields: fields.iter(),
        value: None,
        err: std::marker::PhantomData::<E>,
    }));
    match (v, shape) {
        (v, None) => v,
        (Ok(v), Some(shape)) => match seq_error(None, shape) {
            Some(e) => Err(e),
            None => Ok(v),
        },
        (Err(e), Some(shape)) => Err(seq_error(Some(e), shape).unwrap_or_else(|| E::custom(""))),
    }
}

/// The error serde's array path gives: a missing field is "invalid length",
/// and elements beyond the struct's fields are refused.
fn seq_error<E: de::Error>(
    err: Option<E>,
    (name, names, len): (&str, &[&str], usize),
) -> Option<E> {
    let n = names.len();
    let s = if n == 1 { "" } else { "s" };
    match err {
        Some(e) => {
            let m = e.to_string();
            let missing = m
                .strip_prefix("missing field `")
                .and_then(|f| f.strip_suffix('`'));
            Some(
                match missing.and_then(|f| names.iter().position(|k| *k == f)) {
                    Some(i) => {
                        E::invalid_length(i, &format!("struct {name} with {n} element{s}").as_str())
                    }
                    None => e,
                },
            )
        }
        None if len > n => Some(E::invalid_length(
            len,
            &format!("{n} element{s} in sequence").as_str(),
        )),
        None => None,
    }
}

impl<'de> Deserialize<'de> for ComponentSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The variant is read once the whole object has been (as serde's
        // buffered path does), so a message's position is the same.
        let (kind, body) = d.deserialize_any(SpecVisitor)?;
        let d = &body;
        use ComponentSpec as C;
        Ok(match kind {
            Kind::Users => C::Users(variant::<_, D::Error>(d)?),
            Kind::Dns => C::Dns(variant::<_, D::Error>(d)?),
            Kind::Cdn => C::Cdn(variant::<_, D::Error>(d)?),
            Kind::LoadBalancer => C::LoadBalancer(variant::<_, D::Error>(d)?),
            Kind::WebTier => C::WebTier(variant::<_, D::Error>(d)?),
            Kind::SessionStore => C::SessionStore(variant::<_, D::Error>(d)?),
            Kind::Cache => C::Cache(variant::<_, D::Error>(d)?),
            Kind::Database => C::Database(variant::<_, D::Error>(d)?),
            Kind::ShardedDatabase => C::ShardedDatabase(variant::<_, D::Error>(d)?),
            Kind::MessageQueue => C::MessageQueue(variant::<_, D::Error>(d)?),
            Kind::Workers => C::Workers(variant::<_, D::Error>(d)?),
            Kind::DataCenter => C::DataCenter(variant::<_, D::Error>(d)?),
            Kind::Autoscaler => C::Autoscaler(variant::<_, D::Error>(d)?),
        })
    }
}

struct SpecVisitor;

impl<'de> de::Visitor<'de> for SpecVisitor {
    type Value = Buffered;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("internally tagged enum ComponentSpec")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Buffered, A::Error> {
        let mut kind = None;
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "kind" {
                if kind.is_some() {
                    return Err(de::Error::duplicate_field("kind"));
                }
                kind = Some(map.next_value::<Kind>()?);
            } else {
                fields.push((key, checked(map.next_value::<Box<RawValue>>()?)?));
            }
        }
        match kind {
            Some(kind) => Ok((kind, Body::Map(fields))),
            None => Err(de::Error::missing_field("kind")),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Buffered, A::Error> {
        let Some(kind) = seq.next_element::<Kind>()? else {
            return Err(de::Error::missing_field("kind"));
        };
        let mut elems = Vec::new();
        while let Some(v) = seq.next_element::<Box<RawValue>>()? {
            elems.push(checked(v)?);
        }
        Ok((kind, Body::Seq(elems)))
    }
}

/// The fields other than `kind`, each value still as its JSON text.
struct Fields<'a, E> {
    fields: std::slice::Iter<'a, (String, Box<RawValue>)>,
    value: Option<&'a RawValue>,
    err: std::marker::PhantomData<E>,
}

impl<'a, E: de::Error> MapAccess<'a> for Fields<'a, E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(de::value::StrDeserializer::<E>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, E> {
        let raw = self
            .value
            .take()
            .ok_or_else(|| E::custom("value is missing"))?;
        from_text(seed, raw)
    }
}

/// A value kept as text is only skipped over, which does not check that its
/// numbers fit in an f64 (`1e400`); serde's buffered path refused them while
/// reading, so this does too, with the same message.
fn checked<E: de::Error>(raw: Box<RawValue>) -> Result<Box<RawValue>, E> {
    match serde_json::from_str::<Checked>(raw.get()) {
        Ok(Checked) => Ok(raw),
        Err(e) => Err(E::custom(super::plain_serde_message(&e))),
    }
}

/// Any JSON value, every number parsed.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Checked)
    }
}

impl<'de> de::Visitor<'de> for Checked {
    type Value = Checked;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<de::IgnoredAny, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

/// Reads one field's value from its text; the message without the position
/// inside that text (the caller's deserializer adds the position in the file).
fn from_text<'a, T: DeserializeSeed<'a>, E: de::Error>(
    seed: T,
    raw: &'a RawValue,
) -> Result<T::Value, E> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    seed.deserialize(&mut de).map_err(|e| {
        not_a_variant(raw.get(), &e).unwrap_or_else(|| E::custom(super::plain_serde_message(&e)))
    })
}

/// serde_json refuses a value that is neither a string nor an object where an
/// enum is expected with a bare "expected value"; serde's buffered path said
/// what it found ("invalid type: integer `0`, expected string or map"). This
/// gives that message back: the error's position in the field's text points at
/// the value.
fn not_a_variant<E: de::Error>(text: &str, e: &serde_json::Error) -> Option<E> {
    if !e.is_syntax()
        || e.to_string() != format!("expected value at line {} column {}", e.line(), e.column())
    {
        return None;
    }
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line() - 1)
        .map(str::len)
        .sum();
    let at = text.get(line_start + e.column().checked_sub(1)?..)?;
    if at.starts_with(['}', ',']) {
        // `{}` or `{"a": null, "b": null}`: not one variant's name.
        return Some(E::invalid_value(
            de::Unexpected::Map,
            &"map with a single key",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(at);
    de::Deserializer::deserialize_any(&mut de, Found(std::marker::PhantomData)).ok()
}

/// What was found, as serde's buffered path names it.
struct Found<E>(std::marker::PhantomData<E>);

impl<'de, E: de::Error> de::Visitor<'de> for Found<E> {
    type Value = E;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<X>(self, v: bool) -> Result<E, X> {
        Ok(E::invalid_type(de::Unexpected::Bool(v), &"string or map"))
    }
    fn visit_i64<X>(self, v: i64) -> Result<E, X> {
        Ok(E::invalid_type(de::Unexpected::Signed(v), &"string or map"))
    }
    fn visit_u64<X>(self, v: u64) -> Result<E, X> {
        Ok(E::invalid_type(
            de::Unexpected::Unsigned(v),
            &"string or map",
        ))
    }
    fn visit_f64<X>(self, v: f64) -> Result<E, X> {
        Ok(E::invalid_type(de::Unexpected::Float(v), &"string or map"))
    }
    fn visit_unit<X>(self) -> Result<E, X> {
        Ok(E::invalid_type(de::Unexpected::Unit, &"string or map"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<E, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(E::invalid_type(de::Unexpected::Seq, &"string or map"))
    }
}
