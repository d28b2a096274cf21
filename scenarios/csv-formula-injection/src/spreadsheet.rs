//! A model of a spreadsheet opening a CSV file, written apart from the export and the fix:
//! the `csv` crate's reader splits records and fields (RFC 4180), then each field becomes
//! a cell the way OWASP's "CSV Injection" page describes it.

use serde::Serialize;

/// What a spreadsheet makes of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Cell {
    /// Shown as this text, never evaluated.
    Text(String),
    /// Read as a number.
    Number(String),
    /// Evaluated: the spreadsheet runs this formula when the file opens.
    Formula(String),
}

impl Cell {
    /// What the cell does, in words.
    pub fn describe(&self) -> String {
        match self {
            Self::Text(text) => format!("shown as the text {text:?}"),
            Self::Number(number) => format!("read as the number {number}"),
            Self::Formula(formula) => format!("EVALUATED as the formula {formula:?}"),
        }
    }
}

/// Characters a spreadsheet may skip at the start of a field before it looks for a
/// formula: OWASP lists tab, carriage return and line feed as bypasses of a check that
/// only looks at the first character, and ASVS 5.0 adds NUL. The model is pessimistic and
/// skips them all.
const SKIPPED: [char; 4] = ['\t', '\r', '\n', '\0'];

/// Characters that start a formula (or a signed number).
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// What a spreadsheet shows for `field`: a leading `'` makes the rest text; after any
/// skipped characters, a field that starts like a formula is evaluated unless it is a
/// plain signed number; a plain number is a number; anything else is text.
pub fn interpret(field: &str) -> Cell {
    if let Some(text) = field.strip_prefix('\'') {
        return Cell::Text(text.to_owned());
    }
    let body = field.trim_start_matches(SKIPPED);
    if is_number(body) {
        Cell::Number(body.to_owned())
    } else if body.starts_with(FORMULA_STARTS) {
        Cell::Formula(body.to_owned())
    } else {
        Cell::Text(field.to_owned())
    }
}

/// `5`, `-5`, `+3.25`: digits with at most one decimal point, optionally signed.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next().unwrap_or_default();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// The fields of a CSV file as a spreadsheet splits it, one row per record (the header
/// row included); each field then becomes a cell through [`interpret`].
pub fn fields(csv: &[u8]) -> Result<Vec<Vec<String>>, csv::Error> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv)
        .records()
        .map(|record| Ok(record?.iter().map(str::to_owned).collect()))
        .collect()
}

/// The spreadsheet name of a cell: `B6` for the second column of the sixth row.
pub fn address(row: usize, column: usize) -> String {
    let letter = char::from(b'A' + u8::try_from(column).expect("a handful of columns"));
    format!("{letter}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_evaluated_and_numbers_and_text_are_not() {
        let formula = |s: &str| Cell::Formula(s.to_owned());
        assert_eq!(interpret("=1+2"), formula("=1+2"));
        assert_eq!(interpret("@SUM(A1)"), formula("@SUM(A1)"));
        assert_eq!(interpret("+44 20 7946 0958"), formula("+44 20 7946 0958"));
        assert_eq!(interpret("\t=1+2"), formula("=1+2"));
        assert_eq!(interpret("\0-x"), formula("-x"));
        assert_eq!(interpret("-5"), Cell::Number("-5".into()));
        assert_eq!(interpret("3.25"), Cell::Number("3.25".into()));
        assert_eq!(interpret("'=1+2"), Cell::Text("=1+2".into()));
        assert_eq!(interpret("555-0100"), Cell::Text("555-0100".into()));
        assert_eq!(interpret(""), Cell::Text(String::new()));
        assert_eq!(address(5, 1), "B6");
    }
}
