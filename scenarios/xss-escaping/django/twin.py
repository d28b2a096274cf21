"""xss-escaping in Django 5.2: a comment page whose template prints what visitors typed.

Stores the lab's six comments (its `comments` observation: two visitors', four of an
attacker's) through a JSON view into a SQLite table, fetches the page through Django's
test Client, and renders it with a Django template: `broken` marks every value `|safe`
(which prints it raw, as the lab's `format!` does) and puts `json.dumps` into the script
element as it is; `fixed` is `{{ comment.body }}` with the attribute value quoted and
`{{ comments|json_script:"comment-data" }}`. The page is parsed with Python's
`html.parser` and judged the way the lab's browser model (`src/browser.rs`) judges it:
the start tags the template does not write, the `on*` attributes, the comments that read
back as typed, and whether the JSON block parses to the stored comments.
"""

import json
import sys
from collections import Counter
from html.parser import HTMLParser

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=[],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
)
django.setup()

from django.db import connection, models  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402


class Comment(models.Model):
    author = models.TextField()
    body = models.TextField()

    class Meta:
        app_label = "blog"


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Comments</title>
</head>
<body>
<h1>Comments</h1>
<ol class="comments">
{% for comment in comments %}
ITEM
{% endfor %}
</ol>
DATA
</body>
</html>
"""

TEMPLATES = {
    # Marked safe: Django prints the values exactly as typed.
    "broken": PAGE.replace("ITEM", """<li class="comment" data-author={{ comment.author|safe }}>
<cite>{{ comment.author|safe }}</cite>
<p class="body">{{ comment.body|safe }}</p>
</li>""").replace(
        "DATA", '<script id="comment-data" type="application/json">{{ data|safe }}</script>'),
    # Auto-escaped, the attribute value quoted, the JSON through json_script.
    "fixed": PAGE.replace("ITEM", """<li class="comment" data-author="{{ comment.author }}">
<cite>{{ comment.author }}</cite>
<p class="body">{{ comment.body }}</p>
</li>""").replace("DATA", '{{ comments|json_script:"comment-data" }}'),
}

VARIANT = {"name": "broken"}


def comment_page(request):
    if request.method == "POST":
        posted = json.loads(request.body)
        comment = Comment.objects.create(author=posted["author"], body=posted["body"])
        return HttpResponse(str(comment.id), status=201)
    comments = list(Comment.objects.order_by("id").values("id", "author", "body"))
    template = engines["django"].from_string(TEMPLATES[VARIANT["name"]])
    return HttpResponse(template.render({"comments": comments, "data": json.dumps(comments)}))


urlpatterns = [path("comments", comment_page)]

# What the template writes (`src/model.rs`): once per page, and once per comment.
PAGE_ELEMENTS = [("html", ["lang"]), ("head", []), ("meta", ["charset"]), ("title", []),
                 ("body", []), ("h1", []), ("ol", ["class"]), ("script", ["id", "type"])]
COMMENT_ELEMENTS = [("li", ["class", "data-author"]), ("cite", []), ("p", ["class"])]


def shape(tag, names):
    return f"{tag}[{','.join(sorted(names))}]"


class Browser(HTMLParser):
    """Start tags in order, each comment's data-author, cite text and body text (nested
    elements' text included), and the data block's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.shown = []
        self.collecting = None
        self.block = None

    def handle_starttag(self, tag, attrs):
        attrs = sorted((name, value or "") for name, value in attrs)
        self.tags.append((tag, attrs))
        names = dict(attrs)
        if tag == "li" and "comment" in names.get("class", "").split():
            self.shown.append({"data_author": names.get("data-author"), "cite": None,
                               "body": None})
        elif self.shown and self.collecting is None and (
                tag == "cite" or (tag == "p" and names.get("class") == "body")):
            key = "cite" if tag == "cite" else "body"
            if self.shown[-1][key] is None:
                self.shown[-1][key] = ""
                self.collecting = (tag, key)
        elif tag == "script" and names.get("id") == "comment-data" and self.block is None:
            self.block = ""
            self.collecting = ("script", "block")

    def handle_endtag(self, tag):
        if self.collecting and self.collecting[0] == tag:
            self.collecting = None

    def handle_data(self, data):
        if self.collecting is None:
            return
        if self.collecting[1] == "block":
            self.block += data
        else:
            self.shown[-1][self.collecting[1]] += data


def judge(html, comments):
    browser = Browser()
    browser.feed(html)
    browser.close()
    expected = Counter({shape(t, a): 1 for t, a in PAGE_ELEMENTS})
    for tag, attrs in COMMENT_ELEMENTS:
        expected[shape(tag, attrs)] += len(comments)
    injected, handlers = [], []
    for tag, attrs in browser.tags:
        key = shape(tag, [name for name, _ in attrs])
        if expected[key] > 0:
            expected[key] -= 1
        else:
            text = "".join(f' {n}="{v.replace(chr(34), "&quot;")}"' for n, v in attrs)
            injected.append(f"<{tag}{text}>")
        handlers += [f"{tag} {n}={json.dumps(v)}" for n, v in attrs if n.startswith("on")]
    as_typed = sum(
        shown == {"data_author": c["author"], "cite": c["author"], "body": c["body"]}
        for c, shown in zip(comments, browser.shown))
    try:
        block = json.loads(browser.block) == comments
    except (TypeError, ValueError):
        block = False
    return {"injected": injected, "event_handlers": handlers,
            "comments_shown_as_typed": as_typed, "json_block_matches": block}


def facts(name, comments):
    VARIANT["name"] = name
    Comment.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'blog_comment'")
    client = Client()
    for c in comments:
        answer = client.post("/comments", json.dumps({"author": c["author"], "body": c["body"]}),
                             content_type="application/json")
        assert answer.status_code == 201 and int(answer.content) == c["id"], answer.content
    page = client.get("/comments")
    assert page.status_code == 200, page.status_code
    return judge(page.content.decode(), comments)


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        editor.create_model(Comment)
    variants = {}
    for variant in lab["variants"]:
        if "observations" in variant:
            variants[variant["name"]] = facts(variant["name"],
                                              variant["observations"]["comments"])
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
