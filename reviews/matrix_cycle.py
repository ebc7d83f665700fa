"""School B's review-cycle objects for the authorization matrix (tests only; no test imports)."""

import datetime

from django.utils import timezone


def school_b_objects(world) -> dict:
    from protocols.registry import REVIEW
    from protocols.services import start_case_version
    from schools.models import SchoolYear, TeachingAssignment

    from .models import ReviewMeeting, ReviewRound
    from .models_cycle import LeaveRequest, SignalAssignment, SignalRound

    school, zeno = world.other_school, world.zeno
    group = school.groups.first()
    year = group.school_year if group else SchoolYear.objects.filter(school=school).first()
    review_round = ReviewRound.objects.create(school=school, school_year=year, number=1)
    group.mentors.add(zeno)
    TeachingAssignment.objects.get_or_create(staff=zeno, group=group, subject="Rekenen")
    meeting = ReviewMeeting.objects.create(
        school=school, round=review_round, group=group, starts_at=timezone.now() + datetime.timedelta(days=21),
        leader=zeno, chair=zeno, protocol_version=start_case_version(school=school, protocol=REVIEW),
    )  # fmt: skip
    signal_round = SignalRound.objects.create(
        school=school,
        meeting=meeting,
        questions=["Werkhouding"],
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    SignalAssignment.objects.create(school=school, round=signal_round, teacher=zeno)
    leave = LeaveRequest.objects.create(school=school, meeting=meeting, teacher=zeno, reason="Ziek")
    return {
        "review_round": review_round.pk,
        "review_meeting": meeting.pk,
        "signal_round": signal_round.pk,
        "leave_request": leave.pk,
    }
