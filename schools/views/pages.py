"""Home, student search, student page, group list and group page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dossier.audit import audit_request

from .. import selectors
from ..access import get_access
from ..models import Group, Student
from .common import get_permitted, staff_required


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    access = get_access(request.user)
    sections = home_sections(request)
    return render(request, "schools/home.html", {"access": access, "sections": sections})


def home_sections(request: HttpRequest) -> list[dict]:
    """Each installed feature adds a section of "mijn acties"; empty sections show an empty state."""
    from django.utils.module_loading import import_string

    sections = []
    for path in HOME_SECTION_PROVIDERS:
        section = import_string(path)(request)
        if section is not None:
            sections.append(section)
    return sections


# Later features append their provider here ("app.home.section_function").
HOME_SECTION_PROVIDERS: list[str] = [
    "dossier.home.my_deadlines",
    "dossier.home.overdue_in_school",
]


@staff_required
def student_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.search_students(request.access, query) if query else []
    context = {"query": query, "results": results}
    if request.htmx:
        return render(request, "schools/student_search.html#results", context)
    return render(request, "schools/student_search.html", context)


@staff_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_permitted(
        request,
        Student.objects.select_related("school"),
        pk,
        "schools.view_student",
        action="schools.student.view_denied",
    )
    audit_request(request, action="schools.student.viewed", obj=student, student=student)
    context = {"student": student, **selectors.student_overview(student)}
    return render(request, "schools/student_detail.html", context)


@staff_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.visible_groups(request.access).select_related("department", "school_year")
    page = Paginator(groups.order_by("-school_year__start", "year_level", "name"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "schools/group_list.html", {"page": page})


@staff_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_permitted(
        request,
        Group.objects.select_related("school", "department", "school_year"),
        pk,
        "schools.view_group",
        action="schools.group.view_denied",
    )
    context = {"group": group, **selectors.group_overview(group)}
    return render(request, "schools/group_detail.html", context)
