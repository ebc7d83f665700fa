"""Shared helpers for the import tests (not a test module)."""

from pathlib import Path

from schools.models import (
    Group,
    GroupMembership,
    Guardian,
    GuardianRelation,
    ImportStatus,
    StaffMember,
    Student,
    TeachingAssignment,
)
from schools.services import imports as service

FILES = Path(__file__).parent / "import_files"


def snapshot() -> dict:
    """Everything an import may write, so a test can assert that nothing changed."""
    return {
        "students": sorted(
            Student.objects.values_list("student_number", "first_name", "last_name", "left_on")
        ),
        "groups": Group.objects.count(),
        "memberships": sorted(GroupMembership.objects.values_list("student_id", "group_id", "start", "end")),
        "guardians": Guardian.objects.count(),
        "relations": sorted(GuardianRelation.objects.values_list("student_id", "guardian_id", "end")),
        "staff": StaffMember.objects.count(),
        "assignments": TeachingAssignment.objects.count(),
    }


def preview(school, actor, name: str | None = None, *, data: bytes | None = None, columns=None, **kwargs):
    data = data if data is not None else (FILES / name).read_bytes()
    run = service.start_import(actor=actor, school=school, data=data, filename=name or "upload.csv")
    if run.status == ImportStatus.UPLOADED:
        if columns is None:
            _, columns = service.read_columns(run)
        run = service.confirm_columns(actor=actor, run=run, columns=columns, **kwargs)
    return run


def apply(school, actor, name: str | None = None, **kwargs):
    run = preview(school, actor, name, **kwargs)
    assert run.status == ImportStatus.PREVIEWED, run.problems
    return service.apply_import(actor=actor, run=run)
