//! One variant's run: the seed story played through the variant's writes in a fresh
//! SQLite database, every statement as SQLite's trace hook saw it, and each profile's
//! counts and the stored follows judged against the truth computed from the story alone.

use std::collections::BTreeSet;

use lab_kit::sqlite::{self, StatementLog};
use lab_kit::{Chart, Report, Transcript};
use serde_json::json;

use crate::model::{Action, Follows, Story};

/// Runs `follows` on the seed story and reports the profiles beside the truth.
pub fn run(follows: Follows) -> lab_kit::Result<Report> {
    let story = Story::seed();
    let mut conn = sqlite::memory()?;
    let log = StatementLog::attach_expanded(&mut conn)?;
    story.load(&conn)?;
    // The tables, without the users' rows: what Django's schema editor sends.
    let schema: Vec<String> = log
        .take()
        .into_iter()
        .filter(|s| s.starts_with("CREATE"))
        .map(|s| s.trim_end_matches(';').to_owned())
        .collect();
    let mut t = Transcript::new();
    t.push(
        "app",
        format!(
            "users {}; the follow table starts empty",
            story.users.join(", ")
        ),
    );
    let (mut follow_sql, mut unfollow_sql) = (Vec::new(), Vec::new());
    for &action in &story.actions {
        t.push("app", story.describe(action));
        story.apply(&conn, follows, action)?;
        let statements = log.take();
        for sql in &statements {
            t.push("db", sql);
        }
        // The first of each kind, for the Django twin to compare.
        let first = match action {
            Action::Follow(..) => &mut follow_sql,
            Action::Unfollow(..) => &mut unfollow_sql,
        };
        if first.is_empty() {
            *first = statements;
        }
    }

    let stored = story.stored_edges(&conn)?;
    // The report's own read of the follow table is evidence, not something the app asked.
    log.take();
    let truth_edges = story.truth_edges();
    let describe = |edges: &BTreeSet<(usize, usize)>| -> Vec<String> {
        edges.iter().map(|&e| story.edge(e)).collect()
    };
    let phantom = describe(&stored.difference(&truth_edges).copied().collect());
    let lost = describe(&truth_edges.difference(&stored).copied().collect());
    let got = story.counts(&conn)?;
    let reads = log.take();
    let truth = story.truth();

    t.push("app", "each profile reads its two counts; ann's:");
    for sql in reads.iter().take(2) {
        t.push("db", sql);
    }
    let mut wrong = Vec::new();
    let mut users = Vec::new();
    let mut chart = Chart::new("followers on each profile, beside the truth", "users");
    for (g, tr) in got.iter().zip(&truth) {
        let ok = g == tr;
        if !ok {
            wrong.push(g.user.as_str());
        }
        t.push(
            "app",
            format!(
                "{}: following {} (truth {}), followers {} (truth {}) {}",
                g.user,
                g.following,
                tr.following,
                g.followers,
                tr.followers,
                if ok { "ok" } else { "WRONG" }
            ),
        );
        users.push(json!({
            "user": g.user,
            "following": g.following,
            "true_following": tr.following,
            "followers": g.followers,
            "true_followers": tr.followers,
        }));
        // A handful of follows: exact in f64.
        chart = chart
            .bar(format!("{}: followers", g.user), g.followers as f64)
            .bar(format!("{} (truth)", g.user), tr.followers as f64);
    }
    t.push(
        "app",
        format!(
            "stored follows nobody made: {}; follows made but gone: {}",
            none_if_empty(&phantom),
            none_if_empty(&lost)
        ),
    );

    // The verdict: a profile whose counts differ from the story's, or a stored follow
    // set that is not the story's.
    let observed = !wrong.is_empty() || stored != truth_edges;
    let symptom = if observed {
        format!(
            "the profiles of {} show wrong counts: the follow table holds follows nobody made ({}) and lacks follows that were made ({})",
            wrong.join(", "),
            none_if_empty(&phantom),
            none_if_empty(&lost)
        )
    } else {
        "every profile's following and follower counts match who followed whom".to_owned()
    };
    let actions: Vec<String> = story.actions.iter().map(|&a| story.describe(a)).collect();
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly this story.
        .observe("actions", actions)
        .observe("schema", schema)
        .observe("follow_sql", follow_sql)
        .observe("unfollow_sql", unfollow_sql)
        .observe("edges", describe(&stored))
        .observe("phantom_edges", phantom)
        .observe("lost_edges", lost)
        .observe("users", users)
        .observe("wrong_users", wrong)
        .with_chart(chart)
        .with_transcript(t))
}

fn none_if_empty(edges: &[String]) -> String {
    if edges.is_empty() {
        "none".to_owned()
    } else {
        edges.join(", ")
    }
}
