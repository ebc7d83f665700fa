"""The file's own numbers as protocol settings: the retention period per kind (AVG-3).

Declared once here (registry: protocols/registry.py); `dossier.services.retention.retention_years`
reads them from the school's version in force.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dossier.models.retention import default_retention_years, retention_kinds
from protocols.registry import FILE, IntSetting, declared_keys, register_settings, register_settings_provider

# AVG-3: the law's defaults are 2, 5 and 3 years; a school may choose between 1 and 20 years, never
# keep data without an end nor delete it before the student's first year after leaving.
RETENTION_MIN_YEARS, RETENTION_MAX_YEARS = 1, 20


def retention_key(kind: str) -> str:
    return f"retention_{kind}"


def declare() -> None:
    """Declare the period of every retention kind, also kinds registered after this app is ready."""
    register_settings_provider(_declare_missing)


def _declare_missing() -> None:
    declared = declared_keys(FILE)
    missing = [(kind, label) for kind, label in retention_kinds() if retention_key(kind) not in declared]
    if not missing:
        return
    register_settings(
        FILE,
        {
            retention_key(kind): IntSetting(
                default=default_retention_years(kind),
                label=format_lazy(_("bewaartermijn {kind} (jaren)"), kind=label),
                help_text=_(
                    "Jaren na de uitschrijving; standaard 2 jaar voor het zorg- en gedragsdossier, 5 voor "
                    "aanwezigheid en in- en uitschrijving, 3 voor een verwijzing naar speciaal onderwijs (AVG-3)."
                ),
                rule="AVG-3",
                minimum=RETENTION_MIN_YEARS,
                maximum=RETENTION_MAX_YEARS,
                bound_rule="AVG-3",
                unit=_("jaren"),
            )
            for kind, label in missing
        },
    )
