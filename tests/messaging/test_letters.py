"""Letters: the school's text rendered to a PDF a parent can read, edited per school, copied to the file."""

import hashlib
import subprocess
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossier.models import DossierEntry, EntryKind
from messaging.letters.render import SANDBOX, render_text
from messaging.models import Letter, LetterTemplate
from messaging.services.messages import compose_letter, update_letter_template


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()
    return " ".join(out.split())  # line breaks of the layout do not matter


@pytest.fixture
def letterhead(world):
    world.school.letterhead = "Postbus 12\nTelefoon 010-1234567"
    world.school.address = "Beekweg 1, 1234 AB Beekdal"
    world.school.save()
    return world


def test_letter_pdf_contains_name_letterhead_and_dutch_text(letterhead):
    world = letterhead
    started = time.perf_counter()
    letter = compose_letter(
        actor=world.dirk,
        student=world.sanne,
        template_code="sv.suspension.decision",
        context={"start": "3 maart", "end": "4 maart", "days": 2, "reason": "geweld tegen een medeleerling"},
    )
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    compose_letter(actor=world.dirk, student=world.daan, template_code="sv.expulsion.warning")
    warm = time.perf_counter() - started
    # Reported, never asserted: the first render loads fonts, the next ones are the typical cost.
    print(f"\ncompose_letter with PDF: first {elapsed:.3f} s, next {warm:.3f} s")

    text = pdf_text(letter.pdf.path)
    assert "Sanne de Vries" in text
    assert "Beekdal Lyceum" in text and "Postbus 12" in text and "Beekweg 1" in text
    assert "is geschorst van 3 maart tot en met 4 maart (2 schooldagen)" in text
    assert "geweld tegen een medeleerling" in text
    assert "Dirk Directeur" in text  # the director signs
    assert "Petra de Vries" in text  # addressed to the guardian with authority
    with letter.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
    assert letter.context["reason"] == "geweld tegen een medeleerling"


def test_letter_copy_is_in_the_students_file(world):
    letter = compose_letter(
        actor=world.carla, student=world.sanne, template_code="sv.expulsion.warning", context={}
    )
    entry = DossierEntry.objects.get(student=world.sanne, kind=EntryKind.LETTER)
    assert entry.source == letter
    assert entry.parent_visible
    assert entry.title == "Waarschuwing: volgende keer verwijdering"


def test_template_edit_by_the_school_changes_the_next_letter(world):
    first = compose_letter(actor=world.carla, student=world.sanne, template_code="gp.out_of_class.hour")
    assert first.template_version == 0
    update_letter_template(
        actor=world.carla,
        school=world.school,
        code="gp.out_of_class.hour",
        title="Uur eruit",
        subject="Bericht over {{ student.first_name }}",
        body="Beste ouders, {{ student.first_name }} zat vandaag een uur in de Beekdal-opvangklas.",
        expected_version=0,
    )
    second = compose_letter(actor=world.carla, student=world.sanne, template_code="gp.out_of_class.hour")
    assert second.template_version == 1
    assert "Beekdal-opvangklas" in pdf_text(second.pdf.path)
    assert "Beekdal-opvangklas" not in pdf_text(first.pdf.path)
    # Another school keeps the default text.
    assert not LetterTemplate.objects.filter(school=world.other_school).exists()


def test_stale_template_edit_is_refused(world):
    common = {"actor": world.carla, "school": world.school, "code": "gp.out_of_class.hour", "title": "T"}
    update_letter_template(**common, subject="S", body="eerste", expected_version=0)
    update_letter_template(**common, subject="S", body="tweede", expected_version=1)
    with pytest.raises(ValidationError, match="intussen gewijzigd"):
        update_letter_template(**common, subject="S", body="oude versie van Dirk", expected_version=1)
    with pytest.raises(ValidationError, match="intussen gewijzigd"):
        update_letter_template(**common, subject="S", body="ook Dirk", expected_version=0)
    template = LetterTemplate.objects.get(school=world.school, code="gp.out_of_class.hour")
    assert (template.body, template.version) == ("tweede", 2)


def test_stale_edit_in_the_page_keeps_the_input_and_says_why(world):
    client = world.client_for(world.carla)
    url = reverse("letter_template_edit", args=["gp.out_of_class.hour"])
    page = client.get(url)
    assert page.status_code == 200 and "Eén uur buiten de klas" in page.text
    form = {"title": "Uur eruit", "subject": "Onderwerp", "body": "Mijn tekst", "version": "0"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "body": "Tekst van een collega die te laat is"})
    assert response.status_code == 409
    assert 'role="alert"' in response.text and "intussen gewijzigd" in response.text
    assert "Tekst van een collega die te laat is" in response.text


def test_template_syntax_is_sandboxed(world):
    for text in ("{% load static %}", "{% debug %}", "{% include 'base.html' %}", "{{ x|pprint }}"):
        with pytest.raises(ValidationError):
            update_letter_template(
                actor=world.carla, school=world.school, code="gp.out_of_class.hour",
                title="T", subject="S", body=text, expected_version=0,
            )  # fmt: skip
    assert render_text("{{ name }}", {"name": "<script>"}) == "<script>"  # plain text out, no HTML
    assert SANDBOX.autoescape


def test_letter_template_pages_need_the_right_role(world):
    assert world.client_for(world.teacher).get(reverse("letter_template_list")).status_code == 404
    for persona in (world.carla, world.dirk, world.fiona):
        page = world.client_for(persona).get(reverse("letter_template_list"))
        assert page.status_code == 200 and "Besluit schorsing" in page.text


def test_preview_pdf(world):
    response = world.client_for(world.dirk).get(
        reverse("letter_template_preview", args=["sv.expulsion.warning"])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_letter_pdf_download_is_permission_checked(world):
    letter = compose_letter(actor=world.carla, student=world.sanne, template_code="sv.expulsion.warning")
    url = reverse("letter_pdf", args=[letter.pk])
    assert world.client_for(world.mentor).get(url).status_code == 200
    assert world.client_for(world.teacher).get(url).status_code == 200  # teaches 2B: the team (TEAM level)
    assert world.client_for(world.zeno).get(url).status_code == 404
    assert Letter.objects.count() == 1
