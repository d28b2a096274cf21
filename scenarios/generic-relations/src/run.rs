//! One variant's run: the story in a fresh SQLite database with each operation's SQL,
//! the comment list page beside the truth, then two things a database meets even when
//! the app's deletes are right: a script's raw DELETE, and a comment on a row that never
//! existed.

use lab_kit::sqlite::StatementLog;
use lab_kit::{Chart, Report, Transcript};
use rusqlite::Connection;

use crate::model::{Blog, CommentLine, Target};
use crate::world::{Op, World};

/// The story every variant runs: two articles and a photo - article #1 and photo #1
/// share the object id 1 - four comments, then the first article is deleted and the
/// photos captioned "Team..." with it.
pub fn story() -> Vec<Op> {
    let comment = |on, body: &str| Op::Comment {
        on,
        body: body.to_owned(),
    };
    vec![
        Op::Article {
            title: "Launch notes".to_owned(),
        },
        Op::Article {
            title: "Roadmap".to_owned(),
        },
        Op::Photo {
            caption: "Team photo".to_owned(),
        },
        comment(Target::Article(1), "Great post"),
        comment(Target::Article(1), "Typo in the second paragraph"),
        comment(Target::Photo(1), "Nice shot"),
        comment(Target::Article(2), "When does it ship?"),
        Op::DeleteArticle { article: 1 },
        Op::DeletePhotosCaptioned {
            prefix: "Team".to_owned(),
        },
    ]
}

/// Runs the story through `blog`, judges the list page against the truth, then probes
/// what the schema lets through.
pub fn run(blog: Blog) -> lab_kit::Result<Report> {
    let mut world = World::new(blog)?;
    let schema = world.schema()?;
    let log = StatementLog::attach_expanded(&mut world.conn)?;
    let mut t = Transcript::new();
    let mut sql = Vec::new();
    let ops = story();
    for op in &ops {
        t.push("app", op.describe());
        let (got, want) = world.apply(op);
        let statements = log.take();
        if matches!(
            op,
            Op::DeleteArticle { .. } | Op::DeletePhotosCaptioned { .. }
        ) {
            sql.push(statements.clone());
        }
        for statement in statements {
            t.push("db", statement);
        }
        let wrong = if got == want {
            String::new()
        } else {
            format!(" - WRONG, the truth: {want}")
        };
        t.push("app", format!("-> {got}{wrong}"));
    }
    t.push("app", "the comment list page");
    let comments = world.comments()?;
    let list_queries = log.take();
    for statement in &list_queries {
        t.push("db", statement);
    }
    let lines = |c: &[CommentLine]| c.iter().map(ToString::to_string).collect::<Vec<_>>();
    let (shown, truth) = (lines(&comments), lines(&world.truth()));
    for line in &shown {
        t.push("app", line);
    }
    let orphans: Vec<String> = comments
        .iter()
        .filter(|c| c.shown.is_none())
        .map(ToString::to_string)
        .collect();
    if shown != truth {
        t.push("app", format!("WRONG, the truth: {}", truth.join("; ")));
    }
    let raw_delete = probe(&mut t, &world, "a cleanup script, in raw SQL", |conn| {
        conn.execute("DELETE FROM blog_article WHERE id = 2", [])
            .map(|n| format!("deleted {n} article"))
    })?;
    let dangling = probe(
        &mut t,
        &world,
        "the app, on an article that never existed",
        |conn| {
            (blog.comment_on)(conn, Target::Article(99), "First!")
                .map(|id| format!("stored comment #{id}"))
        },
    )?;
    drop(log);

    let observed = !orphans.is_empty() || shown != truth;
    let symptom = if observed {
        format!(
            "deleting article #1 and the team photo left {} comments pointing at nothing: {}",
            orphans.len(),
            orphans.join("; ")
        )
    } else {
        "deleting article #1 and the team photo deleted their comments with them; the list \
         shows exactly the comments whose article or photo exists"
            .to_owned()
    };
    let chart = Chart::new("the comment list after the deletes", "comments")
        .bar(
            "with their article or photo",
            count(comments.len() - orphans.len()),
        )
        .bar("pointing at a deleted row", count(orphans.len()));
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly these operations.
        .observe("ops", &ops)
        .observe("schema", &schema)
        .observe("sql", &sql)
        .observe("comments", &shown)
        .observe("truth", &truth)
        .observe("orphans", &orphans)
        .observe("list_queries", list_queries.len())
        .observe("raw_delete", &raw_delete)
        .observe("dangling_comment", &dangling)
        .with_chart(chart)
        .with_transcript(t))
}

/// Runs `what` on the world's connection and tells what it did: its answer and the
/// comments left pointing at nothing, or the database's refusal.
fn probe(
    t: &mut Transcript,
    world: &World,
    who: &str,
    what: impl FnOnce(&Connection) -> rusqlite::Result<String>,
) -> lab_kit::Result<String> {
    let before = orphan_count(world)?;
    let outcome = match what(&world.conn) {
        Ok(done) => {
            let made = orphan_count(world)? - before;
            let s = if made == 1 { "" } else { "s" };
            format!("{done}; {made} more comment{s} pointing at nothing")
        }
        Err(error) => format!("refused: {error}"),
    };
    t.push("probe", format!("{who} -> {outcome}"));
    Ok(outcome)
}

/// The comments the list page shows with no target.
fn orphan_count(world: &World) -> lab_kit::Result<usize> {
    Ok(world
        .comments()?
        .iter()
        .filter(|c| c.shown.is_none())
        .count())
}

/// A row count as a chart value: a handful of rows, exact in f64.
fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).expect("a handful of rows"))
}
