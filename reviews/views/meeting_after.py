"""After the meeting: the referral (LB-11, care team only), the follow-up (LB-12), the evaluation (LB-13)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.audit import audit_request
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.views.common import staff_required

from ..models_meeting import Agreement, FollowUp
from ..services import agreements as agreement_service
from ..services import follow_up as follow_up_service
from ..services import report_back
from .meeting_common import (
    agreement_for,
    error_text,
    evaluation_for,
    follow_up_for,
    meeting_for,
    referral_for,
)
from .meeting_forms import AnswerForm, EvaluationForm, FollowUpForm


@staff_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """AVG-4: a referral is read by the care team only; anyone else gets a 404 (recorded)."""
    referral = referral_for(request, pk)
    form = AnswerForm()
    if request.method == "POST":
        referral = referral_for(request, pk, "reviews.referral_answer")
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                agreement_service.answer_referral(actor=request.user, referral=referral,
                                                  answer=form.cleaned_data["answer"],
                                                  text_warnings=warnings_shown(request.POST))  # fmt: skip
            except (ValidationError, ProtocolViolation) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Het antwoord is vastgelegd."))
                return redirect("review_referral", referral.pk)
    else:
        audit_request(request, action="reviews.referral.viewed", obj=referral, student=referral.student)
    status = 400 if form.errors else 200
    return render(request, "reviews/meeting/referral.html", {"referral": referral, "form": form,
                  "student": referral.student}, status=status)  # fmt: skip


@staff_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, "reviews.agreement_evaluate")
    form = EvaluationForm()
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                agreement_service.evaluate_agreement(actor=request.user, agreement=agreement,
                                                     text_warnings=warnings_shown(request.POST),
                                                     **form.cleaned_data)  # fmt: skip
            except (ValidationError, ProtocolViolation) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("De evaluatie staat in het dossier."))
                return redirect("review_follow_up", agreement.meeting_id)
    return render(request, "reviews/meeting/evaluate.html",
                  {"agreement": agreement, "form": form, "student": agreement.student},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The week after (LB-12) and the evaluations (LB-13) of one meeting."""
    meeting = meeting_for(request, pk, "reviews.follow_up_record")
    follow_ups = list(
        FollowUp.objects.filter(meeting=meeting)
        .select_related("student")
        .order_by("student__last_name", "kind")
    )
    agreements = list(
        Agreement.objects.filter(meeting=meeting)
        .select_related("student", "owner", "evaluation")
        .order_by("evaluate_on", "pk")
    )
    return render(request, "reviews/meeting/follow_up.html", {
        "meeting": meeting, "follow_ups": [(f, FollowUpForm(prefix=f"f{f.pk}")) for f in follow_ups],
        "agreements": agreements,
    })  # fmt: skip


@staff_required
@require_POST
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    item = follow_up_for(request, pk)
    form = FollowUpForm(request.POST, prefix=f"f{item.pk}")
    if form.is_valid():
        try:
            follow_up_service.record_follow_up(actor=request.user, follow_up=item, summary=form.cleaned_data["summary"],
                                               text_warnings=warnings_shown(request.POST))  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Vastgelegd in het dossier."))
    else:
        messages.error(request, _("Schrijf kort op wat er besproken is."))
    return redirect("review_follow_up", item.meeting_id)


@staff_required
@require_POST
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """LB-13: one action reports the evaluation back to the colleagues, the student and the parents."""
    evaluation = evaluation_for(request, pk)
    try:
        report_back.report_evaluation(actor=request.user, evaluation=evaluation)
    except ProtocolViolation as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("De evaluatie is teruggekoppeld aan de collega's, de leerling en de ouders.")
        )
    return redirect("review_evaluate", evaluation.agreement_id)
