//! The pitfall: a receiver that keeps another model in step by saving it - the way the
//! Django documentation's examples save a related object in a post_save receiver.
//!
//! ```text
//! @receiver(post_save, sender=User)
//! def user_saved(sender, instance, **kwargs):
//!     profile = Profile.objects.get(pk=instance.pk)
//!     profile.email = instance.email
//!     profile.save()                    # sends post_save for Profile
//!
//! @receiver(post_save, sender=Profile)
//! def profile_saved(sender, instance, **kwargs):
//!     user = User.objects.get(pk=instance.pk)
//!     user.email = instance.email
//!     user.save()                       # sends post_save for User: and round it goes
//! ```

use crate::model::{Instance, SaveError};
use crate::orm::Orm;

/// After `saved` was saved, copy its email to `target`'s row with the same id.
pub fn sync_email(orm: &mut Orm<'_>, saved: &Instance, target: &str) -> Result<(), SaveError> {
    let mut other = orm.get(target, saved.id)?;
    other.email.clone_from(&saved.email);
    // PITFALL: save() sends post_save for the other model, whose receiver saves this
    // model again, whose receiver saves the other again... Neither receiver saves its own
    // model, yet together they never stop; every round writes both rows once more.
    orm.save(&other)
}
