"""csrf-forgery in Django 5.2: the same bank, the same victim, the same forged form.

Each variant the lab ran runs in a process of its own (labtwin.one_variant) with Django's
SessionMiddleware and CsrfViewMiddleware in front of a transfer view over a SQLite
`bank_account` table seeded as the lab seeds it. The victim's browser is Django's test
Client with `enforce_csrf_checks=True` on host bank.test: it logs in, loads the transfer
form twice, submits it, then submits the attacker's form (read from the same HTML the
lab's attacker serves) with `Origin: http://attacker.test`. Cookies go along by the lab's
rule (Chrome and Firefox): a Lax or Strict cookie stays off a cross-site POST.

- broken: the view is `@csrf_exempt`, the form has no `{% csrf_token %}`, and
  SESSION_COOKIE_SAMESITE = None (no attribute), so nothing stands in the way;
- fixed_masked_secret: CsrfViewMiddleware and `{% csrf_token %}`; the browser's Origin header
  meets the middleware's Origin check first, so the same POST is also sent without an
  Origin header to see the token check refuse it on its own;
- fixed_origin_match: Django has no Origin-only setting, so the view is `@csrf_exempt` and
  calls the Origin half of CsrfViewMiddleware itself (`_origin_verified`, which compares
  Origin with the request's scheme and host and CSRF_TRUSTED_ORIGINS); no Origin: 403;
- fixed_lax_cookie: `@csrf_exempt` as in broken, SESSION_COOKIE_SAMESITE = "Lax".
Prints the lab's four facts per variant.
"""

import sys
from html.parser import HTMLParser
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "crates/lab-kit/django"))

import labtwin  # noqa: E402

LAB, VARIANT = labtwin.one_variant()
NAME = VARIANT["name"]
EXEMPT = NAME in ("broken", "fixed_lax_cookie", "fixed_origin_match")
TOKEN_IN_FORM = NAME == "fixed_masked_secret"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["bank.test"],
    SECRET_KEY="lab-twin",
    SESSION_ENGINE="django.contrib.sessions.backends.cache",
    SESSION_COOKIE_SAMESITE="Lax" if NAME == "fixed_lax_cookie" else None,
    CSRF_COOKIE_SAMESITE="Lax" if NAME == "fixed_lax_cookie" else None,
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    CSRF_FAILURE_VIEW=f"{__name__}.csrf_failure",
)
django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

SEED = [("alice", 1000), ("bob", 0), ("mallory", 0)]
OWN, FORGED = ("bob", 100), ("mallory", 500)
# What the lab's attacker.test serves (src/attacker.rs).
ATTACKER_PAGE = """<!doctype html>
<html><head><title>You won a prize!</title></head>
<body onload="document.forms[0].submit()">
<h1>Claiming your prize...</h1>
<form action="http://bank.test/transfer" method="post">
  <input type="hidden" name="to" value="mallory">
  <input type="hidden" name="amount" value="500">
</form>
</body></html>
"""


class Account(models.Model):
    owner = models.TextField(primary_key=True)
    balance = models.IntegerField()

    class Meta:
        app_label = "bank"
        db_table = "bank_account"


FORM = engines["django"].from_string(
    "<h1>Send money from {{ owner }}'s account</h1>"
    '<form action="/transfer" method="post">'
    + ("{% csrf_token %}" if TOKEN_IN_FORM else "")
    + '<input name="to"> <input name="amount"> <button>Send</button></form>'
)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the 403 with the middleware's reason in plain text."""
    return HttpResponse(f"CSRF verification failed: {reason}", status=403)


@csrf_exempt  # the lab's login goes through no defence either
def login(request):
    request.session["owner"] = request.POST["username"]
    return HttpResponse(f"logged in as {request.POST['username']}")


def transfer(request):
    owner = request.session.get("owner")
    if owner is None:
        return HttpResponse("log in first", status=401)
    if request.method == "GET":
        return HttpResponse(FORM.render({"owner": owner}, request))
    if NAME == "fixed_origin_match":
        origin = request.META.get("HTTP_ORIGIN")
        if origin is None or not CsrfViewMiddleware(transfer)._origin_verified(request):
            return csrf_failure(request, f"Origin checking failed - {origin} does not match "
                                         "any trusted origins.")
    to, amount = request.POST["to"], int(request.POST["amount"])
    with transaction.atomic():
        Account.objects.filter(owner=owner).update(balance=F("balance") - amount)
        Account.objects.filter(owner=to).update(balance=F("balance") + amount)
    return HttpResponse(f"sent {amount} from {owner} to {to}")


urlpatterns = [
    path("login", login),
    path("transfer", csrf_exempt(transfer) if EXEMPT else transfer),
]


class FirstForm(HTMLParser):
    """The first form's action and named inputs, as an HTML parser reads them."""

    def __init__(self, html):
        super().__init__()
        self.action, self.fields, self.done = None, {}, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
        elif tag == "input" and self.action is not None and not self.done and "name" in attrs:
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        self.done |= tag == "form"


def balances():
    return {a.owner: a.balance for a in Account.objects.order_by("owner")}


def cross_site_cookies(client):
    """The cookies a browser keeps for a cross-site POST: Lax and Strict ones stay home."""
    return {name: m.value for name, m in client.cookies.items()
            if (m["samesite"] or "").lower() not in ("lax", "strict")}


def main():
    with connection.schema_editor() as editor:
        editor.create_model(Account)
    Account.objects.bulk_create(Account(owner=o, balance=b) for o, b in SEED)
    before = balances()
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="bank.test")
    browser.post("/login", {"username": "alice"}, HTTP_ORIGIN="http://bank.test")

    pages = [browser.get("/transfer").content.decode() for _ in range(2)]
    tokens = [FirstForm(p).fields["csrfmiddlewaretoken"] for p in pages
              if "csrfmiddlewaretoken" in FirstForm(p).fields]
    own = FirstForm(pages[0]).fields | {"to": OWN[0], "amount": str(OWN[1])}
    own_response = browser.post("/transfer", own, HTTP_ORIGIN="http://bank.test",
                                HTTP_REFERER="http://bank.test/transfer")
    after_own = balances()

    forged = FirstForm(ATTACKER_PAGE)
    assert forged.action == "http://bank.test/transfer", forged.action
    sent = cross_site_cookies(browser)
    attacker = Client(enforce_csrf_checks=True, HTTP_HOST="bank.test")
    for name, value in sent.items():
        attacker.cookies[name] = value
    headers = {"HTTP_ORIGIN": "http://attacker.test", "HTTP_REFERER": "http://attacker.test/"}
    forged_response = attacker.post("/transfer", forged.fields, **headers)
    after = balances()
    if NAME == "fixed_masked_secret":
        # Without the Origin header, CsrfViewMiddleware still refuses: no token.
        bare = attacker.post("/transfer", forged.fields)
        assert bare.status_code == 403 and b"CSRF token missing" in bare.content, bare.content
        assert balances() == after

    secret = browser.cookies["csrftoken"].value if "csrftoken" in browser.cookies else None
    labtwin.report({
        "own_transfer": {"status": own_response.status_code, "money_moved": after_own != before},
        "forged_transfer": {
            "status": forged_response.status_code,
            "session_cookie_sent": "sessionid" in sent,
            "origin": "http://attacker.test",
            "money_moved": after != after_own,
        },
        "balances": {"before": before, "after_own": after_own, "after_forged": after},
        "form_tokens": {
            "lengths": [len(t) for t in tokens],
            "distinct": len(tokens) == 2 and tokens[0] != tokens[1],
            "unmask_to_session_secret": bool(tokens) and all(
                _unmask_cipher_token(t) == secret for t in tokens),
        },
    })


main()
