//! The pitfall: `ATOMIC_REQUESTS = True` wraps the whole checkout in one transaction - its
//! calls to the payment provider and the warehouse included.
//!
//! The Django view this is (the project sets `ATOMIC_REQUESTS = True`):
//! ```text
//! def checkout(request):
//!     order = Order.objects.create(customer=..., total=40, status="new")
//!     charge = payments.charge(order.pk, order.total)   # seconds, on a bad day
//!     order.status, order.charge = "paid", charge
//!     order.save()
//!     Payment.objects.create(order=order, charge=charge, amount=order.total)
//!     warehouse.ship(order.pk)                          # raises when it is down
//! ```

use rusqlite::Connection;

use crate::model::{Cart, Order, Receipt, View, ViewError};
use crate::outbound::Outbound;

/// The checkout view, as the handler runs it.
pub const CHECKOUT: View = View {
    // PITFALL: the view runs inside the request's transaction, so everything below is one
    // transaction. Its first INSERT takes SQLite's write lock, held until the view returns
    // - through both outbound calls, however slow: every other writer gets "database is
    // locked" meanwhile. And when the warehouse call fails, the rollback removes the order
    // and the payment row, but not the charge the provider made: the card stays charged
    // for an order the shop no longer has.
    non_atomic_requests: false,
    checkout,
};

fn checkout(conn: &Connection, outbound: &Outbound, cart: &Cart) -> Result<Receipt, ViewError> {
    let order = Order::create(conn, cart)?;
    let charge = outbound.charge(order.id, order.total)?;
    order.mark_paid(conn, &charge)?;
    outbound.ship(order.id)?;
    Ok(Receipt {
        order: order.id,
        charge,
    })
}
