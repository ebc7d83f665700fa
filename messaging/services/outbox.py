"""The outbox: a task delivers one queued message; a periodic job retries.

Idempotent by construction: a delivery first *claims* the row with a conditional
UPDATE (queued/failed → sending). A second run, a duplicate enqueue or a retry of
a message already sent finds nothing to claim and sends nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from audit.audit import audit
from messaging.models import Message, MessageStatus
from schools.periodic import periodic_job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A queued message whose enqueue was lost (process died before on_commit ran) is picked up after this.
LOST_ENQUEUE_AFTER = datetime.timedelta(minutes=10)
FIRST_BACKOFF = datetime.timedelta(minutes=5)
# A row still "sending" after this: the worker died between claim and result.
STUCK_SENDING_AFTER = datetime.timedelta(minutes=15)
UNCERTAIN_ERROR = "Onbekend of verzonden: controleer"


def backoff(attempts: int) -> datetime.timedelta:
    """5, 10, 20, 40 … minutes after the n-th failed attempt."""
    return FIRST_BACKOFF * (2 ** max(attempts - 1, 0))


def queue_staff_message(
    *, school, staff, subject: str, body: str, idempotency_key: str, student=None
) -> tuple[Message | None, bool]:
    """Queue a notice to one staff member (a deadline reminder): no file entry, no secrets in it.

    Returns (message, created). With the same `idempotency_key` a second call returns the first
    message, not created. A staff member without an e-mail address (imported staff, issue 8) gets
    none: (None, False).
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    if not staff.email:
        return None, False
    with transaction.atomic():
        message = Message.objects.create(
            school=school,
            student=student,
            subject=subject[:200],
            body=body,
            recipients={"to": [{"name": staff.full_name, "email": staff.email, "role": "staff"}]},
            next_attempt_at=timezone.now() + LOST_ENQUEUE_AFTER,
            idempotency_key=idempotency_key,
        )
        audit(actor=None, action="dossier.message.queued", obj=message, student=student,
              data={"to": message.addresses("to"), "cc": [], "withheld": 0})  # fmt: skip
        enqueue_on_commit(message)
    return message, True


def enqueue_on_commit(message: Message) -> None:
    message_id = message.pk
    transaction.on_commit(lambda: deliver_message.enqueue(message_id))


@task()
def deliver_message(message_id: int) -> str:
    with scopes_disabled():
        school_id = Message.objects.filter(pk=message_id).values_list("school_id", flat=True).first()
    if school_id is None:
        return "missing"
    with scope(school=[school_id]):
        claimed = Message.objects.filter(
            pk=message_id, status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]
        ).update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, sending_since=timezone.now())
        if not claimed:
            return "already handled"
        message = Message.objects.select_related("letter").get(pk=message_id)
        try:
            mailers["default"].send_messages(_build_emails(message))
        except Exception as error:  # any SMTP or network failure: record it, retry later
            logger.warning("message %s failed: %s", message_id, error)
            Message.objects.filter(pk=message_id).update(
                status=MessageStatus.FAILED,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=timezone.now() + backoff(message.attempts),
            )
            audit(actor=None, action="dossier.message.failed", obj=message, student=message.student_id,
                  data={"attempt": message.attempts, "error": type(error).__name__})  # fmt: skip
            return "failed"
        Message.objects.filter(pk=message_id).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
        )
        audit(actor=None, action="dossier.message.sent", obj=message, student=message.student_id,
              data={"attempt": message.attempts})  # fmt: skip
        return "sent"


def _build_emails(message: Message) -> list[EmailMessage]:
    """One e-mail per "to" recipient, so two guardians (e.g. separated parents) never see each
    other's address. Everyone sees who is in cc (GP-4 names them), but the cc'd staff receive
    only the first copy: later copies carry the Cc header without sending to it again."""
    attachment = None
    if message.letter_id:
        with message.letter.pdf.open("rb") as pdf:
            attachment = (f"{message.letter.template_code}.pdf", pdf.read(), "application/pdf")
    cc = message.addresses("cc")
    emails = []
    for index, to in enumerate(message.addresses("to") or [None]):
        headers = {"Message-ID": f"<{message.idempotency_key}.{index}@leerlingzorg>"}
        if index and cc:
            headers["Cc"] = ", ".join(cc)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to] if to else [],
            cc=cc if index == 0 else [],
            # A stable Message-ID lets a receiving server drop a duplicate of the same outbox row.
            headers=headers,
        )
        if attachment:
            email.attach(*attachment)
        emails.append(email)
    return emails


@periodic_job("outbox.retry")
def retry_due_messages() -> dict:
    """Re-enqueue failed messages after their back-off (up to MAX_ATTEMPTS) and lost queued ones.

    Each due row is claimed by moving next_attempt_at forward, so running this twice in a
    row enqueues once; and a duplicate enqueue would still send once (the task claims).
    """
    now = timezone.now()
    enqueued = 0
    with scopes_disabled():
        due = Message.objects.filter(
            status__in=[MessageStatus.QUEUED, MessageStatus.FAILED],
            attempts__lt=MAX_ATTEMPTS,
            next_attempt_at__lte=now,
        ).values_list("pk", "next_attempt_at")
        for pk, planned in list(due[:500]):
            with transaction.atomic():
                claimed = Message.objects.filter(pk=pk, next_attempt_at=planned).update(
                    next_attempt_at=now + LOST_ENQUEUE_AFTER
                )
                if claimed:
                    transaction.on_commit(lambda pk=pk: deliver_message.enqueue(pk))
                    enqueued += 1
        given_up = Message.objects.filter(status=MessageStatus.FAILED, attempts__gte=MAX_ATTEMPTS).count()
    return {"enqueued": enqueued, "given_up": given_up, "uncertain": flag_stuck_messages(now)}


def flag_stuck_messages(now: datetime.datetime) -> int:
    """Flag rows left in "sending" for a person: the e-mail may have gone out, so never resend
    them automatically, but never leave them silently stuck either. Run twice: flagged once."""
    cutoff = now - STUCK_SENDING_AFTER
    stuck = Q(sending_since__lte=cutoff) | Q(sending_since__isnull=True, created_at__lte=cutoff)
    flagged = 0
    with scopes_disabled():
        for message in Message.objects.filter(stuck, status=MessageStatus.SENDING)[:500]:
            with transaction.atomic():
                # Conditional: a worker that finishes meanwhile wins, and a second run finds nothing.
                claimed = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
                    status=MessageStatus.UNCERTAIN, last_error=UNCERTAIN_ERROR, next_attempt_at=None
                )
                if claimed:
                    audit(actor=None, action="dossier.message.uncertain", obj=message,
                          student=message.student_id,
                          data={"attempt": message.attempts,
                                "sending_since": str(message.sending_since or message.created_at)})  # fmt: skip
                    flagged += 1
    return flagged
