"""The school's retention periods (AVG-3), for the functional admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from schools.views.common import staff_required

from ..models import RetentionRun
from ..models.retention import default_retention_years, retention_kinds
from ..services.retention import retention_years, set_retention_period


@staff_required
def retention_settings(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dossier.manage_retention", request.school):
        raise Http404
    current = retention_years(request.school)
    errors: dict[str, str] = {}
    values = {kind: str(years) for kind, years in current.items()}
    if request.method == "POST":
        values = {
            kind: request.POST.get(kind, str(current[kind])).strip() for kind, _label in retention_kinds()
        }
        for kind, raw in values.items():
            if raw == str(current[kind]):
                continue
            try:
                set_retention_period(actor=request.user, school=request.school, kind=kind, years=int(raw))
            except (ValueError, ValidationError):
                errors[kind] = _("Vul een aantal jaren van 1 tot 20 in.")
        if not errors:
            messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            return redirect("retention_settings")
    rows = [
        {
            "kind": kind,
            "label": label,
            "value": values[kind],
            "default": default_retention_years(kind),
            "error": errors.get(kind),
        }
        for kind, label in retention_kinds()
    ]
    runs = RetentionRun.objects.filter(school=request.school)[:10]
    return render(
        request,
        "dossier/retention_settings.html",
        {"rows": rows, "runs": runs},
        status=422 if errors else 200,
    )


urlpatterns = [path("bewaartermijnen/", retention_settings, name="retention_settings")]
