"""chained-filters-multivalued in Django 5.2: filter(a, b) vs filter(a).filter(b).

For each variant, loads the lab's two data sets (its `data` observation: the
documentation's example, then the same with a busy blog) into SQLite, runs the
variant's queryset for blogs with an entry about Lennon from 2008, and prints the blogs
it listed beside the truth (each blog's entries checked one by one in Python), and the
SQL Django sent (double quotes dropped, `%s` written `?`, whitespace collapsed: the form
the lab's trace hook reports).
"""

import datetime
import json
import sys

# The app package beside this file is imported from here: keep its bytecode out of the
# scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["app"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402

from app.models import Blog, Entry  # noqa: E402

HEADLINE, YEAR = "Lennon", 2008


def broken():
    # A search view that adds one filter() per form field.
    return (
        Blog.objects.filter(entry__headline__contains=HEADLINE)
        .filter(entry__pub_date__year=YEAR)
        .order_by("pk")
    )


def fixed_one_filter():
    return (
        Blog.objects.filter(entry__headline__contains=HEADLINE, entry__pub_date__year=YEAR)
        .distinct()
        .order_by("pk")
    )


def fixed_exists_subquery():
    entries = Entry.objects.filter(
        blog=OuterRef("pk"), headline__contains=HEADLINE, pub_date__year=YEAR
    )
    return Blog.objects.filter(Exists(entries)).order_by("pk")


QUERYSETS = {
    "broken": broken,
    "fixed_one_filter": fixed_one_filter,
    "fixed_exists_subquery": fixed_exists_subquery,
}


def load(lines):
    """The lab's entries as `blog | headline | date`; blogs get ids in order of first use."""
    Entry.objects.all().delete()
    Blog.objects.all().delete()
    blogs = {}
    for line in lines:
        name, headline, date = line.split(" | ")
        if name not in blogs:
            blogs[name] = Blog.objects.create(pk=len(blogs) + 1, name=name)
        Entry.objects.create(
            blog=blogs[name], headline=headline, pub_date=datetime.date.fromisoformat(date)
        )


def truth():
    """Each blog whose own entries include one meeting both conditions, checked in Python."""
    return [
        blog.name
        for blog in Blog.objects.order_by("pk")
        if any(
            HEADLINE.lower() in e.headline.lower() and e.pub_date.year == YEAR
            for e in blog.entry_set.all()
        )
    ]


def search(variant):
    """The names the variant's queryset listed, and the SQL it sent."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(" ".join(sql.replace('"', "").replace("%s", "?").split()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        names = [blog.name for blog in QUERYSETS[variant]()]
    return names, sent


def main():
    lab = json.load(sys.stdin)
    call_command("migrate", run_syncdb=True, verbosity=0)
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        data = variant["observations"]["data"]
        facts = {}
        for step in ("docs_example", "busy_blog"):
            load(data[step])
            rows, sql = search(variant["name"])
            facts[step] = {"rows": rows, "truth": truth()}
            facts.setdefault("sql", sql)
        variants[variant["name"]] = facts
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
