"""Home-page section for the director: "Rollen toegekend", every grant and revocation of a role (AVG-4).

Read from the audit rows the people service writes (schools.services.people), so the list shows
exactly what the audit log holds, and a grant by the functional admin, the board or the director
themself cannot pass unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from .models import Role
from .services.people import ROLE_GRANTED, ROLE_REVOKED

ROLE_CHANGES_LIMIT = 10


# "Mijn acties" on the home page as a registry (ARCHITECTURE: registries, not fixed lists). An app
# registers its providers from AppConfig.ready():
#
#     from schools.home import register_home_provider
#     register_home_provider(my_reviews, order=30)
#
# A provider takes the request and returns a section {"title", "items": [{"label", "url", "due"?,
# "overdue"?}], "empty", "more_url"?} or None when the section is not for this user. It checks
# permission itself (`request.user.has_perm`) and reads only the active school (`request.access`).
# Sections show in ascending `order`, then in registration order.


@dataclass(frozen=True)
class HomeProvider:
    func: Callable
    order: int


_PROVIDERS: list[HomeProvider] = []


def register_home_provider(func: Callable, *, order: int = 100) -> Callable:
    if all(provider.func is not func for provider in _PROVIDERS):
        _PROVIDERS.append(HomeProvider(func, order))
    return func


def home_providers() -> list[Callable]:
    return [provider.func for provider in sorted(_PROVIDERS, key=lambda p: p.order)]


def _shown(value) -> str:
    """A value as `{{ value }}` shows it (localised, escaped)."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def items_html(items: list[dict]) -> str:
    """The <li>s of a section, the same HTML as the template loop they replace (issue #13: ~50 items on
    the care coordinator's home cost more as template nodes than the page's own reads):
    <li><a href="{{ item.url }}">{{ item.label }}</a>{% if item.due %} <span class="badge">{{ item.due|date:"j F" }}
    </span>{% endif %}{% if item.overdue %} <strong class="overdue">{% translate "verlopen" %}</strong>{% endif %}</li>"""
    overdue = None
    parts = []
    for item in items:
        parts.append(f'<li><a href="{_shown(item.get("url", ""))}">{_shown(item.get("label", ""))}</a>')
        if item.get("due"):
            parts.append(
                f' <span class="badge">{_shown(date_filter(template_localtime(item["due"]), "j F"))}</span>'
            )
        if item.get("overdue"):
            if overdue is None:
                overdue = conditional_escape(_("verlopen"))
            parts.append(f' <strong class="overdue">{overdue}</strong>')
        parts.append("</li>")
    return mark_safe("".join(parts))  # every value escaped above


def role_changes(request) -> dict | None:
    from audit.models import AuditEvent

    access = getattr(request, "access", None)
    if (
        access is None
        or access.school is None
        or not request.user.has_perm("schools.view_role_changes", access.school)
    ):
        return None
    events = list(
        AuditEvent.objects.filter(
            school_id=access.school.pk, action__in=[ROLE_GRANTED, ROLE_REVOKED]
        ).order_by("-at", "-pk")[:ROLE_CHANGES_LIMIT]
    )
    items = []
    for event in events:
        data = event.data or {}
        role = data.get("role", "")
        role_label = str(Role(role).label) if role in Role.values else role
        template = (
            _("%(staff)s: %(role)s toegekend door %(actor)s")
            if event.action == ROLE_GRANTED
            else _("%(staff)s: %(role)s ingetrokken door %(actor)s")
        )
        items.append(
            {
                "label": template
                % {"staff": data.get("staff", ""), "role": role_label, "actor": event.actor_label},
                "url": reverse("staff_roles", args=[event.object_id]) if event.object_id.isdigit() else "",
                "due": timezone.localtime(event.at).date(),
                "overdue": False,
            }
        )
    return {
        "title": _("Rollen toegekend"),
        "items": items,
        "empty": _("Er zijn nog geen rollen toegekend of ingetrokken."),
        "more_url": reverse("staff_list"),
    }
