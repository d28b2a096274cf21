//! The data properties of a blog search, runnable against any [`BlogSearch`]: it lists
//! exactly the blogs the truth names, each once; and how two searches relate (one's
//! blogs among the other's; no blog twice).

use std::collections::BTreeSet;

use crate::model::{Blog, BlogSearch, Dataset, HEADLINE, YEAR};

/// The largest data sets the property tests draw: two entries of one blog already tell
/// the two meanings apart.
pub const MAX_BLOGS: usize = 3;
/// See [`MAX_BLOGS`].
pub const MAX_ENTRIES: usize = 6;
/// Headlines a generated entry draws from: with the search's word, or without it.
pub const HEADLINES: [&str; 4] = ["Lennon", "McCartney", "Lennon live", "Ono"];
/// Dates a generated entry draws from: inside the searched year, its edges, and around it.
pub const DATES: [&str; 6] = [
    "2005-06-01",
    "2007-12-31",
    "2008-01-01",
    "2008-06-15",
    "2008-12-31",
    "2009-01-01",
];

/// A data set of `blogs` blogs (`b1`, `b2`, ...) and entries given as (blog, headline,
/// date) indexes into [`HEADLINES`] and [`DATES`]: how a generated input becomes a
/// [`Dataset`].
pub fn numbered(blogs: usize, entries: &[(usize, usize, usize)]) -> Dataset {
    let names: Vec<String> = (1..=blogs).map(|i| format!("b{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Dataset::new(
        &names,
        entries
            .iter()
            .map(|&(blog, headline, date)| (blog, HEADLINES[headline], DATES[date])),
    )
}

/// Runs `search` for the report's question on `data` loaded into a fresh database.
pub fn search_on(search: BlogSearch, data: &Dataset) -> Result<Vec<Blog>, String> {
    let conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    data.load(&conn).map_err(|e| e.to_string())?;
    search(&conn, HEADLINE, YEAR).map_err(|e| e.to_string())
}

fn names(blogs: &[Blog]) -> Vec<&str> {
    blogs.iter().map(|b| b.name.as_str()).collect()
}

/// The property a correct search satisfies: on `data`, it lists exactly the blogs that
/// have an entry meeting both conditions, each once, in id order.
pub fn matches_truth(search: BlogSearch, data: &Dataset) -> Result<(), String> {
    let got = search_on(search, data)?;
    let truth = data.truth(HEADLINE, YEAR);
    if got == truth {
        Ok(())
    } else {
        Err(format!(
            "listed {:?}, truth {:?}",
            names(&got),
            names(&truth)
        ))
    }
}

/// Every blog `inner` lists on `data` is also listed by `outer`.
pub fn within(inner: BlogSearch, outer: BlogSearch, data: &Dataset) -> Result<(), String> {
    let (inner, outer) = (search_on(inner, data)?, search_on(outer, data)?);
    let outer: BTreeSet<&str> = names(&outer).into_iter().collect();
    match names(&inner).into_iter().find(|n| !outer.contains(n)) {
        None => Ok(()),
        Some(blog) => Err(format!("{blog} is listed by the first search only")),
    }
}

/// `search` lists no blog twice on `data`.
pub fn lists_each_blog_once(search: BlogSearch, data: &Dataset) -> Result<(), String> {
    let got = search_on(search, data)?;
    let names = names(&got);
    match names
        .iter()
        .enumerate()
        .find(|(i, n)| names[..*i].contains(n))
    {
        None => Ok(()),
        Some((_, blog)) => Err(format!("{blog} is listed more than once: {names:?}")),
    }
}
