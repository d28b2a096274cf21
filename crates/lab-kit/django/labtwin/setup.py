"""A twin's process per variant, its databases, and what Django writes to lock rows."""

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

SCHEMA = f"lab_twin_{os.getpid()}"


def one_variant():
    """The lab's run and the variant this process runs (see the package's docstring)."""
    lab = json.load(sys.stdin)
    name = os.environ.get("LAB_TWIN_VARIANT")
    if name:
        return lab, next(v for v in lab["variants"] if v["name"] == name)
    facts = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue  # skipped or failed in the lab: scripts/django-twin says so
        env = {**os.environ, "LAB_TWIN_VARIANT": variant["name"]}
        child = subprocess.run([sys.executable, sys.argv[0]], input=json.dumps(lab), env=env,
                               capture_output=True, text=True)
        if child.returncode != 0:
            sys.exit(f"{variant['name']}:\n{child.stderr.strip()}")
        facts[variant["name"]] = json.loads(child.stdout)
    json.dump({"scenario": lab["id"], "variants": facts}, sys.stdout, indent=2)
    sys.exit(0)


def report(facts):
    """Prints one variant's facts for the first process to collect."""
    json.dump(facts, sys.stdout)


def postgres(**options):
    """The server named by LAB_POSTGRES_URL, as a Django database."""
    if not os.environ.get("LAB_POSTGRES_URL"):
        sys.exit("LAB_POSTGRES_URL is not set: run the twin through scripts/django-twin")
    url = urlsplit(os.environ["LAB_POSTGRES_URL"])
    return {"ENGINE": "django.db.backends.postgresql", "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""), "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "", "PORT": str(url.port or ""), "OPTIONS": options}


def databases(backend, **options):
    """DATABASES for a variant on `backend` ("sqlite" or "postgres"): `default` with
    `options` - a fresh SQLite file, or the schema SCHEMA on LAB_POSTGRES_URL - and the
    aliases `sqlite` and `postgres` for `locking_clauses()`."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="lab-twin-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        default = {"ENGINE": "django.db.backends.sqlite3",
                   "NAME": os.path.join(folder, "db.sqlite3"), "OPTIONS": options}
    else:
        default = postgres(options=f"-c search_path={SCHEMA}", **options)
    return {"default": default, "postgres": postgres(),
            "sqlite": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}


@contextmanager
def tables(*models):
    """The models' tables in `default` (in the schema SCHEMA on PostgreSQL, dropped after
    a story that ended well; after an error a session may still hold locks on them, and
    the process's end closes its connections)."""
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    if postgresql:
        connection.cursor().execute(f"CREATE SCHEMA {SCHEMA}")
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    yield
    if postgresql:
        connection.cursor().execute(f"DROP SCHEMA {SCHEMA} CASCADE")


def locking_clauses(queryset):
    """What Django appends to `queryset`'s SQL to lock its rows, on SQLite and on
    PostgreSQL - `FOR UPDATE SKIP LOCKED`, or None - as the lab's `locking_clause`."""
    from django.db import transaction

    clauses = {}
    for alias in ("sqlite", "postgres"):
        sql = ""
        if queryset is not None:
            # select_for_update() outside a transaction is refused on PostgreSQL.
            with transaction.atomic(using=alias):
                sql, _ = queryset.query.get_compiler(using=alias).as_sql()
        found = re.search(r" (FOR (?:NO KEY )?UPDATE\b.*)$", sql)
        clauses[alias] = found.group(1) if found else None
    return clauses
