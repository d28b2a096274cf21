//! Fix 2: no joins at all; one correlated subquery per relation.

use rusqlite::Connection;

use crate::model::{UserCounts, query_counts};

/// One `Subquery(...)` per relation: each count is computed on its own, from the index,
/// so nothing multiplies and the work is linear in the edges. It works for any aggregate,
/// not just COUNT. (Django's form groups inside the subquery, which yields NULL for a user
/// without edges, hence its `Coalesce(..., 0)`; a bare `COUNT(*)` subquery yields 0.)
pub const SQL: &str = concat!(
    "SELECT app_user.username,\n",
    // FIX: one correlated subquery per relation; the rows of one never meet the other.
    "       (SELECT COUNT(*) FROM app_user_following U0\n",
    "         WHERE U0.from_user_id = app_user.id) AS following__count,\n",
    "       (SELECT COUNT(*) FROM app_user_following U1\n",
    "         WHERE U1.to_user_id = app_user.id) AS followers__count\n",
    "  FROM app_user\n",
    " ORDER BY app_user.id",
);

/// Every user's counts with one subquery per relation.
pub fn follow_counts(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    query_counts(conn, SQL)
}
