"""The menus: each item names the permission its page checks, so a menu shows only what the role may open.

The views of these pages ask `request.user.has_perm(item.perm, request.school)` with the same
permission (or `staff_required`, which is `schools.use_app`), so a link that is shown opens and a
page that answers 404 is not offered. `tests/schools/test_menu.py` opens every shown link as every
persona.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    perm: str  # checked on the active school, as the page itself does

    def allowed(self, request: HttpRequest) -> bool:
        school = getattr(request, "school", None)
        return school is not None and request.user.has_perm(self.perm, school)


MAIN_MENU: tuple[MenuItem, ...] = (
    MenuItem("student_search", _("Leerlingen"), "schools.search_students"),
    MenuItem("group_list", _("Groepen"), "schools.use_app"),
    MenuItem("deadline_list", _("Termijnen"), "schools.use_app"),
    MenuItem("access_request_list", _("Inzage"), "dossier.manage_access_requests"),
    MenuItem("outbox", _("Berichten"), "dossier.view_outbox"),
)

# The "Beheer" page, by section (id, heading, items).
ADMIN_SECTIONS: tuple[tuple[str, str, tuple[MenuItem, ...]], ...] = (
    ("mensen", _("Mensen en gegevens"), (
        MenuItem("staff_list", _("Medewerkers en rollen"), "schools.manage_people"),
        MenuItem("import_start", _("Leerlingen, ouders en groepen importeren"), "schools.import_data"),
        MenuItem("api_keys", _("API-sleutels voor koppelingen"), "schools.manage_api_keys"),
    )),
    ("instellingen", _("Instellingen"), (
        MenuItem("school_settings", _("Schoolinstellingen"), "schools.manage_configuration"),
        MenuItem("school_calendar", _("Schoolkalender: vakanties en studiedagen"), "schools.manage_configuration"),
        MenuItem("protocol_list", _("Protocollen: termijnen en grenzen"), "protocols.manage_protocols"),
        MenuItem("retention_settings", _("Bewaartermijnen"), "dossier.manage_retention"),
        MenuItem("log_template_list", _("Logboeksjablonen"), "dossier.manage_log_templates"),
    )),
    ("zorg", _("Zorg en communicatie"), (
        MenuItem("letter_template_list", _("Briefsjablonen"), "dossier.manage_letter_templates"),
        MenuItem("outbox", _("Verzonden berichten"), "dossier.view_outbox"),
        MenuItem("access_request_list", _("Inzageverzoeken"), "dossier.manage_access_requests"),
        MenuItem("legal_hold_list", _("Actieve bewaarstops"), "dossier.view_legal_holds"),
        MenuItem("deadline_overdue", _("Verlopen termijnen"), "dossier.view_overdue_deadlines"),
    )),
)  # fmt: skip

# Always on the "Beheer" page, but not a reason on its own to offer it.
PERSONAL: tuple[MenuItem, ...] = (
    MenuItem("calendar_feed_settings", _("Agenda-koppeling (iCalendar)"), "dossier.use_calendar_feed"),
    MenuItem("account_security", _("Tweestapsverificatie"), "schools.use_app"),
)


def _links(request: HttpRequest, items) -> list[dict]:
    return [{"url": reverse(item.url_name), "label": item.label} for item in items if item.allowed(request)]


def admin_sections(request: HttpRequest) -> list[dict]:
    """The sections of the "Beheer" page this user may open (without the personal one)."""
    sections = []
    for key, title, items in ADMIN_SECTIONS:
        links = _links(request, items)
        if links:
            sections.append({"id": key, "title": title, "links": links})
    return sections


def may_open_admin(request: HttpRequest) -> bool:
    return any(item.allowed(request) for _key, _title, items in ADMIN_SECTIONS for item in items)


def main_menu(request: HttpRequest) -> list[dict]:
    """The main menu's links after "Mijn acties"; "Beheer" when any of its pages may be opened."""
    links = _links(request, MAIN_MENU)
    if may_open_admin(request):
        links.append({"url": reverse("school_admin"), "label": _("Beheer")})
    return links


def personal_links(request: HttpRequest) -> list[dict]:
    return _links(request, PERSONAL)
