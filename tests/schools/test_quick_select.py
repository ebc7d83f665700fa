"""QuickSelect (issue #13 §1): the incident form's student pickers without a template per option.

The HTML must be what Django's Select writes (the same attributes, the selected option, escaping),
only made in Python; the three pickers of the incident form read the school's students once.
"""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.forms.widgets import QuickSelect, QuickSelectMultiple


def _normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "2", "3"])
def test_quick_select_writes_what_djangos_select_writes(value):
    choices = [("", "Kies"), (1, "Jan"), (2, "Piet & <Klaas>"), (3, 'Anne "A"')]
    attrs = {"id": "id_leerling", "required": True, "aria-describedby": "id_leerling_error", "hidden": False}
    ours = QuickSelect(choices=choices).render("leerling", value, attrs)
    django = forms.Select(choices=choices).render("leerling", value, attrs)
    assert _normalise(ours) == _normalise(django)


def test_quick_select_marks_one_option_like_django_when_values_repeat():
    choices = [("a", "A"), ("a", "A again")]
    assert QuickSelect(choices=choices).render("x", "a").count(" selected") == 1


@pytest.mark.django_db
def test_the_incident_form_reads_the_students_once_for_its_three_pickers(world):
    client = world.client_for(world.teacher)
    client.get("/gedrag/incident/nieuw/")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/gedrag/incident/nieuw/?leerling={world.sanne.pk}").text
    student_reads = [q for q in ctx.captured_queries if 'FROM "schools_student"' in q["sql"]]
    assert len(student_reads) == 1, [q["sql"] for q in student_reads]
    assert body.count(f'<option value="{world.sanne.pk}"') == 3
    assert f'<option value="{world.sanne.pk}" selected>' in body


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["none", "sanne"])
def test_the_incident_forms_shared_pickers_write_what_djangos_select_writes(world, chosen):
    from behaviour.views.incidents import IncidentForm

    initial = {"leerling": world.sanne.pk} if chosen == "sanne" else {}
    form = IncidentForm(initial=initial, school=world.school)
    for name in ("leerling", "leerling_2", "leerling_3"):
        bound = form[name]
        django = bound.as_widget(widget=forms.Select(choices=list(bound.field.choices)))
        assert _normalise(bound.as_widget()) == _normalise(django)


@pytest.mark.parametrize("value", [[], ["b"], ["a", "c"]])
def test_quick_select_multiple_writes_what_djangos_select_multiple_writes(value):
    choices = [("a", "Incident"), ("b", "Notitie & <gesprek>"), ("c", "Brief")]
    attrs = {"id": "id_soort", "aria-describedby": "id_soort_error"}
    ours = QuickSelectMultiple(choices=choices).render("soort", value, attrs)
    django = forms.SelectMultiple(choices=choices).render("soort", value, attrs)
    assert _normalise(ours) == _normalise(django)


@pytest.mark.django_db
def test_the_file_pages_filter_is_what_djangos_widgets_write_and_still_filters(world):
    from dossier.views.timeline import TimelineFilterForm

    form = TimelineFilterForm(
        {"soort": ["talk"], "auteur": str(world.carla.user.pk)}, authors=[world.carla.user]
    )
    for name, django_widget in (("soort", forms.SelectMultiple), ("auteur", forms.Select)):
        bound = form[name]
        django = bound.as_widget(widget=django_widget(choices=list(bound.field.choices)))
        assert _normalise(bound.as_widget()) == _normalise(django)
    assert form.filters().kinds == ("talk",) and form.filters().author_id == world.carla.user.pk
