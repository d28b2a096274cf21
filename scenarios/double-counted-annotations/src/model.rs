//! What every variant shares: the schema, the follow graph and its seed, the truth computed
//! from the edge list alone, and the one variant type.

use rusqlite::Connection;
use serde::Serialize;

/// One way of asking the database for every user's two counts: `broken.rs` and each fix
/// module expose one, `follow_counts`.
pub type CountQuery = fn(&Connection) -> rusqlite::Result<Vec<UserCounts>>;

/// The schema Django creates for `User.following = ManyToManyField("self",
/// symmetrical=False, related_name="followers")`: the users and the auto-created
/// through table, one row per (follower, followee) edge, unique per pair.
pub const SCHEMA: &str = "
CREATE TABLE app_user (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE
);
CREATE TABLE app_user_following (
    id           INTEGER PRIMARY KEY,
    from_user_id INTEGER NOT NULL REFERENCES app_user (id),
    to_user_id   INTEGER NOT NULL REFERENCES app_user (id),
    UNIQUE (from_user_id, to_user_id)
);
CREATE INDEX app_user_following_to_user_id ON app_user_following (to_user_id);
";

/// One user's two numbers, as a query returned them (or as they truly are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserCounts {
    pub user: String,
    pub following: i64,
    pub followers: i64,
}

/// A follow graph: users by name, and directed edges (follower, followee) as indexes
/// into `users`. Self-follows and repeated edges are dropped, as the unique constraint
/// and the application would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub users: Vec<String>,
    pub follows: Vec<(usize, usize)>,
}

impl Graph {
    /// A graph of `users` and `follows`, normalised (no self-follows, no duplicates).
    ///
    /// # Panics
    /// If an edge names a user index that does not exist.
    pub fn new(users: Vec<String>, follows: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut edges: Vec<(usize, usize)> = follows.into_iter().filter(|(a, b)| a != b).collect();
        assert!(
            edges
                .iter()
                .all(|&(a, b)| a < users.len() && b < users.len()),
            "every edge names existing users"
        );
        edges.sort_unstable();
        edges.dedup();
        Self {
            users,
            follows: edges,
        }
    }

    /// The seed graph of the report: ada follows bob, cy and dee; bob and cy follow ada;
    /// dee follows bob; eve is new. Some users come out right even in the broken query,
    /// which is how this bug survives a glance at the page.
    pub fn seed() -> Self {
        let users = ["ada", "bob", "cy", "dee", "eve"]
            .map(str::to_owned)
            .to_vec();
        Self::new(users, [(0, 1), (0, 2), (0, 3), (1, 0), (2, 0), (3, 1)])
    }

    /// Each user's true counts, computed in Rust from the edge list alone: the truth every
    /// query is judged against.
    pub fn truth(&self) -> Vec<UserCounts> {
        let mut counts: Vec<UserCounts> = self
            .users
            .iter()
            .map(|u| UserCounts {
                user: u.clone(),
                following: 0,
                followers: 0,
            })
            .collect();
        for &(from, to) in &self.follows {
            counts[from].following += 1;
            counts[to].followers += 1;
        }
        counts
    }

    /// The edges as `follower -> followee` lines, for reports.
    pub fn describe_follows(&self) -> Vec<String> {
        self.follows
            .iter()
            .map(|&(a, b)| format!("{} -> {}", self.users[a], self.users[b]))
            .collect()
    }

    /// Creates the schema and inserts the graph (user ids are index + 1).
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(SCHEMA)?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut user = tx.prepare("INSERT INTO app_user (id, username) VALUES (?1, ?2)")?;
            for (i, name) in self.users.iter().enumerate() {
                user.execute((id_of(i), name))?;
            }
            let mut follow = tx.prepare(
                "INSERT INTO app_user_following (from_user_id, to_user_id) VALUES (?1, ?2)",
            )?;
            for &(a, b) in &self.follows {
                follow.execute((id_of(a), id_of(b)))?;
            }
        }
        tx.commit()
    }
}

fn id_of(index: usize) -> i64 {
    i64::try_from(index + 1).expect("user counts fit in i64")
}

/// Runs `sql` and reads `(id, username, following, followers)` rows in user order - the
/// columns of an annotated `User` queryset: what every variant's `follow_counts` does
/// with its own SQL.
pub fn query_counts(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<UserCounts>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |row| {
        Ok(UserCounts {
            user: row.get(1)?,
            following: row.get(2)?,
            followers: row.get(3)?,
        })
    })?;
    rows.collect()
}
