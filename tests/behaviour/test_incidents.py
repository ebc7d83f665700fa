"""Incidents (GP-0, GP-1, GP-2, GP-5): registered by any staff member, in every involved file."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from behaviour.models import BehaviourCase
from behaviour.models_incidents import Incident, Involvement, Part
from dossier.models import DossierEntry
from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol

from .helpers import PHYSICAL, incident

pytestmark = pytest.mark.django_db


def _nothing_written():
    return Incident.objects.count() == 0 and DossierEntry.objects.filter(kind="incident").count() == 0


def test_gp_2_any_staff_member_of_the_school_registers_an_incident(world):
    # Olga teaches 3C, not Sanne: she saw it in the corridor and registers it all the same (GP-2).
    made = incident(world, actor=world.olga)
    assert made.reported_by == world.olga
    entry = DossierEntry.objects.get(student=world.sanne, kind="incident")
    assert entry.author == world.olga and entry.source == made
    assert AuditEvent.objects.filter(action="behaviour.incident.registered").count() == 1


def test_gp_1_the_categories_are_the_seed_and_a_school_adds_its_own(world):
    with pytest.raises(ProtocolViolation) as refused:
        incident(world, category="brandstichting")
    assert refused.value.rule == "GP-1" and _nothing_written()
    change_protocol(actor=world.dirk, school=world.school, protocol=BEHAVIOUR, based_on=0, reason="Eigen categorie",
                    values={"incident_categories": ["fysieke agressie of geweld", "brandstichting"]})  # fmt: skip
    assert incident(world, category="brandstichting").category == "brandstichting"


def test_gp_0_an_incident_in_the_future_is_refused_with_a_dutch_message_and_nothing_written(world):
    with pytest.raises(ProtocolViolation) as refused:
        incident(world, minutes_ago=-60)
    assert "toekomst" in refused.value.message and _nothing_written()


def test_gp_2_a_student_of_another_school_is_refused_and_nothing_written(world):
    with pytest.raises(ProtocolViolation) as refused:
        incident(world, world.otto)
    assert "hoort niet bij jouw school" in refused.value.message and _nothing_written()
    # Nor another school's staff member for our student.
    with pytest.raises(ProtocolViolation):
        incident(world, actor=world.zeno)
    assert _nothing_written()


def test_gp_2_an_incident_without_a_staff_actor_or_without_an_acting_student_is_refused(world):
    from behaviour.services.incidents import register_incident

    with pytest.raises(ProtocolViolation) as refused:
        register_incident(actor=None, students=[(world.sanne, Part.ACTOR)], category=PHYSICAL, facts="x",
                          happened_at=timezone.now())  # fmt: skip
    assert refused.value.rule == "GP-2"
    with pytest.raises(ProtocolViolation):
        incident(world, part=Part.VICTIM)
    assert _nothing_written()


def test_gp_5_one_incident_lands_in_each_involved_file_with_the_others_linked_not_named(world):
    made = incident(world, others=[(world.daan, Part.VICTIM), (world.mila, Part.BYSTANDER)])
    entries = {e.student_id: e for e in DossierEntry.objects.filter(kind="incident")}
    assert set(entries) == {world.sanne.pk, world.daan.pk, world.mila.pk}
    sanne_entry = entries[world.sanne.pk]
    assert set(sanne_entry.involved.all()) == {world.daan, world.mila}
    for entry in entries.values():
        # AVG-4: the text of the file names nobody; the parents' portal redacts the linked others.
        assert "Daan" not in entry.body and "Mila" not in entry.body and "Sanne" not in entry.body
        assert "Besproken met de leerling: ja" in entry.body  # GP-5
    parts = dict(Involvement.objects.filter(incident=made).values_list("student_id", "part"))
    assert parts == {world.sanne.pk: "actor", world.daan.pk: "victim", world.mila.pk: "bystander"}
    # Only the actor is on the ladder.
    assert list(BehaviourCase.objects.values_list("student_id", flat=True)) == [world.sanne.pk]


def test_lb_8_label_and_name_checks_are_recorded_as_text_warnings_even_without_the_page(world):
    made = incident(world, facts="Die luie jongen duwde Daan.")
    assert set(made.text_warnings) == {"label", "name"}
    assert set(DossierEntry.objects.get(student=world.sanne, kind="incident").text_warnings) == {
        "label",
        "name",
    }


def test_the_same_form_sent_twice_after_being_offline_lands_once(world):
    first = incident(world, client_key="abc-123")
    again = incident(world, client_key="abc-123")
    assert first.pk == again.pk and Incident.objects.count() == 1


def test_two_staff_registering_for_the_same_student_at_the_same_moment_both_land_in_order(world):
    first = incident(world, actor=world.teacher)
    second = incident(world, actor=world.mentor, minutes_ago=1)
    numbers = list(
        Involvement.objects.filter(student=world.sanne).order_by("pk").values_list("incident_id", "number")
    )
    assert numbers == [(first.pk, 1), (second.pk, 2)]
    assert BehaviourCase.objects.filter(student=world.sanne).count() == 1


def test_registering_takes_the_same_number_of_queries_with_a_longer_history(world):
    incident(world)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            incident(world)
        return len(ctx.captured_queries)

    few = count()
    for _n in range(5):
        incident(world)
    assert count() == few


def test_incident_moment_defaults_to_now_when_not_given(world):
    from behaviour.services.incidents import register_incident

    made = register_incident(
        actor=world.teacher, students=[(world.sanne, Part.ACTOR)], category=PHYSICAL, facts="Schopte."
    )
    assert abs(made.happened_at - timezone.now()) < datetime.timedelta(minutes=1)
