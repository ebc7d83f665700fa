"""The text check while typing (AVG-4, LB-8, LB-9): one HTMX partial for every text that lands in a file."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from schools.models import Student
from schools.views.common import get_permitted, staff_required

from .text_checks import KINDS, check_text, school_names, warnings_shown

FIELD_NAME = re.compile(r"^[a-z_]{1,30}$")
MAX_FIELDS = 8  # one form's text fields (the meeting screen has six, LB-8); bounded against abuse
MAX_CHECKED = 20_000  # characters per field; a longer text is checked in its first part


def checked_fields(value: str) -> list[str]:
    return [f for f in value.split(",") if FIELD_NAME.match(f)][:MAX_FIELDS]


@require_POST
@staff_required
def text_check(request: HttpRequest) -> HttpResponse:
    """Findings for the fields named in `velden`, about student `leerling` (whose own names are fine).

    Staff of the active school only; another school's student is a 404 (recorded). The partial
    carries the hidden input that tells the save whether a warning was shown.
    """
    student = None
    if request.GET.get("leerling"):
        pk = request.GET["leerling"]
        if not pk.isdigit() or len(pk) > 18:
            pk = "0"
        student = get_permitted(
            request, Student.objects.all(), int(pk), "schools.view_student", action="dossier.view_denied"
        )
    fields = checked_fields(request.GET.get("velden", ""))
    cache = request.__dict__.setdefault("_text_check_cache", {})
    names = school_names(request.school.pk, exclude=[student] if student else [], cache=cache)
    findings = []
    for field in fields:
        # The label and goal lists are the defaults until the school's ProtocolVersion holds its own
        # (issue: protocols as configuration); they are parameters of check_text for that reason.
        for finding in check_text(request.POST.get(field, "")[:MAX_CHECKED], names=names):
            findings.append({"field": field, "finding": finding})
    shown = sorted(set(warnings_shown(request.POST)) | {item["finding"].kind for item in findings})
    return render(
        request,
        "protocols/text_check.html#findings",
        {"findings": findings, "shown": [k for k in KINDS if k in shown], "checked": True},
    )


urlpatterns = [path("tekstcontrole/", text_check, name="text_check")]
