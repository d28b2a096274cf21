"""`Event`: `log_event`, as in the lab, and the `post_delete` receiver that makes
`QuerySet.delete()` collect the rows and delete them 100 primary keys at a time."""

from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver


class Event(models.Model):
    day = models.IntegerField(db_index=True)
    payload = models.CharField(max_length=200)


@receiver(post_delete, sender=Event)
def forget(sender, instance, **kwargs):
    """A deleted event leaves the cache too: with a receiver, Django cannot fast-delete."""
    cache.delete(f"event:{instance.pk}")
