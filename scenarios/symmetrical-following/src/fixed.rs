//! The fix: `ManyToManyField("self", symmetrical=False, related_name="followers")`, a
//! directed edge table: `add()` writes the one row that was asked for, `remove()` deletes
//! that one row.

use rusqlite::Connection;

use crate::model::{Follows, atomic};

/// `follower.following.add(followee)`, as Django 5.2 sends it for this field: one
/// transaction, one insert.
pub fn follow(conn: &Connection, follower: i64, followee: i64) -> rusqlite::Result<()> {
    const INSERT: &str =
        "INSERT OR IGNORE INTO app_user_following (from_user_id, to_user_id) VALUES (?1, ?2)";
    atomic(conn, || {
        // FIX: only the edge the follower asked for; who follows back is the followee's
        // own decision, stored as its own row.
        conn.execute(INSERT, (follower, followee))?;
        Ok(())
    })
}

/// `follower.following.remove(followee)`, as Django 5.2 sends it for this field: one
/// DELETE.
pub fn unfollow(conn: &Connection, follower: i64, followee: i64) -> rusqlite::Result<()> {
    atomic(conn, || {
        conn.execute(
            concat!(
                // FIX: only the follower's own row; a follow back stays.
                "DELETE FROM app_user_following WHERE (app_user_following.from_user_id = ?1",
                " AND app_user_following.to_user_id IN (?2))",
            ),
            (follower, followee),
        )?;
        Ok(())
    })
}

/// This module's writes.
pub const FOLLOWS: Follows = Follows { follow, unfollow };
