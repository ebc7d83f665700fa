"""Issue #13 §1: one piece for "choices from rows read once" (schools.forms.widgets.SharedChoices) serves
the meeting screen's agreement forms and the signal grid's cells; the HTML is what Django's own
widgets write."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models_cycle import Score
from reviews.services.signals import open_signal_round, save_signal_answer
from reviews.views.meeting_common import meeting_staff
from reviews.views.meeting_forms import AgreementForm
from schools.forms.widgets import SharedChoices

from .cycle_helpers import plan
from .meeting_support import agree, started

pytestmark = pytest.mark.django_db


def _normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("chosen", ["none", "owner"])
def test_agreement_forms_from_shared_rows_write_what_the_querysets_form_writes(world, meeting_2b, chosen):
    """The owner's select and the carried-out-by checkboxes: the same HTML from the rows read once as
    from Django's own ModelChoiceIterator over the queryset, and no query of their own."""
    initial = (
        {"owner": world.mentor.pk, "carried_out_by": [world.teacher.pk, world.carla.pk]}
        if chosen == "owner"
        else {}
    )
    shared = SharedChoices.of_objects(meeting_staff(meeting_2b))
    ours = [AgreementForm(initial=initial, staff=shared, prefix=f"a{n}") for n in range(3)]
    django_form = AgreementForm(initial=initial, staff=meeting_staff(meeting_2b), prefix="a0")
    django = {name: str(django_form[name]) for name in ("owner", "carried_out_by")}
    with CaptureQueriesContext(connection) as ctx:
        rendered = [{name: str(form[name]) for name in django} for form in ours]
    assert len(ctx.captured_queries) == 0, [q["sql"] for q in ctx.captured_queries]
    assert rendered[0] == django
    assert rendered[1]["owner"] == django["owner"].replace('"a0-owner"', '"a1-owner"').replace(
        "id_a0-", "id_a1-"
    )
    assert str(ours[0]["owner"]).count("<option") == len(shared.rows()) + 1  # the "---------" choice first


def test_a_posted_agreement_form_with_shared_rows_validates_on_the_same_staff(world, meeting_2b):
    shared = SharedChoices.of_objects(meeting_staff(meeting_2b))
    data = {"goal": "Noteert elke les het huiswerk.", "owner": str(world.mentor.pk),
            "carried_out_by": [str(world.teacher.pk)], "version": "0"}  # fmt: skip
    form = AgreementForm(data, staff=shared)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["owner"] == world.mentor and list(form.cleaned_data["carried_out_by"]) == [
        world.teacher
    ]
    other = AgreementForm({**data, "owner": str(world.zeno.pk)}, staff=shared)  # another school's director
    assert not other.is_valid() and "owner" in other.errors


def test_meeting_screen_with_agreements_shows_the_staff_choices(world, meeting_2b):
    started(world, meeting_2b, world.sanne)
    agreement = agree(world, meeting_2b, world.sanne)
    url = reverse("review_meeting_mode", args=[meeting_2b.pk]) + f"?leerling={world.sanne.pk}"
    page = world.client_for(world.carla).get(url).content.decode()
    assert f'<option value="{world.mentor.pk}" selected>{world.mentor}</option>' in page
    assert f'name="a{agreement.pk}-carried_out_by" value="{world.teacher.pk}"' in page


def _cells(page: str) -> dict[str, str]:
    return {
        name: _normalise(options)
        for name, options in re.findall(r'<select id="(a-\d+-\d+)"[^>]*>(.*?)</select>', page, re.S)
    }


def test_lb_4_signal_grid_cells_write_what_djangos_select_writes(world):
    signal_round = open_signal_round(actor=world.mentor, meeting=plan(world))
    save_signal_answer(
        actor=world.teacher, round=signal_round, student_id=world.sanne.pk, question="0", value="good"
    )
    save_signal_answer(actor=world.teacher, round=signal_round, student_id=world.daan.pk, question="1",
                       value=Score.values[-1])  # fmt: skip
    page = world.client_for(world.teacher).get(f"/signaleringslijst/{signal_round.pk}/").content.decode()
    cells = _cells(page)
    assert len(cells) == 2 * len(signal_round.questions)
    choices = [("", "—"), *Score.choices]

    def django(value):
        html = forms.Select(choices=choices).render("x", value)
        return _normalise(re.sub(r"^<select[^>]*>|</select>$", "", html.strip()))

    assert cells[f"a-{world.sanne.pk}-0"] == django("good")
    assert cells[f"a-{world.daan.pk}-1"] == django(Score.values[-1])
    # Not answered: the same options, none marked (Django would mark the empty one; a browser shows it first anyway).
    assert cells[f"a-{world.sanne.pk}-1"] == django("").replace(
        '<option value="" selected>', '<option value="">'
    )
    assert sum(cell.count(" selected>") for cell in cells.values()) == 2
