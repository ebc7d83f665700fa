"""The audit log: a hash chain that `verify_audit` checks, and who looked at a student's file (AVG-4)."""

import io

import pytest
from django.core.management import call_command

from audit.audit import audit
from audit.models import AuditEvent
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from tests import factories as f

pytestmark = pytest.mark.django_db


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except SystemExit as stop:
        return stop.code, out.getvalue()
    return 0, out.getvalue()


def test_verify_audit_reports_an_intact_chain(world):
    for _ in range(3):
        world.client_for(world.mentor).get(f"/dossier/leerling/{world.sanne.pk}/")
    code, output = _verify()
    assert code == 0 and output.strip() == f"Auditlog intact ({AuditEvent.objects.count()} regels)"


def test_verify_audit_names_the_first_tampered_row(world):
    for n in range(5):
        audit(actor=world.carla.user, action="dossier.viewed", student=world.sanne, data={"n": n})
    tampered = AuditEvent.objects.order_by("seq")[2]
    AuditEvent.objects.filter(pk=tampered.pk).update(data={"n": 99})
    code, output = _verify()
    assert code == 1
    assert f"Eerste breuk bij regel seq={tampered.seq}" in output


def test_verify_audit_finds_a_deleted_row(world):
    for n in range(4):
        audit(actor=world.carla.user, action="dossier.viewed", student=world.sanne, data={"n": n})
    gone = AuditEvent.objects.order_by("seq")[1]
    gone.delete()
    code, output = _verify()
    assert code == 1 and f"seq={gone.seq + 1}" in output


def test_who_looked_lists_reads_and_refused_attempts(world):
    world.client_for(world.teacher).get(f"/dossier/leerling/{world.sanne.pk}/")
    outsider = f.StaffFactory(school=world.school, user=f.UserFactory(email="vreemde@beekdal.test"))
    world.client_for(outsider).get(f"/dossier/leerling/{world.sanne.pk}/")
    world.client_for(world.zeno).get(f"/dossier/leerling/{world.sanne.pk}/")
    response = world.client_for(world.carla).get(f"/dossier/leerling/{world.sanne.pk}/bekeken/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "tom@beekdal.test" in body and "tijdlijn bekeken" in body
    assert "vreemde@beekdal.test" in body and "geweigerd" in body
    assert "127.0.0.1" in body
    assert "zeno@andere.test" in body  # another school's attempt is shown too


@pytest.mark.parametrize(
    ("persona", "status"),
    [("carla", 200), ("dirk", 200), ("bea", 404), ("mentor", 404), ("teacher", 404), ("zeno", 404)],
)
def test_only_care_coordinator_and_director_see_who_looked(world, persona, status):
    response = world.client_for(getattr(world, persona)).get(f"/dossier/leerling/{world.sanne.pk}/bekeken/")
    assert response.status_code == status


def test_who_looked_is_paginated_and_only_this_student(world):
    for _ in range(60):
        audit(actor=world.teacher.user, action="dossier.viewed", student=world.sanne, school=world.school)
    audit(
        actor=world.teacher.user,
        action="dossier.viewed",
        student=world.daan,
        school=world.school,
        address="10.9.9.9",
    )
    client = world.client_for(world.dirk)
    first = client.get(f"/dossier/leerling/{world.sanne.pk}/bekeken/").content.decode()
    assert "Pagina 1 van 2" in first and "10.9.9.9" not in first
    assert client.get(f"/dossier/leerling/{world.sanne.pk}/bekeken/", {"page": 2}).status_code == 200


def test_avg_4_need_to_know_and_every_read_logged(world):
    record(
        student=world.sanne,
        kind=EntryKind.TALK,
        title="Zorgoverleg",
        actor=world.carla.user,
        visibility=Visibility.CARE_TEAM,
    )
    body = world.client_for(world.teacher).get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    assert "Zorgoverleg" not in body
    read = AuditEvent.objects.filter(action="dossier.viewed", actor_id=world.teacher.user.pk).get()
    assert read.student_id == world.sanne.pk and read.address and read.at
    assert _verify()[0] == 0
