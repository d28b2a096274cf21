//! The check a fix must pass, through nothing but the API it shares with `broken.rs` (its
//! `welcome`): for a sign-up that commits, one that rolls back and a user saved in
//! autocommit, in every order of the provider's delivery and answer, each account that
//! exists gets one welcome mail whose delivery finds it, and no other mail goes out.
//! Deterministic - every schedule is run, none is sampled - and it fails for a fix that is
//! still a copy of `broken.rs`. This file travels with the homework export and grades it.

use email_on_commit::{fixed, property};

#[test]
fn fixed_welcomes_every_account_once_it_exists_in_every_schedule() {
    assert_eq!(
        property::welcomes_every_account_once_it_exists(fixed::welcome),
        Ok(())
    );
}
