from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .documents import Document
from .entries import DossierEntry, EntryKind, Visibility
from .logbook import LogEntry, LogTemplate
from .messages import Letter, LetterTemplate, Message, MessageStatus
from .retention import EntryRetentionMark, LegalHold, RetentionPolicy, RetentionRun

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Deadline",
    "DeadlineState",
    "Document",
    "DossierEntry",
    "EntryKind",
    "EntryRetentionMark",
    "LegalHold",
    "Letter",
    "LetterTemplate",
    "LogEntry",
    "LogTemplate",
    "Message",
    "MessageStatus",
    "RetentionPolicy",
    "RetentionRun",
    "Visibility",
]
