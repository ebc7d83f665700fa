from .access_requests import AccessRequest, AccessRequestState  # noqa: I001
from .audit import AuditEvent, AuditHead
from .deadlines import Deadline, DeadlineState
from .entries import DossierEntry, EntryKind, Visibility
from .portal import PortalLoginToken
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
    "Decision",
    "DocumentKind",
    "DocumentVersion",
    "PortalLoginToken",
    "RequestState",
    "SignableDocument",
    "Signature",
    "SignatureRequest",
    "SignerType",
    "SignMethod",
    "AuditEvent",
    "AuditHead",
    "Deadline",
    "DeadlineState",
    "DossierEntry",
    "EntryKind",
    "Visibility",
]
