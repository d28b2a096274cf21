"""The broken app: comments attached to articles and photos through a generic foreign
key, and no `GenericRelation` on the targets."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        db_table = "blog_article"


class Photo(models.Model):
    caption = models.CharField(max_length=100)

    class Meta:
        db_table = "blog_photo"


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    body = models.TextField()

    class Meta:
        db_table = "blog_comment"
        indexes = [models.Index(fields=["content_type", "object_id"], name="blog_comment_target")]
