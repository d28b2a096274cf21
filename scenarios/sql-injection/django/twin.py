"""sql-injection in Django 5.2: a search view that formats the search text into `raw()`.

Stores the lab's products and accounts (the same rows as `src/model.rs`) in SQLite,
serves the search through Django's test Client - a form with one `CharField`, then
`Product.objects.raw(...)` with the text formatted in (`broken`) or bound as a parameter
(`fixed`, checked against the ORM's `filter(name__icontains=q)`) - and replays the lab's
searches (its `searches` observation). Every statement that ran is captured with
`connection.execute_wrapper`, its `%s` written `?` as Django's SQLite backend does before
SQLite sees it. Prints the same four facts as the lab.
"""

import json
import logging
import sys

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    DEBUG=False,
)
django.setup()

from django import forms  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

# The 500 of the broken search is part of the facts; its traceback in the log is not.
logging.getLogger("django.request").setLevel(logging.CRITICAL)


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.IntegerField()  # cents
    published = models.BooleanField()

    class Meta:
        app_label = "shop"


PRODUCTS = [
    ("Brass desk lamp", 4900, True),
    ("Grandma's teapot", 2500, True),
    ("Prototype lamp, not for sale", 19900, False),
    ("Oak bookshelf", 12900, True),
    ("Wool scarf", 3900, True),
    ("Staff discount list", 0, False),
    ("Winter collection (embargoed)", 8900, False),
]
USERS = [
    ("admin", "pbkdf2_sha256$1000000$x2QbV9kPz1mN$8cW3nXfE0y1q4ZlPp2bTqg6uJr7sYvDk5aMh0LiCo9E="),
    ("ada", "pbkdf2_sha256$1000000$Tg7sYw3LrQ0e$Q1vH5mZb8Kc2XaN0pUe4sWj6Ry9dFo3LtGi7Ph2Bn4A="),
]


class SearchForm(forms.Form):
    # A CharField refuses NUL (ProhibitNullCharactersValidator); strip=False keeps the
    # text as typed, as the lab does.
    q = forms.CharField(required=False, strip=False)


def broken_products(q):
    # The pitfall: the search text is formatted into the SQL.
    return Product.objects.raw(
        f"SELECT id, name, price FROM shop_product WHERE published = 1 AND name LIKE '%{q}%' ORDER BY id"
    )


def fixed_products(q):
    # The fix: one SQL text, the pattern bound as a parameter; % and _ escaped as the
    # ORM's icontains escapes them.
    pattern = f"%{connection.ops.prep_for_like_query(q)}%"
    return Product.objects.raw(
        "SELECT id, name, price FROM shop_product WHERE published = 1 AND name LIKE %s ESCAPE '\\' ORDER BY id",
        [pattern],
    )


def orm_products(q):
    # What most code would write instead: the ORM's icontains, the same SQL in effect.
    return Product.objects.filter(published=True, name__icontains=q).order_by("id")


SEARCHES = {"broken": broken_products, "fixed": fixed_products}


def search(request, variant):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors["q"][0]}, status=400)
    products = SEARCHES[variant](form.cleaned_data["q"])
    return JsonResponse(
        {"results": [{"id": p.id, "name": p.name, "price": p.price} for p in products]})


urlpatterns = [path("<str:variant>/products/search", search)]

ran = []


def record(execute, sql, params, many, context):
    """Keeps the text of every statement that ran, as SQLite received it."""
    result = execute(sql, params, many, context)
    if params is not None:
        sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
    ran.append(" ".join(sql.split()))
    return result


def facts(variant, queries):
    client = Client(raise_request_exception=False)
    searches, hidden, hashes, texts = [], [], [], []
    unpublished = {(i, name) for i, (name, _, published) in enumerate(PRODUCTS, 1)
                   if not published}
    for q in queries:
        ran.clear()
        with connection.execute_wrapper(record):
            response = client.get(f"/{variant}/products/search", {"q": q})
        rows = response.json()["results"] if response.status_code == 200 else []
        searches.append({"q": q, "status": response.status_code,
                         "results": [row["name"] for row in rows]})
        if variant == "fixed" and [p.name for p in orm_products(q)] != searches[-1]["results"]:
            sys.exit(f"raw() with a parameter and filter(name__icontains=...) disagree on {q!r}")
        for row in rows:
            if (row["id"], row["name"]) in unpublished and row["name"] not in hidden:
                hidden.append(row["name"])
        for username, hash_ in USERS:
            if username not in hashes and any(hash_ in row["name"] for row in rows):
                hashes.append(username)
        for sql in ran:
            known = next((t for t in texts if t["sql"] == sql), None)
            if known:
                known["runs"] += 1
            else:
                texts.append({"sql": sql, "runs": 1})
    return {"searches": searches, "hidden_products_leaked": hidden,
            "password_hashes_read": hashes, "sql_texts": texts}


def main():
    lab = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    with connection.schema_editor() as editor:
        editor.create_model(Product)
    Product.objects.bulk_create(
        Product(id=i, name=n, price=p, published=pub) for i, (n, p, pub) in enumerate(PRODUCTS, 1))
    for i, (username, password) in enumerate(USERS, 1):
        # The hash is stored as it is: create() does not hash.
        User.objects.create(id=i, username=username, password=password)
    variants = {}
    for variant in lab["variants"]:
        if "observations" in variant:
            queries = [s["q"] for s in variant["observations"]["searches"]]
            variants[variant["name"]] = facts(variant["name"], queries)
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
