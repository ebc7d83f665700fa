"""Log templates: managed by care coordinator, director and functional admin; edits never
overwrite silently; a template taken out of use is no longer offered but old notes keep it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dossier.demo import fill_demo_files
from dossier.models import LogEntry, LogTemplate
from dossier.services.log_templates import (
    DEFAULT_LOG_TEMPLATES,
    create_log_template,
    ensure_default_log_templates,
    update_log_template,
)
from dossier.services.logbook import write_log_entry

pytestmark = pytest.mark.django_db

LIST = "/dossier/logboeksjablonen/"


@pytest.mark.parametrize("persona", ["carla", "dirk", "fiona"])
def test_allowed_roles_open_the_page_and_get_the_dutch_defaults(world, persona):
    response = world.client_for(getattr(world, persona)).get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("Gesprek met leerling", "Contact met ouders", "Signaal", "Observatie in de les"):
        assert name in body
    assert LogTemplate.objects.filter(school=world.school).count() == len(DEFAULT_LOG_TEMPLATES)
    assert not LogTemplate.objects.filter(school=world.other_school).exists()


@pytest.mark.parametrize("persona", ["teacher", "mentor", "bea", "anouk"])
def test_other_roles_get_404(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(LIST).status_code == 404
    assert client.post(reverse("log_template_create"), {"name": "X", "body": ""}).status_code == 404
    assert not LogTemplate.objects.exists()


def test_another_schools_director_gets_404_on_our_template(world):
    ours = create_log_template(actor=world.carla.user, school=world.school, name="Oudergesprek", body="")
    zeno = world.client_for(world.zeno)
    assert zeno.get(reverse("log_template_edit", args=[ours.pk])).status_code == 404
    assert zeno.post(reverse("log_template_deactivate", args=[ours.pk])).status_code == 404
    ours.refresh_from_db()
    assert ours.active
    assert AuditEvent.objects.filter(action="dossier.log_template.denied", success=False).exists()


def test_defaults_are_seeded_once_and_not_brought_back(world):
    assert ensure_default_log_templates(world.school) == 4
    assert ensure_default_log_templates(world.school) == 0
    LogTemplate.objects.filter(name="Signaal").update(name="Zorgsignaal")
    world.client_for(world.carla).get(LIST)
    assert not LogTemplate.objects.filter(name="Signaal").exists()
    body = LogTemplate.objects.get(name="Contact met ouders").body
    assert "Afspraken:" in body


def test_demo_seeds_default_templates(world):
    fill_demo_files([world.school])
    assert LogTemplate.objects.filter(school=world.school, active=True).count() == 4


def test_list_shows_only_the_own_schools_templates(world):
    LogTemplate.objects.create(school=world.other_school, name="Elders", body="")
    body = world.client_for(world.carla).get(LIST).content.decode()
    assert "Elders" not in body and "Signaal" in body


def test_list_is_paginated(world):
    for n in range(30):
        LogTemplate.objects.create(school=world.school, name=f"Sjabloon {n:02d}")
    client = world.client_for(world.fiona)
    first = client.get(LIST).content.decode()
    assert "Pagina 1 van 2" in first and "Sjabloon 00" in first and "Sjabloon 29" not in first
    assert "Sjabloon 29" in client.get(LIST, {"page": 2}).content.decode()


def test_create_and_edit_through_the_pages_are_audited(world):
    client = world.client_for(world.carla)
    response = client.post(reverse("log_template_create"), {"name": "Huisbezoek", "body": "Aanwezig:"})
    assert response.status_code == 302
    template = LogTemplate.objects.get(name="Huisbezoek")
    response = client.post(
        reverse("log_template_edit", args=[template.pk]),
        {"name": "Huisbezoek", "body": "Aanwezig:\nAfspraken:", "version": 1},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Aanwezig:\nAfspraken:" and template.version == 2
    actions = set(AuditEvent.objects.filter(object_id=str(template.pk)).values_list("action", flat=True))
    assert {"dossier.log_template.created", "dossier.log_template.updated"} <= actions


def test_missing_or_duplicate_name_is_refused_in_dutch_and_keeps_the_text(world):
    create_log_template(actor=world.carla.user, school=world.school, name="Huisbezoek", body="")
    client = world.client_for(world.carla)
    empty = client.post(reverse("log_template_create"), {"name": "", "body": "Mijn opzet"})
    assert empty.status_code == 422 and "Mijn opzet" in empty.content.decode()
    duplicate = client.post(reverse("log_template_create"), {"name": "huisbezoek", "body": "Nog een opzet"})
    text = duplicate.content.decode()
    assert duplicate.status_code == 422 and "Er is al een sjabloon met deze naam" in text
    assert "Nog een opzet" in text and LogTemplate.objects.count() == 1


def test_stale_edit_is_refused_with_a_dutch_message_and_keeps_the_text(world):
    template = create_log_template(actor=world.carla.user, school=world.school, name="Signaal", body="Wat:")
    # Dirk saves first, from version 1.
    update_log_template(
        actor=world.dirk.user, template=template, expected_version=1, name="Signaal", body="Wat (feiten):"
    )
    response = world.client_for(world.carla).post(
        reverse("log_template_edit", args=[template.pk]),
        {"name": "Signaal", "body": "Mijn nieuwe opzet", "version": 1},
    )
    text = response.content.decode()
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in text
    assert "Mijn nieuwe opzet" in text and "Wat (feiten):" in text  # her text and the current version
    template.refresh_from_db()
    assert template.body == "Wat (feiten):" and template.version == 2
    # Saving again after comparing starts from the version she has now seen.
    assert 'name="version" value="2"' in text
    with pytest.raises(ValidationError):
        update_log_template(actor=world.carla.user, template=template, expected_version=1, name="X", body="")


def test_deactivated_template_is_no_longer_offered_but_old_entries_keep_it(world):
    template = create_log_template(
        actor=world.carla.user, school=world.school, name="Oudergesprek", body="Aanwezig:"
    )
    old = write_log_entry(
        actor=world.mentor.user,
        student=world.sanne,
        title="Gesprek",
        body="Aanwezig: moeder",
        template=template,
    )
    form_url = f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/"
    mentor = world.client_for(world.mentor)
    assert "Oudergesprek" in mentor.get(form_url).content.decode()

    response = world.client_for(world.dirk).post(reverse("log_template_deactivate", args=[template.pk]))
    assert response.status_code == 302
    template.refresh_from_db()
    assert not template.active
    assert AuditEvent.objects.filter(action="dossier.log_template.deactivated").count() == 1

    assert "Oudergesprek" not in mentor.get(form_url).content.decode()
    assert "Aanwezig:" not in mentor.get(form_url, {"sjabloon": template.pk}).content.decode()
    mentor.post(
        f"{form_url}?sjabloon={template.pk}",
        {
            "title": "Nieuw",
            "body": "Tekst",
            "visibility": "team",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "template": template.pk,
        },
    )
    assert LogEntry.objects.get(title="Nieuw").template is None
    old.refresh_from_db()
    assert old.template == template and old.body == "Aanwezig: moeder"
    # Still listed for the admins, marked as out of use.
    assert "niet meer in gebruik" in world.client_for(world.carla).get(LIST).content.decode()


def test_deactivate_needs_post(world):
    template = create_log_template(actor=world.carla.user, school=world.school, name="X", body="")
    assert (
        world.client_for(world.carla).get(reverse("log_template_deactivate", args=[template.pk])).status_code
        == 405
    )
