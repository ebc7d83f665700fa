"""SV-1 time-out: immediate, group not school, parents contacted today, the talk, a signed report,
one extension of one day at most."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from behaviour.models import Step as LadderStep
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry, EntryKind
from measures.models import DayPart, TimeOut
from measures.services.timeouts import (
    extend_time_out,
    impose_time_out,
    record_parents_contacted,
    record_time_out_talk,
    require_report_signed,
)
from protocols.exceptions import ProtocolViolation
from signatures.models import Decision, SignMethod
from signatures.services.signatures import revise_document, sign_document
from tests.behaviour.factories import BehaviourCaseFactory

from .conftest import on

D = datetime.date


def _time_out(w, **kw):
    return impose_time_out(
        actor=w.teacher, student=w.sanne, incident="Sanne gooide een stoel naar een klasgenoot.", **kw
    )


def test_sv_1_time_out_prompts_parent_contact_today_and_plans_the_talk(w):
    with on(D(2026, 10, 6)):
        case = BehaviourCaseFactory(student=w.sanne)
        time_out = _time_out(w)
    assert time_out.on_date == D(2026, 10, 6) and time_out.part == DayPart.DAY
    deadlines = {d.step_code: d for d in Deadline.objects.filter(student=w.sanne)}
    assert deadlines["sv1.contact_parents"].due_on == D(2026, 10, 6)  # today
    assert deadlines["sv1.contact_parents"].owner == w.teacher
    assert deadlines["sv1.talk"].due_on == D(2026, 10, 6) and deadlines["sv1.talk"].owner == w.dirk
    kinds = set(DossierEntry.objects.filter(student=w.sanne).values_list("kind", flat=True))
    assert {EntryKind.INCIDENT, EntryKind.MEASURE} <= kinds
    case.refresh_from_db()
    assert case.step == LadderStep.MEASURES and time_out.behaviour_case == case  # step 5
    assert AuditEvent.objects.filter(action="measures.time_out.imposed").count() == 1
    with on(D(2026, 10, 6), 11):
        record_parents_contacted(actor=w.teacher, time_out=time_out)
    assert Deadline.objects.get(step_code="sv1.contact_parents").state == DeadlineState.DONE


def test_sv_1_home_part_of_the_day_only_by_the_director(w):
    with pytest.raises(ProtocolViolation) as refused:
        _time_out(w, part=DayPart.PART, home_part_by_director=True)
    assert refused.value.rule == "SV-1" and "directeur" in str(refused.value)
    assert not TimeOut.objects.exists()
    time_out = impose_time_out(actor=w.dirk, student=w.sanne, incident="Schoppen.", part=DayPart.PART,
                               home_part_by_director=True)  # fmt: skip
    assert time_out.home_part_by_director
    with pytest.raises(ValidationError):
        impose_time_out(
            actor=w.dirk, student=w.sanne, incident="x", part=DayPart.DAY, home_part_by_director=True
        )


def test_sv_1_report_of_incident_and_talk_is_signed_by_the_parents(w):
    time_out = _time_out(w)
    with pytest.raises(ProtocolViolation):
        require_report_signed(time_out)
    document = record_time_out_talk(actor=w.dirk, time_out=time_out, notes="Afspraak: excuses aanbieden.")
    time_out.refresh_from_db()
    assert time_out.report == document and document.current_version.file  # the PDF is the signed version
    assert Deadline.objects.get(step_code="sv1.talk").state == DeadlineState.DONE
    with pytest.raises(ProtocolViolation) as unsigned:
        require_report_signed(time_out)
    assert unsigned.value.rule == "SV-1"
    sign_document(version=document.current_version, signer=w.parent_sanne, decision=Decision.SEEN,
                  method=SignMethod.STAFF_SCREEN, actor=w.dirk)  # fmt: skip
    require_report_signed(time_out)


def test_sv_1_report_edited_after_signing_needs_signing_again_and_keeps_the_old_signature(w):
    time_out = _time_out(w)
    document = record_time_out_talk(actor=w.dirk, time_out=time_out, notes="Eerste verslag.")
    first = document.current_version
    sign_document(version=first, signer=w.parent_sanne, decision=Decision.AGREED, method=SignMethod.STAFF_SCREEN,
                  actor=w.dirk)  # fmt: skip
    revise_document(actor=w.dirk, document=document, content="Verslag, achteraf gewijzigd.")
    document.refresh_from_db()
    time_out.refresh_from_db()
    with pytest.raises(ProtocolViolation) as refused:
        require_report_signed(time_out)
    assert refused.value.rule == "SV-1" and "ondertekend" in str(refused.value)
    assert first.signatures.count() == 1  # nothing lost


def test_sv_1_extension_once_by_one_day_a_second_is_refused_only_suspension_remains(w):
    time_out = _time_out(w)
    with pytest.raises(ProtocolViolation):
        extend_time_out(actor=w.dirk, time_out=time_out, days=2)  # beyond the declared bound
    extend_time_out(actor=w.dirk, time_out=time_out, days=1, reason="Nog onrustig.")
    with pytest.raises(ProtocolViolation) as refused:
        extend_time_out(actor=w.dirk, time_out=time_out, days=1)
    assert refused.value.rule == "SV-1"
    assert "alleen schorsing" in str(refused.value)
    time_out.refresh_from_db()
    assert time_out.extended_days == 1


def test_sv_1_time_out_without_an_incident_is_refused_in_dutch(w):
    with pytest.raises(ValidationError) as refused:
        impose_time_out(actor=w.teacher, student=w.sanne, incident="   ")
    assert "incident" in str(refused.value)
