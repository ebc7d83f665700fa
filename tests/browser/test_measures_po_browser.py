"""SV-2, SV-3, LAW-1 in Chromium, the po path (school B, director Zeno, student Otto): a suspension of three
school days through the pages, its inspectorate and leerplicht deadlines shown and marked done, the
decision letter queued; then an expulsion case whose board decision is refused while the checklist is
incomplete."""

import datetime

import pytest
from django.utils import timezone

from deadlines.models import Deadline
from measures.models import ExpulsionCase, ExpulsionState, Suspension
from measures.services.expulsions import open_expulsion
from messaging.models import Message
from schools.models import BoardMember
from schools.services.calendar import load_default_holidays
from tests import factories as f
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def _first_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_sv_2_sv_3_po_suspension_deadlines_and_board_refused_in_the_browser(world, page, tmp_path):
    school = world.other_school
    load_default_holidays(school=school, school_years=[2025, 2026])
    school.inspectorate_email, school.attendance_officer_email = "po@inspectie.test", "lpa@gemeente.test"
    school.attendance_officer_name = "Lotte Leerplicht"
    school.save()
    board_user = f.UserFactory(email="bestuur@andere.test")
    BoardMember.objects.create(board=school.board, user=board_user)
    page.set_default_timeout(30_000)  # a shared, busy machine
    page.set_viewport_size(PHONE)

    # SV-2, LAW-1: the director suspends Otto for three school days through the form.
    log_in(page, "zeno@andere.test")
    page.goto(f"/maatregelen/leerling/{world.otto.pk}/schorsing/")
    page.locator("input[name=grounds]").first.check()
    page.get_by_label("Redenen").fill("Geweld tegen een medeleerling op het schoolplein.")
    page.get_by_label("Eerste dag").fill(_first_weekday(timezone.localdate()).isoformat())
    page.get_by_label("Aantal schooldagen").fill("3")
    page.get_by_label("Schoolwerk tijdens de schorsing").fill("Rekenen blok 3 en lezen.")
    page.get_by_label("Contactpersoon").select_option(index=1)
    page.screenshot(path=str(tmp_path / "suspension-form.png"), full_page=True)
    page.get_by_role("button", name="Schorsing vastleggen en brief versturen").click()
    page.get_by_text("De schorsing is vastgelegd").wait_for()
    suspension = Suspension.objects.get(student=world.otto)
    assert suspension.school_days == 3 and suspension.needs_notices
    # The decision letter to the parents is queued in the outbox.
    assert Message.objects.filter(source_id=str(suspension.pk)).exists()

    # The inspectorate and leerplicht deadlines are shown, then marked done.
    body = page.content()
    assert "Termijnen" in body and "SV-2" in body and "LAW-1" in body
    open_before = Deadline.objects.filter(source_id=str(suspension.pk), state="open").count()
    page.screenshot(path=str(tmp_path / "suspension-deadlines.png"), full_page=True)
    for step in ("inspectorate_filed", "attendance_officer"):
        page.locator("select[name=step]").select_option(step)
        page.get_by_role("button", name="Vastleggen", exact=True).click()
        page.get_by_text("Vastgelegd.").wait_for()
    suspension.refresh_from_db()
    assert suspension.inspectorate_filed_at and suspension.attendance_officer_notified_at
    assert Deadline.objects.filter(source_id=str(suspension.pk), state="open").count() == open_before - 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # SV-3: an expulsion case; the board's decision is refused while the checklist is incomplete.
    case = open_expulsion(actor=world.zeno, student=world.otto, ground="Herhaald geweld ondanks schorsing.")
    page.goto(f"/maatregelen/verwijdering/{case.pk}/")
    assert "Herhaald geweld" in page.content()
    board = page.context.browser.new_context(base_url=page.url.split("/maatregelen")[0], locale="nl-NL",
                                             viewport=PHONE)  # fmt: skip
    board_page = board.new_page()
    board_page.set_default_timeout(30_000)
    log_in(board_page, "bestuur@andere.test")
    board_page.goto(f"/maatregelen/bestuur/verwijdering/{case.pk}/")
    board_page.get_by_label("Datum van verwijdering").fill(timezone.localdate().isoformat())
    board_page.get_by_role("button", name="Besluiten tot verwijdering").click()
    board_page.get_by_text("Het bestuur kan nog niet besluiten").wait_for()
    board_page.screenshot(path=str(tmp_path / "board-refused.png"), full_page=True)
    board.close()
    case.refresh_from_db()
    assert case.state == ExpulsionState.PREPARING and case.decided_at is None
    assert ExpulsionCase.objects.count() == 1
