"""What the top of the student's file page shows: the student first (groups, mentor), then what is
open for them (deadlines, documents waiting for a signature). A fixed number of queries."""

from __future__ import annotations

from django.db.models import F, Prefetch

from deadlines.models import Deadline, DeadlineState
from schools.access import Access
from schools.models import GroupMembership, StaffMember, Student
from schools.selectors import current_membership_q
from signatures.models import RequestState, SignableDocument, SignatureRequest

LIMIT = 5


def file_overview(student: Student, *, access: Access, with_documents: bool) -> dict:
    memberships = list(
        GroupMembership.objects.filter(current_membership_q(), student=student)
        .select_related("group")
        .prefetch_related(Prefetch("group__mentors", queryset=StaffMember.objects.order_by("last_name")))
    )
    mentors = {m.pk: m for membership in memberships for m in membership.group.mentors.all()}
    deadlines = Deadline.objects.filter(student=student, state=DeadlineState.OPEN)
    if not access.is_care_team:  # the care team includes the director
        # AVG-4: a deadline's title can carry care content ("Evaluatie handelingsplan …"): outside the
        # care team and the director, only one's own deadlines for this student are shown.
        deadlines = deadlines.filter(owner=access.staff) if access.staff else deadlines.none()
    deadlines = list(
        deadlines
        .select_related("owner")
        .order_by("due_on", "pk")[:LIMIT]
    )
    documents = []
    if with_documents:
        open_requests = SignatureRequest.objects.filter(
            state=RequestState.OPEN, version=F("version__document__current_version")
        ).select_related("guardian", "student", "staff")
        documents = list(
            SignableDocument.objects.filter(
                student=student, current_version__requests__state=RequestState.OPEN
            )
            .distinct()
            .select_related("current_version")
            .prefetch_related(Prefetch("current_version__requests", queryset=open_requests, to_attr="open"))
            .order_by("-created_at", "-pk")[:LIMIT]
        )
    return {
        "groups": [m.group for m in memberships],
        "mentors": list(mentors.values()),
        "open_deadlines": deadlines,
        "documents_to_sign": documents,
    }
