"""Other children's names in parent views, exports and staff views (AVG-1, AVG-4): everyday forms.

Both ways in are tried: the portal/export redactor (all other children of the school) and the
staff timeline's `redact` (the involved children this member of staff may not see). They share
one implementation, so each form must be caught by both.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.models import EntryKind
from dossier.selectors import redact
from dossier.services.record import record
from portal.queries import redactor_for
from tests import factories as f

pytestmark = pytest.mark.django_db

R = "[andere leerling]"


@pytest.fixture
def others(world):
    """Besides Sanne de Vries, Daan Jansen and Mila Bakker: Eva Jansen, Zoë van Dijk, Jan-Willem Meer."""
    school = world.school
    return {
        "eva": f.StudentFactory(school=school, first_name="Eva", last_name="Jansen", student_number="1004"),
        "zoe": f.StudentFactory(
            school=school, first_name="Zoë", name_prefix="van", last_name="Dijk", student_number="1005"
        ),
        "jw": f.StudentFactory(
            school=school,
            first_name="Jan-Willem",
            name_prefix="van der",
            last_name="Meer",
            student_number="1006",
        ),
        "daan": world.daan,
        "mila": world.mila,
        "sanne": world.sanne,
    }


@pytest.fixture(params=["portal", "staff"])
def redact_for(request, world, others):
    """A function (subject student) → (text → redacted text), the portal's or the staff view's."""

    def portal(student):
        return redactor_for(student)

    def staff(student):
        hidden = [s for s in others.values() if s.pk != student.pk]
        return lambda text: redact(text, hidden, student)

    return portal if request.param == "portal" else staff


@pytest.mark.parametrize(
    "text",
    [
        "Eva's jas lag op de grond.",
        "Eva’s jas lag op de grond.",
        "Daans fiets stond ervoor.",
        "De tas van Lars' broer",
    ],
)
def test_avg_4_possessive_of_another_childs_name_is_redacted(world, redact_for, text):
    out = redact_for(world.sanne)(text)
    assert "Eva" not in out and "Daan" not in out
    assert R in out or "Lars" in out  # Lars is no student: left alone


def test_avg_4_possessive_keeps_the_rest_of_the_sentence(world, redact_for):
    assert redact_for(world.sanne)("Eva's jas lag er.") == f"{R} jas lag er."


@pytest.mark.parametrize("text", ["EVA huilde.", "Met eva gepraat.", "DAAN JANSEN was er ook.", "zoë lachte"])
def test_avg_4_another_childs_name_in_capitals_or_lower_case_is_redacted(world, redact_for, text):
    out = redact_for(world.sanne)(text).lower()
    assert "eva" not in out and "daan" not in out and "jansen" not in out and "zoë" not in out


@pytest.mark.parametrize("text", ["Jansen was er ook bij.", "Hij zat naast Dijk.", "JANSEN riep iets."])
def test_avg_4_surname_alone_is_redacted(world, redact_for, text):
    out = redact_for(world.sanne)(text)
    assert "Jansen" not in out and "JANSEN" not in out and "Dijk" not in out


@pytest.mark.parametrize("text", ["E. Jansen", "E Jansen", "E.Jansen", "Z. van Dijk", "E.J. Jansen"])
def test_avg_4_initial_with_surname_is_redacted_whole(world, redact_for, text):
    assert redact_for(world.sanne)(f"Gesprek met {text} over het incident.") == (
        f"Gesprek met {R} over het incident."
    )


@pytest.mark.parametrize(
    "text", ["de Vries", "De Vries", "DE VRIES", "Sanne de Vries", "S. de Vries", "Vries"]
)
def test_avg_4_surname_with_tussenvoegsel_is_redacted(world, redact_for, text):
    # Seen from Daan's file: Sanne is the other child.
    assert redact_for(world.daan)(f"Ruzie met {text} in de pauze.") == f"Ruzie met {R} in de pauze."


@pytest.mark.parametrize("text", ["met Eva", "naast Eva", "bij Zoë", "tegen Mila", "voor Jan-Willem"])
def test_avg_4_name_after_a_preposition_is_redacted(world, redact_for, text):
    out = redact_for(world.sanne)(f"Sanne speelde {text}.")
    assert out.endswith(f" {R}.") and out.startswith("Sanne speelde ")


def test_avg_4_full_names_accents_and_hyphens(world, redact_for):
    out = redact_for(world.sanne)("Zoë van Dijk en Jan-Willem van der Meer; ZOË en jan-willem.")
    assert out == f"{R} en {R}; {R} en {R}."


@pytest.mark.parametrize(
    "text",
    [
        "Evaluatie van het plan",
        "De evaluatie volgt.",
        "Hij wil meer inzet tonen.",  # "meer" is a word, not Jan-Willem van der Meer
        "Een dijk van een resultaat.",  # lower case "dijk": a word, not Zoë van Dijk
        "Milano is ver.",
        "Janssen is een ander.",  # another name that merely starts like one
        "Daniel en Evaline",
    ],
)
def test_avg_4_words_that_merely_contain_a_name_are_left_alone(world, redact_for, text):
    assert redact_for(world.sanne)(text) == text


def test_avg_4_diminutive_of_a_name_is_redacted(world, redact_for):
    # Decision: "Daantje" is Daan (a nickname), so it goes; "Evaluatie" is another word and stays.
    assert redact_for(world.sanne)("Daantje en Evaatje huilden.") == f"{R} en {R} huilden."


def test_avg_4_the_students_own_names_stay(world, redact_for, others):
    redact_text = redact_for(world.sanne)
    assert redact_text("Sanne de Vries, Sanne, S. de Vries, Sanne's tas.") == (
        "Sanne de Vries, Sanne, S. de Vries, Sanne's tas."
    )
    # A sibling with the same surname: the surname alone is the student's own and stays; the full
    # name and the initial of the other child go.
    sister = f.StudentFactory(
        school=world.school, first_name="Lot", last_name="Jansen", student_number="1010"
    )
    redact_text = redactor_for(world.daan)
    out = redact_text(f"Daan Jansen en Lot Jansen en E. Jansen. Jansen lachte. {sister.first_name}.")
    assert out == f"Daan Jansen en {R} en {R}. Jansen lachte. {R}."


def test_avg_1_parent_view_redacts_possessive_and_initial_forms(world, others):
    from tests.portal.test_portal import portal_client

    record(
        student=world.sanne,
        kind=EntryKind.INCIDENT,
        title="Jas van EVA",
        body="Eva's jas lag op de grond; E. Jansen en de broer van Jansen keken toe.",
        actor=world.mentor,
        parent_visible=True,
        involved=[others["eva"]],
    )
    page = (
        portal_client(world, world.parent_sanne).get(f"/ouders/kinderen/{world.sanne.pk}/").content.decode()
    )
    page = page.split("<main", 1)[1]  # the head holds "allowEval"
    assert "EVA" not in page and "Eva" not in page and "Jansen" not in page
    assert f"{R} jas lag op de grond; {R} en de broer van {R} keken toe." in page


NAME_ALPHABET = st.sampled_from("abcdefghijklmnoprstuvwzëéï")
FILLER = ["de", "het", "een", "jas", "speelde", "met", "op", "school", "pauze", "lokaal", "boek", "ruzie"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.text(NAME_ALPHABET, min_size=3, max_size=8),
    last=st.text(NAME_ALPHABET, min_size=3, max_size=10),
    form=st.sampled_from(["{F}", "{F}'s", "{F}’s", "{L}", "{F} {L}", "{I}. {L}", "{I} {L}", "{FU}", "{LU}"]),
    before=st.lists(st.sampled_from(FILLER), max_size=4),
    after=st.lists(st.sampled_from(FILLER), max_size=4),
)
def test_avg_4_property_any_form_of_another_childs_name_is_gone(world, first, last, form, before, after):
    first, last = first.capitalize(), last.capitalize()
    if first.lower() in FILLER or last.lower() in FILLER or first[0] == "S" or last == "Vries":
        return
    other = f.StudentFactory.build(school=world.school, first_name=first, last_name=last)
    name = form.format(F=first, L=last, I=first[0], FU=first.upper(), LU=last.upper())
    text = " ".join([*before, name, *after]) + "."
    out = redact(text, [other], world.sanne)
    assert out == " ".join([*before, R, *after]) + "."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(NAME_ALPHABET, min_size=1, max_size=12), max_size=12))
def test_avg_4_property_text_without_names_is_unchanged(world, others, words):
    text = " ".join(w for w in words if w not in {"eva", "daan", "mila", "zoë", "jansen", "bakker"})
    if any(
        w.startswith(("eva", "daan", "zoë", "mila")) and w.endswith(("je", "tje", "s")) for w in text.split()
    ):
        return
    assert redactor_for(world.sanne)(text) == text
