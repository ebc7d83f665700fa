"""Entry kinds are a registry (dossier.entry_kinds), not a fixed choices list: every kind in use,
in the source or in the database, has a label, so the timeline never shows a raw code (AVG-2:
the file is readable), and an unregistered kind cannot be recorded."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dossier.demo import fill_demo_files
from dossier.entry_kinds import entry_kind, kind_label, register_entry_kind, registered_kinds
from dossier.models import DossierEntry, EntryKind
from dossier.services.record import record

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DIRS = [p for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()] + [ROOT / "bench"]


def _kind_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "EntryKind":
        return EntryKind[node.attr].value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def kinds_in_source() -> set[str]:
    """`kind=` of record(...) and DossierEntry(...) calls, and every `EntryKind.X` used anywhere."""
    found = set()
    for directory in SOURCE_DIRS:
        for path in directory.rglob("*.py"):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and getattr(node.value, "id", "") == "EntryKind":
                    if node.attr in EntryKind.__members__:
                        found.add(EntryKind[node.attr].value)
                    else:
                        found.add(f"EntryKind.{node.attr}")  # a constant that does not exist
                if not isinstance(node, ast.Call):
                    continue
                callee = ast.unparse(node.func)
                if callee.split(".")[-1] == "record" or "DossierEntry" in callee:
                    for keyword in node.keywords:
                        if keyword.arg == "kind" and (value := _kind_value(keyword.value)):
                            found.add(value)
    return found


def test_every_entry_kind_in_the_source_has_a_label():
    kinds = kinds_in_source()
    assert {"log_entry", "letter", "access_request", "parent_statement"} <= kinds  # the scan finds them
    assert sorted(kinds - registered_kinds()) == []


@pytest.mark.django_db
def test_every_entry_kind_in_the_database_has_a_label(world):
    fill_demo_files([world.school])  # the demo writes through the real services
    record(student=world.sanne, kind=EntryKind.REFERRAL, title="Verwijzing", actor=world.carla)
    in_use = set(DossierEntry.objects.values_list("kind", flat=True).distinct())
    assert len(in_use) >= 3
    assert sorted(in_use - registered_kinds()) == []


def test_every_registered_kind_has_a_dutch_label_and_the_dossier_kinds_an_english_one():
    for code in registered_kinds():
        assert kind_label(code) and not kind_label(code).startswith("onbekende soort")
    with translation.override("en"):
        assert kind_label(EntryKind.PARENT_STATEMENT) == "parents' statement"
    assert kind_label("nope") == "onbekende soort (nope)"


@pytest.mark.django_db
def test_an_unregistered_kind_cannot_be_recorded(world):
    with pytest.raises(ValidationError):
        record(student=world.sanne, kind="made_up", title="Onbekend", actor=world.carla)
    entry = DossierEntry(
        school=world.school, student=world.sanne, kind="made_up", title="x", visibility="team"
    )
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    assert "kind" in raised.value.message_dict
    assert not DossierEntry.objects.filter(kind="made_up").exists()


def test_registering_a_kind_again_with_another_label_is_refused():
    with pytest.raises(ValueError):
        register_entry_kind(EntryKind.LETTER, "iets anders")
    with pytest.raises(ValueError):
        register_entry_kind("x" * 21, "te lang")
    register_entry_kind(EntryKind.LETTER, EntryKind.LETTER.label, icon="✉")  # the same again is fine
    assert entry_kind(EntryKind.LETTER).icon == "✉"
