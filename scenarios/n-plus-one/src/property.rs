//! The property every correct list satisfies, runnable against any [`ArticleList`]: on
//! any data, the page costs the same number of queries at every size, and it is byte for
//! byte the page the broken list renders (the reference for what the page shows).

use crate::broken;
use crate::model::{ArticleData, ArticleList, Dataset};
use crate::run::world::World;

/// The largest data sets the property tests draw: two articles already tell a constant
/// count from a growing one.
pub const MAX_ARTICLES: usize = 6;
/// See [`MAX_ARTICLES`].
pub const MAX_AUTHORS: usize = 3;
/// See [`MAX_ARTICLES`].
pub const MAX_TAGS: usize = 3;
/// What a generated title looks like: short, with characters the template must escape.
pub const TITLE: &str = "[a-z&<>\"' ]{0,6}";
/// How many data sets a property run draws: each serves two apps over real HTTP.
pub const CASES: u32 = 48;

/// A data set of `authors` authors (`author 1`, ...), `tags` tags (`tag 1`, ...) and
/// articles given as (title, author index, tag indexes): how a generated input becomes
/// a [`Dataset`].
pub fn numbered(
    authors: usize,
    tags: usize,
    articles: Vec<(String, usize, Vec<usize>)>,
) -> Dataset {
    Dataset::new(
        (1..=authors).map(|i| format!("author {i}")).collect(),
        (1..=tags).map(|i| format!("tag {i}")).collect(),
        articles
            .into_iter()
            .map(|(title, author, tags)| ArticleData {
                title,
                author,
                tags,
            })
            .collect(),
    )
}

/// The property: with `list` behind the view, the page of every size in `sizes` (each
/// at least 1) is byte-identical to the broken list's page, and every one of them ran
/// the same number of queries. The error names the first page that differs, or the
/// counts.
pub fn constant_queries_same_page(
    list: ArticleList,
    data: &Dataset,
    sizes: &[usize],
) -> Result<(), String> {
    lab_kit::http::block_on(compare(list, data, sizes))
        .map_err(|e| format!("the run failed: {e}"))?
        .map_err(|e| format!("the run failed: {}", lab_kit::error_chain(&e)))?
}

/// Serves the data twice, through `list` and through the broken list, and compares.
/// The outer error is the run's own failure; the inner one the property's.
async fn compare(
    list: ArticleList,
    data: &Dataset,
    sizes: &[usize],
) -> lab_kit::Result<Result<(), String>> {
    let (ours, reference) = (lab_kit::sqlite::memory()?, lab_kit::sqlite::memory()?);
    data.load(&ours)?;
    data.load(&reference)?;
    let ours = World::serve(ours, list).await?;
    let reference = World::serve(reference, broken::articles).await?;
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut verdict = Ok(());
    for &size in sizes {
        let (got, want) = (ours.page(size).await?, reference.page(size).await?);
        if got.status != 200 || got.body != want.body {
            verdict = Err(format!(
                "the page of size {size} differs from the reference: {} {:?}",
                got.status, got.body
            ));
            break;
        }
        counts.push((size, got.statements.len()));
        if counts.iter().any(|&(_, n)| n != counts[0].1) {
            let shown: Vec<String> = counts
                .iter()
                .map(|(size, n)| format!("{n} at size {size}"))
                .collect();
            verdict = Err(format!("queries per page: {}", shown.join(", ")));
            break;
        }
    }
    ours.stop().await?;
    reference.stop().await?;
    Ok(verdict)
}
