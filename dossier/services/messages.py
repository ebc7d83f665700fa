"""Letters and messages: compose a letter, send a message through the outbox, edit a school's template.

Recipient rules are data (ARCHITECTURE: protocols as configuration), e.g. GP-4 stage 3:
    {"to": ["guardians_with_authority"], "cc": ["teachers", "director", "care_coordinator"],
     "named": ["director"]}
Tokens: guardians_with_authority, guardians, guardian:<id>, student, mentor, teachers, director,
care_coordinator, behaviour_specialist, department_head, staff:<id> (alias teacher:<id>),
inspectorate and attendance_officer (the addresses in the school's settings; SV-2, SV-3),
email:<address> (any other outside body).
Each token may stand in "to", "cc" or "named" (named: the person is named in the text).

`send_letter(...)` is the one call a protocol service makes for a letter: compose from the
template, render the PDF, queue the e-mail with the PDF attached, one entry in the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from schools.actors import staff_member, user_of
from schools.cleaning import parse_id
from schools.models import GuardianRelation, Role, School, StaffMember, Student, TeachingAssignment
from schools.models.organisation import Group
from schools.selectors import current_group_facts

from ..audit import audit
from ..letters.registry import registered_letter
from ..letters.render import check_template_text, render_pdf, render_text, template_text
from ..models import EntryKind, Letter, LetterTemplate, Message, MessageStatus, Visibility
from . import outbox
from .record import record

RecipientRule = dict[str, list[str]]

GUARDIANS_WITH_AUTHORITY: RecipientRule = {"to": ["guardians_with_authority"]}

_ROLE_TOKENS = {
    "director": Role.DIRECTOR,
    "care_coordinator": Role.CARE_COORDINATOR,
    "behaviour_specialist": Role.BEHAVIOUR_SPECIALIST,
}


@dataclass
class Resolved:
    to: list[dict] = field(default_factory=list)
    cc: list[dict] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    # Guardians left out because they lack parental authority and the message is not marked for them.
    withheld: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"to": self.to, "cc": self.cc, "named": self.named, "withheld": self.withheld}


def resolve_recipients(
    student: Student, rule: RecipientRule, *, important_for_non_custodial: bool = False
) -> Resolved:
    """Turn a rule into addresses. A person appears once; "to" wins over "cc"."""
    resolved = Resolved()
    seen: set[str] = set()
    for kind in ("to", "cc"):
        for token in rule.get(kind, []):
            for person in _people(student, token, important_for_non_custodial, resolved.withheld):
                email = person["email"].lower()
                if email and email not in seen:
                    seen.add(email)
                    getattr(resolved, kind).append(person)
    for token in rule.get("named", []):
        if token in _OUTSIDE_BODIES:  # named in the text: the name is enough, no address needed
            names = [p["name"] for p in _outside_body(student, token, need_email=False)]
        else:
            names = [p["name"] for p in _people(student, token, True, [])]
        if names:
            resolved.named[token.split(":")[0]] = ", ".join(names)
    return resolved


def _person(name: str, email: str, role: str) -> dict:
    return {"name": name, "email": email, "role": role}


def _people(student: Student, token: str, important: bool, withheld: list[str]) -> list[dict]:
    kind, _sep, arg = token.partition(":")
    if kind in ("guardians_with_authority", "guardians", "guardian"):
        today = timezone.localdate()
        relations = GuardianRelation.objects.filter(student=student).select_related("guardian")
        if kind == "guardian":  # one guardian of this student, e.g. a signer
            relations = relations.filter(guardian_id=int(arg) if arg.isdigit() else None)
        people = []
        for rel in relations.order_by("guardian__last_name", "pk"):
            if rel.end is not None and rel.end < today:
                continue
            # AVG-1: a parent without parental authority has no right to the file, but may be
            # given important information — only what the school marks for them.
            if not rel.has_parental_authority and not important:
                if rel.guardian.full_name not in withheld:
                    withheld.append(rel.guardian.full_name)
                continue
            people.append(_person(rel.guardian.full_name, rel.guardian.email, "guardian"))
        return people
    if kind == "student":
        return [_person(student.full_name, student.email, "student")] if student.email else []
    staff = StaffMember.objects.filter(school_id=student.school_id, active=True)
    group_ids = [g for g, _d in current_group_facts(student)]
    if kind in _ROLE_TOKENS:
        staff = staff.filter(role_assignments__role=_ROLE_TOKENS[kind])
    elif kind == "department_head":
        departments = [d for _g, d in current_group_facts(student) if d]
        staff = staff.filter(
            role_assignments__role=Role.DEPARTMENT_HEAD, role_assignments__department_id__in=departments
        )
    elif kind == "mentor":
        staff = staff.filter(mentor_of__in=Group.objects.filter(pk__in=group_ids))
    elif kind == "teachers":
        staff = staff.filter(pk__in=TeachingAssignment.objects.filter(group_id__in=group_ids).values("staff"))
    elif kind in ("staff", "teacher") and parse_id(arg):
        staff = staff.filter(pk=parse_id(arg))
    elif kind == "email" and "@" in arg:
        return [_person(arg, arg, "external")]
    elif kind in _OUTSIDE_BODIES:
        return _outside_body(student, kind)
    else:
        raise ValidationError(_("Onbekende ontvangersregel: %(token)s") % {"token": token})
    staff = staff.exclude(email="")  # imported staff without an address (issue 8) cannot receive mail
    return [_person(s.full_name, s.email, kind) for s in staff.distinct().order_by("last_name", "pk")]


# Outside bodies whose addresses are school settings (schools.School), SV-2 / SV-3 / LAW-3.
_OUTSIDE_BODIES = ("inspectorate", "attendance_officer")


def _outside_body(student: Student, kind: str, *, need_email: bool = True) -> list[dict]:
    school = student.school
    if kind == "inspectorate":
        name, email = _("Inspectie van het Onderwijs"), school.inspectorate_email
    else:
        name = school.attendance_officer_name or _("Leerplichtambtenaar")
        email = school.attendance_officer_email
    if not email and need_email:
        raise ValidationError(
            _("Vul eerst het e-mailadres van de %(body)s in bij de schoolinstellingen.")
            % {"body": _("inspectie") if kind == "inspectorate" else _("leerplichtambtenaar")}
        )
    return [_person(name, email, kind)]


def _first_name_with_role(school_id: int, role: str) -> str:
    member = (
        StaffMember.objects.filter(school_id=school_id, active=True, role_assignments__role=role)
        .order_by("last_name", "pk")
        .first()
    )
    return member.full_name if member else ""


def _dutch_date(day) -> str:
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


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
) -> tuple[Letter, Resolved]:
    """Render and store the PDF (no file entry, no audit): the shared core of the letter calls."""
    resolved = resolve_recipients(student, rule, important_for_non_custodial=important_for_non_custodial)
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
            source=source, important_for_non_custodial=important_for_non_custodial,
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


def update_letter_template(
    *,
    actor,
    school: School,
    code: str,
    title: str,
    subject: str,
    body: str,
    expected_version: int,
    text_warnings: Sequence[str] = (),
) -> LetterTemplate:
    """Save the school's text of letter `code`; refuse when someone else saved in between.

    `text_warnings` (the text-check warnings shown while writing, LB-8/LB-9/AVG-4) go into the audit row."""
    template_text(school, code)  # unknown code → ValidationError
    for text in (subject, body):
        check_template_text(text)
    if not title.strip() or not subject.strip() or not body.strip():
        raise ValidationError(_("Naam, onderwerp en tekst zijn verplicht."))
    author = staff_member(actor, school)
    stale = ValidationError(
        _(
            "Iemand anders heeft deze brief intussen gewijzigd. "
            "Bekijk de nieuwe versie en probeer het opnieuw."
        ),
        code="stale",
    )
    fields = {"title": title.strip(), "subject": subject.strip(), "body": body.strip(), "updated_by": author}
    with transaction.atomic():
        if expected_version == 0:
            if LetterTemplate.objects.filter(school=school, code=code).exists():
                raise stale
            template = LetterTemplate.objects.create(school=school, code=code, version=1, **fields)
        else:
            # Optimistic concurrency: the conditional UPDATE only matches the version the editor saw.
            updated = LetterTemplate.objects.filter(
                school=school, code=code, version=expected_version
            ).update(version=F("version") + 1, updated_at=timezone.now(), **fields)
            if not updated:
                raise stale
            template = LetterTemplate.objects.get(school=school, code=code)
        audit(actor=user_of(actor), action="dossier.letter_template.updated", obj=template, school=school,
              data={"code": code, "version": template.version,
                    **({"text_warnings": sorted(set(text_warnings))} if text_warnings else {})})  # fmt: skip
    return template


def preview_letter_pdf(*, school: School, code: str) -> bytes:
    """The school's current text of `code` as PDF, filled with sample data (nothing is stored)."""
    text = template_text(school, code)
    default = registered_letter(code)
    context = {
        "student": {"full_name": "Voorbeeld Leerling", "first_name": "Voorbeeld", "student_number": "0000"},
        "school": {"name": school.name, "address": school.address},
        "today": _dutch_date(timezone.localdate()),
        "author": _("Naam medewerker"),
        "director": _first_name_with_role(school.pk, Role.DIRECTOR),
        "care_coordinator": _first_name_with_role(school.pk, Role.CARE_COORDINATOR),
        "guardians": _("Naam ouder/verzorger"),
        "named": {"director": _first_name_with_role(school.pk, Role.DIRECTOR)},
        **{name: f"[{name}]" for name in (default.variables if default else ())},
    }
    return render_pdf(
        school=school,
        subject=render_text(text.subject, context),
        body=render_text(text.body, context),
        recipient_lines=[_("Aan de ouder(s)/verzorger(s) van Voorbeeld Leerling")],
        date_text=context["today"],
    )
