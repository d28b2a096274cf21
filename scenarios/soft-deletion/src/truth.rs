//! The independent truth: the same operations applied to plain Rust values, no SQL. A
//! customer is live until deleted; an order is live while it is not deleted itself and
//! its customer is live; an address is taken only by a live customer.

use crate::model::{Customer, Op, OrderCount, OrderLine};

/// What every read path should show, and what each operation should answer.
#[derive(Debug, Default, Clone)]
pub struct Truth {
    customers: Vec<(Customer, bool)>,
    orders: Vec<(OrderLine, bool)>,
}

/// The answer to an operation: `Ok` with the text the app shows, or the refusal.
pub type Answer = Result<String, String>;

/// The refusal of an address a live customer already has.
pub const TAKEN: &str = "UNIQUE constraint failed: shop_customer.email";

impl Truth {
    fn live_customer(&self, id: i64) -> Option<&Customer> {
        let (customer, deleted) = self.customers.get(index(id)?)?;
        (!deleted).then_some(customer)
    }

    fn taken(&self, email: &str, by_other_than: i64) -> bool {
        self.customers
            .iter()
            .any(|(c, deleted)| !deleted && c.email == email && c.id != by_other_than)
    }

    /// Whether the app offers `op` at all in this state: an order for a live customer,
    /// deleting what is live, undeleting what is deleted. Generated sequences skip the
    /// others, as the pages would not show the button.
    pub fn allows(&self, op: &Op) -> bool {
        match op {
            Op::SignUp { .. } => true,
            Op::PlaceOrder { customer, .. } | Op::DeleteCustomer { customer } => {
                self.live_customer(*customer).is_some()
            }
            Op::DeleteOrder { order } => self.customer_of(*order).is_some(),
            Op::UndeleteCustomer { customer } => index(*customer)
                .and_then(|i| self.customers.get(i))
                .is_some_and(|(_, deleted)| *deleted),
        }
    }

    /// Applies `op` (one that [`Truth::allows`]) and returns the answer the app owes.
    pub fn apply(&mut self, op: &Op) -> Answer {
        match op {
            Op::SignUp { email } => {
                if self.taken(email, 0) {
                    return Err(TAKEN.to_owned());
                }
                let id = next_id(self.customers.len());
                let customer = Customer {
                    id,
                    email: email.clone(),
                };
                self.customers.push((customer, false));
                Ok(format!("customer #{id}"))
            }
            Op::PlaceOrder { customer, item } => {
                let customer = self.live_customer(*customer).expect("allowed").clone();
                let id = next_id(self.orders.len());
                let line = OrderLine {
                    id,
                    item: item.clone(),
                    customer,
                };
                self.orders.push((line, false));
                Ok(format!("order #{id}"))
            }
            Op::DeleteOrder { order } => {
                self.orders[index(*order).expect("allowed")].1 = true;
                Ok("done".to_owned())
            }
            Op::DeleteCustomer { customer } => {
                self.customers[index(*customer).expect("allowed")].1 = true;
                Ok("done".to_owned())
            }
            Op::UndeleteCustomer { customer } => {
                let i = index(*customer).expect("allowed");
                if self.taken(&self.customers[i].0.email, *customer) {
                    return Err(TAKEN.to_owned());
                }
                self.customers[i].1 = false;
                Ok("done".to_owned())
            }
        }
    }

    /// The customer list: live customers by id.
    pub fn customers(&self) -> Vec<Customer> {
        let live = self.customers.iter().filter(|(_, deleted)| !deleted);
        live.map(|(c, _)| c.clone()).collect()
    }

    /// The order list: live orders of live customers, by id.
    pub fn orders(&self) -> Vec<OrderLine> {
        let live = self
            .orders
            .iter()
            .filter(|(o, deleted)| !deleted && self.live_customer(o.customer.id).is_some());
        live.map(|(o, _)| o.clone()).collect()
    }

    /// Each live customer with their live orders counted.
    pub fn order_counts(&self) -> Vec<OrderCount> {
        let orders = self.orders();
        self.customers()
            .into_iter()
            .map(|customer| OrderCount {
                orders: i64::try_from(orders.iter().filter(|o| o.customer == customer).count())
                    .expect("a few orders"),
                customer,
            })
            .collect()
    }

    /// The customer of a live order; none for any other order.
    pub fn customer_of(&self, order: i64) -> Option<Customer> {
        self.orders()
            .into_iter()
            .find(|o| o.id == order)
            .map(|o| o.customer)
    }

    /// A live customer's live orders; none for any other customer.
    pub fn orders_of(&self, customer: i64) -> Vec<OrderLine> {
        let orders = self.orders().into_iter();
        orders.filter(|o| o.customer.id == customer).collect()
    }
}

fn index(id: i64) -> Option<usize> {
    usize::try_from(id).ok()?.checked_sub(1)
}

fn next_id(len: usize) -> i64 {
    i64::try_from(len + 1).expect("a few rows")
}
