"""stale-update-fields in Django 5.2: a partial save leaves updated_at behind.

Replays the lab's story (its `story` observation) with Django's test Client: an article
created at the lab's instant, a browser that reads it and keeps it with its validators,
an edit of the body after the lab's pause, then the browser revalidating and a
first-time visitor. The page's ETag and Last-Modified come from `condition()`, its cache
key from `{% cache ... article.updated_at %}`; the clock is Django's `timezone.now`,
driven by hand. Prints, per variant, the columns each UPDATE wrote, `updated_at` before,
in memory and in the row, what each reader got and displayed, and the row's content.
"""

import json
import sys
from datetime import UTC, datetime, timedelta
from unittest import mock

import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    USE_TZ=True,
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                # The page is text/plain, as the lab's; nothing to escape.
                "autoescape": False,
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "article.html": "{% load cache %}"
                            "{% cache 600 article article.id article.updated_at %}"
                            "{{ article.title }}\n{{ article.body }}{% endcache %}"
                        },
                    )
                ],
            },
        }
    ],
)
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.cache.utils import make_template_fragment_key  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.shortcuts import get_object_or_404, render  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.cache import cache_control  # noqa: E402
from django.views.decorators.http import condition  # noqa: E402


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "app"


class Timestamped(models.Model):
    """A partial save also writes the model's auto_now fields."""

    class Meta:
        abstract = True

    def save(self, *, update_fields=None, **kwargs):
        if update_fields:  # None is a full save, [] saves nothing
            fields = self._meta.fields
            stamped = {f.name for f in fields if getattr(f, "auto_now", False)}
            update_fields = {*update_fields, *stamped}
        super().save(update_fields=update_fields, **kwargs)


class StampedArticle(Timestamped):
    title = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "app"


def article_updated_at(request, pk, model):
    return model.objects.filter(pk=pk).values_list("updated_at", flat=True).first()


def article_etag(request, pk, model):
    updated_at = article_updated_at(request, pk, model)
    # Full precision: two writes in one second still get two tags.
    return updated_at and f"{pk}-{updated_at.isoformat()}"


@cache_control(no_cache=True)
@condition(etag_func=article_etag, last_modified_func=article_updated_at)
def article_page(request, pk, model):
    article = get_object_or_404(model, pk=pk)
    key = make_template_fragment_key("article", [article.id, article.updated_at])
    hit = cache.has_key(key)  # only to report what the {% cache %} tag will do
    context = {"article": article}
    response = render(request, "article.html", context, content_type="text/plain")
    response["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def edit_article(request, pk, model):  # PATCH
    article = get_object_or_404(model, pk=pk)
    changes = json.loads(request.body)
    fields = [name for name in ("title", "body") if name in changes]
    for name in fields:
        setattr(article, name, changes[name])
    article.save(update_fields=fields)
    # isoformat(): full precision (JsonResponse's encoder would cut it to milliseconds).
    saved = {"title": article.title, "body": article.body}
    return JsonResponse({**saved, "updated_at": article.updated_at.isoformat()})


def article(request, pk, model):
    view = edit_article if request.method == "PATCH" else article_page
    return view(request, pk, model)


MODELS = {"broken": Article, "fixed": StampedArticle}
urlpatterns = [
    path(f"{variant}/articles/<int:pk>", article, {"model": model})
    for variant, model in MODELS.items()
]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Browser:
    """Keeps each page with its validators, revalidates, shows its copy on a 304."""

    def __init__(self):
        self.client, self.copies = Client(), {}

    def get(self, url):
        copy = self.copies.get(url)
        headers = {}
        if copy:
            headers["If-None-Match"] = copy["etag"]
            headers["If-Modified-Since"] = copy["last_modified"]
        response = self.client.get(url, headers=headers)
        seen = {
            "sent_if_none_match": headers.get("If-None-Match"),
            "status": response.status_code,
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "page_cache": response.headers.get("X-Page-Cache"),
            "displays": copy["body"] if response.status_code == 304 else response.text,
        }
        if response.status_code == 200:
            self.copies[url] = {
                "etag": seen["etag"],
                "last_modified": seen["last_modified"],
                "body": response.text,
            }
        return seen


def time_of_day(value):
    return value.strftime("%H:%M:%S.%f")


def tell(variant, story):
    """The lab's story against the variant's model; the facts the lab reports."""
    model, created, edit = MODELS[variant], story["created"], story["edit"]
    # The lab's injected clock: `timezone.now` (what auto_now reads) moves by hand only.
    clock = [EPOCH + timedelta(microseconds=created["updated_at_micros"])]
    updates = []

    def record_updates(execute, sql, params, many, context):
        if sql.startswith("UPDATE"):
            sets = sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
            updates.append([s.split(" = ")[0].strip('"') for s in sets.split(", ")])
        return execute(sql, params, many, context)

    with mock.patch("django.utils.timezone.now", lambda: clock[0]):
        article = model.objects.create(title=created["title"], body=created["body"])
        url = f"/{variant}/articles/{article.pk}"
        browser = Browser()
        first = browser.get(url)
        clock[0] += timedelta(microseconds=edit["after_micros"])
        changes = {k: edit[k] for k in ("title", "body") if edit[k] is not None}
        with connection.execute_wrapper(record_updates):
            saved = Client().patch(url, changes, content_type="application/json").json()
        row = model.objects.get(pk=article.pk)
        again = browser.get(url)
        fresh = Browser().get(url)

    labels = []

    def label(tag):
        if tag is None:
            return None
        if tag not in labels:
            labels.append(tag)
        return f"etag#{labels.index(tag) + 1}"

    stored = f"{row.title}\n{row.body}"
    for reader in (first, again, fresh):
        reader["sent_if_none_match"] = label(reader["sent_if_none_match"])
        reader["etag"] = label(reader["etag"])
    readers = {"browser": again, "visitor": fresh}
    stale = [who for who, seen in readers.items() if seen["displays"] != stored]
    return {
        "update_columns": updates,
        "updated_at": {
            "before_edit": time_of_day(article.updated_at),
            "in_memory_after_save": time_of_day(
                datetime.fromisoformat(saved["updated_at"])
            ),
            "row_after_save": time_of_day(row.updated_at),
        },
        "validators": {
            "etag_before": first["etag"],
            "etag_after": fresh["etag"],
            "last_modified_before": first["last_modified"],
            "last_modified_after": fresh["last_modified"],
        },
        "revalidation": {
            "sent_if_none_match": again["sent_if_none_match"],
            "status": again["status"],
            "page_cache": again["page_cache"],
            "browser_displays": again["displays"],
            "row_holds": stored,
        },
        "new_visitor": {
            "status": fresh["status"],
            "page_cache": fresh["page_cache"],
            "displays": fresh["displays"],
            "row_holds": stored,
        },
        "stored_body": stored,
        "stale_readers": stale,
    }


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        for model in MODELS.values():
            editor.create_model(model)
    variants = {}
    for variant in lab["variants"]:
        if "observations" in variant:
            story = variant["observations"]["story"]
            variants[variant["name"]] = tell(variant["name"], story)
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
