"""`Blog` and `Entry`: `app_blog` and `app_entry`, as in the lab (Django's documentation
example, trimmed to the fields the search reads)."""

from django.db import models


class Blog(models.Model):
    name = models.CharField(max_length=100)


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE)
    headline = models.CharField(max_length=255)
    pub_date = models.DateField()
