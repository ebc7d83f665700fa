"""GP-23, SV-1, SV-2, SV-3: a measure puts the behaviour case on step 5 through the ladder's one way to
change step (`advance_step`): a step entry and an audit row, and no GP-6/GP-7 consent round."""

import datetime

import pytest

from audit.models import AuditEvent
from behaviour.models import Step
from behaviour.services.ladder import advance_step
from dossier.models import DossierEntry
from measures.services.expulsions import open_expulsion
from measures.services.timeouts import impose_time_out
from protocols.exceptions import ProtocolViolation
from tests.behaviour.factories import BehaviourCaseFactory

from .conftest import on

D = datetime.date


def test_sv_1_time_out_enters_step_5_through_advance_step_without_consent(w):
    with on(D(2026, 10, 6)):
        case = BehaviourCaseFactory(student=w.sanne)  # step 1, no escalation request at all
        time_out = impose_time_out(actor=w.teacher, student=w.sanne, incident="Een stoel gegooid.")
    case.refresh_from_db()
    assert case.step == Step.MEASURES and time_out.behaviour_case == case
    moved = AuditEvent.objects.get(action="behaviour.case.step_changed")
    assert moved.data == {"from": Step.INCIDENT, "to": Step.MEASURES, "rule": "SV-1"}
    assert DossierEntry.objects.filter(student=w.sanne, kind="behaviour_step").count() == 1


def test_sv_3_expulsion_on_a_case_already_in_step_5_changes_no_step(w):
    with on(D(2026, 10, 6)):
        case = BehaviourCaseFactory(student=w.sanne)
        impose_time_out(actor=w.dirk, student=w.sanne, incident="Een stoel gegooid.")
        expulsion = open_expulsion(actor=w.dirk, student=w.sanne, ground="Herhaald geweld.")
    assert expulsion.behaviour_case_id == case.pk
    assert AuditEvent.objects.filter(action="behaviour.case.step_changed").count() == 1


@pytest.mark.parametrize("rule", ["GP-6", "GP-7", "GP-20"])
def test_gp_23_step_5_only_for_a_measure_rule(w, rule):
    case = BehaviourCaseFactory(student=w.sanne)
    with pytest.raises(ProtocolViolation) as refused:
        advance_step(actor=w.dirk, case=case, to_step=Step.MEASURES, rule=rule)
    assert refused.value.rule == "GP-23"
    case.refresh_from_db()
    assert case.step == Step.INCIDENT


def test_gp_6_step_2_still_needs_consent_after_the_change(w):
    case = BehaviourCaseFactory(student=w.sanne)
    with pytest.raises(ProtocolViolation) as refused:
        advance_step(actor=w.dirk, case=case, to_step=Step.PERIODIC, rule="SV-1")
    assert refused.value.rule == "GP-7"
