//! One variant's run: the seed graph in a fresh SQLite database, the variant's query as
//! SQLite's trace hook saw it, and every user's numbers judged against the truth.

use lab_kit::sqlite::{self, StatementLog};
use lab_kit::{Chart, Report, Transcript};
use serde_json::json;

use crate::model::{CountQuery, Graph, UserCounts};

/// Runs `query` on the seed graph and reports what came back beside the truth.
pub fn run(name: &str, query: CountQuery) -> lab_kit::Result<Report> {
    let graph = Graph::seed();
    let mut conn = sqlite::memory()?;
    graph.load(&conn)?;
    // Attached after loading: the log holds exactly what the variant asked.
    let log = StatementLog::attach(&mut conn)?;
    let got = query(&conn)?;
    let statements = log.take();
    let truth = graph.truth();

    let wrong: Vec<&str> = truth
        .iter()
        .zip(&got)
        .filter(|(t, g)| t != g)
        .map(|(t, _)| t.user.as_str())
        .collect();
    // The verdict: any user whose numbers differ from the edge list, or a missing row.
    let observed = !wrong.is_empty() || got.len() != truth.len();
    let symptom = if observed {
        format!(
            "the profile page shows inflated follower and following counts for {}",
            wrong.join(", ")
        )
    } else {
        "every user's following and follower counts match the follow list".to_owned()
    };
    let transcript = narrate(&graph, &statements, &truth, &got);
    let users: Vec<serde_json::Value> = truth
        .iter()
        .zip(&got)
        .map(|(t, g)| {
            json!({
                "user": t.user,
                "following": g.following,
                "true_following": t.following,
                "followers": g.followers,
                "true_followers": t.followers,
            })
        })
        .collect();
    Ok(Report::new(name, observed, symptom)
        // The input, so the Django twin replays exactly this graph.
        .observe(
            "graph",
            json!({"users": graph.users, "follows": graph.describe_follows()}),
        )
        .observe("sql", statements)
        .observe("users", users)
        .observe("wrong_users", wrong)
        .with_chart(chart(&truth[0], &got[0]))
        .with_transcript(transcript))
}

/// The seed graph, the SQL the database ran, and each user's numbers beside the truth.
fn narrate(
    graph: &Graph,
    statements: &[String],
    truth: &[UserCounts],
    got: &[UserCounts],
) -> Transcript {
    let mut t = Transcript::new();
    t.push(
        "app",
        format!(
            "seed graph: {} users, follows {}",
            graph.users.len(),
            graph.describe_follows().join(", ")
        ),
    );
    for sql in statements {
        t.push("db", sql);
    }
    t.push("db", format!("{} rows", got.len()));
    for (tr, g) in truth.iter().zip(got) {
        let verdict = if tr == g { "ok" } else { "WRONG" };
        t.push(
            "app",
            format!(
                "{}: following={} (truth {}), followers={} (truth {}) {verdict}",
                tr.user, g.following, tr.following, g.followers, tr.followers
            ),
        );
    }
    t
}

/// The first user (ada in the seed graph), the one the pitfall hits hardest: both counts
/// as returned, beside the truth.
fn chart(truth: &UserCounts, got: &UserCounts) -> Chart {
    // Counts of a five-user graph: far inside the integers f64 holds exactly.
    let bar = |n: i64| n as f64;
    Chart::new(
        format!("{}: counts returned beside the truth", truth.user),
        "",
    )
    .bar("following", bar(got.following))
    .bar("following (truth)", bar(truth.following))
    .bar("followers", bar(got.followers))
    .bar("followers (truth)", bar(truth.followers))
}
