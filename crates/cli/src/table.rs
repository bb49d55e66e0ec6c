//! A tiny aligned text table: the first column left-aligned, the others
//! right-aligned unless marked with [`Table::left`].

/// Rows of cells under a header, printed with two spaces between columns.
#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
    left: Vec<usize>,
}

impl Table {
    /// A table with this header row.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            rows: vec![header.into_iter().map(Into::into).collect()],
            left: vec![0],
        }
    }

    /// Left-aligns column `col` too (names, kinds, prose).
    pub fn left(mut self, col: usize) -> Self {
        self.left.push(col);
        self
    }

    /// Appends a row (missing cells print as blanks).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table as lines of text, each ending in a newline, without trailing spaces.
    pub fn render(&self) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut width = vec![0usize; cols];
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for r in &self.rows {
            let mut line = String::new();
            for (i, w) in width.iter().enumerate() {
                let cell = r.get(i).map(String::as_str).unwrap_or("");
                let pad = w.saturating_sub(cell.chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                if self.left.contains(&i) {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A number with `decimals` digits after the point; `-` for NaN, `inf` for infinity.
pub fn num(v: f64, decimals: usize) -> String {
    if v.is_nan() {
        "-".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{v:.decimals$}")
    }
}

/// An optional number; `-` when absent.
pub fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "-".to_string(), |x| num(x, decimals))
}

/// An integer with thousands separators (`1,234,567`).
pub fn int(v: u64) -> String {
    let digits = v.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).unwrap_or(""))
        .collect();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(["id", "value"]);
        t.row(["a", "1.0"]);
        t.row(["long-id", "10.25"]);
        assert_eq!(
            t.render(),
            "id       value\na          1.0\nlong-id  10.25\n"
        );
        let mut k = Table::new(["key", "v"]).left(1);
        k.row(["seed", "1"]);
        k.row(["name", "long"]);
        assert_eq!(k.render(), "key   v\nseed  1\nname  long\n");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1_000), "1,000");
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(num(f64::INFINITY, 1), "inf");
        assert_eq!(num(f64::NAN, 1), "-");
        assert_eq!(num(1.25, 1), "1.2");
        assert_eq!(opt(None, 2), "-");
    }
}
