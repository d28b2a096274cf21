"""nightly-slowdown in Django 5.2: the nightly purge and the site's requests, step by step.

Each variant the lab ran runs in a process of its own (labtwin.one_variant) on a fresh
SQLite file holding the lab's seed, in the lab's journal mode, every connection with
"timeout": 0 (a lock answers "database is locked" at once). The purge runs on a thread of
its own with the lab's page cache (PRAGMA cache_size = 16):

- broken, broken_wal: `Event.objects.filter(day__lt=CUTOFF).delete()` in one go. `Event`
  has a post_delete receiver, so Django collects the rows and deletes them 100 primary
  keys per statement inside one atomic(); an execute_wrapper on the purge's connection
  ends the lab's step after its BEGIN and after each DELETE.
- fixed: batches of 100 in a loop, each in its own `transaction.atomic()`; a step ends
  after each batch's commit.

Every request of the lab (`post_<r>`: `Event.objects.create(...)`, `get_<r>`: a count of
today's events) runs on a thread with its own connection, in the order of the lab's
`permutation`; one that gets "database is locked" waits and is tried again after each
later step (labtwin.Session). Prints, per page view, how many of the purge's steps it
waited through, whether any read waited, and how many old events the purge deleted.
"""

import atexit
import queue
import shutil
import sys
import tempfile
import threading
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
SEEN = VARIANT["observations"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

FOLDER = tempfile.mkdtemp(prefix="lab-twin-nightly-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
settings.configure(
    INSTALLED_APPS=["log"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": f"{FOLDER}/site.sqlite3", "OPTIONS": {"timeout": 0}}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import connection, transaction  # noqa: E402

from log.models import Event  # noqa: E402

TODAY, CUTOFF, BATCH = 100, 70, 100
NEVER = lambda session: False  # noqa: E731 - SQLite says when a step waits, not a monitor


def seed(expired, recent):
    """The lab's log: days spread as Seed::load spreads them, the same payloads."""
    def days(n, first, last):
        return [first + i * (last - first + 1) // n for i in range(n)]
    all_days = days(expired, 1, CUTOFF - 1) + days(recent, CUTOFF, TODAY - 1)
    with transaction.atomic():
        for i, day in enumerate(all_days):
            payload = f"event {i:07}: " + "GET /articles/ 200 text/html; " * 5
            Event.objects.create(day=day, payload=payload)


class Purge:
    """The purge on a thread of its own, stopping where the lab's steps end."""

    def __init__(self, batches):
        self.progress, self.go = queue.Queue(), queue.Queue()
        self.thread = threading.Thread(target=self.run, args=(batches,), daemon=True)
        self.deletes = 0

    def pause(self, label):
        self.progress.put((label, None))
        self.go.get()

    def run(self, batches):
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = 16")
            if batches:
                self.in_batches()
            else:
                with connection.execute_wrapper(self.after_statement):
                    Event.objects.filter(day__lt=CUTOFF).delete()
            self.progress.put(("end", None))
        except Exception as error:  # noqa: BLE001 - the coordinator raises it
            self.progress.put(("error", error))
        finally:
            connection.close()

    def after_statement(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("BEGIN"):
            self.pause("begin")
        elif sql.startswith("DELETE"):
            self.deletes += 1
            self.pause(f"batch_{self.deletes}")
        return result

    def in_batches(self):
        self.pause("begin")
        batch = 0
        while True:
            with transaction.atomic():
                pks = list(Event.objects.filter(day__lt=CUTOFF).values_list("pk", flat=True)[:BATCH])
                if pks:
                    Event.objects.filter(pk__in=pks).delete()
            if not pks:
                return
            batch += 1
            self.pause(f"batch_{batch}")

    def step(self, label):
        """Lets the purge run to its next stop, which must be the lab's step `label`."""
        if self.thread.is_alive() or label != "begin":
            self.go.put(True)
        else:
            self.thread.start()
        reached, error = self.progress.get(timeout=60)
        if error is not None:
            raise error
        assert reached == label, f"the purge stopped at {reached}, the lab at {label}"


def request(kind):
    if kind == "post":
        return lambda: Event.objects.create(day=TODAY, payload="page view").pk
    return lambda: Event.objects.filter(day=TODAY).count()


def main():
    with connection.schema_editor() as editor:
        editor.create_model(Event)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA journal_mode = {'wal' if SEEN['journal_mode'] == 'wal' else 'delete'}")
    seed(SEEN["seed"]["expired"], SEEN["seed"]["recent"])
    connection.close()

    permutation = SEEN["permutation"]
    purge = Purge(batches=NAME == "fixed")
    job_steps = {s: (lambda label=s[len("job_"):]: purge.step(label))
                 for s in permutation if s.startswith("job_")}
    sessions = [labtwin.Session("job", job_steps)]
    for step in (s for s in permutation if not s.startswith("job_")):
        sessions.append(labtwin.Session(step, {step: request(step.split("_")[0])},
                                        setup=lambda: connection.ensure_connection(),
                                        teardown=lambda: connection.close()))
    owner = {step: s for s in sessions for step in s.steps}

    # lab_kit::interleave::run: a waiting step is tried again, in session order, after
    # every later step that answered; the order in which steps finished is kept.
    finished, waiting, sent_after = [], {}, {}
    jobs_done = lambda upto: sum(1 for s in finished[:upto] if s.startswith("job_"))  # noqa: E731
    for step in permutation:
        session = owner[step]
        sent_after[step] = jobs_done(len(finished))
        if not session.start(step, NEVER):
            waiting[session] = step
            continue
        finished.append(step)
        moved = True
        while moved:
            moved = False
            for other in [s for s in sessions if s in waiting]:
                if other.resume(NEVER):
                    finished.append(waiting.pop(other))
                    moved = True
    assert not waiting, f"still waiting: {list(waiting.values())}"
    for session in sessions:
        session.close()

    waits = {s: jobs_done(finished.index(s)) - sent_after[s] for s in finished if not s.startswith("job_")}
    left = Event.objects.filter(day__lt=CUTOFF).count()
    labtwin.report({
        "write_waits": {s: w for s, w in waits.items() if s.startswith("post_")},
        # Whether reads waited, not from which batch on: Django's collector keeps the rows
        # in a set and deletes its 100-key chunks in set order, scattered over more pages
        # than the lab's, so its purge outgrows the page cache one batch earlier.
        "reads_waited": any(w for s, w in waits.items() if s.startswith("get_")),
        "deleted": SEEN["seed"]["expired"] - left,
    })


main()
