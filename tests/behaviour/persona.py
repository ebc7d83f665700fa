"""Behaviour objects in school A for the persona matrix (tests/persona_world.py calls this once)."""

from behaviour.models_incidents import BullyingFlag, EscalationRequest, Involvement, Part
from behaviour.services.incidents import register_incident
from behaviour.services.ladder import request_escalation
from behaviour.settings import SEED_CATEGORIES


def behaviour_objects(w) -> dict:
    made = register_incident(actor=w.teacher, students=[(w.sanne, Part.ACTOR), (w.daan, Part.VICTIM)],
                             category=SEED_CATEGORIES[0], facts="Duwde een medeleerling.", serious=True)  # fmt: skip
    case = Involvement.objects.get(incident=made, student=w.sanne).case
    escalation = request_escalation(actor=w.teacher, case=case, rule="GP-6", reason="Ernstig incident.")
    flag = BullyingFlag.objects.create(school=w.school, student=w.daan, kind="victim", incident=made, count=3)
    assert escalation.state == EscalationRequest.State.OPEN
    return {
        "behaviour_escalation": escalation.pk,
        "behaviour_involvement": Involvement.objects.get(incident=made, student=w.daan).pk,
        "behaviour_flag": flag.pk,
    }
