"""The meeting screen (LB-6 … LB-10): one page for the chair on the projector and the minute-taker at
once. Each part saves on its own (HTMX) and answers with its own partial; a change from an older
version is refused with the typed text kept (row_version), so nobody overwrites anybody."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.cleaning import query_int
from schools.forms.widgets import SharedChoices
from schools.views.common import staff_required

from ..models import MeetingState
from ..models_meeting import Agreement, MeetingMinutes, StudentDiscussion
from ..selectors_meeting import meeting_screen
from ..services import agreements as agreement_service
from ..services import meeting as service
from .meeting_common import agreement_for, error_text, meeting_for, meeting_staff, student_on_list
from .meeting_forms import AgreementForm, DiscussionForm, ReferralForm, StartForm

TEMPLATE = "reviews/meeting/mode.html"


def _discussion_form(discussion: StudentDiscussion | None, data=None) -> DiscussionForm:
    if data is not None:
        return DiscussionForm(data)
    initial = (
        {name: getattr(discussion, name) for name in StudentDiscussion.TEXT_FIELDS} if discussion else {}
    )
    initial["version"] = discussion.row_version if discussion else 0
    return DiscussionForm(initial=initial)


def _agreement_form(meeting, agreement: Agreement | None = None, data=None, staff=None) -> AgreementForm:
    staff = meeting_staff(meeting) if staff is None else staff
    if data is not None:
        return AgreementForm(data, staff=staff, prefix=f"a{agreement.pk}" if agreement else None)
    if agreement is None:
        initial = {
            "owner": meeting.leader_id,
            "starts_on": agreement_service.default_start(meeting),
            "evaluate_on": None,
            "version": 0,
        }
        return AgreementForm(initial=initial, staff=staff)
    initial = {
        "goal": agreement.goal, "owner": agreement.owner_id, "starts_on": agreement.starts_on,
        "evaluate_on": agreement.evaluate_on, "vague_reason": agreement.vague_reason,
        "carried_out_by": [s.pk for s in agreement.carried_out_by.all()], "version": agreement.row_version,
    }  # fmt: skip
    return AgreementForm(initial=initial, staff=staff, prefix=f"a{agreement.pk}")


def _context(request, meeting, student_id=None, **overrides) -> dict:
    screen = meeting_screen(meeting, student_id=student_id)
    current = screen["current"]
    # Issue 13: read once (and labelled once) for every agreement form on the screen.
    staff = SharedChoices.of_objects(meeting_staff(meeting))
    context = {
        "meeting": meeting,
        **screen,
        "minutes": _minutes_of(meeting),
        "start_form": StartForm(initial={"version": meeting.row_version}),
        "discussion_form": _discussion_form(screen["discussion"]),
        "new_agreement_form": _agreement_form(meeting, staff=staff),
        "agreement_forms": [(a, _agreement_form(meeting, a, staff=staff)) for a in screen["agreements"]],
        "referral_form": ReferralForm(),
        "writable": meeting.state == MeetingState.IN_PROGRESS,
        "may_see_referrals": request.user.has_perm("reviews.referral_view", meeting),
        "may_close": request.user.has_perm("reviews.meeting_close", meeting),
        "seconds_per_student": meeting.setting("meeting_minutes_per_student") * 60,
        "student": current.student if current else None,
    }
    context.update(overrides)
    return context


def _minutes_of(meeting) -> MeetingMinutes | None:
    """The minutes, read with the meeting (meeting_for selects them) or else looked up."""
    if "minutes" in meeting._state.fields_cache:
        return meeting._state.fields_cache["minutes"]
    return MeetingMinutes.objects.filter(meeting=meeting).first()


def _student_id(request) -> int | None:
    try:
        return query_int(request, "leerling", default=0, minimum=0, maximum=2**63 - 1) or None
    except ValidationError:
        return None


@staff_required
def meeting_mode(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_view")
    context = _context(request, meeting, _student_id(request))
    if request.htmx and request.GET.get("deel") == "overzicht":
        return render(request, f"{TEMPLATE}#overview", context)
    return render(request, TEMPLATE, context)


def _back(meeting, student=None) -> HttpResponse:
    url = reverse("review_meeting_mode", args=[meeting.pk])
    return redirect(f"{url}?leerling={student.pk}" if student else url)


@staff_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_run")
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            service.start_meeting(actor=request.user, meeting=meeting, tasks=form.cleaned_data["tasks"],
                                  expected_version=form.cleaned_data["version"])  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, error_text(error))
        else:
            return _back(meeting)
    return render(request, TEMPLATE, _context(request, meeting, start_form=form), status=400)


@staff_required
@require_POST
def discussion(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_run")
    student = student_on_list(meeting, student_pk)
    form = _discussion_form(None, request.POST)
    saved, theirs = False, None
    if form.is_valid():
        try:
            record = service.save_student_discussion(
                actor=request.user, meeting=meeting, student=student,
                values={k: form.cleaned_data[k] for k in StudentDiscussion.TEXT_FIELDS},
                expected_version=form.cleaned_data["version"], text_warnings=warnings_shown(request.POST),
            )  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            current = StudentDiscussion.objects.filter(meeting=meeting, student=student).first()
            if getattr(error, "code", "") == "stale" and current is not None:
                # The typed text stays; the colleague's version is shown and the next save starts from it.
                theirs, form = current, _rebound(form, current.row_version)
            form.add_error(None, error_text(error))
        else:
            saved = True
            form = _discussion_form(record)
    if request.htmx:
        return render(request, f"{TEMPLATE}#discussion", {"meeting": meeting, "student": student,
                      "discussion_form": form, "saved": saved, "writable": True, "theirs": theirs},
                      status=200 if saved else 400)  # fmt: skip
    if saved:
        return _back(meeting, student)
    return render(request, TEMPLATE, _context(request, meeting, student.pk, discussion_form=form, theirs=theirs),
                  status=400)  # fmt: skip


def _rebound(form, version: int):
    """The same typed values bound again with the current version (the next save is not stale)."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    rebound = form.__class__(data, **({"staff": form.fields["owner"].queryset} if "owner" in form.fields else {}),
                             prefix=form.prefix)  # fmt: skip
    rebound.is_valid()
    return rebound


def _agreement_kwargs(form: AgreementForm) -> dict:
    data = form.cleaned_data
    return {
        "goal": data["goal"], "owner": data["owner"], "carried_out_by": list(data["carried_out_by"]),
        "starts_on": data["starts_on"], "evaluate_on": data["evaluate_on"], "vague_reason": data["vague_reason"],
    }  # fmt: skip


@staff_required
@require_POST
def agreement_add(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_run")
    student = student_on_list(meeting, student_pk)
    form = _agreement_form(meeting, data=request.POST)
    if form.is_valid():
        try:
            agreement_service.add_agreement(
                actor=request.user, meeting=meeting, student=student,
                action_plan_title=form.cleaned_data["action_plan_title"], text_warnings=warnings_shown(request.POST),
                **_agreement_kwargs(form),
            )  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, error_text(error))
        else:
            if request.htmx:
                return render(request, f"{TEMPLATE}#agreements", _context(request, meeting, student.pk))
            messages.success(request, _("De afspraak is vastgelegd."))
            return _back(meeting, student)
    context = _context(request, meeting, student.pk, new_agreement_form=form)
    return render(request, f"{TEMPLATE}#agreements" if request.htmx else TEMPLATE, context, status=400)


@staff_required
@require_POST
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for(request, pk, "reviews.meeting_view")
    meeting = meeting_for(request, agreement.meeting_id, "reviews.meeting_run")
    form = _agreement_form(meeting, agreement, data=request.POST)
    if form.is_valid():
        try:
            agreement_service.update_agreement(
                actor=request.user, agreement=agreement, expected_version=form.cleaned_data["version"] or 0,
                text_warnings=warnings_shown(request.POST), **_agreement_kwargs(form),
            )  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            if getattr(error, "code", "") == "stale":  # the typed text stays, nothing is overwritten
                form = _rebound(form, Agreement.objects.get(pk=agreement.pk).row_version)
            form.add_error(None, error_text(error))
        else:
            if request.htmx:
                return render(
                    request, f"{TEMPLATE}#agreements", _context(request, meeting, agreement.student_id)
                )
            return _back(meeting, agreement.student)
    context = _context(request, meeting, agreement.student_id)
    context["agreement_forms"] = [
        (a, form if a.pk == agreement.pk else f) for a, f in context["agreement_forms"]
    ]
    return render(request, f"{TEMPLATE}#agreements" if request.htmx else TEMPLATE, context, status=400)


@staff_required
@require_POST
def referral_add(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_run")
    student = student_on_list(meeting, student_pk)
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            agreement_service.refer(actor=request.user, meeting=meeting, student=student,
                                    text_warnings=warnings_shown(request.POST), **form.cleaned_data)  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De verwijzing is gemaakt; alleen het zorgteam leest haar."))
            return _back(meeting, student)
    return render(request, TEMPLATE, _context(request, meeting, student.pk, referral_form=form), status=400)


@staff_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk, "reviews.meeting_close")
    try:
        service.close_meeting(actor=request.user, meeting=meeting)
    except (ValidationError, ProtocolViolation) as error:
        messages.error(request, error_text(error))
        return _back(meeting)
    messages.success(request, _("De bespreking is afgesloten. De nazorg staat klaar."))
    return redirect("review_follow_up", meeting.pk)
