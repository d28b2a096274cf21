"""db-level-validation in Django 5.2: validators run only in full_clean().

For each variant (the `broken` and `fixed` apps beside this file, each with a `Product`
on the lab's table `app_product`), creates the table in SQLite, replays the lab's writes
(its `writes` observation) through the same four paths - `full_clean()` then `save()`,
a plain `save()`, `bulk_create()`, `update(discount=F("discount") + n)` - and prints the
table's SQL, what each caller got (rows stored, or the ValidationError / IntegrityError
text), the SQL of the paths that skip validation, the stored rows, and the rows the
validators refuse. SQL has its double quotes dropped: the form the lab's trace hook
reports.

It also checks the README's claims that have no lab observation, and fails if one does
not hold: `CheckConstraint(check=...)` is deprecated in 5.2; with the constraints,
`full_clean()` also runs one query per constraint; Python's `$` lets a final newline
through both the validator and Django's REGEXP; adding the constraints over an invalid
row fails; PostgreSQL's `regex` lookup is the `~` operator.
"""

import json
import sys
import warnings

# The app packages beside this file are imported from here: keep their bytecode out of
# the scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["broken", "fixed"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.validators import RegexValidator  # noqa: E402
from django.db import IntegrityError, connection, migrations, models  # noqa: E402
from django.db.migrations.state import ModelState, ProjectState  # noqa: E402
from django.db.models import F, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import broken.models  # noqa: E402
import fixed.models  # noqa: E402

MODELS = {"broken": broken.models.Product, "fixed": fixed.models.Product}


def lab_sql(sql):
    return " ".join(sql.replace('"', "").split())


def errors_of(product):
    """What full_clean() says about a product, as the lab writes it; [] when valid."""
    try:
        product.full_clean()
    except ValidationError as e:
        return [f"{f}: {m}" for f, ms in e.message_dict.items() for m in ms]
    return []


def write(Product, w):
    """Runs one write; returns the caller's outcome line."""
    make = lambda p: Product(sku=p["sku"], discount=p["discount"])  # noqa: E731
    try:
        if w["path"] == "form":
            product = make(w["product"])
            errors = errors_of(product)
            if errors:
                return "refused: ValidationError: " + "; ".join(errors)
            product.save()
            return "stored 1 row(s)"
        if w["path"] == "save":
            make(w["product"]).save()
            return "stored 1 row(s)"
        if w["path"] == "bulk_create":
            stored = Product.objects.bulk_create([make(p) for p in w["products"]])
            return f"stored {len(stored)} row(s)"
        updated = Product.objects.update(discount=F("discount") + w["add"])
        return f"updated {updated} row(s)"
    except IntegrityError as e:
        return f"refused: IntegrityError: {e}"


def facts(Product, writes):
    with CaptureQueriesContext(connection) as ran:
        with connection.schema_editor() as editor:
            editor.create_model(Product)
    schema = next(lab_sql(q["sql"]) for q in ran if q["sql"].startswith("CREATE TABLE"))
    outcomes, sql = [], []
    for w in writes:
        with CaptureQueriesContext(connection) as ran:
            outcomes.append(write(Product, w))
        if w["path"] != "form":
            sql.extend(lab_sql(q["sql"]) for q in ran)
    rows = [
        {"sku": p.sku, "discount": p.discount} for p in Product.objects.order_by("pk")
    ]
    invalid = [
        {**row, "errors": errs}
        for row in rows
        if (errs := errors_of(broken.models.Product(**row)))
    ]
    with connection.schema_editor() as editor:
        editor.delete_model(Product)
    return {"schema": schema, "outcomes": outcomes, "sql": sql, "rows": rows,
            "invalid_rows": invalid}


def check_claims():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        models.CheckConstraint(check=Q(discount__gte=0), name="old_keyword")
    assert [w.category.__name__ for w in caught] == ["RemovedInDjango60Warning"], caught
    Product = fixed.models.Product
    with connection.schema_editor() as editor:
        editor.create_model(Product)
    with CaptureQueriesContext(connection) as ran:
        Product(sku="ABC-1234", discount=10).full_clean()
    checks = [q["sql"] for q in ran]
    assert len(checks) == 2 and all("_check" in q for q in checks), checks
    assert any("REGEXP" in q for q in checks), checks
    RegexValidator(fixed.models.SKU_PATTERN)("ABC-1234\n")
    Product(sku="ABC-1234\n", discount=10).save()
    with connection.schema_editor() as editor:
        editor.delete_model(Product)
    # Adding the constraints to a table that holds an invalid row fails.
    Old = broken.models.Product
    with connection.schema_editor() as editor:
        editor.create_model(Old)
    Old.objects.create(sku="QRS-0002", discount=150)
    before = ProjectState()
    before.add_model(ModelState.from_model(Old))
    after = before.clone()
    operations = [migrations.AddConstraint("product", c) for c in Product._meta.constraints]
    try:
        with connection.schema_editor() as editor:
            for operation in operations:
                operation.state_forwards("broken", after)
                operation.database_forwards("broken", editor, before, after)
                before = after.clone()
    except IntegrityError as e:
        assert str(e) == "CHECK constraint failed: product_discount_range", e
    else:
        raise AssertionError("the constraint was added over an invalid row")
    with connection.schema_editor() as editor:
        editor.delete_model(Old)
    # PostgreSQL compiles the regex lookup to its own operator (no server needed).
    from django.db.backends.postgresql.base import DatabaseWrapper as Postgres

    assert Postgres.operators["regex"] == "~ %s", Postgres.operators["regex"]


def main():
    lab = json.load(sys.stdin)
    check_claims()
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        variants[variant["name"]] = facts(MODELS[variant["name"]],
                                          variant["observations"]["writes"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
