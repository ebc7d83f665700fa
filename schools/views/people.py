"""People management: the functional administrator adds and ends staff; roles are set by the
functional administrator and the director (care-content roles by the director only, AVG-4)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.people import RolesForm, StaffForm
from ..models import StaffMember
from ..services import people
from .common import get_permitted, staff_required


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_perm("schools.manage_people", request.school):
        raise Http404


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _require_roles(request: HttpRequest) -> None:
    if not request.user.has_perm("schools.manage_roles", request.school):
        raise Http404


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_roles(request)
    staff = StaffMember.objects.filter(school=request.school).prefetch_related("role_assignments__department")
    page = Paginator(staff.order_by("-active", "last_name", "first_name"), 50).get_page(
        request.GET.get("page")
    )
    form = StaffForm(school=request.school)
    manages_people = request.user.has_perm("schools.manage_people", request.school)
    return render(
        request, "schools/staff_list.html", {"page": page, "form": form, "manages_people": manages_people}
    )


@staff_required
@require_POST
def staff_add(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = StaffForm(request.POST, school=request.school)
    if form.is_valid():
        try:
            staff = people.add_staff_member(actor=request.user, school=request.school, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": staff.full_name})
            return redirect("staff_list")
    staff = StaffMember.objects.filter(school=request.school).prefetch_related("role_assignments")
    page = Paginator(staff.order_by("-active", "last_name"), 50).get_page(1)
    context = {"page": page, "form": form, "manages_people": True}
    return render(request, "schools/staff_list.html", context, status=400)


@staff_required
def staff_roles(request: HttpRequest, pk: int) -> HttpResponse:
    _require_roles(request)
    staff = get_permitted(
        request, StaffMember.objects.all(), pk, "schools.manage_roles", action="schools.staff.view_denied"
    )
    current = list(staff.role_assignments.all())
    initial = {
        "roles": [r.role for r in current],
        "department": next((r.department_id for r in current if r.department_id), None),
    }
    # An empty POST (every role taken away) is still a submitted form.
    form = RolesForm(
        request.POST if request.method == "POST" else None, school=request.school, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.set_staff_roles(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("De rollen van %(name)s zijn opgeslagen.") % {"name": staff.full_name}
            )
            return redirect("staff_list")
    return render(request, "schools/staff_roles.html", {"staff": staff, "form": form})


@staff_required
@require_POST
def staff_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    staff = get_permitted(
        request, StaffMember.objects.all(), pk, "schools.manage_people", action="schools.staff.view_denied"
    )
    try:
        people.end_employment(actor=request.user, staff=staff)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is uit dienst gezet.") % {"name": staff.full_name})
    return redirect("staff_list")
