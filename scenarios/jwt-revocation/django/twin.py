"""jwt-revocation in Django 5.2: a stateless signed bearer token against Django's own
sessions, replayed by an attacker after the user logs out and after a password change.

Django has no JWT; its stateless equivalent is a `signing.dumps` token checked with
`signing.loads(max_age=...)` - a signature and an age, no server state, as in the lab's
`broken` variant. Its own authentication is the opposite: a session row looked up on
every request, deleted by `logout()`, and tied to the password by
`get_session_auth_hash()` (an HMAC of the password hash, checked by `get_user()`), which
is what the lab's `fixed` variant rebuilds for tokens.

For each variant this runs the lab's story with Django's test client - ann logs in,
mallory copies her credential, ann logs out, mallory replays it; ann logs in again,
mallory copies that one, ann changes her password (through `update_session_auth_hash`,
as `PasswordChangeView` does), mallory replays it - and prints whether each replay was
accepted. It also checks the README's claim that has no lab observation: after a
password change, ann's other sessions (another device) are refused too, because their
stored hash no longer matches.
"""

import json
import sys

import django
from django.conf import settings

settings.configure(
    SECRET_KEY="lab-twin-secret",
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    ROOT_URLCONF=__name__,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ALLOWED_HOSTS=["testserver"],
    USE_TZ=True,
)
django.setup()

from django.contrib import auth  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

SALT = "api.token"
DAY = 24 * 60 * 60


def bearer_user(request):
    """The broken scheme: who a signed bearer token names, from the token alone."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        claims = signing.loads(header.removeprefix("Bearer "), salt=SALT, max_age=DAY)
    except signing.BadSignature:
        return None
    return User(pk=claims["sub"], username=claims["name"])


def who(request):
    user = bearer_user(request)
    if user is None and request.user.is_authenticated:
        user = request.user
    return user


@csrf_exempt
def login_view(request):
    name, _, password = request.body.decode().partition(":")
    user = auth.authenticate(request, username=name, password=password)
    if user is None:
        return HttpResponse("bad credentials", status=401)
    if request.GET.get("scheme") == "token":
        token = signing.dumps({"sub": user.pk, "name": user.username}, salt=SALT)
        return HttpResponse(token)
    auth.login(request, user)
    return HttpResponse("logged in")


def me(request):
    user = who(request)
    if user is None:
        return HttpResponse("not authenticated", status=401)
    return HttpResponse(user.username)


@csrf_exempt
def logout_view(request):
    if who(request) is None:
        return HttpResponse("not authenticated", status=401)
    auth.logout(request)
    return HttpResponse("logged out")


@csrf_exempt
def password_view(request):
    user = who(request)
    if user is None:
        return HttpResponse("not authenticated", status=401)
    user = User.objects.get(pk=user.pk)
    user.set_password(request.body.decode())
    user.save()
    if request.user.is_authenticated:
        auth.update_session_auth_hash(request, user)
    return HttpResponse("password changed")


urlpatterns = [
    path("login", login_view),
    path("me", me),
    path("logout", logout_view),
    path("password", password_view),
]


def outcome(response):
    return "accepted" if response.status_code == 200 else "rejected"


def story_with_tokens():
    """The broken variant: ann's bearer token, and mallory's copy of it."""
    ann = Client()
    token = ann.post("/login?scheme=token", "ann:correct horse", content_type="text/plain")
    bearer = {"Authorization": f"Bearer {token.content.decode()}"}
    mallory = Client()
    before = mallory.get("/me", headers=bearer)
    ann.post("/logout", headers=bearer)
    after_logout = mallory.get("/me", headers=bearer)
    token = ann.post("/login?scheme=token", "ann:correct horse", content_type="text/plain")
    bearer = {"Authorization": f"Bearer {token.content.decode()}"}
    ann.post("/password", "battery staple", content_type="text/plain", headers=bearer)
    after_password = mallory.get("/me", headers=bearer)
    return before, after_logout, after_password


def story_with_sessions():
    """The fixed variant: ann's session cookie, and mallory's copy of it."""
    ann = Client()
    ann.post("/login", "ann:correct horse", content_type="text/plain")
    mallory = Client()
    mallory.cookies["sessionid"] = ann.cookies["sessionid"].value
    before = mallory.get("/me")
    ann.post("/logout")
    after_logout = mallory.get("/me")
    ann.post("/login", "ann:correct horse", content_type="text/plain")
    mallory.cookies["sessionid"] = ann.cookies["sessionid"].value
    ann.post("/password", "battery staple", content_type="text/plain")
    after_password = mallory.get("/me")
    return before, after_logout, after_password


def check_claims():
    """Another session of ann's, untouched by her password change, is refused after it."""
    User.objects.all().delete()
    User.objects.create_user("ann", password="correct horse")
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post("/login", "ann:correct horse", content_type="text/plain")
    assert phone.get("/me").status_code == 200
    laptop.post("/password", "battery staple", content_type="text/plain")
    assert laptop.get("/me").status_code == 200, "update_session_auth_hash kept the laptop"
    assert phone.get("/me").status_code == 401, "the phone's session survived the change"


STORIES = {"broken": story_with_tokens, "fixed": story_with_sessions}


def main():
    lab = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    facts = {}
    for variant in lab["variants"]:
        if "observations" not in variant:
            continue
        User.objects.all().delete()
        User.objects.create_user("ann", password="correct horse")
        before, after_logout, after_password = STORIES[variant["name"]]()
        facts[variant["name"]] = {
            "replays": {
                "before_logout": outcome(before),
                "after_logout": outcome(after_logout),
                "after_password_change": outcome(after_password),
            }
        }
    check_claims()
    json.dump({"scenario": lab["id"], "variants": facts}, sys.stdout, indent=2)


main()
