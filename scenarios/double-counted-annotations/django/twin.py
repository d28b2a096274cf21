"""double-counted-annotations in Django 5.2: two Counts over two relations multiply.

Each variant replays the lab's follow graph (its `graph` observation) into SQLite, runs
the variant's queryset once, and prints every user's counts beside the truth (each
relation counted on its own), the users it gets wrong, and the SQL Django sent - double
quotes dropped and whitespace collapsed, the form the lab's trace hook reports.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, OuterRef, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from app.models import User  # noqa: E402

Follow = User.following.through


def count_of(side):
    """How many through rows name the outer user on `side`, 0 when none do."""
    return Coalesce(
        Subquery(
            Follow.objects.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def broken():
    return User.objects.annotate(
        following_count=Count("following"), followers_count=Count("followers")
    ).order_by("pk")


def fixed_distinct():
    return User.objects.annotate(
        following_count=Count("following", distinct=True),
        followers_count=Count("followers", distinct=True),
    ).order_by("pk")


def fixed_subquery():
    return User.objects.annotate(
        following_count=count_of("from_user"), followers_count=count_of("to_user")
    ).order_by("pk")


QUERYSETS = {
    "broken": broken,
    "fixed_distinct": fixed_distinct,
    "fixed_subquery": fixed_subquery,
}


def load(graph):
    """The lab's graph: users in its order (ids 1, 2, ...), follows as "a -> b"."""
    User.objects.all().delete()
    users = {
        name: User.objects.create(pk=i + 1, username=name)
        for i, name in enumerate(graph["users"])
    }
    for line in graph["follows"]:
        follower, followee = line.split(" -> ")
        users[follower].following.add(users[followee])


def facts(queryset):
    """What the queryset returned beside the truth, and the SQL it sent."""
    with CaptureQueriesContext(connection) as ran:
        got = list(queryset)
    users, wrong = [], []
    for u in got:
        # The truth: each relation counted on its own query.
        following, followers = u.following.count(), u.followers.count()
        if (u.following_count, u.followers_count) != (following, followers):
            wrong.append(u.username)
        users.append(
            {
                "user": u.username,
                "following": u.following_count,
                "true_following": following,
                "followers": u.followers_count,
                "true_followers": followers,
            }
        )
    sql = [" ".join(q["sql"].replace('"', "").split()) for q in ran]
    return {"users": users, "wrong_users": wrong, "sql": sql}


def main():
    lab = json.load(sys.stdin)
    call_command("migrate", run_syncdb=True, verbosity=0)
    variants = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        load(variant["observations"]["graph"])
        variants[variant["name"]] = facts(QUERYSETS[variant["name"]]())
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
