"""f-expression-race in Django 5.2: ann and bob open the same article at the same moment.

Each variant the lab ran runs in a process of its own with its own DATABASES: a fresh
SQLite file in Django's autocommit, or a fresh schema on LAB_POSTGRES_URL with each
request inside atomic(), as ATOMIC_REQUESTS runs it. Two stories, as in the lab:
- the race: each reader runs the article view on a thread of its own (so with a Django
  connection of its own), step by step in the order of the lab's `permutation`; a step
  waits as the lab's harness decides it (crates/lab-kit/django/labtwin);
- one visit: one reader alone, and later in the same request the code sets `last_reader`
  and saves the article again; the SQL Django sent is captured (double quotes dropped).
Prints the visits served, the counter, the steps that waited, and the one visit's count
and SQL.
"""

import sys
from contextlib import nullcontext
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
ON_POSTGRES = NAME.endswith("_postgres")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if ON_POSTGRES:
    DATABASES = labtwin.databases("postgres")
else:  # with timeout 0 a lock would answer "database is locked" at once
    DATABASES = labtwin.databases("sqlite", timeout=0)
settings.configure(DATABASES=DATABASES, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


class Article(models.Model):
    title = models.CharField(max_length=200)
    views = models.BigIntegerField(default=0)
    last_reader = models.CharField(max_length=50, blank=True)

    class Meta:
        app_label = "blog"


ARTICLE = 1
TITLE = "Counting visits"


def count_in_python(article):
    """The broken count: add one to the number this request read, save it."""
    article.views += 1
    article.save()


def count_in_the_database(article):
    """The fix: the UPDATE adds one to what the row holds; then read the row back, or the
    expression stays on the instance and the next save() sends it again."""
    article.views = F("views") + 1
    article.save()
    article.refresh_from_db()


COUNT = {
    "broken": count_in_python,
    "fixed_f_expression": count_in_the_database,
}[NAME.rsplit("_", 1)[0]]


def request():
    """One request: ATOMIC_REQUESTS on PostgreSQL, Django's autocommit on SQLite."""
    return transaction.atomic() if ON_POSTGRES else nullcontext()


def article_view(reader):
    """The article view; each `yield` ends one of the lab's steps, and leaving atomic()
    (the commit) is the last one on PostgreSQL."""
    with request():
        if ON_POSTGRES:
            yield "begin"
        article = Article.objects.get(pk=ARTICLE)
        yield "read"
        COUNT(article)
        if ON_POSTGRES:
            yield "count"
    return article.views


def one_visit():
    """One reader alone; the request saves the article again after counting."""
    with CaptureQueriesContext(connection) as ran:
        with request():
            article = Article.objects.get(pk=ARTICLE)
            COUNT(article)
            article.last_reader = "ann"
            article.save()
    sql = [" ".join(q["sql"].replace('"', "").split()) for q in ran]
    return Article.objects.get(pk=ARTICLE).views, sql


def fresh_article():
    Article.objects.all().delete()
    Article.objects.create(pk=ARTICLE, title=TITLE, views=0, last_reader="")


def main():
    with labtwin.tables(Article):
        fresh_article()
        readers = {"s1": labtwin.Paused(article_view, "ann"),
                   "s2": labtwin.Paused(article_view, "bob")}
        waited = labtwin.interleave(readers, VARIANT["observations"]["permutation"])
        visits = sum(1 for r in readers.values() if r.ended)
        views = Article.objects.get(pk=ARTICLE).views
        fresh_article()
        one_views, one_sql = one_visit()
    labtwin.report({
        "visits": visits,
        "views": views,
        "lost_visits": visits - views,
        "steps_that_waited": waited,
        "one_visit_views": one_views,
        "one_visit_sql": one_sql,
    })


main()
