"""LAW-3 (vo) in Chromium: Beekdal Lyceum's director opens an expulsion case for Sanne on its page, sends
the warning, hears the teacher, the parents and Sanne (the reports signed by her mother on the school's
screen) and records each school he asked. The board is refused after seven weeks of searching and may
decide after eight without success; the decision letter (pdftotext) says so and reaches the mother
through the SMTP sink."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from measures.models import ExpulsionCase, ExpulsionState
from measures.services.timeouts import impose_time_out
from schools.services.calendar import load_default_holidays
from tests.browser.conftest import log_in
from tests.browser.test_measures_po_browser import parent_signs, pdf_text, step
from tests.messaging.test_outbox import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
ARTEFACTS = "var/test-artefacts"  # the screenshots stay after the run (var/ is not committed)


def test_law_3_vo_board_decides_after_eight_weeks_of_search_each_school_recorded(world, page, smtp, tmp_path):
    school, sanne, petra = world.school, world.sanne, world.parent_sanne
    load_default_holidays(school=school, school_years=[2025, 2026, 2027])
    school.inspectorate_email, school.attendance_officer_email = "vo@inspectie.test", "lpa@gemeente.test"
    school.save()
    impose_time_out(
        actor=world.dirk, student=sanne, incident="Sanne gooide een stoel."
    )  # the earlier measure
    today = timezone.localdate()
    page.set_default_timeout(30_000)  # a shared, busy machine
    page.set_viewport_size(PHONE)
    log_in(page, "dirk@beekdal.test")

    page.goto(reverse("measures_expulsion_new", args=[sanne.pk]))
    page.get_by_label("Grond voor verwijdering").fill("Herhaald geweld en bedreiging van medeleerlingen.")
    page.get_by_role("button", name="Verwijderingszaak openen").click()
    page.get_by_text("De verwijderingszaak is geopend.").wait_for()
    case = ExpulsionCase.objects.get(student=sanne)
    expulsion_url = page.url
    step(page, "warning")
    for who in ("teachers", "parents", "student"):  # LAW-2: in vo the student is heard too
        step(page, who, f"Verslag van het gesprek ({who}).")
    case.refresh_from_db()
    for document_pk in (case.teachers_heard_id, case.parents_heard_id, case.student_heard_id):
        parent_signs(page, document_pk, petra.pk)
    page.goto(expulsion_url)
    step(page, "reports")
    # LAW-3: every school asked is recorded with its date and answer; the search began seven weeks ago.
    for name, weeks, answer in (
        ("College Noord", 7, "Geen plaats in leerjaar 2."),
        ("Lyceum Zuid", 6, "Vol."),
    ):
        step(
            page,
            "school",
            answer,
            **{"Naam van de school": name, "Datum": str(today - datetime.timedelta(weeks=weeks))},
        )
    assert "College Noord" in page.content() and "Lyceum Zuid" in page.content()
    page.screenshot(path=f"{ARTEFACTS}/measures-vo-schools-contacted.png", full_page=True)

    def board_decides(expected: str, tag: str) -> None:
        board = page.context.browser.new_context(base_url=page.url.split("/maatregelen")[0], locale="nl-NL",
                                                 viewport=PHONE)  # fmt: skip
        board_page = board.new_page()
        board_page.set_default_timeout(30_000)
        log_in(board_page, "bert@bestuur.test")
        board_page.goto(reverse("measures_board_expulsion", args=[case.pk]))
        board_page.get_by_label("Datum van verwijdering").fill(
            str(timezone.localdate() + datetime.timedelta(days=14))
        )
        board_page.get_by_role("button", name="Besluiten tot verwijdering").click()
        board_page.get_by_text(expected).first.wait_for()
        board_page.screenshot(path=f"{ARTEFACTS}/measures-vo-board-{tag}.png", full_page=True)
        board.close()

    board_decides("Het bestuur kan nog niet besluiten", "seven-weeks")  # seven weeks: not yet
    case.refresh_from_db()
    assert case.state == ExpulsionState.PREPARING
    with time_machine.travel(timezone.now() + datetime.timedelta(weeks=1), tick=True):  # eight weeks searched
        board_decides("Het besluit is vastgelegd", "eight-weeks")
    case.refresh_from_db()
    assert case.state == ExpulsionState.DECIDED and case.contacts.count() == 2 and not case.new_school
    assert "acht weken zonder succes gezocht" in pdf_text(page, case.decision_letter, tmp_path)
    run_worker()
    to_mother = [m for m in smtp.handler.received if petra.email in m["To"]]
    assert any("verwijdering" in m["Subject"].lower() for m in to_mother), [m["Subject"] for m in to_mother]
