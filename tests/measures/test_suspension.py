"""SV-2, GP-23, LAW-1: suspension at most five school days (the school calendar counts), its letters,
the notices to the inspectorate and the leerplichtambtenaar when longer than one day."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry, EntryKind
from measures.apps import GP_23_GROUNDS
from measures.models import NationalTestDecision, Suspension, SuspensionMode
from measures.services.suspensions import (
    decide_national_test,
    notify_attendance_officer,
    record_board_informed,
    record_inspectorate_filed,
    record_parents_view,
    suspend,
)
from messaging.models import Letter
from messaging.selectors_letters import letters_and_messages_of
from protocols.exceptions import ProtocolViolation
from protocols.registry import MEASURES
from protocols.services import change_protocol, latest_version

from .conftest import on

D = datetime.date
GROUND = GP_23_GROUNDS[0]


def _suspend(w, **kw):
    args = {"actor": w.dirk, "student": w.sanne, "grounds": [GROUND], "reasons": "Geweld tegen een medeleerling.",
            "start_on": D(2026, 10, 6), "school_days": 3, "mode": SuspensionMode.PROPOSED,
            "catch_up_work": "Rekenen blok 3 en lezen.", "contact_person": w.mentor}  # fmt: skip
    return suspend(**{**args, **kw})


def _change(w, values):
    latest = latest_version(w.school, MEASURES)
    change_protocol(school=w.school, protocol=MEASURES, values=values, reason="Aangepast", actor=w.dirk,
                    based_on=latest.number)  # fmt: skip


def _open(source):
    return {d.step_code: d for d in Deadline.objects.filter(source_id=str(source.pk), state="open")}


def test_sv_2_sixth_day_refused(w):
    with pytest.raises(ProtocolViolation) as refused:
        _suspend(w, school_days=6)
    assert refused.value.rule == "SV-2" and "5 schooldagen" in str(refused.value)
    assert not Suspension.objects.exists() and not Letter.objects.exists()  # nothing half-made
    assert _suspend(w, school_days=5).school_days == 5


def test_law_1_only_the_director_suspends_on_behalf_of_the_board(w):
    with pytest.raises(ProtocolViolation) as refused:
        _suspend(w, actor=w.carla)
    assert refused.value.rule == "LAW-1"


def test_sv_2_suspension_across_a_weekend_counts_school_days(w):
    with on(D(2026, 10, 1)):
        suspension = _suspend(w, start_on=D(2026, 10, 1), school_days=3)  # Thursday
    assert (suspension.start_on, suspension.end_on) == (D(2026, 10, 1), D(2026, 10, 5))  # Thu, Fri, Mon


def test_sv_2_suspension_across_a_holiday_counts_school_days(w):
    with on(D(2026, 10, 16)):
        suspension = _suspend(w, start_on=D(2026, 10, 16), school_days=3)  # Friday before herfstvakantie
    assert suspension.end_on == D(2026, 10, 27)  # Fri 16, Mon 26, Tue 27


def test_sv_2_start_on_a_closed_day_moves_to_the_next_school_day(w):
    suspension = _suspend(w, start_on=D(2026, 10, 17), school_days=1)  # Saturday in the holiday
    assert suspension.start_on == suspension.end_on == D(2026, 10, 26)


def test_sv_2_one_day_suspension_has_no_inspectorate_or_attendance_notice(w):
    suspension = _suspend(w, school_days=1)
    assert not _open(suspension)
    assert suspension.inspectorate_text == ""
    with pytest.raises(ValidationError):
        record_inspectorate_filed(actor=w.dirk, suspension=suspension)
    with pytest.raises(ValidationError):
        notify_attendance_officer(actor=w.dirk, suspension=suspension)


def test_law_1_two_day_suspension_opens_both_notices_until_done(w):
    with on(D(2026, 10, 6)):
        suspension = _suspend(w, school_days=2)
    deadlines = _open(suspension)
    assert set(deadlines) == {"law1.inspectorate", "sv2.attendance_officer"}
    assert deadlines["law1.inspectorate"].rule == "LAW-1" and deadlines["law1.inspectorate"].owner == w.dirk
    assert "Internet Schooldossier" in deadlines["law1.inspectorate"].title
    assert (
        "Redenen: Geweld" in suspension.inspectorate_text
        and w.sanne.full_name in suspension.inspectorate_text
    )
    with on(D(2026, 10, 20)):  # long after the due date: still open until done
        assert set(_open(suspension)) == {"law1.inspectorate", "sv2.attendance_officer"}
        record_inspectorate_filed(actor=w.dirk, suspension=suspension)
        notify_attendance_officer(actor=w.dirk, suspension=suspension)
    suspension.refresh_from_db()
    assert suspension.inspectorate_filed_at and suspension.attendance_officer_notified_at
    assert not _open(suspension)
    codes = [letter.template_code for letter in letters_and_messages_of(suspension).letters]
    assert sorted(codes) == ["sv.suspension.attendance_officer", "sv.suspension.decision"]
    to = letters_and_messages_of(suspension).letters
    officer = next(x for x in to if x.template_code == "sv.suspension.attendance_officer").messages.get()
    assert officer.addresses("to") == ["leerplicht@gemeente.test"]


def test_law_1_decision_letter_goes_at_once_with_reasons_period_and_invitation(w):
    with on(D(2026, 10, 6)):
        suspension = _suspend(w, meeting_at=datetime.datetime(2026, 10, 7, 15, 0, tzinfo=datetime.UTC))
    letter = suspension.decision_letter
    assert letter.template_code == "sv.suspension.decision"
    assert "Geweld tegen een medeleerling" in letter.body and GROUND in letter.body
    assert "6 oktober 2026" in letter.body and "8 oktober 2026" in letter.body and "gesprek" in letter.body
    assert letter.messages.get().addresses("to") == [g.email for g in [w.parent_sanne]]
    assert DossierEntry.objects.filter(
        student=w.sanne, kind=EntryKind.ATTENDANCE
    ).exists()  # authorised absence


def test_law_1_decision_letter_also_to_the_student_from_18(w):
    w.sanne.date_of_birth = D(2007, 1, 1)
    w.sanne.email = "sanne@leerling.test"
    w.sanne.save()
    with on(D(2026, 10, 6)):
        suspension = _suspend(w)
    assert "sanne@leerling.test" in suspension.decision_letter.messages.get().addresses("to")


def test_gp_23_suspension_without_grounds_is_refused(w):
    for grounds in ([], [""], ["omdat het zo uitkomt"]):
        with pytest.raises(ProtocolViolation) as refused:
            _suspend(w, grounds=grounds)
        assert refused.value.rule == "GP-23" and "grond" in str(refused.value)
    assert not Suspension.objects.exists()


def test_gp_23_school_may_add_its_own_ground(w):
    grounds = [*GP_23_GROUNDS, "vuurwerk afsteken op het plein"]
    _change(w, {"suspension_grounds": grounds})
    suspension = _suspend(w, grounds=["Vuurwerk afsteken op het plein"])
    assert suspension.grounds == ["vuurwerk afsteken op het plein"]


def test_sv_2_plan_to_keep_up_is_required(w):
    with pytest.raises(ProtocolViolation) as refused:
        _suspend(w, catch_up_work=" ")
    assert refused.value.rule == "SV-2"
    with pytest.raises(ProtocolViolation):
        _suspend(w, contact_person=None)


def test_sv_2_urgent_suspension_informs_the_board_afterwards_both_recorded(w):
    proposed = _suspend(w)
    assert proposed.board_informed_at is not None and "sv2.inform_board" not in _open(proposed)
    urgent = _suspend(w, mode=SuspensionMode.URGENT, school_days=1)
    assert urgent.board_informed_at is None and "sv2.inform_board" in _open(urgent)
    record_board_informed(actor=w.dirk, suspension=urgent)
    urgent.refresh_from_db()
    assert urgent.board_informed_at and not _open(urgent)
    assert AuditEvent.objects.filter(action="measures.suspension.board_informed").count() == 1


def test_sv_2_national_test_in_the_period_is_flagged_and_the_director_decides(w):
    _change(w, {"national_test_dates": ["2026-10-07 doorstroomtoets"]})
    suspension = _suspend(w, school_days=1, start_on=D(2026, 10, 7))
    assert "doorstroomtoets" in suspension.national_test and "sv2.test" in _open(suspension)
    with pytest.raises(ProtocolViolation):
        decide_national_test(actor=w.carla, suspension=suspension, decision=NationalTestDecision.ADMIT)
    decide_national_test(actor=w.dirk, suspension=suspension, decision=NationalTestDecision.ADMIT)
    suspension.refresh_from_db()
    assert suspension.test_decision == NationalTestDecision.ADMIT and not _open(suspension)
    other = _suspend(w, school_days=1, start_on=D(2026, 10, 8))
    assert other.national_test == ""


def test_sv_2_parents_view_to_the_board_is_recorded(w):
    suspension = _suspend(w)
    record_parents_view(actor=w.dirk, suspension=suspension, text="Wij vinden de schorsing te zwaar.")
    assert DossierEntry.objects.filter(kind=EntryKind.PARENT_STATEMENT, student=w.sanne).exists()
    assert Deadline.objects.filter(state=DeadlineState.OPEN).count() == 2
