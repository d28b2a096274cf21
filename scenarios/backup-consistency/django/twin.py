"""backup-consistency in Django 5.2: `dumpdata` while a writer thread commits, then `loaddata`.

Each variant the lab ran runs in a process of its own (labtwin.one_variant) on a fresh
SQLite file in WAL mode holding the lab's seed. A writer thread with its own connection
commits the lab's `writes` exactly where the lab's `permutation` puts them among the
backup's steps: between `dumpdata`'s per-model SELECTs (caught by an execute_wrapper on
the dump's connection), or between the moves of the other backups.

- broken: `call_command("dumpdata", "shop")`, as a nightly job runs it.
- fixed_read_transaction: the same inside `transaction.atomic()`.
- fixed_online_backup: Python's `sqlite3.Connection.backup()` on Django's connection.
- fixed_vacuum_into: `VACUUM INTO %s` through Django's cursor.

The restore: a fixture goes through `loaddata` into a fresh database (its IntegrityError
names the dangling row); a backup file is opened and `PRAGMA foreign_key_check` run on it.
Prints what the backup holds, its dangling references, and after how many of the writer's
commits the database held exactly those rows (read by the writer after each commit).
"""

import atexit
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
SEEN = VARIANT["observations"]
FOLDER = tempfile.mkdtemp(prefix="lab-twin-backup-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["shop"],
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{FOLDER}/site.sqlite3"},
        "restore": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{FOLDER}/restored.sqlite3"},
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, connections, transaction  # noqa: E402

from shop.models import Customer, Order  # noqa: E402

TABLES = ("shop_customer", "shop_order")
BACKUP = f"{FOLDER}/backup.sqlite3"
FIXTURE = f"{FOLDER}/backup.json"


def state(rows_of):
    """The shop as ({customer id: name}, {order id: [customer id, item]})."""
    customers = {int(i): n for i, n in rows_of("SELECT id, name FROM shop_customer")}
    orders = {int(i): [c, it] for i, c, it in rows_of("SELECT id, customer_id, item FROM shop_order")}
    return customers, orders


def django_rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def commit(write):
    """One of the lab's writes, as the site commits it; the shop after it."""
    with transaction.atomic():
        if write["kind"] == "sign_up":
            customer = Customer.objects.create(pk=write["customer"], name=write["name"])
            Order.objects.create(pk=write["order"], customer=customer, item=write["item"])
        elif write["kind"] == "order":
            Order.objects.create(pk=write["order"], customer_id=write["customer"], item=write["item"])
        else:
            Customer.objects.get(pk=write["customer"]).delete()  # on_delete=CASCADE
    return state(django_rows)


def plan(permutation):
    """The writer's steps that the lab runs just before each backup step, and after all."""
    before, pending = {}, []
    for step in permutation:
        if step.startswith("backup_"):
            before[step], pending = pending, []
        else:
            pending.append(step)
    return before, pending


def main():
    with connection.schema_editor() as editor:
        editor.create_model(Customer)
        editor.create_model(Order)
    django_rows("PRAGMA journal_mode = WAL")
    seed = SEEN["seed"]
    for pk, name in seed["customers"].items():
        Customer.objects.create(pk=int(pk), name=name)
    for pk, (customer, item) in seed["orders"].items():
        Order.objects.create(pk=int(pk), customer_id=customer, item=item)
    states = [state(django_rows)]

    steps = {f"w{i + 1}": (lambda w=w: states.append(commit(w))) for i, w in enumerate(SEEN["writes"])}
    # Each thread has its own `connection`: look it up on the writer's thread.
    writer = labtwin.Session("writer", steps, setup=lambda: connection.ensure_connection(),
                             teardown=lambda: connection.close())
    before, after = plan(SEEN["permutation"])

    def writes(steps):
        for step in steps:
            writer.start(step, blocked=lambda session: False)

    def hook(execute, sql, params, many, context):
        """Before dumpdata's first SELECT of a table, the writes the lab put before it."""
        for table in TABLES:
            if sql.startswith("SELECT") and f'FROM "{table}"' in sql:
                writes(before.pop(f"backup_{table}", []))
        return execute(sql, params, many, context)

    writes(before["backup_start"])
    if NAME in ("broken", "fixed_read_transaction"):
        atomic = transaction.atomic() if NAME == "fixed_read_transaction" else nullcontext()
        with atomic:
            with connection.execute_wrapper(hook):
                call_command("dumpdata", "shop", output=FIXTURE, verbosity=0)
            writes(before["backup_finish"])
    else:
        if NAME == "fixed_online_backup":
            connection.ensure_connection()
            copy = sqlite3.connect(BACKUP)
            connection.connection.backup(copy)
            copy.close()
        else:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [BACKUP])
        for step in ("backup_shop_customer", "backup_shop_order", "backup_finish"):
            writes(before[step])
    writes(after)
    writer.close()

    held, dangling = restore()
    equals = next((k for k, s in enumerate(states) if s == held), None)
    labtwin.report({
        "backup_rows": {"shop_customer": len(held[0]), "shop_order": len(held[1])},
        "dangling": dangling,
        "equals_commit": equals,
    })


def restore():
    """What the backup holds, and the references the restore found dangling."""
    if os.path.exists(FIXTURE):
        with open(FIXTURE) as f:
            objects = json.load(f)
        customers = {o["pk"]: o["fields"]["name"] for o in objects if o["model"] == "shop.customer"}
        orders = {o["pk"]: [o["fields"]["customer"], o["fields"]["item"]]
                  for o in objects if o["model"] == "shop.order"}
        with connections["restore"].schema_editor() as editor:
            editor.create_model(Customer)
            editor.create_model(Order)
        try:
            call_command("loaddata", FIXTURE, database="restore", verbosity=0)
            return (customers, orders), []
        except IntegrityError as error:
            # "The row in table 'shop_order' with primary key '5' has an invalid foreign
            # key: shop_order.customer_id contains a value '4' that does not have a
            # corresponding value in shop_customer.id."
            found = re.search(r"table '(\w+)' with primary key '(\d+)' has an invalid foreign key: "
                              r"\w+\.(\w+) contains a value '(\d+)' that does not have a "
                              r"corresponding value in (\w+)\.", str(error))
            table, pk, column, value, parent = found.groups()
            return (customers, orders), [f"{table} {pk}: {column} {value} is not in {parent}"]
    copy = sqlite3.connect(BACKUP)
    held = state(lambda sql: copy.execute(sql).fetchall())
    dangling = []
    for table, rowid, parent, fk in copy.execute("PRAGMA foreign_key_check").fetchall():
        column = copy.execute(f"SELECT \"from\" FROM pragma_foreign_key_list('{table}') WHERE id = ?",
                              [fk]).fetchone()[0]
        value = copy.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", [rowid]).fetchone()[0]
        dangling.append(f"{table} {rowid}: {column} {value} is not in {parent}")
    copy.close()
    return held, dangling


main()
