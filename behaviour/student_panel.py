"""The behaviour panels of the student's care overview (issue 10 §8): the step and what is due, the plan in
force, recent incidents, documents waiting for signatures. Registered from BehaviourConfig.ready()
(schools.student_panels); all their rows come in the page's one overview query.

Need to know (AVG-4): who may open the student's behaviour page (behaviour.view_student: their teachers,
mentor, department head, the care team) sees the step, the plan and the incidents, the incidents only
as far as the timeline shows their file entries (level and health mark); the documents to sign only
whoever prepares them (dossier.list_signable_documents: mentor and care team), read like their entry.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.models import PENDING_STATES, Deadline, DeadlineState
from dossier.models import DossierEntry
from dossier.selectors import readable_levels
from schools.student_panels import PanelRows, full_name, overview_rows
from signatures.models import RequestState, SignableDocument, SignatureRequest

from .models import BehaviourCase, Step
from .models_incidents import EscalationRequest, Involvement, Part
from .models_plans import (
    ACTIVE_PLACEMENT_STATES,
    BehaviourPlan,
    Feedback,
    Placement,
    PlacementState,
    PlanState,
    Step3Plan,
)

DEADLINES_SHOWN = 5
INCIDENTS_SHOWN = 5
DOCUMENTS_SHOWN = 10


def _access(request):
    from schools.access import get_access

    return getattr(request, "access", None) or get_access(request.user)


def step_and_plan(student, request) -> PanelRows | None:
    """GP-3 – GP-22: the current step, the case's deadlines due next and the plan in force."""
    if not request.user.has_perm("behaviour.view_student", student):
        return None
    sources = ContentType.objects.get_for_models(
        BehaviourCase, BehaviourPlan, Step3Plan, Placement, EscalationRequest
    ).values()
    values = {"student": student.pk, "sources": [source.pk for source in sources]}
    return PanelRows(_step_rows, lambda found: _step_context(student, found), values=values)


def _step_rows(p) -> list:
    """The rows of step_and_plan from its values only (schools.student_panels: the SQL per shape)."""
    open_case = Q(student=p.student, case__closed_at__isnull=True)
    deadlines = Deadline.objects.filter(
        student=p.student, state__in=PENDING_STATES, source_type__in=p.sources
    )
    return [
        overview_rows(BehaviourCase.objects.filter(student=p.student, closed_at__isnull=True), kind="case",
                      number="step", date_a=TruncDate("opened_at")),
        overview_rows(deadlines, kind="deadline", title="title", detail="rule", extra="url", who=full_name("owner"),
                      date_a="due_on", number=Case(When(state=DeadlineState.PAUSED, then=1), default=0),
                      order_by=("due_on", "pk"), limit=DEADLINES_SHOWN),
        overview_rows(BehaviourPlan.objects.filter(open_case, state=PlanState.ACTIVE), kind="plan2",
                      title="feedback_frequency", detail="desired_behaviour", who=full_name("teacher"),
                      date_a="talk_on", date_b="evaluation_due", order_by=("-created_at", "-pk"), limit=1),
        overview_rows(Step3Plan.objects.filter(open_case, state=PlanState.ACTIVE), kind="plan3",
                      detail="agreements", date_a="talk_on", date_b="evaluation_due",
                      order_by=("-created_at", "-pk"), limit=1),
        overview_rows(Placement.objects.filter(open_case, state__in=ACTIVE_PLACEMENT_STATES),
                      kind="placement", title="state", detail="host_group__name", who=full_name("host_teacher"),
                      date_a="starts_on", date_b="ends_on", order_by=("-created_at", "-pk"), limit=1),
    ]  # fmt: skip


def _step_context(student, rows) -> dict:
    today = timezone.localdate()
    case = next((row for row in rows if row.kind == "case"), None)
    deadlines = sorted((row for row in rows if row.kind == "deadline"), key=lambda row: (row.date_a, row.ref))
    plans = []
    for row in rows:
        if row.kind == "plan2":
            plans.append({"label": _("Gedragsplan (stap 2)"), "what": row.detail, "who": row.who,
                          "frequency": dict(Feedback.choices).get(row.title, ""), "start": row.date_a,
                          "end": row.date_b, "end_label": _("eindevaluatie uiterlijk"),
                          "overdue": row.date_b is not None and row.date_b < today})  # fmt: skip
        elif row.kind == "plan3":
            plans.append({"label": _("Afspraken stap 3"), "what": row.detail, "start": row.date_a, "end": row.date_b,
                          "end_label": _("evaluatie uiterlijk"),
                          "overdue": row.date_b is not None and row.date_b < today})  # fmt: skip
        elif row.kind == "placement":
            plans.append({"label": _("Week in een andere groep (stap 4)"),
                          "what": _("in %(group)s bij %(teacher)s") % {"group": row.detail, "teacher": row.who},
                          "state": dict(PlacementState.choices).get(row.title, ""), "start": row.date_a,
                          "end": row.date_b, "end_label": _("tot en met"), "overdue": False})  # fmt: skip
    return {
        "title": _("Gedrag: stap en wat er moet gebeuren"),
        "step": Step(case.number).label if case else "",
        "opened_on": case.date_a if case else None,
        "deadlines": [
            {
                "title": row.title,
                "rule": row.detail,
                "url": row.extra,
                "who": row.who,
                "due": row.date_a,
                "paused": bool(row.number),
                "overdue": not row.number and row.date_a < today,
            }
            for row in deadlines
        ],  # fmt: skip
        "plans": plans,
        "behaviour_url": reverse("behaviour_student", args=[student.pk]),
        "plans_url": reverse("behaviour_plans", args=[student.pk]),
    }


def recent_incidents(student, request) -> PanelRows | None:
    """GP-0 – GP-2: the last incidents the student was part of, as far as the timeline shows them (AVG-4)."""
    if not request.user.has_perm("behaviour.view_student", student):
        return None
    access = _access(request)
    values = {"student": student.pk, "levels": readable_levels(access)}
    return PanelRows(_incident_rows, lambda found: _incidents_context(student, found), values=values,
                     shape={"care_team": access.is_care_team})  # fmt: skip


def _incident_rows(p, *, care_team: bool):
    visible = Involvement.objects.filter(student=p.student, entry__visibility__in=p.levels)
    if not care_team:
        visible = visible.filter(entry__is_health=False)  # AVG-4: health data for the care team only
    return overview_rows(visible, kind="incident", ref="incident_id", title="incident__category", detail="part",
                         date_a=TruncDate("incident__happened_at"), number=Cast("incident__serious", IntegerField()),
                         order_by=("-incident__happened_at", "-pk"), limit=INCIDENTS_SHOWN)  # fmt: skip


def _incidents_context(student, rows) -> dict:
    parts = dict(Part.choices)
    rows = sorted(rows, key=lambda row: (row.date_a, row.ref), reverse=True)
    url = reverse("behaviour_student", args=[student.pk])
    return {
        "title": _("Recente incidenten"),
        "incidents": [
            {
                "category": row.title,
                "part": parts.get(row.detail, row.detail),
                "on": row.date_a,
                "serious": bool(row.number),
                "url": f"{url}#h-incidents",
            }
            for row in rows
        ],  # fmt: skip
        "behaviour_url": url,
    }


def documents_to_sign(student, request) -> PanelRows | None:
    """Documents of the student still waiting for a signature (GP-10, GP-21), read like their file entry."""
    if not request.user.has_perm("dossier.list_signable_documents", student):
        return None
    access = _access(request)
    values = {"student": student.pk, "source_type": ContentType.objects.get_for_model(SignableDocument).pk,
              "levels": readable_levels(access)}  # fmt: skip
    return PanelRows(_document_rows, lambda found: _documents_context(student, found), values=values,
                     shape={"care_team": access.is_care_team})  # fmt: skip


def _document_rows(p, *, care_team: bool):
    readable = DossierEntry.objects.filter(
        student=p.student,
        source_type=p.source_type,
        source_id=Cast(OuterRef("pk"), CharField()),
        visibility__in=p.levels,
    )
    if not care_team:
        readable = readable.filter(is_health=False)  # AVG-4: health data for the care team only
    waiting = SignatureRequest.objects.filter(
        version_id=OuterRef("current_version_id"), state=RequestState.OPEN
    )
    count = waiting.order_by().values("version_id").annotate(n=Count("pk")).values("n")
    documents = SignableDocument.objects.filter(Exists(waiting), Exists(readable), student=p.student)
    return overview_rows(documents, kind="document", title="title", date_a=TruncDate("created_at"),
                         number=Subquery(count, output_field=IntegerField()), order_by=("-created_at", "-pk"),
                         limit=DOCUMENTS_SHOWN)  # fmt: skip


def _documents_context(student, rows) -> dict | None:
    if not rows:
        return None  # nothing waiting: no panel
    rows = sorted(rows, key=lambda row: (row.date_a, row.ref), reverse=True)
    return {
        "title": _("Wacht op handtekeningen"),
        "documents": [
            {
                "title": row.title,
                "since": row.date_a,
                "waiting": row.number or 0,
                "url": reverse("signables_detail", args=[row.ref]),
            }
            for row in rows
        ],  # fmt: skip
        "list_url": reverse("signables_list", args=[student.pk]),
    }


def register() -> None:
    """Called once from BehaviourConfig.ready()."""
    from schools.student_panels import register_student_panel

    register_student_panel("gedrag", order=10, provider=step_and_plan, template="behaviour/panels/step.html")
    register_student_panel("incidenten", order=20, provider=recent_incidents,
                           template="behaviour/panels/incidents.html")  # fmt: skip
    register_student_panel("handtekeningen", order=60, provider=documents_to_sign,
                           template="behaviour/panels/signatures.html")  # fmt: skip
