"""The school's retention periods (AVG-3), for the functional admin.

The periods are the school's file protocol version (protocols: declared in
dossier/protocol_settings.py); a change here makes a new version, with its reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from dossier.models import RetentionRun
from dossier.models.retention import default_retention_years, retention_kinds
from dossier.services.retention import retention_years, set_retention_periods
from protocols.registry import FILE
from protocols.services import latest_version
from schools.cleaning import clean_text
from schools.views.common import staff_required


@staff_required
def retention_settings(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dossier.manage_retention", request.school):
        raise Http404
    current = retention_years(request.school)
    based_on = latest_version(request.school, FILE).number
    errors: dict[str, str] = {}
    general: list[str] = []
    values = {kind: str(years) for kind, years in current.items()}
    reason = ""
    if request.method == "POST":
        values = {
            kind: request.POST.get(kind, str(current[kind])).strip() for kind, _label in retention_kinds()
        }
        reason = request.POST.get("reden", "")
        if request.POST.get("versie", "").isdigit():
            based_on = int(request.POST["versie"])
        changed = {kind: raw for kind, raw in values.items() if raw != str(current[kind])}
        try:
            if not changed:  # nothing to save: no new version, no reason needed
                return redirect("retention_settings")
            set_retention_periods(
                actor=request.user,
                school=request.school,
                years=changed,
                reason=clean_text(reason),
                based_on=based_on,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, msgs in error.message_dict.items():
                    kind = key.removeprefix("retention_")
                    if kind in values:
                        errors[kind] = " ".join(msgs)
                    else:
                        general.extend(msgs)
            else:
                general.extend(error.messages)
        else:
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
        {"rows": rows, "runs": runs, "reason": reason, "general": general, "based_on": based_on},
        status=422 if errors or general else 200,
    )


urlpatterns = [path("bewaartermijnen/", retention_settings, name="retention_settings")]
