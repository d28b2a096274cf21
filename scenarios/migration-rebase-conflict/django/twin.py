"""migration-rebase-conflict in Django 5.2: after a clean rebase, migrate refuses.

Replays the lab's story (its `migrations` observation) as real migration files of an app
`shop` in a temporary directory, written by Django's own MigrationWriter: main's two
migrations and a deploy, branch a's migration and a deploy, then branch b's migration
beside them (b rebased onto main: for git, one more file and no conflict). The variant's
pre-merge step runs on that tree, b lands on main or not, and the last deploy's
`migrate` runs against the same SQLite database. Prints what the step said, main's
leaves as Django's loader sees them, the deploy's error or what it applied, and what the
database recorded and held before and after it.
"""

import importlib
import io
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

# The app is written, rewritten and imported again while this process runs: no stale
# bytecode may stand in for a migration file.
sys.dont_write_bytecode = True
PROJECT = Path(tempfile.mkdtemp(prefix="django-twin-"))
MIGRATIONS = PROJECT / "shop" / "migrations"
MIGRATIONS.mkdir(parents=True)
(PROJECT / "shop" / "__init__.py").touch()
(MIGRATIONS / "__init__.py").touch()
sys.path.insert(0, str(PROJECT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["shop"],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": PROJECT / "production.sqlite3",
        }
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection, migrations, models  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402
from django.db.migrations.writer import MigrationWriter  # noqa: E402


def manage(*args):
    """`python manage.py <args>`; a refusal raises CommandError."""
    importlib.invalidate_caches()  # migration files came and went since the last one
    call_command(*args, stdout=io.StringIO())


def broken():
    # The files load: every parent exists, no cycle. Nothing counts the leaves.
    manage("showmigrations", "shop")


def fixed_merge_migration():
    manage("makemigrations", "--merge", "--no-input")


def fixed_ci_guard():
    manage("makemigrations", "--check")


STEPS = {
    "broken": broken,
    "fixed_merge_migration": fixed_merge_migration,
    "fixed_ci_guard": fixed_ci_guard,
}

# The story's model, column by column: each lab migration's SQL, as a Django field.
FIELDS = {
    "id": models.AutoField(primary_key=True),
    "name": models.CharField(max_length=100),
    "price": models.IntegerField(default=0),
    "color": models.CharField(max_length=20, default=""),
    "stock": models.IntegerField(default=0),
}


def operations(sql):
    """`CREATE TABLE shop_item (...)` is a CreateModel, `ADD COLUMN x` an AddField."""
    if created := re.match(r"CREATE TABLE shop_item \((.*)\);", sql):
        names = [column.split()[0] for column in created[1].split(",")]
        return [migrations.CreateModel("Item", [(n, FIELDS[n].clone()) for n in names])]
    column = re.fullmatch(r"ALTER TABLE shop_item ADD COLUMN (\w+) .*", sql)[1]
    return [migrations.AddField("item", column, FIELDS[column].clone())]


def write(lab_migration):
    """The lab's migration as the file `makemigrations` would have written."""
    migration = migrations.Migration(lab_migration["name"], "shop")
    parent = lab_migration["parent"]
    migration.dependencies = [("shop", parent)] if parent else []
    migration.initial = not parent
    migration.operations = operations(lab_migration["sql"])
    writer = MigrationWriter(migration)
    Path(writer.path).write_text(writer.as_string())
    return Path(writer.path)


def applied():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    names = recorder.migration_qs.filter(app="shop").order_by("id")
    return list(names.values_list("name", flat=True))


def columns():
    if "shop_item" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "shop_item")
    return [column.name for column in table]


def leaves():
    importlib.invalidate_caches()
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return sorted(name for _, name in graph.leaf_nodes("shop"))


def fresh_project():
    """No migration file, no database: every variant starts the story from scratch."""
    connection.close()
    (PROJECT / "production.sqlite3").unlink(missing_ok=True)
    for path in MIGRATIONS.glob("0*.py"):
        path.unlink()
    for module in [m for m in sys.modules if m.startswith("shop.migrations.")]:
        del sys.modules[module]


def tell(step, story):
    fresh_project()
    on = {b: [m for m in story if m["branch"] == b] for b in ("main", "a", "b")}
    for migration in on["main"]:
        write(migration)
    manage("migrate")
    for migration in on["a"]:  # a merged into main, deployed
        write(migration)
    manage("migrate")
    b_files = [write(migration) for migration in on["b"]]  # b rebased onto main
    try:
        step()
        pre_merge = "merge"
    except CommandError as refusal:
        pre_merge = f"refused: {refusal}"
    b_merged = pre_merge == "merge"
    if not b_merged:  # main never gets b's files
        for path in b_files:
            path.unlink()
    applied_before, columns_before = applied(), columns()
    try:
        manage("migrate")
        error = None
    except CommandError as refusal:
        error = str(refusal)
    applied_after = applied()
    return {
        "pre_merge": pre_merge,
        "b_merged": b_merged,
        "main_leaves": leaves(),
        "deploy_error": error,
        "deploy_applied": None if error else applied_after[len(applied_before) :],
        "applied_before_deploy": applied_before,
        "applied_after_deploy": applied_after,
        "columns_before_deploy": columns_before,
        "columns_after_deploy": columns(),
    }


def main():
    lab = json.load(sys.stdin)
    variants = {}
    try:
        for variant in lab["variants"]:
            if "observations" in variant:
                story = variant["observations"]["migrations"]
                variants[variant["name"]] = tell(STEPS[variant["name"]], story)
    finally:
        connection.close()
        shutil.rmtree(PROJECT)
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
