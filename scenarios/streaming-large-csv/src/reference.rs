//! What an honest body looks like: fingerprints of the two CSVs a table can produce,
//! computed from the generator alone.

use std::io::{self, Write};

use crate::data::{Generator, SEED};
use crate::property::spec_guarded;
use crate::{COLUMNS, format_amount};

/// FNV-1a (64 bit) and a byte count over a stream of bytes: a body's fingerprint that
/// needs no buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum {
    pub bytes: u64,
    hash: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Self {
            bytes: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl Checksum {
    /// Adds `bytes` to the fingerprint.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.hash = (self.hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.bytes += bytes.len() as u64;
    }

    /// `fnv1a64:<hex>`.
    pub fn label(&self) -> String {
        format!("fnv1a64:{:016x}", self.hash)
    }
}

impl Write for Checksum {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The two bodies a table could honestly produce, fingerprinted from the generator alone
/// (not from the database): the plain CSV, and the CSV with formula-looking cells
/// guarded. They differ in exactly `formula_cells` cells.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub plain: Checksum,
    pub guarded: Checksum,
    pub formula_cells: u64,
}

impl Reference {
    /// Fingerprints both bodies of `rows` generated customers.
    pub fn compute(rows: u64) -> lab_kit::Result<Self> {
        let mut plain = csv::Writer::from_writer(Checksum::default());
        let mut guarded = csv::Writer::from_writer(Checksum::default());
        let mut formula_cells = 0;
        let mut amount = String::new();
        let csv_error = |e: csv::Error| lab_kit::Error::Io(e.into());
        plain.write_record(COLUMNS).map_err(csv_error)?;
        guarded.write_record(COLUMNS).map_err(csv_error)?;
        for c in Generator::new(SEED).take(usize::try_from(rows).expect("sizes fit")) {
            format_amount(c.amount_cents, &mut amount);
            let id = c.id.to_string();
            plain
                .write_record([&id, &c.name, &c.email, &amount, &c.created_at])
                .map_err(csv_error)?;
            let (name, email) = (spec_guarded(&c.name), spec_guarded(&c.email));
            formula_cells += u64::from(name != c.name) + u64::from(email != c.email);
            guarded
                .write_record([&id, &*name, &*email, &amount, &c.created_at])
                .map_err(csv_error)?;
        }
        let finish = |w: csv::Writer<Checksum>| -> lab_kit::Result<Checksum> {
            w.into_inner()
                .map_err(|e| lab_kit::Error::Io(io::Error::other(e.to_string())))
        };
        Ok(Self {
            plain: finish(plain)?,
            guarded: finish(guarded)?,
            formula_cells,
        })
    }

    /// Which reference `body` is, in words.
    pub fn describe(&self, body: &Checksum) -> String {
        if *body == self.plain {
            "the plain CSV of the table".to_owned()
        } else if *body == self.guarded {
            format!(
                "the CSV of the table with its {} formula-looking cells guarded",
                self.formula_cells
            )
        } else {
            "NEITHER reference CSV of the table".to_owned()
        }
    }
}
