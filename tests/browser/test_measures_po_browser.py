"""SV-1, SV-2, SV-3, LAW-1 to LAW-4 in Chromium, the po path (Andere School, a po school: director Zeno,
student Otto, his father Olaf, a board member): a serious incident and a time-out whose report the
father signs on the school's screen; a suspension of three school days (the decision letter, the
inspectorate and leerplicht deadlines closed on the page); an expulsion case opened on its page and
refused by the board until the warning, the signed hearings and the new school are on file; the
board's decision, the parents' objection, the board's hearing and decision within the term. Letters
are read as PDFs (pdftotext) and the messages arrive in a real SMTP sink (the outbox worker)."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from measures.models import ExpulsionCase, ExpulsionState, Objection, Suspension, TimeOut
from messaging.models import Letter
from schools.models import BoardMember
from schools.services.calendar import load_default_holidays
from tests import factories as f
from tests.browser.conftest import log_in
from tests.messaging.test_outbox import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
ARTEFACTS = "var/test-artefacts"  # the screenshots stay after the run (var/ is not committed)


def first_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def pdf_text(page, letter: Letter, tmp_path) -> str:
    """The letter as the school sends it: its PDF through the page, read back with pdftotext."""
    response = page.request.get(reverse("letter_pdf", args=[letter.pk]))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    path = tmp_path / f"brief-{letter.pk}.pdf"
    path.write_bytes(response.body())
    text = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return " ".join(text.split())  # one line: a sentence may wrap anywhere on the page


def step(page, value: str, text: str = "", **fields) -> None:
    """Post one step of the time-out or the expulsion case from its page."""
    page.get_by_label("Stap", exact=True).select_option(value)
    if text:
        page.get_by_label(fields.pop("text_label", "Tekst"), exact=True).fill(text)
    for label, fill in fields.items():
        page.get_by_label(label, exact=True).fill(fill)
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    page.get_by_text("Vastgelegd.").wait_for()


def parent_signs(page, document_pk: int, guardian_pk: int) -> None:
    """The father signs "voor gezien" on the school's screen (SV-1, LAW-2)."""
    page.goto(reverse("signables_detail", args=[document_pk]))
    page.get_by_role("link", name="Ouder tekent op dit scherm").click()
    page.get_by_label("Wie tekent").select_option(f"guardian:{guardian_pk}")
    page.get_by_label("voor gezien").check()
    page.get_by_role("button", name="Handtekening vastleggen").click()
    page.get_by_text("De handtekening is vastgelegd.").wait_for()


def test_sv_1_sv_2_sv_3_law_4_po_walk_incident_to_objection_decided(world, page, smtp, tmp_path):
    school, otto, olaf = world.other_school, world.otto, world.parent_otto
    load_default_holidays(school=school, school_years=[2025, 2026, 2027])
    school.inspectorate_email, school.attendance_officer_email = "po@inspectie.test", "lpa@gemeente.test"
    school.attendance_officer_name = "Lotte Leerplicht"
    school.save()
    board_user = f.UserFactory(email="bestuur@andere.test")
    BoardMember.objects.create(board=school.board, user=board_user)
    today = timezone.localdate()
    page.set_default_timeout(30_000)  # a shared, busy machine
    page.set_viewport_size(PHONE)
    log_in(page, "zeno@andere.test")

    # SV-1: the serious incident and the time-out; the parents are informed, the talk is written down
    # and the father signs the report.
    page.goto(reverse("measures_time_out_new", args=[otto.pk]))
    page.get_by_label("Het ernstige incident").fill("Otto sloeg een klasgenoot met een stoel.")
    page.get_by_role("button", name="Time-out vastleggen").click()
    page.get_by_text("De time-out is vastgelegd").wait_for()
    time_out = TimeOut.objects.get(student=otto)
    step(page, "contacted")
    step(
        page,
        "report",
        "Gesprek met vader, leerkracht en directeur: excuses aangeboden.",
        text_label="Verslag of reden",
    )
    time_out.refresh_from_db()
    parent_signs(page, time_out.report_id, olaf.pk)
    page.screenshot(path=f"{ARTEFACTS}/measures-po-1-time-out-signed.png", full_page=True)
    assert "Olaf Visser" in page.content()
    assert "excuses aangeboden" in pdf_text(
        page, Letter.objects.get(template_code="sv.time_out.report"), tmp_path
    )

    # SV-2, LAW-1: three school days' suspension through the form; the letter goes out at once.
    page.goto(reverse("measures_suspension_new", args=[otto.pk]))
    page.locator("input[name=grounds]").first.check()
    page.get_by_label("Redenen").fill("Geweld tegen een medeleerling op het schoolplein.")
    page.get_by_label("Eerste dag").fill(first_weekday(today).isoformat())
    page.get_by_label("Aantal schooldagen").fill("3")
    page.get_by_label("Schoolwerk tijdens de schorsing").fill("Rekenen blok 3 en lezen.")
    page.get_by_label("Contactpersoon").select_option(index=1)
    page.get_by_role("button", name="Schorsing vastleggen en brief versturen").click()
    page.get_by_text("De schorsing is vastgelegd").wait_for()
    suspension = Suspension.objects.get(student=otto)
    assert suspension.school_days == 3 and suspension.needs_notices
    letter_text = pdf_text(page, Letter.objects.get(template_code="sv.suspension.decision"), tmp_path)
    assert "Geweld tegen een medeleerling" in letter_text and "(3 schooldagen)" in letter_text
    for value in ("inspectorate_filed", "attendance_officer"):  # SV-2: longer than one day, both notices
        page.locator("select[name=step]").select_option(value)
        page.get_by_role("button", name="Vastleggen", exact=True).click()
        page.get_by_text("Vastgelegd.").wait_for()
    page.screenshot(path=f"{ARTEFACTS}/measures-po-2-suspension-notices-done.png", full_page=True)
    suspension.refresh_from_db()
    assert suspension.inspectorate_filed_at and suspension.attendance_officer_notified_at
    assert not Deadline.objects.filter(
        source_id=str(suspension.pk), rule__in=["SV-2", "LAW-1"], state="open"
    ).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # SV-3: the director opens the expulsion case on its page (a ground is required).
    page.goto(reverse("measures_expulsion_new", args=[otto.pk]))
    page.get_by_role("button", name="Verwijderingszaak openen").click()
    page.locator(".errorlist").first.wait_for()
    assert not ExpulsionCase.objects.exists()
    page.get_by_label("Grond voor verwijdering").fill("Herhaald geweld ondanks time-out en schorsing.")
    page.get_by_role("button", name="Verwijderingszaak openen").click()
    page.get_by_text("De verwijderingszaak is geopend.").wait_for()
    case = ExpulsionCase.objects.get(student=otto)
    expulsion_url = page.url

    # The board, on its own screen, is refused while the checklist is incomplete.
    board = page.context.browser.new_context(base_url=page.url.split("/maatregelen")[0], locale="nl-NL",
                                             viewport=PHONE)  # fmt: skip
    board_page = board.new_page()
    board_page.set_default_timeout(30_000)
    log_in(board_page, "bestuur@andere.test")
    board_url = reverse("measures_board_expulsion", args=[case.pk])

    def board_tries(expected: str) -> str:
        board_page.goto(board_url)
        board_page.get_by_label("Datum van verwijdering").fill(today.isoformat())
        board_page.get_by_role("button", name="Besluiten tot verwijdering").click()
        board_page.get_by_text(expected).first.wait_for()
        alert = board_page.locator("[role=alert]")
        return alert.first.inner_text() if alert.count() else ""

    board_tries("Het bestuur kan nog niet besluiten")
    board_page.screenshot(path=f"{ARTEFACTS}/measures-po-3-board-refused.png", full_page=True)

    # The warning, the hearings of the teacher and the parents (signed by the father), the reports sent.
    page.goto(expulsion_url)
    step(page, "warning")
    refused = board_tries("Het bestuur kan nog niet besluiten")  # the hearings and the new school are missing
    assert "Ouders gehoord" in refused and "waarschuwing" not in refused
    page.goto(expulsion_url)
    step(page, "teachers", "De leerkracht van groep 5 vertelt over de incidenten.")
    step(page, "parents", "Vader begrijpt de zorgen en vraagt om een nieuwe kans.")
    case.refresh_from_db()
    for document_pk in (case.teachers_heard_id, case.parents_heard_id):
        parent_signs(page, document_pk, olaf.pk)
    page.goto(expulsion_url)
    step(page, "reports")
    refused = board_tries("Het bestuur kan nog niet besluiten")
    assert "Een andere school heeft toegezegd" in refused and "Ouders gehoord" not in refused  # LAW-3 (po)
    case.refresh_from_db()
    assert case.state == ExpulsionState.PREPARING and case.decided_at is None

    # LAW-3: another school agrees to admit Otto; now the board decides.
    page.goto(expulsion_url)
    page.get_by_label("Stap", exact=True).select_option("school")
    page.get_by_label("Naam van de school").fill("De Regenboog")
    page.get_by_label("De school laat de leerling toe").check()
    page.get_by_role("button", name="Vastleggen", exact=True).click()
    page.get_by_text("Vastgelegd.").wait_for()
    board_tries("Het besluit is vastgelegd")
    board_page.screenshot(path=f"{ARTEFACTS}/measures-po-4-board-decided.png", full_page=True)
    case.refresh_from_db()
    assert case.state == ExpulsionState.DECIDED and case.effective_on == today
    decision = pdf_text(page, case.decision_letter, tmp_path)
    assert "De Regenboog" in decision and "bezwaar" in decision.lower()  # LAW-2: names the right to object

    # LAW-4: the parents object within six weeks; the board hears them and decides within four weeks.
    page.goto(expulsion_url)
    step(page, "objection", "Wij maken bezwaar tegen de verwijdering van Otto.", Datum=today.isoformat())
    objection = Objection.objects.get(case=case)
    assert not objection.late and objection.deadline.state == DeadlineState.OPEN
    assert objection.deadline.due_on >= today + datetime.timedelta(weeks=4)  # four weeks, on a school day
    board_page.goto(board_url)
    board_page.get_by_label("Stap", exact=True).select_option("hear")
    board_page.get_by_label("Gehoord op").fill(today.isoformat())
    board_page.get_by_role("button", name="Vastleggen", exact=True).click()
    board_page.get_by_text("Vastgelegd.").wait_for()
    board_page.get_by_label("Stap", exact=True).select_option("decide")
    board_page.get_by_label("Beslissing op het bezwaar").fill("Het bezwaar is ongegrond; het besluit blijft.")
    board_page.get_by_role("button", name="Vastleggen", exact=True).click()
    board_page.get_by_text("Beslist: Het bezwaar is ongegrond").wait_for()
    board_page.screenshot(path=f"{ARTEFACTS}/measures-po-5-objection-decided.png", full_page=True)
    board.close()
    objection.refresh_from_db()
    assert (
        objection.decided_at is not None
        and timezone.localdate(objection.decided_at) <= objection.deadline.due_on
    )
    assert objection.deadline.state == DeadlineState.DONE
    answer = pdf_text(page, Letter.objects.get(template_code="sv.objection.decision"), tmp_path)
    assert "ongegrond" in answer

    # The SV-4 file of the case, as one PDF with a table of contents.
    response = page.request.get(reverse("measures_expulsion_pdf", args=[case.pk]))
    (tmp_path / "dossier.pdf").write_bytes(response.body())
    dossier = subprocess.run(["/usr/bin/pdftotext", str(tmp_path / "dossier.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    assert "Inhoud" in dossier and "Brieven en berichten van de procedure" in dossier

    # Every message of the walk leaves through the outbox and arrives in the SMTP sink.
    run_worker()
    received = {(m["To"], m["Subject"]) for m in smtp.handler.received}
    to_parent = [subject for to, subject in received if olaf.email in to]
    assert len(to_parent) >= 4, received  # time-out report? suspension, warning, decision, objection answer
    assert any("lpa@gemeente.test" in to for to, _s in received)  # SV-2 notice and the hearing reports
    assert any("po@inspectie.test" in to for to, _s in received)  # SV-3: the hearing reports
    pdfs = [part for m in smtp.handler.received for part in m.iter_attachments()
            if part.get_content_type() == "application/pdf"]  # fmt: skip
    assert pdfs  # the letters go out as PDF attachments
