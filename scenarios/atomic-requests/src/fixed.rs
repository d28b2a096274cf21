//! The fix: the view opts out of the request's transaction and keeps transactions to the
//! writes that belong together, with no outbound call inside one.

use rusqlite::Connection;

use crate::model::{Cart, Order, Receipt, View, ViewError, atomic};
use crate::outbound::Outbound;

/// The checkout view, as the handler runs it.
pub const CHECKOUT: View = View {
    // FIX: `@transaction.non_atomic_requests`: no transaction spans the view, so no lock
    // is held while a service takes its time.
    non_atomic_requests: true,
    checkout,
};

fn checkout(conn: &Connection, outbound: &Outbound, cart: &Cart) -> Result<Receipt, ViewError> {
    // The order is committed before the card is charged (autocommit): whatever happens
    // next, the charge has an order to belong to.
    let order = Order::create(conn, cart)?;
    let charge = outbound.charge(order.id, order.total)?;
    // FIX: a short transaction around the two writes that record the payment - all or
    // nothing, and no service call inside it.
    atomic(conn, |conn| Ok(order.mark_paid(conn, &charge)?))?;
    // A failure here no longer undoes the payment: the order stays paid, and shipping it
    // can be retried.
    outbound.ship(order.id)?;
    Ok(Receipt {
        order: order.id,
        charge,
    })
}
