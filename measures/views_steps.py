"""The steps of a time-out and of an expulsion case, posted from their pages (services do the checks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols.exceptions import ProtocolViolation
from schools.views.common import get_permitted, staff_required

from .forms import ExpulsionStepForm, TimeOutStepForm
from .models import ExpulsionCase, Objection, TimeOut
from .selectors import expulsion_file_cases
from .services import expulsions as ex
from .services import objections as ob
from .services import timeouts as to
from .services.common import deadlines_of
from .views import expulsion_page

DENIED = "measures.case.view_denied"


def _message(error) -> str:
    if isinstance(error, ProtocolViolation):
        return error.message
    return " ".join(error.messages)


@require_POST
@staff_required
def time_out_step(request: HttpRequest, pk: int) -> HttpResponse:
    time_out = get_permitted(request, TimeOut.objects.select_related("student", "report"), pk, "measures.view_measure",
                             action=DENIED, student_field="student_id")  # fmt: skip
    form = TimeOutStepForm(request.POST)
    if form.is_valid():
        step, text = form.cleaned_data["step"], form.cleaned_data["text"]
        try:
            if step == "contacted":
                to.record_parents_contacted(actor=request.user, time_out=time_out)
            elif step == "report":
                to.record_time_out_talk(actor=request.user, time_out=time_out, notes=text)
            else:
                to.extend_time_out(actor=request.user, time_out=time_out, days=1, reason=text)
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("measures_time_out", time_out.pk)
    return render(request, "measures/time_out_detail.html",
                  {"time_out": time_out, "deadlines": deadlines_of(time_out), "form": form}, status=400)  # fmt: skip


def _expulsion_step(request, case: ExpulsionCase, data: dict) -> None:
    step, text, actor = data["step"], data["text"], request.user
    on_date = data["on_date"] or timezone.localdate()
    latest = case.objections.order_by("-pk").first()
    if step in ("commission", "opinion") and latest is None:
        raise ValidationError(_("Er is nog geen bezwaar ontvangen."))
    match step:
        case "warning":
            ex.send_expulsion_warning(actor=actor, case=case)
        case "warning_omitted":
            ex.record_warning_omitted(actor=actor, case=case, reason=text)
        case "teachers" | "parents" | "student":
            ex.record_hearing(actor=actor, case=case, who=step, report=text)
        case "reports":
            ex.send_hearing_reports(actor=actor, case=case)
        case "inspectorate":
            ex.record_inspectorate_consulted(actor=actor, case=case, notes=text)
        case "school":
            ex.add_school_contact(actor=actor, case=case, school_name=data["school_name"], contacted_on=on_date,
                                  answer=text[:200], agreed=data["agreed"])  # fmt: skip
        case "objection":
            ob.file_objection(actor=actor, case=case, received_on=on_date, text=text)
        case "commission":
            ob.refer_to_commission(actor=actor, objection=latest, on=on_date)
        case "opinion":
            ob.record_commission_opinion(actor=actor, objection=latest, opinion=text)
        case "final":
            ex.make_final(actor=actor, case=case)


@require_POST
@staff_required
def expulsion_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_permitted(request, ExpulsionCase.objects.select_related("student", "school"), pk,
                         "measures.manage_measure", action=DENIED, student_field="student_id")  # fmt: skip
    form = ExpulsionStepForm(request.POST)
    if form.is_valid():
        try:
            _expulsion_step(request, case, form.cleaned_data)
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, _message(error))
        except Objection.DoesNotExist as error:  # pragma: no cover - guarded above
            raise Http404 from error
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("measures_expulsion", case.pk)
    case = expulsion_file_cases().get(pk=case.pk)  # as it is now, with what its file shows
    return render(request, "measures/expulsion_detail.html", expulsion_page(case, form), status=400)
