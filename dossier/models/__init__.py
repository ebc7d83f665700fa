from .access_requests import AccessRequest, AccessRequestState
from .audit import AuditEvent, AuditHead
from .deadlines import PENDING_STATES, Deadline, DeadlineSchedule, DeadlineState, ScheduleState, TermUnit
from .documents import Document
from .entries import DossierEntry, EntryKind, Visibility
from .logbook import LogEntry, LogTemplate
from .messages import Letter, LetterTemplate, Message, MessageStatus
from .portal import PortalLoginToken
from .retention import EntryRetentionMark, LegalHold, RetentionRun
from .signatures import (
    Decision,
    DocumentKind,
    DocumentVersion,
    RequestState,
    SignableDocument,
    Signature,
    SignatureRequest,
    SignerType,
    SignMethod,
)

__all__ = [
    "AccessRequest",
    "AccessRequestState",
    "AuditEvent",
    "AuditHead",
    "Deadline",
    "DeadlineState",
    "DeadlineSchedule",
    "PENDING_STATES",
    "ScheduleState",
    "TermUnit",
    "Decision",
    "Document",
    "DocumentKind",
    "DocumentVersion",
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
    "PortalLoginToken",
    "RequestState",
    "RetentionRun",
    "SignableDocument",
    "Signature",
    "SignatureRequest",
    "SignMethod",
    "SignerType",
    "Visibility",
]
