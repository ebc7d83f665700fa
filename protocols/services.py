"""Reading and changing a school's protocol versions (issue 9: protocols as configuration).

`current_version(school, protocol, at=None)` is the version in force (the seed when the school has
none); `change_protocol(...)` makes a new version after validating every value against its
declaration (legal bounds included), with a required reason and a stale-edit check.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import sql_shapes
from schools.actors import staff_member, user_of
from schools.models import School

from .models import ProtocolVersion
from .registry import PROTOCOLS, seed_values, validate_values

SEED_NUMBER = 0
SEED_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _seed(school: School, protocol: str) -> ProtocolVersion:
    return ProtocolVersion(
        school=school,
        protocol=protocol,
        number=SEED_NUMBER,
        values={},
        reason=_("Standaardwaarden van het protocol"),
        created_at=SEED_DATE,
        effective_from=SEED_DATE,
    )


def current_version(school: School, protocol: str, at: datetime.datetime | None = None) -> ProtocolVersion:
    """The version in force at `at` (now): the newest that has taken effect; the seed (unsaved) if none."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"Onbekend protocol {protocol!r}.")
    values = {"school": getattr(school, "pk", school), "protocol": protocol, "at": at or timezone.now()}
    # Read on most pages and every registration: its SQL compiled once per process (issue #13).
    version = next(iter(sql_shapes.queryset(("protocols.current_version",), values, _in_force)), None)
    return version or _seed(school, protocol)


def _in_force(p):
    return ProtocolVersion.objects.filter(
        school_id=p.school, protocol=p.protocol, effective_from__lte=p.at
    ).order_by("-effective_from", "-number")[:1]


def latest_version(school: School, protocol: str) -> ProtocolVersion:
    """The newest version made (it may take effect later); an edit is based on it."""
    version = ProtocolVersion.objects.filter(school=school, protocol=protocol).order_by("-number").first()
    return version or _seed(school, protocol)


def previous_version(version: ProtocolVersion) -> ProtocolVersion | None:
    if version.number <= SEED_NUMBER:
        return None
    earlier = (
        ProtocolVersion.objects.filter(
            school=version.school, protocol=version.protocol, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    return earlier or _seed(version.school, version.protocol)


def start_case_version(
    *,
    school: School,
    protocol: str,
    at: datetime.datetime | None = None,
    current: ProtocolVersion | None = None,
) -> ProtocolVersion:
    """The stored version a new case starts under (the seed is stored as version 0 when needed).
    `current`: the version in force as the caller read it in this request (not read again, issue #13)."""
    if current is not None and (current.school_id != school.pk or current.protocol != protocol):
        current = None
    version = current if current is not None else current_version(school, protocol, at)
    if version.pk is None:
        version, _created = ProtocolVersion.objects.get_or_create(
            school=school,
            protocol=protocol,
            number=SEED_NUMBER,
            defaults={
                "values": {},
                "reason": version.reason,
                "created_at": timezone.now(),
                "effective_from": version.effective_from,
            },
        )
    return version


def differences(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """{key: (old, new)} for every key whose value differs."""
    return {key: (old.get(key), new[key]) for key in new if old.get(key) != new[key]}


def change_protocol(
    *,
    actor,
    school: School,
    protocol: str,
    values: dict[str, Any],
    reason: str,
    based_on: int,
    effective_from: datetime.datetime | None = None,
) -> ProtocolVersion:
    """A new version with `values` over the latest; refused when the latest is not `based_on` (stale edit).

    Raises ValidationError: a value outside its declaration (a legal bound names its rule), no
    reason, nothing changed, or a stale edit (someone else saved a version in between).
    """
    from audit.audit import audit

    cleaned = validate_values(protocol, values)  # LAW-1, LAW-4, SV-1, SV-2, AVG-3 bounds
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de wijziging.")})
    now = timezone.now()
    effective_from = effective_from or now
    if effective_from < now - datetime.timedelta(minutes=1):
        raise ValidationError(
            {"effective_from": _("Een nieuwe versie kan niet met terugwerkende kracht gelden.")}
        )
    try:
        with transaction.atomic():
            School.objects.select_for_update().filter(pk=school.pk).first()  # one change at a time
            latest = latest_version(school, protocol)
            if latest.number != based_on:
                raise ValidationError(
                    _(
                        "Iemand anders heeft dit protocol intussen gewijzigd (nu versie %(number)s). "
                        "Je wijzigingen zijn niet opgeslagen; bekijk de nieuwe waarden en sla opnieuw op."
                    )
                    % {"number": latest.number},
                    code="stale",
                )
            before = latest.all_values()
            after = {**before, **cleaned}
            changed = differences(before, after)
            if not changed:
                raise ValidationError(_("Er is niets gewijzigd."), code="unchanged")
            seed = seed_values(protocol)
            version = ProtocolVersion.objects.create(
                school=school,
                protocol=protocol,
                number=latest.number + 1,
                values={key: value for key, value in after.items() if key in seed},
                reason=reason,
                changed_by=staff_member(actor, school),
                created_at=now,
                effective_from=effective_from,
            )
            audit(
                actor=user_of(actor),
                action="protocols.version.created",
                obj=version,
                school=school,
                data={
                    "protocol": protocol,
                    "number": version.number,
                    "changed": {key: [old, new] for key, (old, new) in changed.items()},
                },
            )
    except IntegrityError:  # a concurrent change took the number first
        raise ValidationError(
            _(
                "Iemand anders heeft dit protocol intussen gewijzigd. Bekijk de nieuwe waarden en sla opnieuw op."
            ),
            code="stale",
        ) from None
    return version


def protocol_value(school: School, protocol: str, key: str, at: datetime.datetime | None = None) -> Any:
    """One number of the version in force, for readers that are not a case (e.g. the purge)."""
    return current_version(school, protocol, at).value(key)
