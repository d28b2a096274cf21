//! A variant's story: the backup starts, copies the customers, the site signs up a new
//! customer with an order and takes another order, then the backup copies the orders and
//! finishes; the backup file is restored and judged against the database as it was after
//! each of the site's commits.

use lab_kit::{Chart, Report, Transcript};
use serde_json::json;

use crate::model::{Backup, Shop, states};
use crate::restore::Restored;
use crate::schedule;
use crate::writer::{Change, compile};

/// The site's two transactions: dee signs up with a first order, ada orders again.
pub const STORY_CHANGES: [Change; 2] = [Change::SignUp, Change::Order(0)];
/// Both commit after the backup copied the customers and before it copies the orders.
pub const STORY_GAPS: [usize; 2] = [2, 2];

/// Runs `backup` through the story and reports the restore.
pub fn story(backup: &Backup) -> lab_kit::Result<Report> {
    let seed = Shop::seed();
    let writes = compile(&seed, &STORY_CHANGES);
    let permutation = schedule::permutation(&STORY_GAPS);
    let steps: Vec<&str> = permutation.iter().map(String::as_str).collect();
    let ran = schedule::run(backup, &writes, &steps)?;
    let truth = states(&seed, &writes);
    let restored = &ran.restored;
    let equals = restored.equals_commit(&truth);
    let observed = !restored.consistent(&truth);

    let mut transcript = ran.interleaving.transcript;
    narrate_restore(&mut transcript, restored, &truth, equals);
    let counts = restored.shop.counts();
    let symptom = match (restored.dangling.first(), equals) {
        (Some(first), _) => format!(
            "the backup does not restore ({first}), and its {} customers and {} orders are \
             rows the database never held at once",
            counts["shop_customer"], counts["shop_order"]
        ),
        (None, None) => "the backup restores, but as a database that never existed".to_owned(),
        (None, Some(k)) => format!(
            "the backup restores cleanly: the database as it was after {k} of the site's {} \
             commits",
            writes.len()
        ),
    };
    let truth_counts: Vec<serde_json::Value> = truth
        .iter()
        .enumerate()
        .map(|(k, s)| json!({"after_commits": k, "rows": s.counts()}))
        .collect();
    let orphans = restored.dangling.len();
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly this story.
        .observe("seed", &seed)
        .observe("writes", &writes)
        .observe("permutation", &permutation)
        .observe("backup_rows", counts)
        .observe("truth", truth_counts)
        .observe("integrity", &restored.integrity)
        .observe("dangling", &restored.dangling)
        .observe("equals_commit", equals)
        .with_chart(chart(restored, orphans))
        .with_transcript(transcript))
}

fn narrate_restore(t: &mut Transcript, restored: &Restored, truth: &[Shop], equals: Option<usize>) {
    t.push("restore", "open backup.sqlite3 as the new database");
    t.push(
        "restore",
        format!("PRAGMA integrity_check -> {}", restored.integrity),
    );
    let fk = if restored.dangling.is_empty() {
        "(no rows)".to_owned()
    } else {
        restored.dangling.join("; ")
    };
    t.push("restore", format!("PRAGMA foreign_key_check -> {fk}"));
    let counts = |s: &Shop| {
        let c = s.counts();
        format!(
            "{} customers, {} orders",
            c["shop_customer"], c["shop_order"]
        )
    };
    t.push(
        "restore",
        format!("the backup holds {}", counts(&restored.shop)),
    );
    for (k, state) in truth.iter().enumerate() {
        let same = if equals == Some(k) {
            " - the backup's rows, every one"
        } else {
            ""
        };
        t.push(
            "truth",
            format!(
                "after {k} commit(s) the database held {}{same}",
                counts(state)
            ),
        );
    }
    if equals.is_none() {
        t.push("truth", "the backup equals the database at no moment");
    }
}

fn chart(restored: &Restored, orphans: usize) -> Chart {
    let counts = restored.shop.counts();
    // Row counts of a seven-row shop: exact in f64.
    let bar = |n: usize| n as f64;
    Chart::new("What the backup holds", "rows")
        .bar("customers", bar(counts["shop_customer"]))
        .bar("orders", bar(counts["shop_order"]))
        .bar("orders whose customer is missing", bar(orphans))
}
