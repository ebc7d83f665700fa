"""Issue #13 §1: the behaviour protocol's pages make at most 12 queries, the same number for a short and
a long history: the student's behaviour page (5 incidents in one case against 50 incidents, measures,
a step-2 request with consents, aftercare and cases closed in earlier school years), the group's "who
is where" and the school overview (more students on the ladder)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from behaviour.models import BehaviourCase
from behaviour.models_incidents import Part
from behaviour.services.ladder import confirm_measure, give_consent, propose_next_measure, request_escalation
from tests import factories as f
from tests.behaviour.factories import BehaviourCaseFactory
from tests.behaviour.helpers import incident

from .test_query_counts import MAX_QUERIES, statements

pytestmark = pytest.mark.django_db


def _count(client, url: str, page: list | None = None) -> int:
    client.get(url)  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if os.environ.get("DUMP_QUERIES"):
        print(url, *(q["sql"][:200] for q in ctx.captured_queries), sep="\n  ")
    if page is not None:
        page.append(response.content.decode())
    return statements(ctx.captured_queries)


def _history(world, student, n: int, *, years: int = 0) -> None:
    """n incidents (a third with the student as victim, with another student as actor), the ladder's
    measures confirmed, a step-2 request with a consent, and `years` cases closed in earlier years."""
    for y in range(1, years + 1):
        old = BehaviourCaseFactory(student=student)
        BehaviourCase.objects.filter(pk=old.pk).update(
            opened_at=timezone.now() - datetime.timedelta(days=365 * y),
            closed_at=timezone.now() - datetime.timedelta(days=365 * y - 200),
        )
    other = f.StudentFactory(school=world.school)
    f.place(other, world.group_2b)
    for i in range(n):
        if i % 3 == 2:
            incident(world, other, others=[(student, Part.VICTIM)], minutes_ago=n - i + 1)
        else:
            incident(world, student, minutes_ago=n - i + 1)
    case = BehaviourCase.objects.get(student=student, closed_at__isnull=True)
    for _ in range(min(3, n)):
        case.refresh_from_db()
        confirm_measure(actor=world.teacher, case=case, measure=propose_next_measure(case).code)
    case.refresh_from_db()
    escalation = request_escalation(actor=world.teacher, case=case, rule="GP-6", reason="Ernstig.")
    give_consent(actor=world.dirk, request=escalation, role_word="directeur", agreed=True)


@pytest.mark.parametrize("persona", ["teacher", "mentor", "carla", "bea", "dirk"])
def test_behaviour_student_page_queries_bounded_and_constant_in_the_history(world, persona):
    _history(world, world.sanne, 5)
    _history(world, world.daan, 50, years=3)
    client = world.client_for(getattr(world, persona))
    pages = []
    short = _count(client, f"/gedrag/leerling/{world.sanne.pk}/", pages)
    long = _count(client, f"/gedrag/leerling/{world.daan.pk}/", pages)
    assert short <= MAX_QUERIES, f"{persona}: {short} queries"
    assert long == short, f"{persona}: {short} queries for 5 incidents, {long} for 50 over years"
    for page in pages:  # what the one query brings is on the page: the consent, the aftercare
        assert f"directeur: ingestemd ({world.dirk.full_name}," in page
        assert "Nazorg als slachtoffer" in page and "Recente incidenten" in page


def test_the_behaviour_page_reads_the_same_position_proposal_and_request_as_the_ladder(world):
    """The page's single read (behaviour_student_queryset) agrees with the ladder's own functions."""
    from django_scopes import scope

    from behaviour.selectors import behaviour_student_queryset, open_case_of, student_behaviour
    from behaviour.services.ladder import position_of

    _history(world, world.daan, 8, years=1)
    incident(world, world.sanne, serious=True)  # GP-3: a serious incident proposes the stages at once
    with scope(school=world.school):
        for student in (world.daan, world.sanne, world.mila):
            data = student_behaviour(behaviour_student_queryset().get(pk=student.pk))
            case = open_case_of(student)
            assert (data["case"] and data["case"].pk) == (case and case.pk)
            if case is not None:
                assert data["position"] == position_of(case)
                assert data["proposal"] == propose_next_measure(case)
            escalation = case.escalations.filter(state__in=["open", "granted"]).first() if case else None
            assert (data["escalation"] and data["escalation"].pk) == (escalation and escalation.pk)
            if escalation is not None:
                assert [(c.role_word, c.agreed, c.staff.full_name, c.given_at) for c in data["consents"]] == [
                    (c.role_word, c.agreed, c.staff.full_name, c.given_at)
                    for c in escalation.consents.order_by("pk")
                ]
