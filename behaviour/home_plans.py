"""“Mijn acties” for steps 2–4: feedback to give, talks and evaluations due, plans waiting for signatures."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

STEP_RULES = ("GP-9", "GP-10", "GP-15", "GP-16", "GP-22")


def my_behaviour_actions(request) -> dict | None:
    """Two queries whatever the number of plans: my open step deadlines, and unsigned plans I lead."""
    from deadlines.models import Deadline, DeadlineState

    from .models_plans import BehaviourPlan, Placement, PlacementState, PlanState

    access = getattr(request, "access", None)
    if access is None or access.school is None or access.staff is None:
        return None
    today = timezone.localdate()
    deadlines = list(
        Deadline.objects.filter(
            school_id=access.school.pk, owner=access.staff, state=DeadlineState.OPEN, rule__in=STEP_RULES,
            due_on__lte=today + datetime.timedelta(days=7),
        ).order_by("due_on", "pk")[:10]
    )  # fmt: skip
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
        waiting = list(
            BehaviourPlan.objects.filter(
                school_id=access.school.pk, state=PlanState.ACTIVE,
                document__current_version__requests__state="open",
            ).values_list("student_id", flat=True).distinct()[:5]
        ) + list(
            Placement.objects.filter(
                school_id=access.school.pk, state=PlacementState.PLANNED,
                document__current_version__requests__state="open",
            ).values_list("student_id", flat=True).distinct()[:5]
        )  # fmt: skip
        items += [
            {"label": _("Plan wacht op handtekeningen"), "url": reverse("behaviour_plans", args=[pk])}
            for pk in dict.fromkeys(waiting)
        ]
    if not items:
        return None
    return {"title": _("Gedragsprotocol: te doen"), "items": items, "empty": _("Niets te doen.")}
