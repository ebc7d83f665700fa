from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .documents import Document
from .entries import DossierEntry, EntryKind, Visibility
from .logbook import LogEntry, LogTemplate

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Deadline",
    "DeadlineState",
    "Document",
    "DossierEntry",
    "EntryKind",
    "LogEntry",
    "LogTemplate",
    "Visibility",
]
