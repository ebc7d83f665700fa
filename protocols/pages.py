"""The protocol page for the director and the functional administrator (issue 9).

`/protocollen/`: the version in force per protocol. `/protocollen/<protocol>/`: its numbers, the
differences from the previous version and from the seed, the history, and the edit form (legal
bounds named by rule, a required reason, a stale-edit check that shows the input again).
`/protocollen/versies/<id>/`: one version.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.views.common import get_permitted, staff_required

from .forms import ProtocolVersionForm
from .models import ProtocolVersion
from .registry import BEHAVIOUR, FILE, MEASURES, PROTOCOLS, REVIEW, seed_values, settings_for
from .services import change_protocol, current_version, latest_version, previous_version

PERM = "protocols.manage_protocols"
SLUGS = {"gedrag": BEHAVIOUR, "leerlingbespreking": REVIEW, "maatregelen": MEASURES, "dossier": FILE}
SLUG_OF = {protocol: slug for slug, protocol in SLUGS.items()}


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm(PERM, request.school):
        raise Http404


def rows_for(version: ProtocolVersion, compare: ProtocolVersion | None) -> list[dict]:
    """One row per declared key: this version's value, the compared version's, the seed's, the rule."""
    rows = []
    for key, declared in settings_for(version.protocol).items():
        value = version.value(key)
        before = compare.value(key) if compare is not None else None
        rows.append(
            {
                "key": key,
                "label": declared.label,
                "help_text": declared.help_text,
                "rule": declared.bound_rule or declared.rule,
                "legal": bool(declared.bound_rule),
                "value": declared.display(value),
                "previous": declared.display(before) if compare is not None else None,
                "changed": compare is not None and before != value,
                "seed": declared.display(declared.default),
                "from_seed": value != seed_values(version.protocol)[key],
                "range": (declared.minimum, declared.maximum),
            }
        )
    return rows


@staff_required
def protocol_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    protocols = []
    for slug, protocol in SLUGS.items():
        version = current_version(request.school, protocol)
        protocols.append(
            {
                "slug": slug,
                "name": PROTOCOLS[protocol],
                "version": version,
                "count": len(settings_for(protocol)),
                "differs": sum(1 for row in rows_for(version, None) if row["from_seed"]),
            }
        )
    return render(request, "protocols/protocol_list.html", {"protocols": protocols})


@staff_required
def protocol_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request)
    if slug not in SLUGS:
        raise Http404
    protocol = SLUGS[slug]
    school = request.school
    latest = latest_version(school, protocol)
    status = 200
    if request.method == "POST":
        form = ProtocolVersionForm(request.POST, protocol=protocol)
        if form.is_valid():
            effective_on = form.cleaned_data["effective_on"]
            effective_from = None
            if effective_on and effective_on > timezone.localdate():
                effective_from = timezone.make_aware(datetime.datetime.combine(effective_on, datetime.time()))
            try:
                version = change_protocol(
                    actor=request.user,
                    school=school,
                    protocol=protocol,
                    values=form.values(),
                    reason=form.cleaned_data["reason"],
                    based_on=form.cleaned_data["based_on"],
                    effective_from=effective_from,
                )
            except ValidationError as error:
                status = 409 if getattr(error, "code", None) == "stale" else 422
                if hasattr(error, "error_dict"):
                    for key, errors in error.error_dict.items():
                        form.add_error(key if key in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("Versie %(number)s is opgeslagen.") % {"number": version.number})
                return redirect("protocol_detail", slug)
        else:
            status = 422
    else:
        initial = {key: latest.value(key) for key in settings_for(protocol)}
        form = ProtocolVersionForm(initial={**initial, "based_on": latest.number}, protocol=protocol)
    in_force = current_version(school, protocol)
    previous = previous_version(in_force)
    history = ProtocolVersion.objects.filter(school=school, protocol=protocol).select_related("changed_by")
    context = {
        "slug": slug,
        "name": PROTOCOLS[protocol],
        "version": in_force,
        "previous": previous,
        "rows": rows_for(in_force, previous),
        "pending": latest if latest.number != in_force.number else None,
        "history": history[:50],
        "form": form,
    }
    return render(request, "protocols/protocol_detail.html", context, status=status)


@staff_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    version = get_permitted(
        request, ProtocolVersion.objects.all(), pk, PERM, action="protocols.version.view_denied"
    )
    previous = previous_version(version)
    return render(
        request,
        "protocols/version_detail.html",
        {
            "version": version,
            "previous": previous,
            "rows": rows_for(version, previous),
            "slug": SLUG_OF[version.protocol],
            "name": PROTOCOLS[version.protocol],
        },
    )


urlpatterns = [
    path("protocollen/", protocol_list, name="protocol_list"),
    path("protocollen/versies/<int:pk>/", version_detail, name="protocol_version"),
    path("protocollen/<slug:slug>/", protocol_detail, name="protocol_detail"),
]
