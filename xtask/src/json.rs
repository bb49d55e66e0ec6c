//! A minimal JSON reader (xtask has no dependencies): enough to read the
//! figures that `scalelab bench --json`, the SimPy script and the browser
//! bench print.

use std::collections::BTreeMap;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    /// Parses one JSON document (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("JSON: trailing characters at byte {}", p.i));
        }
        Ok(v)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.get(key),
            _ => None,
        }
    }

    /// Follows a `/`-separated path of object keys.
    pub fn at(&self, path: &str) -> Option<&Json> {
        path.split('/').try_fold(self, |v, k| v.get(k))
    }

    /// This value as a number, NaN if it is not one.
    pub fn as_f64(&self) -> f64 {
        match self {
            Json::Num(x) => *x,
            _ => f64::NAN,
        }
    }

    /// The number at `path`, NaN if absent or not a number.
    pub fn num(&self, path: &str) -> f64 {
        self.at(path).map_or(f64::NAN, Json::as_f64)
    }

    /// The string at `path`.
    pub fn str(&self, path: &str) -> Option<&str> {
        match self.at(path) {
            Some(Json::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The elements of an array (empty otherwise).
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Arr(v) => v,
            _ => &[],
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("JSON: {what} at byte {}", self.i))
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.s.get(self.i) {
            None => self.err("unexpected end"),
            Some(b'{') => {
                self.i += 1;
                let mut m = BTreeMap::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Json::Obj(m));
                }
                loop {
                    self.ws();
                    let Json::Str(k) = self.value()? else {
                        return self.err("expected a key");
                    };
                    self.ws();
                    if !self.eat(":") {
                        return self.err("expected ':'");
                    }
                    let v = self.value()?;
                    m.insert(k, v);
                    self.ws();
                    if self.eat("}") {
                        return Ok(Json::Obj(m));
                    }
                    if !self.eat(",") {
                        return self.err("expected ',' or '}'");
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut v = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Json::Arr(v));
                }
                loop {
                    v.push(self.value()?);
                    self.ws();
                    if self.eat("]") {
                        return Ok(Json::Arr(v));
                    }
                    if !self.eat(",") {
                        return self.err("expected ',' or ']'");
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(_) if self.eat("true") => Ok(Json::Bool(true)),
            Some(_) if self.eat("false") => Ok(Json::Bool(false)),
            Some(_) if self.eat("null") => Ok(Json::Null),
            // Python's json writes these for non-finite floats.
            Some(_) if self.eat("NaN") => Ok(Json::Num(f64::NAN)),
            Some(_) if self.eat("Infinity") => Ok(Json::Num(f64::INFINITY)),
            Some(_) if self.eat("-Infinity") => Ok(Json::Num(f64::NEG_INFINITY)),
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len() && b"+-.eE0123456789".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                match text.parse::<f64>() {
                    Ok(x) if !text.is_empty() => Ok(Json::Num(x)),
                    _ => self.err("expected a value"),
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out = Vec::new();
        while let Some(&b) = self.s.get(self.i) {
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|e| format!("JSON: {e}")),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else { break };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4).unwrap_or(b"003f");
                            self.i += 4;
                            let code = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                                .unwrap_or('?');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(code.encode_utf8(&mut buf).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        self.err("unterminated string")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_figures() {
        let j = Json::parse(
            r#" {"a": {"b": [1, 2.5e3, -3]}, "s": "x\"\u00e9", "n": null, "t": true, "f": NaN} "#,
        )
        .expect("parses");
        assert_eq!(j.at("a/b").map(|v| v.items().len()), Some(3));
        assert_eq!(j.at("a/b").expect("b").items()[1], Json::Num(2500.0));
        assert_eq!(j.at("a/b").expect("b").items()[2].as_f64(), -3.0);
        assert!(j.at("s").expect("s").as_f64().is_nan());
        assert_eq!(j.str("s"), Some("x\"é"));
        assert!(j.num("f").is_nan());
        assert!(j.num("missing").is_nan());
        assert!(Json::parse("{\"a\": }").is_err());
        assert!(Json::parse("[1] x").is_err());
    }
}
