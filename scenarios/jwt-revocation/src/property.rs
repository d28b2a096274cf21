//! The property of an auth scheme, runnable against any [`Auth`]: over any sequence of
//! logins, logouts, password changes, requests and clock moves, a request is accepted
//! exactly when its token has not expired and its user has not logged out or changed the
//! password since it was issued.

use crate::model::{ANN, Auth, MINUTE, Principal, START, peek};
use crate::run::database;

/// One thing ann or her clients do. A token is named by its index among the tokens
/// issued so far (counted modulo how many there are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Login,
    Request(usize),
    Logout(usize),
    ChangePassword(usize),
    Wait(u64),
}

/// The longest generated sequence.
pub const MAX_OPS: usize = 12;

/// A generated operation from plain numbers: kind (0 to 4) and a token index or a number
/// of minutes (1 to 10).
pub fn op(kind: u8, n: usize) -> Op {
    match kind % 5 {
        0 => Op::Login,
        1 => Op::Request(n),
        2 => Op::Logout(n),
        3 => Op::ChangePassword(n),
        _ => Op::Wait(n as u64 % 10 + 1),
    }
}

impl Op {
    /// The operation in a few words, for counterexamples.
    pub fn describe(&self) -> String {
        match self {
            Op::Login => "ann logs in".to_owned(),
            Op::Request(i) => format!("a request with token #{i}"),
            Op::Logout(i) => format!("logout with token #{i}"),
            Op::ChangePassword(i) => format!("password change with token #{i}"),
            Op::Wait(m) => format!("{m} minutes pass"),
        }
    }
}

/// An issued token and the number of revocations ann had seen when it was issued.
struct Issued {
    token: String,
    revocations: u32,
}

/// The property a correct scheme satisfies on `ops`.
pub fn revoked_tokens_stay_out(auth: Auth, ops: &[Op]) -> Result<(), String> {
    let conn = database(auth).map_err(|e| e.to_string())?;
    let (mut now, mut password, mut revocations) = (START, ANN.1.to_owned(), 0_u32);
    let mut issued: Vec<Issued> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let at = format!("step {} ({})", step + 1, op.describe());
        match op {
            Op::Login => {
                let tokens = (auth.login)(&conn, ANN.0, &password, now)
                    .map_err(|e| format!("{at}: the login failed: {e}"))?;
                issued.push(Issued {
                    token: tokens.access,
                    revocations,
                });
            }
            Op::Wait(minutes) => now += minutes * MINUTE,
            Op::Request(i) | Op::Logout(i) | Op::ChangePassword(i) => {
                if issued.is_empty() {
                    continue;
                }
                let token = &issued[i % issued.len()];
                let expired = peek(&token.token).is_none_or(|c| now >= c.exp);
                let should = !expired && token.revocations == revocations;
                let got: Result<Principal, _> = (auth.authenticate)(&conn, &token.token, now);
                if got.is_ok() != should {
                    let verdict = if should { "refused" } else { "accepted" };
                    return Err(format!(
                        "{at}: {verdict} token #{} (issued after {} revocations, {} now{})",
                        i % issued.len(),
                        token.revocations,
                        revocations,
                        if expired { ", expired" } else { "" }
                    ));
                }
                let Ok(principal) = got else { continue };
                match op {
                    Op::Logout(_) => {
                        (auth.logout)(&conn, &principal, now).map_err(|e| format!("{at}: {e}"))?;
                        revocations += 1;
                    }
                    Op::ChangePassword(_) => {
                        password = format!("new password {step}");
                        (auth.change_password)(&conn, &principal, &password, now)
                            .map_err(|e| format!("{at}: {e}"))?;
                        revocations += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
