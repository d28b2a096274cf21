//! Two honest fixes: count distinct edges, or count each relation in its own subquery.

use rusqlite::Connection;

use crate::UserCounts;

/// `Count("following", distinct=True), Count("followers", distinct=True)`: the same
/// joins, but each COUNT keeps one of each edge id. Right for COUNT only (there is no
/// DISTINCT that repairs a SUM or AVG), and the database still builds all k x m rows per
/// user before it throws the repeats away.
pub const SQL_DISTINCT: &str = concat!(
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

/// One `Subquery(...)` per relation: each count is computed on its own, from the index,
/// so nothing multiplies and the work is linear in the edges. It works for any aggregate,
/// not just COUNT. (Django's form groups inside the subquery, which yields NULL for a user
/// without edges, hence its `Coalesce(..., 0)`; a bare `COUNT(*)` subquery yields 0.)
pub const SQL_SUBQUERY: &str = concat!(
    "SELECT app_user.username,\n",
    // FIX: one correlated subquery per relation; the rows of one never meet the other.
    "       (SELECT COUNT(*) FROM app_user_following U0\n",
    "         WHERE U0.from_user_id = app_user.id) AS following__count,\n",
    "       (SELECT COUNT(*) FROM app_user_following U1\n",
    "         WHERE U1.to_user_id = app_user.id) AS followers__count\n",
    "  FROM app_user\n",
    " ORDER BY app_user.id",
);

/// Every user's counts with `COUNT(DISTINCT ...)`.
pub fn follow_counts_distinct(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    crate::query_counts(conn, SQL_DISTINCT)
}

/// Every user's counts with one subquery per relation.
pub fn follow_counts_subquery(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    crate::query_counts(conn, SQL_SUBQUERY)
}
