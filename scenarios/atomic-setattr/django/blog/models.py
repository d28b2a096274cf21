"""The lab's blog: an article with a title and a rating (each with its CHECK constraint),
and two to-many relations."""

from django.db import models
from django.db.models import CheckConstraint, Q


class Tag(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = "blog"


class Author(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        app_label = "blog"


class Article(models.Model):
    title = models.CharField(max_length=100)
    rating = models.IntegerField()
    tags = models.ManyToManyField(Tag)
    authors = models.ManyToManyField(Author)

    class Meta:
        app_label = "blog"
        constraints = [
            CheckConstraint(condition=~Q(title=""), name="title_not_empty"),
            CheckConstraint(condition=Q(rating__gte=0, rating__lte=5), name="rating_0_to_5"),
        ]
