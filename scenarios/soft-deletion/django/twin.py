"""soft-deletion in Django 5.2: a default manager that hides deleted rows, and the paths
that do not go through it.

For each variant (the `broken` and `fixed` apps beside this file, each with `Customer`
and `Order` on the lab's tables `shop_customer` and `shop_order`), creates the tables in
SQLite, replays the lab's operations (its `ops` observation; the n-th operation runs at
2026-01-01 12:00:00 plus n seconds, the lab's injected clock) through the models, and
prints the tables' SQL (double quotes dropped: the form SQLite keeps for the lab's
statements), what each operation answered, and what every read path showed - the
customer list, the order list with `select_related`, the dashboard's `Count`
annotation, each order's `order.customer`, each customer's `customer.orders`.

It also checks the README's claims that have no lab observation, and fails if one does
not hold: the base manager is a plain `Manager` (no filter), the reverse related manager
is a subclass of the default manager's class, a lookup across the relation still finds
an order of a deleted customer, the aggregate's filter becomes SQLite's
`FILTER (WHERE ...)`, and `QuerySet.delete()` on the default manager deletes for real,
cascading to the orders.
"""

import datetime
import json
import sys

# The app packages beside this file are imported from here: keep their bytecode out of
# the scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["broken", "fixed"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=False,
)
django.setup()

from django.db import IntegrityError, connection, models, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

import broken.models  # noqa: E402
import fixed.models  # noqa: E402

START = datetime.datetime(2026, 1, 1, 12, 0, 0)


def read_broken(app):
    Customer, Order = app.Customer, app.Order

    def customer_of(pk):
        order = Order.objects.filter(pk=pk).first()
        return order.customer if order else None

    return {
        "orders": lambda: Order.objects.select_related("customer").order_by("pk"),
        "order_counts": lambda: Customer.objects.annotate(n=Count("orders")).order_by("pk"),
        "customer_of": customer_of,
    }


def read_fixed(app):
    Customer, Order = app.Customer, app.Order
    live = Q(customer__deleted_at__isnull=True)

    def customer_of(pk):
        order = Order.objects.filter(live, pk=pk).select_related("customer").first()
        return order.customer if order else None

    return {
        "orders": lambda: Order.objects.filter(live).select_related("customer").order_by("pk"),
        "order_counts": lambda: Customer.objects.annotate(
            n=Count("orders", filter=Q(orders__deleted_at__isnull=True))
        ).order_by("pk"),
        "customer_of": customer_of,
    }


VARIANTS = {"broken": (broken.models, read_broken), "fixed": (fixed.models, read_fixed)}


def who(customer):
    return f"#{customer.pk} {customer.email}"


def apply(app, step, op):
    """Runs one of the lab's operations through the models; the answer the app shows."""
    Customer, Order = app.Customer, app.Order
    at = START + datetime.timedelta(seconds=step)
    try:
        with transaction.atomic():
            kind = op["op"]
            if kind == "sign_up":
                return f"customer #{Customer.objects.create(email=op['email']).pk}"
            if kind == "place_order":
                customer = Customer.objects.get(pk=op["customer"])
                return f"order #{Order.objects.create(customer=customer, item=op['item']).pk}"
            if kind == "delete_order":
                Order.objects.get(pk=op["order"]).delete(at)
            elif kind == "delete_customer":
                Customer.objects.get(pk=op["customer"]).delete(at)
            elif kind == "undelete_customer":
                Customer.all_objects.get(pk=op["customer"]).undelete()
            return "done"
    except IntegrityError as error:
        return f"refused: {error}"


def reads(app, paths):
    """What every read path shows, in the lab's one-line-per-row form."""
    Customer, Order = app.Customer, app.Order
    customer_of = []
    for pk in Order.all_objects.order_by("pk").values_list("pk", flat=True):
        customer = paths["customer_of"](pk)
        customer_of.append(f"order #{pk}: {who(customer) if customer else 'none'}")
    orders_of = []
    for pk in Customer.all_objects.order_by("pk").values_list("pk", flat=True):
        customer = Customer.objects.filter(pk=pk).first()
        orders = customer.orders.order_by("pk") if customer else []
        listed = ", ".join(f"#{o.pk} {o.item}" for o in orders)
        orders_of.append(f"customer #{pk}: [{listed}]")
    return {
        "customers": [who(c) for c in Customer.objects.order_by("pk")],
        "orders": [f"#{o.pk} {o.item} by {who(o.customer)}" for o in paths["orders"]()],
        "order_counts": [f"{who(c)}: {c.n}" for c in paths["order_counts"]()],
        "customer_of": customer_of,
        "orders_of": orders_of,
    }


def schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
        return [row[0].replace('"', "") for row in cursor.fetchall()]


def check_claims():
    """The README's statements about Django that the lab's observations do not cover."""
    app = broken.models
    assert type(app.Customer._base_manager) is models.Manager, "base manager not plain"
    assert app.Customer._meta.base_manager_name is None
    customer = app.Customer.objects.create(email="claims@example.com")
    assert isinstance(customer.orders, app.LiveManager), "reverse manager does not filter"
    order = app.Order.objects.create(customer=customer, item="lamp")
    counted = fixed.models.Customer.objects.annotate(
        n=Count("orders", filter=Q(orders__deleted_at__isnull=True))
    )
    assert 'FILTER (WHERE "shop_order"."deleted_at" IS NULL)' in str(counted.query)
    app.Customer.objects.filter(pk=customer.pk).update(deleted_at=START)
    across = app.Order.objects.filter(customer__email="claims@example.com")
    assert list(across) == [order], "a lookup across the relation hid the order"
    app.Customer.all_objects.filter(pk=customer.pk).update(deleted_at=None)
    app.Customer.objects.filter(pk=customer.pk).delete()
    assert not app.Customer.all_objects.filter(pk=customer.pk).exists(), "not a hard delete"
    assert not app.Order.all_objects.filter(pk=order.pk).exists(), "no cascade"


def main():
    lab = json.load(sys.stdin)
    facts = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        app, read = VARIANTS[variant["name"]]
        with connection.schema_editor() as editor:
            editor.create_model(app.Customer)
            editor.create_model(app.Order)
        ops = variant["observations"]["ops"]
        answers = [apply(app, step, op) for step, op in enumerate(ops, start=1)]
        facts[variant["name"]] = {
            "schema": schema(),
            "answers": answers,
            "reads": reads(app, read(app)),
        }
        if variant["name"] == "broken":
            check_claims()
        with connection.schema_editor() as editor:
            editor.delete_model(app.Order)
            editor.delete_model(app.Customer)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_sequence")
    json.dump({"scenario": lab["id"], "variants": facts}, sys.stdout, indent=2)


main()
