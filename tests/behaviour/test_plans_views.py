"""The pages of steps 2–4: plan page, forms, refusals with a Dutch message, hostile input, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from behaviour.models_plans import BehaviourPlan, Placement
from behaviour.services import plans, step3
from dossier.models import DossierEntry

from .factories import BehaviourCaseFactory
from .plan_helpers import case_at, hold_talk, started_step3

pytestmark = pytest.mark.django_db
BIDI, NUL = "\u202e", "\x00"


def url(student, action=""):
    return f"/gedrag/stappen/leerling/{student.pk}/" + (f"{action}/" if action else "")


def talk_post(world, **changes):
    data = {
        "talk_on": timezone.localdate().isoformat(),
        "participants": ["student", "teacher", "parents"],
        "desired_behaviour": "Sanne wacht op haar beurt.",
        "reward": "Compliment",
        "sanction": "Afkoelen",
        "consequences": ["de leerling laten meedenken"],
        "feedback_frequency": "weekly",
        "feedback_channel": "telefoon",
        "teacher": str(world.teacher.pk),
    }
    data.update(changes)
    return data


def test_gp_8_plan_page_and_talk_form_as_the_teacher(world):
    case_at(world.sanne, 2)
    client = world.client_for(world.teacher)
    assert "Nog geen gedragsplan" in client.get(url(world.sanne)).text
    form = client.get(url(world.sanne, "stap-2/gesprek"))
    assert form.status_code == 200 and "Gewenst gedrag" in form.text and "tekstcontrole" in form.text.lower()
    response = client.post(url(world.sanne, "stap-2/gesprek"), talk_post(world))
    assert response.status_code == 302
    page = client.get(url(world.sanne)).text
    assert (
        "Sanne wacht op haar beurt." in page
        and "Nog niet getekend door:" in page
        and "Petra de Vries" in page
    )


def test_gp_8_form_without_desired_behaviour_is_refused_in_dutch_and_nothing_written(world):
    case_at(world.sanne, 2)
    before = DossierEntry.objects.count()
    response = world.client_for(world.teacher).post(url(world.sanne, "stap-2/gesprek"),
                                                    talk_post(world, desired_behaviour=""))  # fmt: skip
    assert response.status_code == 422 and "Dit veld is verplicht" in response.text
    assert not BehaviourPlan.objects.exists() and DossierEntry.objects.count() == before


def test_gp_8_participants_missing_is_refused_with_the_rule(world):
    case_at(world.sanne, 2)
    response = world.client_for(world.teacher).post(url(world.sanne, "stap-2/gesprek"),
                                                    talk_post(world, participants=["student"]))  # fmt: skip
    assert response.status_code == 422 and "GP-8" in response.text and not BehaviourPlan.objects.exists()


def test_avg_4_plan_pages_are_404_and_audited_for_staff_who_do_not_relate(world):
    case_at(world.sanne, 2)
    for who in (world.olga, world.zeno):
        for action in ("", "stap-2/gesprek"):
            assert world.client_for(who).get(url(world.sanne, action)).status_code == 404
    assert AuditEvent.objects.filter(action="behaviour.plans.view_denied", success=False).count() == 4


def test_gp_13_only_the_director_invites_and_the_teacher_does_not_lead_step_3(world):
    case_at(world.sanne, 3)
    assert world.client_for(world.teacher).post(url(world.sanne, "stap-3/uitnodigen")).status_code == 404
    assert world.client_for(world.dirk).post(url(world.sanne, "stap-3/uitnodigen")).status_code == 302
    assert world.client_for(world.teacher).get(url(world.sanne, "stap-3/gesprek")).status_code == 404
    assert world.client_for(world.bea).get(url(world.sanne, "stap-3/gesprek")).status_code == 200


@pytest.fixture
def step4(world):
    return case_at(world.sanne, 4)


def test_gp_21_placement_form_refuses_the_own_group_in_dutch_and_writes_nothing(world, step4):
    client = world.client_for(world.dirk)
    page = client.get(url(world.sanne, "stap-4/plan"))
    assert page.status_code == 200
    response = client.post(url(world.sanne, "stap-4/plan"), {
        "host_group": str(world.group_2b.pk), "starts_on": "2026-09-07", "agreements": "Afspraken", "work": "Werk"})  # fmt: skip
    assert (
        response.status_code == 422
        and "niet naar de eigen groep" in response.text
        and "GP-21" in response.text
    )
    assert not Placement.objects.exists()


def test_gp_21_start_button_names_who_has_not_signed(world, step4):
    client = world.client_for(world.dirk)
    client.post(url(world.sanne, "stap-4/plan"), {
        "host_group": str(world.group_3c.pk), "starts_on": "2026-09-07", "agreements": "Afspraken", "work": "Werk"})  # fmt: skip
    assert Placement.objects.count() == 1
    response = client.post(url(world.sanne, "stap-4/starten"))
    assert response.status_code == 422 and "GP-21" in response.text and "Sanne de Vries" in response.text


TEXT_FORMS = [
    (2, "stap-2/gesprek", "teacher", lambda w: talk_post(w), "desired_behaviour"),
    (2, "stap-2/terugkoppeling", "teacher", lambda w: {"given_on": "2026-09-01", "summary": "x"}, "summary"),
    (3, "stap-3/gesprek", "bea", lambda w: {}, "agreements"),
    (3, "stap-3/voortgang", "bea", lambda w: {"held_on": "2026-09-01", "summary": "x"}, "summary"),
    (
        3,
        "stap-3/extern",
        "carla",
        lambda w: {"agency": "x", "parents_position": "x", "summary": "x"},
        "agency",
    ),
    (
        4,
        "stap-4/plan",
        "dirk",
        lambda w: {
            "host_group": str(w.group_3c.pk),
            "starts_on": "2026-09-07",
            "agreements": "x",
            "work": "x",
        },
        "work",
    ),
]


@pytest.mark.parametrize("step, action, who, data, field", TEXT_FORMS)
@pytest.mark.parametrize("bad", [BIDI, NUL, "\x1b[31m"])
def test_hostile_step_forms_refuse_control_and_bidi_characters_and_store_nothing(world, step, action, who, data,
                                                                                 field, bad):  # fmt: skip
    case = case_at(world.sanne, step)
    if step == 2 and action != "stap-2/gesprek":
        hold_talk(world, case)
    if step == 3 and action != "stap-3/gesprek":
        started_step3(world, case)
    elif step == 3:
        step3.invite_step3_parents(actor=world.dirk.user, case=case)
    before = DossierEntry.objects.count()
    values = data(world)
    values[field] = f"tekst{bad}tekst"
    response = world.client_for(getattr(world, who)).post(url(world.sanne, action), values)
    assert response.status_code in (400, 422)
    assert DossierEntry.objects.count() == before


def test_plan_page_query_count_is_constant_in_the_number_of_feedback_entries(world):
    case = case_at(world.sanne, 2)
    plan = hold_talk(world, case)
    client = world.client_for(world.teacher)
    client.get(url(world.sanne))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world.sanne)).status_code == 200
        return len(queries)

    plans.record_parent_feedback(
        actor=world.teacher.user, plan=plan, given_on=timezone.localdate(), summary="1"
    )
    first = count()
    for n in range(5):
        plans.record_parent_feedback(actor=world.teacher.user, plan=plan, given_on=timezone.localdate(),
                                     summary=f"feedback {n}")  # fmt: skip
    assert count() == first


def test_plan_page_query_count_is_constant_in_the_number_of_logbook_notes(world):
    from dossier.services.logbook import write_log_entry

    case = case_at(world.sanne, 3)
    started_step3(world, case)
    client = world.client_for(world.bea)

    def write(n):
        for i in range(n):
            write_log_entry(actor=world.teacher.user, student=world.sanne, title=f"Notitie {i}", body="x",
                            occurred_at=timezone.now(), visibility="team", parent_visible=False)  # fmt: skip

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world.sanne)).status_code == 200
        return len(queries)

    write(1)
    client.get(url(world.sanne))
    first = count()
    write(6)
    assert count() == first


def test_my_actions_show_feedback_due_and_plans_waiting_for_signatures(world):
    case = case_at(world.sanne, 2)
    plan = hold_talk(world, case)
    import time_machine

    with time_machine.travel(plan.talk_on + datetime.timedelta(days=5), tick=False):
        home = world.client_for(world.teacher).get("/").text
        assert "Gedragsprotocol: te doen" in home and "Terugkoppeling aan de ouders" in home
        assert "Plan wacht op handtekeningen" in world.client_for(world.carla).get("/").text


def test_behaviour_case_factory_still_works_for_other_students(world):
    assert BehaviourCaseFactory(student=world.daan).step == 1
