"""Issue #13: the care coordinator's home works out its meeting URLs and state labels once, reads only
the first 20 meetings of the round's progress and renders the sections' items in Python; every
persona's home page is the same HTML as with the plain path (`reverse` per meeting,
`get_state_display`, all meetings read and cut in Python, the items as the template loop they were)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from reviews import home_cycle, home_meeting
from reviews.home_probe import pk_url
from reviews.models import MeetingState, ReviewMeeting
from reviews.selectors import round_progress_per_group
from schools import home, sql_shapes
from schools.home import items_html
from tests.persona_fixtures import _media_root, _module_media, matrix_world, request  # noqa: F401
from tests.persona_world import STAFF_PERSONAS

pytestmark = pytest.mark.django_db

# Per response: the CSRF token (masked anew) and the CSP nonce.
VOLATILE = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]*|(csrf-token" content=")[^"]*|("X-CSRFToken": ")[^"]*|( nonce=")[^"]*'
)


def _html(mw, persona: str) -> str:
    response = request(mw, persona, "GET", "/")
    assert response.status_code == 200, persona
    return VOLATILE.sub(lambda m: next(g for g in m.groups() if g), response.content.decode())


LOOP = (
    '{% load i18n %}{% for item in section.items %}<li><a href="{{ item.url }}">{{ item.label }}</a>{% if item.due %} '
    '<span class="badge">{{ item.due|date:"j F" }}</span>{% endif %}{% if item.overdue %} <strong class="overdue">'
    '{% translate "verlopen" %}</strong>{% endif %}</li>{% endfor %}'
)


def _loop(items) -> str:
    """The items as home.html's template loop rendered them before issue #13."""
    return engines["django"].from_string(LOOP).render({"section": {"items": items}})


def _plain(monkeypatch) -> None:
    """The path before issue #13: reverse per row, the model's display, every meeting read, the loop."""
    monkeypatch.setattr(home, "items_html", _loop)
    monkeypatch.setattr(home_meeting, "pk_url", lambda name: lambda pk: reverse(name, args=[pk]))
    monkeypatch.setattr(home_cycle, "pk_url", lambda name: lambda pk: reverse(name, args=[pk]))
    monkeypatch.setattr(home_cycle, "upcoming_progress", _plain_upcoming)


def _plain_upcoming(access) -> list[dict]:
    """home_cycle.upcoming_progress before issue #13: the queryset with now, every meeting read, cut."""
    meetings = ReviewMeeting.objects.filter(state=MeetingState.PLANNED, starts_at__gte=timezone.now())
    if not access.is_care_coordinator:
        meetings = meetings.filter(group__department_id__in=access.head_of_department_ids)
    return round_progress_per_group(meetings.order_by("starts_at", "pk"))[: home_cycle.UPCOMING_LIMIT]


HOME_SHAPES = ("reviews.", "behaviour.home", "signatures.home")


def _home_uncacheable() -> list:
    return [key for key in sql_shapes.UNCACHEABLE if str(key[2][0]).startswith(HOME_SHAPES)]


@pytest.mark.parametrize("shapes", [True, False], ids=["sql_shapes", "no_sql_shapes"])
@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_each_personas_home_is_the_same_html_as_with_the_plain_path(mw, persona, shapes, monkeypatch):
    """Issue #13: with the home's SQL compiled once per shape (schools.sql_shapes) or built per call."""
    monkeypatch.setattr(sql_shapes, "ENABLED", shapes)
    fast = _html(mw, persona)
    again = _html(mw, persona)  # the second request binds into the kept shapes
    assert again == fast
    assert _home_uncacheable() == []
    _plain(monkeypatch)
    monkeypatch.setattr(sql_shapes, "ENABLED", False)
    assert _html(mw, persona) == fast


def test_the_home_shapes_are_kept_and_bound_for_each_persona(mw):
    sql_shapes.clear()
    for persona in STAFF_PERSONAS:
        _html(mw, persona)
    before = dict(sql_shapes.stats)
    for persona in STAFF_PERSONAS:
        _html(mw, persona)
    assert sql_shapes.stats["hits"] > before["hits"]
    assert _home_uncacheable() == []


def test_the_care_coordinators_home_lists_the_rounds_meetings_with_state_and_link(mw):
    html = _html(mw, "care_coordinator")
    meetings = ReviewMeeting.objects.filter(school=mw.world.school).order_by("starts_at", "pk")[:50]
    assert meetings
    for meeting in meetings:
        assert f'href="{reverse("review_meeting_mode", args=[meeting.pk])}"' in html
        assert f": {meeting.get_state_display()}</a>" in html


def test_pk_url_is_reverse_for_every_pk():
    for name in ("review_meeting_mode", "reviews_meeting_cycle", "behaviour_student"):
        url = pk_url(name)
        for pk in (1, 7, 98, 987654321, 10**12):
            assert url(pk) == reverse(name, args=[pk])


def test_the_state_labels_are_the_models_display():
    for value, _label in MeetingState.choices:
        labels = {v: str(label) for v, label in MeetingState.choices}
        assert labels[value] == ReviewMeeting(state=value).get_state_display()


def test_the_items_are_the_html_of_the_template_loop():
    now = timezone.now()
    items = [
        {
            "label": "Plan <b>& co</b>",
            "url": "/a/?x=1&y=2",
            "due": datetime.date(2026, 3, 1),
            "overdue": True,
        },
        {"label": gettext_lazy("Geen besprekingen."), "url": "/b/", "due": now, "overdue": False},
        {"label": "Zonder datum", "url": "", "due": None},
        {"label": "Aanhalingstekens \"en\" 'apostrof'", "url": '/c/"', "overdue": 1, "rule": "GP-9"},
        {"label": 17, "url": None, "due": ""},
        {},
    ]
    assert items_html(items) == _loop(items)
    assert items_html([]) == _loop([]) == ""
