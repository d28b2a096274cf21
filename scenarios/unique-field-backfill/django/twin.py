"""unique-field-backfill in Django 5.2: a unique UUID field added to `shop_order` while the
old version of the app keeps inserting orders.

Each variant the lab ran runs in a process of its own (crates/lab-kit/django/labtwin). For
each of the lab's stories, a fresh SQLite file gets the table (`CreateModel`) and the
story's orders; then the lab's permutation runs, step by step: a migration step is a real
`migrations.Migration` applied the way `migrate` applies one (`Migration.apply` inside
`connection.schema_editor()`, one transaction), and an old-app step is the old version's
INSERT, which does not name the new column. An error is recorded and the story goes on.

broken: the migrations Django's plain field leads to -
  0002 AddField(UUIDField(default=uuid.uuid4, null=True))
  0003 RunPython: rows without a value get uuid4(), two at a time (run twice)
  0004 AlterField(UUIDField(default=uuid.uuid4, unique=True))
fixed: 0002 AddField(UUIDField(null=True)) + RunSQL(the trigger for the old app's rows);
  0003 the same batches; 0004 SeparateDatabaseAndState: the rest backfilled and
  RunSQL("CREATE UNIQUE INDEX ...") in the database, AlterField(null=True, unique=True) in
  the state.

Prints, per story, the errors and the end state (the lab's facts), and, beside them, the
SQL Django's SQLite schema editor ran for each migration step (not compared: it shows the
`new__shop_order` rebuilds), plus what SQLite answers to the ALTER TABLEs the lab tries.
"""

import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
SEEN = VARIANT["observations"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

FOLDER = tempfile.mkdtemp(prefix="lab-twin-")
settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": os.path.join(FOLDER, "start.sqlite3")}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import DatabaseError, connection, migrations, models  # noqa: E402
from django.db.migrations.state import ProjectState  # noqa: E402

CUSTOMERS = ["ada", "bob", "cyd", "dee", "eve"]
BATCH = 2
TRIGGER = (
    "CREATE TRIGGER shop_order_uuid_for_old_writers AFTER INSERT ON shop_order "
    "FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN "
    "UPDATE shop_order SET uuid = lower(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) "
    "|| substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) "
    "|| hex(randomblob(6))) WHERE id = NEW.id; END"
)


def batch(apps, schema_editor):
    """One batch: up to two rows without a value, each given its own uuid4()."""
    Order = apps.get_model("shop", "Order")
    for order in Order.objects.filter(uuid__isnull=True).order_by("pk")[:BATCH]:
        order.uuid = uuid.uuid4()
        order.save(update_fields=["uuid"])


def the_rest(apps, schema_editor):
    """Batches until no row is left without a value."""
    Order = apps.get_model("shop", "Order")
    for _ in range(Order.objects.filter(uuid__isnull=True).count() // BATCH + 1):
        batch(apps, schema_editor)


BACKFILL = [migrations.RunPython(batch)]
BROKEN = {
    "add_column": [migrations.AddField(
        "order", "uuid", models.UUIDField(default=uuid.uuid4, null=True))],
    "backfill": BACKFILL,
    "make_unique": [migrations.AlterField(
        "order", "uuid", models.UUIDField(default=uuid.uuid4, unique=True))],
}
FIXED = {
    "add_column": [migrations.AddField("order", "uuid", models.UUIDField(null=True)),
                   migrations.RunSQL(TRIGGER)],
    "backfill": BACKFILL,
    "make_unique": [migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunPython(the_rest),
            migrations.RunSQL("CREATE UNIQUE INDEX shop_order_uuid_uniq ON shop_order (uuid)"),
        ],
        state_operations=[migrations.AlterField(
            "order", "uuid", models.UUIDField(null=True, unique=True))],
    )],
}
OPERATIONS = BROKEN if NAME == "broken" else FIXED


def migration(name, operations):
    m = migrations.Migration(name, "shop")
    m.operations = operations
    return m


def apply(state, name, operations, sql):
    """`migrate` for one migration: apply it in the schema editor's transaction. Returns
    the new state, or the old one and the error."""
    def log(execute, text, params, many, context):
        if not text.startswith("PRAGMA"):
            sql.append(text)
        return execute(text, params, many, context)

    try:
        with connection.execute_wrapper(log), connection.schema_editor() as editor:
            return migration(name, operations).apply(state.clone(), editor), None
    except DatabaseError as e:
        return state, str(e)


def fresh_database(label):
    connection.close()
    connection.settings_dict["NAME"] = os.path.join(FOLDER, f"{label}.sqlite3")


def end_state():
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pragma_table_info('shop_order') WHERE name = 'uuid'")
        if c.fetchone()[0]:
            c.execute("SELECT uuid FROM shop_order ORDER BY id")
            values = [r[0] for r in c.fetchall()]
        else:
            c.execute("SELECT count(*) FROM shop_order")
            values = [None] * c.fetchone()[0]
        c.execute("SELECT count(*) FROM pragma_index_list('shop_order') AS il "
                  "JOIN pragma_index_info(il.name) AS ii "
                  "WHERE il.\"unique\" = 1 AND ii.name = 'uuid'")
        unique = c.fetchone()[0] > 0
    present = [v for v in values if v is not None]
    return {"rows": len(values), "null_values": len(values) - len(present),
            "distinct_values": len(set(present)),
            "not_v4": sum(1 for v in present if not is_v4(v)), "unique_index": unique}


def is_v4(value):
    try:
        u = uuid.UUID(hex=value)
    except ValueError:
        return False
    return len(value) == 32 and u.version == 4 and u.variant == uuid.RFC_4122


def story(label, facts):
    fresh_database(label)
    state = ProjectState()
    state, _ = apply(state, "0001_initial", [migrations.CreateModel("Order", [
        ("id", models.AutoField(primary_key=True)),
        ("customer", models.CharField(max_length=50))])], [])
    with connection.cursor() as c:
        for customer in (CUSTOMERS * 2)[:facts["seed_rows"]]:
            c.execute("INSERT INTO shop_order (customer) VALUES (%s)", [customer])
    errors, sql = {}, {}
    for step in facts["permutation"]:
        if step.startswith("old_insert_"):
            customer = "old-" + step.rsplit("_", 1)[1]
            try:
                with connection.cursor() as c:
                    # The old version's INSERT: it does not know the column.
                    c.execute("INSERT INTO shop_order (customer) VALUES (%s)", [customer])
            except DatabaseError as e:
                errors[step] = str(e)
            continue
        kind = "backfill" if step.startswith("backfill") else step
        sql[step] = []
        state, error = apply(state, f"step_{step}", OPERATIONS[kind], sql[step])
        if error:
            errors[step] = error
    return {"seed_rows": facts["seed_rows"], "permutation": facts["permutation"],
            "errors": errors, "end": end_state()}, sql


def first_attempts():
    fresh_database("refusals")
    out = []
    for answer in SEEN["sqlite_refuses"]:
        with connection.cursor() as c:
            c.execute("DROP TABLE IF EXISTS shop_order")
            c.execute("CREATE TABLE shop_order (id integer NOT NULL PRIMARY KEY "
                      "AUTOINCREMENT, customer varchar(50) NOT NULL)")
            c.execute("INSERT INTO shop_order (customer) VALUES ('ada'), ('bob')")
            try:
                c.execute(answer["sql"])
                error = None
            except DatabaseError as e:
                error = str(e)
        out.append({"sql": answer["sql"], "error": error})
    return out


def alter_field_keeps_the_trigger():
    """Whether the trigger survives `AlterField(UUIDField(null=True, unique=True))`, the
    plain way to make the column unique (not compared: it says why the fix adds the index
    with RunSQL). Django's SQLite editor rebuilds the table, and DROP TABLE drops its
    triggers."""
    fresh_database("alter_field")
    state = ProjectState()
    for name, kind in [("0001", "initial"), ("0002", "add_column")]:
        operations = FIXED.get(kind) or [migrations.CreateModel("Order", [
            ("id", models.AutoField(primary_key=True)),
            ("customer", models.CharField(max_length=50))])]
        state, _ = apply(state, name, operations, [])
    state, _ = apply(state, "0003", [migrations.AlterField(
        "order", "uuid", models.UUIDField(null=True, unique=True))], [])
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        return c.fetchone()[0] > 0


stories, django_sql = {}, {}
for label, facts in SEEN["stories"].items():
    stories[label], django_sql[label] = story(label, facts)
labtwin.report({"stories": stories, "sqlite_refuses": first_attempts(),
                "django_sql": django_sql,
                "alter_field_keeps_the_trigger": alter_field_keeps_the_trigger()})
