"""Entry kinds of the file as a registry (ARCHITECTURE: registries, not fixed lists).

Every app registers the kinds of file entry it records from its `AppConfig.ready()`:

    from dossier.entry_kinds import register_entry_kind
    register_entry_kind("review_meeting", _("leerlingbespreking"), icon="👥",
                        detail_url="review_meeting_detail")

`detail_url` is a URL name (reversed with the entry's source id) or a callable `(entry) -> str`;
without one the timeline links the entry's source model where dossier knows its page.
`DossierEntry.kind` is a plain CharField validated against this registry: adding a kind needs no
migration of the dossier app. A test (`tests/dossier/test_entry_kinds.py`) fails when a kind in
use (in the database or in the source) has no label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_CODE_LENGTH = 20  # DossierEntry.kind max_length


@dataclass(frozen=True)
class EntryKindSpec:
    code: str
    label: Promise | str  # Dutch, lazy
    icon: str = ""  # a short symbol shown before the label (decorative, aria-hidden)
    detail_url: str | Callable | None = None  # URL name (arg: source id) or callable(entry) -> str
    retention_years: int | None = None  # AVG-3 default when the school sets none (None: care file, 2)

    def url_for(self, entry) -> str:
        if self.detail_url is None:
            return ""
        if callable(self.detail_url):
            return self.detail_url(entry) or ""
        return reverse(self.detail_url, args=[entry.source_id]) if entry.source_id else ""


_KINDS: dict[str, EntryKindSpec] = {}


def register_entry_kind(
    code: str,
    label: Promise | str,
    *,
    icon: str = "",
    detail_url: str | Callable | None = None,
    retention_years: int | None = None,
) -> EntryKindSpec:
    """Add a kind; registering the same code again with another label is a programming error."""
    if not code or len(code) > MAX_CODE_LENGTH:
        raise ValueError(f"Soortcode {code!r} moet 1 tot {MAX_CODE_LENGTH} tekens hebben.")
    spec = EntryKindSpec(code, label, icon, detail_url, retention_years)
    known = _KINDS.get(code)
    if known is not None and str(known.label) != str(label):
        raise ValueError(f"Soort {code!r} heeft al een ander label.")
    _KINDS[code] = spec
    return spec


def entry_kind(code: str) -> EntryKindSpec | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    """The label in the active language; an unknown code shows as "onbekende soort (code)"."""
    spec = _KINDS.get(code)
    if spec is None:
        return str(_("onbekende soort (%(code)s)") % {"code": code})
    return str(spec.label)


def entry_kind_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered kind, in registration order (dossier's own first)."""
    return [(spec.code, spec.label) for spec in _KINDS.values()]


def registered_kinds() -> frozenset[str]:
    return frozenset(_KINDS)


def validate_entry_kind(value: str) -> None:
    """The model field's validator: a kind must be registered."""
    if value not in _KINDS:
        raise ValidationError(
            _("Onbekende soort dossierregel: %(code)s."), code="unknown_kind", params={"code": value}
        )


# The dossier's own kinds (models.EntryKind) with their icons; registered by DossierConfig.ready().
# Their detail pages follow from the entry's source model (selectors.DETAIL_URLS).
DOSSIER_ICONS = {
    "log_entry": "✎",
    "signal": "⚑",
    "incident": "⚠",
    "measure": "⚖",
    "talk": "💬",
    "agreement": "🤝",
    "evaluation": "↻",
    "letter": "✉",
    "message": "✉",
    "signature": "✍",
    "document": "📄",
    "referral": "➜",
    "access_request": "🔍",
    "parent_statement": "🗨",
    "student_statement": "🗨",
    "enrolment": "🏫",
    "attendance": "🕒",
}


def register_dossier_kinds() -> None:
    from dossier.models import EntryKind
    from dossier.models.retention import DEFAULT_YEARS

    for kind in EntryKind:
        register_entry_kind(
            kind.value, kind.label, icon=DOSSIER_ICONS.get(kind.value, ""),
            retention_years=DEFAULT_YEARS.get(kind.value),
        )  # fmt: skip
