"""streaming-large-json in Django 5.2: `JsonResponse(list(queryset.values()), safe=False)`,
and a `StreamingHttpResponse` over a generator of the same array in pieces.

Generates the lab's orders (its `seed` observation and the table sizes of its
`responses`; the lab's generator, step for step) into SQLite, then calls each variant's
view: `broken` is the one-line `JsonResponse`; `fixed` yields `[`, then each row of
`.values().iterator(chunk_size=2000)` as `json.dumps(row, cls=DjangoJSONEncoder)` with
`", "` before all but the first, then `]`. The bytes are the lab's: json.dumps' defaults
(`", "` and `": "`, `ensure_ascii=True`), DjangoJSONEncoder's Decimal as a string
(`"12.50"`) and aware UTC datetime with `Z`. labtwin.stream (shared with
streaming-large-csv) downloads each body, kept by nobody, and prints its size and FNV-1a
hash, whether the first chunk came only after the last row was read, and - with
tracemalloc - whether the peak memory grew with the table by half the extra JSON or more.
"""

import json
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
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
    USE_TZ=True,
    TIME_ZONE="UTC",
)
django.setup()

from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.http import JsonResponse, StreamingHttpResponse  # noqa: E402

CUSTOMERS = ["Ada Lovelace", "Hopper, Grace", 'Dwayne "The Rock" Johnson', "C:\\Users\\ada",
             "Zoë Ångström", "李雷", "Ñandú Pérez", "Ferris 🦀", "Line one\nline two",
             "Carriage\r\nReturn", "Tab\tSeparated", "Bell\x07Ringer", "Del\x7fete",
             "</script><script>alert(1)</script>", "Line\u2028Separator", "Plain Customer"]
NOTES = ["leave at the door", "gift – wrap it", "café au lait ☕", '{"json": "inside"}',
         "back\\slash", "null", "😀 thanks!", ""]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


class Order(models.Model):
    customer = models.TextField()
    note = models.TextField(null=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    paid = models.BooleanField()
    placed_at = models.DateTimeField()

    class Meta:
        app_label = "shop"


def generate(count, seed):
    """The lab's orders: its linear congruential generator, draw for draw."""
    state, second = seed, 0

    def below(n):
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (state >> 32) % n

    for pk in range(1, count + 1):
        customer = CUSTOMERS[below(16)]
        note = None if below(2) == 0 else NOTES[below(8)]
        total = Decimal(below(200_000) - 20_000).scaleb(-2)
        paid = below(3) != 0
        second += 1 + below(600)
        yield Order(pk, customer, note, total, paid, START + timedelta(seconds=second))


def counting(rows, read):
    """The rows, each counted as it comes out of the database cursor."""
    for row in rows:
        read()
        yield row


def broken(read):
    rows = Order.objects.order_by("id").values()
    return JsonResponse(list(counting(rows, read)), safe=False)


def fixed(read):
    rows = Order.objects.order_by("id").values().iterator(chunk_size=2000)

    def pieces():
        yield "["
        for i, row in enumerate(counting(rows, read)):
            yield (", " if i else "") + json.dumps(row, cls=DjangoJSONEncoder)
        yield "]"

    return StreamingHttpResponse(pieces(), content_type="application/json")


def fill(seed):
    def load(rows):
        Order.objects.all().delete()
        Order.objects.bulk_create(generate(rows, seed), batch_size=5000)
    return load


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        editor.create_model(Order)
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
