"""Shared fixtures for the file's tests."""

import pytest

from dossier.models import EntryKind, Visibility
from dossier.services.record import record


@pytest.fixture
def entries(world):
    """Sanne's file as the portal tests see it: a parent-visible incident naming Daan, a staff
    note, a parent-visible care-team talk, and an entry in Daan's own file."""
    sanne, daan = world.sanne, world.daan
    incident = record(
        student=sanne,
        kind=EntryKind.INCIDENT,
        title="Ruzie op het plein met Daan",
        body="Sanne en Daan Jansen kregen ruzie. Daan duwde eerst.",
        actor=world.mentor,
        parent_visible=True,
        involved=[daan],
    )
    staff_note = record(
        student=sanne, kind=EntryKind.LOG_ENTRY, title="Interne notitie mentor", actor=world.mentor
    )
    care = record(
        student=sanne,
        kind=EntryKind.TALK,
        title="Gesprek zorgteam over thuissituatie",
        actor=world.carla,
        visibility=Visibility.CARE_TEAM,
        parent_visible=True,
    )
    daan_entry = record(
        student=daan,
        kind=EntryKind.LOG_ENTRY,
        title="Daan had een goede week",
        actor=world.mentor,
        parent_visible=True,
    )
    return {"incident": incident, "staff_note": staff_note, "care": care, "daan": daan_entry}
