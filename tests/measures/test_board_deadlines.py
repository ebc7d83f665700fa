"""LAW-4, SV-3: a deadline of the board (decide on the objection within four weeks) is owned by someone
who can act on it: a board member with an account at the school, or the director where the board has
no account in Leerlingzorg (the director then records the board's acts on its behalf)."""

import datetime

import pytest

from audit.models import AuditEvent
from deadlines.models import DeadlineState
from measures.services.expulsions import add_school_contact, board_decide
from measures.services.objections import decide_objection, file_objection, hear_parents
from protocols.exceptions import ProtocolViolation
from schools.services.calendar import load_default_holidays
from tests import factories as f

from .conftest import on
from .test_expulsion import _prepare

D = datetime.date


def _decided(w, board_actor):
    with on(D(2026, 10, 5)):
        case = _prepare(w.zeno, w.otto, w.parent_otto, vo=False)
        add_school_contact(actor=w.zeno, case=case, school_name="SBO De Brug", contacted_on=D(2026, 10, 5),
                           agreed=True)  # fmt: skip
        case.refresh_from_db()
        board_decide(actor=board_actor, case=case, effective_on=D(2026, 11, 2))
    case.refresh_from_db()
    with on(D(2026, 10, 20)):
        return file_objection(
            actor=w.zeno, case=case, received_on=D(2026, 10, 20), text="Wij zijn het oneens."
        )


def _decide(objection, actor):
    hear_parents(actor=actor, objection=objection, heard_on=D(2026, 11, 3))
    with on(D(2026, 11, 5)):
        decide_objection(actor=actor, objection=objection, outcome="Ongegrond.", upheld=False)
    objection.refresh_from_db()
    assert objection.deadline.state == DeadlineState.DONE


def test_law_4_objection_deadline_owned_by_the_board_member_with_an_account_at_the_school(po):
    w = po
    member = f.StaffFactory(school=w.other_school, user=w.po_board, first_name="Bea", last_name="Bestuur")
    objection = _decided(w, w.po_board)
    assert objection.deadline.owner == member  # not the director, who may not decide (LAW-4)
    with pytest.raises(ProtocolViolation) as refused:
        hear_parents(actor=w.zeno, objection=objection, heard_on=D(2026, 11, 3))
    assert refused.value.rule == "LAW-4"
    _decide(objection, w.po_board)


def test_law_4_board_without_an_account_the_director_owns_the_deadline_and_acts_for_the_board(w):
    school = w.other_school  # its board has no account in Leerlingzorg
    load_default_holidays(school=school, school_years=[2025, 2026])
    school.inspectorate_email, school.attendance_officer_email = "po@inspectie.test", "lpa@gemeente.test"
    school.save()
    objection = _decided(w, w.zeno)
    assert objection.deadline.owner == w.zeno
    assert objection.deadline.url == f"/maatregelen/bestuur/verwijdering/{objection.case_id}/"
    _decide(objection, w.zeno)
    assert AuditEvent.objects.filter(
        action="measures.expulsion.objection_decided", actor_id=w.zeno.user_id
    ).exists()


def test_law_2_the_director_may_not_act_for_a_board_that_has_an_account(po):
    w = po
    with pytest.raises(ProtocolViolation) as refused:
        _decided(w, w.zeno)
    assert refused.value.rule == "LAW-2"
