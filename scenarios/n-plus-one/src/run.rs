//! One variant's run: the seed in a SQLite file, the app on loopback, the list page
//! fetched at three sizes over real HTTP, every statement counted by SQLite's trace hook,
//! and each page judged against the page rendered from the data alone.

mod narrate;
pub(crate) mod world;

use lab_kit::sqlite::TempDb;
use lab_kit::{Chart, Report};
use serde_json::json;

use crate::app;
use crate::model::{ArticleList, Dataset, SEED_ARTICLES};
use world::{Page, World};

/// The page sizes every variant is fetched at: one article, a few, the whole list.
pub const PAGE_SIZES: [usize; 3] = [1, 10, SEED_ARTICLES];

/// Why a run could not judge its pages.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The page did not come back.
    #[error("GET /articles?size={size} answered {status}: {body}")]
    Status {
        size: usize,
        status: u16,
        body: String,
    },
    /// The page came back, but it is not the data: a variant must render the same page.
    #[error("the page of {size} differs from the data at line {line}: got {got:?}, want {want:?}")]
    WrongPage {
        size: usize,
        line: usize,
        got: String,
        want: String,
    },
    /// The truth could not be rendered.
    #[error("rendering the truth")]
    Truth(#[source] minijinja::Error),
}

/// Fetches the seed's page at every size with `list` behind the view, and reports the
/// queries each page cost.
pub fn run(list: ArticleList) -> lab_kit::Result<Report> {
    let data = Dataset::seed();
    let pages = lab_kit::http::block_on(visit(&data, list))??;
    judge(&data, &pages)
}

async fn visit(data: &Dataset, list: ArticleList) -> lab_kit::Result<Vec<Page>> {
    let db = TempDb::new()?;
    data.load(&db.connect()?)?;
    let world = World::serve(db.connect()?, list).await?;
    let mut pages = Vec::new();
    for size in PAGE_SIZES {
        pages.push(world.page(size).await?);
    }
    world.stop().await?;
    Ok(pages)
}

/// The page `data` shows at `size`, rendered by the app's template from plain values.
pub fn truth_page(data: &Dataset, size: usize) -> Result<String, RunError> {
    let values = data
        .truth(size)
        .into_iter()
        .map(|v| minijinja::value::Value::from(minijinja::value::Serde(v)))
        .collect();
    app::render(values).map_err(RunError::Truth)
}

/// The verdict: the pitfall shows when the number of queries grows with the page size.
/// A page that differs from the data fails the run: no variant may buy its count with
/// a wrong page.
fn judge(data: &Dataset, pages: &[Page]) -> lab_kit::Result<Report> {
    for page in pages {
        if page.status != 200 {
            return Err(lab_kit::Error::scenario(RunError::Status {
                size: page.size,
                status: page.status,
                body: page.body.clone(),
            }));
        }
        let want = truth_page(data, page.size).map_err(lab_kit::Error::scenario)?;
        if let Some((line, got, want)) = first_difference(&page.body, &want) {
            return Err(lab_kit::Error::scenario(RunError::WrongPage {
                size: page.size,
                line,
                got,
                want,
            }));
        }
    }
    let counts: Vec<usize> = pages.iter().map(|p| p.statements.len()).collect();
    let observed = counts.windows(2).any(|w| w[0] != w[1]);
    let full = pages.last().expect("at least one page size");
    let query_counts: Vec<serde_json::Value> = pages
        .iter()
        .map(|p| json!({"articles": p.size, "queries": p.statements.len()}))
        .collect();
    let sql: Vec<serde_json::Value> = narrate::shapes(&full.statements)
        .into_iter()
        .map(|(times, sql)| json!({"times": times, "sql": sql}))
        .collect();
    let chart = pages.iter().fold(
        Chart::new("queries per page, by articles shown", "queries"),
        |chart, p| chart.bar(narrate::articles(p.size), count_as_f64(p.statements.len())),
    );
    Ok(Report::new("", observed, narrate::symptom(observed, pages))
        // The input, so the Django twin loads exactly these rows.
        .observe(
            "seed",
            json!({"authors": data.authors, "tags": data.tags, "articles": data.describe()}),
        )
        .observe("query_counts", query_counts)
        .observe("sql", sql)
        .observe(
            "page",
            json!({
                "articles": full.size,
                "bytes": full.body.len(),
                "fnv1a_64": fnv1a_64(&full.body),
            }),
        )
        .with_chart(chart)
        .with_transcript(narrate::transcript(data, pages)))
}

/// The first line where `got` and `want` differ (1-based), with both lines.
fn first_difference(got: &str, want: &str) -> Option<(usize, String, String)> {
    if got == want {
        return None;
    }
    let (mut g, mut w) = (got.lines(), want.lines());
    for line in 1.. {
        match (g.next(), w.next()) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => {
                let shown = |l: Option<&str>| l.unwrap_or("<end of page>").to_owned();
                return Some((line, shown(a), shown(b)));
            }
        }
    }
    unreachable!("two different texts differ at some line")
}

/// A fingerprint of a page, the 64-bit FNV-1a hash of its bytes in hex: what the Django
/// twin computes too, so the two pages are compared byte for byte without either report
/// carrying 7 KB of HTML. (Equality is all it is for; it is no cryptographic hash.)
fn fnv1a_64(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// A query count as a chart value: counts are far below 2^53, where f64 stops being exact.
fn count_as_f64(n: usize) -> f64 {
    n as f64
}
