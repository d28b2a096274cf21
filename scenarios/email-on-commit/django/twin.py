"""email-on-commit in Django 5.2: ann and bob sign up, and a post_save receiver welcomes them.

Each variant the lab ran runs in a process of its own (labtwin.one_variant) on a fresh
SQLite file with "timeout": 0. The mail goes through an email backend that posts it to a
stand-in for the provider: an HTTP server on 127.0.0.1 (labtwin.held) that records each
message, holds its answer until the lab's schedule releases it, and delivers the oldest
message by looking its user up through a Django connection of its own. Each sign-up is a
request through Django's test Client on a worker thread of its own, in the order of the
lab's `permutation` (its `sign_ups` are the forms). First the test trap: the same sign-up
of ann inside a real TestCase, once plain and once with captureOnCommitCallbacks(execute=True),
with Django's test email backend. Prints the responses, the users, the messages and what
their deliveries found, the steps that waited, and what the two tests saw.
"""

import atexit
import io
import json
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402
from labtwin import held  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
FOLDER = tempfile.mkdtemp(prefix="lab-twin-")
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                           "NAME": f"{FOLDER}/db.sqlite3", "OPTIONS": {"timeout": 0}}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    EMAIL_BACKEND=f"{__name__}.ProviderBackend",
)
django.setup()

from django.core import mail  # noqa: E402
from django.core.mail import EmailMessage  # noqa: E402
from django.core.mail.backends.base import BaseEmailBackend  # noqa: E402
from django.db import IntegrityError, connection, models, transaction  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import path  # noqa: E402


class User(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "accounts"


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    handle = models.CharField(max_length=30, unique=True)

    class Meta:
        app_label = "accounts"


GATES, INBOX, PROVIDER = held.Gates(), [], {}


def provider(method, path, body):
    """The provider's API: records the message, answers 202 once the schedule lets it."""
    message = json.loads(body)
    INBOX.append({"to": message["to"], "user": message["user"], "found_on_delivery": None})
    GATES.answered(GATES.hold("provider", f"{method} {path}"), "202 Accepted")
    return 202, json.dumps({"id": len(INBOX)})


class ProviderBackend(BaseEmailBackend):
    """An email backend for an HTTP mail API (what Anymail and friends do)."""

    def send_messages(self, messages):
        for message in messages:
            body = {"to": message.to[0], "subject": message.subject, "body": message.body,
                    "user": int(message.extra_headers["X-User"])}
            status, answer = held.post(PROVIDER["url"], json.dumps(body))
            if status != 202:
                raise OSError(f"the mail provider answered {status} {answer}")
        return len(messages)


def send_welcome(user):
    EmailMessage(f"Welcome, {user.name}", f"Confirm your address: /confirm/{user.pk}",
                 to=[user.email], headers={"X-User": str(user.pk)}).send()


def welcome_now(sender, instance, created, **kwargs):
    """broken: the mail leaves inside whatever transaction saved the user."""
    if created:
        send_welcome(instance)


def welcome_on_commit(sender, instance, created, **kwargs):
    """fixed: the mail leaves once the transaction commits (at once in autocommit)."""
    if created:
        transaction.on_commit(lambda: send_welcome(instance))


post_save.connect({"broken": welcome_now, "fixed": welcome_on_commit}[NAME], sender=User)


def sign_up(request):
    form = json.loads(request.body)
    try:
        with transaction.atomic():
            user = User.objects.create(email=form["email"], name=form["name"])
            Profile.objects.create(user=user, handle=form["handle"])
    except IntegrityError:
        return JsonResponse({"error": "taken"}, status=409)
    return JsonResponse({"id": user.pk}, status=201)


urlpatterns = [path("sign-up", sign_up)]
FORMS = {s["session"]: s["form"] for s in VARIANT["observations"]["sign_ups"]}
SEEN = {}


class WelcomeTests(TestCase):
    """The test trap: every test runs in a transaction that is rolled back, never committed."""

    def sign_up_ann(self):
        self.client.post("/sign-up", FORMS["s1"], content_type="application/json")

    def test_a_plain_test(self):
        self.sign_up_ann()
        SEEN["mails_in_the_test"] = len(mail.outbox)

    def test_with_the_callbacks_captured(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            self.sign_up_ann()
        SEEN["callbacks_captured"] = len(callbacks)
        SEEN["mails_with_callbacks_run"] = len(mail.outbox)


def in_a_test_case():
    setup_test_environment()  # Django's test email backend: mail.outbox
    tests = unittest.defaultTestLoader.loadTestsFromTestCase(WelcomeTests)
    result = unittest.TextTestRunner(stream=io.StringIO()).run(tests)
    teardown_test_environment()
    if not result.wasSuccessful():
        sys.exit(f"the TestCase failed: {result.errors or result.failures}")
    return dict(SEEN)


def request(form):
    """One sign-up through the test Client, on the worker's own connection."""
    def run():
        try:
            return Client().post("/sign-up", form, content_type="application/json").status_code
        finally:
            connection.close()
    return run


def deliver():
    """The provider delivers its oldest undelivered message: is its user there?"""
    waiting = [m for m in INBOX if m["found_on_delivery"] is None]
    if waiting:
        waiting[0]["found_on_delivery"] = User.objects.filter(pk=waiting[0]["user"]).exists()


def main():
    with connection.schema_editor() as editor:
        editor.create_model(User)
        editor.create_model(Profile)
    # The seed, as the lab's SQL writes it: no post_save, no welcome.
    User.objects.bulk_create([User(pk=1, email="carol@example.com", name="Carol")])
    Profile.objects.bulk_create([Profile(pk=1, user_id=1, handle="carol")])
    test_case = in_a_test_case()
    INBOX.clear()
    server = held.Server(provider)
    PROVIDER["url"] = server.url("/messages")
    workers = [held.Worker(s, GATES, {f"{s}_sign_up": request(form)}) for s, form in FORMS.items()]
    answers = held.Service("provider", GATES, ["provider_answer"])
    # Lambdas: `connection` is a different connection on the session's own thread.
    delivery = labtwin.Session("provider", {"provider_deliver": deliver},
                               setup=lambda: connection.ensure_connection(),
                               teardown=lambda: connection.close())
    waited = labtwin.run([*workers, answers, delivery], VARIANT["observations"]["permutation"])
    delivery.close()
    server.close()
    labtwin.report({
        "responses": {FORMS[w.name]["email"]: w.answers[f"{w.name}_sign_up"] for w in workers},
        "users": list(User.objects.order_by("pk").values_list("email", flat=True)),
        "messages": [{"to": m["to"], "found_on_delivery": m["found_on_delivery"]} for m in INBOX],
        "steps_that_waited": waited,
        "test_case": test_case,
    })


main()
