"""What the top of the student's file page shows: the student first (groups, mentor), then what is
open for them (deadlines, documents waiting for a signature). A fixed number of queries."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import F, Prefetch, QuerySet

from deadlines.models import Deadline, DeadlineState
from schools import sql_shapes
from schools.access import Access
from schools.models import GroupMembership, StaffMember, Student
from schools.selectors import current_membership_q
from signatures.models import RequestState, SignableDocument, SignatureRequest

LIMIT = 5


def file_overview(student: Student, *, access: Access, with_documents: bool) -> dict:
    if "memberships" in getattr(student, "_prefetched_objects_cache", {}):
        # the file page's fetch (dossier.selectors_timeline): groups and mentors' names already there
        from dossier.selectors_timeline import current_groups_and_mentors

        groups, mentor_list = current_groups_and_mentors(student)
    else:
        memberships = list(
            GroupMembership.objects.filter(current_membership_q(), student=student)
            .select_related("group")
            .prefetch_related(Prefetch("group__mentors", queryset=StaffMember.objects.order_by("last_name")))
        )
        groups = [m.group for m in memberships]
        mentor_list = list({m.pk: m for ms in memberships for m in ms.group.mentors.all()}.values())
    # Issue #13: both reads' SQL compiled once per shape (schools.sql_shapes), the ids bound.
    care_team = access.is_care_team  # the care team includes the director
    staff_id = access.staff.pk if access.staff else None

    def deadlines_of(p: SimpleNamespace) -> QuerySet[Deadline]:
        deadlines = Deadline.objects.filter(student_id=p.student, state=DeadlineState.OPEN)
        if not care_team:
            # AVG-4: a deadline's title can carry care content ("Evaluatie handelingsplan …"): outside
            # the care team and the director, only one's own deadlines for this student are shown.
            deadlines = deadlines.filter(owner_id=p.staff) if p.staff is not None else deadlines.none()
        return deadlines.select_related("owner").order_by("due_on", "pk")[:LIMIT]

    values = {"student": student.pk, "staff": staff_id}
    deadlines = list(sql_shapes.queryset(("dossier.overview_deadlines", care_team), values, deadlines_of))
    documents = []
    if with_documents:
        # One query: the open requests of the current versions, with their documents (newest first).
        def open_requests_of(p: SimpleNamespace) -> QuerySet[SignatureRequest]:
            return (
                SignatureRequest.objects.filter(
                    state=RequestState.OPEN,
                    version__document__student_id=p.student,
                    version=F("version__document__current_version"),
                )
                .select_related("version__document__current_version", "guardian", "student", "staff")
                .order_by("-version__document__created_at", "-version__document__pk", "pk")
            )

        open_requests = sql_shapes.queryset(
            ("dossier.overview_documents",), {"student": student.pk}, open_requests_of
        )
        by_document: dict[int, SignableDocument] = {}
        for request in open_requests:
            document = request.version.document
            document = by_document.setdefault(document.pk, document)
            document.current_version.__dict__.setdefault("open", []).append(request)
        documents = list(by_document.values())[:LIMIT]
    return {
        "groups": groups,
        "mentors": mentor_list,
        "open_deadlines": deadlines,
        "documents_to_sign": documents,
    }
