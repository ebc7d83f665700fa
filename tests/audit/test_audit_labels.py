"""AVG-4: every audit action code has a Dutch and an English label; the access log never shows a raw code."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from audit.audit import audit
from audit.labels import action_label, registered_codes

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DIRS = [p for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()]
# `action="dossier.letter.viewed"` in audit(...), audit_request(...), get_permitted(...) and the like;
# an f-string code ("portal.{kind}.added") must match at least one registered code.
CODE = re.compile(r"""\baction\s*=\s*(f?)["']([a-z_]+\.[a-z_.{}]+)["']""")


def codes_in_source() -> set[tuple[str, bool]]:
    found = set()
    for directory in SOURCE_DIRS:
        for path in directory.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for is_f, code in CODE.findall(path.read_text()):
                found.add((code, bool(is_f) and "{" in code))
    return found


def test_avg_4_every_action_code_in_the_source_has_a_label():
    codes = codes_in_source()
    assert len(codes) > 50  # the grep finds the codes (guards against a broken pattern)
    registered = registered_codes()
    missing = []
    for code, is_pattern in sorted(codes):
        if is_pattern:
            pattern = re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(code)) + "$")
            if not any(pattern.match(known) for known in registered):
                missing.append(code)
        elif code not in registered:
            missing.append(code)
    assert missing == []


def test_avg_4_every_label_has_an_english_translation():
    untranslated = []
    for code in registered_codes():
        with translation.override("nl"):
            dutch = action_label(code)
        with translation.override("en"):
            english = action_label(code)
        if not dutch or dutch == english:
            untranslated.append(code)
    assert untranslated == []


@pytest.mark.django_db
def test_avg_4_who_looked_shows_labels_not_codes(world):
    audit(actor=world.carla.user, action="dossier.letter.viewed", student=world.sanne, school=world.school)
    body = world.client_for(world.dirk).get(f"/dossier/leerling/{world.sanne.pk}/bekeken/").text
    assert "brief bekeken" in body
    assert "dossier.letter.viewed" not in body
