"""Evaluation of each agreement on its date (LB-9: always evaluated; LB-13)."""

import pytest
from django.urls import reverse

from deadlines.models import Deadline
from dossier.models import DossierEntry, EntryKind
from reviews.models import AgreementState, Evaluation
from reviews.services import agreements

from .meeting_support import agree, closed, started

pytestmark = pytest.mark.django_db


def test_lb_13_evaluation_achieved_partly_not_with_what_next_in_the_file(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    agreement = meeting_2b.agreements.get()
    response = world.client_for(world.mentor).post(reverse("review_evaluate", args=[agreement.pk]),
                                                   {"outcome": "partly", "what_next": "Nog vier weken, dan opnieuw."})  # fmt: skip
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.EVALUATED
    assert Evaluation.objects.get().get_outcome_display() == "deels behaald"
    entry = DossierEntry.objects.get(kind=EntryKind.EVALUATION)
    assert "Nog vier weken" in entry.body
    assert Deadline.objects.get(source_id=str(agreement.pk), rule="LB-13").state != "open"


def test_lb_13_evaluation_without_what_next_or_twice_is_refused(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    agreement = meeting_2b.agreements.get()
    client = world.client_for(world.mentor)
    url = reverse("review_evaluate", args=[agreement.pk])
    assert client.post(url, {"outcome": "achieved", "what_next": ""}).status_code == 400
    assert client.post(url, {"outcome": "maybe", "what_next": "x"}).status_code == 400
    assert not Evaluation.objects.exists()
    agreements.evaluate_agreement(
        actor=world.mentor.user, agreement=agreement, outcome="achieved", what_next="Klaar."
    )
    response = client.post(url, {"outcome": "not", "what_next": "Opnieuw"})
    assert response.status_code == 400 and "al geëvalueerd" in response.content.decode()
    assert Evaluation.objects.count() == 1


def test_lb_13_no_evaluation_before_the_meeting_is_closed(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    agreement = agree(world, meeting_2b, world.sanne)
    response = world.client_for(world.mentor).post(reverse("review_evaluate", args=[agreement.pk]),
                                                   {"outcome": "achieved", "what_next": "x"})  # fmt: skip
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_lb_13_an_unrelated_teacher_cannot_evaluate(world, meeting_2b):
    closed(world, meeting_2b, world.sanne)
    agreement = meeting_2b.agreements.get()
    response = world.client_for(world.olga).get(reverse("review_evaluate", args=[agreement.pk]))
    assert response.status_code == 404
