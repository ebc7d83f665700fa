"""“Mijn acties” for steps 2–4: feedback to give, talks and evaluations due, plans waiting for signatures."""

from __future__ import annotations

import datetime

from django.db.models import Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import sql_shapes

STEP_RULES = ("GP-9", "GP-10", "GP-15", "GP-16", "GP-22")


def my_behaviour_actions(request) -> dict | None:
    """At most one query of its own whatever the number of plans: the step deadlines come from the
    viewer's open deadlines (read once per request), the unsigned plans and placements in one UNION."""
    from deadlines.selectors_deadlines import viewer_open_deadlines

    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    today = timezone.localdate()
    # The viewer's open deadlines are read once per request and shared by the providers (issue #13).
    horizon = today + datetime.timedelta(days=7)
    deadlines = [
        d
        for d in viewer_open_deadlines(request)
        if d.school_id == access.school.pk and d.rule in STEP_RULES and d.due_on <= horizon
    ][:10]
    items = [
        {
            "label": f"{d.title} ({d.rule})",
            "url": reverse("behaviour_plans", args=[d.student_id]) if d.student_id else "",
            "due": d.due_on,
            "overdue": d.due_on < today,
        }
        for d in deadlines
    ]
    if access.is_care_team:
        # One query for plans and placements (issue #13): per kind the five newest waiting, as before;
        # its SQL compiled once per shape (schools.sql_shapes), the school bound.
        rows = sorted(
            sql_shapes.fetch(("behaviour.home_waiting_plans",), {"school": access.school.pk}, _waiting_query),
            key=lambda row: (row[2], row[3]),
            reverse=True,
        )
        waiting = [row[1] for row in rows if row[0] == "plan"][:5] + [
            row[1] for row in rows if row[0] == "placement"
        ][:5]
        items += [
            {"label": _("Plan wacht op handtekeningen"), "url": reverse("behaviour_plans", args=[pk])}
            for pk in dict.fromkeys(waiting)
        ]
    if not items:
        return None
    return {"title": _("Gedragsprotocol: te doen"), "items": items, "empty": _("Niets te doen.")}


def _waiting_query(p):
    """The care team's active plans and planned placements with an open signature request (one UNION)."""
    from .models_plans import BehaviourPlan, Placement, PlacementState, PlanState

    plans = (
        BehaviourPlan.objects.filter(
            school_id=p.school,
            state=PlanState.ACTIVE,
            document__current_version__requests__state="open",
        )
        .order_by()
        .values_list(Value("plan"), "student_id", "created_at", "pk")
    )
    placements = Placement.objects.filter(
        school_id=p.school, state=PlacementState.PLANNED,
        document__current_version__requests__state="open",
    ).order_by().values_list(Value("placement"), "student_id", "created_at", "pk")  # fmt: skip
    return plans.union(placements)
