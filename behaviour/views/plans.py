"""Pages of steps 2–4 of het gedragsprotocol: the student's plan page and one form per action.

Every page takes the student's id; the case is the student's open case. A student the user may not
act for is a 404 with a refused audit row (AVG-4); a step the protocol refuses is the form again
with the rule's Dutch message (422) and nothing written.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.audit import audit_request
from deadlines.models import Deadline, DeadlineState
from protocols.exceptions import ProtocolViolation
from protocols.text_checks import warnings_shown
from schools.models import Student
from schools.views.common import get_permitted, staff_required
from signatures.services.signature_checks import missing_signers

from .. import forms_plans as f
from ..models import BehaviourCase
from ..models_plans import (
    ACTIVE_PLACEMENT_STATES,
    BehaviourPlan,
    Placement,
    PlacementState,
    PlanState,
    Step3Plan,
)
from ..services import placements, plans, step3

DENIED = "behaviour.plans.view_denied"


def _student(request: HttpRequest, pk: int, perm: str) -> Student:
    return get_permitted(request, Student.objects.select_related("school"), pk, perm, action=DENIED)


def _case(student: Student) -> BehaviourCase | None:
    # Issue 13: whether there is a plan, a step-3 plan or a placement at all comes with the case, so
    # a case without them (most: step 1) reads nothing more for them.
    return (
        BehaviourCase.objects.filter(student=student, closed_at__isnull=True)
        .select_related("protocol_version", "school", "student")
        .annotate(
            has_plan=Exists(BehaviourPlan.objects.filter(case=OuterRef("pk"), state=PlanState.ACTIVE)),
            has_step3=Exists(Step3Plan.objects.filter(case=OuterRef("pk"), state=PlanState.ACTIVE)),
            has_placement=Exists(
                Placement.objects.filter(case=OuterRef("pk"), state__in=ACTIVE_PLACEMENT_STATES)
            ),
        )
        .first()
    )


def _step3(case: BehaviourCase | None) -> Step3Plan | None:
    return step3.open_step3_plan(case) if case else None


def _missing(document) -> list[str]:
    if document is None or document.current_version_id is None:
        return []
    return missing_signers(document.current_version)


@staff_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The case at a glance: step, plan in force, what is due, who has not signed (GP-8 – GP-22)."""
    student = _student(request, pk, "behaviour.view_plans")
    case = _case(student)
    audit_request(request, action="behaviour.plans.viewed", obj=case or student, student=student)
    context = {"student": student, "case": case}
    if case is not None:
        plan = plans.active_plan(case) if case.has_plan else None
        s3 = _step3(case) if case.has_step3 else None
        placement = placements.current_placement(case) if case.has_placement else None
        context.update(
            plan=plan,
            plan_missing=_missing(plan.document if plan else None),
            step3=s3,
            placement=placement,
            placement_missing=_missing(placement.document if placement else None),
            # AVG-4: a deadline's title may carry care content; the page shows the reader's own.
            due=list(
                Deadline.objects.filter(
                    student=student,
                    state=DeadlineState.OPEN,
                    rule__startswith="GP-",
                    owner=request.access.staff,
                )
                .select_related("owner")
                .order_by("due_on", "pk")[:8]
            ),
            logbook=step3.logbook_of(s3, access=request.access) if s3 else [],
            proposed=placements.propose_host_group(case) if case.step == 4 and placement is None else None,
            may_lead=request.user.has_perm("behaviour.lead_step3", student),
            may_invite=request.user.has_perm("behaviour.invite_parents", student),
            may_external=request.user.has_perm("behaviour.external_contact", student),
            is_host=bool(
                placement and request.access.staff and placement.host_teacher_id == request.access.staff.pk
            ),
        )
    return render(request, "behaviour/plans/page.html", context)


def _action(
    request: HttpRequest,
    pk: int,
    *,
    perm: str,
    form_class,
    title: str,
    rule: str,
    handler: Callable,
    target: Callable[[BehaviourCase], object] = lambda case: case,
    form_kwargs: Callable[[BehaviourCase], dict] = lambda case: {},
    done: str,
    text_fields: str = "",
) -> HttpResponse:
    student = _student(request, pk, perm)
    case = _case(student)
    obj = target(case) if case is not None else None
    if obj is None:
        raise Http404
    kwargs = {"case": case, **form_kwargs(case)}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                handler(obj, form.cleaned_data, warnings_shown(request.POST))
            except ProtocolViolation as error:
                form.add_error(
                    None,
                    f"{error.message} ({error.rule})" if error.rule not in error.message else error.message,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return redirect("behaviour_plans", student.pk)
        status = 422
    else:
        form = form_class(**kwargs)
    context = {
        "student": student,
        "case": case,
        "form": form,
        "title": title,
        "rule": rule,
        "text_fields": text_fields,
    }
    return render(request, "behaviour/plans/form.html", context, status=status)


def _at_step(step: int):
    return lambda case: case if case.step == step else None


@staff_required
def step2_talk(request, pk):
    def handle(case, data, warnings):
        plans.hold_step2_talk(actor=request.user, case=case, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.hold_step2", form_class=f.Step2TalkForm, rule="GP-8",
                   title=_("Gesprek stap 2 en gedragsplan"), handler=handle, target=_at_step(2),
                   done=_("Het gedragsplan is vastgelegd en ter ondertekening aan de ouders gestuurd."),
                   text_fields="desired_behaviour,reward,sanction")  # fmt: skip


@staff_required
def step2_feedback(request, pk):
    def handle(plan, data, warnings):
        plans.record_parent_feedback(actor=request.user, plan=plan, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.hold_step2", form_class=f.FeedbackForm, rule="GP-9",
                   title=_("Terugkoppeling aan de ouders"), handler=handle, target=plans.active_plan,
                   done=_("De terugkoppeling staat in het dossier."), text_fields="summary")  # fmt: skip


@staff_required
def step2_evaluation(request, pk):
    def handle(plan, data, warnings):
        plans.evaluate_plan(actor=request.user, plan=plan, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.hold_step2", form_class=f.Step2EvaluationForm, rule="GP-10",
                   title=_("Eindevaluatie gedragsplan"), handler=handle, target=plans.active_plan,
                   done=_("De evaluatie staat in het dossier."), text_fields="notes")  # fmt: skip


@staff_required
def step3_invite(request, pk):
    def handle(case, data, warnings):
        step3.invite_step3_parents(actor=request.user, case=case)

    return _action(request, pk, perm="behaviour.invite_parents", form_class=f.ButtonForm, rule="GP-13",
                   title=_("Ouders uitnodigen (stap 3)"), handler=handle, target=_at_step(3),
                   done=_("De uitnodiging is verstuurd."))  # fmt: skip


@staff_required
def step3_talk(request, pk):
    def handle(plan, data, warnings):
        step3.hold_step3_talk(actor=request.user, plan=plan, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.lead_step3", form_class=f.Step3TalkForm, rule="GP-13",
                   title=_("Gesprek stap 3"), handler=handle, target=_step3,
                   done=_("De afspraken van stap 3 zijn vastgelegd."), text_fields="agreements,measure")  # fmt: skip


@staff_required
def step3_progress(request, pk):
    def handle(plan, data, warnings):
        step3.record_progress_talk(actor=request.user, plan=plan, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.lead_step3", form_class=f.ProgressForm, rule="GP-15",
                   title=_("Voortgangsgesprek"), handler=handle, target=_step3,
                   done=_("Het voortgangsgesprek staat in het dossier."), text_fields="summary")  # fmt: skip


@staff_required
def step3_external(request, pk):
    def handle(plan, data, warnings):
        step3.record_external_contact(actor=request.user, plan=plan, **data)

    return _action(request, pk, perm="behaviour.external_contact", form_class=f.ExternalContactForm, rule="GP-18",
                   title=_("Contact met een externe instantie"), handler=handle, target=_step3,
                   done=_("Het contact staat in het dossier (zorgteam)."))  # fmt: skip


@staff_required
def step3_evaluation(request, pk):
    def handle(plan, data, warnings):
        step3.evaluate_step3(actor=request.user, plan=plan, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.lead_step3", form_class=f.Step3EvaluationForm, rule="GP-16",
                   title=_("Evaluatie stap 3"), handler=handle, target=_step3,
                   done=_("De evaluatie staat in het dossier."), text_fields="notes")  # fmt: skip


@staff_required
def step4_invite(request, pk):
    def handle(case, data, warnings):
        placements.invite_step4_parents(actor=request.user, case=case)

    return _action(request, pk, perm="behaviour.invite_parents", form_class=f.ButtonForm, rule="GP-20",
                   title=_("Ouders uitnodigen (stap 4)"), handler=handle, target=_at_step(4),
                   done=_("De uitnodiging is verstuurd."))  # fmt: skip


def _placement_form(case):
    group = placements.own_group(case.student)
    groups = placements.host_candidates(case.student, group)
    if group is not None:
        from schools.models import Group

        groups = Group.objects.filter(pk__in=[group.pk, *groups.values_list("pk", flat=True)])
    return {"groups": groups.order_by("year_level", "name"), "proposed": placements.propose_host_group(case)}


@staff_required
def step4_plan(request, pk):
    def handle(case, data, warnings):
        placements.plan_placement(actor=request.user, case=case, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.lead_step3", form_class=f.PlacementForm, rule="GP-21",
                   title=_("Stappenplan: een week in een andere groep"), handler=handle, target=_at_step(4),
                   form_kwargs=_placement_form,
                   done=_("Het stappenplan is klaar om te tekenen door school, ouders en leerling."),
                   text_fields="agreements,work")  # fmt: skip


def _placement(state):
    def find(case):
        return Placement.objects.filter(case=case, state=state).select_related("case", "document").first()

    return find


@staff_required
def step4_start(request, pk):
    def handle(placement, data, warnings):
        placements.start_placement(actor=request.user, placement=placement)

    return _action(request, pk, perm="behaviour.lead_step3", form_class=f.ButtonForm, rule="GP-21",
                   title=_("Plaatsing laten beginnen"), handler=handle, target=_placement(PlacementState.PLANNED),
                   done=_("De week in de andere groep is begonnen."))  # fmt: skip


@staff_required
def step4_log(request, pk):
    """GP-21: the host teacher keeps the logbook; they may not see the rest of the file."""
    staff = request.access.staff
    student = Student.objects.filter(pk=pk, school=request.access.school).first() if staff else None
    running = (
        Placement.objects.filter(student=student, state=PlacementState.RUNNING, host_teacher=staff).first()
        if student
        else None
    )
    if running is None:
        audit_request(request, action=DENIED, data={"pk": str(pk)}, success=False)
        raise Http404
    form = f.HostLogForm(request.POST or None, case=running.case)
    if request.method == "POST" and form.is_valid():
        try:
            placements.record_host_log(actor=request.user, placement=running, text=form.cleaned_data["text"],
                                       text_warnings=warnings_shown(request.POST))  # fmt: skip
        except (ValidationError, ProtocolViolation) as error:
            form.add_error(None, getattr(error, "message", None) or error)
        else:
            messages.success(request, _("De notitie staat in het dossier."))
            return redirect("behaviour_host_log", pk)
    context = {"student": student, "case": running.case, "form": form, "title": _("Logboek gastgroep"),
               "rule": "GP-21", "text_fields": "text", "host": True}  # fmt: skip
    return render(request, "behaviour/plans/form.html", context, status=422 if form.errors else 200)


@staff_required
def step4_return(request, pk):
    def handle(placement, data, warnings):
        placements.end_placement(actor=request.user, placement=placement, text_warnings=warnings, **data)

    return _action(request, pk, perm="behaviour.external_contact", form_class=f.ReturnForm, rule="GP-22",
                   title=_("Gesprek na de week en terugkeer"), handler=handle,
                   target=_placement(PlacementState.RUNNING), done=_("De week is afgerond."),
                   text_fields="summary,feedback")  # fmt: skip
