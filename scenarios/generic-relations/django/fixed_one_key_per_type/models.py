"""The second fix: one nullable foreign key per target model and a check constraint that
exactly one of them is set."""

from django.db import models
from django.db.models import Q


class Article(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        db_table = "blog_article"


class Photo(models.Model):
    caption = models.CharField(max_length=100)

    class Meta:
        db_table = "blog_photo"


class Comment(models.Model):
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()

    class Meta:
        db_table = "blog_comment"
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, photo__isnull=True)
                | Q(article__isnull=True, photo__isnull=False),
                name="comment_has_one_target",
            )
        ]
