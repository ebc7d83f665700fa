"""Agreements (LB-9, LB-10, LB-12): SMART, entered live, vague goals refused, two editors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from protocols.exceptions import ProtocolViolation
from reviews.models import ActionPlan, Agreement
from schools import calendar

from .meeting_support import HX, agree, put_on_list, started

pytestmark = pytest.mark.django_db


def form(world, **overrides):
    data = {
        "goal": "Noteert elke les het huiswerk in de planner; de mentor kijkt het op maandag na.",
        "owner": world.mentor.pk,
        "carried_out_by": [world.teacher.pk],
        "starts_on": "",
        "evaluate_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        "vague_reason": "",
        "action_plan_title": "",
        "version": "0",
    }
    data.update(overrides)
    return data


def add_url(m, student):
    return reverse("review_agreement_add", args=[m.pk, student.pk])


def test_lb_9_agreement_without_evaluation_date_is_refused(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.carla).post(add_url(meeting_2b, world.sanne), form(world, evaluate_on=""),
                                                  headers=HX)  # fmt: skip
    assert response.status_code == 400
    assert "Geef een evaluatiedatum: elke afspraak wordt geëvalueerd (LB-9)." in response.content.decode()
    assert not Agreement.objects.exists()


def test_lb_9_vague_goal_is_refused_unless_rewritten_or_explained(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.carla)
    vague = "Sanne moet beter opletten."
    response = client.post(add_url(meeting_2b, world.sanne), form(world, goal=vague), headers=HX)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit doel is vaag" in page and vague in page  # the typed goal stays
    assert not Agreement.objects.exists()
    response = client.post(add_url(meeting_2b, world.sanne), form(
        world, goal=vague, vague_reason="Gemeten als: schrijft de opdracht op het bord over, elke les."),
        headers=HX)  # fmt: skip
    assert response.status_code == 200
    assert Agreement.objects.get().vague_reason.startswith("Gemeten als")


def test_lb_9_an_agreement_is_smart_owner_goal_doers_dates(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.teacher).post(add_url(meeting_2b, world.sanne), form(world), headers=HX)
    assert response.status_code == 200
    agreement = Agreement.objects.get()
    assert agreement.owner == world.mentor
    assert list(agreement.carried_out_by.all()) == [world.teacher]
    assert agreement.evaluate_on > agreement.starts_on


def test_lb_12_agreements_start_one_week_after_the_meeting_by_default(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    agreement = agree(world, meeting_2b, world.sanne)
    meeting_day = timezone.localtime(meeting_2b.starts_at).date()
    assert agreement.starts_on == calendar.add_weeks(world.school, meeting_day, 1)


def test_lb_9_evaluation_before_start_is_refused(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    with pytest.raises(ProtocolViolation) as error:
        agree(world, meeting_2b, world.sanne, evaluate_on=timezone.localdate())
    assert error.value.rule == "LB-9"
    assert not Agreement.objects.exists()


def test_lb_10_agreements_are_entered_during_the_meeting(world, meeting_2b):
    put_on_list(world, meeting_2b, world.sanne)
    with pytest.raises(ProtocolViolation) as error:
        agree(world, meeting_2b, world.sanne)
    assert error.value.rule == "LB-6"
    assert not Agreement.objects.exists()


def test_lb_9_owner_from_another_school_is_refused(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    with pytest.raises(ProtocolViolation):
        agree(world, meeting_2b, world.sanne, owner=world.zeno)
    assert not Agreement.objects.exists()


def test_lb_9_an_action_plan_groups_agreements(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.carla)
    client.post(add_url(meeting_2b, world.sanne), form(world, action_plan_title="Plan planning"), headers=HX)
    client.post(
        add_url(meeting_2b, world.sanne),
        form(world, goal="Zit bij wiskunde elke les op de eerste rij.", action_plan_title="Plan planning"),
        headers=HX,
    )
    plan = ActionPlan.objects.get()
    assert plan.agreements.count() == 2 and plan.title == "Plan planning"


def test_two_people_editing_the_same_agreement_never_overwrite(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    agreement = agree(world, meeting_2b, world.sanne)
    url = reverse("review_agreement_edit", args=[agreement.pk])
    p = f"a{agreement.pk}-"

    def edit(goal):
        return {f"{p}{k}": v for k, v in form(world, goal=goal, version=str(agreement.row_version)).items()}

    chair = world.client_for(world.carla).post(url, edit("Levert elke vrijdag het weekplan in bij de mentor."),
                                               headers=HX)  # fmt: skip
    assert chair.status_code == 200
    minute_taker = world.client_for(world.teacher).post(
        url, edit("Zit elke les vooraan bij wiskunde."), headers=HX
    )
    assert minute_taker.status_code == 400
    page = minute_taker.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Zit elke les vooraan bij wiskunde." in page  # the input is kept
    agreement.refresh_from_db()
    assert agreement.goal == "Levert elke vrijdag het weekplan in bij de mentor."


def test_lb_9_vague_goal_is_flagged_while_typing(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    client = world.client_for(world.carla)
    page = client.get(reverse("review_meeting_mode", args=[meeting_2b.pk])).content.decode()
    assert "velden=goal&amp;leerling=" in page
    check = client.post(reverse("text_check") + f"?velden=goal&leerling={world.sanne.pk}",
                        {"goal": "Sanne gaat beter opletten."}, headers=HX)  # fmt: skip
    text = check.content.decode()
    assert "Dit doel is vaag" in text and 'value="vague_goal"' in text


def test_lb_9_the_vague_warning_shown_is_kept_with_the_agreement(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    response = world.client_for(world.carla).post(
        add_url(meeting_2b, world.sanne), {**form(world), "tekstcontrole_getoond": "vague_goal"}, headers=HX
    )
    assert response.status_code == 200
    assert Agreement.objects.get().text_warnings == ["vague_goal"]
