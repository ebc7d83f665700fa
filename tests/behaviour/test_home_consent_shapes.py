"""Issue #13: consent_requests_for (the home's "Instemming met stap 2 gevraagd", GP-6) reads the open
requests and their consents through schools.sql_shapes instead of a prefetch: the same requests as the
prefetch path for the director and the behaviour specialist, before and after one of them consented,
with the kept shapes on and off."""

from __future__ import annotations

import pytest
from django_scopes import scope

from behaviour.models import BehaviourCase
from behaviour.models_incidents import EscalationRequest
from behaviour.selectors import consent_requests_for
from behaviour.services.ladder import ROLE_OF_WORD, request_escalation
from schools import sql_shapes
from schools.access import compute_access

from .helpers import incident

pytestmark = pytest.mark.django_db


def _before(access) -> list[EscalationRequest]:
    """consent_requests_for as it was: one queryset with prefetch_related("consents")."""
    words = {word for word, role in ROLE_OF_WORD.items() if role in access.roles}
    requests = (
        EscalationRequest.objects.filter(case__school=access.school, state=EscalationRequest.State.OPEN)
        .select_related("case__student")
        .prefetch_related("consents")
    )
    return [
        r
        for r in requests
        if any(w in words and w not in {c.role_word for c in r.consents.all()} for w in r.required)
    ]


def _compare(world, who) -> list[int]:
    access = compute_access(who.user, world.school)
    with scope(school=[world.school.pk]):
        expected = [r.pk for r in _before(access)]
        for enabled in (True, False, True):
            sql_shapes.ENABLED = enabled
            try:
                assert [r.pk for r in consent_requests_for(access)] == expected
            finally:
                sql_shapes.ENABLED = True
    return expected


def test_gp_6_consent_requests_kept_shapes_are_the_prefetch_path(world):
    incident(world, serious=True)
    case = BehaviourCase.objects.get()
    request = request_escalation(actor=world.teacher, case=case, rule="GP-6", reason="Ernstig.")
    assert _compare(world, world.dirk) == [request.pk]
    assert _compare(world, world.bea) == [request.pk]
    assert _compare(world, world.teacher) == []
    assert (
        world.client_for(world.dirk).post(f"/gedrag/instemming/{request.pk}/", {"besluit": "ja"}).status_code
        == 302
    )
    assert _compare(world, world.dirk) == []  # consented: no longer waiting for the director
    assert _compare(world, world.bea) == [request.pk]
    assert not [key for key in sql_shapes.UNCACHEABLE if str(key[2][0]).startswith("behaviour.")]
