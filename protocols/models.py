"""A school's protocol configuration as versions (issue 9: protocols as configuration).

`ProtocolVersion` holds a school's validated values for one protocol. A change makes a new version
(never an edit); a case stores the version it started under (`ProtocolCase`) and reads every number
from it, so a change during a running case leaves the case on its version.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .registry import PROTOCOLS, seed_values, setting


class ProtocolVersion(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    protocol = models.CharField(_("protocol"), max_length=20, choices=list(PROTOCOLS.items()))
    number = models.PositiveIntegerField(_("versie"))  # 0: the seed, stored when a case first needs it
    values = models.JSONField(
        _("waarden"), default=dict
    )  # only keys that differ from or were set over the seed
    reason = models.TextField(_("reden"))
    changed_by = models.ForeignKey(
        "schools.StaffMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gemaakt op"))
    effective_from = models.DateTimeField(_("geldt vanaf"))

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("protocolversie")
        verbose_name_plural = _("protocolversies")
        ordering = ["school", "protocol", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "protocol", "number"], name="protocolversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} v{self.number}"

    def value(self, key: str) -> Any:
        """The value of a declared key in this version; the seed's default when the version has none."""
        declaration = setting(self.protocol, key)
        if key in self.values:
            return self.values[key]
        return list(declaration.default) if isinstance(declaration.default, tuple) else declaration.default

    def all_values(self) -> dict[str, Any]:
        return {
            **seed_values(self.protocol),
            **{k: v for k, v in self.values.items() if k in seed_values(self.protocol)},
        }


class ProtocolCase(models.Model):
    """A case (an incident ladder, a review meeting, a suspension) started under one protocol version.

    Set `protocol_version` with `protocols.services.start_case_version(school=…, protocol=…)` when the
    case is created, and read every number with `case.setting(key)`, never from a constant.
    """

    protocol_version = models.ForeignKey(
        ProtocolVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("protocolversie")
    )

    class Meta:
        abstract = True

    def setting(self, key: str) -> Any:
        return self.protocol_version.value(key)
