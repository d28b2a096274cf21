"""Three versions of one `Profile` table, `app_profile` as in the lab: the broken one, the
fixed one, and the fixed nickname's rule applied to the unique email (the documented
exception's reason). The twin creates one at a time."""

from django.db import models
from django.db.models import Q


class BrokenProfile(models.Model):
    username = models.CharField(max_length=30, unique=True)
    nickname = models.CharField(max_length=50, null=True, blank=True)
    email = models.EmailField(null=True, blank=True, unique=True)

    class Meta:
        db_table = "app_profile"


class FixedProfile(models.Model):
    username = models.CharField(max_length=30, unique=True)
    # One empty value, '': in Python (default) and in the table (db_default).
    nickname = models.CharField(max_length=50, blank=True, default="", db_default="")
    # The documented exception: optional and unique, so its one empty value is NULL.
    email = models.EmailField(null=True, blank=True, unique=True)

    class Meta:
        db_table = "app_profile"
        constraints = [
            models.CheckConstraint(condition=~Q(email=""), name="profile_email_not_blank")
        ]

    def save(self, *args, **kwargs):
        # An empty string from any caller becomes the email's one empty value.
        self.email = self.email or None
        super().save(*args, **kwargs)


class EmailAsEmptyString(models.Model):
    """The nickname's rule on the email: what the exception avoids."""

    username = models.CharField(max_length=30, unique=True)
    nickname = models.CharField(max_length=50, blank=True, default="", db_default="")
    email = models.EmailField(blank=True, unique=True, default="")

    class Meta:
        db_table = "app_profile"
