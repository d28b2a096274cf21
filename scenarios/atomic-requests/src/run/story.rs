//! The story every variant tells: ann's checkout on a worker thread of its own, bob saving
//! his address from a session of his own, and the two services answering - in the order
//! of one explicit permutation; then what the database and the provider hold.

use lab_kit::interleave::WorkerSession;
use lab_kit::interleave::{Interleaving, ServiceSession, SessionDriver, Slot, SqliteSession};

use super::world::{StoredOrder, World};
use crate::model::{ANNS_CART, View, handle};
use crate::services::Charge;

/// ann's checkout.
pub const CHECKOUT: &str = "s1_checkout";
/// bob's write.
pub const WRITE: &str = "s2_write";
/// The payment provider answers the oldest call it holds.
pub const PAYMENTS: &str = "payments_answer";
/// The warehouse answers the oldest call it holds.
pub const WAREHOUSE: &str = "warehouse_answer";

/// What bob's request writes, in its own session and autocommit.
pub const BOBS_WRITE: &str = "UPDATE shop_customer SET address = '3 Pine Street' WHERE id = 2";

/// What one story left.
#[derive(Debug)]
pub struct Story {
    pub result: Interleaving,
    pub checkout_status: Option<u16>,
    pub orders: Vec<StoredOrder>,
    pub charges: Vec<Charge>,
    pub bobs_address: String,
}

/// Runs `view` for ann's checkout and bob's write through `permutation`, the warehouse
/// up or down.
pub fn tell(view: View, warehouse_up: bool, permutation: &[&str]) -> lab_kit::Result<Story> {
    let world = World::new(warehouse_up)?;
    let (conn, log) = world.app_connection()?;
    let (outbound, status) = (world.outbound(), Slot::new(None::<u16>));
    let answer = status.clone();
    let shown = format!(
        "POST /checkout customer={} total={}",
        ANNS_CART.customer, ANNS_CART.total
    );
    let ann =
        WorkerSession::new("s1", &world.gates)
            .statements(log)
            .step(CHECKOUT, &shown, move || {
                let (code, text) = handle(&view, &conn, &outbound, &ANNS_CART);
                answer.set(Some(code));
                Ok(text)
            });
    let bob = SqliteSession::new("s2", world.connect()?).sql(WRITE, BOBS_WRITE);
    let mut sessions: Vec<Box<dyn SessionDriver>> = vec![
        Box::new(ann),
        Box::new(bob),
        Box::new(ServiceSession::new("payments", &world.gates).answer(PAYMENTS)),
        Box::new(ServiceSession::new("warehouse", &world.gates).answer(WAREHOUSE)),
    ];
    let result = lab_kit::db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    Ok(Story {
        result,
        checkout_status: status.get(),
        orders: world.orders()?,
        charges: world.charges(),
        bobs_address: world.address(2)?,
    })
}
