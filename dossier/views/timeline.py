"""The student's file as a timeline, and who looked at it (AVG-4: need to know, every read logged)."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.audit import audit_request
from audit.labels import action_label
from audit.models import AuditEvent
from dossier import selectors
from dossier.entry_kinds import entry_kind_choices
from dossier.selectors_overview import file_overview
from dossier.selectors_timeline import timeline_authors, timeline_page, timeline_student
from dossier.views import documents, logbook
from schools.cleaning import SafeForm
from schools.forms.widgets import QuickSelect, QuickSelectMultiple
from schools.models import Student
from schools.views.common import get_permitted, staff_required

PAGE_SIZE = 25


class TimelineFilterForm(SafeForm):
    # Issue #13: the pickers without a template per option (the same HTML, made in Python).
    soort = forms.MultipleChoiceField(
        label=_("Soort"), choices=entry_kind_choices, required=False, widget=QuickSelectMultiple
    )
    van = forms.DateField(label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    auteur = forms.TypedChoiceField(
        label=_("Auteur"), coerce=int, required=False, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auteur"].choices = [("", _("Iedereen"))] + [(a.pk, a.full_name) for a in authors]

    def filters(self) -> selectors.TimelineFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.TimelineFilters(
            kinds=tuple(data.get("soort") or ()),
            date_from=data.get("van"),
            date_to=data.get("tot"),
            author_id=data.get("auteur"),
        )


def _student(request: HttpRequest, pk: int, perm: str) -> Student:
    return get_permitted(
        request, Student.objects.select_related("school"), pk, perm, action="dossier.view_denied"
    )


def _query_string(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, values in request.GET.lists() if k != "page" for v in values])


@staff_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    access = request.access
    # Issue #13: the student, the filter's authors, the hold and the current groups with their
    # mentors in one fetch (and its prefetch); the page of entries with its count in one more.
    student = get_permitted(
        request,
        Student.objects,
        pk,
        "dossier.view_dossier",
        action="dossier.view_denied",
        fetch=lambda pk: timeline_student(access, pk),
    )
    form = TimelineFilterForm(request.GET or None, authors=timeline_authors(access, student))
    filters = form.filters()
    page = timeline_page(access, student, filters, request.GET.get("page"), PAGE_SIZE)
    # AVG-4: every read of the file is logged, with what was asked for.
    audit_request(
        request,
        action="dossier.viewed",
        obj=student,
        student=student,
        data={
            "filters": {
                "kinds": list(filters.kinds),
                "from": filters.date_from.isoformat() if filters.date_from else None,
                "to": filters.date_to.isoformat() if filters.date_to else None,
                "author": filters.author_id,
            },
            "page": page.number,
            "entries": [entry.pk for entry in page.object_list],
        },
    )
    context = {
        "student": student,
        "form": form,
        "page": page,
        "query_string": _query_string(request),
        "filtered": any((filters.kinds, filters.date_from, filters.date_to, filters.author_id)),
    }
    if request.htmx:
        return render(request, "dossier/timeline.html#results", context)
    # The student first (groups, mentor), then what is open for them; the entries follow.
    can_prepare = request.user.has_perm("dossier.list_signable_documents", student)
    context.update(file_overview(student, access=request.access, with_documents=can_prepare))
    return render(request, "dossier/timeline.html", context)


@staff_required
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Wie heeft dit dossier bekeken": reads and refused attempts, newest first."""
    student = _student(request, pk, "dossier.view_access_log")
    # By student id alone: a refused attempt from another school names this student too.
    events = AuditEvent.objects.filter(student_id=student.pk).order_by("-at", "-pk")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.label = action_label(event.action)
    audit_request(request, action="dossier.access_log.viewed", obj=student, student=student)
    return render(request, "dossier/access_log.html", {"student": student, "page": page})


urlpatterns = [
    path("leerling/<int:pk>/", timeline, name="dossier_timeline"),
    path("leerling/<int:pk>/bekeken/", access_log, name="dossier_access_log"),
    *logbook.urlpatterns,
    *documents.urlpatterns,
]
