"""School configuration by the functional administrator, safe against concurrent edits."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from audit.audit import audit

from ..models import Phase, School, SchoolKind, User

# The length of a dagdeel is a protocol number now (protocols: the file protocol, one declared range).
EDITABLE = (
    "require_totp", "max_upload_mb", "phase_mapping", "letterhead", "address",
    "inspectorate_email", "attendance_officer_name", "attendance_officer_email",
)  # fmt: skip


def settings_fingerprint(school: School) -> str:
    """A short hash of the editable settings; a form carries it to detect a concurrent change."""
    values = {name: getattr(school, name) for name in EDITABLE}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


def validate_phase_mapping(mapping: dict[str, list[int]]) -> None:
    """Every groep 1–8 belongs to exactly one phase (glossary: Phase, configurable per school)."""
    seen: list[int] = []
    for phase, years in mapping.items():
        if phase not in Phase.values:
            raise ValidationError({"phase_mapping": _("Onbekende bouw: %(phase)s.") % {"phase": phase}})
        seen.extend(years)
    if sorted(seen) != list(range(1, 9)):
        raise ValidationError(
            {
                "phase_mapping": _(
                    "Elke groep 1 tot en met 8 hoort bij precies één bouw (onder-, midden- of bovenbouw)."
                )
            }
        )


def update_school_settings(*, actor: User, school: School, fingerprint: str, **values) -> School:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    for name in ("inspectorate_email", "attendance_officer_email"):
        if values.get(name):
            try:
                validate_email(values[name])
            except ValidationError as error:
                raise ValidationError({name: _("Vul een geldig e-mailadres in.")}) from error
    if school.kind == SchoolKind.PO and "phase_mapping" in values:
        validate_phase_mapping(values["phase_mapping"])
    with transaction.atomic():
        current = School.objects.select_for_update().get(pk=school.pk)
        if settings_fingerprint(current) != fingerprint:
            raise ValidationError(
                _(
                    "Iemand anders heeft de instellingen intussen gewijzigd. "
                    "Bekijk de nieuwe waarden en sla opnieuw op."
                )
            )
        before = {name: getattr(current, name) for name in values}
        for name, value in values.items():
            setattr(current, name, value)
        current.save(update_fields=list(values))
        changed = sorted(name for name in values if before[name] != values[name])
        audit(actor=actor, action="schools.settings.changed", obj=current, data={"fields": changed})
    return current
