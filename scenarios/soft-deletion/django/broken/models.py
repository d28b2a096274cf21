"""`Customer` and `Order` soft-deleted the usual way: a `deleted_at` column, a default
manager that hides deleted rows, `delete()` overridden to set the column."""

from django.db import models


class LiveManager(models.Manager):
    """The default manager: every query on the model leaves deleted rows out."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Customer(models.Model):
    email = models.EmailField(unique=True)
    deleted_at = models.DateTimeField(null=True)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        db_table = "shop_customer"

    def delete(self, at):
        self.deleted_at = at
        self.save(update_fields=["deleted_at"])

    def undelete(self):
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    item = models.CharField(max_length=50)
    deleted_at = models.DateTimeField(null=True)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        db_table = "shop_order"

    def delete(self, at):
        self.deleted_at = at
        self.save(update_fields=["deleted_at"])
