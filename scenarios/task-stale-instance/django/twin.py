"""task-stale-instance in Django 5.2: a publish view hands a background job the article.

Each variant the lab ran runs in a process of its own (crates/lab-kit/django/labtwin): an
SQLite file for the app ("timeout": 0, so a lock answers "database is locked" at once)
and another for the broker, whose `Job` table persists every message as a Celery broker
would; a `queue.Queue` tells the worker a job is there. The broken publish view pickles the
instance into the job inside its transaction (JSON refuses a model instance, so the task
is declared with the pickle serializer); the fixed one sends `{"id": ...}` from
`transaction.on_commit`, and its worker re-reads the row and writes with
`filter(pk=..., version=...).update(...)`, reading again when that matched no row.

For each of the lab's stories, ann (the publish view, inside `atomic()`), bob (an edit in
autocommit) and the worker each run on a thread of their own, step by step in the order of
the lab's permutation; a step that meets SQLite's lock is tried again after the next step,
as the lab's harness does. The same trigger as the lab's records every row version
written. Prints, per story, the job messages (unpickled), the row's history, the row at
the end, the truth from the edits that committed, what was lost, and the steps that waited.
"""

import json
import os
import pickle
import queue
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
SEEN = VARIANT["observations"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

FOLDER = tempfile.mkdtemp(prefix="lab-twin-")
settings.configure(
    DATABASES={
        alias: {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 0},
                "NAME": os.path.join(FOLDER, f"{alias}.sqlite3")}
        for alias in ("default", "broker")
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    INSTALLED_APPS=["blog"],
)
django.setup()

from django.db import connection, connections, transaction  # noqa: E402

from blog.models import Article, Job  # noqa: E402



WAKEUPS = queue.Queue()  # the channel that tells the worker a job is there


def delay(message):
    """`typeset.delay(...)`: the broker stores the message and the worker is told, at once."""
    job = Job.objects.using("broker").create(message=message, state="queued")
    WAKEUPS.put(job.pk)


def typeset(body):
    return body.replace(" -- ", " \u2014 ")


def fix_typo(body):
    return body.replace("Teh ", "The ")


# broken: the instance, pickled, sent at once; the worker saves the copy.
def enqueue_broken(article):
    delay(pickle.dumps(article))


def load_broken(message):
    return pickle.loads(message)


def save_broken(article):
    article.body = typeset(article.body)
    article.save()


# fixed: the id, on commit; the worker re-reads, and writes only the version it read.
def enqueue_fixed(article):
    transaction.on_commit(lambda: delay(json.dumps({"id": article.pk}).encode()))


def load_fixed(message):
    return Article.objects.get(pk=json.loads(message)["id"])


def save_fixed(article):
    for _ in range(5):
        if Article.objects.filter(pk=article.pk, version=article.version).update(
            body=typeset(article.body), version=article.version + 1
        ):
            return
        article = Article.objects.get(pk=article.pk)  # an edit beat us to it: read again
    raise RuntimeError("the row kept changing")


TASKS = {"broken": (enqueue_broken, load_broken, save_broken),
         "fixed": (enqueue_fixed, load_fixed, save_fixed)}


def ann_view(enqueue):
    """The publish view; leaving atomic() is the commit, closing it the rollback."""
    with transaction.atomic():
        article = Article.objects.get(pk=SEEN["seed"]["id"])
        article.status = "published"
        article.save()
        yield "save"
        enqueue(article)
        yield "enqueue"


def bob_view():
    """bob's edit, in autocommit."""
    article = Article.objects.get(pk=SEEN["seed"]["id"])
    article.body = fix_typo(article.body)
    article.save()
    return "saved"
    yield  # a generator, so that labtwin.Paused can run it


class Worker:
    """The worker's steps; each is tried again whole when the database is locked, and the
    job it took stays taken."""

    def __init__(self, load, save):
        self.load_task, self.save_task = load, save
        self.job = self.article = None

    def load(self):
        if self.job is None:
            # Every story of the lab sends the job before the worker's first step.
            self.job = Job.objects.using("broker").get(pk=WAKEUPS.get_nowait())
            self.job.state = "running"
            self.job.save(using="broker")
        self.article = self.load_task(bytes(self.job.message))

    def save(self):
        self.save_task(self.article)
        self.job.state = "done"
        self.job.save(using="broker")
        self.job = self.article = None

    def drain(self):
        while self.job is not None or not WAKEUPS.empty():
            self.load()
            self.save()


def message_facts(message):
    try:
        article = pickle.loads(message)
    except pickle.UnpicklingError:
        return json.loads(message)
    return {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields}


def tell(permutation):
    enqueue, load, save = TASKS[NAME]
    ann, bob, worker = labtwin.Paused(ann_view, enqueue), labtwin.Paused(bob_view), Worker(load, save)
    steps = {
        "ann": {"ann_save": lambda: ann.step("save"), "ann_enqueue": lambda: ann.step("enqueue"),
                "ann_commit": lambda: ann.step("commit"), "ann_rollback": ann.rollback},
        "bob": {"bob_edit": lambda: bob.step("edit")},
        "worker": {"worker_load": worker.load, "worker_save": worker.save,
                   "worker_drain": worker.drain},
    }
    sessions = [labtwin.Session(name, s, setup=connection.ensure_connection,
                                teardown=connections.close_all) for name, s in steps.items()]
    waited = labtwin.run(sessions, permutation)
    for session in sessions:
        session.close()
    published = "ann_commit" in permutation
    bob_edited = "bob_edit" in permutation
    return published, bob_edited, waited


def truth(published, bob_edited):
    body = SEEN["seed"]["body"]
    body = fix_typo(body) if bob_edited else body
    body = typeset(body) if published else body
    return {"status": "published" if published else "draft", "body": body}


def lost(row, published, bob_edited):
    """The committed work the row does not show, in the lab's words."""
    out = []
    if bob_edited and "Teh " in row["body"]:
        out.append("bob's typo fix")
    if published and row["status"] != "published":
        out.append("ann's publish")
    if not published and row["status"] != "draft":
        out.append("a publish that was rolled back is live")
    if published and " -- " in row["body"]:
        out.append("the typesetting")
    if not published and row["body"] != truth(False, bob_edited)["body"]:
        out.append("the body of a rolled-back publish was changed")
    return out


def reset():
    """A fresh story: the seed row, no history, an empty broker."""
    Article.objects.all().delete()
    Article.objects.bulk_create([Article(**SEEN["seed"])])  # no save(): version stays
    Job.objects.using("broker").all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM lab_article_write")


def main():
    with connection.schema_editor() as editor:
        editor.create_model(Article)
    with connections["broker"].schema_editor() as editor:
        editor.create_model(Job)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE lab_article_write (version INTEGER NOT NULL, "
                       "status TEXT NOT NULL, body TEXT NOT NULL)")
        cursor.execute("CREATE TRIGGER blog_article_written AFTER UPDATE ON blog_article "
                       "BEGIN INSERT INTO lab_article_write (version, status, body) "
                       "VALUES (NEW.version, NEW.status, NEW.body); END")
    stories = {}
    for name, story in SEEN["stories"].items():
        reset()
        published, bob_edited, waited = tell(story["permutation"])
        row = Article.objects.get(pk=SEEN["seed"]["id"])
        row = {"id": row.pk, "status": row.status, "body": row.body, "version": row.version}
        with connection.cursor() as cursor:
            cursor.execute("SELECT version, status, body FROM lab_article_write ORDER BY rowid")
            history = [f"v{v} {s}: {b}" for v, s, b in cursor.fetchall()]
        stories[name] = {
            "permutation": story["permutation"],
            "job_messages": [message_facts(bytes(j.message))
                             for j in Job.objects.using("broker").order_by("pk")],
            "history": history,
            "article": row,
            "truth": truth(published, bob_edited),
            "lost": lost(row, published, bob_edited),
            "steps_that_waited": waited,
        }
    connections.close_all()
    shutil.rmtree(FOLDER, ignore_errors=True)
    labtwin.report({"stories": stories})


main()
