//! `lab bench double-counted-annotations`: the two fixes on a skewed graph, one run.

use std::time::{Duration, Instant};

use lab_kit::{BenchOptions, Table};
use rusqlite::Connection;

use crate::model::{CountQuery, Graph};
use crate::{broken, fixed};

/// Followers of the popular account unless `--rows` says otherwise.
const DEFAULT_FOLLOWERS: u64 = 10_000;
/// Runs per variant; the median is reported.
const RUNS: usize = 3;

/// The rows each join variant feeds into GROUP BY: the product the database builds.
const JOINED_ROWS: &str = "SELECT COUNT(*) FROM app_user
    LEFT OUTER JOIN app_user_following ON app_user.id = app_user_following.from_user_id
    LEFT OUTER JOIN app_user_following T4 ON app_user.id = T4.to_user_id";
/// What the subquery variant reads: one row per user plus each edge once per relation.
const SUBQUERY_ROWS: &str = "SELECT (SELECT COUNT(*) FROM app_user)
    + 2 * (SELECT COUNT(*) FROM app_user_following)";

/// One account with `followers` followers that follows a tenth as many, among `followers`
/// background users who each follow two others (picked by a fixed-seed generator).
pub fn skewed_graph(followers: usize) -> Graph {
    let users: Vec<String> = (0..=followers).map(|i| format!("user{i}")).collect();
    let mut follows = Vec::with_capacity(followers * 3 + followers / 10);
    follows.extend((1..=followers).map(|i| (i, 0)));
    follows.extend((1..=followers / 10).map(|i| (0, i)));
    let mut state: u64 = 0x5eed;
    for i in 1..=followers {
        for _ in 0..2 {
            // A linear congruential generator (Knuth's MMIX constants): fixed seed, so
            // every run benchmarks the same graph.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let target = usize::try_from(state >> 33).expect("31 bits fit") % followers + 1;
            follows.push((i, target));
        }
    }
    Graph::new(users, follows)
}

/// Builds the skewed graph, times each variant and counts the rows it makes the
/// database produce, and prints the distinct / subquery ratio of this same run.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let followers = usize::try_from(options.rows.unwrap_or(DEFAULT_FOLLOWERS))
        .ok()
        .filter(|n| (10..=1_000_000).contains(n))
        .ok_or_else(|| {
            lab_kit::Error::Invalid(
                "--rows (followers of the popular account) must be 10..=1000000".into(),
            )
        })?;
    let graph = skewed_graph(followers);
    let conn = Connection::open_in_memory()?;
    graph.load(&conn)?;
    let truth = graph.truth();

    let variants: [(&str, CountQuery, &str); 3] = [
        ("broken", broken::follow_counts, JOINED_ROWS),
        (
            "fixed_distinct",
            fixed::distinct::follow_counts,
            JOINED_ROWS,
        ),
        (
            "fixed_subquery",
            fixed::subquery::follow_counts,
            SUBQUERY_ROWS,
        ),
    ];
    let mut table = Table::new([
        "variant",
        "rows produced",
        "popular account (following/followers)",
        "correct",
        "median time",
    ]);
    let mut medians = Vec::new();
    for (name, query, rows_sql) in variants {
        let rows: i64 = conn.query_row(rows_sql, [], |r| r.get(0))?;
        let mut times = Vec::with_capacity(RUNS);
        let mut got = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            got = query(&conn)?;
            times.push(start.elapsed());
        }
        times.sort_unstable();
        let median = times[RUNS / 2];
        medians.push(median);
        table.row([
            name.to_owned(),
            rows.to_string(),
            format!("{}/{}", got[0].following, got[0].followers),
            if got == truth { "yes" } else { "no" }.to_owned(),
            format_ms(median),
        ]);
    }
    let ratio = medians[1].as_secs_f64() / medians[2].as_secs_f64();
    let notes = vec![
        format!(
            "graph: {} users, {} follows; the popular account truly has {} following, {} followers",
            graph.users.len(),
            graph.follows.len(),
            truth[0].following,
            truth[0].followers
        ),
        format!("median of {RUNS} runs each, in-memory SQLite, this process"),
        format!("fixed_distinct / fixed_subquery time: {ratio:.1}x (measured in this run)"),
    ];
    Ok((table, notes))
}

fn format_ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
