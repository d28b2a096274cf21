//! A variant's stories on a fresh blog (SQLite file or PostgreSQL schema): two readers'
//! requests through one explicit permutation, then one reader's request that saves the
//! article a second time; the counter judged against the visits served.

use lab_kit::db::{self, Backend, Db, DbStep, World};
use lab_kit::interleave::{Interleaving, Slot};
use lab_kit::{Chart, Report, Transcript};

use crate::logged::Logged;
use crate::model::{ARTICLE, Article, CountVisit, request_begin, schema, view, views_in_db};

/// The two readers, one session each.
pub const READERS: [(&str, &str); 2] = [("s1", "ann"), ("s2", "bob")];

/// SQLite in autocommit: both requests read before either counts.
pub const READS_FIRST: &[&str] = &["s1_read", "s2_read", "s1_count", "s2_count"];

/// PostgreSQL, a transaction per request: both read, both count, then both commit.
pub const PG_READS_FIRST: &[&str] = &[
    "s1_begin",
    "s1_read",
    "s2_begin",
    "s2_read",
    "s1_count",
    "s2_count",
    "s1_commit",
    "s2_commit",
];

/// Two readers at once: how many requests were served and what the counter says.
#[derive(Debug)]
pub struct Race {
    pub visits: i64,
    pub views: i64,
    pub result: Interleaving,
}

/// Runs `count` for both readers through `permutation` on a fresh blog on `backend`.
pub fn race(count: CountVisit, backend: Backend, permutation: &[&str]) -> lab_kit::Result<Race> {
    let world = World::new(backend, &schema(backend))?;
    let mut sessions = Vec::new();
    for (session, _) in READERS {
        sessions.push(world.session(session, reader_steps(session, count, backend))?);
    }
    let result = db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    // The truth, from the harness alone: a request is a visit once every step of it ran
    // and answered without an error.
    let served = |session: &str| {
        let steps: Vec<_> = result
            .steps
            .iter()
            .filter(|r| r.session == session)
            .collect();
        let counted = steps.iter().any(|r| r.step == format!("{session}_count"));
        counted && steps.iter().all(|r| matches!(r.outcome, Some(Ok(_))))
    };
    let visits = READERS.iter().filter(|(s, _)| served(s)).count();
    Ok(Race {
        visits: i64::try_from(visits).expect("two readers"),
        views: views_in_db(&mut *world.connect()?)?,
        result,
    })
}

/// A reader's steps, in the order the view runs them: `<s>_begin` and `<s>_commit` around
/// the request where it runs in a transaction (PostgreSQL), `<s>_read` (the get) and
/// `<s>_count` (the variant's `count_visit`, shown with the SQL it sent).
pub fn reader_steps(session: &str, count: CountVisit, backend: Backend) -> Vec<DbStep> {
    let article = Slot::new(None::<Article>);
    let mut steps = Vec::new();
    if let Some(sql) = request_begin(backend) {
        steps.push(DbStep::sql(&format!("{session}_begin"), sql));
    }
    let read = article.clone();
    steps.push(DbStep::new(
        &format!("{session}_read"),
        "Article.objects.get(pk=1)",
        move |db| {
            let got = Article::get(db, ARTICLE)?;
            let text = format!("views={}", got.views);
            read.set(Some(got));
            Ok(text)
        },
    ));
    steps.push(DbStep::new(
        &format!("{session}_count"),
        "count_visit(article)",
        move |db| {
            let Some(mut got) = article.get() else {
                return Ok("nothing was read".to_owned());
            };
            let mut logged = Logged::new(db);
            count(&mut logged, &mut got)?;
            let text = format!(
                "{} -> article.views={}",
                logged.take().join("; "),
                got.views
            );
            article.set(Some(got));
            Ok(text)
        },
    ));
    if request_begin(backend).is_some() {
        steps.push(DbStep::sql(&format!("{session}_commit"), "COMMIT"));
    }
    steps
}

/// The steps of one reader's request, in order: what every schedule interleaves.
pub fn view_steps(session: &str, backend: Backend) -> Vec<String> {
    reader_steps(session, crate::broken::count_visit, backend)
        .iter()
        .map(|s| s.name().to_owned())
        .collect()
}

/// One reader, alone: the view counts the visit, and later in the same request the code
/// stores who read the article last and saves the instance again.
#[derive(Debug)]
pub struct OneVisit {
    pub views: i64,
    /// What the request sent, in order.
    pub sql: Vec<String>,
}

/// Runs one request with `count` on a fresh blog on `backend`.
pub fn one_visit(count: CountVisit, backend: Backend) -> lab_kit::Result<OneVisit> {
    let world = World::new(backend, &schema(backend))?;
    let mut conn = world.connect()?;
    let mut logged = Logged::new(&mut *conn);
    let begin = request_begin(backend);
    if let Some(sql) = begin {
        logged.execute(sql, &[])?;
    }
    let mut article = view(&mut logged, count)?;
    article.last_reader = "ann".to_owned();
    article.save(&mut logged)?;
    if begin.is_some() {
        logged.execute("COMMIT", &[])?;
    }
    let sql = logged.take();
    Ok(OneVisit {
        views: views_in_db(&mut *conn)?,
        sql,
    })
}

/// Both stories of `count` on `backend`, the race through `permutation`, as a report.
pub fn story(count: CountVisit, backend: Backend, permutation: &[&str]) -> lab_kit::Result<Report> {
    let race = race(count, backend, permutation)?;
    let one = one_visit(count, backend)?;
    let lost = race.visits - race.views;
    let observed = race.views != race.visits || one.views != 1;
    let symptom = if race.views != race.visits {
        format!(
            "{} readers opened the article and its counter went up by {}",
            race.visits, race.views
        )
    } else if one.views != 1 {
        format!(
            "one reader opened the article and its counter went up by {}: the request's \
             second save() counted the visit again",
            one.views
        )
    } else {
        format!(
            "{} readers at once are counted {}, and one visit counts 1 whatever the request \
             saves afterwards",
            race.visits, race.views
        )
    };
    let waited: Vec<&str> = race
        .result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.as_str())
        .collect();
    let mut transcript = race.result.transcript.clone();
    transcript.push(
        "app",
        format!("two readers: {} visits, views={}", race.visits, race.views),
    );
    transcript.extend(narrate_one_visit(&one));
    // Counters of two readers: far inside the integers f64 holds exactly.
    let chart = Chart::new("two readers at once", "visits")
        .bar("readers served", race.visits as f64)
        .bar("counted", race.views as f64);
    Ok(Report::new("", observed, symptom)
        .observe("permutation", permutation)
        .observe("visits", race.visits)
        .observe("views", race.views)
        .observe("lost_visits", lost)
        .observe("steps_that_waited", waited)
        .observe("one_visit_views", one.views)
        .observe("one_visit_sql", &one.sql)
        .with_chart(chart)
        .with_transcript(transcript))
}

fn narrate_one_visit(one: &OneVisit) -> Transcript {
    let mut t = Transcript::new();
    t.push(
        "app",
        "one reader: the view counts the visit, then the request sets last_reader and saves again",
    );
    for sql in &one.sql {
        t.push("ann", sql);
    }
    t.push("app", format!("one visit: views={}", one.views));
    t
}
