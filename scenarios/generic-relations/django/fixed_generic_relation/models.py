"""The first fix: the same generic foreign key, and a `GenericRelation` on each target,
so the ORM's `delete()` deletes a target's comments too."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    body = models.TextField()

    class Meta:
        db_table = "blog_comment"
        indexes = [models.Index(fields=["content_type", "object_id"], name="blog_comment_target")]


class Article(models.Model):
    title = models.CharField(max_length=100)
    comments = GenericRelation(Comment)

    class Meta:
        db_table = "blog_article"


class Photo(models.Model):
    caption = models.CharField(max_length=100)
    comments = GenericRelation(Comment)

    class Meta:
        db_table = "blog_photo"
