//! The pitfall: the welcome mail goes out the moment the account row is inserted, inside
//! whatever transaction the code that saved the user has open.
//!
//! The Django receiver this is:
//! ```text
//! @receiver(post_save, sender=User)
//! def welcome(sender, instance, created, **kwargs):
//!     if created:
//!         send_mail(f"Welcome, {instance.name}", ..., [instance.email])
//! ```

use crate::mail::{MailError, Mailer};
use crate::model::{User, welcome_message};
use crate::transaction::Db;

/// Welcomes a user who was just saved on `db`.
#[expect(
    unused_variables,
    reason = "the pitfall: the receiver never asks the connection it was saved on anything"
)]
pub fn welcome(db: &mut Db, mailer: &Mailer, user: &User) -> Result<(), MailError> {
    // PITFALL: the mail leaves now, while the sign-up's transaction is still open. The
    // provider (or the recipient who follows the link at once) looks the account up and
    // finds nothing, since nothing is committed yet; and if the sign-up then fails and
    // rolls back, the account is gone but the mail has been sent.
    mailer.send(&welcome_message(user))
}
