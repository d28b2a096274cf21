"""streaming-large-csv in Django 5.2: a CSV export built in one HttpResponse, and the
docs' streaming recipe over a queryset iterator.

Generates the lab's customers (its `seed` observation and the table sizes of its
`responses`; the lab's generator, step for step) into SQLite, then calls each variant's
view: `broken` writes every row with `csv.writer` into an `HttpResponse`; `fixed` is a
`StreamingHttpResponse` over a generator of `writer.writerow(...)` lines from
`.iterator(chunk_size=2000)`. For each size it prints the body's size and FNV-1a hash
(the same bytes as the lab's, `\r\n` and all), whether the first chunk came only after
the last row was read, and - with tracemalloc, the Python side of the lab's counting
allocator - whether the peak memory grew with the table by half the extra CSV or more
(labtwin.stream, shared with streaming-large-json, downloads and judges).
"""

import csv
import json
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

from labtwin import stream  # noqa: E402

settings.configure(
    INSTALLED_APPS=[],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=False,
)
django.setup()

from django.db import connection, models  # noqa: E402
from django.http import HttpResponse, StreamingHttpResponse  # noqa: E402

COLUMNS = ["id", "name", "email", "amount", "created_at"]
NAMES = ["Ada Lovelace", "Hopper, Grace", 'Dwayne "The Rock" Johnson', "Line one\nline two",
         "Zoë Ångström", "李雷", "Ñandú Pérez", "Ferris 🦀", "Smith & Sons, Ltd.",
         "Carriage\r\nReturn", "Tab\tSeparated", '"Quoted"', "Grace Hopper", "Plain Customer",
         "O'Brien; Seán", "Mary-Jane Watson"]
DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class Customer(models.Model):
    name = models.TextField()
    email = models.TextField()
    amount_cents = models.IntegerField()
    created_at = models.CharField(max_length=20)  # ISO 8601 text, as the lab stores it

    class Meta:
        app_label = "shop"


def generate(count, seed):
    """The lab's customers: its linear congruential generator, draw for draw."""
    state = seed

    def below(n):
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (state >> 32) % n

    for pk in range(1, count + 1):
        name = NAMES[below(16)]
        email = {0: f'"quoted"{pk}@example.org', 1: f"zoë.{pk}@exämple.de",
                 2: f"first.last+{pk}@example.co.uk"}.get(below(20), f"customer{pk}@example.com")
        cents = below(200_000) - 20_000
        second = below(366 * 86_400)
        day, month = second // 86_400, 0
        while day >= DAYS[month]:
            day, month = day - DAYS[month], month + 1
        rest = second % 86_400
        created = (f"2024-{month + 1:02}-{day + 1:02}T"
                   f"{rest // 3600:02}:{rest // 60 % 60:02}:{rest % 60:02}Z")
        yield Customer(pk, name, email, cents, created)


def amount(cents):
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02}"


class Echo:
    """The docs' pseudo-buffer: write returns what it is given."""

    def write(self, value):
        return value


def broken(read):
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for c in Customer.objects.order_by("id"):  # the result cache holds every row
        read()
        writer.writerow([c.id, c.name, c.email, amount(c.amount_cents), c.created_at])
    return response


def fixed(read):
    writer = csv.writer(Echo())
    rows = Customer.objects.order_by("id").values_list(
        "id", "name", "email", "amount_cents", "created_at").iterator(chunk_size=2000)

    def lines():
        yield writer.writerow(COLUMNS)
        for pk, name, email, cents, created_at in rows:
            read()
            yield writer.writerow([pk, name, email, amount(cents), created_at])

    return StreamingHttpResponse(lines(), content_type="text/csv")


def fill(seed):
    def load(rows):
        Customer.objects.all().delete()
        Customer.objects.bulk_create(generate(rows, seed), batch_size=5000)
    return load


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        editor.create_model(Customer)
    views = {"broken": broken, "fixed": fixed}
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        o = variant["observations"]
        sizes = [r["rows"] for r in o["responses"]]
        variants[variant["name"]] = stream.facts(views[variant["name"]], sizes, fill(o["seed"]))
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
