"""job-queue-skip-locked in Django 5.2: two workers take "the oldest pending job" at once.

Each variant the lab ran runs in a process of its own with its own DATABASES: a fresh
SQLite file with "timeout": 0 (a lock answers "database is locked" at once), or a fresh
schema on LAB_POSTGRES_URL. Workers w1 and w2 each take one turn (pick, claim, run the
job) on a thread of their own (so with a Django connection of their own), step by step in
the order of the lab's `permutation`; a step waits as the lab's harness decides it
(crates/lab-kit/django/labtwin): SQLite said "database is locked", or PostgreSQL's
pg_blocking_pids() names the other worker. Running a job writes a Run row - the e-mail
going out - so the runs per job are counted from the job's own side effect. Prints the
runs per job, the jobs run twice or never, the steps that waited, and the locking clause
Django writes for the pick on SQLite and on PostgreSQL - none on SQLite, where
select_for_update(skip_locked=True) is dropped without a word.

The conditional claim is `QuerySet.update()` with a `Subquery` (not raw SQL): update()
returns a row count, not ids, so the worker claims with a token of its own and reads the
job back by it, where the lab's single statement says `RETURNING id`.
"""

import sys
import uuid
from contextlib import nullcontext
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES=labtwin.databases("sqlite", timeout=0) if NAME.endswith("_sqlite")
    else labtwin.databases("postgres"),
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
)
django.setup()

from django.db import models, transaction  # noqa: E402
from django.db.models import Subquery  # noqa: E402


class Job(models.Model):
    task = models.CharField(max_length=200)
    claimed_by = models.CharField(max_length=100, null=True)

    class Meta:
        app_label = "queue"


class Run(models.Model):
    job = models.ForeignKey(Job, on_delete=models.PROTECT)
    worker = models.CharField(max_length=100)

    class Meta:
        app_label = "queue"


# What the worker picks its job with: `pick.first()`.
PENDING = Job.objects.filter(claimed_by=None).order_by("pk")  # broken: no lock
SKIP_LOCKED = (  # fixed_skip_locked: the job stays locked; the other worker passes over it
    Job.objects.select_for_update(skip_locked=True).filter(claimed_by=None).order_by("pk")
)


def claim_what_was_picked(job, me):
    """The broken claim: the job picked earlier, claimed by its id alone."""
    if job is None:
        return None
    job.claimed_by = me
    job.save(update_fields=["claimed_by"])
    return job


def claim_oldest_pending(_picked, me):
    """The conditional claim: one UPDATE finds and claims the oldest pending job, and
    checks `claimed_by IS NULL` against the row as it is now; its row count decides."""
    token = f"{me}:{uuid.uuid4()}"
    oldest = Job.objects.filter(claimed_by=None).order_by("pk").values("pk")[:1]
    if not Job.objects.filter(pk=Subquery(oldest), claimed_by=None).update(claimed_by=token):
        return None  # the queue is empty, or another worker won the row: try again
    return Job.objects.get(claimed_by=token)


def worker_turn(pick, claim, atomic):
    """One turn of the worker loop; each `yield` ends one of the lab's steps, and leaving
    atomic() (the commit) is the last one."""

    def turn(me):
        with transaction.atomic() if atomic else nullcontext():
            if atomic:
                yield "begin"
            job = pick.first() if pick is not None else None
            yield "pick"
            job = claim(job, me)
            if job is not None:
                Run.objects.create(job=job, worker=me)  # the invoice e-mail goes out
            if atomic:
                yield "claim"
        return job

    return turn


# Each variant: its pick, its claim, and whether the turn runs inside atomic(). On SQLite
# the turn runs in autocommit, Django's default; on PostgreSQL in atomic().
VARIANTS = {
    "broken_sqlite": (PENDING, claim_what_was_picked, False),
    "broken_postgres": (PENDING, claim_what_was_picked, True),
    "fixed_skip_locked": (SKIP_LOCKED, claim_what_was_picked, True),
    "fixed_claim_update_sqlite": (None, claim_oldest_pending, False),
    "fixed_claim_update_postgres": (None, claim_oldest_pending, True),
}


def main():
    seen = VARIANT["observations"]
    pick, claim, atomic = VARIANTS[NAME]
    turn = worker_turn(pick, claim, atomic)
    workers = ["w1", "w2"]
    with labtwin.tables(Job, Run):
        jobs = range(1, seen["jobs"] + 1)
        Job.objects.bulk_create(Job(pk=j, task=f"e-mail invoice {1000 + j}") for j in jobs)
        waited = labtwin.interleave({w: labtwin.Paused(turn, w) for w in workers},
                                    seen["permutation"])
        runs = [{
            "job": j,
            "runs": Run.objects.filter(job=j).count(),
            "ran_by": [w for w in workers for _ in Run.objects.filter(job=j, worker=w)],
        } for j in jobs]
    labtwin.report({
        "runs": runs,
        "jobs_run_twice": [r["job"] for r in runs if r["runs"] > 1],
        "jobs_never_run": [r["job"] for r in runs if r["runs"] == 0],
        "steps_that_waited": waited,
        "locking_clause": labtwin.locking_clauses(pick),
    })


main()
