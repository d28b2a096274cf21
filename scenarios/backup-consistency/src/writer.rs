//! The site's writer as a generated input: the kinds of change it makes, and how a list
//! of them becomes concrete transactions ([`Write`]) on the shop they find.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Shop, Write};

/// What the writer does, as a generated input: sign a new customer up with a first order,
/// add an order for the n-th customer there is, or close the n-th customer's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    SignUp,
    Order(usize),
    Close(usize),
}

const NAMES: [&str; 6] = ["dee", "eve", "fay", "gus", "hal", "ivy"];
const ITEMS: [&str; 5] = ["kettle", "stool", "shelf", "vase", "mirror"];

/// The writer's changes made concrete on the shop they find: new ids after the
/// highest ever used, the n-th customer counted among those there are then. A change
/// with no customer to act on is dropped.
pub fn compile(seed: &Shop, changes: &[Change]) -> Vec<Write> {
    let mut shop = seed.clone();
    let (mut next_customer, mut next_order) = (next_id(&shop.customers), next_id(&shop.orders));
    let mut writes = Vec::new();
    for change in changes {
        let nth = |n: usize| shop.customers.keys().nth(n % shop.customers.len().max(1));
        let write = match *change {
            Change::SignUp => {
                let name = NAMES[usize::try_from(next_customer + 2).unwrap_or(0) % NAMES.len()];
                next_customer += 1;
                next_order += 1;
                Write::SignUp {
                    customer: next_customer - 1,
                    name: name.to_owned(),
                    order: next_order - 1,
                    item: item(next_order - 1),
                }
            }
            Change::Order(n) => match nth(n) {
                Some(&customer) => {
                    next_order += 1;
                    let order = next_order - 1;
                    Write::Order {
                        customer,
                        order,
                        item: item(order),
                    }
                }
                None => continue,
            },
            Change::Close(n) => match nth(n) {
                Some(&customer) => {
                    let orders = shop.orders.iter().filter(|(_, (c, _))| *c == customer);
                    let orders = orders.map(|(id, _)| *id).collect();
                    Write::Close { customer, orders }
                }
                None => continue,
            },
        };
        write.apply(&mut shop);
        writes.push(write);
    }
    writes
}

fn next_id<V>(rows: &BTreeMap<i64, V>) -> i64 {
    rows.keys().next_back().map_or(1, |id| id + 1)
}

fn item(order: i64) -> String {
    ITEMS[usize::try_from(order).unwrap_or(0) % ITEMS.len()].to_owned()
}
