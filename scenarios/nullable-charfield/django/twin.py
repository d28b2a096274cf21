"""nullable-charfield in Django 5.2: a nullable CharField has two empty values.

For each variant, creates the variant's `app_profile` table in SQLite, replays the lab's
sign-ups (its `signups` observation: a sign-up with no empty string goes through the
model's ModelForm, blank fields and all, as the sign-up page would; one with an empty
string goes through `objects.create()`, as the API would), and prints the table's SQL,
the stored rows, the refused sign-ups with Django's IntegrityError text, the two lists
beside the truth (each sign-up's fields checked in Python), both lookups' counts, and
the SQL of the lists (double quotes dropped: the form the lab's trace hook reports).

It also checks the README's claims that have no lab observation, and fails if one does
not hold: no system check flags the nullable CharField; a field left out is None and
`exclude(nickname="")` keeps its row; the migration from the broken field to the fixed one rewrites existing NULLs
with `coalesce(..., '')`; the fixed table refuses a NULL nickname and an '' email from a
bulk `update()`; the nickname's rule on the unique email refuses the second blank one.
"""

import json
import sys

# The app package beside this file is imported from here: keep its bytecode out of the
# scenario's folder.
sys.dont_write_bytecode = True

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["app"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django import forms  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from app.models import BrokenProfile, EmailAsEmptyString, FixedProfile  # noqa: E402

MODELS = {"broken": BrokenProfile, "fixed": FixedProfile}
FIELDS = ("nickname", "email")


def lab_sql(sql):
    return " ".join(sql.replace('"', "").split())


def create(model):
    """Creates the model's table and returns its CREATE TABLE statement."""
    with CaptureQueriesContext(connection) as ran:
        with connection.schema_editor() as editor:
            editor.create_model(model)
    return next(lab_sql(q["sql"]) for q in ran if q["sql"].startswith("CREATE TABLE"))


def drop(model):
    with connection.schema_editor() as editor:
        editor.delete_model(model)


def sign_up(model, signup):
    """One sign-up: the form when nothing is an empty string, else the API's create()."""
    if any(signup[f] == "" for f in FIELDS):
        given = {f: signup[f] for f in FIELDS if signup[f] is not None}
        model.objects.create(username=signup["user"], **given)
        return
    form_class = forms.modelform_factory(model, fields=["username", *FIELDS])
    form = form_class({"username": signup["user"], **{f: signup[f] or "" for f in FIELDS}})
    if not form.is_valid():
        raise AssertionError(f"the form refused {signup}: {form.errors}")
    form.save()


def facts(model, signups):
    schema = create(model)
    refused = []
    for signup in signups:
        try:
            with transaction.atomic():
                sign_up(model, signup)
        except IntegrityError as e:
            refused.append({"user": signup["user"], "error": str(e)})
    stored = [
        {"user": r["username"], "nickname": r["nickname"], "email": r["email"]}
        for r in model.objects.order_by("pk").values(*["username", *FIELDS])
    ]
    out = {"schema": schema, "stored": stored, "refused": refused, "sql": [],
           "empty_counts": {}}
    for field, lookup in (("nickname", {"nickname": ""}), ("email", {"email__isnull": True})):
        truth = [s["user"] for s in signups if not s[field]]
        with CaptureQueriesContext(connection) as ran:
            listed = list(
                model.objects.filter(**lookup).order_by("pk").values_list("username", flat=True)
            )
        out["sql"].extend(lab_sql(q["sql"]) for q in ran)
        out[f"without_{field}"] = {"listed": listed, "truth": truth}
        out["empty_counts"][field] = {
            "equals_empty": model.objects.filter(**{field: ""}).count(),
            "is_null": model.objects.filter(**{f"{field}__isnull": True}).count(),
            "truth": len(truth),
        }
    drop(model)
    return out


def refuses(action, message):
    try:
        with transaction.atomic():
            action()
    except IntegrityError as e:
        assert str(e) == message, f"{e!s} != {message}"
        return
    raise AssertionError(f"not refused; expected {message}")


def check_claims():
    # No system check warns about null=True on a CharField.
    assert BrokenProfile.check() == [], BrokenProfile.check()
    create(BrokenProfile)
    # A nullable field left out is None, and exclude(nickname="") keeps that NULL row.
    old = BrokenProfile.objects.create(username="old")
    assert BrokenProfile.objects.get(pk=old.pk).nickname is None
    assert list(BrokenProfile.objects.exclude(nickname="")) == [old]
    # The migration from null=True to the fixed field fills existing NULLs with ''.
    with CaptureQueriesContext(connection) as ran:
        with connection.schema_editor() as editor:
            editor.alter_field(
                BrokenProfile,
                BrokenProfile._meta.get_field("nickname"),
                FixedProfile._meta.get_field("nickname"),
            )
    copy = [q["sql"] for q in ran if q["sql"].startswith('INSERT INTO "new__app_profile"')]
    assert copy and 'coalesce("nickname", \'\')' in copy[0], ran.captured_queries
    assert FixedProfile.objects.get(username="old").nickname == ""
    drop(FixedProfile)
    # The fixed table refuses the other empty value from a path that skips save().
    create(FixedProfile)
    FixedProfile.objects.create(username="a")
    refuses(lambda: FixedProfile.objects.update(nickname=None),
            "NOT NULL constraint failed: app_profile.nickname")
    refuses(lambda: FixedProfile.objects.update(email=""),
            "CHECK constraint failed: profile_email_not_blank")
    drop(FixedProfile)
    # '' as the unique email's empty value: the second user without one is refused.
    create(EmailAsEmptyString)
    EmailAsEmptyString.objects.create(username="bob")
    refuses(lambda: EmailAsEmptyString.objects.create(username="eve"),
            "UNIQUE constraint failed: app_profile.email")
    drop(EmailAsEmptyString)


def main():
    lab = json.load(sys.stdin)
    check_claims()
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        variants[variant["name"]] = facts(MODELS[variant["name"]],
                                          variant["observations"]["signups"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
