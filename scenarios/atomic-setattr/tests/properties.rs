//! What a fix must pass: on the seed edit and on every generated data map with one bad
//! entry at a random position (a fixed seed, so the same maps every run), the update stores
//! nothing; without the bad entry it stores everything. A copy of the broken update fails
//! it. This file travels with the homework export and grades it.

use atomic_setattr::fixed;
use atomic_setattr::model::{Entry, UpdateFn};
use atomic_setattr::property::{FIELDS, all_or_nothing, data_map};
use atomic_setattr::run::seed_update;
use proptest::prelude::*;

/// Data maps of up to four fields, one of them bad, at any position: (map, bad index).
fn maps() -> impl Strategy<Value = (Vec<Entry>, usize)> {
    let good = proptest::collection::vec((0..FIELDS, any::<u8>()), 0..=FIELDS);
    (good, (0..FIELDS, any::<u8>()), any::<usize>())
        .prop_map(|(good, bad, at)| data_map(&good, bad, at))
}

/// Asserts all-or-nothing for `update` on the seed edit and on 256 generated maps, failing
/// with the shrunk map that breaks it.
#[track_caller]
fn check(update: UpdateFn) {
    let seed = seed_update();
    assert_eq!(
        all_or_nothing(update, &seed, seed.len() - 1),
        Ok(()),
        "the seed edit"
    );
    let found = lab_kit::property::minimal_counterexample(&maps(), 256, |(map, bad)| {
        all_or_nothing(update, map, *bad)
    });
    if let Some(((map, bad), reason)) = found {
        panic!("{reason}\non the data map {map:?} (bad entry at {bad})");
    }
}

#[test]
fn fixed_stores_all_or_nothing_for_any_data_map() {
    check(fixed::update_article);
}
