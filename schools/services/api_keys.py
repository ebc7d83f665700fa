"""Creating and revoking a school's API keys. The secret is returned once and never stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.audit import audit

from ..models import ApiKey, School
from ..models.staff import ApiScope


def create_api_key(*, actor, school: School, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key for `school` with these scopes; returns (key, token). Only the token's hash is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Geef de sleutel een naam."))
    unknown = set(scopes) - set(ApiScope.values)
    if unknown or not scopes:
        raise ValidationError(_("Kies een of meer geldige rechten."))
    prefix, token = ApiKey.generate()
    with transaction.atomic():
        key = ApiKey.objects.create(
            school=school,
            name=name,
            prefix=prefix,
            secret_hash=ApiKey.hash_secret(token),
            scopes=sorted(set(scopes)),
        )
        audit(
            actor=actor,
            action="schools.api_key.created",
            obj=key,
            school=school,
            data={"prefix": prefix, "name": name, "scopes": key.scopes},
        )
    return key, token


def revoke_api_key(*, actor, key: ApiKey) -> ApiKey:
    """Stop a key from working. Revoking twice changes nothing the second time."""
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            return key
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit(
            actor=actor,
            action="schools.api_key.revoked",
            obj=key,
            school=key.school_id,
            data={"prefix": key.prefix, "name": key.name},
        )
    return key
