"""The same models, fixed: the unique address counts live customers only (a partial
unique index), and delete and undelete carry a customer's orders with them."""

from django.db import models, transaction
from django.db.models import Q


class LiveManager(models.Manager):
    """The default manager: every query on the model leaves deleted rows out."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Customer(models.Model):
    email = models.EmailField()
    deleted_at = models.DateTimeField(null=True)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        db_table = "shop_customer"
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(deleted_at__isnull=True),
                name="shop_customer_live_email",
            )
        ]

    def delete(self, at):
        with transaction.atomic():
            # The related manager is built from Order's default manager: live orders only,
            # so orders deleted earlier keep their own time.
            self.orders.update(deleted_at=at)
            self.deleted_at = at
            self.save(update_fields=["deleted_at"])

    def undelete(self):
        with transaction.atomic():
            at, self.deleted_at = self.deleted_at, None
            # Refused by the partial unique index if a live customer took the address.
            self.save(update_fields=["deleted_at"])
            Order.all_objects.filter(customer=self, deleted_at=at).update(deleted_at=None)


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
