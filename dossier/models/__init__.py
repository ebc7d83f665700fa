from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .entries import DossierEntry, EntryKind, Visibility
from .retention import EntryRetentionMark, LegalHold, RetentionPolicy, RetentionRun

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Deadline",
    "DeadlineState",
    "DossierEntry",
    "EntryKind",
    "EntryRetentionMark",
    "LegalHold",
    "RetentionPolicy",
    "RetentionRun",
    "Visibility",
]
