"""Hostile input, refused in one place: text with control characters or bidi overrides, and numbers
outside their range.

- `check_text` / `TextValidator`: no control characters (a NUL byte is refused by PostgreSQL; the
  others hide text) and no bidi embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069:
  they make text read differently from how it is stored). Tabs and line breaks only in multi-line
  fields. The invisible direction marks U+200E/U+200F change nothing a reader sees and are
  removed (`strip_marks`).
- `SafeFormMixin` applies both to every text field of a form, default bounds to every integer
  field without its own and a year range (1900–2100) to every date field; every form of ours uses it (`tests/test_hostile_input.py` checks that).
- `bounded_int` / `query_int`: a number from a query string or a form, or a clear error.
- `HostileInputMiddleware`: the backstop for what no form reads (hand-read POST fields, Django's own
  forms, the admin, API query strings): a request with a control character in any query-string or
  form field gets a Dutch 400 page before a view runs.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls without tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
LINE_BREAK_RE = re.compile("[\t\n\r]")
BIDI_RE = re.compile(f"[{_BIDI}]")
MARKS_RE = re.compile("[\u200e\u200f]")

CONTROL_MESSAGE = _(
    "Dit veld bevat onzichtbare stuurtekens (bijvoorbeeld uit gekopieerde tekst). "
    "Typ de tekst opnieuw of plak hem zonder opmaak."
)
LINE_BREAK_MESSAGE = _("Dit veld is één regel: zonder tabs of regeleinden.")
BIDI_MESSAGE = _(
    "Dit veld bevat tekens die de leesrichting van de tekst omdraaien. "
    "Typ de tekst opnieuw of plak hem zonder opmaak."
)

# PostgreSQL's integer and bigint; numbers from outside are checked against these at the latest.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
ID_MAX = 2**63 - 1
# Dates a form accepts: wide enough for dates of birth, far from datetime's year 1 and 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def strip_marks(value: str) -> str:
    """Remove U+200E/U+200F (left-to-right and right-to-left marks): invisible, never needed here."""
    return MARKS_RE.sub("", value)


def check_text(value: str, *, multiline: bool = True) -> None:
    """Raise ValidationError (Dutch) if `value` holds control characters or bidi overrides."""
    if not isinstance(value, str) or not value:
        return
    if CONTROL_RE.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")
    if not multiline and LINE_BREAK_RE.search(value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")
    if BIDI_RE.search(value):
        raise ValidationError(BIDI_MESSAGE, code="bidi_override")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """The value without direction marks, or ValidationError: for text read outside a form."""
    value = strip_marks(value or "")
    check_text(value, multiline=multiline)
    return value


@deconstructible
class TextValidator:
    """A field validator wrapping `check_text`."""

    def __init__(self, multiline: bool = True):
        self.multiline = multiline

    def __call__(self, value) -> None:
        check_text(value, multiline=self.multiline)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline


def date_in_range(value) -> None:
    """A date a school can mean: year 9999 would overflow every 'next school year' computed from it."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Kies een datum tussen %(first)s en %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def guard_field(field: forms.Field) -> None:
    """Give one form field the checks: text fields the text check, integer fields default bounds."""
    if getattr(field, "_hostile_guarded", False):
        return
    field._hostile_guarded = True
    if isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(TextValidator(multiline=multiline))
        to_python = field.to_python
        field.to_python = lambda value: strip_marks(v) if isinstance(v := to_python(value), str) else v
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(date_in_range)
    elif isinstance(field, forms.IntegerField):
        if field.min_value is None:
            field.validators.append(MinValueValidator(INT_MIN))
        if field.max_value is None:
            field.validators.append(MaxValueValidator(INT_MAX))


class SafeFormMixin:
    """Every text field refuses control characters and bidi overrides; every integer field has
    bounds. Put it first in the bases of every form (ours and subclasses of Django's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            guard_field(field)


class SafeForm(SafeFormMixin, forms.Form):
    """The base of our plain forms."""


def bounded_int(value, *, minimum: int, maximum: int, message: str | None = None) -> int:
    """`value` as an int within [minimum, maximum], or ValidationError with a Dutch message."""
    text = str(value).strip() if value is not None else ""
    if not re.fullmatch(r"[+-]?[0-9]{1,20}", text):
        raise ValidationError(message or _("Vul een geheel getal in."), code="invalid")
    number = int(text)
    if not minimum <= number <= maximum:
        raise ValidationError(
            message or _("Vul een getal in tussen %(min)s en %(max)s."),
            code="out_of_range",
            params={"min": minimum, "max": maximum},
        )
    return number


def parse_id(value) -> int | None:
    """An object id from a form value ("12"), or None: ASCII digits only ("²".isdigit() is True,
    but int("²") fails), within PostgreSQL's bigint."""
    try:
        return bounded_int(value, minimum=1, maximum=ID_MAX)
    except ValidationError:
        return None


def query_int(
    request: HttpRequest, name: str, *, default: int, minimum: int, maximum: int, message: str | None = None
) -> int:
    """A number from the query string: `default` when absent or empty, else in range or ValidationError."""
    raw = request.GET.get(name, "")
    if raw.strip() == "":
        return default
    return bounded_int(raw, minimum=minimum, maximum=maximum, message=message)


def _fields(querydict) -> list[str]:
    return [item for key, values in querydict.lists() for item in (key, *values)]


class HostileInputMiddleware:
    """A control character in any query-string or form field: a Dutch 400 page, no view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = _fields(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            values += _fields(request.POST)
        if any(CONTROL_RE.search(v) for v in values if isinstance(v, str)):
            return HttpResponseBadRequest(
                render_to_string("hostile_input.html", {"message": CONTROL_MESSAGE}, request=request)
            )
        return self.get_response(request)
