//! What every variant shares: the tables Django creates for a self-referential
//! many-to-many, the users and the seed story, the profile's two counts (the same SQL for
//! every variant), the truth computed from the story alone, and the one variant type.

use std::collections::BTreeSet;

use rusqlite::Connection;
use serde::Serialize;

/// How a variant writes follows: `broken.rs` and the fix each expose one, `FOLLOWS`.
#[derive(Debug, Clone, Copy)]
pub struct Follows {
    /// `follower` starts following `followee`: `follower.following.add(followee)`.
    pub follow: EdgeFn,
    /// `follower` stops following `followee`: `follower.following.remove(followee)`.
    pub unfollow: EdgeFn,
}

/// One write on the follow table, by user ids: (follower, followee).
pub type EdgeFn = fn(&Connection, i64, i64) -> rusqlite::Result<()>;

/// What Django 5.2 creates for `User.following = ManyToManyField("self", ...)`, word for
/// word but for its double quotes (the Django twin checks it): the users, and the
/// auto-created through table, one row per (from, to) pair, unique per pair. It is the
/// same table whatever the field's options: which rows it gets is up to the code that
/// writes them.
pub const SCHEMA: &str = "
CREATE TABLE app_user (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, username varchar(30) NOT NULL UNIQUE);
CREATE TABLE app_user_following (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, from_user_id integer NOT NULL REFERENCES app_user (id) DEFERRABLE INITIALLY DEFERRED, to_user_id integer NOT NULL REFERENCES app_user (id) DEFERRABLE INITIALLY DEFERRED);
CREATE UNIQUE INDEX app_user_following_from_user_id_to_user_id_ec0832f6_uniq ON app_user_following (from_user_id, to_user_id);
CREATE INDEX app_user_following_from_user_id_73e32d5e ON app_user_following (from_user_id);
CREATE INDEX app_user_following_to_user_id_f5bb125d ON app_user_following (to_user_id);
";

/// How many people a user follows: `user.following.count()`, as Django 5.2 sends it.
pub const FOLLOWING_COUNT: &str =
    "SELECT COUNT(*) AS __count FROM app_user_following WHERE app_user_following.from_user_id = ?1";

/// How many people follow a user: `User.objects.filter(following=user).count()`, the
/// users whose `following` holds this one, as Django 5.2 sends it.
pub const FOLLOWERS_COUNT: &str = "SELECT COUNT(*) AS __count FROM app_user INNER JOIN app_user_following ON (app_user.id = app_user_following.from_user_id) WHERE app_user_following.to_user_id = ?1";

/// One step of a story, by user index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Action {
    Follow(usize, usize),
    Unfollow(usize, usize),
}

/// Users by name (ids are index + 1) and what they did, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Story {
    pub users: Vec<String>,
    pub actions: Vec<Action>,
}

/// One user's two numbers, as the profile page shows them (or as they truly are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub user: String,
    pub following: i64,
    pub followers: i64,
}

impl Story {
    /// The seed: ann follows bob, cy follows bob, bob follows cy back, dee follows ann,
    /// then bob unfollows cy.
    pub fn seed() -> Self {
        let users = ["ann", "bob", "cy", "dee"].map(str::to_owned).to_vec();
        let actions = vec![
            Action::Follow(0, 1),
            Action::Follow(2, 1),
            Action::Follow(1, 2),
            Action::Follow(3, 0),
            Action::Unfollow(1, 2),
        ];
        Self { users, actions }
    }

    /// An action as a line: `ann follows bob`, `bob unfollows cy`.
    pub fn describe(&self, action: Action) -> String {
        match action {
            Action::Follow(a, b) => format!("{} follows {}", self.users[a], self.users[b]),
            Action::Unfollow(a, b) => format!("{} unfollows {}", self.users[a], self.users[b]),
        }
    }

    /// The follows that stand after the story, as (follower, followee) indexes: a set of
    /// directed pairs, computed from the actions alone. The truth every variant is judged
    /// by.
    pub fn truth_edges(&self) -> BTreeSet<(usize, usize)> {
        let mut edges = BTreeSet::new();
        for action in &self.actions {
            match *action {
                Action::Follow(a, b) => edges.insert((a, b)),
                Action::Unfollow(a, b) => edges.remove(&(a, b)),
            };
        }
        edges
    }

    /// Every user's true counts, from [`truth_edges`](Self::truth_edges).
    pub fn truth(&self) -> Vec<Counts> {
        let edges = self.truth_edges();
        let count = |f: &dyn Fn(&(usize, usize)) -> bool| {
            i64::try_from(edges.iter().filter(|e| f(e)).count()).expect("a handful of follows")
        };
        (0..self.users.len())
            .map(|u| Counts {
                user: self.users[u].clone(),
                following: count(&|&(a, _)| a == u),
                followers: count(&|&(_, b)| b == u),
            })
            .collect()
    }

    /// A pair of user indexes as `ann -> bob`.
    pub fn edge(&self, (a, b): (usize, usize)) -> String {
        format!("{} -> {}", self.users[a], self.users[b])
    }

    /// Creates the tables and the users (ids are index + 1).
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(SCHEMA)?;
        for (i, name) in self.users.iter().enumerate() {
            conn.execute(
                "INSERT INTO app_user (id, username) VALUES (?1, ?2)",
                (id_of(i), name),
            )?;
        }
        Ok(())
    }

    /// Runs every action through `follows`, in order.
    pub fn play(&self, conn: &Connection, follows: Follows) -> rusqlite::Result<()> {
        for action in &self.actions {
            self.apply(conn, follows, *action)?;
        }
        Ok(())
    }

    /// Runs one action through `follows`.
    pub fn apply(
        &self,
        conn: &Connection,
        follows: Follows,
        action: Action,
    ) -> rusqlite::Result<()> {
        match action {
            Action::Follow(a, b) => (follows.follow)(conn, id_of(a), id_of(b)),
            Action::Unfollow(a, b) => (follows.unfollow)(conn, id_of(a), id_of(b)),
        }
    }

    /// Every user's counts as the profile page reads them.
    pub fn counts(&self, conn: &Connection) -> rusqlite::Result<Vec<Counts>> {
        let count = |sql: &str, i: usize| conn.query_row(sql, [id_of(i)], |r| r.get(0));
        (0..self.users.len())
            .map(|i| {
                Ok(Counts {
                    user: self.users[i].clone(),
                    following: count(FOLLOWING_COUNT, i)?,
                    followers: count(FOLLOWERS_COUNT, i)?,
                })
            })
            .collect()
    }

    /// The pairs stored in the through table, as user indexes, in (from, to) order.
    pub fn stored_edges(&self, conn: &Connection) -> rusqlite::Result<BTreeSet<(usize, usize)>> {
        let mut stmt = conn.prepare("SELECT from_user_id, to_user_id FROM app_user_following")?;
        let rows = stmt.query_map([], |r| Ok((index_of(r.get(0)?), index_of(r.get(1)?))))?;
        rows.collect()
    }
}

/// A user's id: index + 1.
pub fn id_of(index: usize) -> i64 {
    i64::try_from(index + 1).expect("a handful of users")
}

fn index_of(id: i64) -> usize {
    usize::try_from(id - 1).expect("ids start at 1")
}

/// Runs `body` in a transaction, as Django's `transaction.atomic()` (and every
/// `add()`/`remove()` of a related manager) does: `BEGIN`, then `COMMIT`, or `ROLLBACK`
/// on an error.
pub fn atomic(
    conn: &Connection,
    body: impl FnOnce() -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN")?;
    match body() {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}
