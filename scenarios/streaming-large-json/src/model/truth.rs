//! What an honest body is: the table as `json.dumps` writes it, spelled out here byte by
//! byte (Python's `encode_basestring_ascii`, written apart from the variants' serde
//! formatter), and its fingerprint.

use std::io::{self, Write};

use lab_kit::stream::Checksum;

use super::{Generator, Order};

/// Writes the JSON every correct export of `orders` sends, byte for byte: `[`, one object
/// per order in the given order with the keys of `.values()`, `", "` between objects and
/// between members, `": "` after keys, `]`.
pub fn write_expected<W: Write>(
    orders: impl IntoIterator<Item = Order>,
    mut out: W,
) -> io::Result<W> {
    out.write_all(b"[")?;
    for (i, o) in orders.into_iter().enumerate() {
        if i > 0 {
            out.write_all(b", ")?;
        }
        write!(out, "{{\"id\": {}, \"customer\": ", o.id)?;
        string(&mut out, &o.customer)?;
        out.write_all(b", \"note\": ")?;
        match &o.note {
            Some(note) => string(&mut out, note)?,
            None => out.write_all(b"null")?,
        }
        let sign = if o.total_cents < 0 { "-" } else { "" };
        let (units, cents) = ((o.total_cents / 100).abs(), (o.total_cents % 100).abs());
        write!(
            out,
            ", \"total\": \"{sign}{units}.{cents:02}\", \"paid\": {}, \"placed_at\": ",
            o.paid
        )?;
        string(&mut out, &o.placed_at)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]")?;
    Ok(out)
}

/// A JSON string as Python's `json` module writes it with `ensure_ascii=True`: printable
/// ASCII as it is, the short escapes, everything else as `\uXXXX` in lower-case hex (two
/// of them, a surrogate pair, above U+FFFF).
fn string<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    for c in text.chars() {
        match c {
            '"' => out.write_all(b"\\\"")?,
            '\\' => out.write_all(b"\\\\")?,
            '\n' => out.write_all(b"\\n")?,
            '\r' => out.write_all(b"\\r")?,
            '\t' => out.write_all(b"\\t")?,
            '\u{8}' => out.write_all(b"\\b")?,
            '\u{c}' => out.write_all(b"\\f")?,
            ' '..='~' => out.write_all(&[c as u8])?,
            _ => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(out, "\\u{unit:04x}")?;
                }
            }
        }
    }
    out.write_all(b"\"")
}

/// The fingerprint of the body an export of `rows` generated orders must send, computed
/// from the generator alone (not from the database).
pub fn expected_checksum(rows: u64, seed: u64) -> io::Result<Checksum> {
    let count = usize::try_from(rows).map_err(io::Error::other)?;
    write_expected(Generator::new(seed).take(count), Checksum::default())
}

#[cfg(test)]
mod tests {
    use super::super::{SEED, json_dump};
    use super::*;

    #[test]
    fn the_expected_json_reads_back_as_the_table() {
        let orders: Vec<Order> = Generator::new(SEED).take(300).collect();
        let body = write_expected(orders.clone(), Vec::new()).unwrap();
        assert!(body.is_ascii(), "ensure_ascii leaves no byte above 0x7f");
        let parsed: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed.len(), orders.len());
        for (o, v) in orders.iter().zip(&parsed) {
            assert_eq!(v["id"], o.id);
            assert_eq!(v["customer"], o.customer.as_str());
            assert_eq!(v["note"].as_str(), o.note.as_deref());
            let total: f64 = v["total"].as_str().unwrap().parse().unwrap();
            assert_eq!((total * 100.0).round(), o.total_cents as f64);
            assert_eq!(v["paid"], o.paid);
        }
    }

    #[test]
    fn the_shared_formatter_writes_the_same_bytes_as_the_truth() {
        // The variants' serde formatter and this hand-written encoder agree on the table.
        let orders: Vec<Order> = Generator::new(SEED).take(300).collect();
        let mut serde = Vec::new();
        json_dump(&orders, &mut serde).unwrap();
        assert_eq!(
            String::from_utf8(serde).unwrap(),
            String::from_utf8(write_expected(orders, Vec::new()).unwrap()).unwrap()
        );
        let empty: Vec<Order> = Vec::new();
        assert_eq!(write_expected(empty, Vec::new()).unwrap(), b"[]");
    }
}
