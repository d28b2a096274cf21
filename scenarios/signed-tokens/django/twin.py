"""signed-tokens in Django 5.2: the newsletter's links, minted and read by Django itself.

`scripts/django-twin signed-tokens` feeds this file the lab's `lab run signed-tokens --json`
on stdin; each variant runs in a process of its own (labtwin.one_variant) on a fresh
in-memory SQLite database, with the lab's SECRET_KEY. The views are Django views behind
ROOT_URLCONF, called through Django's test Client in the lab's order: mallory signs up and
confirms, erin signs up, the newsletter goes out, then mallory writes ann's id into her own
unsubscribe link, takes the "undo" link of a sign-up she makes for carol to /confirm/, and
three days later (time.time patched in django.core.signing) erin's two-day confirmation
link is clicked and bob leaves with his newsletter link.

broken: the token is `urlsafe_base64_encode` of the JSON payload and is read back with
`urlsafe_base64_decode`. fixed: `signing.dumps(value, salt=purpose)` and
`signing.loads(token, salt=purpose, max_age=...)`, catching SignatureExpired and
BadSignature. Prints the links, what the payload decodes to, each attack's status and
exception, the legitimate links' statuses and the table.
"""

import json
import sys
from pathlib import Path
from unittest import mock

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    SECRET_KEY="lab-secret-key-never-shown-to-subscribers",
)
django.setup()

from django.core import signing  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode  # noqa: E402

UNSUBSCRIBE, CONFIRM = "newsletter.unsubscribe", "newsletter.confirm"
DAY = 24 * 60 * 60
MAX_AGE = {UNSUBSCRIBE: 60 * DAY, CONFIRM: 2 * DAY}
START = 1_736_154_000  # the lab's clock start, 2025-01-06 09:00:00 UTC
CLOCK = {"now": START}
OUTBOX = []


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    confirmed = models.BooleanField()
    subscribed = models.BooleanField()

    class Meta:
        app_label = "newsletter"


def broken_dumps(value, salt):
    """The id in base64: what `urlsafe_base64_encode` gives, no signature."""
    return urlsafe_base64_encode(json.dumps(value, separators=(",", ":")).encode())


def broken_loads(token, salt, max_age):
    try:
        return json.loads(urlsafe_base64_decode(token))
    except ValueError as e:
        raise signing.BadSignature(str(e)) from e


def fixed_dumps(value, salt):
    return signing.dumps(value, salt=salt)


def fixed_loads(token, salt, max_age):
    return signing.loads(token, salt=salt, max_age=max_age)


DUMPS, LOADS = {"broken": (broken_dumps, broken_loads), "fixed": (fixed_dumps, fixed_loads)}[NAME]


def link(view, salt, pk):
    return f"/{view}/{DUMPS({'id': pk}, salt)}"


def subscribe(request):
    sub = Subscriber.objects.create(email=request.body.decode(), confirmed=False, subscribed=True)
    OUTBOX.append((sub.email, link("confirm", CONFIRM, sub.pk)))
    return HttpResponse(link("unsubscribe", UNSUBSCRIBE, sub.pk), status=201)


def act(salt, **change):
    def view(request, token):
        try:
            pk = LOADS(token, salt, MAX_AGE[salt])["id"]
        except signing.SignatureExpired as e:
            return HttpResponse(f"expired: {e}", status=400)
        except signing.BadSignature as e:
            return HttpResponse(f"bad signature: {e}", status=400)
        updated = Subscriber.objects.filter(pk=pk).update(**change)
        return HttpResponse(status=200 if updated else 404)
    return view


def newsletter(request):
    readers = Subscriber.objects.filter(confirmed=True, subscribed=True).order_by("pk")
    for sub in readers:
        OUTBOX.append((sub.email, link("unsubscribe", UNSUBSCRIBE, sub.pk)))
    return HttpResponse(status=200)


urlpatterns = [
    path("subscribe", subscribe),
    path("confirm/<str:token>", act(CONFIRM, confirmed=True)),
    path("unsubscribe/<str:token>", act(UNSUBSCRIBE, subscribed=False)),
    path("newsletter", newsletter),
]


def inbox(email):
    return [url for to, url in OUTBOX if to == email][-1]


def refused_as(response):
    body = response.content.decode()
    if response.status_code != 400:
        return None
    return "expired" if body.startswith("expired") else "bad signature"


def row(email):
    return Subscriber.objects.get(email=email)


def main():
    with connection.schema_editor() as editor:
        editor.create_model(Subscriber)
    for email in ["ann@example.com", "bob@example.com"]:
        Subscriber.objects.create(email=email, confirmed=True, subscribed=True)
    client = Client()
    post = lambda url, body="": client.post(url, body, content_type="text/plain")  # noqa: E731
    with mock.patch("django.core.signing.time.time", lambda: CLOCK["now"]):
        post("/subscribe", "mallory@example.com")
        own_confirm = client.get(inbox("mallory@example.com"))
        post("/subscribe", "erin@example.com")
        post("/newsletter")

        mallory_link = inbox("mallory@example.com")
        payload, _, rest = mallory_link.removeprefix("/unsubscribe/").partition(":")
        readable = signing.b64_decode(payload.encode()).decode()
        forged = signing.b64_encode(readable.replace('"id":3', '"id":1').encode()).decode()
        tampered = client.get(f"/unsubscribe/{forged}" + (f":{rest}" if rest else ""))
        ann_left = not row("ann@example.com").subscribed

        undo = post("/subscribe", "carol@example.com").content.decode()
        other_purpose = client.get(undo.replace("/unsubscribe/", "/confirm/", 1))
        carol_confirmed = row("carol@example.com").confirmed

        CLOCK["now"] += 3 * DAY
        expired = client.get(inbox("erin@example.com"))
        erin_confirmed = row("erin@example.com").confirmed
        own_unsubscribe = client.get(inbox("bob@example.com"))

    attacks = {name: {"status": r.status_code, "refused_as": refused_as(r),
                      "victim_row_changed": changed}
               for name, r, changed in [("tampered_id", tampered, ann_left),
                                        ("other_purpose", other_purpose, carol_confirmed),
                                        ("expired", expired, erin_confirmed)]}
    labtwin.report({
        "mallory_link": mallory_link,
        "payload_readable": readable,
        "attacks": attacks,
        "legit_links": {"own_confirm": own_confirm.status_code,
                        "own_unsubscribe_after_3_days": own_unsubscribe.status_code},
        "subscribers": [{"email": s.email, "confirmed": s.confirmed, "subscribed": s.subscribed}
                        for s in Subscriber.objects.order_by("pk")],
    })


main()
