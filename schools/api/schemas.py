"""What the API returns. Field names in English (glossary); no care content, only the organisation."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Schema
from pydantic import AfterValidator

from ..cleaning import clean_text


def _safe_text(value: str) -> str:
    try:
        return clean_text(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error


# Every text an input schema accepts is this type: the forms' check (control characters, bidi
# overrides) for the API, a 422 with the same Dutch message (issue 7). The API only reads today.
SafeText = Annotated[str, AfterValidator(_safe_text)]


class SchoolOut(Schema):
    id: int
    name: str
    kind: str
    brin: str
    location_code: str
    region: str


class GroupRef(Schema):
    id: int
    name: str


class GroupOut(Schema):
    id: int
    name: str
    year_level: int | None
    school_year: str
    department: str | None
    mentor_ids: list[int]

    @staticmethod
    def resolve_school_year(obj) -> str:
        return str(obj.school_year)

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_mentor_ids(obj) -> list[int]:
        return [m.pk for m in obj.mentors.all()]


class StudentOut(Schema):
    id: int
    student_number: str
    first_name: str
    name_prefix: str
    last_name: str
    full_name: str
    date_of_birth: datetime.date | None
    enrolled_on: datetime.date | None
    left_on: datetime.date | None
    groups: list[GroupRef]

    @staticmethod
    def resolve_groups(obj) -> list[dict]:
        return [{"id": m.group_id, "name": m.group.name} for m in obj.current_memberships]


class GuardianLink(Schema):
    guardian_id: int
    full_name: str
    relation: str
    has_parental_authority: bool


class StudentDetailOut(StudentOut):
    guardians: list[GuardianLink]

    @staticmethod
    def resolve_guardians(obj) -> list[dict]:
        return [
            {
                "guardian_id": r.guardian_id,
                "full_name": r.guardian.full_name,
                "relation": r.relation,
                "has_parental_authority": r.has_parental_authority,
            }
            for r in obj.current_relations
        ]


class GuardianOut(Schema):
    id: int
    first_name: str
    name_prefix: str
    last_name: str
    full_name: str
    email: str
    phone: str
    student_ids: list[int]

    @staticmethod
    def resolve_student_ids(obj) -> list[int]:
        return [r.student_id for r in obj.current_relations]


class StaffOut(Schema):
    id: int
    first_name: str
    name_prefix: str
    last_name: str
    full_name: str
    email: str
    initials: str
    active: bool
    roles: list[str]

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return sorted({r.role for r in obj.role_assignments.all()})
