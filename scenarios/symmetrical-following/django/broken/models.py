"""`User` with a many-to-many to itself, as first written: `app_user` and its through
table `app_user_following`, as in the lab."""

from django.db import models


class User(models.Model):
    username = models.CharField(max_length=30, unique=True)
    following = models.ManyToManyField("self")

    class Meta:
        db_table = "app_user"
