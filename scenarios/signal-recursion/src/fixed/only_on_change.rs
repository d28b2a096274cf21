//! Fix 2: save the other row only when the value really changes it.

use crate::model::{Instance, SaveError};
use crate::orm::Orm;

/// After `saved` was saved, copy its email to `target`'s row with the same id.
pub fn sync_email(orm: &mut Orm<'_>, saved: &Instance, target: &str) -> Result<(), SaveError> {
    let mut other = orm.get(target, saved.id)?;
    // FIX: compare before saving. The round trip comes back to a row that already holds
    // the email, finds nothing to do and stops there: every row is written once, and the
    // other model's receivers still run for the save that did change it. The cost: one
    // read per receiver, and a receiver that must know what "changed" means for it.
    if other.email == saved.email {
        return Ok(());
    }
    other.email.clone_from(&saved.email);
    orm.save(&other)
}
