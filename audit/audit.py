"""`audit(...)`: the one way to write the audit log. Action codes are dotted: "dossier.entry.viewed"."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.chain import seal, verify
from audit.labels import registered_codes
from audit.models import NO_SCHOOL_CHAIN, AuditEvent, AuditHead


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
    if settings.AUDIT_REQUIRE_LABELS and action not in registered_codes():
        # AVG-4: "Wie heeft dit dossier bekeken" never shows a raw code; tests and development refuse
        # a code without a label, including codes built from constants that the source grep cannot see.
        raise ValueError(f"Auditcode {action!r} heeft geen label (register_action_labels).")
    school_id = getattr(school, "pk", school)
    # AVG-4: one chain per school, so a write locks only its own school's head row.
    chain = school_id if school_id is not None else NO_SCHOOL_CHAIN
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(chain=chain)
        event = AuditEvent(
            chain=chain,
            seq=head.last_seq + 1,
            at=timezone.now(),
            school_id=school_id,
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
        seal(event)
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


def verify_chain(batch_size: int = 2000):
    """The problems found in the chains, their heads and the checkpoints; None when intact (AVG-4)."""
    problems = verify(batch_size=batch_size)
    return problems[0] if problems else None


def erase_audit_identities(*, student_ids=(), user_ids=(), emails=()) -> int:
    """AVG-3: after the last retention boundary, erase what identifies these students, users and
    e-mail addresses from the audit rows. Each row keeps the keyed pseudonyms its hash covers, so
    the chains still verify and a student's rows stay linkable to one pseudonym, not to a name."""
    student_ids = [pk for pk in student_ids if pk is not None]
    user_ids = [pk for pk in user_ids if pk is not None]
    changed = 0
    if student_ids:
        changed += AuditEvent.objects.filter(student_id__in=student_ids).update(
            student_id=None, address="", data={}
        )
        changed += AuditEvent.objects.filter(
            object_type="schools.student", object_id__in=[str(pk) for pk in student_ids]
        ).update(object_id="")
    if user_ids:
        changed += AuditEvent.objects.filter(actor_id__in=user_ids).update(
            actor_id=None, actor_label="", address="", data={}
        )
        changed += AuditEvent.objects.filter(
            object_type="schools.user", object_id__in=[str(pk) for pk in user_ids]
        ).update(object_id="")
    for email in {e.lower() for e in emails if e}:
        changed += AuditEvent.objects.filter(actor_label__iexact=email).update(actor_label="", address="")
        changed += AuditEvent.objects.filter(data__email__iexact=email).update(data={}, address="")
    return changed
