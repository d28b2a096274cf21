//! The data property every correct count query satisfies, runnable against any
//! [`CountQuery`]: on any follow graph, each user's counts equal the truth.

use crate::model::{CountQuery, Graph, UserCounts};

/// The largest graphs the property tests draw: few users and edges are enough, since the
/// smallest failing graph has three edges.
pub const MAX_USERS: usize = 6;
/// See [`MAX_USERS`].
pub const MAX_FOLLOWS: usize = 12;

/// A graph of `users` users named `u0`, `u1`, ... and the given edges: how a generated
/// input becomes a [`Graph`].
pub fn numbered_graph(users: usize, follows: Vec<(usize, usize)>) -> Graph {
    Graph::new((0..users).map(|i| format!("u{i}")).collect(), follows)
}

/// The property: on `graph`, `query` returns one row per user, each equal to the truth
/// computed from the edge list. The error names the first user that differs.
pub fn matches_truth(query: CountQuery, graph: &Graph) -> Result<(), String> {
    let conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    graph.load(&conn).map_err(|e| e.to_string())?;
    let got = query(&conn).map_err(|e| e.to_string())?;
    compare(&graph.truth(), &got)
}

/// The first user whose reported counts differ from the truth, or a difference in shape.
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
