//! Fix 2: no joins at all; one correlated subquery per relation.

use rusqlite::Connection;

use crate::model::{UserCounts, query_counts};

/// One `Subquery(...)` per relation, as Django 5.2 sends it: each count is computed on
/// its own, from the index, so nothing multiplies and the work is linear in the edges.
/// It works for any aggregate, not just COUNT. The subquery groups by the outer key, so
/// it yields no row (NULL) for a user without edges, hence Django's `Coalesce(..., 0)`.
pub const SQL: &str = concat!(
    "SELECT app_user.id, app_user.username,\n",
    // FIX: one correlated subquery per relation; the rows of one never meet the other.
    "       COALESCE((SELECT COUNT(U0.id) AS n FROM app_user_following U0\n",
    "                  WHERE U0.from_user_id = (app_user.id)\n",
    "                  GROUP BY U0.from_user_id), 0) AS following_count,\n",
    "       COALESCE((SELECT COUNT(U0.id) AS n FROM app_user_following U0\n",
    "                  WHERE U0.to_user_id = (app_user.id)\n",
    "                  GROUP BY U0.to_user_id), 0) AS followers_count\n",
    "  FROM app_user\n",
    " ORDER BY app_user.id ASC",
);

/// Every user's counts with one subquery per relation.
pub fn follow_counts(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    query_counts(conn, SQL)
}
