"""`User` and its through table: `app_user` and `app_user_following`, as in the lab."""

from django.db import models


class User(models.Model):
    username = models.CharField(max_length=150, unique=True)
    following = models.ManyToManyField(
        "self", symmetrical=False, related_name="followers"
    )
