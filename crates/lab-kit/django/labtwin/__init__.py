"""What the Django twins of interleaving scenarios share: lab_kit::interleave, in Python.

A twin (scenarios/<id>/django/twin.py) replays the lab's story in Django 5.2:
- `one_variant()`: the lab's `lab run <id> --json` (stdin) and the variant this process
  runs. The first process runs the twin again once per variant the lab ran - a fresh
  process each, so every variant has DATABASES of its own - prints their facts as
  `{"variants": {...}}` and exits.
- `databases()`, `tables()`: the variant's database (a fresh SQLite file, or a fresh
  schema on LAB_POSTGRES_URL), plus the aliases `sqlite` and `postgres` on which
  `locking_clauses()` compiles a queryset for each backend.
- `Paused` and `interleave()`: a view written as a generator whose `yield "<label>"` ends
  the lab's step `<session>_<label>`, run for each session on a thread of its own
  (Django's connections are per thread), in the order of the lab's permutation. A step
  waits as the lab's harness decides it: SQLite answered "database is locked" (the step is
  tried again after each later step), or a monitor connection sees the session in another
  session's `pg_blocking_pids()`. No sleep decides an order; a short poll only notices a
  state.
- `held`: loopback services whose calls the permutation answers, and requests on worker
  threads of their own (lab_kit::interleave::{Gates, WorkerSession, ServiceSession}).

`python3 -B -m labtwin` (from crates/lab-kit/django) runs its self-test: two SQLite
sessions, standard library only.
"""

from .interleave import Paused, Session, interleave, run
from .setup import databases, locking_clauses, one_variant, postgres, report, tables

__all__ = ["Paused", "Session", "databases", "interleave", "locking_clauses", "one_variant",
           "postgres", "report", "run", "tables"]
