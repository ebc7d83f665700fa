"""The text check while typing a log note, in a real browser (AVG-4, LB-8): HTMX under the CSP."""

import pytest

from dossier.models import LogEntry

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_avg_4_name_is_flagged_while_typing_and_replaced_by_een_medeleerling(world, page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, "mirjam@beekdal.test")
    page.goto(f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/")
    page.get_by_label("Onderwerp").fill("Pauze")
    page.get_by_label("Notitie").press_sequentially("Daan pakte de bal. Sanne was lui.", delay=10)
    page.locator("#text-check mark", has_text="Daan").wait_for()
    assert page.locator("#text-check mark", has_text="lui").is_visible()
    page.get_by_role("button", name="Vervang door “een medeleerling”").click()
    assert page.get_by_label("Notitie").input_value() == "Een medeleerling pakte de bal. Sanne was lui."
    page.locator("#text-check mark", has_text="Daan").wait_for(state="detached")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/dossier/logboek/*/")
    log = LogEntry.objects.get()
    assert log.body == "Een medeleerling pakte de bal. Sanne was lui."
    assert log.entry.text_warnings == ["label", "name"]
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]


def test_avg_4_document_title_is_checked_without_sending_the_file(world, page, tmp_path):
    requests = []
    page.on("request", lambda r: requests.append(r) if "/tekstcontrole/" in r.url else None)
    log_in(page, "mirjam@beekdal.test")
    page.goto(f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/")
    upload = tmp_path / "brief.pdf"
    upload.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)
    page.get_by_label("Bestand (PDF, PNG, JPEG of DOCX)").set_input_files(str(upload))
    page.get_by_label("Titel").press_sequentially("Brief over Mila", delay=10)
    page.locator("#text-check mark", has_text="Mila").wait_for()
    body = requests[-1].post_data or ""
    assert "Mila" in body and "PDF-1.4" not in body and "xxxx" not in body
