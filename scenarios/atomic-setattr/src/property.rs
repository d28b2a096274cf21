//! The property every fix must hold, as a function of a variant: a data map with one bad
//! entry at any position stores nothing, and the same map without it stores everything.

use crate::model::{Entry, UpdateFn};
use crate::run::apply;

/// How many fields a data map can name (title, rating, tags, authors).
pub const FIELDS: usize = 4;

/// The entry for field `field` (0 title, 1 rating, 2 tags, 3 authors) built from a small
/// number: a good value the database accepts, or the field's bad value - an empty title,
/// a rating of 9, a tag or author id that names no row.
pub fn entry(field: usize, seed: u8, bad: bool) -> Entry {
    // Ids from the bits of `seed`: tags 1..=3, authors 1..=2.
    let ids = |n: i64| {
        (1..=n)
            .filter(|i| seed & (1 << (i - 1)) != 0)
            .collect::<Vec<i64>>()
    };
    match (field % FIELDS, bad) {
        (0, false) => Entry::Title(["Published", "Retitled"][usize::from(seed % 2)].to_owned()),
        (0, true) => Entry::Title(String::new()),
        (1, false) => Entry::Rating(i64::from(seed % 6)),
        (1, true) => Entry::Rating(9),
        (2, false) => Entry::Tags(ids(3)),
        (2, true) => Entry::Tags([ids(3), vec![99]].concat()),
        (3, false) => Entry::Authors(ids(2)),
        _ => Entry::Authors([ids(2), vec![99]].concat()),
    }
}

/// A data map from generated parts: the good entries (field, seed) in order, each field
/// once (a later duplicate is dropped), and the bad entry for field `bad` inserted at
/// `at` (modulo the length), replacing a good entry of the same field. Returns the map
/// and the bad entry's index.
pub fn data_map(good: &[(usize, u8)], bad: (usize, u8), at: usize) -> (Vec<Entry>, usize) {
    let mut entries: Vec<Entry> = Vec::new();
    for &(field, seed) in good {
        let e = entry(field, seed, false);
        if field % FIELDS != bad.0 % FIELDS && entries.iter().all(|x| x.field() != e.field()) {
            entries.push(e);
        }
    }
    let at = at % (entries.len() + 1);
    entries.insert(at, entry(bad.0, bad.1, true));
    (entries, at)
}

/// The property: with the bad entry at `bad_at`, `update` fails and the article and its
/// relations are exactly as before; without it, it succeeds and they are exactly as the
/// map asks. The error says which fields were half stored, and what was refused.
pub fn all_or_nothing(update: UpdateFn, data: &[Entry], bad_at: usize) -> Result<(), String> {
    let failing = apply(update, data).map_err(|e| lab_kit::error_chain(&e))?;
    let Some(error) = &failing.error else {
        return Err(format!("the bad {} was accepted", data[bad_at].field()));
    };
    if failing.after != failing.before {
        let (changed, left) = failing.split();
        return Err(format!(
            "the update failed ({error}) but stored {}; {} stayed old",
            changed.join(", "),
            if left.is_empty() {
                "nothing".to_owned()
            } else {
                left.join(", ")
            }
        ));
    }
    let mut good = data.to_vec();
    good.remove(bad_at);
    let passing = apply(update, &good).map_err(|e| lab_kit::error_chain(&e))?;
    match (&passing.error, passing.after == passing.asked) {
        (None, true) => Ok(()),
        (error, _) => Err(format!(
            "without its bad entry the update stored {:?} instead of {:?} (error: {})",
            passing.after,
            passing.asked,
            error.as_deref().unwrap_or("none")
        )),
    }
}
