"""Referral (LB-11) to the care team or the ZAT: question and reason, care team only (AVG-4),
tracked until answered."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from deadlines.models import Deadline
from dossier.models import DossierEntry, EntryKind, Visibility
from reviews.models import Referral, ReferralState
from reviews.services import agreements

from .meeting_support import discuss, started

pytestmark = pytest.mark.django_db


def referral(world, m):
    started(world, m, world.sanne)
    discuss(world, m, world.sanne)
    return agreements.refer(actor=world.carla.user, meeting=m, student=world.sanne, target="zat",
                            question="Is hulp van buiten nodig?", reason="Zwaardere problemen thuis.")  # fmt: skip


def test_lb_11_referral_to_the_zat_with_question_and_reason_in_the_care_file(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.carla).post(
        reverse("review_referral_add", args=[meeting_2b.pk, world.sanne.pk]),
        {"target": "zat", "question": "Is hulp van buiten nodig?", "reason": "Zwaardere problemen thuis."},
    )
    assert response.status_code == 302
    r = Referral.objects.get()
    assert (r.target, r.question, r.reason, r.state) == ("zat", "Is hulp van buiten nodig?",
                                                          "Zwaardere problemen thuis.", ReferralState.OPEN)  # fmt: skip
    entry = DossierEntry.objects.get(kind=EntryKind.REFERRAL)
    assert entry.visibility == Visibility.CARE_TEAM  # AVG-4


def test_lb_11_referral_without_reason_is_refused(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.carla).post(
        reverse("review_referral_add", args=[meeting_2b.pk, world.sanne.pk]),
        {"target": "care_team", "question": "Wat nu?", "reason": ""},
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "mentor", "olga", "anouk", "fiona"])
def test_avg_4_a_referral_is_a_404_for_anyone_outside_the_care_team(world, meeting_2b, persona):
    r = referral(world, meeting_2b)
    response = world.client_for(getattr(world, persona)).get(reverse("review_referral", args=[r.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="reviews.referral.view_denied", success=False).exists()
    assert "Zwaardere problemen thuis." not in response.content.decode()


def test_avg_4_the_meeting_screen_does_not_show_the_referral_to_the_teacher(world, meeting_2b):
    referral(world, meeting_2b)
    page = (
        world.client_for(world.teacher)
        .get(reverse("review_meeting_mode", args=[meeting_2b.pk]))
        .content.decode()
    )
    assert "Zwaardere problemen thuis." not in page and "Is hulp van buiten nodig?" not in page
    assert "alleen het zorgteam leest haar" in page


def test_lb_11_a_referral_is_tracked_until_answered(world, meeting_2b):
    r = referral(world, meeting_2b)
    deadline = Deadline.objects.get(rule="LB-11")
    assert deadline.owner == world.carla and deadline.state == "open"
    client = world.client_for(world.bea)  # behaviour specialist: care team
    assert client.get(reverse("review_referral", args=[r.pk])).status_code == 200
    response = client.post(
        reverse("review_referral", args=[r.pk]), {"answer": "ZAT neemt het op; gesprek op 12-1."}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    deadline.refresh_from_db()
    assert r.state == ReferralState.ANSWERED and deadline.state != "open"
    second = client.post(reverse("review_referral", args=[r.pk]), {"answer": "nogmaals"})
    assert second.status_code == 400 and "al beantwoord" in second.content.decode()
