//! Fix 2: no join at all; per blog, a correlated subquery asks whether one entry meets
//! both conditions (`Exists(...)` with `OuterRef("pk")`).

use rusqlite::Connection;

use crate::model::{Blog, contains_pattern, query_blogs, year_bounds};

/// What Django 5.2 sends for `Blog.objects.filter(Exists(Entry.objects.filter(
/// blog=OuterRef("pk"), headline__contains=headline, pub_date__year=year)))
/// .order_by("pk")`: one row per blog by construction, so no `DISTINCT`, and the
/// subquery stops at the first matching entry.
pub const SQL: &str = concat!(
    "SELECT app_blog.id, app_blog.name FROM app_blog ",
    // FIX: the blog qualifies when one entry of its own meets both conditions; the
    // entries never multiply the blog's row.
    "WHERE EXISTS(SELECT ? AS a FROM app_entry U0 ",
    "WHERE (U0.blog_id = (app_blog.id) AND U0.headline LIKE ? ESCAPE '\\' ",
    "AND U0.pub_date BETWEEN ? AND ?) LIMIT 1) ",
    "ORDER BY app_blog.id ASC",
);

/// The blogs that have an entry whose headline contains `headline` and whose
/// publication date falls in `year`, in id order, as the search page lists them.
pub fn blogs(conn: &Connection, headline: &str, year: i32) -> rusqlite::Result<Vec<Blog>> {
    let [first, last] = year_bounds(year);
    // FIX: Django selects the constant 1 in the subquery, as a parameter.
    query_blogs(conn, SQL, (1, contains_pattern(headline), first, last))
}
