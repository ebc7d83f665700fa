"""`audit(...)`: the one way to write the audit log. Action codes are dotted: "dossier.entry.viewed"."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead


def _label(actor) -> str:
    if actor is None:
        return ""
    return getattr(actor, "email", "") or str(actor)


def audit(
    *,
    actor,
    action: str,
    obj=None,
    school=None,
    student=None,
    data: dict | None = None,
    address: str = "",
    success: bool = True,
) -> AuditEvent:
    """Append one event to the hash chain. Safe to call inside or outside a transaction."""
    if school is None and obj is not None:
        school = getattr(obj, "school", None)
    if student is None and obj is not None and obj.__class__.__name__ == "Student":
        student = obj
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            school_id=getattr(school, "pk", school),
            actor_id=getattr(actor, "pk", None),
            actor_label=_label(actor),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            student_id=getattr(student, "pk", student),
            address=address or "",
            success=success,
            data=data or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def client_address(request) -> str:
    """The client's IP address. Behind TRUSTED_PROXY_COUNT reverse proxies, it is the address the
    outermost trusted proxy saw (X-Forwarded-For, counted from the right); otherwise REMOTE_ADDR."""
    if request is None:
        return ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def audit_request(request, *, action: str, **kwargs) -> AuditEvent:
    return audit(
        actor=request.user if request.user.is_authenticated else None,
        action=action,
        address=client_address(request),
        school=kwargs.pop("school", getattr(request, "school", None)),
        **kwargs,
    )


def verify_chain(batch_size: int = 2000) -> AuditEvent | None:
    """Return the first event whose link or content does not match, or None when intact."""
    expected_prev = "0" * 64
    expected_seq = 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if (
            event.seq != expected_seq
            or event.prev_hash != expected_prev
            or event.compute_hash() != event.hash
        ):
            return event
        expected_prev = event.hash
        expected_seq += 1
    return None
