//! Fix 1: keep the two joins, count each followee and each follower once with
//! `COUNT(DISTINCT ...)`.

use rusqlite::Connection;

use crate::model::{UserCounts, query_counts};

/// `Count("following", distinct=True), Count("followers", distinct=True)`, as Django 5.2
/// sends it: the same joins, and the same counted columns, but each COUNT keeps one of
/// each value. Right for COUNT only (a `Sum(..., distinct=True)` would drop equal amounts
/// that are really there), and the database still builds all k x m rows per user before
/// it throws the repeats away.
pub const SQL: &str = concat!(
    "SELECT app_user.id, app_user.username,\n",
    // FIX: count distinct followees and distinct followers, however many times the other
    // join repeated them. Distinct values equal edges here only because the through table
    // is unique on (from_user_id, to_user_id): within one user's group one side of the
    // pair is fixed, so each value of the other side is exactly one edge.
    "       COUNT(DISTINCT app_user_following.to_user_id) AS following_count,\n",
    "       COUNT(DISTINCT T4.from_user_id) AS followers_count\n",
    "  FROM app_user\n",
    "  LEFT OUTER JOIN app_user_following\n",
    "    ON (app_user.id = app_user_following.from_user_id)\n",
    "  LEFT OUTER JOIN app_user_following T4\n",
    "    ON (app_user.id = T4.to_user_id)\n",
    " GROUP BY app_user.id, app_user.username\n",
    " ORDER BY app_user.id ASC",
);

/// Every user's counts with `COUNT(DISTINCT ...)`.
pub fn follow_counts(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    query_counts(conn, SQL)
}
