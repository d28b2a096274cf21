"""signal-recursion in Django 5.2: post_save receivers on User and Profile that keep the
email in step by saving each other's model.

Each variant the lab ran runs in a process of its own (crates/lab-kit/django/labtwin) on
an in-memory SQLite database: the lab's rows (`emails_before`), a receiver per line of its
`hooks`, and the lab's `edit` saved by the view. The same triggers as the lab's count every
write of a row. The lab's hook runner refuses a save nested `guard_depth` saves deep; here
the same guard is two receivers around every save (pre_save pushes the row onto the chain
of saves in progress and refuses one that deep, a post_save receiver connected after all
others pops it), so the path, the cycle and the writes can be compared. The broken
variant then runs once more without the guard: Django's own symptom, RecursionError,
caught, with the cycle read from the chain and the writes it left (`without_guard`,
reported, not compared: how deep Python gets depends on its version).
"""

import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
SEEN = VARIANT["observations"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import connection, models  # noqa: E402
from django.db.models.signals import post_save, pre_save  # noqa: E402


class User(models.Model):
    email = models.EmailField()

    class Meta:
        app_label = "app"


class Profile(models.Model):
    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE)
    email = models.EmailField()

    class Meta:
        app_label = "app"


MODELS = {"user": User, "profile": Profile}


# The receivers each variant connects, one per hook: `target` is the model to keep in step.
def saves_it(target):
    """broken: load the other row, copy the email, save() it - which sends post_save."""

    def receiver(sender, instance, **kwargs):
        other = target.objects.get(pk=instance.pk)
        other.email = instance.email
        other.save()

    return receiver


def updates_it(target):
    """fixed_direct_update: one UPDATE through the queryset; update() sends no signal."""

    def receiver(sender, instance, **kwargs):
        target.objects.filter(pk=instance.pk).update(email=instance.email)

    return receiver


def saves_it_if_changed(target):
    """fixed_only_on_change: compare first; a row that already holds the email is left."""

    def receiver(sender, instance, **kwargs):
        other = target.objects.get(pk=instance.pk)
        if other.email != instance.email:
            other.email = instance.email
            other.save()

    return receiver


RECEIVERS = {
    "broken": saves_it,
    "fixed_direct_update": updates_it,
    "fixed_only_on_change": saves_it_if_changed,
}


def label(instance):
    return f"{instance._meta.model_name}#{instance.pk}"


class Recursion(Exception):
    def __init__(self, path):
        super().__init__(" -> ".join(path))
        self.path = path


class Guard:
    """The chain of saves in progress; with a depth, the save that deep is refused before
    it writes, as the lab's hook runner does."""

    def __init__(self, depth):
        self.depth, self.chain = depth, []

    def enter(self, sender, instance, **kwargs):
        row = label(instance)
        if self.depth is not None and len(self.chain) >= self.depth:
            raise Recursion([*self.chain, row])
        self.chain.append(row)

    def leave(self, sender, instance, **kwargs):
        self.chain.pop()


def cycle(path):
    """The smallest cycle in a chain of saves: from the first row that came back to where it
    came back (the lab's SaveError::cycle)."""
    for end, row in enumerate(path or []):
        if row in path[:end]:
            return path[path.index(row): end + 1]
    return None


def setup():
    with connection.schema_editor() as editor:
        editor.create_model(User)
        editor.create_model(Profile)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE lab_row_write (model TEXT NOT NULL, row_id INTEGER NOT NULL)")
        for name, model in MODELS.items():
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(
                f"CREATE TRIGGER {table}_written AFTER UPDATE ON {table} BEGIN "
                f"INSERT INTO lab_row_write (model, row_id) VALUES ('{name}', NEW.{pk}); END"
            )
    for sender, target in (line.split(" -> ") for line in SEEN["hooks"]):
        post_save.connect(RECEIVERS[NAME](MODELS[target]), sender=MODELS[sender], weak=False)


def reset():
    """The lab's rows as they were before the edit, and no write counted yet."""
    for row, email in SEEN["emails_before"].items():
        model, pk = row.split("#")
        MODELS[model].objects.filter(pk=int(pk)).update(email=email)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM lab_row_write")


def edit(depth):
    """The view saves the lab's edit under a guard of `depth` (None: no guard); what it
    left: the path the guard refused, the cycle, the writes and every row's email."""
    guard = Guard(depth)
    pre_save.connect(guard.enter, weak=False)
    post_save.connect(guard.leave, weak=False)  # last: it runs after every other receiver
    target, value = SEEN["edit"].split(".email = ")
    model, pk = target.split("#")
    path, error = None, None
    try:
        row = MODELS[model].objects.get(pk=int(pk))
        row.email = value
        row.save()
    except Recursion as refused:
        path = refused.path
    except RecursionError as overflow:
        error, path = f"RecursionError: {overflow}", list(guard.chain)
    pre_save.disconnect(guard.enter)
    post_save.disconnect(guard.leave)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT model, row_id, count(*) FROM lab_row_write GROUP BY model, row_id "
            "ORDER BY model, row_id"
        )
        writes = {f"{m}#{r}": n for m, r, n in cursor.fetchall()}
    emails = {label(o): o.email for model in MODELS.values() for o in model.objects.all()}
    facts = {"path": path, "cycle": cycle(path), "row_writes": writes, "emails": emails}
    return facts, error


def main():
    setup()
    # The lab's rows, users before the profiles that point at them. bulk_create() sends no
    # post_save: the receivers must not run (and, broken, recurse) on the seed itself.
    for name, model in MODELS.items():
        rows = [row.split("#") + [email] for row, email in SEEN["emails_before"].items()]
        model.objects.bulk_create([model(pk=int(pk), email=e) for m, pk, e in rows if m == name])
    facts, _ = edit(SEEN["guard_depth"])
    if NAME == "broken":
        reset()
        unguarded, error = edit(None)
        facts["without_guard"] = {
            "error": error,
            "saves_deep": len(unguarded["path"] or []),
            "cycle": unguarded["cycle"],
            "row_writes": unguarded["row_writes"],
        }
    labtwin.report(facts)


main()
