//! The pitfall: each condition on the entries is its own `filter()` call, so each one
//! joins the entries again and may be met by a different entry of the blog.

use rusqlite::Connection;

use crate::model::{Blog, contains_pattern, query_blogs, year_bounds};

/// What Django 5.2 sends for `Blog.objects.filter(entry__headline__contains=headline)
/// .filter(entry__pub_date__year=year).order_by("pk")`, word for word but for its double
/// quotes (the Django twin checks it) - the queryset a search view builds when it adds
/// one `filter()` per form field.
pub const SQL: &str = concat!(
    "SELECT app_blog.id, app_blog.name FROM app_blog ",
    "INNER JOIN app_entry ON (app_blog.id = app_entry.blog_id) ",
    // PITFALL: the second filter() call across the to-many relation joins app_entry a
    // second time (as T3), and the year is tested on that join: the headline can match
    // one entry and the year another. A blog with k matching headlines and m entries of
    // the year also comes back k x m times.
    "INNER JOIN app_entry T3 ON (app_blog.id = T3.blog_id) ",
    "WHERE (app_entry.headline LIKE ? ESCAPE '\\' AND T3.pub_date BETWEEN ? AND ?) ",
    "ORDER BY app_blog.id ASC",
);

/// The blogs that have an entry whose headline contains `headline` and whose
/// publication date falls in `year`, in id order, as the search page lists them.
pub fn blogs(conn: &Connection, headline: &str, year: i32) -> rusqlite::Result<Vec<Blog>> {
    let [first, last] = year_bounds(year);
    query_blogs(conn, SQL, (contains_pattern(headline), first, last))
}
