"""Letters and messages of one case (SV-4: the file keeps every letter of the procedure)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from messaging.models import Letter, Message


@dataclass(frozen=True)
class CaseCorrespondence:
    letters: list[Letter]
    # Messages without a letter (a letter's own e-mail is `letter.messages`, prefetched).
    messages: list[Message]

    def __len__(self) -> int:
        return len(self.letters) + len(self.messages)


def letters_and_messages_of(source) -> CaseCorrespondence:
    """Every letter and message whose source is `source`, newest first, in a constant number of
    queries (three, however many letters: letters, their messages, the other messages).
    School-scoped: the scoped managers refuse to run outside the active school's scope."""
    content_type = ContentType.objects.get_for_model(source)  # cached after the first call
    lookup = {"source_type": content_type, "source_id": str(source.pk), "school_id": source_school_id(source)}
    letters = list(
        Letter.objects.filter(**lookup).select_related("student", "created_by").prefetch_related("messages")
    )
    messages = list(
        Message.objects.filter(**lookup, letter__isnull=True).select_related("student", "created_by")
    )
    return CaseCorrespondence(letters=letters, messages=messages)


def source_school_id(source) -> int | None:
    """The school of a case object: its own `school_id`, else its student's."""
    school_id = getattr(source, "school_id", None)
    if school_id is None and getattr(source, "student_id", None) is not None:
        school_id = source.student.school_id
    return school_id
