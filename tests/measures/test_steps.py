"""The steps posted from the pages: time-out (SV-1), the expulsion case (SV-3, LAW-3) and the board's
hearing and decision on an objection (LAW-4), with Dutch messages and nothing lost."""

import datetime

from django.test import Client

from measures.models import ExpulsionCase, ExpulsionState, Objection, TimeOut
from measures.services.expulsions import open_expulsion
from measures.services.timeouts import impose_time_out
from signatures.models import Decision, SignMethod
from signatures.services.signatures import sign_document

from .conftest import on

D = datetime.date


def test_sv_1_time_out_steps_from_the_page_second_extension_refused(w):
    time_out = impose_time_out(actor=w.teacher, student=w.sanne, incident="Stoel gegooid.")
    client = w.client_for(w.dirk)
    url = f"/maatregelen/time-out/{time_out.pk}/stap/"
    assert client.post(url, {"step": "contacted"}).status_code == 302
    missing = client.post(url, {"step": "report", "text": " "})
    assert missing.status_code == 400 and "gesprek" in missing.content.decode()
    assert client.post(url, {"step": "report", "text": "Excuses aangeboden."}).status_code == 302
    assert client.post(url, {"step": "extend", "text": "Onrustig."}).status_code == 302
    second = client.post(url, {"step": "extend"})
    assert second.status_code == 400 and "alleen schorsing" in second.content.decode()
    time_out = TimeOut.objects.get()
    assert time_out.extended_days == 1 and time_out.report is not None and time_out.parents_contacted_at
    assert w.client_for(w.teacher).post(url, {"step": "contacted"}).status_code == 404


def test_sv_3_expulsion_steps_from_the_page_and_a_late_objection_recorded(w):
    impose_time_out(actor=w.dirk, student=w.sanne, incident="Geslagen.")
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Herhaald geweld.")
    client = w.client_for(w.dirk)
    url = f"/maatregelen/verwijdering/{case.pk}/stap/"
    refused = client.post(url, {"step": "reports"})
    assert refused.status_code == 400 and "voor gezien" in refused.content.decode()
    assert client.post(url, {"step": "warning"}).status_code == 302
    for who in ("teachers", "parents", "student"):
        assert client.post(url, {"step": who, "text": f"Verslag {who}."}).status_code == 302
    case.refresh_from_db()
    for document in (case.teachers_heard, case.parents_heard, case.student_heard):
        sign_document(version=document.current_version, signer=w.parent_sanne, decision=Decision.SEEN,
                      method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
    assert client.post(url, {"step": "reports"}).status_code == 302
    assert client.post(url, {"step": "school", "school_name": "Het Baken", "on_date": "2026-10-06",
                             "agreed": "on"}).status_code == 302  # fmt: skip
    too_early = client.post(url, {"step": "objection", "text": "Bezwaar.", "on_date": "2026-10-07"})
    assert too_early.status_code == 400 and "nog geen besluit" in too_early.content.decode()
    board = Client()
    board.force_login(w.bert)
    with on(D(2026, 10, 7)):
        assert board.post(f"/maatregelen/bestuur/verwijdering/{case.pk}/besluiten/",
                          {"effective_on": "2026-11-02"}).status_code == 302  # fmt: skip
    with on(D(2026, 12, 1)):
        client = w.client_for(w.dirk)  # a fresh session: one does not last seven weeks
        late = client.post(url, {"step": "objection", "text": "Wij maken bezwaar.", "on_date": "2026-11-30"})
    assert late.status_code == 302, late.content
    assert late["Location"] == f"/maatregelen/verwijdering/{case.pk}/", late["Location"]
    objection = Objection.objects.get()
    assert objection.late and objection.text == "Wij maken bezwaar."
    with on(D(2026, 12, 1)):
        board = w.client_for(w.bert)
        page = board.get(f"/maatregelen/bestuur/verwijdering/{case.pk}/").content.decode()
    assert "te laat ingediend" in page


def test_law_4_board_hears_and_decides_on_an_objection_on_its_screen(w):
    impose_time_out(actor=w.dirk, student=w.sanne, incident="Geslagen.")
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Geweld.")
    client = w.client_for(w.dirk)
    url = f"/maatregelen/verwijdering/{case.pk}/stap/"
    client.post(url, {"step": "warning"})
    for who in ("teachers", "parents", "student"):
        client.post(url, {"step": who, "text": "Verslag."})
    case.refresh_from_db()
    for document in (case.teachers_heard, case.parents_heard, case.student_heard):
        sign_document(version=document.current_version, signer=w.parent_sanne, decision=Decision.AGREED,
                      method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
    client.post(url, {"step": "reports"})
    client.post(url, {"step": "school", "school_name": "Het Baken", "on_date": "2026-10-06", "agreed": "on"})
    board = Client()
    board.force_login(w.bert)
    with on(D(2026, 10, 7)):
        board.post(f"/maatregelen/bestuur/verwijdering/{case.pk}/besluiten/", {"effective_on": "2026-11-02"})
        assert (
            client.post(url, {"step": "objection", "text": "Oneens.", "on_date": "2026-10-07"}).status_code
            == 302
        )
        assert client.post(url, {"step": "commission", "on_date": "2026-10-08"}).status_code == 302
    objection = Objection.objects.get()
    client, board = w.client_for(w.dirk), w.client_for(w.bert)  # fresh sessions after the frozen clock
    target = f"/maatregelen/bestuur/verwijdering/{case.pk}/bezwaar/"
    assert (
        board.post(target, {"objection": objection.pk, "step": "hear", "on_date": "2026-10-20"}).status_code
        == 302
    )
    waits = board.post(target, {"objection": objection.pk, "step": "decide", "outcome": "Ongegrond."})
    assert waits.status_code == 400 and "Geschillencommissie" in waits.content.decode()
    with on(D(2026, 12, 10)):
        client, board = w.client_for(w.dirk), w.client_for(w.bert)
        assert client.post(url, {"step": "opinion", "text": "Bezwaar ongegrond."}).status_code == 302
        done = board.post(target, {"objection": objection.pk, "step": "decide", "outcome": "Ongegrond.",
                                   "follows_opinion": "on"})  # fmt: skip
    assert done.status_code == 302
    objection.refresh_from_db()
    assert objection.decided_at and objection.deadline.state == "done"
    with on(D(2026, 12, 11)):
        client = w.client_for(w.dirk)
        assert (
            client.post(target, {"objection": objection.pk, "step": "hear"}).status_code == 404
        )  # not the board
        assert client.post(url, {"step": "final"}).status_code == 302
    assert ExpulsionCase.objects.get().state == ExpulsionState.FINAL
