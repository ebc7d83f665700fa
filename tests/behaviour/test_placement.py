"""Step 4 of het gedragsprotocol (GP-20 – GP-22): one week in another group."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from behaviour.models_plans import Placement, PlacementState
from behaviour.services import placements
from deadlines.models import Deadline
from dossier.models import DossierEntry
from messaging.models import Letter
from protocols.exceptions import ProtocolViolation
from protocols.registry import BEHAVIOUR
from protocols.services import change_protocol, latest_version
from schools.models import Role
from signatures.models import SignableDocument
from tests import factories as f

from .factories import BehaviourCaseFactory
from .plan_helpers import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def po(world):
    """School B (po): Otto in groep 5 (middenbouw); groep 2 (onderbouw) and groep 7 (bovenbouw)."""
    school = world.other_school
    own = world.otto.memberships.get().group
    year = own.school_year
    groups = {
        "2": f.GroupFactory(school=school, school_year=year, name="groep 2", year_level=2),
        "7": f.GroupFactory(school=school, school_year=year, name="groep 7", year_level=7),
        "8": f.GroupFactory(school=school, school_year=year, name="groep 8", year_level=8),
    }
    own_teacher = f.StaffFactory(school=school, user=f.UserFactory(), first_name="Eva", last_name="Eigen")
    f.teach(own_teacher, own)
    host = f.StaffFactory(school=school, user=f.UserFactory(), first_name="Gijs", last_name="Gast")
    f.teach(host, groups["7"])
    ib = f.StaffFactory(school=school, user=f.UserFactory(), first_name="Iris", last_name="Ib")
    f.give_role(ib, Role.CARE_COORDINATOR)
    case = BehaviourCaseFactory(student=world.otto, step=4)
    return dict(case=case, own=own, groups=groups, own_teacher=own_teacher, host=host, ib=ib)


def plan(world, po, **changes):
    values = dict(host_group=po["groups"]["7"], starts_on=datetime.date(2026, 9, 7),
                  agreements="Otto houdt zich aan de regels van groep 7.", work="Rekenen blok 3 en lezen.")  # fmt: skip
    values.update(changes)
    return placements.plan_placement(actor=world.zeno.user, case=po["case"], **values)


def test_gp_21_host_group_proposed_from_the_phase_mapping(world, po):
    assert placements.propose_host_group(po["case"]) == po["groups"]["7"]  # middenbouw → bovenbouw


def test_gp_21_bovenbouw_goes_to_onderbouw(world, po):
    po["own"].year_level = 8
    po["own"].save()
    assert placements.propose_host_group(po["case"]) == po["groups"]["2"]


def test_gp_21_vo_host_class_follows_the_schools_rule(world):
    case = BehaviourCaseFactory(student=world.sanne, step=4)
    assert placements.propose_host_group(case) is None  # no other class in year 2 yet
    other_2 = f.GroupFactory(school=world.school, school_year=world.group_2b.school_year, name="2A", year_level=2,
                             department=world.onderbouw)  # fmt: skip
    assert placements.propose_host_group(case) == other_2
    change_protocol(school=world.school, protocol=BEHAVIOUR, values={"step4_vo_host_rule": "year_above"},
                    actor=world.dirk.user, reason="Een klas hoger", based_on=latest_version(world.school, BEHAVIOUR).number)  # fmt: skip
    later = BehaviourCaseFactory(student=world.daan, step=4)
    assert placements.propose_host_group(later) == world.group_3c
    assert placements.propose_host_group(case) == other_2  # the older case keeps its version


def test_gp_21_a_placement_in_the_own_group_is_refused_and_nothing_written(world, po):
    before = (Placement.objects.count(), DossierEntry.objects.count(), SignableDocument.objects.count())
    with pytest.raises(ProtocolViolation) as refused:
        plan(world, po, host_group=po["own"])
    assert refused.value.rule == "GP-21" and "niet naar de eigen groep" in refused.value.message
    assert (
        Placement.objects.count(),
        DossierEntry.objects.count(),
        SignableDocument.objects.count(),
    ) == before


def test_gp_21_the_step_plan_lasts_one_week_and_names_the_work_of_the_own_teacher(world, po):
    placement = plan(world, po)
    assert placement.starts_on == datetime.date(2026, 9, 7) and placement.ends_on == datetime.date(
        2026, 9, 11
    )
    assert placement.own_teacher == po["own_teacher"] and placement.host_teacher == po["host"]
    letter = Letter.objects.get(template_code=placements.PLAN_LETTER)
    assert "Eva Eigen blijft verantwoordelijk voor het werk" in letter.body
    assert "geen contact met de eigen groep" in letter.body


def test_gp_21_placement_needs_three_signatures(world, po):
    placement = plan(world, po)
    version = placement.document.current_version
    with pytest.raises(ProtocolViolation) as refused:
        placements.start_placement(actor=world.zeno.user, placement=placement)
    assert refused.value.rule == "GP-21"
    assert "Zeno Anders" in refused.value.message and "Otto Visser" in refused.value.message
    sign(version, world.zeno, actor=world.zeno.user)
    sign(version, world.parent_otto)
    with pytest.raises(ProtocolViolation, match="Otto Visser"):  # the student has not signed
        placements.start_placement(actor=world.zeno.user, placement=placement)
    placement.refresh_from_db()
    assert placement.state == PlacementState.PLANNED
    sign(version, world.otto)
    placements.start_placement(actor=world.zeno.user, placement=placement)
    placement.refresh_from_db()
    assert placement.state == PlacementState.RUNNING


def _running(world, po):
    placement = plan(world, po)
    version = placement.document.current_version
    for signer in (world.zeno, world.parent_otto, world.otto):
        sign(version, signer)
    return placements.start_placement(actor=world.zeno.user, placement=placement)


def test_gp_21_the_host_teacher_keeps_the_logbook(world, po):
    placement = _running(world, po)
    with pytest.raises(ProtocolViolation):
        placements.record_host_log(actor=po["own_teacher"].user, placement=placement, text="Ik schrijf mee.")
    placements.record_host_log(actor=po["host"].user, placement=placement, text="Otto werkte rustig.")
    assert DossierEntry.objects.filter(
        kind=placements.PLACEMENT_KIND, title__startswith="Logboek gastgroep"
    ).exists()


def test_gp_22_end_of_week_talk_and_return(world, po):
    placement = _running(world, po)
    assert Deadline.objects.get(rule="GP-22").due_on == placement.ends_on
    with time_machine.travel(datetime.date(2026, 9, 8), tick=False):
        with pytest.raises(ProtocolViolation) as refused:
            placements.end_placement(
                actor=po["ib"].user, placement=placement, kept_rules=True, summary="x", feedback="y"
            )
        assert refused.value.rule == "GP-22"
    with time_machine.travel(datetime.date(2026, 9, 11), tick=False):
        with pytest.raises(ProtocolViolation):  # the ib-er feeds back, not the host teacher
            placements.end_placement(actor=po["host"].user, placement=placement, kept_rules=True, summary="x",
                                     feedback="y")  # fmt: skip
        placements.end_placement(actor=po["ib"].user, placement=placement, kept_rules=True,
                                 summary="Goede week in groep 7.", feedback="Ouders en leerkrachten gebeld.")  # fmt: skip
    placement.refresh_from_db()
    assert placement.state == PlacementState.RETURNED
    assert DossierEntry.objects.filter(title__startswith="Teruggeplaatst in groep 5").exists()


def test_gp_20_the_directie_invites_the_parents(world, po):
    letter = placements.invite_step4_parents(actor=world.zeno.user, case=po["case"])
    assert letter.source == po["case"] and world.parent_otto.email in letter.messages.get().addresses("to")


def test_gp_21_placement_refused_before_step_4(world):
    case = BehaviourCaseFactory(student=world.sanne, step=3)
    with pytest.raises(ProtocolViolation):
        placements.plan_placement(actor=world.dirk.user, case=case, host_group=world.group_3c,
                                  starts_on=datetime.date(2026, 9, 7), agreements="a", work="b")  # fmt: skip
    with pytest.raises(ValidationError):
        case.step = 4
        placements.plan_placement(actor=world.dirk.user, case=case, host_group=world.group_3c,
                                  starts_on=datetime.date(2026, 9, 7), agreements="", work="b")  # fmt: skip
