"""Reads for the parent portal and the access export: who a guardian may see, and name redaction.

Private helpers of the portal area; the shared timeline selectors (`dossier.selectors`) may
replace `parent_entries` later. Everything that spans schools says so with scopes_disabled().
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from dossier.models import DossierEntry, Visibility

# The one redaction (AVG-1, AVG-4), re-exported for the portal and the export.
from dossier.redaction import REDACTED, Redactor, other_student_names, redactor_for  # noqa: F401
from schools.access import unwrap_user
from schools.models import Guardian, GuardianRelation, Student
from signatures.models import SignableDocument, SignatureRequest, SignerType

AGE_OF_OWN_RIGHTS = 16  # AVG-1: from 16 the student exercises their own rights, not the parents


def active_authority_q(prefix: str = "") -> Q:
    """A relation with parental authority that has not ended (AVG-1)."""
    day = timezone.localdate()
    return Q(**{f"{prefix}has_parental_authority": True}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def authorised_relations(user) -> list[GuardianRelation]:
    """The user's relations that give access: parental authority, not ended (AVG-1). Spans schools."""
    if not user or not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            GuardianRelation.objects.filter(active_authority_q(), guardian__user=user)
            .select_related("student__school", "guardian")
            .order_by("student__first_name", "student__pk")
        )


def guardian_for(user, student: Student) -> Guardian | None:
    """The Guardian row through which `user` holds authority over `student`, or None."""
    if not user or not user.is_authenticated or student is None:
        return None
    # request.user is a lazy proxy: the cache sits on the real user (portal.decorators)
    cached = getattr(unwrap_user(user), "__dict__", {}).get("_portal_relations")
    if cached is not None:  # this request's authorised_relations (portal.decorators), same filter
        return next((r.guardian for r in cached if r.student_id == student.pk), None)
    with scopes_disabled():
        relation = (
            GuardianRelation.objects.filter(active_authority_q(), guardian__user=user, student=student)
            .select_related("guardian")
            .first()
        )
    return relation.guardian if relation else None


def age_on(student: Student, day: datetime.date) -> int | None:
    born = student.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def has_own_rights(student: Student, day: datetime.date | None = None) -> bool:
    """AVG-1: 16 or older on `day` (today). An unknown date of birth counts as under 16: the
    guardians keep the rights until the school records the date."""
    age = age_on(student, day or timezone.localdate())
    return age is not None and age >= AGE_OF_OWN_RIGHTS


def own_rights_born_on_or_before(day: datetime.date) -> datetime.date:
    """The latest date of birth that makes a student 16 on `day` (for a database filter)."""
    try:
        return day.replace(year=day.year - AGE_OF_OWN_RIGHTS)
    except ValueError:  # 29 February in a year whose 16-years-earlier twin is not a leap year
        return day.replace(year=day.year - AGE_OF_OWN_RIGHTS, day=28)


def own_student(user) -> Student | None:
    """The student row of a signed-in student (Student.user), whatever their age. Spans schools."""
    if not user or not user.is_authenticated:
        return None
    with scopes_disabled():
        return Student.objects.filter(user=user).select_related("school").first()


def parent_entries(student: Student) -> QuerySet[DossierEntry]:
    """What a guardian sees of the file: parent-visible, never care-team or director level."""
    return DossierEntry.objects.filter(
        student=student, parent_visible=True, visibility=Visibility.TEAM
    ).order_by("-occurred_at", "-pk")


def parent_documents(student: Student) -> QuerySet[SignableDocument]:
    return (
        SignableDocument.objects.filter(student=student, parent_visible=True, current_version__isnull=False)
        .select_related("current_version")
        .order_by("-created_at", "-pk")
    )


def student_documents(student: Student) -> QuerySet[SignableDocument]:
    """What a 16+ student sees: the parent-visible documents plus those addressed to them for
    signing (a school may keep a document from the parents but still ask the student to sign)."""
    # Annotated, so the document page asks is_addressed_to without another read (issue #13).
    addressed = SignatureRequest.objects.filter(
        version__document=OuterRef("pk"), signer_type=SignerType.STUDENT, student=student
    )
    return (
        SignableDocument.objects.filter(student=student, current_version__isnull=False)
        .annotate(addressed_to_student=Exists(addressed))
        .filter(Q(parent_visible=True) | Q(addressed_to_student=True))
        .select_related("current_version")
        .order_by("-created_at", "-pk")
    )


def is_addressed_to(document: SignableDocument, student: Student) -> bool:
    """A signature request for this student on any version (revisions copy the requests)."""
    known = getattr(document, "addressed_to_student", None)  # read by student_documents(student)
    if known is not None and document.student_id == student.pk:
        return known
    return SignatureRequest.objects.filter(
        version__document=document, signer_type=SignerType.STUDENT, student=student
    ).exists()
