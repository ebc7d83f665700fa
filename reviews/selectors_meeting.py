"""Reads for the meeting side of the leerlingbespreking (LB-3, LB-5, LB-12, LB-13). School-scoped,
query counts flat in the class size.

`signal_answers_for(meeting)` is the one door to the signal lists: the planning side owns
`SignalResponse`; until it is wired here the answers are empty (a provider can be set, tests inject one).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Prefetch, Q

from schools.models import StaffMember, Student, TeachingAssignment
from schools.selectors import current_membership_q

from .meeting_settings import YES
from .models_meeting import (
    Agreement,
    AgreementState,
    DiscussionItem,
    Evaluation,
    FollowUp,
    Referral,
    ReferralState,
    StudentDiscussion,
)


class SignalAnswer(NamedTuple):
    teacher: StaffMember | str
    question: str
    value: str


# The provider of the signal lists' answers: `provider(meeting) -> dict[student_id, list[(teacher,
# question, value)]]`; ReviewsConfig.ready() sets `reviews.selectors.signal_answers_of_meeting`.
_signal_provider: Callable | None = None


def set_signal_answer_provider(provider: Callable | None) -> Callable | None:
    """Set the provider of signal answers; returns the previous one (tests put it back)."""
    global _signal_provider
    previous, _signal_provider = _signal_provider, provider
    return previous


def signal_answers_for(meeting) -> dict[int, list[SignalAnswer]]:
    """Per student id, every teacher's answers for this meeting's signal round (LB-4, LB-5)."""
    if _signal_provider is None:
        return {}
    return {
        student_id: [SignalAnswer(*answer) for answer in answers]
        for student_id, answers in _signal_provider(meeting).items()
    }


def group_students(meeting) -> list[Student]:
    """The students in the meeting's group today, in name order."""
    return list(
        Student.objects.filter(current_membership_q("memberships__"), memberships__group_id=meeting.group_id)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def group_teachers(meeting) -> list[StaffMember]:
    """Every teacher who teaches the class (LB-5), and its mentors; each once."""
    ids = set(TeachingAssignment.objects.filter(group_id=meeting.group_id).values_list("staff_id", flat=True))
    ids |= set(meeting.group.mentors.values_list("pk", flat=True))
    return list(StaffMember.objects.filter(pk__in=ids, active=True).order_by("last_name", "first_name"))


@dataclass
class Proposal:
    student: Student
    reasons: list[str] = field(default_factory=list)


def _is_concern(value: str, concern_values: set[str]) -> bool:
    return str(value).strip().casefold() in concern_values


def propose(meeting, students: list[Student] | None = None) -> list[Proposal]:
    """Whom to discuss (LB-5), by the school's setting: flagged by N or more teachers, any concern on a
    listed topic (default sociaal-emotioneel), and open agreements to evaluate before the meeting."""
    from django.utils.translation import gettext as _

    students = group_students(meeting) if students is None else students
    answers = signal_answers_for(meeting)
    minimum = meeting.setting("proposal_min_teachers")
    topics = {t.casefold() for t in meeting.setting("proposal_any_concern_topics")}
    concern_values = {v.casefold() for v in meeting.setting("proposal_concern_values")}
    due_agreements: dict[int, int] = defaultdict(int)
    if meeting.setting("proposal_open_agreements") == YES:
        for student_id in (
            Agreement.objects.filter(
                student__in=students,
                state=AgreementState.OPEN,
                evaluate_on__lte=meeting.starts_at.date(),
            )
            .exclude(meeting=meeting)
            .values_list("student_id", flat=True)
        ):
            due_agreements[student_id] += 1
    proposals = []
    for student in students:
        reasons = []
        concerns = [a for a in answers.get(student.pk, []) if _is_concern(a.value, concern_values)]
        teachers = {str(getattr(a.teacher, "pk", a.teacher)) for a in concerns}
        if len(teachers) >= minimum:
            reasons.append(_("zorg van %(n)s docenten") % {"n": len(teachers)})
        flagged_topics = sorted({a.question for a in concerns if a.question.casefold() in topics})
        for topic in flagged_topics:
            reasons.append(_("zorg op %(topic)s") % {"topic": topic})
        if due_agreements.get(student.pk):
            reasons.append(_("afspraak te evalueren vóór de bespreking"))
        if reasons:
            proposals.append(Proposal(student, reasons))
    return proposals


def file_research(students: list[Student]) -> dict[int, list[Agreement]]:
    """Dossieronderzoek (LB-3): earlier agreements with their evaluations, per student id; two queries."""
    result: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in (
        Agreement.objects.filter(student__in=students)
        .select_related("evaluation", "meeting")
        .order_by("-evaluate_on", "-pk")
    ):
        result[agreement.student_id].append(agreement)
    return result


def preparation(meeting) -> dict:
    """Everything the preparation page shows (LB-3, LB-5), in a fixed number of queries."""
    students = group_students(meeting)
    answers = signal_answers_for(meeting)
    questions: list[str] = []
    for rows in answers.values():
        for answer in rows:
            if answer.question not in questions:
                questions.append(answer.question)
    items = {
        item.student_id: item for item in DiscussionItem.objects.filter(discussion_list__meeting=meeting)
    }
    history = file_research(students)
    proposals = {p.student.pk: p.reasons for p in propose(meeting, students)}
    rows = []
    for student in students:
        by_teacher: dict[str, dict[str, str]] = defaultdict(dict)
        for answer in answers.get(student.pk, []):
            by_teacher[str(answer.teacher)][answer.question] = answer.value
        rows.append(
            {
                "student": student,
                "answers": [
                    {
                        "teacher": teacher,
                        "values": [{"question": q, "value": values.get(q, "")} for q in questions],
                    }
                    for teacher, values in sorted(by_teacher.items())
                ],
                "history": history.get(student.pk, []),
                "proposed": proposals.get(student.pk, []),
                "item": items.get(student.pk),
            }
        )
    return {"questions": questions, "rows": rows}


def agenda(meeting) -> list[DiscussionItem]:
    """The students on the discussion list, in order (LB-6)."""
    return list(
        DiscussionItem.objects.filter(discussion_list__meeting=meeting)
        .select_related("student")
        .order_by("position", "pk")
    )


def meeting_screen(meeting, *, student_id: int | None = None) -> dict:
    """The meeting screen (LB-6 … LB-10): the agenda and the current student's record."""
    items = agenda(meeting)
    current = next((i for i in items if i.student_id == student_id), items[0] if items else None)
    discussion = None
    agreements: list[Agreement] = []
    referrals: list[Referral] = []
    if current is not None:
        discussion = StudentDiscussion.objects.filter(meeting=meeting, student_id=current.student_id).first()
        agreements = list(
            Agreement.objects.filter(meeting=meeting, student_id=current.student_id)
            .select_related("owner", "action_plan")
            .prefetch_related(Prefetch("carried_out_by", queryset=StaffMember.objects.order_by("last_name")))
        )
        referrals = list(Referral.objects.filter(meeting=meeting, student_id=current.student_id))
    return {
        "items": items,
        "current": current,
        "discussion": discussion,
        "agreements": agreements,
        "referrals": referrals,
    }


def students_without_outcome(meeting) -> list[Student]:
    """Discussed students with neither an agreement nor a referral (LB-9): the meeting cannot close."""
    return list(
        Student.objects.filter(pk__in=StudentDiscussion.objects.filter(meeting=meeting).values("student_id"))
        .exclude(pk__in=Agreement.objects.filter(meeting=meeting).values("student_id"))
        .exclude(pk__in=Referral.objects.filter(meeting=meeting).values("student_id"))
        .order_by("last_name", "first_name")
    )


def recap_for(staff: StaffMember, *, today: datetime.date) -> list[Agreement]:
    """Open agreements this teacher carries out (LB-12 recap, LB-13): "voor Sem: …"."""
    return list(
        Agreement.objects.filter(carried_out_by=staff, state=AgreementState.OPEN, meeting__state="closed")
        .select_related("student")
        .order_by("evaluate_on", "pk")
    )


def overdue_evaluations(school, *, today: datetime.date, leader: StaffMember | None = None):
    """Open agreements past their evaluation date (LB-13), for the mentor or the care coordinator."""
    query = Agreement.objects.filter(
        school=school, state=AgreementState.OPEN, evaluate_on__lt=today, meeting__state="closed"
    )
    if leader is not None:
        query = query.filter(Q(meeting__leader=leader) | Q(owner=leader))
    return query.select_related("student", "meeting__leader").order_by("evaluate_on", "pk")


def open_follow_ups(staff: StaffMember):
    return (
        FollowUp.objects.filter(meeting__leader=staff, done_at__isnull=True)
        .select_related("student")
        .order_by("due_on", "pk")
    )


def open_referrals(school):
    return Referral.objects.filter(school=school, state=ReferralState.OPEN).select_related("student")


def evaluations_of(agreements) -> dict[int, Evaluation]:
    return {e.agreement_id: e for e in Evaluation.objects.filter(agreement__in=agreements)}
