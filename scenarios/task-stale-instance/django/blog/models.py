"""`Article` (`blog_article`, as in the lab) and the broker's `Job` (`queue_job`, kept in
the broker's own database). An installed app, so that a pickled article can be unpickled."""

from django.db import models


class Article(models.Model):
    status = models.CharField(max_length=20)
    body = models.TextField()
    version = models.IntegerField(default=1)

    def save(self, *args, **kwargs):
        """The app's save: every save bumps the version an editor checks."""
        self.version += 1
        super().save(*args, **kwargs)


class Job(models.Model):
    """One message the broker persisted."""

    message = models.BinaryField()
    state = models.CharField(max_length=20)

    class Meta:
        db_table = "queue_job"
