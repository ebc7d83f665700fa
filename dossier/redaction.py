"""The one redaction of other children's names (AVG-1, AVG-4), for every place a file is shown to
someone who may not see another child: the parent and student portal, the access-request export
(PDF and JSON), the staff timeline and entry pages. Which forms of a name are found is decided in
`protocols.names` (possessives, capitals, surname alone, initials, tussenvoegsels, diminutives).
"""

from __future__ import annotations

from collections.abc import Iterable

from dossier.models.entries import REDACTED_STUDENT
from protocols.names import NameIndex
from schools.models import Student

REDACTED = REDACTED_STUDENT


class Redactor:
    """Replaces other children's names by "[andere leerling]" in a text.

    `student` is the file's own student (or several): their own names are left alone. `others`
    are Students or (first name, tussenvoegsel, surname) triples. Build once, call per text.
    """

    def __init__(self, student: Student | Iterable[Student] | None, others: Iterable):
        own = [] if student is None else [student] if isinstance(student, Student) else list(student)
        self.index = NameIndex(others, own=own)

    def __call__(self, text: str) -> str:
        if not text or not self.index:
            return text
        out, pos = [], 0
        for match in self.index.find(text):
            out.append(text[pos : match.start])
            out.append(REDACTED)
            pos = match.end
        out.append(text[pos:])
        return "".join(out)


def redact(text: str, others: Iterable, student: Student | None = None) -> str:
    """`text` with the names of `others` replaced (AVG-4); `student`'s own names stay."""
    return Redactor(student, others)(text)


def other_student_names(student: Student) -> list[tuple[str, str, str]]:
    """(first name, prefix, last name) of every other child of the school, current or former.

    Wider than "involved in an entry": a body may mention any child, involved or not.
    One query whatever the file's size.
    """
    return list(
        Student.objects.filter(school_id=student.school_id)
        .exclude(pk=student.pk)
        .values_list("first_name", "name_prefix", "last_name")
    )


def redactor_for(student: Student) -> Redactor:
    """Every other child of the school redacted from `student`'s file (portal, export). One query."""
    return Redactor(student, other_student_names(student))
