"""The private iCalendar feed of a staff member's open deadlines (issue 13)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEvent
from deadlines.services.calendar_feed import hash_token, regenerate_calendar_token, revoke_calendar_token
from deadlines.services.deadlines import complete_deadline, create_deadline, withdraw_deadlines_for


def today():
    return timezone.localdate()


def _feed_events(client, token):
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_feed_lists_only_the_owners_open_deadlines(world, client):
    w = world
    mine = create_deadline(
        school=w.school,
        owner=w.mentor,
        title="Gesprek met leerling",
        rule="LB-12",
        due_on=today() + datetime.timedelta(days=3),
        student=w.sanne,
    )
    done = create_deadline(school=w.school, owner=w.mentor, title="Al gedaan", rule="", due_on=today())
    complete_deadline(deadline=done)
    create_deadline(
        school=w.school, owner=w.mentor, title="Vervallen", rule="", due_on=today(), source=w.daan
    )
    withdraw_deadlines_for(w.daan)
    create_deadline(school=w.school, owner=w.carla, title="Van Carla", rule="", due_on=today())
    token = regenerate_calendar_token(staff=w.mentor, actor=w.mentor.user)

    events = _feed_events(client, token)  # no session: the token is the credential
    assert [str(e["SUMMARY"]) for e in events] == ["Gesprek met leerling"]
    event = events[0]
    assert event.decoded("DTSTART") == mine.due_on  # an all-day event on the due date
    assert event.decoded("DTEND") == mine.due_on + datetime.timedelta(days=1)
    assert "LB-12" in str(event["DESCRIPTION"])
    response = client.get(reverse("calendar_feed", args=[token]))
    assert b"Sanne" not in response.content and b"Vries" not in response.content


def test_only_the_hash_of_the_token_is_stored(world):
    token = regenerate_calendar_token(staff=world.mentor, actor=None)
    world.mentor.refresh_from_db()
    assert world.mentor.calendar_token == hash_token(token) != token


def test_forged_or_revoked_token_is_a_404_and_leaks_nothing(world, client):
    w = world
    create_deadline(school=w.school, owner=w.mentor, title="Geheim gesprek", rule="", due_on=today())
    token = regenerate_calendar_token(staff=w.mentor, actor=None)
    for forged in ("x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), hash_token(token)):
        response = client.get(reverse("calendar_feed", args=[forged]))
        assert response.status_code == 404
        assert b"Geheim" not in response.content and b"VCALENDAR" not in response.content

    new_token = regenerate_calendar_token(staff=w.mentor, actor=None)  # the old URL stops working
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new_token])).status_code == 200

    revoke_calendar_token(staff=w.mentor, actor=None)
    response = client.get(reverse("calendar_feed", args=[new_token]))
    assert response.status_code == 404 and b"Geheim" not in response.content


def test_staff_who_left_lose_their_feed(world, client):
    token = regenerate_calendar_token(staff=world.mentor, actor=None)
    world.mentor.active = False
    world.mentor.save()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_settings_page_shows_the_url_once_and_revokes(world):
    client = world.client_for(world.teacher)
    page = client.get(reverse("calendar_feed_settings"))
    assert "Je hebt nog geen link." in page.text
    made = client.post(reverse("calendar_feed_settings"), {"action": "regenerate"})
    url = re.search(r'value="(http[^"]+\.ics)"', made.text).group(1)
    assert "no-store" in made["Cache-Control"]
    assert client.get(url).status_code == 200
    again = client.get(reverse("calendar_feed_settings"))
    assert ".ics" not in again.text and "Je hebt een actieve link." in again.text
    client.post(reverse("calendar_feed_settings"), {"action": "revoke"})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="dossier.calendar_feed.revoked").count() == 1
