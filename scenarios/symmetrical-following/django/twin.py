"""symmetrical-following in Django 5.2: a many-to-many to "self" is symmetrical by default.

For each variant (the `broken` and `fixed` apps beside this file, each with a `User` whose
tables are the lab's `app_user` and `app_user_following`), creates the tables in SQLite,
replays the lab's story (its `actions` observation: `ann follows bob` is
`ann.following.add(bob)`, `bob unfollows cy` is `bob.following.remove(cy)`), and prints
the tables' SQL, the statements of the first follow and of the unfollow, the stored
follows, and every profile's counts beside the truth (a directed graph built from the
actions in Python). SQL has its double quotes dropped: the form the lab's trace hook
reports.

It also checks the README's claims that have no lab observation, and fails if one does
not hold: the symmetrical field has no `followers` accessor; after the fix,
`user.followers.count()` equals `User.objects.filter(following=user).count()`.
"""

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
)
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import broken.models  # noqa: E402
import fixed.models  # noqa: E402

MODELS = {"broken": broken.models.User, "fixed": fixed.models.User}


def lab_sql(sql):
    return " ".join(sql.replace('"', "").split())


def truth(names, actions):
    """Every user's (following, followers) in the directed graph the actions describe."""
    edges = set()
    for line in actions:
        if " unfollows " in line:
            edges.discard(tuple(line.split(" unfollows ")))
        else:
            edges.add(tuple(line.split(" follows ")))
    return {
        n: (sum(1 for a, _ in edges if a == n), sum(1 for _, b in edges if b == n))
        for n in names
    }


def facts(User, names, actions):
    with CaptureQueriesContext(connection) as ran:
        with connection.schema_editor() as editor:
            editor.create_model(User)
    schema = [lab_sql(q["sql"]) for q in ran if q["sql"].startswith("CREATE")]
    # The lab's users in its order: ids 1, 2, ...
    users = {n: User.objects.create(pk=i + 1, username=n) for i, n in enumerate(names)}
    out = {"schema": schema}
    for line in actions:
        kind = "unfollow_sql" if " unfollows " in line else "follow_sql"
        a, b = line.split(" unfollows " if kind == "unfollow_sql" else " follows ")
        with CaptureQueriesContext(connection) as ran:
            if kind == "follow_sql":
                users[a].following.add(users[b])
            else:
                users[a].following.remove(users[b])
        out.setdefault(kind, [lab_sql(q["sql"]) for q in ran])
    through = User.following.through
    out["edges"] = [
        f"{e.from_user.username} -> {e.to_user.username}"
        for e in through.objects.order_by("from_user_id", "to_user_id")
    ]
    true = truth(names, actions)
    out["users"], out["wrong_users"] = [], []
    for u in User.objects.order_by("pk"):
        following = u.following.count()
        followers = User.objects.filter(following=u).count()
        t_following, t_followers = true[u.username]
        if (following, followers) != (t_following, t_followers):
            out["wrong_users"].append(u.username)
        out["users"].append({
            "user": u.username,
            "following": following,
            "true_following": t_following,
            "followers": followers,
            "true_followers": t_followers,
        })
        if User is fixed.models.User:
            assert u.followers.count() == followers, u
    assert hasattr(User, "followers") == (User is fixed.models.User)
    with connection.schema_editor() as editor:
        editor.delete_model(User)
    return out


def main():
    lab = json.load(sys.stdin)
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        o = variant["observations"]
        names = [u["user"] for u in o["users"]]
        variants[variant["name"]] = facts(MODELS[variant["name"]], names, o["actions"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
