"""The JSON API at /api/v1/: keys, scopes, school isolation, session use, pagination, query counts."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from schools.models import ApiKey
from schools.services.api_keys import create_api_key, revoke_api_key
from tests import factories as f

pytestmark = pytest.mark.django_db

BOTH = ["organisation:read", "students:read"]


def key_client(school, scopes=BOTH) -> tuple[Client, ApiKey]:
    key, token = create_api_key(actor=None, school=school, name="Koppeling", scopes=scopes)
    return Client(headers={"Authorization": f"Bearer {token}"}), key


def ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


def test_schema_is_served_as_json_listing_every_path(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Leerlingzorg API"
    for path in (
        "/api/v1/school",
        "/api/v1/groups",
        "/api/v1/groups/{group_id}",
        "/api/v1/students",
        "/api/v1/students/{student_id}",
        "/api/v1/guardians",
        "/api/v1/guardians/{guardian_id}",
        "/api/v1/staff",
        "/api/v1/staff/{staff_id}",
    ):
        assert path in schema["paths"], path


def test_every_endpoint_answers_a_key_with_the_right_scope(world):
    client, _ = key_client(world.school)
    assert client.get("/api/v1/school").json()["name"] == "Beekdal Lyceum"
    assert ids(client.get("/api/v1/groups")) == {world.group_2b.pk, world.group_3c.pk}
    group = client.get(f"/api/v1/groups/{world.group_2b.pk}").json()
    assert group["name"] == "2B" and group["department"] == "onderbouw"
    assert group["mentor_ids"] == [world.mentor.pk]
    assert ids(client.get("/api/v1/students")) == {world.sanne.pk, world.daan.pk, world.mila.pk}
    sanne = client.get(f"/api/v1/students/{world.sanne.pk}").json()
    assert sanne["full_name"] == "Sanne de Vries"
    assert sanne["groups"] == [{"id": world.group_2b.pk, "name": "2B"}]
    assert sanne["guardians"][0]["guardian_id"] == world.parent_sanne.pk
    assert ids(client.get("/api/v1/guardians")) == {world.parent_sanne.pk}
    parent = client.get(f"/api/v1/guardians/{world.parent_sanne.pk}").json()
    assert parent["student_ids"] == [world.sanne.pk]
    assert world.carla.pk in ids(client.get("/api/v1/staff"))
    assert client.get(f"/api/v1/staff/{world.carla.pk}").json()["roles"] == ["care_coordinator"]


def test_students_of_a_group_can_be_listed(world):
    client, _ = key_client(world.school)
    response = client.get("/api/v1/students", {"group_id": world.group_3c.pk})
    assert ids(response) == {world.mila.pk}


@pytest.mark.parametrize(
    "scopes, url, allowed",
    [
        (["organisation:read"], "/api/v1/students", False),
        (["organisation:read"], "/api/v1/guardians", False),
        (["organisation:read"], "/api/v1/groups", True),
        (["students:read"], "/api/v1/groups", False),
        (["students:read"], "/api/v1/staff", False),
        (["students:read"], "/api/v1/school", False),
        (["students:read"], "/api/v1/students", True),
    ],
)
def test_a_key_without_the_scope_gets_403(world, scopes, url, allowed):
    client, _ = key_client(world.school, scopes)
    assert client.get(url).status_code == (200 if allowed else 403)


def test_wrong_scope_is_403_on_detail_too(world):
    client, _ = key_client(world.school, ["organisation:read"])
    assert client.get(f"/api/v1/students/{world.sanne.pk}").status_code == 403


def test_revoked_unknown_or_missing_key_gets_401(world):
    client, key = key_client(world.school)
    assert client.get("/api/v1/groups").status_code == 200
    revoke_api_key(actor=world.fiona.user, key=key)
    assert client.get("/api/v1/groups").status_code == 401
    forged = Client(headers={"Authorization": f"Bearer lz_{key.prefix}_not-the-secret"})
    assert forged.get("/api/v1/groups").status_code == 401
    assert Client(headers={"Authorization": "Bearer lz_00000000_x"}).get("/api/v1/groups").status_code == 401
    assert Client().get("/api/v1/groups").status_code == 401


def test_key_of_school_a_gets_404_for_every_object_of_school_b(world):
    client, _ = key_client(world.school)
    other_group = world.otto.memberships.get().group
    zeno = world.zeno
    for url in (
        f"/api/v1/students/{world.otto.pk}",
        f"/api/v1/groups/{other_group.pk}",
        f"/api/v1/guardians/{world.parent_otto.pk}",
        f"/api/v1/staff/{zeno.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert world.otto.pk not in ids(client.get("/api/v1/students"))
    assert other_group.pk not in ids(client.get("/api/v1/groups"))
    assert world.parent_otto.pk not in ids(client.get("/api/v1/guardians"))
    assert zeno.pk not in ids(client.get("/api/v1/staff"))
    assert client.get("/api/v1/students", {"group_id": other_group.pk}).json()["items"] == []
    assert AuditEvent.objects.filter(action="schools.student.api_view_denied", success=False).exists()


def test_a_student_read_through_the_api_is_audited(world):
    client, key = key_client(world.school)
    client.get(f"/api/v1/students/{world.sanne.pk}")
    event = AuditEvent.objects.get(action="schools.student.api_viewed")
    assert event.student_id == world.sanne.pk and key.prefix in event.actor_label


def test_last_used_is_written_at_most_once_a_minute(world):
    client, key = key_client(world.school)
    client.get("/api/v1/groups")
    key.refresh_from_db()
    first = key.last_used_at
    assert first is not None
    client.get("/api/v1/groups")
    key.refresh_from_db()
    assert key.last_used_at == first
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/groups")
    key.refresh_from_db()
    assert key.last_used_at > first - datetime.timedelta(seconds=1)


def test_lists_are_paginated(world):
    for n in range(7):
        f.place(f.StudentFactory(school=world.school, last_name=f"Zz{n}"), world.group_3c)
    client, _ = key_client(world.school)
    first = client.get("/api/v1/students", {"limit": 4, "offset": 0}).json()
    second = client.get("/api/v1/students", {"limit": 4, "offset": 4}).json()
    third = client.get("/api/v1/students", {"limit": 4, "offset": 8}).json()
    assert first["count"] == 10 and len(first["items"]) == 4 and len(third["items"]) == 2
    every = [s["id"] for page in (first, second, third) for s in page["items"]]
    assert len(set(every)) == 10


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_student_list_query_count_does_not_grow_with_students(world):
    client, _ = key_client(world.school)
    _queries(client, "/api/v1/students")  # first call writes last_used_at
    before = _queries(client, "/api/v1/students")
    for _ in range(20):
        student = f.StudentFactory(school=world.school)
        f.place(student, world.group_2b)
        f.link_guardian(student, f.GuardianFactory(school=world.school))
    assert _queries(client, "/api/v1/students") == before
    assert _queries(client, "/api/v1/guardians") <= before


def test_signed_in_teacher_reads_only_what_the_pages_show(world):
    client = world.client_for(world.teacher)
    assert ids(client.get("/api/v1/students")) == {world.sanne.pk, world.daan.pk}
    assert client.get(f"/api/v1/students/{world.mila.pk}").status_code == 404
    assert client.get(f"/api/v1/students/{world.otto.pk}").status_code == 404
    assert ids(client.get("/api/v1/groups")) == {world.group_2b.pk}
    assert ids(client.get("/api/v1/guardians")) == {world.parent_sanne.pk}


def test_signed_in_care_coordinator_reads_the_whole_school(world):
    client = world.client_for(world.carla)
    assert ids(client.get("/api/v1/students")) == {world.sanne.pk, world.daan.pk, world.mila.pk}


def test_board_member_without_school_cannot_use_the_api(world):
    assert world.client_for(world.bert).get("/api/v1/students").status_code == 401


def test_functional_admin_creates_a_key_and_sees_the_token_once(world):
    client = world.client_for(world.fiona)
    response = client.post("/api-sleutels/", {"name": "Rooster", "scopes": ["organisation:read"]})
    body = response.content.decode()
    key = ApiKey.objects.get(name="Rooster")
    assert f"lz_{key.prefix}_" in body and "niet opnieuw getoond" in body
    token = body.split('value="lz_')[1].split('"')[0]
    assert ApiKey.hash_secret(f"lz_{token}") == key.secret_hash
    again = client.get("/api-sleutels/").content.decode()
    assert f"lz_{token}" not in again and "Rooster" in again
    assert AuditEvent.objects.filter(action="schools.api_key.created").exists()


def test_functional_admin_form_keeps_input_on_error(world):
    client = world.client_for(world.fiona)
    body = client.post("/api-sleutels/", {"name": "Rooster"}).content.decode()
    assert 'value="Rooster"' in body and 'role="alert"' in body
    assert not ApiKey.objects.exists()


def test_functional_admin_revokes_a_key(world):
    _, key = key_client(world.school)
    client = world.client_for(world.fiona)
    client.post(f"/api-sleutels/{key.pk}/intrekken/")
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_at <= timezone.now()
    assert AuditEvent.objects.filter(action="schools.api_key.revoked").count() == 1


@pytest.mark.parametrize("persona", ["teacher", "carla", "dirk", "zeno"])
def test_only_the_functional_admin_manages_keys(world, persona):
    _, key = key_client(world.school)
    client = world.client_for(getattr(world, persona))
    assert client.get("/api-sleutels/").status_code == 404
    client.post(f"/api-sleutels/{key.pk}/intrekken/")
    key.refresh_from_db()
    assert key.revoked_at is None


def test_command_prints_a_working_token(world, capsys):
    call_command("create_api_key", "--school=99XX", "--name=Koppeling", "--scope=students:read")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/students").status_code == 200
