"""A school's own text of a letter: edit it (stale-edit check) and preview it as PDF."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit
from messaging.letters.registry import registered_letter
from messaging.letters.render import check_template_text, render_pdf, render_text, template_text
from messaging.models import LetterTemplate
from messaging.services.recipients import _dutch_date, _first_name_with_role
from schools.actors import staff_member, user_of
from schools.models import Role, School


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
