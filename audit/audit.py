"""`audit(...)`: the one way to write the audit log. Action codes are dotted: "dossier.entry.viewed"."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import router, transaction
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
    event = AuditEvent(
        chain=chain,
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
    )
    # No savepoint of its own: inside a caller's transaction an error here marks that whole transaction
    # for rollback (the caller's write never lands without its audit row); alone it is one transaction.
    with transaction.atomic(savepoint=False):
        _append(event)
    return event


def _append(event: AuditEvent) -> None:
    """Give `event` the next place in its chain and write it with the chain's head, under the head's lock.

    The head this connection wrote last is kept: the next event of the same transaction (an incident
    writes its file entries and its own row) moves the head with one compare-and-set UPDATE, which also
    takes the row lock, instead of reading it again. When another writer moved the head in between (or
    the write that moved it was rolled back) the UPDATE matches no row and the head is read under a
    lock as before: the chain never forks, only the known case is cheaper (issue #13)."""
    alias = router.db_for_write(AuditEvent)
    known = _last_written.get(alias, event.chain)
    if known is not None and _move_head(event, alias, known):
        event.save(using=alias)
        return
    head, _ = AuditHead.objects.using(alias).select_for_update().get_or_create(chain=event.chain)
    known = (head.last_seq, head.last_hash)
    if not _move_head(event, alias, known):  # we hold the lock: the head is what we just read
        raise RuntimeError("audit head moved while locked")
    event.save(using=alias)


def _move_head(event: AuditEvent, alias: str, known: tuple[int, str]) -> bool:
    event.seq, event.prev_hash = known[0] + 1, known[1]
    event.at = timezone.now()  # taken with the head, so a chain's times rise with its places
    seal(event)
    moved = AuditHead.objects.using(alias).filter(chain=event.chain, last_seq=known[0], last_hash=known[1])
    if not moved.update(last_seq=event.seq, last_hash=event.hash):
        _last_written.forget(alias, event.chain)
        return False
    _last_written.keep(alias, event.chain, (event.seq, event.hash))
    return True


class _LastWritten(threading.local):
    """Per thread (a connection belongs to one thread) and database: the head each chain was moved to
    last, until the next request starts. Only a guess: the compare-and-set checks it against the row, so
    a head another writer moved since (or a write rolled back, wholly or to a savepoint) costs one UPDATE
    that matches nothing, never a wrong place in the chain."""

    def __init__(self):
        self.heads: dict[tuple[str, int], tuple[int, str]] = {}

    def get(self, alias: str, chain: int) -> tuple[int, str] | None:
        return self.heads.get((alias, chain))

    def keep(self, alias: str, chain: int, head: tuple[int, str]) -> None:
        self.heads[(alias, chain)] = head

    def forget(self, alias: str, chain: int) -> None:
        self.heads.pop((alias, chain), None)


_last_written = _LastWritten()


def forget_written_heads(**_kwargs) -> None:
    """At the start of a request: nothing of an earlier request is known (a request never starts inside a
    transaction; in the tests, whose requests share one transaction, each request then writes as it
    would in production and its query count is production's)."""
    _last_written.heads.clear()


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
