"""Objects of the meeting side in school B, for the authorization matrix (schools.matrix)."""

from __future__ import annotations

import datetime


def school_b_objects(world) -> dict:
    from django.utils import timezone

    from protocols.registry import REVIEW
    from protocols.services import start_case_version

    from .models import ReviewMeeting, ReviewRound
    from .models_meeting import FollowUp
    from .services import agreements, meeting, preparation

    otto, zeno = world.otto, world.zeno
    group = otto.memberships.get().group
    round_ = ReviewRound.objects.create(school=world.other_school, school_year=group.school_year, number=2)
    m = ReviewMeeting.objects.create(
        school=world.other_school, round=round_, group=group, starts_at=timezone.now() + datetime.timedelta(days=7),
        leader=zeno, chair=zeno, protocol_version=start_case_version(school=world.other_school, protocol=REVIEW),
    )  # fmt: skip
    preparation.save_discussion_item(actor=zeno.user, meeting=m, student=otto,
                                     values={"hulpvraag": "Hoe?", "questions": "Wat zie je?"})  # fmt: skip
    meeting.start_meeting(actor=zeno.user, meeting=m, tasks="Zeno doet alles.")
    meeting.save_student_discussion(actor=zeno.user, meeting=m, student=otto, values={"notes": "Otto"},
                                    expected_version=None)  # fmt: skip
    agreement = agreements.add_agreement(
        actor=zeno.user, meeting=m, student=otto, goal="Otto leest elke dag tien minuten voor.", owner=zeno,
        carried_out_by=[zeno], evaluate_on=timezone.localdate() + datetime.timedelta(days=60),
    )  # fmt: skip
    evaluated = agreements.add_agreement(
        actor=zeno.user, meeting=m, student=otto, goal="Otto maakt elke dag zijn huiswerk af.", owner=zeno,
        carried_out_by=[zeno], evaluate_on=timezone.localdate() + datetime.timedelta(days=60),
    )  # fmt: skip
    referral = agreements.refer(actor=zeno.user, meeting=m, student=otto, target="zat", question="Vraag",
                                reason="Reden")  # fmt: skip
    meeting.close_meeting(actor=zeno.user, meeting=m)
    evaluation = agreements.evaluate_agreement(actor=zeno.user, agreement=evaluated, outcome="achieved",
                                               what_next="Doorgaan zoals nu.")  # fmt: skip
    return {
        "review_meeting_live": m.pk,
        "review_agreement": agreement.pk,
        "review_referral": referral.pk,
        "review_evaluation": evaluation.pk,
        "review_follow_up": FollowUp.objects.filter(meeting=m).first().pk,
    }
