"""Labels for audit action codes (AVG-4): "Wie heeft dit dossier bekeken" never shows a raw code.

Every app registers the labels of the codes it writes from its `AppConfig.ready()`:

    from audit.labels import register_action_labels
    register_action_labels({"reviews.meeting.held": _("leerlingbespreking gehouden")})

Labels are Dutch, wrapped with gettext_lazy (English in locale/en). A test
(`tests/audit/test_audit_labels.py`) fails when a code used in the source has no label.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Promise | str] = {}


def register_action_labels(labels: Mapping[str, Promise | str]) -> None:
    """Add labels; registering the same code twice with another label is a programming error."""
    for code, label in labels.items():
        if code in _LABELS and str(_LABELS[code]) != str(label):
            raise ValueError(f"Auditcode {code!r} heeft al een ander label.")
        _LABELS[code] = label


def action_label(code: str) -> str:
    """The label in the active language; an unknown code is shown as "onbekende handeling (code)"."""
    label = _LABELS.get(code)
    if label is None:
        return str(_("onbekende handeling (%(code)s)") % {"code": code})
    return str(label)


def registered_codes() -> frozenset[str]:
    return frozenset(_LABELS)


DOSSIER_LABELS = {
    # reads and refused reads
    "dossier.viewed": _("tijdlijn bekeken"),
    "dossier.view_denied": _("geweigerde poging tot inzien"),
    "dossier.access_log.viewed": _("inzagelog bekeken"),
    "dossier.log_entry.viewed": _("logboeknotitie bekeken"),
    "dossier.document.viewed": _("document bekeken"),
    "dossier.document.view_denied": _("geweigerde poging om een document te bekijken"),
    "dossier.document.downloaded": _("document gedownload"),
    "dossier.letter.viewed": _("brief bekeken"),
    "dossier.letter.view_denied": _("geweigerde poging om een brief te bekijken"),
    "dossier.access_request.view_denied": _("geweigerde poging om een inzageverzoek te bekijken"),
    "dossier.access_request.downloaded": _("export inzageverzoek gedownload"),
    # writes
    "dossier.entry.recorded": _("regel vastgelegd"),
    "dossier.log_entry.written": _("logboeknotitie geschreven"),
    "dossier.log_entry.edited": _("logboeknotitie gewijzigd"),
    "dossier.log_entry.corrected": _("logboeknotitie gecorrigeerd"),
    "dossier.log_template.created": _("logboeksjabloon aangemaakt"),
    "dossier.log_template.updated": _("logboeksjabloon gewijzigd"),
    "dossier.log_template.deactivated": _("logboeksjabloon uit gebruik genomen"),
    "dossier.log_template.defaults_created": _("standaardsjablonen logboek aangemaakt"),
    "dossier.log_template.denied": _("geweigerde wijziging van een logboeksjabloon"),
    "dossier.document.uploaded": _("document toegevoegd"),
    "dossier.document.created": _("te ondertekenen document aangemaakt"),
    "dossier.document.revised": _("nieuwe versie van een document"),
    "dossier.document.signed": _("document ondertekend"),
    "dossier.letter.composed": _("brief opgesteld"),
    "dossier.letter.sent": _("brief opgesteld en per e-mail verstuurd"),
    "dossier.letter_template.updated": _("briefsjabloon gewijzigd"),
    "dossier.message.queued": _("bericht in de wachtrij gezet"),
    "dossier.message.sent": _("bericht verzonden"),
    "dossier.message.failed": _("verzenden van bericht mislukt"),
    "dossier.message.uncertain": _("onbekend of bericht is verzonden"),
    "dossier.message.retried": _("bericht opnieuw verzonden"),
    "dossier.message.retry_denied": _("geweigerde poging om een bericht opnieuw te verzenden"),
    "dossier.deadline.created": _("termijn aangemaakt"),
    "dossier.deadline.moved": _("termijn verplaatst"),
    "dossier.deadline.completed": _("termijn afgerond"),
    "dossier.deadline.withdrawn": _("termijn vervallen"),
    "dossier.deadline.paused": _("termijn gepauzeerd"),
    "dossier.deadline.resumed": _("termijn hervat"),
    "dossier.deadline_schedule.created": _("termijnschema aangemaakt"),
    "dossier.deadline_schedule.moved": _("termijnschema verplaatst"),
    "dossier.deadline_schedule.cancelled": _("termijnschema geannuleerd"),
    "dossier.deadline.complete_denied": _("geweigerde poging om een termijn af te ronden"),
    "dossier.calendar_feed.created": _("agendakoppeling aangemaakt"),
    "dossier.calendar_feed.revoked": _("agendakoppeling ingetrokken"),
    "dossier.access_request.received": _("inzageverzoek ontvangen"),
    "dossier.access_request.review_started": _("inzageverzoek in behandeling genomen"),
    "dossier.access_request.build_queued": _("export inzageverzoek aangevraagd"),
    "dossier.access_request.built": _("export inzageverzoek gemaakt"),
    "dossier.access_request.handed_over": _("inzageverzoek verstrekt"),
    "dossier.access_request.refused": _("inzageverzoek afgewezen"),
    "dossier.retention.purged": _("verlopen gegevens verwijderd"),
    "dossier.retention.period_set": _("bewaartermijn ingesteld"),
    "dossier.retention.hold_placed": _("bewaarstop geplaatst"),
    "dossier.retention.hold_lifted": _("bewaarstop opgeheven"),
    # the portal (guardians, students of 16+)
    "portal.login_link.sent": _("inloglink portaal verstuurd"),
    "portal.login_link.used": _("ingelogd met inloglink portaal"),
    "portal.password.set": _("wachtwoord portaal ingesteld"),
    "portal.totp.confirmed": _("tweede factor portaal ingesteld"),
    "portal.totp.failed": _("onjuiste code tweede factor portaal"),
    "portal.student.viewed": _("dossier bekeken in het portaal"),
    "portal.student.view_denied": _("geweigerde poging tot inzien in het portaal"),
    "portal.document.viewed": _("document bekeken in het portaal"),
    "portal.parent_statement.added": _("zienswijze ouders toegevoegd"),
    "portal.student_statement.added": _("zienswijze leerling toegevoegd"),
}
