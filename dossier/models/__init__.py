from .audit import AuditEvent, AuditHead
from .entries import DossierEntry, EntryKind, Visibility

__all__ = ["AuditEvent", "AuditHead", "DossierEntry", "EntryKind", "Visibility"]
