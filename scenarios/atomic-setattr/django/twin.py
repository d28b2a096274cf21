"""atomic-setattr in Django 5.2: an edit applied field by field, a value refused at the end.

Loads the lab's seed article into SQLite - "Draft", rated 3, tagged 1 and 2, written by
author 1 - and replays each variant's `data` (the edit, in the client's order) with the
same generic update helper: columns set on the instance, to-many fields replaced with
`.set()`, then `save()`; the fix runs it inside `transaction.atomic()`. Prints the article
and its relations afterwards, the error Django raised, and which fields changed and which
were asked for but left as they were.
"""

import json
import sys

# The app package beside this file is imported from here: keep its bytecode out of the
# scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["blog"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import DatabaseError, connection, transaction  # noqa: E402

from blog.models import Article, Author, Tag  # noqa: E402


def update_article(article, data):
    """The broken helper: each field as it comes, the to-many ones written at once."""
    for field, value in data:
        if field in ("tags", "authors"):  # Django refuses `article.tags = ids`
            getattr(article, field).set(value)
        else:
            setattr(article, field, value)
    article.save()


def update_article_atomic(article, data):
    """The fix: the same helper, all of it inside one transaction."""
    with transaction.atomic():
        update_article(article, data)


UPDATES = {"broken": update_article, "fixed": update_article_atomic}
PARTS = ("title", "rating", "tags", "authors")


def seed():
    """A fresh copy of the lab's seed article."""
    for model in (Article, Tag, Author):
        model.objects.all().delete()
    for pk, name in ((1, "django"), (2, "sqlite"), (3, "rust")):
        Tag.objects.create(pk=pk, name=name)
    for pk, name in ((1, "ann"), (2, "bob")):
        Author.objects.create(pk=pk, name=name)
    article = Article.objects.create(pk=1, title="Draft", rating=3)
    article.tags.set([1, 2])
    article.authors.set([1])


def state():
    article = Article.objects.get(pk=1)
    return {
        "title": article.title,
        "rating": article.rating,
        "tags": sorted(article.tags.values_list("pk", flat=True)),
        "authors": sorted(article.authors.values_list("pk", flat=True)),
    }


def facts(update, data):
    seed()
    before = state()
    asked = dict(before)
    for field, value in data:
        asked[field] = sorted(set(value)) if isinstance(value, list) else value
    try:
        update(Article.objects.get(pk=1), data)
        error = "none"
    except DatabaseError as e:
        error = str(e)
    after = state()
    return {
        "after": after,
        "error": error,
        "changed": [p for p in PARTS if after[p] != before[p]],
        "asked_but_unchanged": [p for p in PARTS if after[p] == before[p] and after[p] != asked[p]],
    }


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        for model in (Tag, Author, Article):
            editor.create_model(model)
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        variants[variant["name"]] = facts(UPDATES[variant["name"]], variant["observations"]["data"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
