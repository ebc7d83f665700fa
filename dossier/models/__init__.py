from .access_requests import AccessRequest, AccessRequestState
from .documents import Document
from .entries import DossierEntry, EntryKind, Visibility
from .logbook import LogEntry, LogTemplate
from .retention import EntryRetentionMark, LegalHold, RetentionRun

__all__ = [
    "AccessRequest",
    "AccessRequestState",
    "Document",
    "DossierEntry",
    "EntryKind",
    "EntryRetentionMark",
    "LegalHold",
    "LogEntry",
    "LogTemplate",
    "RetentionRun",
    "Visibility",
]
