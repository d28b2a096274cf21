//! The pitfall: both counts in one query, each over its own LEFT JOIN of the through table.

use rusqlite::Connection;

use crate::model::{UserCounts, query_counts};

/// What Django 5.2 sends for `User.objects.annotate(following_count=Count("following"),
/// followers_count=Count("followers")).order_by("pk")`, word for word but for its double
/// quotes (the Django twin checks it): one SELECT, the through table joined twice (the
/// second time as `T4`), two COUNTs, one GROUP BY.
pub const SQL: &str = concat!(
    "SELECT app_user.id, app_user.username,\n",
    "       COUNT(app_user_following.to_user_id) AS following_count,\n",
    "       COUNT(T4.from_user_id) AS followers_count\n",
    "  FROM app_user\n",
    "  LEFT OUTER JOIN app_user_following\n",
    "    ON (app_user.id = app_user_following.from_user_id)\n",
    // PITFALL: the second join multiplies every row of the first: a user with k
    // followings and m followers becomes k x m rows before GROUP BY, and both COUNTs
    // count those rows.
    "  LEFT OUTER JOIN app_user_following T4\n",
    "    ON (app_user.id = T4.to_user_id)\n",
    " GROUP BY app_user.id, app_user.username\n",
    " ORDER BY app_user.id ASC",
);

/// Every user's counts, the way the annotated queryset computes them.
pub fn follow_counts(conn: &Connection) -> rusqlite::Result<Vec<UserCounts>> {
    query_counts(conn, SQL)
}
