"""atomic-requests in Django 5.2: ann checks out while the warehouse is down, bob saves
his address.

Each variant the lab ran runs in a process of its own (labtwin.one_variant) on a fresh
SQLite file with "ATOMIC_REQUESTS": True and "timeout": 0 (a lock answers "database is
locked" at once). The payment provider and the warehouse are HTTP servers on 127.0.0.1
(labtwin.held) that hold each call until the lab's schedule releases it; the provider then
charges the card (its ledger), the warehouse answers 503 (or 202 when the lab's
`warehouse` is up). ann's checkout is a request through Django's test Client on a worker
thread of its own; bob's write runs on a thread and connection of its own and waits, as
the lab decides it, while SQLite says "database is locked"; the steps run in the order of
the lab's `permutation`. Prints ann's status, the steps that waited, the orders, the
provider's charges and bob's address.
"""

import atexit
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402
from labtwin import held  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME, SEEN = VARIANT["name"], VARIANT["observations"]
FOLDER = tempfile.mkdtemp(prefix="lab-twin-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": f"{FOLDER}/db.sqlite3", "ATOMIC_REQUESTS": True,
                           "OPTIONS": {"timeout": 0}}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
)
django.setup()
logging.getLogger("django.request").disabled = True  # the 500 is expected; no traceback

from django.db import connection, models, transaction  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402


class Customer(models.Model):
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200)

    class Meta:
        app_label = "shop"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    total = models.IntegerField()
    status = models.CharField(max_length=10)
    charge = models.CharField(max_length=40)

    class Meta:
        app_label = "shop"


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT)
    charge = models.CharField(max_length=40)
    amount = models.IntegerField()

    class Meta:
        app_label = "shop"


GATES, LEDGER, URLS = held.Gates(), [], {}


def payments(method, path, body):
    """The provider: once released, charges the card and answers 201 with the charge."""
    call = json.loads(body)
    held_call = GATES.hold("payments", f"{method} {path}")
    LEDGER.append({"charge": f"ch_{len(LEDGER) + 1}", "order": call["order"],
                   "amount": call["amount"]})
    GATES.answered(held_call, "201")
    return 201, json.dumps({"charge": LEDGER[-1]["charge"]})


def warehouse(method, path, body):
    GATES.answered(GATES.hold("warehouse", f"{method} {path}"), "answered")
    return (202, "shipment queued") if SEEN["warehouse"] == "up" else (503, "down")


def charge(order):
    status, body = held.post(URLS["payments"], json.dumps({"order": order.pk, "amount": order.total}))
    if status != 201:
        raise RuntimeError(f"payments answered {status}")
    return json.loads(body)["charge"]


def ship(order):
    status, body = held.post(URLS["warehouse"], json.dumps({"order": order.pk}))
    if status != 202:
        raise RuntimeError(f"the warehouse answered {status} {body}")


def checkout(request):
    """broken: under ATOMIC_REQUESTS the whole view - both calls included - is one transaction."""
    cart = json.loads(request.body)
    order = Order.objects.create(customer_id=cart["customer"], total=cart["total"], status="new")
    order.status, order.charge = "paid", charge(order)
    order.save(update_fields=["status", "charge"])
    Payment.objects.create(order=order, charge=order.charge, amount=order.total)
    ship(order)
    return JsonResponse({"order": order.pk}, status=201)


@transaction.non_atomic_requests
def checkout_fixed(request):
    """fixed: no transaction around the view; a short one around the writes that belong together."""
    cart = json.loads(request.body)
    order = Order.objects.create(customer_id=cart["customer"], total=cart["total"], status="new")
    paid_with = charge(order)  # no transaction open, no lock held
    with transaction.atomic():
        order.status, order.charge = "paid", paid_with
        order.save(update_fields=["status", "charge"])
        Payment.objects.create(order=order, charge=order.charge, amount=order.total)
    ship(order)  # a failure here leaves the order paid, to be shipped later
    return JsonResponse({"order": order.pk}, status=201)


urlpatterns = [path("checkout", {"broken": checkout, "fixed": checkout_fixed}[NAME])]


def ann_checks_out():
    try:
        client = Client(raise_request_exception=False)
        return client.post("/checkout", SEEN["cart"], content_type="application/json").status_code
    finally:
        connection.close()


def bob_writes():
    Customer.objects.filter(pk=2).update(address="3 Pine Street")


def main():
    with connection.schema_editor() as editor:
        for model in (Customer, Order, Payment):
            editor.create_model(model)
    Customer.objects.bulk_create([Customer(pk=1, name="Ann", address="1 Elm Street"),
                                  Customer(pk=2, name="Bob", address="2 Oak Street")])
    servers = {"payments": held.Server(payments), "warehouse": held.Server(warehouse)}
    URLS.update({name: server.url("/") for name, server in servers.items()})
    ann = held.Worker("s1", GATES, {"s1_checkout": ann_checks_out})
    # Lambdas: `connection` is a different connection on the session's own thread.
    bob = labtwin.Session("s2", {"s2_write": bob_writes},
                          setup=lambda: connection.ensure_connection(),
                          teardown=lambda: connection.close())
    answers = [held.Service("payments", GATES, ["payments_answer"]),
               held.Service("warehouse", GATES, ["warehouse_answer"])]
    waited = labtwin.run([ann, bob, *answers], SEEN["permutation"])
    bob.close()
    for server in servers.values():
        server.close()
    labtwin.report({
        "checkout_status": ann.answers["s1_checkout"],
        "steps_that_waited": waited,
        "orders": [{"id": o.pk, "status": o.status, "charge": o.charge}
                   for o in Order.objects.order_by("pk")],
        "charges": LEDGER,
        "bobs_address": Customer.objects.get(pk=2).address,
    })


main()
