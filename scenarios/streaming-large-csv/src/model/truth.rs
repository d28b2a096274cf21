//! What an honest body is: the CSV of a table written apart from the variants' writer
//! (the `csv` crate configured here, the amounts formatted here), and its fingerprint.

use std::io::{self, Write};

use lab_kit::stream::Checksum;

use super::{COLUMNS, Customer, Generator};

/// Writes the CSV every correct export of `customers` sends, byte for byte: the header,
/// then one record per customer in the given order; RFC 4180 quoting by the `csv` crate
/// and `\r\n` after every record, as Python's `csv.writer` writes it.
pub fn write_expected<W: Write>(
    customers: impl IntoIterator<Item = Customer>,
    out: W,
) -> io::Result<W> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    csv.write_record(COLUMNS)?;
    for c in customers {
        let sign = if c.amount_cents < 0 { "-" } else { "" };
        let (units, cents) = ((c.amount_cents / 100).abs(), (c.amount_cents % 100).abs());
        let amount = format!("{sign}{units}.{cents:02}");
        csv.write_record([&c.id.to_string(), &c.name, &c.email, &amount, &c.created_at])?;
    }
    csv.into_inner().map_err(|e| e.into_error())
}

/// The fingerprint of the body an export of `rows` generated customers must send,
/// computed from the generator alone (not from the database).
pub fn expected_checksum(rows: u64, seed: u64) -> io::Result<Checksum> {
    let count = usize::try_from(rows).map_err(io::Error::other)?;
    write_expected(Generator::new(seed).take(count), Checksum::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_csv_reads_back_as_the_table() {
        let customers: Vec<Customer> = Generator::new(super::super::SEED).take(200).collect();
        let body = write_expected(customers.clone(), Vec::new()).expect("writes to memory");
        assert!(body.ends_with(b"\r\n"), "records end with CRLF");
        let mut reader = csv::Reader::from_reader(body.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), customers.len());
        for (c, row) in customers.iter().zip(&rows) {
            assert_eq!(row[1], c.name);
            assert_eq!(row[2], c.email);
            let cents: f64 = row[3].parse().expect("a decimal amount");
            assert_eq!((cents * 100.0).round(), c.amount_cents as f64);
        }
    }
}
