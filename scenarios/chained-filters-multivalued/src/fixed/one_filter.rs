//! Fix 1: both conditions in one `filter()` call, so both test one joined entry; and
//! `.distinct()`, because a blog with two such entries still joins twice.

use rusqlite::Connection;

use crate::model::{Blog, contains_pattern, query_blogs, year_bounds};

/// What Django 5.2 sends for `Blog.objects.filter(entry__headline__contains=headline,
/// entry__pub_date__year=year).distinct().order_by("pk")`: one join of the entries, both
/// conditions on it.
pub const SQL: &str = concat!(
    // FIX: a blog comes back once however many of its entries match (without it, B3 of
    // the report, with two matching entries, would be listed twice).
    "SELECT DISTINCT app_blog.id, app_blog.name FROM app_blog ",
    "INNER JOIN app_entry ON (app_blog.id = app_entry.blog_id) ",
    // FIX: one join, and both conditions on it: the entry that matches the headline is
    // the entry whose date is tested.
    "WHERE (app_entry.headline LIKE ? ESCAPE '\\' AND app_entry.pub_date BETWEEN ? AND ?) ",
    "ORDER BY app_blog.id ASC",
);

/// The blogs that have an entry whose headline contains `headline` and whose
/// publication date falls in `year`, in id order, as the search page lists them.
pub fn blogs(conn: &Connection, headline: &str, year: i32) -> rusqlite::Result<Vec<Blog>> {
    let [first, last] = year_bounds(year);
    query_blogs(conn, SQL, (contains_pattern(headline), first, last))
}
