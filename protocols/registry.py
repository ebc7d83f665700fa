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

    def display(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class ListSetting:
    """A list of short texts (categories, sanctions, stages, questions), one per line in the form.

    `minimum`/`maximum` bound the number of items; items are trimmed, empty lines dropped and
    duplicates (ignoring case) refused, so a school's list reads the way it was meant.
    """

    default: tuple[str, ...]
    label: Promise | str
    help_text: Promise | str
    rule: str
    minimum: int = 0
    maximum: int = 50
    max_length: int = 200
    bound_rule: str = ""
    unit: Promise | str = ""
    validators: tuple[Callable[[list[str]], None], ...] = field(default=())
    key: str = ""
    protocol: str = ""

    def clean(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, (list, tuple)):
            raise ValidationError(gettext("Zet elk item op een eigen regel."), code="invalid")
        items, seen = [], set()
        for raw in value:
            item = " ".join(str(raw).split())
            if not item:
                continue
            if len(item) > self.max_length:
                raise ValidationError(
                    gettext("Een regel is langer dan %(max)s tekens.") % {"max": self.max_length}, code="long"
                )
            if item.casefold() in seen:
                raise ValidationError(
                    gettext("“%(item)s” staat er twee keer in.") % {"item": item}, code="dup"
                )
            seen.add(item.casefold())
            items.append(item)
        if not self.minimum <= len(items) <= self.maximum:
            raise ValidationError(
                gettext("%(label)s heeft tussen %(min)s en %(max)s regels.")
                % {"label": str(self.label).capitalize(), "min": self.minimum, "max": self.maximum},
                code="bound",
            )
        for validator in self.validators:
            validator(items)
        return items

    def form_field(self) -> forms.Field:
        return _LinesField(
            label=self.label,
            help_text=str(self.help_text),
            required=self.minimum > 0,
            widget=forms.Textarea(attrs={"rows": min(max(len(self.default), 3), 10)}),
        )

    def display(self, value: Any) -> str:
        return "; ".join(value) if isinstance(value, (list, tuple)) else str(value)


class _LinesField(forms.CharField):
    """Shows a stored list one item per line; cleaning into a list is the declaration's job."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value


@dataclass(frozen=True)
class ChoiceSetting:
    """One of a fixed set of options (e.g. when a student's ladder starts again)."""

    default: str
    label: Promise | str
    help_text: Promise | str
    rule: str
    choices: tuple[tuple[str, Promise | str], ...]
    bound_rule: str = ""
    unit: Promise | str = ""
    validators: tuple[Callable[[str], None], ...] = field(default=())
    key: str = ""
    protocol: str = ""

    @property
    def minimum(self) -> str:
        return ""

    @property
    def maximum(self) -> str:
        return ""

    def clean(self, value: Any) -> str:
        if value not in dict(self.choices):
            raise ValidationError(gettext("Kies een van de mogelijkheden."), code="invalid")
        for validator in self.validators:
            validator(value)
        return value

    def form_field(self) -> forms.Field:
        return forms.ChoiceField(label=self.label, help_text=str(self.help_text), choices=self.choices)

    def display(self, value: Any) -> str:
        return str(dict(self.choices).get(value, value))


Setting = IntSetting | ListSetting | ChoiceSetting


_REGISTRY: dict[str, dict[str, Setting]] = {name: {} for name in PROTOCOLS}
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


def register_settings(protocol: str, settings: Mapping[str, Setting]) -> None:
    """Declare keys for a protocol (from AppConfig.ready()). A key is declared once."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"Onbekend protocol {protocol!r}.")
    declared = _REGISTRY[protocol]
    for key, setting in settings.items():
        if key in declared and declared[key] != _with_key(setting, protocol, key):
            raise ValueError(f"Instelling {protocol}.{key} is al anders gedeclareerd.")
        declared[key] = _with_key(setting, protocol, key)


def _with_key(setting: Setting, protocol: str, key: str) -> Setting:
    from dataclasses import replace

    return replace(setting, key=key, protocol=protocol)


def settings_for(protocol: str) -> dict[str, Setting]:
    """The declared keys of a protocol, in declaration order."""
    _refresh()
    return dict(_REGISTRY[protocol])


def setting(protocol: str, key: str) -> Setting:
    if key not in _REGISTRY[protocol]:
        _refresh()
    try:
        return _REGISTRY[protocol][key]
    except KeyError:
        raise LookupError(f"Instelling {protocol}.{key} is niet gedeclareerd.") from None


def seed_values(protocol: str) -> dict[str, Any]:
    _refresh()
    return {
        key: list(s.default) if isinstance(s, ListSetting) else s.default
        for key, s in _REGISTRY[protocol].items()
    }


def validate_values(protocol: str, values: Mapping[str, Any]) -> dict[str, Any]:
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
