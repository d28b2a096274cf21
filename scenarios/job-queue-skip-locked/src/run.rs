//! A variant's story: two workers' sessions built from one module's `WORKER` on a fresh
//! queue (SQLite file or PostgreSQL schema), one explicit permutation, and the runs per
//! job judged against the truth that every job runs exactly once.

use lab_kit::Report;
use lab_kit::db::{self, Backend, DbStep, World};
use lab_kit::interleave::{Interleaving, Slot};

use crate::model::{JOBS, Ledger, Worker};

/// The two worker processes, one session each (the session is named after the worker).
pub const WORKERS: [&str; 2] = ["w1", "w2"];

/// SQLite in autocommit: both pick before either claims.
pub const PICKS_FIRST: &[&str] = &["w1_pick", "w2_pick", "w1_claim", "w2_claim"];

/// PostgreSQL inside transactions: both pick, both claim, then both commit.
pub const PG_PICKS_FIRST: &[&str] = &[
    "w1_begin",
    "w1_pick",
    "w2_begin",
    "w2_pick",
    "w1_claim",
    "w2_claim",
    "w1_commit",
    "w2_commit",
];

/// The same, and w2 takes another turn afterwards (it came back empty-handed).
pub const PG_PICKS_FIRST_THEN_RETRY: &[&str] = &[
    "w1_begin",
    "w1_pick",
    "w2_begin",
    "w2_pick",
    "w1_claim",
    "w2_claim",
    "w1_commit",
    "w2_commit",
    "w2_retry",
];

/// Runs `worker` for both workers through `permutation` on a fresh queue on `backend`.
pub fn story(
    worker: &'static Worker,
    backend: Backend,
    permutation: &[&str],
) -> lab_kit::Result<Report> {
    let world = World::new(backend, &crate::model::schema(backend, JOBS))?;
    let mut sessions = Vec::new();
    for name in WORKERS {
        sessions.push(world.session(name, worker_steps(name, worker, backend))?);
    }
    let result = db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    let ledger = Ledger::read(&mut *world.connect()?, JOBS, &WORKERS)?;
    Ok(report(&ledger, result)
        .observe("permutation", permutation)
        .observe("locking_clause", db::locking_clauses(worker.pick_sql)))
}

/// A worker's steps, declared in the order its turn runs them: `<w>_begin` and
/// `<w>_commit` when the turn opens a transaction on this backend, `<w>_pick`, `<w>_claim`
/// (which runs the job it claimed); then `<w>_retry`, a whole turn again.
pub fn worker_steps(name: &'static str, worker: &'static Worker, backend: Backend) -> Vec<DbStep> {
    let seen = Slot::new(None::<i64>);
    let begin = (worker.begin)(backend);
    let mut steps = Vec::new();
    if let Some(sql) = begin {
        steps.push(DbStep::sql(&format!("{name}_begin"), sql));
    }
    let pick_sql = (worker.pick_sql)(backend);
    let seen_w = seen.clone();
    steps.push(DbStep::new(&format!("{name}_pick"), pick_sql, move |db| {
        let picked = (worker.pick)(db)?;
        seen_w.set(picked);
        Ok(picked.map_or_else(|| "(no job)".to_owned(), |id| format!("id={id}")))
    }));
    steps.push(DbStep::new(
        &format!("{name}_claim"),
        worker.claim_sql,
        move |db| {
            let claimed = worker.claim_and_run(db, seen.get(), name)?;
            Ok(describe(claimed, name))
        },
    ));
    if begin.is_some() {
        steps.push(DbStep::sql(&format!("{name}_commit"), "COMMIT"));
    }
    let again = "a whole turn again (begin, pick, claim, run, commit)";
    steps.push(DbStep::new(&format!("{name}_retry"), again, move |db| {
        let claimed = worker.work_one(db, name)?;
        Ok(describe(claimed, name))
    }));
    steps
}

/// The steps of one turn, in order: what every schedule interleaves.
pub fn turn_steps(name: &str, worker: &Worker, backend: Backend) -> Vec<String> {
    let mut names = vec![format!("{name}_pick"), format!("{name}_claim")];
    if (worker.begin)(backend).is_some() {
        names.insert(0, format!("{name}_begin"));
        names.push(format!("{name}_commit"));
    }
    names
}

fn describe(claimed: Option<i64>, name: &str) -> String {
    match claimed {
        Some(job) => format!(
            "claimed job {job}; {name} runs it: invoice {} e-mailed",
            1000 + job
        ),
        None => "claimed nothing".to_owned(),
    }
}

/// The report of a queue story, the verdict from the runs per job alone.
fn report(ledger: &Ledger, result: Interleaving) -> Report {
    let wrong = ledger.wrong();
    let symptom = if wrong.is_empty() {
        let each: Vec<String> = ledger
            .jobs
            .iter()
            .map(|j| format!("job {} by {}", j.job, j.ran_by.join(", ")))
            .collect();
        format!("every job ran exactly once: {}", each.join("; "))
    } else {
        let each: Vec<String> = wrong
            .iter()
            .map(|j| match j.runs {
                0 => format!("job {} never ran", j.job),
                2 => format!("job {} ran twice (by {})", j.job, j.ran_by.join(" and ")),
                n => format!("job {} ran {n} times (by {})", j.job, j.ran_by.join(", ")),
            })
            .collect();
        let mut text = each.join("; ");
        if !ledger.run_twice().is_empty() {
            text.push_str(": a customer got the same invoice e-mail twice");
        }
        text
    };
    let waited: Vec<String> = result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.clone())
        .collect();
    let never: Vec<i64> = ledger
        .jobs
        .iter()
        .filter(|j| j.runs == 0)
        .map(|j| j.job)
        .collect();
    // lab-kit names the report after the variant that ran it.
    Report::new("", !wrong.is_empty(), symptom)
        .observe("jobs", JOBS)
        .observe("runs", &ledger.jobs)
        .observe("jobs_run_twice", ledger.run_twice())
        .observe("jobs_never_run", never)
        .observe("steps_that_waited", waited)
        .with_transcript(result.transcript)
}
