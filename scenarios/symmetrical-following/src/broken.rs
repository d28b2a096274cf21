//! The pitfall: `following = ManyToManyField("self")`, symmetrical by default, so
//! `add()` writes the pair in both directions and `remove()` deletes both.

use rusqlite::Connection;

use crate::model::{Follows, atomic};

/// `follower.following.add(followee)`, as Django 5.2 sends it for this field (the Django
/// twin checks it): one transaction with two inserts.
pub fn follow(conn: &Connection, follower: i64, followee: i64) -> rusqlite::Result<()> {
    const INSERT: &str =
        "INSERT OR IGNORE INTO app_user_following (from_user_id, to_user_id) VALUES (?1, ?2)";
    atomic(conn, || {
        conn.execute(INSERT, (follower, followee))?;
        // PITFALL: a many-to-many from a model to itself is symmetrical unless told
        // otherwise: Django adds the mirror row too, so following someone makes them
        // follow you.
        conn.execute(INSERT, (followee, follower))?;
        Ok(())
    })
}

/// `follower.following.remove(followee)`, as Django 5.2 sends it for this field: one
/// DELETE.
pub fn unfollow(conn: &Connection, follower: i64, followee: i64) -> rusqlite::Result<()> {
    atomic(conn, || {
        conn.execute(
            concat!(
                "DELETE FROM app_user_following WHERE ((app_user_following.from_user_id = ?1",
                " AND app_user_following.to_user_id IN (?2))",
                // PITFALL: and the mirror row goes too: when one of two mutual followers
                // unfollows, the other's follow is deleted with it.
                " OR (app_user_following.to_user_id = ?1",
                " AND app_user_following.from_user_id IN (?2)))",
            ),
            (follower, followee),
        )?;
        Ok(())
    })
}

/// This module's writes.
pub const FOLLOWS: Follows = Follows { follow, unfollow };
