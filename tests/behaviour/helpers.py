"""Shared helpers of the behaviour tests: an incident in one call."""

import datetime

from django.utils import timezone

from behaviour.models_incidents import Part
from behaviour.services.incidents import register_incident
from behaviour.settings import SEED_CATEGORIES

PHYSICAL = SEED_CATEGORIES[0]


def incident(
    world, student=None, *, actor=None, part=Part.ACTOR, others=(), serious=False, minutes_ago=1, **kwargs
):
    return register_incident(
        actor=actor or world.teacher,
        students=[(student or world.sanne, part), *others],
        category=kwargs.pop("category", PHYSICAL),
        facts=kwargs.pop("facts", "Duwde een medeleerling tegen de muur."),
        where=kwargs.pop("where", "gang"),
        happened_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        action_taken=kwargs.pop("action_taken", "Apart genomen."),
        discussed_with_student=kwargs.pop("discussed_with_student", True),
        serious=serious,
        **kwargs,
    )
