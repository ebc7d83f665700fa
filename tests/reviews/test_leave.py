"""Leave from a review, written input and reading the agreements (LB-2, LB-12)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scope

from messaging.models import Message
from protocols.exceptions import ProtocolViolation
from reviews.jobs_cycle import run_cycle
from reviews.models_cycle import AgreementsRead, LeaveRequest, LeaveState, WrittenInput
from reviews.selectors import leave_approvers, pending_leave
from reviews.services.leave import confirm_agreements_read, decide_leave, request_leave, save_written_input
from schools.access import compute_access
from schools.models import Role, RoleAssignment, School, StaffMember
from tests import factories as f

from .cycle_helpers import at, meeting_day, plan


def test_lb_2_a_teacher_asks_leave_and_the_department_head_of_the_group_decides(world):
    meeting = plan(world)
    client = world.client_for(world.teacher)
    response = client.post(f"/leerlingbespreking/{meeting.pk}/verlof/", {"reason": "Ouderavond op school B"})
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302 and leave.state == LeaveState.REQUESTED
    assert Message.objects.filter(idempotency_key=f"reviews-leave-{leave.pk}-{world.anouk.pk}").exists()
    # Henk heads another department: not his to decide, not even to see.
    assert world.client_for(world.henk).get(f"/leerlingbespreking/verlof/{leave.pk}/").status_code == 404
    with pytest.raises(ProtocolViolation):
        decide_leave(actor=world.henk, leave=leave, approve=True)
    assert "Verlofaanvragen leerlingbespreking" in world.client_for(world.anouk).get("/").content.decode()
    anouk = world.client_for(world.anouk)
    assert (
        anouk.post(f"/leerlingbespreking/verlof/{leave.pk}/", {"decision": "deny", "reason": ""}).status_code
        == 422
    )
    anouk.post(f"/leerlingbespreking/verlof/{leave.pk}/", {"decision": "approve", "reason": ""})
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED and leave.decided_by == world.anouk
    assert Message.objects.filter(idempotency_key=f"reviews-leave-decided-{leave.pk}").exists()


def test_lb_2_a_denial_needs_a_reason(world):
    leave = request_leave(actor=world.teacher, meeting=plan(world), reason="Tandarts")
    with pytest.raises(ProtocolViolation) as exc:
        decide_leave(actor=world.anouk, leave=leave, approve=False, reason="  ")
    assert "reden" in exc.value.message
    decide_leave(actor=world.anouk, leave=leave, approve=False, reason="Je bent de enige docent Wiskunde.")
    leave.refresh_from_db()
    assert leave.state == LeaveState.DENIED


def test_lb_2_a_leave_request_after_the_meeting_is_refused_and_nothing_written(world):
    meeting = plan(world)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=2), tick=False):
        with pytest.raises(ProtocolViolation) as exc:
            request_leave(actor=world.teacher, meeting=meeting, reason="Vergeten")
        assert "verlof vraag je vooraf aan" in exc.value.message
        client = world.client_for(world.teacher)
        response = client.post(
            f"/leerlingbespreking/{meeting.pk}/verlof/", {"reason": "Vergeten"}, follow=True
        )
        assert "verlof vraag je vooraf aan" in response.content.decode()
    assert LeaveRequest.objects.count() == 0


def test_lb_2_only_expected_teachers_ask_leave(world):
    meeting = plan(world)
    with pytest.raises(ProtocolViolation):
        request_leave(actor=world.olga, meeting=meeting, reason="x")
    request_leave(actor=world.teacher, meeting=meeting, reason="Cursus")
    with pytest.raises(ProtocolViolation) as exc:
        request_leave(actor=world.teacher, meeting=meeting, reason="Cursus")
    assert "al verlof aangevraagd" in exc.value.message


def test_lb_2_po_the_director_decides(world):
    po = world.other_school
    group = po.groups.first()
    ib = f.StaffFactory(
        school=po, user=f.UserFactory(email="ib@andere.test"), first_name="Ina", last_name="Ib"
    )
    f.give_role(ib, Role.CARE_COORDINATOR)
    gl = f.StaffFactory(
        school=po, user=f.UserFactory(email="gl@andere.test"), first_name="Gijs", last_name="GL"
    )
    vak = f.StaffFactory(
        school=po, user=f.UserFactory(email="vak@andere.test"), first_name="Vera", last_name="Gym"
    )
    group.mentors.add(gl)
    f.teach(gl, group, "")
    f.teach(vak, group, "Gym")
    from reviews.services.planning import plan_review_meeting, plan_review_round

    review_round = plan_review_round(actor=ib, school_year=group.school_year, number=1)
    meeting = plan_review_meeting(actor=ib, review_round=review_round, group=group, starts_at=at(meeting_day()),
                                  place="", leader=gl, chair=ib).meeting  # fmt: skip
    leave = request_leave(actor=vak, meeting=meeting, reason="Schoolreis")
    with pytest.raises(ProtocolViolation):
        decide_leave(actor=ib, leave=leave, approve=True)
    assert decide_leave(actor=world.zeno, leave=leave, approve=True).state == LeaveState.APPROVED


def test_lb_2_an_absent_teacher_hands_in_written_input_before_the_meeting_and_is_reminded(world):
    meeting = plan(world)
    with pytest.raises(ProtocolViolation):  # no leave: no written input
        save_written_input(actor=world.teacher, meeting=meeting, student=world.sanne, text="Gaat goed.")
    leave = request_leave(actor=world.teacher, meeting=meeting, reason="Cursus")
    decide_leave(actor=world.anouk, leave=leave, approve=True)
    remind = datetime.datetime.combine(timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1),
                                       datetime.time(8), tzinfo=timezone.get_current_timezone())  # fmt: skip
    with time_machine.travel(remind, tick=False):
        assert run_cycle()["input_reminders"] == 1
        assert run_cycle()["input_reminders"] == 0
    client = world.client_for(world.teacher)
    page = client.get(f"/leerlingbespreking/verlof/{leave.pk}/").content.decode()
    assert "Schriftelijke inbreng per leerling" in page
    client.post(
        f"/leerlingbespreking/verlof/{leave.pk}/inbreng/", {"student": world.sanne.pk, "text": "Werkt hard."}
    )
    assert WrittenInput.objects.get().text == "Werkt hard."
    client.post(
        f"/leerlingbespreking/verlof/{leave.pk}/inbreng/", {"student": world.mila.pk, "text": "Niet van 2B"}
    )
    assert WrittenInput.objects.count() == 1
    with time_machine.travel(meeting.starts_at + datetime.timedelta(minutes=1), tick=False):
        with pytest.raises(ProtocolViolation):
            save_written_input(actor=world.teacher, meeting=meeting, student=world.daan, text="Te laat")
    assert WrittenInput.objects.count() == 1


def test_lb_12_an_absent_teacher_confirms_reading_the_agreements_after_the_meeting(world):
    meeting = plan(world)
    with pytest.raises(ProtocolViolation):
        confirm_agreements_read(actor=world.teacher, meeting=meeting)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(days=2), tick=False):
        first = confirm_agreements_read(actor=world.teacher, meeting=meeting)
        assert confirm_agreements_read(actor=world.teacher, meeting=meeting) == first
        with pytest.raises(ProtocolViolation):
            confirm_agreements_read(actor=world.olga, meeting=meeting)
        response = world.client_for(world.teacher).post(
            f"/leerlingbespreking/{meeting.pk}/afspraken-gelezen/"
        )
        assert response.status_code == 302
    assert AgreementsRead.objects.count() == 1


def test_lb_2_home_lists_leave_to_decide_for_its_approver_only_in_one_query(world):
    """Issue #13: the approver rule (leave_approvers) now runs in SQL on the home page: the department
    head of the group's department sees the request; another head and the director do not; once the
    department has no active head, the director decides and sees it."""

    request_leave(actor=world.teacher, meeting=plan(world), reason="Cursus")
    title = "Verlofaanvragen leerlingbespreking"

    def shown(staff):
        return title in world.client_for(staff).get("/").content.decode()

    assert shown(world.anouk) and not shown(world.henk) and not shown(world.dirk)
    RoleAssignment.objects.filter(staff=world.anouk, role=Role.DEPARTMENT_HEAD).delete()
    assert shown(world.dirk) and not shown(world.henk)


def _change(world, meeting, how: str) -> None:
    if how == "the department's head is gone":
        RoleAssignment.objects.filter(staff=world.anouk, role=Role.DEPARTMENT_HEAD).delete()
    elif how == "the department's head left the school":
        StaffMember.objects.filter(pk=world.anouk.pk).update(active=False)
    elif how == "a group without a department":
        type(meeting.group).objects.filter(pk=meeting.group.pk).update(department=None)
    elif how == "a primary school":
        type(world.school).objects.filter(pk=world.school.pk).update(kind="po")
    elif how == "two heads of the department":
        f.give_role(world.henk, Role.DEPARTMENT_HEAD, department=meeting.group.department)


@pytest.mark.parametrize(
    "how",
    [
        "as set up",
        "the department's head is gone",
        "the department's head left the school",
        "a group without a department",
        "a primary school",
        "two heads of the department",
    ],
)
def test_lb_2_who_decides_leave_is_the_same_rule_in_python_and_in_sql(world, how):
    """The approver rule is written twice: as the staff who decide one request (`leave_approvers`: the
    messages, the permission) and as the requests one staff member decides (`pending_leave`, ONE query
    for the home page, issue #13). Both must name the same people in every case of LB-2."""
    meeting = plan(world)
    leave = request_leave(actor=world.teacher, meeting=meeting, reason="Cursus")
    _change(world, meeting, how)
    meeting.refresh_from_db()
    school = School.objects.get(pk=world.school.pk)
    everyone = [world.anouk, world.henk, world.dirk, world.carla, world.mentor, world.teacher]
    with scope(school=[school.pk]):
        approvers = {staff.pk for staff in leave_approvers(meeting)}
        for staff in everyone:
            staff.refresh_from_db()
            in_sql = pending_leave(compute_access(staff.user, school)).filter(pk=leave.pk).exists()
            assert in_sql == (staff.pk in approvers), (how, staff.full_name, in_sql, approvers)
    expected = {
        "as set up": {world.anouk.pk},
        "two heads of the department": {world.anouk.pk, world.henk.pk},
    }.get(how, {world.dirk.pk})
    assert approvers == expected
