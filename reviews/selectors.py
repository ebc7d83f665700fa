"""School-scoped reads of the review cycle (LB-1, LB-2, LB-4). Query counts stay flat in class size."""

from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.access import Access
from schools.models import Group, Role, RoleAssignment, StaffMember, Student
from schools.models.organisation import SchoolKind
from schools.selectors import current_membership_q

from .models import MeetingState, ReviewMeeting
from .models_cycle import LeaveRequest, LeaveState, SignalAssignment, SignalResponse, SignalRound


def group_teachers(group: Group) -> QuerySet[StaffMember]:
    """LB-2: every teacher with a teaching assignment in the group (active staff)."""
    return (
        StaffMember.objects.filter(teaching_assignments__group=group, active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def group_students(group: Group) -> QuerySet[Student]:
    """The group's current students, in name order."""
    return (
        Student.objects.filter(current_membership_q("memberships__"), memberships__group=group)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def expected_staff(meeting: ReviewMeeting) -> list[StaffMember]:
    """LB-2, LB-6: who is expected at the meeting: every teacher of the group, the mentor who leads,
    the care coordinator who chairs and the minute-taker (each once)."""
    people = {staff.pk: staff for staff in group_teachers(meeting.group)}
    for staff in (meeting.leader, meeting.chair, meeting.minute_taker):
        if staff is not None:
            people.setdefault(staff.pk, staff)
    return list(people.values())


def is_expected(meeting: ReviewMeeting, staff: StaffMember | None) -> bool:
    if staff is None:
        return False
    if staff.pk in (meeting.leader_id, meeting.chair_id, meeting.minute_taker_id):
        return True
    return meeting.group.teaching_assignments.filter(staff=staff).exists()


def leave_approvers(meeting: ReviewMeeting) -> QuerySet[StaffMember]:
    """LB-2: the department head of the group's department (vo); po (or a group without a
    department): the director."""
    group = meeting.group
    if meeting.school.kind == SchoolKind.VO and group.department_id is not None:
        heads = StaffMember.objects.filter(
            active=True,
            role_assignments__role=Role.DEPARTMENT_HEAD,
            role_assignments__department=group.department_id,
        )
        if heads.exists():
            return heads.distinct()
    return StaffMember.objects.filter(active=True, role_assignments__role=Role.DIRECTOR).distinct()


def next_meeting_for_student(student: Student) -> ReviewMeeting | None:
    """The next planned review of one of the student's current groups (LB-14)."""
    return (
        ReviewMeeting.objects.filter(
            state=MeetingState.PLANNED,
            starts_at__gt=timezone.now(),
            group__memberships__in=student.memberships.filter(current_membership_q()),
        )
        .order_by("starts_at", "pk")
        .first()
    )


def teacher_assignment(round: SignalRound, staff: StaffMember | None) -> SignalAssignment | None:
    if staff is None:
        return None
    return SignalAssignment.objects.filter(round=round, teacher=staff).first()


def grid_rows(assignment: SignalAssignment) -> list[SignalResponse]:
    """The teacher's rows of the grid, students in name order: one query, whatever the class size."""
    return list(
        SignalResponse.objects.filter(round_id=assignment.round_id, teacher_id=assignment.teacher_id)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    )


def progress(assignment: SignalAssignment, questions: int) -> tuple[int, int]:
    """(answered, total) scored answers of one teacher's list, e.g. (17, 28). One query."""
    agg = SignalResponse.objects.filter(
        round_id=assignment.round_id, teacher_id=assignment.teacher_id
    ).aggregate(answered=Sum("answered"), students=Count("pk"))
    return agg["answered"] or 0, (agg["students"] or 0) * questions


def open_lists_for(staff: StaffMember) -> list[dict]:
    """The teacher's signal lists still to fill in, with progress (home page)."""
    today = timezone.localdate()
    assignments = (
        SignalAssignment.objects.filter(teacher=staff, finished_at__isnull=True, round__closed_at__isnull=True)
        .filter(round__due_on__gte=today)
        .select_related("round__meeting__group")
        .annotate(answered=Sum("round__responses__answered", filter=Q(round__responses__teacher=staff)),
                  students=Count("round__responses", filter=Q(round__responses__teacher=staff)))
        .order_by("round__due_on", "pk")
    )  # fmt: skip
    return [
        {
            "assignment": a,
            "answered": a.answered or 0,
            "total": (a.students or 0) * len(a.round.questions),
        }
        for a in assignments
    ]


def round_progress_per_group(meetings: QuerySet[ReviewMeeting], limit: int | None = None) -> list[dict]:
    """Per meeting of a round: lists finished / lists out (the department head's home page); the
    first `limit` of `meetings` (ordered) only, when given (issue #13: LIMIT in the query)."""
    return round_progress_rows(round_progress_queryset(meetings, limit))


def round_progress_queryset(
    meetings: QuerySet[ReviewMeeting], limit: int | None = None
) -> QuerySet[ReviewMeeting]:
    """round_progress_per_group's query (for schools.sql_shapes: build it from the values, read the rows
    with round_progress_rows)."""
    rows = meetings.select_related("group").annotate(
        lists=Count("signal_round__assignments", distinct=True),
        finished=Count(
            "signal_round__assignments",
            filter=Q(signal_round__assignments__finished_at__isnull=False),
            distinct=True,
        ),
    )
    return rows[:limit] if limit is not None else rows


def round_progress_rows(meetings) -> list[dict]:
    return [{"meeting": m, "lists": m.lists, "finished": m.finished} for m in meetings]


def pending_leave(access: Access, *, now=None) -> QuerySet[LeaveRequest]:
    """Leave requests waiting for this approver (LB-2): leave_approvers' rule as ONE query, whatever the
    number of requests (issue #13). The viewer's roles come from the request's Access (read already):
    a department head approves for their department (vo) when it has an active head; otherwise the
    director does. `now`: a datetime, timezone.now() if None."""
    if access.staff is None or not (access.is_director or access.head_of_department_ids):
        return LeaveRequest.objects.none()
    return pending_leave_query(
        head_of_department_ids=access.head_of_department_ids,
        is_director=access.is_director,
        school_id=access.school.pk,
        now=timezone.now() if now is None else now,
    )


def pending_leave_query(
    *, head_of_department_ids, is_director: bool, school_id, now
) -> QuerySet[LeaveRequest]:
    """pending_leave's query from its inputs (sql_shapes builds it from stand-ins: is_director is in
    the key, the ids and `now` are bound)."""
    heads = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_HEAD,
        department_id=OuterRef("meeting__group__department_id"),
        staff__active=True,
        staff__school_id=OuterRef("meeting__school_id"),
    )
    branches = []
    if head_of_department_ids:  # vo: the group's department has an active head, and it is me
        branches.append(
            Q(
                Exists(heads),
                meeting__school__kind=SchoolKind.VO,
                meeting__group__department_id__in=head_of_department_ids,
            )
        )
    if is_director:  # po, a group without a department, or a department without an active head
        branches.append(
            ~Q(meeting__school__kind=SchoolKind.VO)
            | Q(meeting__group__department_id__isnull=True)
            | ~Q(Exists(heads))
        )
    return LeaveRequest.objects.filter(
        reduce(operator.or_, branches),
        state=LeaveState.REQUESTED,
        meeting__starts_at__gt=now,
        meeting__school_id=school_id,
    )


def pending_leave_for(access: Access) -> list[LeaveRequest]:
    """pending_leave, soonest meeting first, with what the home page shows (one query)."""
    requests = pending_leave(access).select_related("meeting__group", "teacher", "meeting__school")
    return list(requests.order_by("meeting__starts_at", "pk"))


def signal_answers_of_meeting(meeting: ReviewMeeting) -> dict[int, list[tuple[StaffMember, str, str]]]:
    """Every teacher's answers in the meeting's signal round, per student id, as the meeting side reads
    them (LB-4, LB-5): the question as asked and the answer's Dutch label ("zorg"), the free remark
    as written. Two queries whatever the class size."""
    from .models_cycle import REMARK, Score

    signal_round = SignalRound.objects.filter(meeting=meeting).first()
    if signal_round is None:
        return {}
    labels = dict(Score.choices)
    answers: dict[int, list[tuple[StaffMember, str, str]]] = {}
    responses = SignalResponse.objects.filter(round=signal_round).select_related("teacher")
    for response in responses.order_by("student_id", "teacher__last_name", "pk"):
        for key, value in sorted(response.answers.items()):
            if key == REMARK:
                question, shown = str(_("Opmerking")), value
            elif key.isdigit() and int(key) < len(signal_round.questions):
                question, shown = signal_round.questions[int(key)], str(labels.get(value, value))
            else:
                continue
            answers.setdefault(response.student_id, []).append((response.teacher, question, shown))
    return answers
