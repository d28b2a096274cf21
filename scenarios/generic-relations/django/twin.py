"""generic-relations in Django 5.2: comments attached through the contenttypes framework,
and what deleting their targets does.

For each variant (the `broken`, `fixed_generic_relation` and `fixed_one_key_per_type`
apps beside this file, each with `Article`, `Photo` and `Comment` on the lab's tables),
creates the tables in SQLite with `django_content_type` beside them (content types for Article
and Photo made first, so their ids are 1 and 2 as in the lab), replays the lab's
operations (its `ops` observation) through the models, and prints: the blog's tables as
SQLite stored them (double quotes dropped, the form SQLite keeps for the lab's
statements), the SQL of each delete (`CaptureQueriesContext`, BEGIN and COMMIT
included), the comment list page and its query count, the comments pointing at nothing,
and two probes - a raw `DELETE` of article #2 and a comment on article #99.

It also checks the README's claim that has no lab observation, and fails if it does not
hold: the foreign-key schema's check constraint refuses a comment with no target.
"""

import json
import sys

# The app packages beside this file are imported from here: keep their bytecode out of
# the scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

APPS = ["broken", "fixed_generic_relation", "fixed_one_key_per_type"]
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", *APPS],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=False,
)
django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import IntegrityError, connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import broken.models  # noqa: E402
import fixed_generic_relation.models  # noqa: E402
import fixed_one_key_per_type.models  # noqa: E402

VARIANTS = {
    "broken": broken.models,
    "fixed_generic_relation": fixed_generic_relation.models,
    "fixed_one_key_per_type": fixed_one_key_per_type.models,
}


def unquoted(sql):
    return sql.replace('"', "")


def has_keys(app):
    return app is fixed_one_key_per_type.models


def target_of(app, on):
    model = app.Article if on["model"] == "article" else app.Photo
    return model.objects.get(pk=on["id"])


def comment(app, target, body):
    if has_keys(app):
        field = "article" if isinstance(target, app.Article) else "photo"
        return app.Comment.objects.create(body=body, **{field: target})
    return app.Comment.objects.create(target=target, body=body)


def apply(app, op):
    """Runs one of the lab's operations; the SQL of a delete, else None."""
    kind = op["op"]
    if kind == "article":
        app.Article.objects.create(title=op["title"])
    elif kind == "photo":
        app.Photo.objects.create(caption=op["caption"])
    elif kind == "comment":
        comment(app, target_of(app, op["on"]), op["body"])
    else:
        with CaptureQueriesContext(connection) as ran:
            if kind == "delete_article":
                app.Article.objects.get(pk=op["article"]).delete()
            else:
                app.Photo.objects.filter(caption__startswith=op["prefix"]).delete()
        # The lookup of the article to delete is the view's, not the delete's.
        return [unquoted(q["sql"]) for q in ran.captured_queries][
            1 if kind == "delete_article" else 0:]
    return None


def line(app, c):
    if has_keys(app):
        model, pk = ("article", c.article_id) if c.article_id else ("photo", c.photo_id)
        target = c.article if c.article_id else c.photo
    else:
        model, pk = c.content_type.model, c.object_id
        target = c.target
    shown = "(gone)"
    if target is not None:
        shown = target.title if model == "article" else target.caption
    return f"#{c.pk} {json.dumps(c.body)} on {model} #{pk}: {shown}"


def comment_list(app):
    """The list page's lines and how many queries it ran."""
    if has_keys(app):
        query = app.Comment.objects.select_related("article", "photo").order_by("pk")
    else:
        query = app.Comment.objects.prefetch_related("target").order_by("pk")
    with CaptureQueriesContext(connection) as ran:
        comments = list(query)
    return [line(app, c) for c in comments], len(ran.captured_queries)


def orphans(app):
    return sum(1 for text in comment_list(app)[0] if text.endswith(": (gone)"))


def probe(app, what):
    before = orphans(app)
    try:
        done = what()
    except IntegrityError as error:
        return f"refused: {error}"
    made = orphans(app) - before
    return f"{done}; {made} more comment{'' if made == 1 else 's'} pointing at nothing"


def raw_delete():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM blog_article WHERE id = 2")
        return f"deleted {cursor.rowcount} article"


def dangling(app):
    if has_keys(app):
        made = app.Comment.objects.create(article_id=99, body="First!")
    else:
        kind = ContentType.objects.get_for_model(app.Article)
        made = app.Comment.objects.create(content_type=kind, object_id=99, body="First!")
    return f"stored comment #{made.pk}"


def schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name LIKE 'blog_%' "
            "ORDER BY rowid"
        )
        return [unquoted(row[0]) for row in cursor.fetchall()]


def check_claims(app):
    """The README's statement about Django that the lab's observations do not cover."""
    try:
        app.Comment.objects.create(body="Hm")
    except IntegrityError as error:
        assert str(error) == "CHECK constraint failed: comment_has_one_target", error
    else:
        raise AssertionError("a comment with no target was stored")


def run(app, ops):
    ContentType.objects.clear_cache()
    with connection.schema_editor() as editor:
        editor.create_model(ContentType)
        for model in (app.Article, app.Photo, app.Comment):
            editor.create_model(model)
    ContentType.objects.get_for_model(app.Article)
    ContentType.objects.get_for_model(app.Photo)
    sql = [statements for op in ops if (statements := apply(app, op)) is not None]
    shown, queries = comment_list(app)
    facts = {
        "schema": schema(),
        "sql": sql,
        "comments": shown,
        "orphans": [text for text in shown if text.endswith(": (gone)")],
        "list_queries": queries,
        "raw_delete": probe(app, raw_delete),
        "dangling_comment": probe(app, lambda: dangling(app)),
    }
    if has_keys(app):
        check_claims(app)
    with connection.schema_editor() as editor:
        for model in (app.Comment, app.Photo, app.Article, ContentType):
            editor.delete_model(model)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_sequence")
    return facts


def main():
    lab = json.load(sys.stdin)
    facts = {}
    for variant in lab["variants"]:
        if "observations" in variant:
            app = VARIANTS[variant["name"]]
            facts[variant["name"]] = run(app, variant["observations"]["ops"])
    json.dump({"scenario": lab["id"], "variants": facts}, sys.stdout, indent=2)


main()
