//! Fix 1: keep the two joins, count each edge once with `COUNT(DISTINCT ...)`.

use rusqlite::Connection;

use crate::UserCounts;

/// `Count("following", distinct=True), Count("followers", distinct=True)`: the same
/// joins, but each COUNT keeps one of each edge id. Right for COUNT only (there is no
/// DISTINCT that repairs a SUM or AVG), and the database still builds all k x m rows per
/// user before it throws the repeats away.
pub const SQL: &str = concat!(
    "SELECT app_user.username,\n",
    // FIX: count each edge once, however many times the other join repeated it.
    "       COUNT(DISTINCT app_user_following.id) AS following__count,\n",
    "       COUNT(DISTINCT T4.id) AS followers__count\n",
    "  FROM app_user\n",
    "  LEFT OUTER JOIN app_user_following\n",
    "    ON app_user.id = app_user_following.from_user_id\n",
    "  LEFT OUTER JOIN app_user_following T4\n",
    "    ON app_user.id = T4.to_user_id\n",
    " GROUP BY app_user.id, app_user.username\n",
    " ORDER BY app_user.id",
);

/// Every user's counts with `COUNT(DISTINCT ...)`.
pub fn follow_counts(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    crate::query_counts(conn, SQL)
}
