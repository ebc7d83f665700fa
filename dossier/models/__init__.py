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
