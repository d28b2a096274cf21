"""`Customer` and `Order`: `shop_customer` and `shop_order`, as in the lab, in this order
(the order `dumpdata shop` writes them)."""

from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    item = models.CharField(max_length=100)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
