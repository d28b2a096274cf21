//! The SKIP LOCKED variant: two queue workers on a schema of their own, one explicit
//! permutation, and how often each job ran.

use lab_kit::interleave::{self, PgSession};
use lab_kit::{Report, Transcript};

use crate::fixed::queue;
use crate::pg_runs::PgShop;
use crate::{INITIAL_STOCK, get, set, shared};

/// Jobs in the queue for the SKIP LOCKED story.
pub const JOBS: i64 = 3;

/// Two queue workers claim a job each with `FOR UPDATE SKIP LOCKED` while both are in
/// their transactions: different jobs, nobody waits, no job runs twice.
pub fn fixed_skip_locked(url: &str) -> lab_kit::Result<lab_kit::Report> {
    let seed = format!(
        "{}INSERT INTO queue_job (id) SELECT generate_series(1, {JOBS});",
        queue::SCHEMA
    );
    let shop = PgShop::new(url, INITIAL_STOCK, &seed)?;
    let mut workers = Vec::new();
    for name in ["w1", "w2"] {
        let claimed = shared(None::<i64>);
        let done = claimed.clone();
        workers.push(
            shop.session(name)?
                .step(&format!("{name}_claim"), queue::CLAIM_SQL, move |c| {
                    let job = queue::claim(c)?;
                    set(&claimed, job);
                    Ok(job.map_or_else(|| "(no rows)".to_owned(), |id| format!("id={id}")))
                })
                .step(
                    &format!("{name}_finish"),
                    &queue::shown_finish(name),
                    move |c| {
                        let Some(job) = get(&done) else {
                            return Ok("nothing claimed".to_owned());
                        };
                        queue::finish(c, job, name)?;
                        Ok(format!("job {job} done by {name}"))
                    },
                ),
        );
    }
    let [mut w1, mut w2]: [PgSession; 2] = workers.try_into().expect("two workers");
    let permutation = [
        "w1_begin",
        "w1_claim",
        "w2_begin",
        "w2_claim",
        "w1_finish",
        "w2_finish",
        "w1_commit",
        "w2_commit",
    ];
    let result = interleave::run(&mut [&mut w1, &mut w2], &permutation)?;
    drop((w1, w2));
    let waited: Vec<&str> = result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.as_str())
        .collect();
    let runs = job_runs(&shop)?;
    let twice: Vec<i64> = runs.iter().filter(|r| r.runs > 1).map(|r| r.job).collect();
    let symptom = if twice.is_empty() {
        "two workers took two different jobs at the same time; no job ran twice".to_owned()
    } else {
        format!("job(s) {twice:?} ran more than once")
    };
    let mut transcript = Transcript::new();
    transcript.extend(result.transcript);
    Ok(Report::new("fixed_skip_locked", !twice.is_empty(), symptom)
        .observe("jobs", JOBS)
        .observe("runs", runs)
        .observe("jobs_run_twice", twice)
        .observe("steps_that_waited", waited)
        .with_transcript(transcript))
}

/// How often each job ran, and by whom: the truth is at most once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRuns {
    pub job: i64,
    pub runs: i64,
    pub workers: String,
}

fn job_runs(shop: &PgShop) -> lab_kit::Result<Vec<JobRuns>> {
    let mut client = shop.schema.connect()?;
    let rows = client.query(
        "SELECT j.id, count(r.id), coalesce(string_agg(r.worker, ',' ORDER BY r.id), '') \
         FROM queue_job j LEFT JOIN queue_run r ON r.job_id = j.id GROUP BY j.id ORDER BY j.id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| JobRuns {
            job: row.get(0),
            runs: row.get(1),
            workers: row.get(2),
        })
        .collect())
}
