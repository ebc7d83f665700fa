"""Reads for the parent portal and the access export: who a guardian may see, and name redaction.

Private helpers of the portal area; the shared timeline selectors (`dossier.selectors`) may
replace `parent_entries` later. Everything that spans schools says so with scopes_disabled().
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from schools.models import GroupMembership, Guardian, GuardianRelation, Student

from ..models import DossierEntry, SignableDocument, Visibility

REDACTED = "[andere leerling]"


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


def other_students_of(student: Student) -> list[Student]:
    """Children whose names must not reach this student's parents: anyone involved in an entry
    of this file, and every (former) classmate. Two queries whatever the file's size."""
    involved = DossierEntry.involved.through.objects.filter(dossierentry__student_id=student.pk)
    group_ids = GroupMembership.objects.filter(student=student).values("group_id")
    return list(
        Student.objects.filter(
            Q(pk__in=involved.values("student_id")) | Q(memberships__group_id__in=group_ids)
        )
        .exclude(pk=student.pk)
        .distinct()
    )


class Redactor:
    """Replaces other children's full names and first names by "[andere leerling]".

    Full names go first (longest match wins), then "first last" without prefix, then first
    names alone. A name that is also one of the student's own is left alone: redacting it
    would blank out the student's own file.
    """

    def __init__(self, student: Student, others: Iterable[Student]):
        own = {n.lower() for n in (student.first_name, student.full_name, student.last_name) if n}
        names: set[str] = set()
        for other in others:
            for name in (
                other.full_name,
                f"{other.first_name} {other.last_name}",
                f"{other.name_prefix} {other.last_name}".strip() if other.name_prefix else "",
                other.first_name,
            ):
                name = name.strip()
                if len(name) >= 2 and name.lower() not in own:
                    names.add(name)
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)", re.IGNORECASE)
            if ordered
            else None
        )

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(REDACTED, text)


def redactor_for(student: Student) -> Redactor:
    return Redactor(student, other_students_of(student))
