"""The pages: the director's SV-4 file and its PDF, the board's own screen (LAW-2), the overview of open
measures with the yearly counts, and the forms with Dutch messages."""

import datetime
import subprocess

import pytest
from django.test import Client

from audit.models import AuditEvent
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from measures.models import ExpulsionCase, ExpulsionState, Suspension, SuspensionMode, TimeOut
from measures.services.expulsions import add_school_contact, open_expulsion, send_expulsion_warning
from measures.services.suspensions import record_inspectorate_filed, suspend
from measures.services.timeouts import impose_time_out

from .conftest import on

D = datetime.date


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _case(w):
    impose_time_out(actor=w.mentor, student=w.sanne, incident="Stoel gegooid in de klas.")
    suspend(actor=w.dirk, student=w.sanne, grounds=[TimeOut.objects.first().setting("suspension_grounds")[0]],
            reasons="Geweld tegen een medeleerling.", start_on=D(2026, 10, 6), school_days=2,
            mode=SuspensionMode.PROPOSED, catch_up_work="Rekenen.", contact_person=w.mentor)  # fmt: skip
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Herhaald geweld ondanks schorsing.")
    send_expulsion_warning(actor=w.dirk, case=case)
    return case


def test_sv_4_director_file_lists_problems_actions_and_every_letter(w, tmp_path):
    with on(D(2026, 10, 6)):
        case = _case(w)
    record(student=w.sanne, kind=EntryKind.SIGNAL, title="Medisch geheim", actor=w.carla, is_health=True)
    client = w.client_for(w.dirk)
    page = client.get(f"/maatregelen/verwijdering/{case.pk}/").content.decode()
    for text in ("Stoel gegooid in de klas.", "Schorsing", "Schorsing van Sanne", "Waarschuwing: volgende keer verwijdering",
                 "Herhaald geweld"):  # fmt: skip
        assert text in page
    assert "Medisch geheim" not in page  # health stays out of a file that leaves the school
    response = client.get(f"/maatregelen/verwijdering/{case.pk}/dossier.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "Sanne" not in response["Content-Disposition"]
    text = _text(response.content, tmp_path)
    assert "Inhoud" in text and "4. Brieven en berichten van de procedure" in text
    assert "Waarschuwing: volgende keer verwijdering" in text and "Schorsing van Sanne" in text
    assert AuditEvent.objects.filter(action="measures.file.exported").count() == 1


def test_sv_4_file_queries_do_not_grow_with_documents(w):
    from measures.director_file import director_file

    with on(D(2026, 10, 6)):
        case = _case(w)
    director_file(case)  # content types cached

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            director_file(ExpulsionCase.objects.get(pk=case.pk))
        return len(ctx)

    before = count()
    for _ in range(5):
        send_expulsion_warning(actor=w.dirk, case=case)
        impose_time_out(actor=w.mentor, student=w.sanne, incident="Nog een incident.")
    assert count() == before


def test_law_2_board_decides_on_its_own_screen_and_sees_no_other_care_content(w):
    with on(D(2026, 10, 6)):
        case = _case(w)
    record(student=w.sanne, kind=EntryKind.TALK, title="Zorggeheim", body="Zorggeheim", actor=w.carla,
           visibility=Visibility.CARE_TEAM)  # fmt: skip
    board = Client()
    board.force_login(w.bert)
    page = board.get(f"/maatregelen/bestuur/verwijdering/{case.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Herhaald geweld" in body and "Zorggeheim" not in body and "Stoel gegooid" not in body
    assert board.get(f"/maatregelen/verwijdering/{case.pk}/").status_code == 404  # the director's file
    assert board.get(f"/dossier/leerling/{w.sanne.pk}/").status_code == 404
    refused = board.post(
        f"/maatregelen/bestuur/verwijdering/{case.pk}/besluiten/", {"effective_on": "2026-11-02"}
    )
    assert refused.status_code == 400 and "Het bestuur kan nog niet besluiten" in refused.content.decode()
    assert ExpulsionCase.objects.get(pk=case.pk).state == ExpulsionState.PREPARING
    assert w.client_for(w.dirk).get(f"/maatregelen/bestuur/verwijdering/{case.pk}/").status_code == 404


def test_law_3_board_decides_in_vo_after_the_search_on_its_screen(w):
    from measures.services.expulsions import record_hearing, send_hearing_reports
    from signatures.models import Decision, SignMethod
    from signatures.services.signatures import sign_document

    with on(D(2026, 10, 6)):
        case = _case(w)
        for who in ("teachers", "parents", "student"):
            doc = record_hearing(actor=w.dirk, case=case, who=who, report="Verslag.")
            sign_document(version=doc.current_version, signer=w.parent_sanne, decision=Decision.SEEN,
                          method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
        send_hearing_reports(actor=w.dirk, case=ExpulsionCase.objects.get(pk=case.pk))
        add_school_contact(
            actor=w.dirk, case=case, school_name="Het Baken", contacted_on=D(2026, 10, 6), agreed=True
        )
    board = Client()
    board.force_login(w.bert)
    with on(D(2026, 10, 7)):
        done = board.post(
            f"/maatregelen/bestuur/verwijdering/{case.pk}/besluiten/", {"effective_on": "2026-11-02"}
        )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == ExpulsionState.DECIDED and case.decided_by == w.bert
    assert "Het Baken" in case.decision_letter.body


def test_overview_open_deadlines_and_yearly_counts_for_director_and_board(w):
    with on(D(2026, 10, 6)):
        _case(w)
        record_inspectorate_filed(actor=w.dirk, suspension=Suspension.objects.get())
        page = w.client_for(w.dirk).get("/maatregelen/").content.decode()
    assert (
        "Schorsing melden bij de leerplichtambtenaar" in page and "Ouders informeren over de time-out" in page
    )
    assert "Schorsing melden bij de inspectie" not in page  # done
    board = Client()
    board.force_login(w.bert)
    with on(D(2026, 10, 6)):
        response = board.get("/maatregelen/")
    body = response.content.decode()
    assert response.status_code == 200 and "Beekdal Lyceum" in body and "Ouders informeren" not in body
    from measures.selectors import yearly_counts

    counts = yearly_counts([w.school.pk], D(2026, 8, 1), D(2027, 7, 31))
    assert counts == [
        {"school": "Beekdal Lyceum", "time_outs": 1, "suspensions": 1, "reported": 1, "expulsions": 0}
    ]


def test_home_director_sees_open_measures_read_with_own_deadlines_mentor_does_not(w):
    """Issue #13: the director's "Maatregelen: open termijnen" comes from the same query as their own
    deadlines ("Mijn termijnen"); both still show, paused ones included; another role sees no section."""
    from deadlines.models import Deadline, DeadlineState

    with on(D(2026, 10, 6)):
        _case(w)
        paused = Deadline.objects.get(title__startswith="Ouders informeren over de time-out")
        Deadline.objects.filter(pk=paused.pk).update(state=DeadlineState.PAUSED)
        page = w.client_for(w.dirk).get("/").content.decode()
        mentor_page = w.client_for(w.mentor).get("/").content.decode()
    measures = page.split("Maatregelen: open termijnen", 1)[1]
    assert f"{paused.title} — {w.sanne.full_name}" in measures  # paused, still pending
    own = Deadline.objects.filter(owner=w.dirk, state=DeadlineState.OPEN).order_by("due_on", "pk").first()
    assert own is not None and own.title in page.split("Mijn termijnen", 1)[1]
    assert "Maatregelen: open termijnen" not in mentor_page


def test_sv_2_suspension_form_refuses_sixth_day_and_no_grounds_in_dutch(w):
    client = w.client_for(w.dirk)
    data = {"reasons": "Geweld.", "start_on": "2026-10-06", "school_days": "6", "mode": "proposed",
            "catch_up_work": "Rekenen.", "contact_person": str(w.mentor.pk)}  # fmt: skip
    response = client.post(f"/maatregelen/leerling/{w.sanne.pk}/schorsing/", data)
    assert response.status_code == 400 and "grond" in response.content.decode()
    data["grounds"] = [_ground(w)]
    response = client.post(f"/maatregelen/leerling/{w.sanne.pk}/schorsing/", data)
    assert response.status_code == 400 and "ten hoogste 5 schooldagen" in response.content.decode()
    assert not Suspension.objects.exists()
    data["school_days"] = "2"
    with on(D(2026, 10, 6)):
        response = client.post(f"/maatregelen/leerling/{w.sanne.pk}/schorsing/", data)
    assert response.status_code == 302 and Suspension.objects.get().school_days == 2


def _ground(w):
    from measures.services.common import version_for

    return version_for(w.school).value("suspension_grounds")[0]


def test_sv_1_time_out_form_by_the_teacher(w):
    client = w.client_for(w.teacher)
    response = client.post(
        f"/maatregelen/leerling/{w.sanne.pk}/time-out/", {"incident": "Geschopt.", "part": "day"}
    )
    assert response.status_code == 302 and TimeOut.objects.get().created_by == w.teacher
    refused = client.post(f"/maatregelen/leerling/{w.sanne.pk}/time-out/",
                          {"incident": "Geschopt.", "part": "part", "home_part_by_director": "on"})  # fmt: skip
    assert refused.status_code == 400 and "directeur" in refused.content.decode()
    assert client.get(f"/maatregelen/leerling/{w.mila.pk}/time-out/").status_code == 404  # not his student


@pytest.mark.parametrize("path", ["/maatregelen/time-out/{}/", "/maatregelen/schorsing/{}/"])
def test_measure_pages_are_for_the_care_team(w, path):
    with on(D(2026, 10, 6)):
        _case(w)
    pk = (TimeOut if "time-out" in path else Suspension).objects.get().pk
    assert w.client_for(w.carla).get(path.format(pk)).status_code == 200
    assert w.client_for(w.teacher).get(path.format(pk)).status_code == 404
