//! Two `COUNT`s over two joins of the same table multiply each other: a user who follows
//! three people and has two followers is reported as following six and followed by six.
//!
//! Run with:
//! - `cargo test -p double-counted-annotations`
//! - `cargo run -- run double-counted-annotations`
//! - `cargo run --release -- bench double-counted-annotations`

pub mod bench;
pub mod broken;
pub mod fixed;

use std::collections::BTreeMap;

use lab_kit::sqlite::{self, StatementLog};
use lab_kit::{Difficulty, Report, Role, Scenario, Tag, Transcript, Variant};
use rusqlite::Connection;
use serde::Serialize;

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "double-counted-annotations",
    title: "Two counts over two joins multiply each other",
    question: "Why does annotating a queryset with two Counts over different relations give inflated numbers?",
    tags: &[Tag::Sqlite, Tag::Orm, Tag::Performance],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run_variant("broken", broken::follow_counts),
        },
        Variant {
            name: "fixed_distinct",
            role: Role::Fix,
            needs: &[],
            run: || run_variant("fixed_distinct", fixed::distinct::follow_counts),
        },
        Variant {
            name: "fixed_subquery",
            role: Role::Fix,
            needs: &[],
            run: || run_variant("fixed_subquery", fixed::subquery::follow_counts),
        },
    ],
    bench: Some(bench::run),
};

/// One way of asking the database for every user's two counts.
pub type CountQuery = fn(&Connection) -> rusqlite::Result<Vec<UserCounts>>;

/// The schema Django creates for `User.following = ManyToManyField("self",
/// symmetrical=False, related_name="followers")`: the users and the auto-created
/// through table, one row per (follower, followee) edge.
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

    /// Each user's true counts, computed in Rust from the edge list alone.
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

/// One user's two numbers, as a query returned them (or as they truly are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserCounts {
    pub user: String,
    pub following: i64,
    pub followers: i64,
}

/// Runs `sql` and reads `(username, following, followers)` rows in user order.
pub fn query_counts(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<UserCounts>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |row| {
        Ok(UserCounts {
            user: row.get(0)?,
            following: row.get(1)?,
            followers: row.get(2)?,
        })
    })?;
    rows.collect()
}

/// A user whose reported counts differ from the truth, or the first difference in shape.
pub fn compare(truth: &[UserCounts], got: &[UserCounts]) -> Result<(), String> {
    if truth.len() != got.len() {
        return Err(format!(
            "{} users, but {} rows came back",
            truth.len(),
            got.len()
        ));
    }
    match truth.iter().zip(got).find(|(t, g)| t != g) {
        None => Ok(()),
        Some((t, g)) => Err(format!(
            "{}: reported following={} followers={}, truth following={} followers={}",
            t.user, g.following, g.followers, t.following, t.followers
        )),
    }
}

/// The property every correct variant satisfies: on `graph`, its counts equal the truth.
pub fn matches_truth(query: CountQuery, graph: &Graph) -> Result<(), String> {
    let conn = sqlite::memory().map_err(|e| e.to_string())?;
    graph.load(&conn).map_err(|e| e.to_string())?;
    let got = query(&conn).map_err(|e| e.to_string())?;
    compare(&graph.truth(), &got)
}

/// Runs `query` on the seed graph and reports what came back beside the truth.
pub fn run_variant(name: &str, query: CountQuery) -> lab_kit::Result<lab_kit::Report> {
    let graph = Graph::seed();
    let mut conn = sqlite::memory()?;
    graph.load(&conn)?;
    // Attached after loading: the log holds exactly what the variant asked.
    let log = StatementLog::attach(&mut conn)?;
    let got = query(&conn)?;
    let truth = graph.truth();

    let mut transcript = Transcript::new();
    transcript.push(
        "app",
        format!(
            "seed graph: {} users, follows {}",
            graph.users.len(),
            graph.describe_follows().join(", ")
        ),
    );
    let statements = log.take();
    for sql in &statements {
        transcript.push("db", sql);
    }
    transcript.push("db", format!("{} rows", got.len()));
    let mut rows = Vec::new();
    for (t, g) in truth.iter().zip(&got) {
        let verdict = if t == g { "ok" } else { "WRONG" };
        transcript.push(
            "app",
            format!(
                "{}: following={} (truth {}), followers={} (truth {}) {verdict}",
                t.user, g.following, t.following, g.followers, t.followers
            ),
        );
        rows.push(BTreeMap::from([
            ("user", serde_json::json!(t.user)),
            ("following", serde_json::json!(g.following)),
            ("true_following", serde_json::json!(t.following)),
            ("followers", serde_json::json!(g.followers)),
            ("true_followers", serde_json::json!(t.followers)),
        ]));
    }
    let wrong: Vec<&str> = truth
        .iter()
        .zip(&got)
        .filter(|(t, g)| t != g)
        .map(|(t, _)| t.user.as_str())
        .collect();
    let observed = !wrong.is_empty() || got.len() != truth.len();
    let symptom = if observed {
        format!(
            "the profile page shows inflated follower and following counts for {}",
            wrong.join(", ")
        )
    } else {
        "every user's following and follower counts match the follow list".to_owned()
    };
    // The first user (ada in the seed graph) is the one the pitfall hits hardest.
    let (t, g) = (&truth[0], &got[0]);
    let chart = serde_json::json!({
        "title": format!("{}: counts returned beside the truth", t.user),
        "unit": "",
        "bars": [
            {"label": "following", "value": g.following},
            {"label": "following (truth)", "value": t.following},
            {"label": "followers", "value": g.followers},
            {"label": "followers (truth)", "value": t.followers},
        ],
    });
    let report = Report::new(name, observed, symptom)
        .observe("sql", statements)
        .observe("users", rows)
        .observe("wrong_users", wrong)
        .observe("chart", chart)
        .with_transcript(transcript);
    Ok(report)
}
