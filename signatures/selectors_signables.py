"""Reads for the staff screens of documents to sign. Query counts stay flat as versions grow."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from schools.models import StaffMember, Student
from schools.models.staff import CARE_TEAM_ROLES
from schools.selectors import current_group_facts
from signatures.models import DocumentVersion, RequestState, SignableDocument, Signature, SignatureRequest
from signatures.services.signatures import default_signers

_SIGNER_JOINS = ("guardian", "student", "staff")


def team_of(student: Student) -> list[StaffMember]:
    """Active staff around the student: mentors and teachers of the current groups, the care team."""
    group_ids = [group_id for group_id, _ in current_group_facts(student)]
    return list(
        StaffMember.objects.filter(school=student.school, active=True)
        .filter(
            Q(mentor_of__in=group_ids)
            | Q(teaching_assignments__group_id__in=group_ids)
            | Q(role_assignments__role__in=CARE_TEAM_ROLES)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def signer_options(student: Student) -> dict[str, tuple[str, object]]:
    """Form value ("guardian:12", "student:3", "staff:7") → (label, signer) of who may be asked to sign.

    Guardians only with parental authority (AVG-1); staff only of the student's team.
    """
    options: dict[str, tuple[str, object]] = {}
    for guardian in default_signers(student):  # AVG-1
        options[f"guardian:{guardian.pk}"] = (f"{guardian.full_name} (ouder / verzorger)", guardian)
    options[f"student:{student.pk}"] = (f"{student.full_name} (leerling)", student)
    for staff in team_of(student):
        options[f"staff:{staff.pk}"] = (f"{staff.full_name} (medewerker)", staff)
    return options


def student_documents(student: Student, *, only_open: bool = False) -> QuerySet[SignableDocument]:
    """The student's documents, each with `open_requests` of its current version (one query more)."""
    open_requests = SignatureRequest.objects.filter(state=RequestState.OPEN).select_related(*_SIGNER_JOINS)
    documents = (
        SignableDocument.objects.filter(student=student)
        .select_related("current_version")
        .prefetch_related(Prefetch("current_version__requests", open_requests, to_attr="open_requests"))
        .order_by("-created_at", "-pk")
    )
    if only_open:
        waiting = SignatureRequest.objects.filter(
            version_id=OuterRef("current_version_id"), state=RequestState.OPEN
        )
        documents = documents.filter(Exists(waiting))
    return documents


def open_request_count(student: Student) -> int:
    return SignatureRequest.objects.filter(
        version__document__student=student, state=RequestState.OPEN
    ).count()


def document_versions(document: SignableDocument) -> list[DocumentVersion]:
    """All versions, newest first, with their requests and signatures: four queries in all."""
    return list(
        DocumentVersion.objects.filter(document=document)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("requests", SignatureRequest.objects.select_related(*_SIGNER_JOINS).order_by("pk")),
            Prefetch("signatures", Signature.objects.order_by("signed_at", "pk")),
        )
        .order_by("-number")
    )
