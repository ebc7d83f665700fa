"""Admin screens of the dossier: the school's log templates, and legal holds (AVG-3)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossier.models import LegalHold, LogTemplate
from dossier.services import log_templates as template_service
from dossier.services.retention import lift_legal_hold, place_legal_hold
from schools.cleaning import SafeForm
from schools.models import Student
from schools.views.common import get_permitted, staff_required

PAGE_SIZE = 25


# --- log templates ---------------------------------------------------------------------------


class LogTemplateForm(SafeForm):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("Opzet van de notitie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Deze tekst staat al in een nieuwe notitie als het sjabloon gekozen wordt."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _require_template_admin(request: HttpRequest) -> None:
    if not request.user.has_perm("dossier.manage_log_templates", request.school):
        raise Http404


def _template(request: HttpRequest, pk: int) -> LogTemplate:
    return get_permitted(
        request,
        LogTemplate.objects.select_related("school"),
        pk,
        "dossier.manage_log_templates",
        action="dossier.log_template.denied",
    )


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_required
def log_template_list(request: HttpRequest) -> HttpResponse:
    _require_template_admin(request)
    template_service.ensure_default_log_templates(request.school)
    templates = LogTemplate.objects.filter(school=request.school).order_by("-active", "name")
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossier/log_templates.html", {"page": page})


@staff_required
def log_template_create(request: HttpRequest) -> HttpResponse:
    _require_template_admin(request)
    form = LogTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = template_service.create_log_template(
                actor=request.user,
                school=request.school,
                name=form.cleaned_data["name"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Sjabloon “%(name)s” is toegevoegd.") % {"name": template.name})
            return redirect("log_template_list")
    status = 422 if form.errors else 200
    return render(request, "dossier/log_templates_form.html", {"form": form}, status=status)


@staff_required
def log_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    stale = False
    if request.method == "POST":
        form = LogTemplateForm(request.POST)
        if form.is_valid():
            try:
                template_service.update_log_template(
                    actor=request.user,
                    template=template,
                    expected_version=form.cleaned_data["version"] or 0,
                    name=form.cleaned_data["name"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                # The editor's text stays in the form; the current version is shown beside it.
                stale = getattr(error, "code", None) == "stale"
                _apply_errors(form, error)
                template.refresh_from_db()
                if stale:
                    # Saving again, after comparing, is a deliberate choice: from the current version.
                    form.data = form.data.copy()
                    form.data["version"] = template.version
            else:
                messages.success(request, _("Het sjabloon is opgeslagen."))
                return redirect("log_template_list")
        status = 409 if stale else 422
    else:
        form = LogTemplateForm(
            initial={"name": template.name, "body": template.body, "version": template.version}
        )
        status = 200
    return render(
        request,
        "dossier/log_templates_form.html",
        {"form": form, "template": template, "stale": stale},
        status=status,
    )


@require_POST
@staff_required
def log_template_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    template_service.deactivate_log_template(actor=request.user, template=template)
    messages.success(
        request,
        _("Sjabloon “%(name)s” is niet meer in gebruik. Bestaande notities blijven ongewijzigd.")
        % {"name": template.name},
    )
    return redirect("log_template_list")


# --- legal holds (AVG-3) -----------------------------------------------------------------------


class PlaceHoldForm(SafeForm):
    reason = forms.CharField(
        label=gettext_lazy("Reden van de bewaarstop"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Bijvoorbeeld: een geschil, een bezwaar of een klachtprocedure."),
        error_messages={"required": gettext_lazy("Geef de reden voor de bewaarstop.")},
    )


class LiftHoldForm(SafeForm):
    reason = forms.CharField(
        label=gettext_lazy("Reden van opheffen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Geef de reden voor het opheffen van de bewaarstop.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ik begrijp dat de verlopen gegevens van deze leerling bij de volgende verwijderronde "
            "worden verwijderd."
        ),
        error_messages={"required": gettext_lazy("Bevestig dat je de bewaarstop wilt opheffen.")},
    )


@staff_required
def legal_hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_permitted(
        request,
        Student.objects.select_related("school"),
        pk,
        "dossier.place_legal_hold",
        action="dossier.view_denied",
    )
    active = LegalHold.objects.filter(student=student, lifted_at__isnull=True).first()
    form = PlaceHoldForm(request.POST or None)
    if request.method == "POST" and active is None and form.is_valid():
        try:
            place_legal_hold(actor=request.user, student=student, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(
                request, _("De bewaarstop is geplaatst. Niets uit dit dossier wordt verwijderd.")
            )
            return redirect("dossier_timeline", student.pk)
    status = 422 if form.errors else 200
    context = {"student": student, "form": form, "active": active}
    return render(request, "dossier/legal_holds_place.html", context, status=status)


@staff_required
def legal_hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_permitted(
        request,
        LegalHold.objects.select_related("student__school", "placed_by", "lifted_by"),
        pk,
        "dossier.lift_legal_hold",
        action="dossier.view_denied",
    )
    form = LiftHoldForm(request.POST or None)
    if request.method == "POST" and hold.is_active and form.is_valid():
        try:
            lift_legal_hold(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("De bewaarstop is opgeheven."))
            return redirect("dossier_timeline", hold.student.pk)
    status = 422 if form.errors else 200
    context = {"hold": hold, "student": hold.student, "form": form}
    return render(request, "dossier/legal_holds_lift.html", context, status=status)


@staff_required
def legal_hold_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dossier.view_legal_holds", request.school):
        raise Http404
    holds = (
        LegalHold.objects.filter(student__school=request.school, lifted_at__isnull=True)
        .select_related("student", "placed_by")
        .order_by("-placed_at", "-pk")
    )
    page = Paginator(holds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossier/legal_holds.html",
        {
            "page": page,
            "show_reason": request.user.has_perm("dossier.view_legal_hold_reason", request.school),
        },
    )


urlpatterns = [
    path("logboeksjablonen/", log_template_list, name="log_template_list"),
    path("logboeksjablonen/nieuw/", log_template_create, name="log_template_create"),
    path("logboeksjablonen/<int:pk>/bewerken/", log_template_edit, name="log_template_edit"),
    path("logboeksjablonen/<int:pk>/uitzetten/", log_template_deactivate, name="log_template_deactivate"),
    path("leerling/<int:pk>/bewaarstop/", legal_hold_place, name="legal_hold_place"),
    path("bewaarstop/<int:pk>/opheffen/", legal_hold_lift, name="legal_hold_lift"),
    path("bewaarstops/", legal_hold_list, name="legal_hold_list"),
]
