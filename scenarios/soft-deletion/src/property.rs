//! The property of a shop, runnable against any [`Shop`]: after every operation of any
//! sequence of sign-ups, orders, deletes and undeletes, the operation got the answer the
//! truth gives (an address is refused only while a live customer has it) and every read
//! path shows exactly the live rows.

use crate::model::{Op, Shop};
use crate::truth::Truth;
use crate::world::World;

/// Addresses a generated sign-up draws from: two, so that addresses come back.
pub const EMAILS: [&str; 2] = ["ada@example.com", "bob@example.com"];
/// Items a generated order draws from.
pub const ITEMS: [&str; 2] = ["lamp", "desk"];
/// The largest customer or order id a generated operation names.
pub const MAX_ID: i64 = 3;
/// The longest generated sequence.
pub const MAX_OPS: usize = 10;

/// A generated operation from plain numbers: kind (0 to 4), an id (1 to [`MAX_ID`]) and
/// a choice of address or item.
pub fn op(kind: u8, id: i64, choice: usize) -> Op {
    match kind % 5 {
        0 => Op::SignUp {
            email: EMAILS[choice % EMAILS.len()].to_owned(),
        },
        1 => Op::PlaceOrder {
            customer: id,
            item: ITEMS[choice % ITEMS.len()].to_owned(),
        },
        2 => Op::DeleteOrder { order: id },
        3 => Op::DeleteCustomer { customer: id },
        _ => Op::UndeleteCustomer { customer: id },
    }
}

/// The operations of `ops` the app offers when they come (see [`Truth::allows`]), the
/// ones a shop is run on.
pub fn offered(ops: &[Op]) -> Vec<Op> {
    let mut truth = Truth::default();
    let mut kept = Vec::new();
    for op in ops {
        if truth.allows(op) {
            // Only the state matters here; the answer is checked where the shop runs.
            let _answer = truth.apply(op);
            kept.push(op.clone());
        }
    }
    kept
}

/// The property a correct shop satisfies on `ops` (those [`offered`]): after each one,
/// the answer is the truth's and every read path shows exactly the truth's rows.
pub fn live_rows_only(shop: Shop, ops: &[Op]) -> Result<(), String> {
    let mut world = World::new(shop).map_err(|e| e.to_string())?;
    for (i, op) in offered(ops).iter().enumerate() {
        let step = format!("step {} ({})", i + 1, op.describe());
        let (got, want) = world.apply(op);
        if got != want {
            return Err(format!("{step}: answered {got:?}, truth {want:?}"));
        }
        let ids = world.stored_ids().map_err(|e| format!("{step}: {e}"))?;
        let reads = world.reads(&ids).map_err(|e| format!("{step}: {e}"))?;
        let truth = world.truth(&ids);
        if let Some(path) = reads.differing(&truth).first() {
            let [got, want] = [&reads, &truth]
                .map(|r| serde_json::to_value(r).expect("plain data")[path].clone());
            return Err(format!("{step}: {path} showed {got}, truth {want}"));
        }
    }
    Ok(())
}
