from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .entries import DossierEntry, EntryKind, Visibility
from .messages import Letter, LetterTemplate, Message, MessageStatus

__all__ = ["AuditEvent", "AuditHead", "Deadline", "DeadlineState", "DossierEntry", "EntryKind", "Visibility"]
__all__ += ["Letter", "LetterTemplate", "Message", "MessageStatus"]
