//! Fix 1: write the other row with one UPDATE, as `QuerySet.update()` does: no post_save.

use crate::model::{Instance, SaveError};
use crate::orm::Orm;

/// After `saved` was saved, copy its email to `target`'s row with the same id.
pub fn sync_email(orm: &mut Orm<'_>, saved: &Instance, target: &str) -> Result<(), SaveError> {
    // FIX: `Profile.objects.filter(pk=...).update(email=...)`: one UPDATE statement and no
    // Model.save(), so the other model's receivers do not run and nothing comes back here.
    // The cost: none of the other model's receivers run (a cache to clear, a search index
    // to feed), and it skips save()'s own work (auto_now fields, overridden save()).
    orm.update(target, saved.id, &saved.email)?;
    Ok(())
}
