from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .documents import Document
from .entries import DossierEntry, EntryKind, Visibility
from .retention import EntryRetentionMark, LegalHold, RetentionPolicy, RetentionRun
from .logbook import LogEntry, LogTemplate

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
    "LogEntry",
    "LogTemplate",
    "RetentionPolicy",
    "RetentionRun",
    "Visibility",
]
from .messages import Letter, LetterTemplate, Message, MessageStatus

__all__ = ["AuditEvent", "AuditHead", "Deadline", "DeadlineState", "DossierEntry", "EntryKind", "Visibility"]
__all__ += ["Letter", "LetterTemplate", "Message", "MessageStatus"]
