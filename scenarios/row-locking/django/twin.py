"""row-locking in Django 5.2: ann and bob buy the last desk lamp at the same moment.

Each variant the lab ran runs in a process of its own with its own DATABASES: a fresh
SQLite file with "timeout": 0 (a lock answers "database is locked" at once), plus
"transaction_mode": "IMMEDIATE" for fixed_immediate; or a fresh schema on
LAB_POSTGRES_URL. Each buyer runs the buy view on a thread of its own (so with a Django
connection of its own), step by step in the order of the lab's `permutation`; a step waits
as the lab's harness decides it (crates/lab-kit/django/labtwin): SQLite said "database
is locked" and the step is tried again after the next one, or PostgreSQL's
pg_blocking_pids() names the other buyer. Prints the ledger, what each customer was told,
the steps that waited, and the locking clause Django writes for the view's read on SQLite
and on PostgreSQL - none on SQLite, where select_for_update() is dropped without a word.
"""

import sys
from contextlib import nullcontext
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
ON_SQLITE = {"broken_sqlite", "fixed_immediate", "fixed_conditional_update_sqlite"}

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if NAME not in ON_SQLITE:
    DATABASES = labtwin.databases("postgres")
elif NAME == "fixed_immediate":  # every atomic() opens with BEGIN IMMEDIATE: the write lock first
    DATABASES = labtwin.databases("sqlite", timeout=0, transaction_mode="IMMEDIATE")
else:  # Django's deferred BEGIN; with timeout 0 a lock answers "database is locked" at once
    DATABASES = labtwin.databases("sqlite", timeout=0)
settings.configure(DATABASES=DATABASES, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
django.setup()

from django.db import DatabaseError, models, transaction  # noqa: E402
from django.db.models import F  # noqa: E402


class Item(models.Model):
    name = models.CharField(max_length=100)
    stock = models.IntegerField()

    class Meta:
        app_label = "shop"


class Order(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT)
    buyer = models.CharField(max_length=100)

    class Meta:
        app_label = "shop"


ITEM = 1
SOLD_OUT = "refused: sold out"
TRY_AGAIN = "refused: someone else is buying it, try again"

# What the view reads the lamp with: `read.get(pk=ITEM)`.
PLAIN = Item.objects.all()  # broken: no lock
FOR_UPDATE = Item.objects.select_for_update()  # fixed_for_update: bob's read waits for ann's lock
NOWAIT = Item.objects.select_for_update(nowait=True)  # fixed_nowait: bob's read is refused at once


def sell_what_was_read(item, buyer):
    """The broken sale: decide in Python on the stock read earlier, save the decision."""
    if item.stock < 1:
        return SOLD_OUT
    item.stock -= 1
    item.save(update_fields=["stock"])
    return f"order {Order.objects.create(item=item, buyer=buyer).pk} placed"


def sell_if_still_there(item, buyer):
    """The conditional update: one UPDATE checks and decrements, its row count decides."""
    with transaction.atomic():
        # The check is evaluated against the row as it is now, not as it was read.
        if not Item.objects.filter(pk=item.pk, stock__gte=1).update(stock=F("stock") - 1):
            return SOLD_OUT
        return f"order {Order.objects.create(item=item, buyer=buyer).pk} placed"


def buy_view(read, sell, atomic):
    """The buy view; each `yield` ends one of the lab's steps, and leaving atomic() (the
    commit) is the last one."""

    def view(buyer):
        try:
            with transaction.atomic() if atomic else nullcontext():
                if atomic:
                    yield "begin"
                item = read.get(pk=ITEM)
                yield "read"
                answer = sell(item, buyer)
                if atomic:
                    yield "buy"
            return answer
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            return TRY_AGAIN  # nowait: atomic() has rolled back; the customer may retry

    return view


# Each variant: its read, its sale, and whether the view runs inside atomic(). SQLite's
# broken view runs in autocommit, Django's default; every other one in atomic().
VARIANTS = {
    "broken_sqlite": (PLAIN, sell_what_was_read, False),
    "broken_postgres": (PLAIN, sell_what_was_read, True),
    "fixed_immediate": (PLAIN, sell_what_was_read, True),
    "fixed_conditional_update_sqlite": (PLAIN, sell_if_still_there, False),
    "fixed_conditional_update_postgres": (PLAIN, sell_if_still_there, True),
    "fixed_for_update": (FOR_UPDATE, sell_what_was_read, True),
    "fixed_nowait": (NOWAIT, sell_what_was_read, True),
}


def main():
    seen = VARIANT["observations"]
    read, sell, atomic = VARIANTS[NAME]
    view = buy_view(read, sell, atomic)
    with labtwin.tables(Item, Order):
        Item.objects.create(pk=ITEM, name="desk lamp", stock=seen["initial_stock"])
        buyers = {"s1": labtwin.Paused(view, "ann"), "s2": labtwin.Paused(view, "bob")}
        waited = labtwin.interleave(buyers, seen["permutation"])
        orders, final_stock = Order.objects.count(), Item.objects.get(pk=ITEM).stock
    labtwin.report({
        "orders": orders,
        "final_stock": final_stock,
        "lost_updates": final_stock + orders - seen["initial_stock"],
        "customers_told": {"ann": buyers["s1"].answer, "bob": buyers["s2"].answer},
        "steps_that_waited": waited,
        "locking_clause": labtwin.locking_clauses(read),
    })


main()
