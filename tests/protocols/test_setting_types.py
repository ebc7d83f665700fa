"""Settings that are lists (categories, stages, questions) or a choice, next to whole numbers."""

import pytest
from django.core.exceptions import ValidationError

from protocols.registry import REVIEW, setting
from protocols.services import change_protocol, current_version

pytestmark = pytest.mark.django_db


def change(world, based_on=0, **values):
    return change_protocol(
        actor=world.dirk,
        school=world.school,
        protocol=REVIEW,
        values=values,
        reason="Teamoverleg",
        based_on=based_on,
    )


def test_a_list_setting_reads_as_the_seed_until_a_school_changes_it(world):
    assert current_version(world.school, REVIEW).value("fake_topics") == ["werkhouding", "sterke kanten"]


def test_a_list_is_entered_one_item_per_line_and_stored_trimmed(world):
    version = change(world, fake_topics="  werkhouding \n\n  gedrag   in de les\nsterke kanten\n")
    assert version.value("fake_topics") == ["werkhouding", "gedrag in de les", "sterke kanten"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("werkhouding\nWerkhouding", "twee keer"),
        ("\n  \n", "tussen 1 en 5 regels"),
        ("a\nb\nc\nd\ne\nf", "tussen 1 en 5 regels"),
        ("x" * 41, "langer dan 40 tekens"),
    ],
)
def test_a_bad_list_is_refused_with_a_dutch_message_and_nothing_saved(world, text, message):
    with pytest.raises(ValidationError) as error:
        change(world, fake_topics=text)
    assert message in " ".join(error.value.message_dict["fake_topics"])
    assert current_version(world.school, REVIEW).value("fake_topics") == ["werkhouding", "sterke kanten"]


def test_a_choice_setting_accepts_only_its_options(world):
    with pytest.raises(ValidationError):
        change(world, fake_restart="weekly")
    assert change(world, fake_restart="never").value("fake_restart") == "never"
    assert setting(REVIEW, "fake_restart").display("year") == "elk schooljaar"


def test_the_protocol_page_edits_a_list_one_per_line_and_shows_it(world):
    client = world.client_for(world.dirk)
    page = client.get("/protocollen/leerlingbespreking/")
    assert "werkhouding\nsterke kanten" in page.content.decode()
    assert "werkhouding; sterke kanten" in page.content.decode()
