"""Log templates: a school's skeletons for notes. Never deleted, only taken out of use,
because existing log entries may point at them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.audit import audit
from dossier.models import LogTemplate
from schools.models import School

STALE_EDIT_MESSAGE = gettext_lazy(
    "Dit sjabloon is intussen door iemand anders gewijzigd. Je tekst staat hieronder nog; "
    "vergelijk hem met de huidige versie en sla opnieuw op."
)

DEFAULT_LOG_TEMPLATES = [
    (
        "Gesprek met leerling",
        "Aanleiding:\nWat de leerling vertelt:\nAfspraken:\nVervolg (wie, wanneer):",
    ),
    (
        "Contact met ouders",
        "Met wie (naam, relatie):\nHoe (telefoon, gesprek, e-mail):\nBesproken:\nAfspraken:\n"
        "Vervolg (wie, wanneer):",
    ),
    (
        "Signaal",
        "Wat is gezien of gehoord (feiten):\nWanneer en waar:\nDoor wie gemeld:\nWie is geïnformeerd:",
    ),
    (
        "Observatie in de les",
        "Vak en moment:\nWat de leerling deed (feiten):\nWat goed ging:\nWat opviel:",
    ),
]


def _check(actor, school: School) -> None:
    if not actor.has_perm("dossier.manage_log_templates", school):
        raise PermissionDenied


def _clean(name: str, body: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef het sjabloon een naam.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Een naam is hoogstens 100 tekens.")})
    return name, (body or "").strip()


def _name_taken(school: School, name: str, *, exclude: int | None = None) -> bool:
    others = LogTemplate.objects.filter(school=school, name__iexact=name)
    return others.exclude(pk=exclude).exists() if exclude else others.exists()


NAME_TAKEN = "Er is al een sjabloon met deze naam (misschien niet meer in gebruik)."


def create_log_template(*, actor, school: School, name: str, body: str) -> LogTemplate:
    _check(actor, school)
    name, body = _clean(name, body)
    with transaction.atomic():
        if _name_taken(school, name):
            raise ValidationError({"name": _(NAME_TAKEN)})
        template = LogTemplate.objects.create(school=school, name=name, body=body)
        audit(actor=actor, action="dossier.log_template.created", obj=template, school=school)
    return template


def update_log_template(
    *, actor, template: LogTemplate, expected_version: int, name: str, body: str
) -> LogTemplate:
    """Change name and skeleton, only from the version the editor started from."""
    _check(actor, template.school)
    name, body = _clean(name, body)
    with transaction.atomic():
        current = LogTemplate.objects.select_for_update().get(pk=template.pk)
        if current.version != expected_version:
            # Never a silent overwrite of a colleague's change.
            raise ValidationError(STALE_EDIT_MESSAGE, code="stale")
        if _name_taken(current.school, name, exclude=current.pk):
            raise ValidationError({"name": _(NAME_TAKEN)})
        before = {"version": current.version, "name": current.name}
        current.name, current.body = name, body
        current.version += 1
        current.save(update_fields=["name", "body", "version"])
        audit(
            actor=actor,
            action="dossier.log_template.updated",
            obj=current,
            school=current.school,
            data={"from": before, "version": current.version},
        )
    return current


def deactivate_log_template(*, actor, template: LogTemplate) -> LogTemplate:
    """Take a template out of use: no longer offered for new notes; old notes keep their link."""
    _check(actor, template.school)
    with transaction.atomic():
        current = LogTemplate.objects.select_for_update().get(pk=template.pk)
        if not current.active:
            return current
        current.active = False
        current.version += 1
        current.save(update_fields=["active", "version"])
        audit(actor=actor, action="dossier.log_template.deactivated", obj=current, school=current.school)
    return current


def ensure_default_log_templates(school: School) -> int:
    """Give a school without any templates the default set. Returns how many were created.

    Only a school that never had templates gets them: a school that renamed or took
    the defaults out of use does not see them come back.
    """
    if LogTemplate.objects.filter(school=school).exists():
        return 0
    created = 0
    for name, body in DEFAULT_LOG_TEMPLATES:
        try:
            with transaction.atomic():
                _template, made = LogTemplate.objects.get_or_create(
                    school=school, name=name, defaults={"body": body}
                )
        except IntegrityError:  # a concurrent first visit created it
            made = False
        created += int(made)
    if created:
        audit(
            actor=None, action="dossier.log_template.defaults_created", school=school, data={"count": created}
        )
    return created
