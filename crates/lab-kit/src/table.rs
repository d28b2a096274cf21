//! Plain-text tables for the tour, the catalogue and benchmark output.

use std::fmt;

/// A table of strings printed with aligned columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Self {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds one row; missing cells print empty, extra cells are kept.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The headers.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The rows added so far.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// The table printed within `width` columns: while it is too wide, the widest column
    /// is narrowed (never below 8 characters) and its long cells cut with `...`.
    pub fn fit(&self, width: usize) -> String {
        let mut widths = self.natural_widths();
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        while total(&widths) > width {
            let Some((i, &widest)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
                break;
            };
            if widest <= 8 {
                break;
            }
            widths[i] = widest - (total(&widths) - width).min(widest - 8);
        }
        let cut_line = |cells: &[String]| -> Vec<String> {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| cut(c, widths.get(i).copied().unwrap_or(usize::MAX)))
                .collect()
        };
        let fitted = Self {
            headers: cut_line(&self.headers),
            rows: self.rows.iter().map(|r| cut_line(r)).collect(),
        };
        fitted.to_string()
    }

    fn natural_widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        let mut widths = vec![0; columns];
        for line in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, cell) in line.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        widths
    }
}

/// `text` cut to at most `max` characters, ending in `...` when it was cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let keep = max.saturating_sub(3);
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(&".".repeat(max.min(3)));
    out
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.natural_widths();
        let write_line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let mut out = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = cells.get(i).map_or("", String::as_str);
                if i > 0 {
                    out.push_str("  ");
                }
                out.push_str(cell);
                out.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
            writeln!(f, "{}", out.trim_end())
        };
        write_line(f, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        write_line(f, &rule)?;
        for row in &self.rows {
            write_line(f, row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let mut t = Table::new(["id", "n"]);
        t.row(["a", "10"]);
        t.row(["long-id", "2"]);
        assert_eq!(
            t.to_string(),
            "id       n\n-------  --\na        10\nlong-id  2\n"
        );
    }

    #[test]
    fn a_table_too_wide_is_cut_in_its_widest_column() {
        let mut t = Table::new(["id", "symptom"]);
        t.row(["a", "the profile page shows inflated counts"]);
        let fitted = t.fit(20);
        assert!(fitted.lines().all(|l| l.chars().count() <= 20), "{fitted}");
        assert_eq!(fitted.lines().nth(2), Some("a   the profile p..."));
        assert_eq!(t.fit(100), t.to_string());
    }
}
