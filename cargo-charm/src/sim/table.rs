//! Text tables as `juju status` (and `pebble services`) print them.

use std::fmt::Write;

/// Columns padded to their widest cell, two spaces apart, the last one unpadded (as
/// `juju status` prints them).
pub fn table(rows: &[Vec<String>]) -> String {
    aligned(rows, &[])
}

/// [`table`] with the columns in `right` right-aligned (`Scale`, `Rev` in `juju status`).
// Hand-written: a table crate (comfy-table, tabled) draws borders or pads differently.
pub fn aligned(rows: &[Vec<String>], right: &[usize]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let last = c + 1 == r.len();
            if right.contains(&c) {
                let _ = write!(line, "{cell:>w$}", w = widths[c]);
            } else if last {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}", w = widths[c]);
            }
            if !last {
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
