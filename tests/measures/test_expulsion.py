"""SV-3, LAW-2, LAW-3, LAW-4: the expulsion case, its enforced checklist, the board's decision, the new
school (po) or the eight-week search (vo), the objection and the Geschillencommissie."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry
from measures.models import ExpulsionCase, ExpulsionState, Objection
from measures.services.expulsions import (
    add_school_contact,
    board_decide,
    checklist,
    make_final,
    open_expulsion,
    record_hearing,
    record_warning_omitted,
    send_expulsion_warning,
    send_hearing_reports,
)
from measures.services.objections import (
    decide_objection,
    file_objection,
    hear_parents,
    record_commission_opinion,
    refer_to_commission,
)
from measures.services.timeouts import impose_time_out
from messaging.selectors_letters import letters_and_messages_of
from protocols.exceptions import ProtocolViolation
from signatures.models import Decision, SignMethod
from signatures.services.signatures import revise_document, sign_document

from .conftest import on

D = datetime.date


def _sign(document, guardian, actor):
    sign_document(version=document.current_version, signer=guardian, decision=Decision.SEEN,
                  method=SignMethod.STAFF_SCREEN, actor=actor)  # fmt: skip


def _prepare(director, student, guardian, *, vo: bool):
    """Everything the checklist asks, except the new school."""
    impose_time_out(actor=director, student=student, incident="Een klasgenoot geslagen.")
    case = open_expulsion(actor=director, student=student, ground="Herhaald geweld ondanks schorsing.")
    send_expulsion_warning(actor=director, case=case)
    for who in ("teachers", "parents", *(["student"] if vo else [])):
        _sign(
            record_hearing(actor=director, case=case, who=who, report=f"Verslag {who}."), guardian, director
        )
    case.refresh_from_db()
    send_hearing_reports(actor=director, case=case)
    case.refresh_from_db()
    return case


def test_sv_3_board_refused_until_checklist_complete(w):
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Herhaald geweld.")
    with pytest.raises(ProtocolViolation) as refused:
        board_decide(actor=w.bert, case=case, effective_on=D(2026, 11, 2))
    message = str(refused.value)
    assert refused.value.rule == "SV-3"
    for item in (
        "Eerdere maatregelen",
        "waarschuwing",
        "Ouders gehoord",
        "Leerling gehoord",
        "leerplichtambtenaar",
    ):
        assert item in message
    case.refresh_from_db()
    assert case.state == ExpulsionState.PREPARING and case.decided_at is None


def test_sv_3_only_the_board_decides(w):
    case = _prepare(w.dirk, w.sanne, w.parent_sanne, vo=True)
    add_school_contact(
        actor=w.dirk, case=case, school_name="Het Baken", contacted_on=D(2026, 10, 1), agreed=True
    )
    with pytest.raises(ProtocolViolation) as refused:
        board_decide(actor=w.dirk, case=case, effective_on=D(2026, 11, 2))
    assert refused.value.rule == "LAW-2"


def test_law_2_reports_must_be_signed_by_the_parents_before_they_are_sent(w):
    impose_time_out(actor=w.dirk, student=w.sanne, incident="Geslagen.")
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Geweld.")
    for who in ("teachers", "parents", "student"):
        record_hearing(actor=w.dirk, case=case, who=who, report="Verslag.")
    case.refresh_from_db()
    with pytest.raises(ProtocolViolation) as refused:
        send_hearing_reports(actor=w.dirk, case=case)
    assert refused.value.rule == "SV-3" and "voor gezien" in str(refused.value)


def test_sv_3_warning_may_be_replaced_by_a_recorded_reason(w):
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Geweld.")
    assert dict((k, done) for k, _l, done in checklist(case))["warning"] is False
    record_warning_omitted(actor=w.dirk, case=case, reason="Een waarschuwing zou het doel voorbijschieten.")
    case.refresh_from_db()
    assert dict((k, done) for k, _l, done in checklist(case))["warning"] is True
    with pytest.raises(ValidationError):
        record_warning_omitted(actor=w.dirk, case=case, reason=" ")


def test_law_3_po_expulsion_without_new_school_is_refused(po):
    w = po
    case = _prepare(w.zeno, w.otto, w.parent_otto, vo=False)
    with pytest.raises(ProtocolViolation) as refused:
        board_decide(actor=w.po_board, case=case, effective_on=D(2026, 11, 2))
    assert refused.value.rule == "LAW-3" and "andere school" in str(refused.value)
    add_school_contact(
        actor=w.zeno, case=case, school_name="De Regenboog", contacted_on=D(2026, 9, 1), answer="nee"
    )
    case.refresh_from_db()
    with on(D(2026, 12, 1)):  # eight weeks of searching count only in vo
        with pytest.raises(ProtocolViolation):
            board_decide(actor=w.po_board, case=case, effective_on=D(2026, 12, 7))
    assert ExpulsionCase.objects.get(pk=case.pk).state == ExpulsionState.PREPARING  # nothing lost


def test_law_4_po_path_decided_objected_and_decided_within_the_term(po):
    w = po
    with on(D(2026, 10, 5)):
        case = _prepare(w.zeno, w.otto, w.parent_otto, vo=False)
        add_school_contact(actor=w.zeno, case=case, school_name="SBO De Brug", contacted_on=D(2026, 10, 5),
                           agreed=True, answer="Plaats per 2 november")  # fmt: skip
        case.refresh_from_db()
        board_decide(actor=w.po_board, case=case, effective_on=D(2026, 11, 2))
    case.refresh_from_db()
    assert case.state == ExpulsionState.DECIDED and case.still_attending
    letter = case.decision_letter
    for text in ("SBO De Brug", "2 november 2026", "bezwaar", "Herhaald geweld"):
        assert text in letter.body
    assert AuditEvent.objects.filter(action="measures.expulsion.decided", actor_id=w.po_board.pk).exists()
    window = Deadline.objects.get(step_code="law4.objection_window")
    assert window.due_on == D(2026, 11, 16)  # six weeks after 5 October
    with on(D(2026, 10, 20)):
        objection = file_objection(
            actor=w.zeno, case=case, received_on=D(2026, 10, 20), text="Wij zijn het oneens."
        )
    assert not objection.late and objection.deadline.due_on == D(2026, 11, 17)  # four weeks
    with pytest.raises(ProtocolViolation):
        make_final(actor=w.zeno, case=case)  # an objection is open
    with pytest.raises(ProtocolViolation):
        decide_objection(
            actor=w.po_board, objection=objection, outcome="Ongegrond.", upheld=False
        )  # not heard
    hear_parents(actor=w.po_board, objection=objection, heard_on=D(2026, 11, 3))
    with on(D(2026, 11, 5)):
        decide_objection(
            actor=w.po_board, objection=objection, outcome="Het bezwaar is ongegrond.", upheld=False
        )
    objection.refresh_from_db()
    assert objection.deadline.state == DeadlineState.DONE
    with on(D(2026, 11, 6)):
        make_final(actor=w.zeno, case=case)
    case.refresh_from_db()
    assert case.state == ExpulsionState.FINAL and not case.still_attending
    codes = sorted(x.template_code for x in letters_and_messages_of(case).letters)
    assert codes == ["sv.expulsion.decision", "sv.expulsion.warning", "sv.objection.decision"]
    reports = letters_and_messages_of(case).messages
    assert any(set(m.addresses("to")) == {"po@inspectie.test", "lpa@gemeente.test"} for m in reports)


def test_law_4_objection_deadline_paused_by_geschillencommissie(po):
    w = po
    with on(D(2026, 10, 5)):
        case = _prepare(w.zeno, w.otto, w.parent_otto, vo=False)
        add_school_contact(
            actor=w.zeno, case=case, school_name="SBO De Brug", contacted_on=D(2026, 10, 5), agreed=True
        )
        case.refresh_from_db()
        board_decide(actor=w.po_board, case=case, effective_on=D(2026, 11, 2))
    with on(D(2026, 10, 6)):
        objection = file_objection(actor=w.zeno, case=case, received_on=D(2026, 10, 6), text="Bezwaar.")
    assert objection.deadline.due_on == D(2026, 11, 3)
    with on(D(2026, 10, 12)):
        refer_to_commission(actor=w.zeno, objection=objection)
    objection.refresh_from_db()
    assert objection.deadline.state == DeadlineState.PAUSED
    hear_parents(actor=w.po_board, objection=objection, heard_on=D(2026, 10, 20))
    with pytest.raises(ProtocolViolation) as waits:
        decide_objection(actor=w.po_board, objection=objection, outcome="Ongegrond.", upheld=False)
    assert waits.value.rule == "LAW-4" and "Geschillencommissie" in str(waits.value)
    with on(D(2026, 12, 21)):  # ten weeks later the opinion comes; the clock runs again
        record_commission_opinion(actor=w.zeno, objection=objection, opinion="Bezwaar gegrond.")
    objection.refresh_from_db()
    assert objection.deadline.state == DeadlineState.OPEN
    assert objection.deadline.due_on == D(2026, 11, 3) + datetime.timedelta(days=70)
    with pytest.raises(ProtocolViolation):  # departing from the opinion is explained in writing
        decide_objection(actor=w.po_board, objection=objection, outcome="Ongegrond.", upheld=False,
                         follows_opinion=False)  # fmt: skip
    decide_objection(actor=w.po_board, objection=objection, outcome="Ongegrond.", upheld=False, follows_opinion=False,
                     departs_reason="De veiligheid van de groep weegt zwaarder.")  # fmt: skip
    assert any("weegt zwaarder" in x.body for x in letters_and_messages_of(case).letters)


def test_law_4_late_objection_recorded_marked_late_never_lost(po):
    w = po
    with on(D(2026, 10, 5)):
        case = _prepare(w.zeno, w.otto, w.parent_otto, vo=False)
        add_school_contact(
            actor=w.zeno, case=case, school_name="SBO De Brug", contacted_on=D(2026, 10, 5), agreed=True
        )
        case.refresh_from_db()
        board_decide(actor=w.po_board, case=case, effective_on=D(2026, 11, 2))
    with on(D(2026, 12, 1)):
        objection = file_objection(
            actor=w.zeno, case=case, received_on=D(2026, 11, 30), text="Wij maken bezwaar."
        )
    assert objection.late and objection.deadline is None
    assert Objection.objects.filter(case=case, text="Wij maken bezwaar.").exists()
    assert DossierEntry.objects.filter(student=w.otto, title__contains="te laat").exists()
    with on(D(2026, 12, 1)):
        make_final(actor=w.zeno, case=case)  # a late objection does not hold the decision up


def test_law_3_vo_eight_week_search_recorded_per_school(w):
    case = _prepare(w.dirk, w.sanne, w.parent_sanne, vo=True)
    add_school_contact(
        actor=w.dirk, case=case, school_name="College Noord", contacted_on=D(2026, 9, 1), answer="vol"
    )
    add_school_contact(
        actor=w.dirk, case=case, school_name="Lyceum Zuid", contacted_on=D(2026, 9, 15), answer="nee"
    )
    case.refresh_from_db()
    with on(D(2026, 10, 20)):  # seven weeks: not yet
        with pytest.raises(ProtocolViolation) as refused:
            board_decide(actor=w.bert, case=case, effective_on=D(2026, 11, 2))
        assert refused.value.rule == "LAW-3"
    with on(D(2026, 10, 27)):
        board_decide(actor=w.bert, case=case, effective_on=D(2026, 11, 2))
    case.refresh_from_db()
    assert "acht weken" in case.decision_letter.body and case.contacts.count() == 2


def test_sv_3_decision_when_only_a_student_hearing_is_missing_in_vo(w):
    impose_time_out(actor=w.dirk, student=w.sanne, incident="Geslagen.")
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Geweld.")
    keys = [k for k, _l, done in checklist(case) if not done]
    assert "student" in keys


def test_law_2_hearing_report_edited_after_signing_is_unsigned_again_and_keeps_the_old_signature(w):
    """Bad input: a letter edited after signing — the checklist and the sending refuse it with a clear
    message; the signature stays with the version the parent signed."""
    impose_time_out(actor=w.dirk, student=w.sanne, incident="Geslagen.")
    case = open_expulsion(actor=w.dirk, student=w.sanne, ground="Geweld.")
    send_expulsion_warning(actor=w.dirk, case=case)
    documents = [
        record_hearing(actor=w.dirk, case=case, who=who, report="Verslag.")
        for who in ("teachers", "parents", "student")
    ]
    for document in documents:
        _sign(document, w.parent_sanne, w.dirk)
    case.refresh_from_db()
    assert dict((k, done) for k, _l, done in checklist(case))["parents"] is True
    signed = documents[1].current_version
    revise_document(actor=w.dirk, document=documents[1], content="Verslag, achteraf aangepast.")
    case.refresh_from_db()
    assert dict((k, done) for k, _l, done in checklist(case))["parents"] is False
    with pytest.raises(ProtocolViolation) as refused:
        send_hearing_reports(actor=w.dirk, case=case)
    assert refused.value.rule == "SV-3" and "ondertekend" in str(refused.value)
    assert signed.signatures.count() == 1 and case.reports_sent_at is None  # nothing lost, nothing sent
