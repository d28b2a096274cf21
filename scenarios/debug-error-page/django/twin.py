"""debug-error-page in Django 5.2: a view that raises, with production's settings.

Configures Django with the lab's settings (its `seed` observation: the same names and
values, secrets included), serves a view that divides by zero, and requests it with the
test Client (`raise_request_exception=False`, the lab's Cookie and Authorization
headers, Host app.example.com). `broken` runs with the seed's `DEBUG = True`: Django
answers with its technical 500 page, cleansed by `SafeExceptionReporterFilter` (names
only). `fixed` runs with `DEBUG = False`, so Django answers with `handler500`'s generic
page and mails the technical report to ADMINS through `AdminEmailHandler`, cleansed by
a `DEFAULT_EXCEPTION_REPORTER_FILTER` that also masks secret-looking values (the lab's
rule, written again below). The log is what `django.request` logged plus every mail
sent. Prints the status and which secrets the body and the log reveal, and, not compared
with the lab, the same for `DEBUG = False` with Django's default filter
(`django_default_filter_mail`): the mail to ADMINS then carries what the debug page
showed.
"""

import json
import logging
import os
import re
import sys

import django
from django.conf import settings

lab = json.load(sys.stdin)
variant = os.environ.get("LAB_TWIN_VARIANT")
if variant is None:
    # One process per variant: DEBUG is read when Django is configured.
    import subprocess

    facts = {}
    ran = [v["name"] for v in lab["variants"] if "observations" in v]
    # Not compared with the lab: DEBUG = False with Django's default filter, to show what
    # the report mailed to ADMINS carries when values are not masked.
    for name in ran + ["django_default_filter_mail"]:
        child = subprocess.run([sys.executable, sys.argv[0]], input=json.dumps(lab), text=True,
                               capture_output=True, env={**os.environ, "LAB_TWIN_VARIANT": name})
        if child.returncode != 0:
            sys.exit(f"{name}:\n{child.stderr.strip()}")
        facts[name] = json.loads(child.stdout)
    json.dump({"scenario": lab["id"], "variants": facts}, sys.stdout, indent=2)
    sys.exit(0)

seed = next(v for v in lab["variants"] if "observations" in v)["observations"]["seed"]
production = dict(seed["settings"])
if variant != "broken":
    production["DEBUG"] = False  # Django's fix: the generic page and a mail to ADMINS.
settings.configure(
    **production,
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    ADMINS=[("Ops", "ops@example.com")],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    DEFAULT_EXCEPTION_REPORTER_FILTER=(
        "__main__.ValueMaskingFilter" if variant == "fixed"
        else "django.views.debug.SafeExceptionReporterFilter"),
)
django.setup()

from django.core import mail  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.debug import SafeExceptionReporterFilter  # noqa: E402

SUBSTITUTE = SafeExceptionReporterFilter.cleansed_substitute
URL_USERINFO = re.compile(r"(://)[^/?#\s]*@")
TOKEN = re.compile(r"[A-Za-z0-9_+/=-]{20,}")


def mask_secret_looking(text):
    """The lab's value rule: URL user information, then long tokens mixing letters and
    digits."""
    text = URL_USERINFO.sub(lambda m: m.group(1) + SUBSTITUTE + "@", text)
    return TOKEN.sub(
        lambda m: SUBSTITUTE if re.search("[A-Za-z]", m.group()) and re.search("[0-9]", m.group())
        else m.group(), text)


class ValueMaskingFilter(SafeExceptionReporterFilter):
    """Django's name rule, then the value rule on every string it leaves (the recursion
    into dicts and lists calls this method again)."""

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        return mask_secret_looking(cleansed) if isinstance(cleansed, str) else cleansed


def monthly_report(request):
    orders = []
    return sum(orders) / len(orders)  # ZeroDivisionError: division by zero


urlpatterns = [path("reports/monthly", monthly_report)]


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        self.records.append(self.format(record))


def reveals(text, value):
    escaped = (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&quot;").replace("'", "&#x27;"))
    return value in text or escaped in text


def main():
    capture = Capture()
    logging.getLogger("django.request").addHandler(capture)
    client = Client(raise_request_exception=False)
    headers = {name: value for name, value in seed["request_headers"]}
    response = client.get("/reports/monthly", headers=headers, HTTP_HOST=seed["host"])
    body = response.content.decode()
    log = "\n".join(capture.records + [m.subject + "\n" + m.body for m in getattr(mail, "outbox", [])])
    secrets = seed["secrets"]
    json.dump({
        "status": response.status_code,
        "secrets_in_body": [s["name"] for s in secrets if reveals(body, s["value"])],
        "secrets_in_log": [s["name"] for s in secrets if reveals(log, s["value"])],
        "mails": len(getattr(mail, "outbox", [])),
    }, sys.stdout)


main()
