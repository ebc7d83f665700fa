"""Import pages for the functional administrator: upload → (columns) → preview → apply → progress."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..cleaning import SafeForm
from ..importing.mapping import FIELDS, ignored_headers
from ..models import ImportFormat, ImportRun, ImportStatus
from ..services import imports as service
from ..services import oneroster_import
from .common import get_permitted, staff_required

LABELS = {
    "students_create": _("leerlingen nieuw"),
    "students_update": _("leerlingen gewijzigd"),
    "students_end": _("leerlingen uitgeschreven (niet verwijderd)"),
    "groups_create": _("groepen nieuw"),
    "groups_update": _("groepen gewijzigd"),
    "memberships_create": _("groepsplaatsingen nieuw"),
    "memberships_end": _("groepsplaatsingen beëindigd"),
    "guardians_create": _("ouders/verzorgers nieuw"),
    "guardians_update": _("ouders/verzorgers gewijzigd"),
    "relations_create": _("ouder–leerlingrelaties nieuw"),
    "relations_update": _("ouder–leerlingrelaties beëindigd of hersteld"),
    "staff_create": _("medewerkers nieuw"),
    "staff_update": _("medewerkers gewijzigd"),
    "assignments_create": _("lesopdrachten nieuw"),
    "assignments_remove": _("lesopdrachten vervallen"),
    "mentors_add": _("mentoren toegevoegd"),
    "mentors_remove": _("mentoraten vervallen"),
}


def _school_years() -> list[tuple[str, str]]:
    start = service.school_year_start_for(service.today())
    years = [start.replace(year=start.year + offset) for offset in (0, 1, -1)]
    return [(d.isoformat(), f"{d.year}-{d.year + 1}") for d in years]


class UploadForm(SafeForm):
    file = forms.FileField(
        label=_("Bestand"), help_text=_("EDEX.XML, CSV (puntkomma), XLSX of een OneRoster-zip")
    )
    format = forms.ChoiceField(
        label=_("Soort bestand"),
        required=False,
        choices=[("", _("automatisch herkennen"))] + ImportFormat.choices,
    )


def _require_import_permission(request: HttpRequest) -> None:
    if request.school is None or not request.user.has_perm("schools.import_data", request.school):
        raise Http404


def _get_run(request: HttpRequest, pk: int) -> ImportRun:
    return get_permitted(
        request,
        ImportRun.objects.select_related("school"),
        pk,
        "schools.import_data",
        action="schools.import.view_denied",
    )


@staff_required
def import_start(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > request.school.max_upload_mb * 1024 * 1024:
            form.add_error(
                "file",
                _("Het bestand is groter dan de toegestane %(mb)s MB.")
                % {"mb": request.school.max_upload_mb},
            )
        else:
            run = service.start_import(
                actor=request.user,
                school=request.school,
                data=upload.read(),
                filename=upload.name,
                format=form.cleaned_data["format"],
            )
            return redirect("import_detail", pk=run.pk)
    runs = Paginator(ImportRun.objects.filter(school=request.school).select_related("created_by"), 20)
    return render(
        request, "schools/import_start.html", {"form": form, "page": runs.get_page(request.GET.get("page"))}
    )


@staff_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    run = _get_run(request, pk)
    context = {"run": run, "labels": LABELS, "school_years": _school_years()}
    if run.status == ImportStatus.UPLOADED:
        headers, suggested = service.read_columns(run)
        context["headers"] = headers
        context["fields"] = [(f, run.columns.get(f.name) or suggested.get(f.name, "")) for f in FIELDS]
        context["ignored_headers"] = ignored_headers(headers)
    if run.status in (ImportStatus.PREVIEWED, ImportStatus.APPLIED):
        counts = (run.result or run.preview).get("counts", {})
        context["rows"] = [(LABELS[k], v) for k, v in counts.items() if k in LABELS]
    context["oneroster"] = oneroster_import.bundle_summary(run)
    return render(request, "schools/import_detail.html", context)


@require_POST
@staff_required
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    run = _get_run(request, pk)
    if run.status not in (ImportStatus.UPLOADED, ImportStatus.INVALID) or run.format != ImportFormat.TABULAR:
        return redirect("import_detail", pk=run.pk)
    columns = {f.name: request.POST.get(f"col_{f.name}", "") for f in FIELDS}
    try:
        year = datetime.date.fromisoformat(request.POST.get("school_year", ""))
    except ValueError:
        year = None
    service.confirm_columns(
        actor=request.user,
        run=run,
        columns=columns,
        save_mapping=bool(request.POST.get("save_mapping")),
        school_year_start=year,
    )
    return redirect("import_detail", pk=run.pk)


@require_POST
@staff_required
def import_oneroster_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The org that is this school and how groups are formed, for a OneRoster bundle; remembered."""
    _require_import_permission(request)
    run = _get_run(request, pk)
    oneroster_import.choose_options(
        actor=request.user,
        run=run,
        org=request.POST.get("org", "")[:100],
        groups=request.POST.get("groups", "")[:110],
    )
    return redirect("import_detail", pk=run.pk)


@require_POST
@staff_required
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    run = _get_run(request, pk)
    try:
        service.apply_import(actor=request.user, run=run)
    except ValidationError as error:
        from django.contrib import messages

        messages.error(request, " ".join(error.messages))
    return redirect("import_detail", pk=run.pk)


@staff_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX polling target: a <progress> while the import runs; the result once it is done."""
    _require_import_permission(request)
    run = _get_run(request, pk)
    response = render(request, "schools/import_detail.html#progress", {"run": run})
    if not run.is_running and request.htmx:
        response["HX-Refresh"] = "true"  # show the full result page
    return response
