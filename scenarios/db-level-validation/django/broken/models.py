"""`Product`, as first written: the rules live in the fields' validators. Its table is
the lab's `app_product`."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

SKU_PATTERN = r"^[A-Z]{3}-[0-9]{4}$"


class Product(models.Model):
    sku = models.CharField(max_length=20, validators=[RegexValidator(SKU_PATTERN)])
    discount = models.IntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        db_table = "app_product"
