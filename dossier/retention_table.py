"""AVG-3: what is deleted at which boundary after a student leaves — one table, read by the purge.

The boundaries are the school's retention periods (its file protocol version, defaults in
models/retention.py: 2 years care and behaviour file, 3 years referral to special education,
5 years attendance and enrolment). A record follows the period of the policy keys it names (the
longest of them when it names several); LAST is the school's last boundary, the longest of all its
periods (5 years by default). A legal hold stops every row of this table for that student.

| record                                         | deleted at (default)                  | files deleted |
|------------------------------------------------|---------------------------------------|---------------|
| file entries (DossierEntry), per kind          | that kind's period (2, 3 or 5 years)  | —             |
| outbox messages about the student              | message (2)                           | —             |
| letters                                        | letter and message (2)                | the PDF       |
| signable documents, versions, requests, signatures | document and signature (2)        | version files |
| uploaded documents                             | document (2)                          | the file      |
| log notes (the note text)                      | log entry (2)                         | —             |
| access-request exports                         | access request (2)                    | PDF and JSON  |
| access requests (who asked, when, hand-over)   | LAST (5)                              | PDF and JSON  |
| deadlines about the student                    | LAST (5)                              | —             |
| legal holds (lifted), group memberships        | LAST (5)                              | —             |
| guardian relations                             | LAST (5), with the student row        | —             |
| the student (name, number), their portal user  | LAST (5)                              | —             |
| guardians without another child at the school, their users | LAST (5)                  | —             |
| audit rows about the student                   | never: at LAST the student, actor, address, object and data of the row are erased; the keyed pseudonym stays (AVG-4) | — |
| import runs (they list every student of an upload) | LAST after the upload; not the student's file, so a hold does not stop it | the upload |

After LAST nothing identifies the student, except audit rows that carry a pseudonym instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from dossier.models import EntryKind

LAST = "last"


@dataclass(frozen=True)
class RetentionRule:
    key: str  # the name under which RetentionRun.deleted counts it
    label: object  # Dutch, lazy
    model: str  # "app_label.ModelName"
    student: str  # the lookup from the row to its student
    periods: tuple[str, ...]  # policy keys; the longest applies. (LAST,): the school's last boundary
    files: tuple[str, ...] = ()  # file fields whose stored files go with the row
    clear_only: bool = False  # delete the files and empty the fields; the row itself stays
    select: Callable[[QuerySet], QuerySet] | None = None  # narrows the rows (e.g. lifted holds only)
    # A row shared by several students (an incident): the lookup from the row to all of them; the row
    # goes only when every one of them is past the boundary (`student` then finds it via any of them).
    shared: str = ""


def _letters_without_messages(rows: QuerySet) -> QuerySet:
    from messaging.models import Message

    return rows.exclude(Exists(Message.objects.filter(letter=OuterRef("pk"))))


def _with_export(rows: QuerySet) -> QuerySet:
    return rows.exclude(pdf="", json="")


def _lifted(rows: QuerySet) -> QuerySet:
    return rows.filter(lifted_at__isnull=False)


# In deletion order: a row is deleted before the rows it protects (messages before letters,
# signatures before versions). File entries (DossierEntry) are purged per kind before this table.
RETENTION_TABLE: tuple[RetentionRule, ...] = (
    RetentionRule("message", _("berichten"), "messaging.Message", "student", (EntryKind.MESSAGE,)),
    RetentionRule(
        "letter",
        _("brieven"),
        "messaging.Letter",
        "student",
        (EntryKind.LETTER, EntryKind.MESSAGE),
        files=("pdf",),
        select=_letters_without_messages,
    ),
    RetentionRule(
        "signature",
        _("handtekeningen"),
        "signatures.Signature",
        "version__document__student",
        (EntryKind.DOCUMENT, EntryKind.SIGNATURE),
    ),
    RetentionRule(
        "signature_request",
        _("verzoeken om handtekening"),
        "signatures.SignatureRequest",
        "version__document__student",
        (EntryKind.DOCUMENT, EntryKind.SIGNATURE),
    ),
    RetentionRule(
        "document_version",
        _("documentversies"),
        "signatures.DocumentVersion",
        "document__student",
        (EntryKind.DOCUMENT, EntryKind.SIGNATURE),
        files=("file",),
    ),
    RetentionRule(
        "signable_document",
        _("te ondertekenen documenten"),
        "signatures.SignableDocument",
        "student",
        (EntryKind.DOCUMENT, EntryKind.SIGNATURE),
    ),
    RetentionRule(
        "document", _("documenten"), "dossier.Document", "student", (EntryKind.DOCUMENT,), files=("file",)
    ),
    RetentionRule("log_note", _("logboeknotities"), "dossier.LogEntry", "student", (EntryKind.LOG_ENTRY,)),
    RetentionRule(
        "access_request_export",
        _("exports van inzageverzoeken"),
        "dossier.AccessRequest",
        "student",
        (EntryKind.ACCESS_REQUEST,),
        files=("pdf", "json"),
        clear_only=True,
        select=_with_export,
    ),
    RetentionRule(
        "access_request",
        _("inzageverzoeken"),
        "dossier.AccessRequest",
        "student",
        (LAST,),
        files=("pdf", "json"),
    ),
    RetentionRule("deadline", _("termijnen"), "deadlines.Deadline", "student", (LAST,)),
    RetentionRule(
        "legal_hold", _("opgeheven bewaarstops"), "dossier.LegalHold", "student", (LAST,), select=_lifted
    ),
    RetentionRule("membership", _("groepslidmaatschappen"), "schools.GroupMembership", "student", (LAST,)),
    # The student row with its guardian relations, the guardians without another child, the users and
    # their sign-in traces are the last step (services/purge.py: _forget_student), after every rule above.
)

# Records that a rule above does not name, and why they still go: purged per entry kind (file
# entries and their marks), or in the last step (guardian relations, guardians, users), or per
# upload (import runs). tests/dossier/test_retention_complete.py fails on a model that holds a
# student or a stored file and is in neither list.
HANDLED_ELSEWHERE = frozenset(
    {
        "dossier.dossierentry",
        "dossier.entryretentionmark",
        "schools.guardianrelation",
        "schools.guardian",
        "schools.importrun",
    }
)

_REGISTERED: list[RetentionRule] = []


def register_retention_rules(*rules: RetentionRule) -> None:
    """A protocol app adds the rows for its own records from AppConfig.ready(); they run after the
    mechanisms' rows, before the last step."""
    _REGISTERED.extend(rule for rule in rules if rule not in _REGISTERED)


def retention_rules() -> tuple[RetentionRule, ...]:
    return (*RETENTION_TABLE, *_REGISTERED)
