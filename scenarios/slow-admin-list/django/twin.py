"""slow-admin-list in Django 5.2: the admin's change list of a large table.

Generates the lab's orders (its `data` observation: count and seed, the lab's generator),
then opens the pages the lab told in full (its `requests`) through Django's own admin
`ChangeList`: `broken` is a plain `ModelAdmin` (Paginator, exact counts, `icontains`
search, ordering by an unindexed column); `fixed` is the same admin with an index, a
full-text index, a capped count and pages that start after the previous one's last row.
For every page it prints the SQL Django sent (identifiers' double quotes dropped,
whitespace collapsed, values written in by Django - the form the lab's trace hook
reports), the query plan SQLite made for each statement, and what the page shows.
"""

import json
import sys

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=False,
)
django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.admin.views.main import PAGE_VAR, ChangeList  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402
from django.test import RequestFactory  # noqa: E402

PER_PAGE, COUNT_LIMIT = 100, 1000


class Order(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    customer = models.CharField(max_length=100)
    total_cents = models.IntegerField()
    created_at = models.DateTimeField()

    class Meta:
        app_label = "app"


class OrderAdmin(admin.ModelAdmin):
    """broken: the admin as it comes."""

    list_display = ("reference", "customer", "total_cents", "created_at")
    ordering = ("-created_at",)
    search_fields = ("customer",)


class SeekChangeList(ChangeList):
    """Pages that start after the last row of the previous one, and a capped count."""

    def get_filters_params(self, params=None):
        params = super().get_filters_params(params)
        params.pop("after", None)  # the page's key, not a filter
        return params

    def get_results(self, request):
        counted = self.queryset.order_by()[: COUNT_LIMIT + 1].count()
        page = self.queryset
        if after := request.GET.get("after"):
            created_at, pk = after.rsplit(",", 1)
            page = page.filter(created_at__lte=created_at).filter(
                Q(created_at__lt=created_at) | Q(pk__lt=int(pk))
            )
        rows = list(page[: PER_PAGE + 1])
        self.result_list, self.result_count = rows[:PER_PAGE], counted
        self.full_result_count, self.multi_page = None, len(rows) > PER_PAGE
        self.can_show_all, self.show_admin_actions, self.paginator = False, True, None
        last = rows[PER_PAGE - 1] if self.multi_page else None
        self.next_link = last and self.get_query_string(
            {"after": f"{last.created_at},{last.pk}"}, remove=[PAGE_VAR]
        )


class FixedOrderAdmin(OrderAdmin):
    """fixed: no second count, the page after a key, the search in a full-text index."""

    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return SeekChangeList

    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if long := [w for w in words if len(w) >= 3]:
            match = " AND ".join('"%s"' % w.replace('"', '""') for w in long)
            found = "SELECT rowid FROM app_order_search WHERE app_order_search MATCH %s"
            queryset = queryset.filter(pk__in=RawSQL(found, (match,)))
        for word in (w for w in words if len(w) < 3):
            queryset = queryset.filter(customer__icontains=word)
        return queryset, False


SEARCH_INDEX = """
CREATE VIRTUAL TABLE app_order_search USING fts5(
    customer, content='app_order', content_rowid='id', tokenize='trigram'
);
INSERT INTO app_order_search (app_order_search) VALUES ('rebuild');
"""

ADMINS = {"broken": OrderAdmin, "fixed": FixedOrderAdmin}
FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret",
         "Niklaus", "Radia", "Ken", "Dennis", "Leslie", "Tony", "Hedy", "Sophie", "Linus",
         "Guido", "Karen"]
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus",
        "Hamilton", "Wirth", "Perlman", "Thompson", "Ritchie", "Lamport", "Hoare", "Lamarr",
        "Wilson", "Torvalds", "Rossum", "Jones", "Cooper", "Piper", "Nakamura", "Okafor", "Silva"]


def generate(count, seed):
    """The lab's orders: its linear congruential generator, step for step."""
    state = seed

    def draw():
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        return state >> 33

    span, orders = max(count // 2, 1), []
    for pk in range(1, count + 1):
        first, last = FIRST[draw() % len(FIRST)], LAST[draw() % len(LAST)]
        total, second = 100 + draw() % 50_000, draw() % span
        day, rest = divmod(second, 86_400)
        created = f"2024-03-{day + 1:02} {rest // 3600:02}:{rest // 60 % 60:02}:{rest % 60:02}"
        orders.append(Order(pk, f"ORD-{pk:07}", f"{first} {last}", total, created))
    return orders


def normalized(sql):
    """The SQL with its identifiers' double quotes dropped (not those inside a string
    literal, such as a full-text query's) and its whitespace collapsed: the lab writes
    its SQL without quoted identifiers, so the two compare as text."""
    out, in_literal = [], False
    for char in sql:
        if char == "'":
            in_literal = not in_literal  # an escaped '' toggles twice
        if char != '"' or in_literal:
            out.append(char)
    return " ".join("".join(out).split())


def plan(sql, params):
    """EXPLAIN QUERY PLAN, each step indented two spaces per level, as the lab writes it."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        depth, lines = {}, []
        for step, parent, _, detail in cursor.fetchall():
            depth[step] = depth[parent] + 1 if parent in depth else 0
            lines.append("  " * depth[step] + detail)
    return lines


def count_text(n, capped=False):
    return f"more than {n} orders" if capped else f"{n} order" + ("" if n == 1 else "s")


def open_page(model_admin, path):
    """The page at `path` as the variant's ChangeList builds it: SQL, plans, what it shows."""
    request = RequestFactory().get(path)
    request.user = User(is_superuser=True, is_active=True, is_staff=True)
    ran = []

    def record(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        cl = model_admin.get_changelist_instance(request)
        ids = [o.pk for o in cl.result_list]
    sql = []
    for raw, params in ran:
        with connection.cursor() as cursor:  # Django's own rendering of the values
            written = connection.ops.last_executed_query(cursor, raw, params)
        sql.append(normalized(written))
    if isinstance(cl, SeekChangeList):
        capped = cl.result_count > COUNT_LIMIT
        count = count_text(COUNT_LIMIT if capped else cl.result_count, capped)
        total, nxt = None, cl.next_link
    else:
        count = count_text(cl.result_count)
        total = count_text(cl.full_result_count) if cl.query else None
        more = cl.multi_page and cl.page_num < cl.paginator.num_pages
        nxt = more and cl.get_query_string({PAGE_VAR: cl.page_num + 1})
    shown = {"orders": len(ids), "first": ids[0] if ids else None, "last": ids[-1] if ids else None,
             "count": count, "total": total, "next": nxt and f"{request.path}{nxt}" or None}
    return {"sql": sql, "plans": [plan(raw, params) for raw, params in ran], "shown": shown}


def replay(name, observations):
    """The lab's orders in a fresh database, the variant's migration, the lab's pages."""
    with connection.cursor() as cursor:  # Django keeps an in-memory database open
        cursor.execute("DROP TABLE IF EXISTS app_order_search")
        cursor.execute("DROP TABLE IF EXISTS app_order")
    with connection.schema_editor() as editor:
        editor.create_model(Order)
    data = observations["data"]
    Order.objects.bulk_create(generate(data["orders"], data["seed"]), batch_size=500)
    if name == "broken":  # customer = CharField(max_length=100, db_index=True)
        with connection.schema_editor() as editor:
            editor.add_index(Order, models.Index(fields=["customer"], name="app_order_customer_24496ad5"))
    if name == "fixed":
        with connection.schema_editor() as editor:
            editor.add_index(Order, models.Index(fields=["created_at"], name="app_order_created_at"))
        with connection.cursor() as cursor:
            for statement in filter(str.strip, SEARCH_INDEX.split(";")):
                cursor.execute(statement)
    model_admin = ADMINS[name](Order, admin.site)
    pages = {label: open_page(model_admin, path) for label, path in observations["requests"].items()}
    return {fact: {label: page[fact] for label, page in pages.items()} for fact in ("sql", "plans", "shown")}


def main():
    lab = json.load(sys.stdin)
    variants = {}
    for variant in lab["variants"]:
        if "observations" in variant:
            variants[variant["name"]] = replay(variant["name"], variant["observations"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
