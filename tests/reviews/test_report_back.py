"""LB-13: the mentor reports the evaluation back to the colleagues, the student and the parents, once."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind
from messaging.models import Message
from reviews.models import Evaluation
from reviews.services import agreements

from .meeting_support import closed

pytestmark = pytest.mark.django_db


def _evaluated(world, meeting):
    closed(world, meeting, world.sanne)
    agreement = meeting.agreements.get()
    return agreements.evaluate_agreement(actor=world.mentor.user, agreement=agreement, outcome="partly",
                                         what_next="Nog vier weken, dan opnieuw.")  # fmt: skip


def _addresses(message):
    return set(message.addresses("to"))


def test_lb_13_the_mentor_reports_the_evaluation_back_to_colleagues_student_and_parents(world, meeting_2b):
    evaluation = _evaluated(world, meeting_2b)
    before = set(Message.objects.values_list("pk", flat=True))
    client = world.client_for(world.mentor)
    url = reverse("review_evaluation_report", args=[evaluation.pk])
    response = client.post(url)
    assert response.status_code == 302
    new = Message.objects.exclude(pk__in=before)
    reached = set().union(*(_addresses(m) for m in new))
    assert world.teacher.email in reached and world.mentor.email in reached  # every teacher of the class
    assert world.olga.email not in reached  # not a teacher of this class
    assert world.parent_sanne.email in reached  # the parents
    parents = next(m for m in new if world.parent_sanne.email in _addresses(m))
    assert "geëvalueerd" in parents.body and "Nog vier weken" in parents.body and "u " in parents.body
    entry = DossierEntry.objects.get(kind=EntryKind.TALK, title="Evaluatie besproken met de leerling")
    assert entry.student == world.sanne
    evaluation.refresh_from_db()
    assert evaluation.reported_at is not None and evaluation.reported_by == world.mentor
    assert AuditEvent.objects.filter(action="reviews.evaluation.reported").count() == 1
    # Recorded once: a second report is refused in Dutch and sends nothing.
    count = Message.objects.count()
    response = client.post(url, follow=True)
    assert "al teruggekoppeld" in response.content.decode()
    assert Message.objects.count() == count
    assert "Teruggekoppeld aan de collega" in response.content.decode()


def test_lb_13_an_unrelated_teacher_cannot_report_an_evaluation_back(world, meeting_2b):
    evaluation = _evaluated(world, meeting_2b)
    response = world.client_for(world.olga).post(reverse("review_evaluation_report", args=[evaluation.pk]))
    assert response.status_code == 404
    assert Evaluation.objects.get().reported_at is None
    response = world.client_for(world.mentor).post(
        reverse("review_evaluation_report", args=[evaluation.pk + 99])
    )
    assert response.status_code == 404
