"""Step 3 of het gedragsprotocol (GP-13 – GP-19)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from behaviour.models import Step
from behaviour.models_plans import PlanState, Step3Plan
from behaviour.services import step3
from deadlines.models import Deadline, DeadlineState
from dossier.models import DossierEntry
from messaging.models import Letter, Message
from protocols.exceptions import ProtocolViolation
from tests import factories as f

from .plan_helpers import case_at, started_step3, step3_talk_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return case_at(world.sanne, 3)


def test_gp_13_the_directie_invites_the_parents_by_letter_from_the_case(world, case):
    plan = step3.invite_step3_parents(actor=world.dirk.user, case=case)
    letter = Letter.objects.get(template_code=step3.INVITATION_LETTER)
    assert letter.source == case and plan.invitation == letter
    message = letter.messages.get()
    assert world.parent_sanne.email in message.addresses("to")
    assert world.dirk.email in message.addresses("cc") and world.carla.email in message.addresses("cc")


def test_gp_13_the_talk_sets_agreements_and_measure_with_all_parties(world, case):
    plan = step3.invite_step3_parents(actor=world.dirk.user, case=case)
    with pytest.raises(ValidationError, match="de directeur"):
        step3.hold_step3_talk(actor=world.dirk.user, plan=plan,
                              **step3_talk_kwargs(world, participants=["student", "teacher", "parents", "care_coordinator"]))  # fmt: skip
    with pytest.raises(ValidationError, match="gedragsspecialist of de intern begeleider"):
        step3.hold_step3_talk(actor=world.dirk.user, plan=plan,
                              **step3_talk_kwargs(world, participants=["student", "teacher", "parents", "director"]))  # fmt: skip
    with pytest.raises(ValidationError, match="maatregel"):
        step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(world, measure=""))
    step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(world))
    plan.refresh_from_db()
    assert plan.talk_on and "gedragsspecialist" in plan.participants
    assert DossierEntry.objects.filter(kind="agreement", title="Afspraken stap 3").exists()


def test_gp_14_the_plan_page_links_the_students_logbook(world, case):
    from dossier.services.logbook import write_log_entry

    started_step3(world, case)
    write_log_entry(actor=world.teacher.user, student=world.sanne, title="Rustige ochtend", body="Sanne werkte door.",
                    occurred_at=timezone.now(), visibility="team", parent_visible=False)  # fmt: skip
    page = world.client_for(world.teacher).get(f"/gedrag/stappen/leerling/{world.sanne.pk}/").text
    assert "Rustige ochtend" in page and "Logboek (GP-14)" in page


def test_avg_4_the_plan_page_shows_a_teacher_no_care_note_and_no_one_elses_deadline(world, case):
    """Found at integration: the plan page listed every GP deadline of the student (titles may carry
    care content) and every log note, whatever the reader's role."""
    from dossier.services.logbook import write_log_entry

    started_step3(world, case)
    write_log_entry(actor=world.carla.user, student=world.sanne, title="Zorgnotitie Kwartel", body="Thuis.",
                    occurred_at=timezone.now(), visibility="care_team", parent_visible=False)  # fmt: skip
    Deadline.objects.create(school=world.school, owner=world.carla, student=world.sanne, rule="GP-10",
                            title="Evaluatie Kwartel-zorg", due_on=timezone.localdate())  # fmt: skip
    url = f"/gedrag/stappen/leerling/{world.sanne.pk}/"
    teacher_page = world.client_for(world.teacher).get(url).text
    assert "Kwartel" not in teacher_page
    carla_page = world.client_for(world.carla).get(url).text
    assert "Zorgnotitie Kwartel" in carla_page and "Evaluatie Kwartel-zorg" in carla_page


def test_gp_15_weekly_progress_talk_is_reminded_and_recorded(world, case):
    plan = started_step3(world, case)
    reminders = Deadline.objects.filter(rule="GP-15", owner=world.bea).order_by("due_on")
    assert reminders.count() == 5  # weeks 1..5; the evaluation is week 6
    with pytest.raises(ProtocolViolation) as refused:  # a teacher does not hold it
        step3.record_progress_talk(
            actor=world.teacher.user, plan=plan, held_on=timezone.localdate(), summary="x"
        )
    assert refused.value.rule == "GP-15"
    step3.record_progress_talk(actor=world.bea.user, plan=plan, held_on=timezone.localdate(),
                               summary="Twee goede dagen, één conflict op het plein.")  # fmt: skip
    talk = DossierEntry.objects.get(kind="talk", title="Voortgangsgesprek stap 3")
    assert "Teruggekoppeld aan alle betrokkenen" in talk.body
    assert reminders.first().state == DeadlineState.DONE


def test_gp_15_the_director_joins_when_serious(world, case):
    plan = started_step3(world, case, serious=True)
    with pytest.raises(ProtocolViolation, match="directeur"):
        step3.record_progress_talk(
            actor=world.bea.user, plan=plan, held_on=timezone.localdate(), summary="Week 1."
        )
    step3.record_progress_talk(actor=world.bea.user, plan=plan, held_on=timezone.localdate(), summary="Week 1.",
                               director_present=True)  # fmt: skip


def test_gp_16_evaluation_after_six_weeks_final_not_before(world, case):
    plan = started_step3(world, case)
    assert 42 <= (plan.evaluation_due - plan.talk_on).days < 49
    step3.evaluate_step3(
        actor=world.bea.user, plan=plan, final=False, effective=True, notes="Tussenstand: beter."
    )
    with pytest.raises(ProtocolViolation) as refused:
        step3.evaluate_step3(
            actor=world.bea.user, plan=plan, final=True, effective=False, notes="Niet beter."
        )
    assert refused.value.rule == "GP-16"
    with time_machine.travel(plan.evaluation_due + datetime.timedelta(days=1), tick=False):
        step3.evaluate_step3(
            actor=world.bea.user, plan=plan, final=True, effective=False, notes="Niet beter."
        )
    case.refresh_from_db()
    plan.refresh_from_db()
    assert plan.state == PlanState.NOT_EFFECTIVE and case.step == Step.OTHER_GROUP
    assert not Deadline.objects.filter(rule="GP-15", state=DeadlineState.OPEN).exists()


def test_gp_17_time_out_needs_frequency_length_and_deputies(world, case):
    plan = step3.invite_step3_parents(actor=world.dirk.user, case=case)
    with pytest.raises(ValidationError, match="hoe vaak"):
        step3.hold_step3_talk(
            actor=world.dirk.user, plan=plan, **step3_talk_kwargs(world, timeout_allowed=True)
        )
    with pytest.raises(ValidationError, match="vervanger"):
        step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(
            world, timeout_allowed=True, timeout_per_week=2, timeout_minutes=30))  # fmt: skip
    other = f.StaffFactory(school=world.other_school)
    with pytest.raises(ValidationError, match="deze school"):
        step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(
            world, timeout_allowed=True, timeout_per_week=2, timeout_minutes=30, deputies=[other]))  # fmt: skip
    step3.hold_step3_talk(actor=world.dirk.user, plan=plan, **step3_talk_kwargs(
        world, timeout_allowed=True, timeout_per_week=2, timeout_minutes=30, deputies=[world.anouk]))  # fmt: skip
    plan.refresh_from_db()
    assert plan.timeout_per_week == 2 and list(plan.deputies.all()) == [world.anouk]
    assert "vervangers: Anouk Afdeling" in DossierEntry.objects.get(kind="agreement").body


def test_gp_18_ib_er_records_contact_with_an_external_agency(world, case):
    plan = started_step3(world, case)
    with pytest.raises(ProtocolViolation) as refused:
        step3.record_external_contact(actor=world.bea.user, plan=plan, agency="CJG", parents_position="Weigeren",
                                      summary="Gebeld")  # fmt: skip
    assert refused.value.rule == "GP-18"
    step3.record_external_contact(actor=world.carla.user, plan=plan, agency="Centrum Jeugd en Gezin",
                                  parents_position="De ouders wijzen het advies af.", summary="Casus besproken.")  # fmt: skip
    entry = DossierEntry.objects.get(kind="referral")
    assert entry.visibility == "care_team" and "Centrum Jeugd en Gezin" in entry.title


def test_gp_19_staying_after_school_preset(world, case):
    plan = started_step3(world, case, after_school=True)
    assert "2 weken" in plan.measure and "30 minuten" in plan.measure and "14:45" in plan.measure
    assert "GP-19" in plan.measure


def test_gp_13_invitation_twice_is_refused(world, case):
    step3.invite_step3_parents(actor=world.dirk.user, case=case)
    with pytest.raises(ValidationError):
        step3.invite_step3_parents(actor=world.dirk.user, case=case)
    assert Step3Plan.objects.count() == 1 and Message.objects.filter(letter__isnull=False).count() == 1
