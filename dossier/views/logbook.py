"""Logboek: write a note, read it, edit it within 24 hours, or correct it after (AVG-2)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.audit import audit_request, client_address
from dossier.models import LogEntry, LogTemplate, Visibility
from dossier.selectors import redact_sources_for_staff
from dossier.services import logbook as service
from dossier.views.filing import FilingForm
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.models import Student
from schools.views.common import get_permitted, staff_required


class LogEntryForm(FilingForm):
    field_order = ["title", "occurred_at", "body", "visibility", "is_health", "parent_visible"]
    title = forms.CharField(label=_("Onderwerp"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("Moment"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    body = forms.CharField(label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 8}))

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(
                _("Een notitie gaat over iets dat al gebeurd is; kies geen moment in de toekomst.")
            )
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "occurred_at": data["occurred_at"],
            "visibility": data["visibility"],
            "is_health": data.get("is_health", False),
            "parent_visible": data["parent_visible"],
        }


class EditLogEntryForm(LogEntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _log(request: HttpRequest, pk: int, perm: str) -> LogEntry:
    return get_permitted(
        request,
        LogEntry.objects.select_related("student__school", "author", "corrects__entry", "entry"),
        pk,
        perm,
        action="dossier.view_denied",
    )


def _with_template(posted, template: LogTemplate | None) -> dict:
    """The typed values as the form's initial data, with the template's text added, never replacing."""
    values = {name: posted.get(name) for name in LogEntryForm.base_fields if name in posted}
    if template is None:
        return values
    values["title"] = values.get("title", "").strip() or template.name
    body = values.get("body", "").rstrip()
    values["body"] = (
        f"{body}\n\n{template.body}" if body and template.body not in body else body or template.body
    )
    return values


@staff_required
def log_create(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_permitted(
        request,
        Student.objects.select_related("school"),
        pk,
        "dossier.add_log_entry",
        action="dossier.view_denied",
    )
    templates = list(LogTemplate.objects.filter(school=student.school, active=True))
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("sjabloon")), None)
    # Enter in a text field submits with the first button, "Sjabloon gebruiken": without a
    # template chosen that is a save.
    if request.method == "POST" and request.POST.get("use_template") and request.POST.get("sjabloon"):
        # WCAG 3.2.2: the template is applied on the button, and adds to what was typed.
        chosen = next((t for t in templates if str(t.pk) == request.POST.get("sjabloon")), None)
        form = LogEntryForm(initial=_with_template(request.POST, chosen), access=request.access)
    elif request.method == "POST":
        form = LogEntryForm(request.POST, access=request.access)
        chosen = next((t for t in templates if str(t.pk) == request.POST.get("template")), None)
        if form.is_valid():
            try:
                log = service.write_log_entry(
                    actor=request.user,
                    student=student,
                    template=chosen,
                    address=client_address(request),
                    text_warnings=warnings_shown(request.POST),
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("dossier_log_detail", log.pk)
    else:
        initial = {
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "visibility": Visibility.TEAM,
        }
        if chosen:
            initial.update(title=chosen.name, body=chosen.body)
        form = LogEntryForm(initial=initial, access=request.access)
    context = {"student": student, "form": form, "templates": templates, "chosen": chosen}
    return render(request, "dossier/logbook_form.html", context)


@staff_required
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log(request, pk, "dossier.view_log_entry")
    audit_request(request, action="dossier.log_entry.viewed", obj=log, student=log.student)
    corrections = list(log.corrections.select_related("author", "entry").order_by("created_at"))
    # AVG-4: another child involved is named only to staff who may see that child, as on the timeline.
    redact_sources_for_staff([log, log.corrects, *corrections], request.access, log.student)
    return render(
        request,
        "dossier/logbook_detail.html",
        {"log": log, "student": log.student, "corrections": corrections},
    )


@staff_required
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log(request, pk, "dossier.view_log_entry")
    if not request.user.has_perm("dossier.edit_log_entry", log):
        # After 24 hours the author corrects instead (AVG-2); anyone else never edits (404, recorded).
        if (
            log.author
            and log.author.user_id == request.user.pk
            and request.user.has_perm("dossier.correct_log_entry", log)
        ):
            return redirect("dossier_log_correct", log.pk)
        _log(request, pk, "dossier.edit_log_entry")
    if request.method == "POST":
        form = EditLogEntryForm(request.POST, access=request.access)
        if form.is_valid():
            try:
                service.edit_log_entry(
                    actor=request.user,
                    log_entry=log,
                    expected_version=form.cleaned_data["version"],
                    address=client_address(request),
                    text_warnings=warnings_shown(request.POST),
                    **form.service_kwargs(),
                )
            except (ValidationError, ProtocolViolation) as error:
                # The user's text stays in the form; nothing is overwritten.
                form.add_error(None, getattr(error, "message", None) or error)
                log.refresh_from_db()
            else:
                return redirect("dossier_log_detail", log.pk)
    else:
        form = EditLogEntryForm(
            initial={**_initial_from(log), "version": log.version},
            access=request.access,
        )
    return render(
        request,
        "dossier/logbook_form.html",
        {"student": log.student, "form": form, "log": log, "mode": "edit"},
    )


def _initial_from(log) -> dict:
    """The form filled with a note as it is now: the start of an edit or a correction."""
    return {
        "title": log.title,
        "body": log.body,
        "occurred_at": timezone.localtime(log.occurred_at),
        "visibility": log.visibility,
        "is_health": log.is_health,
        "parent_visible": log.parent_visible,
    }


@staff_required
def log_correct(request: HttpRequest, pk: int) -> HttpResponse:
    log = _log(request, pk, "dossier.correct_log_entry")
    if request.method == "POST":
        form = LogEntryForm(request.POST, access=request.access)
        if form.is_valid():
            try:
                new = service.correct_log_entry(
                    actor=request.user,
                    log_entry=log,
                    address=client_address(request),
                    text_warnings=warnings_shown(request.POST),
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("dossier_log_detail", new.pk)
    else:
        form = LogEntryForm(
            initial=_initial_from(log),
            access=request.access,
        )
    return render(
        request,
        "dossier/logbook_form.html",
        {"student": log.student, "form": form, "log": log, "mode": "correct"},
    )


urlpatterns = [
    path("leerling/<int:pk>/logboek/nieuw/", log_create, name="dossier_log_create"),
    path("logboek/<int:pk>/", log_detail, name="dossier_log_detail"),
    path("logboek/<int:pk>/bewerken/", log_edit, name="dossier_log_edit"),
    path("logboek/<int:pk>/corrigeren/", log_correct, name="dossier_log_correct"),
]
