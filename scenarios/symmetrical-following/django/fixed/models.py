"""`User` with a directed many-to-many to itself: the same two tables as the broken app."""

from django.db import models


class User(models.Model):
    username = models.CharField(max_length=30, unique=True)
    following = models.ManyToManyField(
        "self", symmetrical=False, related_name="followers"
    )

    class Meta:
        db_table = "app_user"
