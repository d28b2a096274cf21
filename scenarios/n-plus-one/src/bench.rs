//! `lab bench n-plus-one`: the page's latency and query count at 10, 100 and 1000
//! articles, broken beside each fix, on a SQLite file, with the ratios of this one run.

use std::time::{Duration, Instant};

use lab_kit::sqlite::TempDb;
use lab_kit::{BenchOptions, Table};

use crate::app::router;
use crate::model::{ArticleList, Dataset};
use crate::orm::Db;
use crate::run::world::World;
use crate::{broken, fixed};

/// The page sizes measured unless `--rows` names one.
const SIZES: [usize; 3] = [10, 100, 1000];
/// Authors and tags of the generated data: a page of 1000 names at most 100 authors.
const AUTHORS: usize = 100;
const TAGS: usize = 20;
/// Timed requests per page (after one untimed warm-up); the median is reported.
const RUNS: usize = 25;

const VARIANTS: [(&str, ArticleList); 3] = [
    ("broken", broken::articles),
    ("fixed_select_related", fixed::select_related::articles),
    ("fixed_prefetch_related", fixed::prefetch_related::articles),
];

/// Builds the data in a SQLite file, then for each page size and variant counts the
/// queries of one traced request and times untraced ones (the trace hook's own cost
/// stays out of the times).
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let sizes = match options.rows {
        None => SIZES.to_vec(),
        Some(rows) => vec![
            usize::try_from(rows)
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or_else(|| {
                    lab_kit::Error::Invalid(
                        "--rows (articles on the page) must be 1..=100000".into(),
                    )
                })?,
        ],
    };
    let largest = sizes.iter().copied().max().unwrap_or(1);
    let data = Dataset::generated(largest, AUTHORS, TAGS);
    let mut table = Table::new([
        "articles",
        "variant",
        "queries",
        "median page time",
        "broken / this",
        "same page",
    ]);
    let db = TempDb::new()?;
    data.load(&db.connect()?)?;
    for size in sizes {
        let measured = lab_kit::http::block_on(measure(&db, size))??;
        let (_, broken_time, broken_body) = &measured[0];
        for ((name, _), (queries, time, body)) in VARIANTS.iter().zip(&measured) {
            table.row([
                size.to_string(),
                (*name).to_owned(),
                queries.to_string(),
                format!("{:.2} ms", time.as_secs_f64() * 1000.0),
                format!("{:.1}x", broken_time.as_secs_f64() / time.as_secs_f64()),
                if body == broken_body { "yes" } else { "NO" }.to_owned(),
            ]);
        }
    }
    let notes = vec![
        format!(
            "data: {} articles by {AUTHORS} authors, up to 3 of {TAGS} tags each, in a SQLite file; \
             a page is one GET over loopback HTTP, rendered by the template",
            data.articles.len()
        ),
        format!(
            "queries: SQLite's trace hook on one request; time: median of {RUNS} requests after a warm-up, without the hook"
        ),
        format!(
            "broken / this: the broken page's median time over this row's, measured in this run{}",
            load()
        ),
    ];
    Ok((table, notes))
}

/// Every variant at one page size: (queries, median time, body).
async fn measure(db: &TempDb, size: usize) -> lab_kit::Result<Vec<(usize, Duration, String)>> {
    let mut out = Vec::new();
    for (_, list) in VARIANTS {
        let traced = World::serve(db.connect()?, list).await?;
        let page = traced.page(size).await?;
        traced.stop().await?;
        let server = lab_kit::http::serve(router(Db::new(db.connect()?), list)).await?;
        let client = lab_kit::http::client();
        let url = server.url(&format!("/articles?size={size}"));
        let mut times = Vec::with_capacity(RUNS);
        for run in 0..=RUNS {
            let start = Instant::now();
            let body = client.get(&url).send().await?.text().await?;
            std::hint::black_box(body);
            if run > 0 {
                times.push(start.elapsed());
            }
        }
        server.shutdown().await?;
        times.sort_unstable();
        out.push((page.statements.len(), times[RUNS / 2], page.body));
    }
    Ok(out)
}

/// `; load average 1.2` where the system says (Linux), so a reader can weigh the times.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .map(|one_minute| format!("; load average {one_minute} when it ended"))
        .unwrap_or_default()
}
