"""The registry of protocol settings: every number a protocol reads, declared once per key.

Like pretix's `DEFAULTS` table, each key says its type, the seed's default, its validators, its form
field, a Dutch help text that cites the rule (English in the .po), and the legal bound it may never
cross. A school's `ProtocolVersion` holds only values that pass these validators; a key a version
does not hold reads as the seed's default.

A protocol app declares its own keys from `AppConfig.ready()`:

    register_settings("measures", {"suspension_max_school_days": IntSetting(default=5, ...)})

Legal bounds (PROTOCOLS.md, LAW and AVG) are `minimum`/`maximum` with `bound_rule`: no
configuration can cross them, whatever the school wants.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BEHAVIOUR, REVIEW, MEASURES, FILE = "behaviour", "review", "measures", "file"
PROTOCOLS: dict[str, Promise] = {
    BEHAVIOUR: _("Gedragsprotocol"),
    REVIEW: _("Leerlingbespreking"),
    MEASURES: _("Time-out, schorsing en verwijdering"),
    FILE: _("Leerlingdossier"),
}


@dataclass(frozen=True)
class IntSetting:
    """A whole number with a range; `bound_rule` names the rule when the range is the law's."""

    default: int
    label: Promise | str
    help_text: Promise | str
    rule: str
    minimum: int
    maximum: int
    bound_rule: str = ""  # e.g. "LAW-1, SV-2": the range is a legal bound no school may cross
    unit: Promise | str = ""
    validators: tuple[Callable[[int], None], ...] = field(default=())
    key: str = ""  # filled in by register_settings
    protocol: str = ""

    def bound_message(self) -> str:
        if self.minimum == self.maximum:
            text = gettext("%(label)s is altijd %(min)s.")
        else:
            text = gettext("%(label)s ligt tussen %(min)s en %(max)s.")
        text = text % {"label": str(self.label).capitalize(), "min": self.minimum, "max": self.maximum}
        if self.bound_rule:
            text = gettext("%(text)s Dat is een wettelijke grens (%(rule)s).") % {
                "text": text,
                "rule": self.bound_rule,
            }
        return text

    def clean(self, value: Any) -> int:
        """The value as stored, or a Dutch ValidationError naming the rule."""
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                raise ValidationError(gettext("Vul een heel getal in."), code="invalid") from None
        if not self.minimum <= value <= self.maximum:
            raise ValidationError(self.bound_message(), code="bound")
        for validator in self.validators:
            validator(value)
        return value

    def form_field(self) -> forms.Field:
        help_text = str(self.help_text)
        return forms.IntegerField(
            label=self.label,
            help_text=help_text,
            required=True,
            # The bound is checked in clean() with the rule's message; the browser gets the range too.
            widget=forms.NumberInput(attrs={"min": self.minimum, "max": self.maximum}),
        )


_REGISTRY: dict[str, dict[str, IntSetting]] = {name: {} for name in PROTOCOLS}
# Callables that declare keys which depend on other registries (e.g. a retention period per entry
# kind, and kinds are registered by apps): run again whenever a key is looked up or listed.
_PROVIDERS: list[Callable[[], None]] = []


def register_settings_provider(provider: Callable[[], None]) -> None:
    """`provider()` declares keys (only those not yet declared); it is run now and at each lookup."""
    _PROVIDERS.append(provider)
    provider()


def declared_keys(protocol: str) -> set[str]:
    """The keys declared so far (without running the providers)."""
    return set(_REGISTRY[protocol])


def _refresh() -> None:
    for provider in _PROVIDERS:
        provider()


def register_settings(protocol: str, settings: Mapping[str, IntSetting]) -> None:
    """Declare keys for a protocol (from AppConfig.ready()). A key is declared once."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"Onbekend protocol {protocol!r}.")
    declared = _REGISTRY[protocol]
    for key, setting in settings.items():
        if key in declared and declared[key] != _with_key(setting, protocol, key):
            raise ValueError(f"Instelling {protocol}.{key} is al anders gedeclareerd.")
        declared[key] = _with_key(setting, protocol, key)


def _with_key(setting: IntSetting, protocol: str, key: str) -> IntSetting:
    from dataclasses import replace

    return replace(setting, key=key, protocol=protocol)


def settings_for(protocol: str) -> dict[str, IntSetting]:
    """The declared keys of a protocol, in declaration order."""
    _refresh()
    return dict(_REGISTRY[protocol])


def setting(protocol: str, key: str) -> IntSetting:
    if key not in _REGISTRY[protocol]:
        _refresh()
    try:
        return _REGISTRY[protocol][key]
    except KeyError:
        raise LookupError(f"Instelling {protocol}.{key} is niet gedeclareerd.") from None


def seed_values(protocol: str) -> dict[str, int]:
    _refresh()
    return {key: s.default for key, s in _REGISTRY[protocol].items()}


def validate_values(protocol: str, values: Mapping[str, Any]) -> dict[str, int]:
    """Every value cleaned by its declaration; raises ValidationError({key: message}) on any failure."""
    cleaned, errors = {}, {}
    for key, raw in values.items():
        declaration = setting(protocol, key)
        try:
            cleaned[key] = declaration.clean(raw)
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned
