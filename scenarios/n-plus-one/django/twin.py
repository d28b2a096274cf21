"""n-plus-one in Django 5.2: a list page runs a query per row for each relation it shows.

Loads the lab's seed (its `seed` observation) into SQLite, serves the list view through
Django's test Client with each variant's queryset, and renders the lab's own template
(`src/app/articles.html`). For every page size the lab fetched it prints how many queries
the request ran (CaptureQueriesContext); for the largest page, every distinct statement
with how often it ran (double quotes dropped, `%s` written `?`, whitespace collapsed: the
form the lab's trace hook reports), and the page's size and FNV-1a hash.
"""

import json
import sys
from pathlib import Path

# The app package beside this file is imported from here: keep its bytecode out of the
# scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["app"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(Path(__file__).resolve().parent.parent / "src" / "app")],
        }
    ],
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402

from app.models import Article, Author, Tag  # noqa: E402

QUERYSETS = {
    "broken": lambda: Article.objects.all(),
    "fixed_select_related": lambda: Article.objects.select_related("author").prefetch_related(
        "tags"
    ),
    "fixed_prefetch_related": lambda: Article.objects.prefetch_related("author", "tags"),
}


def article_list(request, variant):
    size = int(request.GET.get("size", 50))
    articles = QUERYSETS[variant]().order_by("id")[:size]
    return render(request, "articles.html", {"articles": articles})


urlpatterns = [path("<str:variant>/articles", article_list)]


def load(seed):
    """The lab's rows, ids in its order: articles as `title | author | tag, tag`."""
    authors = {n: Author.objects.create(pk=i + 1, name=n) for i, n in enumerate(seed["authors"])}
    tags = {n: Tag.objects.create(pk=i + 1, name=n) for i, n in enumerate(seed["tags"])}
    for i, line in enumerate(seed["articles"]):
        title, author, names = line.split(" | ")
        article = Article.objects.create(pk=i + 1, title=title, author=authors[author])
        article.tags.set([tags[n] for n in names.split(", ") if n])


def statements(run):
    """Each distinct statement `run()` sent, with how often, in order of first use."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(" ".join(sql.replace('"', "").replace("%s", "?").split()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = run()
    shapes = []
    for sql in sent:
        if not shapes or all(s["sql"] != sql for s in shapes):
            shapes.append({"times": 0, "sql": sql})
        next(s for s in shapes if s["sql"] == sql)["times"] += 1
    return response, shapes


def fnv1a_64(data):
    """The 64-bit FNV-1a hash of `data`, hex: the lab's page fingerprint."""
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) % 2**64
    return f"{h:016x}"


def facts(variant, sizes):
    client = Client()
    counts = []
    for size in sizes:
        with CaptureQueriesContext(connection) as ran:
            response = client.get(f"/{variant}/articles", {"size": size})
        assert response.status_code == 200, response.content
        counts.append({"articles": size, "queries": len(ran)})
    largest = sizes[-1]
    response, shapes = statements(lambda: client.get(f"/{variant}/articles", {"size": largest}))
    page = {
        "articles": largest,
        "bytes": len(response.content),
        "fnv1a_64": fnv1a_64(response.content),
    }
    return {"query_counts": counts, "sql": shapes, "page": page}


def main():
    lab = json.load(sys.stdin)
    call_command("migrate", run_syncdb=True, verbosity=0)
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        observations = variant["observations"]
        Article.objects.all().delete()
        Author.objects.all().delete()
        Tag.objects.all().delete()
        load(observations["seed"])
        sizes = [c["articles"] for c in observations["query_counts"]]
        variants[variant["name"]] = facts(variant["name"], sizes)
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
