"""Home, student search, student page, group list and group page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from audit.audit import audit_request

from .. import menu, selectors
from ..access import get_access
from ..middleware import SESSION_SCHOOL_KEY
from ..models import Group, Student
from ..student_panels import panels_for
from .common import get_permitted, staff_required


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    access = get_access(request.user)
    context = {"access": access, "sections": home_sections(request)}
    if access.is_board_member:
        # The board sees counts across its schools, outside any one school's scope.
        with scopes_disabled():
            context["board_figures"] = selectors.board_figures(access)
    return render(request, "schools/home.html", context)


def home_sections(request: HttpRequest) -> list[dict]:
    """Each app registers its sections of "mijn acties" (schools.home.register_home_provider);
    empty sections show an empty state."""
    from ..home import home_providers, items_html

    sections = []
    for provider in home_providers():
        section = provider(request)
        if section is not None:
            sections.append({**section, "items_html": items_html(section.get("items") or [])})
    return sections


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    """Pick the active school for a user who works at several; only their own schools count."""
    wanted = request.POST.get("school")
    if any(str(school.pk) == wanted for school in getattr(request, "available_schools", [])):
        request.session[SESSION_SCHOOL_KEY] = int(wanted)
    else:
        messages.error(request, _("Je werkt niet op die school."))
    return redirect("home")


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
        selectors.with_memberships(Student.objects.select_related("school")),
        pk,
        "schools.view_student",
        action="schools.student.view_denied",
    )
    audit_request(request, action="schools.student.viewed", obj=student, student=student)
    context = {"student": student, **selectors.student_overview(student)}
    # Issue 10 §8, issue 12 §8: the care overview at a glance, each app's panels (schools.student_panels),
    # each showing only what this viewer may see (AVG-4).
    context["panels"] = panels_for(student, request)
    return render(request, "schools/student_detail.html", context)


@staff_required
def group_list(request: HttpRequest) -> HttpResponse:
    # Issue #13: a group without a department shows its phase, which reads its school (no N+1).
    groups = selectors.visible_groups(request.access).select_related("department", "school_year", "school")
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


@staff_required
def school_admin(request: HttpRequest) -> HttpResponse:
    """One page that points to every configuration page the user may open (schools/menu.py)."""
    if not menu.may_open_admin(request):
        raise Http404
    context = {"sections": menu.admin_sections(request), "personal": menu.personal_links(request)}
    return render(request, "schools/school_admin.html", context)
