"""Issue 10 §8 and issue 12 §8: the student's page is the care overview at a glance (schools.student_panels).

Each app's panel shows only what the viewing role may see (AVG-4): the teacher of the group the step, the
plan, the incidents (as the timeline shows them) and the agreements; the mentor also the documents waiting
for signatures; the care team also a pending referral and the open measures; the director an expulsion.
"""

from __future__ import annotations

import re

import pytest

from schools.student_panels import register_student_panel, student_panels

from .overview_history import (
    CARE_INCIDENT,
    DIRECTOR_DOCUMENT,
    HEALTH_INCIDENT,
    PLAN_BEHAVIOUR,
    REFERRAL_QUESTION,
    full_history,
)


def page(world, persona, student=None):
    student = student or world.sanne
    return world.client_for(getattr(world, persona)).get(f"/leerlingen/{student.pk}/")


def section(html: str, key: str) -> str:
    """The text of one panel's <section>, or "" when the page has none."""
    found = re.search(rf'<section class="card" id="paneel-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def history(world):
    return full_history(world)


def test_gp_8_student_page_shows_current_step_what_is_due_and_the_plan_in_force(world, history):
    html = page(world, "teacher").content.decode()
    panel = section(html, "gedrag")
    assert "Stap 2 — periodiek" in panel
    # What is due next: the case's deadlines, soonest first, the overdue one marked.
    assert "Terugkoppeling aan de ouders" in panel
    assert panel.index("Terugkoppeling aan de ouders") < panel.index("Terugkoppeling week 2")
    assert re.search(r'class="overdue">te laat:', panel)
    # The plan in force with its dates and its feedback agreement (GP-8, GP-9).
    assert "Gedragsplan (stap 2)" in panel and PLAN_BEHAVIOUR in panel
    assert "eindevaluatie uiterlijk" in panel and "terugkoppeling aan ouders elke week" in panel
    assert f'href="/gedrag/stappen/leerling/{world.sanne.pk}/">Gedragsplan (stap 2)</a>' in panel


def test_gp_0_recent_incidents_on_the_student_overview_are_the_last_five_with_a_link(world, history):
    panel = section(page(world, "teacher").content.decode(), "incidenten")
    assert panel.count("<li>") == 5
    assert "ernstig incident" in panel and "ernstig</span>" in panel  # the newest first, marked serious
    assert f'href="/gedrag/leerling/{world.sanne.pk}/#h-incidents"' in panel


def test_avg_4_incidents_on_the_overview_only_as_the_timeline_shows_them(world, history):
    teacher = section(page(world, "teacher").content.decode(), "incidenten")
    assert CARE_INCIDENT not in teacher and HEALTH_INCIDENT not in teacher
    carla = section(page(world, "carla").content.decode(), "incidenten")
    assert CARE_INCIDENT in carla and HEALTH_INCIDENT in carla


def test_gp_10_documents_waiting_for_signatures_for_the_mentor_not_the_subject_teacher(world, history):
    assert section(page(world, "teacher").content.decode(), "handtekeningen") == ""
    mentor = section(page(world, "mentor").content.decode(), "handtekeningen")
    assert "Gedragsplan versie 0" in mentor and "op 2 handtekeningen" in mentor
    assert f'href="/dossier/ondertekenen/{history["documents"][0].pk}/"' in mentor
    # AVG-4: a document filed for the director only is read like its entry.
    assert DIRECTOR_DOCUMENT not in mentor
    assert DIRECTOR_DOCUMENT in section(page(world, "dirk").content.decode(), "handtekeningen")


def test_lb_12_open_agreements_on_the_student_overview(world, history):
    panel = section(page(world, "teacher").content.decode(), "afspraken")
    assert "Noteert elke les het huiswerk in de planner." in panel and "loopt sinds" in panel
    assert "Zit voorin bij wiskunde." in panel and "start op" in panel
    assert "eigenaar Mirjam Mentor" in panel
    assert re.search(r'class="overdue">evaluatie te laat', panel)  # LB-13: an overdue evaluation marked
    # The soonest evaluation first; the subject teacher evaluates only the agreement they own.
    assert panel.index("Meldt zich elke ochtend") < panel.index("Noteert elke les")
    assert f'href="/besprekingen/afspraak/{history["late"].pk}/evalueren/"' in panel
    assert f"/besprekingen/afspraak/{history['running'].pk}/evalueren/" not in panel
    mentor = section(page(world, "mentor").content.decode(), "afspraken")
    assert f"/besprekingen/afspraak/{history['running'].pk}/evalueren/" in mentor


def test_lb_12_an_evaluated_agreement_leaves_the_overview(world, history):
    history["running"].state = "evaluated"
    history["running"].save()
    panel = section(page(world, "teacher").content.decode(), "afspraken")
    assert "Noteert elke les het huiswerk" not in panel and "Zit voorin bij wiskunde." in panel


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk"])
def test_lb_11_avg_4_pending_referral_not_on_the_overview_outside_the_care_team(world, history, persona):
    html = page(world, persona).content.decode()
    assert REFERRAL_QUESTION not in html and "Verwijzing wacht op antwoord" not in html


def test_lb_11_pending_referral_on_the_overview_for_the_care_team(world, history):
    panel = section(page(world, "carla").content.decode(), "afspraken")
    assert (
        REFERRAL_QUESTION in panel and f'href="/besprekingen/verwijzing/{history["referral"].pk}/"' in panel
    )


@pytest.mark.parametrize("persona", ["teacher", "mentor", "anouk"])
def test_sv_1_sv_2_avg_4_open_measures_not_on_the_overview_outside_the_care_team(world, history, persona):
    assert section(page(world, persona).content.decode(), "maatregelen") == ""


def test_sv_1_sv_2_open_measures_on_the_overview_for_the_care_team_expulsion_for_the_director(world, history):
    carla = section(page(world, "carla").content.decode(), "maatregelen")
    assert f'href="/maatregelen/time-out/{history["time_out"].pk}/"' in carla
    assert (
        f'href="/maatregelen/schorsing/{history["suspension"].pk}/"' in carla and "2 schooldag(en)" in carla
    )
    assert "Verwijderingszaak" not in carla  # SV-3: the director's file
    dirk = section(page(world, "dirk").content.decode(), "maatregelen")
    assert (
        f'href="/maatregelen/verwijdering/{history["expulsion"].pk}/"' in dirk and "in voorbereiding" in dirk
    )


def test_sv_1_a_handled_time_out_is_no_longer_open(world, history):
    import datetime

    from django.utils import timezone

    time_out = history["time_out"]
    time_out.on_date = timezone.localdate() - datetime.timedelta(days=10)
    time_out.parents_contacted_at = timezone.now()
    time_out.report = history["documents"][0]
    time_out.save()
    carla = section(page(world, "carla").content.decode(), "maatregelen")
    assert "/maatregelen/time-out/" not in carla and "/maatregelen/schorsing/" in carla


def test_avg_4_teacher_of_another_group_gets_404_on_the_student_page(world, history):
    response = page(world, "olga")
    assert response.status_code == 404
    assert REFERRAL_QUESTION.encode() not in response.content and b"Stap 2" not in response.content


def test_avg_4_functional_admin_sees_the_student_but_no_care_panels(world, history):
    response = page(world, "fiona")
    assert response.status_code == 200
    assert b'class="cards student-overview"' not in response.content
    assert PLAN_BEHAVIOUR.encode() not in response.content


def test_student_overview_shows_empty_states_for_a_student_without_a_history(world):
    html = page(world, "teacher").content.decode()
    assert "Niet op de ladder" in section(html, "gedrag") and "Geen plan van stap 2, 3 of 4." in html
    assert "Geen incidenten." in section(html, "incidenten")
    assert "Geen lopende afspraken." in section(html, "afspraken")
    # Nothing open: no panel at all for measures and documents.
    assert section(page(world, "dirk").content.decode(), "maatregelen") == ""
    assert section(page(world, "mentor").content.decode(), "handtekeningen") == ""


def test_student_overview_panels_in_their_order_each_with_a_dutch_heading(world, history):
    html = page(world, "dirk").content.decode()
    keys = re.findall(r'<section class="card" id="paneel-([a-z]+)"', html)
    assert keys == ["gedrag", "incidenten", "afspraken", "maatregelen", "handtekeningen"]
    for heading in ("Gedrag: stap en wat er moet gebeuren", "Recente incidenten",
                    "Afspraken uit de leerlingbespreking", "Open maatregelen", "Wacht op handtekeningen"):  # fmt: skip
        assert f">{heading}</h2>" in html
    assert html.index("student-overview") < html.index(">Groepen</h2>")  # at the top of the page


def test_student_panel_registry_refuses_the_same_key_with_another_provider():
    panel = next(p for p in student_panels() if p.key == "gedrag")
    register_student_panel(
        "gedrag", order=panel.order, provider=panel.provider, template=panel.template
    )  # harmless
    with pytest.raises(ValueError):
        register_student_panel(
            "gedrag", order=1, provider=lambda student, request: None, template=panel.template
        )
