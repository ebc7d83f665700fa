"""Objects of school B for the authorization matrix (schools/matrix.py): made through the services."""

from __future__ import annotations


def school_b_objects(world) -> dict:
    from django.utils import timezone

    from protocols.registry import BEHAVIOUR
    from protocols.services import protocol_value

    from .models_incidents import BullyingFlag, EscalationRequest, Part
    from .services.incidents import register_incident
    from .services.ladder import case_for

    category = protocol_value(world.other_school, BEHAVIOUR, "incident_categories")[0]
    incident = register_incident(
        actor=world.zeno, students=[(world.otto, Part.ACTOR)], category=category, facts="Duwde in de gang.",
        happened_at=timezone.now(),
    )  # fmt: skip
    case = case_for(student=world.otto, actor=world.zeno)
    escalation = EscalationRequest.objects.create(
        case=case, rule="GP-7", reason="Structureel.", required=["directeur"]
    )
    flag = BullyingFlag.objects.create(
        school=world.other_school, student=world.otto, kind="actor", incident=incident, count=3
    )
    return {
        "behaviour_escalation": escalation.pk,
        "behaviour_involvement": incident.involvements.get().pk,
        "behaviour_flag": flag.pk,
    }
