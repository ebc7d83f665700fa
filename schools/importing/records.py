"""The common, normalized record set every parser produces, and the problems it may report.

Parsers never touch the database: they turn a file into an `ImportSet` or raise `ImportProblems`
listing every bad row (line, column, Dutch reason). The diff and apply steps only read `ImportSet`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Enough to fix a file; a file with more problems than this is the wrong file or a wrong mapping.
MAX_PROBLEMS = 200


@dataclass
class Problem:
    line: int | None
    column: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line:
            where.append(f"regel {self.line}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        prefix = ", ".join(where)
        if not self.file:  # "Regel 3, kolom …" – a file name keeps its own spelling
            prefix = prefix[:1].upper() + prefix[1:]
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportProblems(Exception):
    """Raised with every problem found; nothing may be imported from this file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("; ".join(str(p) for p in self.problems[:5]))


class Collector:
    """Collects problems while a parser keeps going, so the user sees all of them at once."""

    def __init__(self, file: str = ""):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, column: str, message: str, file: str | None = None) -> None:
        self.problems.append(Problem(line, column, message, self.file if file is None else file))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportProblems(self.problems)


@dataclass
class GroupRecord:
    name: str
    year_level: int | None = None
    external_id: str = ""  # the exporter's key (OneRoster class sourcedId), for later deltas


@dataclass
class StudentRecord:
    student_number: str
    first_name: str
    name_prefix: str
    last_name: str
    date_of_birth: str | None  # ISO date
    email: str = ""
    group: str = ""  # name of the group (basisgroep / stamklas) in the import's school year
    line: int | None = None
    left_on: str | None = None  # ISO date the student leaves (EDEXML uitstroomdatum)


@dataclass
class GuardianRecord:
    email: str
    external_id: str = ""
    first_name: str = ""
    name_prefix: str = ""
    last_name: str = ""
    phone: str = ""
    students: list[str] = field(default_factory=list)  # student numbers

    @property
    def key(self) -> str:
        return self.email or f"ext:{self.external_id}"


@dataclass
class StaffRecord:
    email: str  # "" for a teacher the export gives no address: staff without a log-in
    first_name: str = ""
    name_prefix: str = ""
    last_name: str = ""
    staff_number: str = ""

    @property
    def key(self) -> str:
        """How assignments name this person: the e-mail address, else the export's own number."""
        return self.email or staff_number_key(self.staff_number)


def staff_number_key(number: str) -> str:
    return f"nr:{number}"


@dataclass
class AssignmentRecord:
    staff_email: str  # StaffRecord.key: the e-mail address, or "nr:<number>" without one
    group: str
    subject: str = ""
    mentor: bool = False


@dataclass
class ImportSet:
    school_year_start: str  # ISO date of 1 August of the school year the groups belong to
    students: list[StudentRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    guardians: list[GuardianRecord] = field(default_factory=list)
    staff: list[StaffRecord] = field(default_factory=list)
    assignments: list[AssignmentRecord] = field(default_factory=list)
    # Only a file that carries guardians / teaching assignments may end the ones it leaves out.
    has_guardians: bool = False
    has_assignments: bool = False
    # A delta (OneRoster manifest `file.* = delta`) carries changes only: it ends just the students
    # it names as deleted, never those it leaves out.
    delta: bool = False
    students_deleted: list[str] = field(default_factory=list)  # student numbers
    source: dict = field(default_factory=dict)  # what the parser chose (format, org, groups, …)
    # A delta's student → the external id of a group sent in an earlier bundle (not in this one).
    group_refs: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportSet:
        return cls(
            school_year_start=data["school_year_start"],
            students=[StudentRecord(**r) for r in data.get("students", [])],
            groups=[GroupRecord(**r) for r in data.get("groups", [])],
            guardians=[GuardianRecord(**r) for r in data.get("guardians", [])],
            staff=[StaffRecord(**r) for r in data.get("staff", [])],
            assignments=[AssignmentRecord(**r) for r in data.get("assignments", [])],
            has_guardians=data.get("has_guardians", False),
            has_assignments=data.get("has_assignments", False),
            delta=data.get("delta", False),
            students_deleted=list(data.get("students_deleted", [])),
            source=dict(data.get("source", {})),
            group_refs=dict(data.get("group_refs", {})),
        )


def school_year_start_for(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),  # 07-03-2013 (Dutch exports)
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),  # ISO (OneRoster, XLSX cells)
)


def parse_date(value: str) -> datetime.date:
    """A Dutch dd-mm-jjjj date (or ISO). Raises ValueError with a Dutch message."""
    text = value.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueError(f"'{text}' is geen bestaande datum.") from None
    raise ValueError(f"'{text}' is geen datum in de vorm dd-mm-jjjj.")


def check_email(value: str) -> str:
    """Lower-cased e-mail address, or ValueError with a Dutch message."""
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"'{value.strip()}' is geen geldig e-mailadres.") from None
    return email


def year_level_from(value: str) -> int | None:
    """'3' → 3; vo leerjaar as EDEXML writes it ('13') → 3; letters (combinatiegroep, S, V) → None."""
    text = (value or "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number - 10 if 11 <= number <= 16 else number


def split_prefix(last_name: str, prefix: str) -> tuple[str, str]:
    """Some exports put 'de Vries' in one column; the school's list sorts on 'Vries'."""
    prefix = prefix.strip()
    last_name = last_name.strip()
    if prefix:
        return prefix, last_name
    for known in ("van der", "van den", "van de", "in 't", "van 't", "van", "de", "den", "der", "te", "ter"):
        if last_name.lower().startswith(known + " ") and len(last_name) > len(known) + 1:
            return last_name[: len(known)], last_name[len(known) + 1 :]
    return "", last_name


def _student_limits() -> dict[str, tuple[str, int]]:
    """Student fields an import writes, with their label and the database's max_length (issue 8)."""
    from django.apps import apps

    student = apps.get_model("schools", "Student")
    labels = {
        "student_number": "leerlingnummer",
        "first_name": "roepnaam",
        "name_prefix": "voorvoegsel",
        "last_name": "achternaam",
    }
    return {name: (label, student._meta.get_field(name).max_length) for name, label in labels.items()}


def check_students(students: list[StudentRecord], collector: Collector, column: str) -> None:
    """Shared rules: a student number appears once (per import), names and numbers are present."""
    seen: dict[str, StudentRecord] = {}
    limits = _student_limits()
    for record in students:
        for name, (label, limit) in limits.items():
            value = getattr(record, name) or ""
            if len(value) > limit:
                collector.add(
                    record.line,
                    column if name == "student_number" else label,
                    f"{label} is te lang: {len(value)} tekens, hoogstens {limit}.",
                )
        earlier = seen.get(record.student_number)
        if earlier is not None:
            collector.add(
                record.line,
                column,
                f"leerlingnummer {record.student_number} staat ook op regel {earlier.line}.",
            )
        else:
            seen[record.student_number] = record
