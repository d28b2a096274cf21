//! The fix: the mail waits for the commit - `transaction.on_commit()` - so it goes out
//! once the account is really there, never for a sign-up that rolled back, and at once
//! when there is no transaction to wait for.

use crate::mail::{MailError, Mailer};
use crate::model::{User, welcome_message};
use crate::transaction::Db;

/// Welcomes a user who was just saved on `db`.
pub fn welcome(db: &mut Db, mailer: &Mailer, user: &User) -> Result<(), MailError> {
    let (mailer, message) = (mailer.clone(), welcome_message(user));
    // FIX: registered on the connection, the send runs after the outermost COMMIT, is
    // dropped if the transaction rolls back, and runs at once in autocommit. A send that
    // fails then can no longer undo the sign-up, which is committed: it is the provider's
    // retry (or a queue's) from here on.
    db.on_commit(move || {
        let _ = mailer.send(&message);
    });
    Ok(())
}
