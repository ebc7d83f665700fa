from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .entries import DossierEntry, EntryKind, Visibility

__all__ = ["AuditEvent", "AuditHead", "Deadline", "DeadlineState", "DossierEntry", "EntryKind", "Visibility"]
