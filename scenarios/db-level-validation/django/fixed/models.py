"""`Product` with the same validators, and the same rules as CHECK constraints that the
database enforces on every write."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

SKU_PATTERN = r"^[A-Z]{3}-[0-9]{4}$"


class Product(models.Model):
    sku = models.CharField(max_length=20, validators=[RegexValidator(SKU_PATTERN)])
    discount = models.IntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        db_table = "app_product"
        constraints = [
            models.CheckConstraint(
                condition=Q(sku__regex=SKU_PATTERN), name="product_sku_format"
            ),
            models.CheckConstraint(
                condition=Q(discount__range=(0, 100)), name="product_discount_range"
            ),
        ]
