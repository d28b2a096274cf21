//! One variant's run: the story in a fresh SQLite database, each operation's SQL and
//! answer beside the truth's, then every read path's SQL and rows beside the truth.

use lab_kit::sqlite::StatementLog;
use lab_kit::{Chart, Report, Transcript};
use serde_json::json;

use crate::model::{Shop, story};
use crate::world::{Reads, World};

/// Runs the story through `shop` and judges every answer and every read path against
/// the truth.
pub fn run(shop: Shop) -> lab_kit::Result<Report> {
    let mut world = World::new(shop)?;
    let schema = world.schema()?;
    let log = StatementLog::attach(&mut world.conn)?;
    let mut t = Transcript::new();
    let (mut answers, mut expected, mut wrong_answers) = (Vec::new(), Vec::new(), Vec::new());
    let ops = story();
    for (i, op) in ops.iter().enumerate() {
        t.push("app", format!("{}. {}", i + 1, op.describe()));
        let (got, want) = world.apply(op);
        for sql in log.take() {
            t.push("db", sql);
        }
        if got == want {
            t.push("app", format!("-> {got}"));
        } else {
            t.push("app", format!("-> {got} - WRONG, the truth: {want}"));
            wrong_answers.push(format!("{} is refused: {}", op.describe(), refusal(&got)));
        }
        answers.push(got);
        expected.push(want);
    }
    t.push("app", "every page, read back (each statement once)");
    let ids = world.stored_ids()?;
    // The lab's own look at which rows exist is not the app's SQL: left out.
    log.take();
    let reads = world.reads(&ids)?;
    let mut seen = Vec::new();
    for sql in log.take() {
        if !seen.contains(&sql) {
            t.push("db", &sql);
            seen.push(sql);
        }
    }
    let truth = world.truth(&ids);
    narrate_reads(&mut t, &reads, &truth);
    let (differing, leaking) = (reads.differing(&truth), reads.leaking(&truth));
    let observed = !differing.is_empty() || !wrong_answers.is_empty();
    let symptom = if observed {
        let mut parts = wrong_answers.clone();
        if !leaking.is_empty() {
            let pages: Vec<&str> = leaking.iter().map(|p| page(p)).collect();
            parts.push(format!("{} show deleted rows", and_list(&pages)));
        }
        parts.join("; ")
    } else {
        "every page shows exactly the live customers and orders, and a deleted customer's \
         address can be used again"
            .to_owned()
    };
    let chart = Chart::new("orders shown beside the truth", "orders")
        .bar("order list", count(reads.orders.len()))
        .bar("order list: truth", count(truth.orders.len()))
        .bar("dashboard total", count(total(&reads)))
        .bar("dashboard total: truth", count(total(&truth)));
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly these operations.
        .observe("ops", &ops)
        .observe("schema", &schema)
        .observe("answers", &answers)
        .observe("reads", &reads)
        .observe("truth", json!({"answers": expected, "reads": truth}))
        .observe("differing_paths", &differing)
        .observe("leaking_paths", &leaking)
        .with_chart(chart)
        .with_transcript(t))
}

/// What came after `refused: `, or the whole answer.
fn refusal(answer: &str) -> &str {
    answer.strip_prefix("refused: ").unwrap_or(answer)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The page a read path serves, as a user names it.
fn page(path: &str) -> &'static str {
    match path {
        "customers" => "the customer list",
        "orders" => "the order list",
        "order_counts" => "the dashboard's counts",
        "customer_of" => "the order pages",
        _ => "the customer pages",
    }
}

fn narrate_reads(t: &mut Transcript, reads: &Reads, truth: &Reads) {
    let paths = [
        ("customers", &reads.customers, &truth.customers),
        ("orders", &reads.orders, &truth.orders),
        ("order_counts", &reads.order_counts, &truth.order_counts),
        ("customer_of", &reads.customer_of, &truth.customer_of),
        ("orders_of", &reads.orders_of, &truth.orders_of),
    ];
    for (path, got, want) in paths {
        let name = page(path);
        t.push("app", format!("{name}: {}", got.join("; ")));
        if got != want {
            t.push("app", format!("  WRONG, the truth: {}", want.join("; ")));
        }
    }
}

/// The orders the dashboard counted, summed over its customers.
fn total(reads: &Reads) -> usize {
    let n = |line: &String| {
        line.rsplit(": ")
            .next()
            .and_then(|n| n.parse::<usize>().ok())
    };
    reads.order_counts.iter().filter_map(n).sum()
}

/// A row count as a chart value: a handful of rows, exact in f64.
fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).expect("a handful of rows"))
}
