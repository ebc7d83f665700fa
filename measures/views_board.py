"""The board's own screen for an expulsion case (SV-3, LAW-2, LAW-4): the board sees the case, its
checklist and the letters of the procedure, no other care content, and decides (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from schools.cleaning import parse_id

from .forms import BoardDecisionForm
from .models import ExpulsionCase
from .services.expulsions import board_decide, checklist

DENIED = "measures.case.view_denied"


def _board_case(request: HttpRequest, pk) -> ExpulsionCase:
    """The case if the user is on the board of its school; else 404 and a failed-access audit row."""
    if not request.user.is_authenticated:
        raise Http404
    with scopes_disabled():  # the board works across its schools, outside one school's scope
        case = ExpulsionCase.objects.select_related("school", "student").filter(pk=parse_id(pk) or 0).first()
    if case is None or not request.user.has_perm("measures.board_decide", case):
        audit_request(
            request, action=DENIED, data={"model": "measures.expulsioncase", "pk": str(pk)}, success=False
        )
        raise Http404
    return case


def _render(request, case, form, status=200, objection_form=None):
    from .forms import ObjectionDecisionForm

    with scopes_disabled():
        context = {"case": case, "form": form, "checklist": checklist(case),
                   "objections": list(case.objections.all()), "decision_letter": case.decision_letter,
                   "objection_form": objection_form or ObjectionDecisionForm()}  # fmt: skip
    return render(request, "measures/board_expulsion.html", context, status=status)


def board_expulsion(request: HttpRequest, pk: int) -> HttpResponse:
    case = _board_case(request, pk)
    audit_request(request, action="measures.case.viewed", obj=case, student=case.student, school=case.school)
    return _render(request, case, BoardDecisionForm())


@require_POST
def board_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _board_case(request, pk)
    form = BoardDecisionForm(request.POST)
    if form.is_valid():
        try:
            with scopes_disabled():
                board_decide(actor=request.user, case=case, effective_on=form.cleaned_data["effective_on"],
                             reasons=form.cleaned_data["reasons"])  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, error.message if isinstance(error, ProtocolViolation) else error)
        else:
            messages.success(request, _("Het besluit is vastgelegd en de brief aan de ouders is verstuurd."))
            return redirect("measures_board_expulsion", case.pk)
    return _render(request, case, form, status=400)


@require_POST
def board_objection_view(request: HttpRequest, pk: int) -> HttpResponse:
    """LAW-4: the board hears the parents on their objection and decides on it (its acts, audited)."""
    from .forms import ObjectionDecisionForm
    from .services.objections import decide_objection, hear_parents

    case = _board_case(request, pk)
    form = ObjectionDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with scopes_disabled():
            objection = case.objections.filter(pk=data["objection"]).first()
        if objection is None:
            raise Http404
        try:
            with scopes_disabled():
                if data["step"] == "hear":
                    if data["on_date"] is None:
                        raise ValidationError(_("Vul de datum in waarop het bestuur de ouders hoorde."))
                    hear_parents(actor=request.user, objection=objection, heard_on=data["on_date"])
                else:
                    decide_objection(actor=request.user, objection=objection, outcome=data["outcome"],
                                     upheld=data["upheld"], follows_opinion=data["follows_opinion"],
                                     departs_reason=data["departs_reason"])  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(
                None, error.message if isinstance(error, ProtocolViolation) else " ".join(error.messages)
            )
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("measures_board_expulsion", case.pk)
    return _render(request, case, BoardDecisionForm(), status=400, objection_form=form)
