"""Victims and bullying (issue 10 §3): aftercare in the victim's file; repeated incidents flagged to
the anti-pest coordinator, a role the school assigns."""

import pytest

from behaviour.models_incidents import BullyingFlag, Involvement, Part
from behaviour.services.incidents import record_aftercare
from dossier.models import DossierEntry
from messaging.models import Message
from protocols.exceptions import ProtocolViolation
from schools.models import Role
from tests import factories as f

from .helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(world):
    staff = f.StaffFactory(school=world.school, first_name="Pim", last_name="Pestcoördinator")
    f.give_role(staff, Role.ANTI_BULLYING_COORDINATOR)
    return staff


def test_the_victims_file_gets_the_incident_as_victim_with_aftercare(world):
    made = incident(world, others=[(world.daan, Part.VICTIM)])
    victim = Involvement.objects.get(incident=made, student=world.daan)
    assert "Rol: slachtoffer" in victim.entry.body
    record_aftercare(actor=world.mentor, involvement=victim, item="nagesprek met de leerling")
    victim.refresh_from_db()
    assert "nagesprek met de leerling" in victim.aftercare_done
    assert DossierEntry.objects.filter(student=world.daan, kind="talk", title__contains="Nazorg").count() == 1
    with pytest.raises(ProtocolViolation):
        record_aftercare(actor=world.mentor, involvement=victim, item="iets anders")


def test_repeated_incidents_against_one_victim_are_flagged_to_the_anti_pest_coordinator(world, coordinator):
    for _n in range(2):
        incident(world, others=[(world.daan, Part.VICTIM)])
    assert not BullyingFlag.objects.exists()
    incident(world, world.mila, others=[(world.daan, Part.VICTIM)])
    flag = BullyingFlag.objects.get()
    assert (flag.student, flag.kind, flag.count) == (world.daan, "victim", 3)
    mail = Message.objects.get(subject="Mogelijk pesten gemeld")
    assert mail.addresses("to") == [coordinator.email]
    assert "Daan" not in mail.body  # no names in the mail
    # A fourth does not flag again while the first is open.
    incident(world, world.mila, others=[(world.daan, Part.VICTIM)])
    assert BullyingFlag.objects.count() == 1


def test_one_actor_against_different_victims_is_flagged(world, coordinator):
    third = f.StudentFactory(school=world.school, first_name="Noor", last_name="Smit")
    for victim in (world.daan, world.mila, third):
        incident(world, others=[(victim, Part.VICTIM)])
    flag = BullyingFlag.objects.get(kind="actor")
    assert flag.student == world.sanne and flag.count == 3


def test_one_actor_against_the_same_victim_again_is_not_different_victims(world, coordinator):
    """Counted are the different victims: three incidents against the same two children stay at two."""
    for victim in (world.daan, world.mila, world.daan):
        incident(world, others=[(victim, Part.VICTIM)])
    assert not BullyingFlag.objects.filter(kind="actor").exists()
    third = f.StudentFactory(school=world.school, first_name="Noor", last_name="Smit")
    incident(world, others=[(third, Part.VICTIM)])
    flag = BullyingFlag.objects.get(kind="actor")
    assert flag.student == world.sanne and flag.count == 3


def test_the_coordinator_sees_the_flags_under_mijn_acties(world, coordinator):
    for victim in (world.daan, world.mila, f.StudentFactory(school=world.school)):
        incident(world, others=[(victim, Part.VICTIM)])
    body = world.client_for(coordinator).get("/").text
    assert "Mogelijk pesten" in body and "Sanne" in body
    assert "Mogelijk pesten" not in world.client_for(world.teacher).get("/").text
    flag = BullyingFlag.objects.get()
    assert world.client_for(coordinator).post(f"/gedrag/pesten/{flag.pk}/").status_code == 302
    flag.refresh_from_db()
    assert flag.handled_at is not None
