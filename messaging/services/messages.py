"""Letters and messages: compose a letter, send a message through the outbox, edit a school's template.

Recipient rules (to / cc / named; guardians, staff by role, inspectorate, leerplichtambtenaar)
are data: messaging/services/recipients.py. A school's own letter texts: letter_templates.py.

`send_letter(...)` is the one call a protocol service makes for a letter: compose from the
template, render the PDF, queue the e-mail with the PDF attached, one entry in the file.
"""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from dossier.models import EntryKind, Visibility
from dossier.services.record import record
from messaging.letters.registry import registered_letter
from messaging.letters.render import render_pdf, render_text, template_text
from messaging.models import Letter, Message, MessageStatus
from messaging.services import outbox
from messaging.services.letter_templates import preview_letter_pdf, update_letter_template
from messaging.services.recipients import (
    GUARDIANS_WITH_AUTHORITY,
    RecipientRule,
    Resolved,
    _dutch_date,
    _first_name_with_role,
    resolve_recipients,
)
from schools.actors import staff_member, user_of
from schools.models import Role, Student

__all__ = [
    "GUARDIANS_WITH_AUTHORITY",
    "RecipientRule",
    "Resolved",
    "base_context",
    "compose_letter",
    "preview_letter_pdf",
    "resolve_recipients",
    "retry_message",
    "send_letter",
    "send_message",
    "update_letter_template",
]


def base_context(*, student: Student, actor, named: dict[str, str] | None = None) -> dict:
    """Plain strings only: the sandbox never sees a model instance."""
    school = student.school
    author = staff_member(actor, school)
    guardians = resolve_recipients(student, GUARDIANS_WITH_AUTHORITY).to
    return {
        "student": {
            "full_name": student.full_name,
            "first_name": student.first_name,
            "student_number": student.student_number,
        },
        "school": {"name": school.name, "address": school.address},
        "today": _dutch_date(timezone.localdate()),
        "author": author.full_name if author else school.name,
        "director": _first_name_with_role(school.pk, Role.DIRECTOR),
        "care_coordinator": _first_name_with_role(school.pk, Role.CARE_COORDINATOR),
        "guardians": ", ".join(g["name"] for g in guardians),
        "named": named or {},
    }


def _plain(context: dict) -> dict:
    """The caller's values as JSON-safe strings (dates in Dutch), for the sandbox and the snapshot."""
    import datetime

    def convert(value):
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [convert(v) for v in value]
        if isinstance(value, datetime.datetime):
            return _dutch_date(timezone.localtime(value)) + timezone.localtime(value).strftime(" %H:%M")
        if isinstance(value, datetime.date):
            return _dutch_date(value)
        if value is None or isinstance(value, bool | int | float | str):
            return value
        return str(value)

    return convert(context)


def _source_fields(source) -> dict:
    if source is None:
        return {}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def _render_template(*, actor, student: Student, template_code: str, context: dict | None, named: dict):
    text = template_text(student.school, template_code)
    full_context = {**base_context(student=student, actor=actor, named=named), **_plain(context or {})}
    return text, full_context, render_text(text.subject, full_context), render_text(text.body, full_context)


def _make_letter(
    *,
    actor,
    student: Student,
    template_code: str,
    context: dict | None,
    rule: RecipientRule,
    source,
    important_for_non_custodial: bool = False,
    require_to: bool = False,
) -> tuple[Letter, Resolved]:
    """Render and store the PDF (no file entry, no audit): the shared core of the letter calls."""
    resolved = resolve_recipients(student, rule, important_for_non_custodial=important_for_non_custodial)
    if require_to and not resolved.to:  # refused before a PDF is written to storage
        raise ValidationError(_("Dit bericht heeft geen ontvanger met een e-mailadres."))
    text, full_context, subject, body = _render_template(
        actor=actor, student=student, template_code=template_code, context=context, named=resolved.named
    )
    body = _with_named(body, resolved.named)
    recipient_lines = [p["name"] for p in resolved.to] or [_("Aan de ouder(s)/verzorger(s) van %s") % student]
    pdf = render_pdf(
        school=student.school,
        subject=subject,
        body=body,
        recipient_lines=recipient_lines,
        date_text=full_context["today"],
    )
    letter = Letter(
        school=student.school,
        student=student,
        template_code=template_code,
        template_version=text.version,
        subject=subject,
        body=body,
        context=full_context,
        sha256=hashlib.sha256(pdf).hexdigest(),
        created_by=staff_member(actor, student.school),
        **_source_fields(source),
    )
    letter.pdf.save(f"{template_code}.pdf", ContentFile(pdf), save=False)
    letter.save()
    return letter, resolved


def _rule_of(template_code: str, rule: RecipientRule | None) -> RecipientRule:
    if rule is not None:
        return rule
    registered = registered_letter(template_code)
    return registered.recipients if registered is not None else GUARDIANS_WITH_AUTHORITY


def compose_letter(
    *,
    actor,
    student: Student,
    template_code: str,
    context: dict | None = None,
    rule: RecipientRule | None = None,
    source=None,
) -> Letter:
    """Render the school's letter `template_code` for `student` to a stored PDF, with a copy in the file.

    Prefer `send_letter(...)` for a letter that also goes out by e-mail (one call, one entry)."""
    with transaction.atomic():
        letter, _resolved = _make_letter(
            actor=actor, student=student, template_code=template_code, context=context,
            rule=_rule_of(template_code, rule), source=source,
        )  # fmt: skip
        record(
            student=student,
            kind=EntryKind.LETTER,
            title=letter.subject,
            body=letter.body,
            actor=actor,
            visibility=Visibility.TEAM,
            parent_visible=True,
            source=letter,
        )
        audit(actor=user_of(actor), action="dossier.letter.composed", obj=letter, student=student,
              data={"code": template_code, "version": letter.template_version, "sha256": letter.sha256})  # fmt: skip
    return letter


def _queue(
    *,
    actor,
    student: Student,
    subject: str,
    body: str,
    resolved: Resolved,
    letter: Letter | None,
    important_for_non_custodial: bool,
    idempotency_key: str | None,
    source,
) -> Message:
    """Create the outbox row, audit it and send it after commit (no file entry)."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Een bericht heeft een onderwerp en een tekst nodig."))
    if not resolved.to:
        raise ValidationError(_("Dit bericht heeft geen ontvanger met een e-mailadres."))
    message = Message.objects.create(
        school=student.school,
        student=student,
        subject=subject[:200],
        body=body,
        recipients=resolved.as_json(),
        important_for_non_custodial=important_for_non_custodial,
        letter=letter,
        created_by=staff_member(actor, student.school),
        next_attempt_at=timezone.now() + outbox.LOST_ENQUEUE_AFTER,
        **({"idempotency_key": idempotency_key} if idempotency_key else {}),
        **_source_fields(source),
    )
    audit(actor=user_of(actor), action="dossier.message.queued", obj=message, student=student,
          data={"to": message.addresses("to"), "cc": message.addresses("cc"),
                "withheld": len(resolved.withheld)})  # fmt: skip
    outbox.enqueue_on_commit(message)
    return message


def _to_guardians(resolved: Resolved) -> bool:
    return any(p["role"] == "guardian" for p in resolved.to + resolved.cc)


def send_message(
    *,
    actor,
    student: Student,
    subject: str = "",
    body: str = "",
    recipients: RecipientRule = GUARDIANS_WITH_AUTHORITY,
    letter: Letter | None = None,
    important_for_non_custodial: bool = False,
    template_code: str | None = None,
    context: dict | None = None,
    idempotency_key: str | None = None,
    source=None,
) -> Message:
    """Queue one e-mail; it is sent by a task after the transaction commits, never in the request.

    With `template_code` the subject and body come from the school's template. With the same
    `idempotency_key` a second call returns the first message instead of sending again.
    `source` is the case the message belongs to (SV-4: listed with the case).
    """
    if idempotency_key:
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    resolved = resolve_recipients(
        student, recipients, important_for_non_custodial=important_for_non_custodial
    )
    if template_code:
        _text, _context, subject, body = _render_template(
            actor=actor, student=student, template_code=template_code, context=context, named=resolved.named
        )
    body = _with_named(body, resolved.named)
    with transaction.atomic():
        message = _queue(
            actor=actor, student=student, subject=subject, body=body, resolved=resolved, letter=letter,
            important_for_non_custodial=important_for_non_custodial, idempotency_key=idempotency_key,
            source=source if source is not None else (letter.source if letter is not None else None),
        )  # fmt: skip
        # The copy in the file is made now, when queued, not only once sent.
        record(
            student=student,
            kind=EntryKind.MESSAGE,
            title=subject[:200],
            body=body,
            actor=actor,
            visibility=Visibility.TEAM,
            parent_visible=_to_guardians(resolved),
            source=message,
        )
    return message


def send_letter(
    *,
    actor,
    student: Student,
    template_code: str,
    source=None,
    context: dict | None = None,
    recipients: RecipientRule | None = None,
    important_for_non_custodial: bool = False,
    idempotency_key: str | None = None,
) -> Letter:
    """The one call for a protocol letter: compose it from the school's template, render the PDF,
    queue it by e-mail through the outbox (the PDF attached) and record ONE entry in the file.

    `recipients` is a recipient rule (to / cc / named; guardians, staff by role, inspectorate,
    attendance_officer …); without it the rule registered with the template applies. `source` is
    the case (SV-4): the letter and its message are listed with it. Returns the letter; its
    message is `letter.messages.get()`.
    """
    if idempotency_key:
        existing = Message.objects.filter(idempotency_key=idempotency_key).select_related("letter").first()
        if existing is not None and existing.letter is not None:
            return existing.letter
    rule = _rule_of(template_code, recipients)
    with transaction.atomic():
        letter, resolved = _make_letter(
            actor=actor, student=student, template_code=template_code, context=context, rule=rule,
            source=source, important_for_non_custodial=important_for_non_custodial, require_to=True,
        )  # fmt: skip
        message = _queue(
            actor=actor, student=student, subject=letter.subject, body=letter.body, resolved=resolved,
            letter=letter, important_for_non_custodial=important_for_non_custodial,
            idempotency_key=idempotency_key, source=source,
        )  # fmt: skip
        record(
            student=student,
            kind=EntryKind.LETTER,
            title=letter.subject,
            body=letter.body,
            actor=actor,
            visibility=Visibility.TEAM,
            parent_visible=_to_guardians(resolved),
            source=letter,
        )
        audit(actor=user_of(actor), action="dossier.letter.sent", obj=letter, student=student,
              data={"code": template_code, "version": letter.template_version, "sha256": letter.sha256,
                    "message": message.pk})  # fmt: skip
    return letter


def _with_named(body: str, named: dict[str, str]) -> str:
    """A named person (GP-4: "the director in cc and named") must appear in the text."""
    missing = [name for name in named.values() if name and name not in body]
    if not missing:
        return body
    return body.rstrip() + "\n\n" + _("Op de hoogte van dit bericht: %s.") % ", ".join(missing)


def retry_message(*, actor, message: Message, confirmed: bool = False) -> Message:
    """Put a failed message back in the queue (the "opnieuw proberen" button).

    A message whose delivery was interrupted (uncertain) may already have arrived: it is only
    queued again when the person confirms they checked that it did not.
    """
    retryable = [MessageStatus.FAILED, MessageStatus.UNCERTAIN] if confirmed else [MessageStatus.FAILED]
    with transaction.atomic():
        previous = (
            Message.objects.select_for_update()
            .filter(pk=message.pk, status__in=retryable)
            .values_list("attempts", flat=True)
            .first()
        )
        # A person's retry starts a new window of attempts: if this enqueue is lost, the periodic
        # job picks the message up again instead of skipping it for having reached MAX_ATTEMPTS.
        # The earlier count stays in the audit row.
        updated = Message.objects.filter(pk=message.pk, status__in=retryable).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now() + outbox.LOST_ENQUEUE_AFTER,
        )
        if not updated:
            if Message.objects.filter(pk=message.pk, status=MessageStatus.UNCERTAIN).exists():
                raise ValidationError(
                    _(
                        "Controleer eerst of dit bericht is aangekomen en bevestig dat het "
                        "opnieuw verstuurd moet worden."
                    )
                )
            raise ValidationError(_("Alleen een mislukt bericht kan opnieuw worden verstuurd."))
        audit(actor=user_of(actor), action="dossier.message.retried", obj=message, student=message.student,
              data={"previous_status": message.status, "previous_attempts": previous,
                    "confirmed": confirmed})  # fmt: skip
        outbox.enqueue_on_commit(message)
    message.refresh_from_db()
    return message
