"""SV-2: the director's decision on a national test during a suspension, and the parents' view to the
board, posted from the suspension page (the services check and write; bad input writes nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols.exceptions import ProtocolViolation
from schools.views.common import get_permitted, staff_required

from .forms import NationalTestForm, ParentsViewForm, SuspensionStepForm
from .models import Suspension
from .services import suspensions as service
from .services.common import deadlines_of

DENIED = "measures.case.view_denied"


def _suspension(request: HttpRequest, pk: int) -> Suspension:
    suspension = get_permitted(request, Suspension.objects.select_related("student", "contact_person"), pk,
                               "measures.view_measure", action=DENIED, student_field="student_id")  # fmt: skip
    if not request.user.has_perm("measures.manage_measure", suspension):
        raise Http404
    return suspension


def _page(request, suspension, **forms) -> HttpResponse:
    context = {"suspension": suspension, "form": SuspensionStepForm(), "deadlines": deadlines_of(suspension),
               "test_form": NationalTestForm(), "view_form": ParentsViewForm(), **forms}  # fmt: skip
    return render(request, "measures/suspension_detail.html", context, status=400)


def _save(request, suspension, form, name: str, action) -> HttpResponse:
    if form.is_valid():
        try:
            action(**form.cleaned_data)
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(
                None, error.message if isinstance(error, ProtocolViolation) else " ".join(error.messages)
            )
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("measures_suspension", suspension.pk)
    return _page(request, suspension, **{name: form})


@require_POST
@staff_required
def suspension_test(request: HttpRequest, pk: int) -> HttpResponse:
    """SV-2: the student must not miss a national test: admitted for it, or material provided."""
    suspension = _suspension(request, pk)
    return _save(request, suspension, NationalTestForm(request.POST), "test_form",
                 lambda decision: service.decide_national_test(actor=request.user, suspension=suspension,
                                                               decision=decision))  # fmt: skip


@require_POST
@staff_required
def suspension_parents_view(request: HttpRequest, pk: int) -> HttpResponse:
    """SV-2: the parents' view to the board, recorded in the file."""
    suspension = _suspension(request, pk)
    return _save(request, suspension, ParentsViewForm(request.POST), "view_form",
                 lambda text: service.record_parents_view(actor=request.user, suspension=suspension, text=text))  # fmt: skip
