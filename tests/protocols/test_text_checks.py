"""Text checks while writing (AVG-4, LB-8, LB-9): other students' names, labels and vague goals."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.models import LogEntry
from dossier.services.logbook import write_log_entry
from protocols.names import NameIndex
from protocols.text_checks import LABEL, NAME, VAGUE_GOAL, check_text, school_names
from schools.models import Student

pytestmark = pytest.mark.django_db

URL = "/tekstcontrole/"


def kinds(text, **kwargs):
    return [(f.kind, f.text) for f in check_text(text, **kwargs)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Hij is lui.", "lui"),
        ("Een luie houding.", "luie"),
        ("Wat een domme vraag.", "domme"),
        ("DOM gedrag", "DOM"),
        ("Het zijn probleemkinderen.", "probleemkinderen"),
        ("Een probleemkind in de klas.", "probleemkind"),
        ("Twee moeilijke kinderen.", "moeilijke kinderen"),
        ("Een moeilijk kindje.", "moeilijk kindje"),
        ("Die ADHD'ers weer.", "ADHD'ers"),
        ("Die ADHD’er weer.", "ADHD’er"),
        ("Hij is een autist.", "autist"),
        ("Zij reageert autistisch.", "autistisch"),
        ("Dat is luiheid.", "luiheid"),
    ],
)
def test_lb_8_labels_are_flagged_in_their_inflections(text, found):
    assert kinds(text) == [(LABEL, found)]
    (finding,) = check_text(text)
    assert finding.rule == "LB-8" and "Beschrijf wat je ziet gebeuren" in finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "De bel luidt om half negen.",
        "De klokken luiden.",
        "Er zat een luis in zijn haar.",
        "Het domein van de school.",
        "Hij had een natte luier.",  # a nappy, not "lazier"
        "De diagnose autisme is in 2024 gesteld.",  # a diagnosis named as a fact
        "Hij heeft ADHD en gebruikt medicatie.",
        "Het kind zat rustig te lezen.",
    ],
)
def test_lb_8_words_that_only_look_like_labels_are_not_flagged(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("Jan moet meer inzet tonen.", "meer inzet tonen"),
        ("Doel: hij toont meer inzet.", "toont meer inzet"),
        ("Zij let beter op in de les.", "let beter op"),
        ("Hij moet beter opletten.", "beter opletten"),
        ("We willen dat hij beter oplet.", "beter oplet"),
        ("Doel: gemotiveerder zijn.", "gemotiveerder"),
        ("Ze is gemotiveerder geworden.", "gemotiveerder"),
    ],
)
def test_lb_9_vague_goals_are_flagged_in_any_word_order_and_verb_form(text, found):
    assert kinds(text) == [(VAGUE_GOAL, found)]
    assert check_text(text)[0].rule == "LB-9"


def test_lb_8_lb_9_a_factual_sentence_is_not_flagged():
    text = (
        "Op dinsdag 3 maart om 10.15 uur stond Sanne tijdens de rekenles twee keer op en liep naar het raam. "
        "Na een aanwijzing ging zij zitten en maakte zij vijf van de acht sommen. Zij zat beter op haar plek, "
        "maar lette niet op bij de uitleg."
    )
    names = NameIndex([("Daan", "", "Jansen"), ("Mila", "", "Bakker")], own=[("Sanne", "de", "Vries")])
    assert check_text(text, names=names) == []


def test_lb_8_lb_9_the_lists_are_parameters_for_the_schools_protocol_version():
    text = "Hij is brutaal en lui. Hij moet zijn huiswerk beter maken."
    assert kinds(text, labels=["brutaal"], vague_goals=["huiswerk beter maken"]) == [
        (LABEL, "brutaal"),
        (VAGUE_GOAL, "huiswerk beter maken"),
    ]
    assert kinds("Brutale opmerking.", labels=["brutaal"]) == [(LABEL, "Brutale")]
    assert kinds(text, labels=(), vague_goals=()) == []


def test_avg_4_other_students_names_are_flagged_with_een_medeleerling(world):
    names = school_names(world.school.pk, exclude=[world.sanne])
    findings = check_text("Sanne en DAAN kregen ruzie; Mila's tas en M. Bakker. Otto keek.", names=names)
    assert [(f.kind, f.text) for f in findings] == [(NAME, "DAAN"), (NAME, "Mila's"), (NAME, "M. Bakker")]
    assert all(f.replacement == "een medeleerling" and "een medeleerling" in f.suggestion for f in findings)


def test_avg_4_name_list_of_a_school_of_2000_is_one_query_cached_per_request(
    world, django_assert_num_queries
):
    Student.objects.bulk_create(
        Student(
            school=world.school, student_number=f"9{n:05}", first_name=f"Kind{n}", last_name=f"Achternaam{n}"
        )
        for n in range(2000)
    )
    cache: dict = {}
    with django_assert_num_queries(1):
        names = school_names(world.school.pk, exclude=[world.sanne], cache=cache)
    with django_assert_num_queries(0):
        again = school_names(world.school.pk, exclude=[world.daan], cache=cache)
    assert [f.text for f in check_text("Kind1999 en Sanne", names=names)] == ["Kind1999"]
    assert [f.text for f in check_text("Kind7 en Sanne en Daan", names=again)] == ["Kind7", "Sanne"]


def _post(client, student, **data):
    return client.post(f"{URL}?velden=title,body&leerling={student.pk}", data)


def test_avg_4_text_check_partial_flags_while_typing_and_keeps_the_shown_flag(world):
    client = world.client_for(world.mentor)
    response = _post(client, world.sanne, title="Ruzie", body="Daan's jas. Sanne is lui.")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "<mark>Daan&#x27;s</mark>" in page
        and "een medeleerling" in page
        and "data-text-check-replace" in page
    )
    assert 'data-field="id_body"' in page and "<mark>lui</mark>" in page and "<mark>Sanne</mark>" not in page
    assert 'name="tekstcontrole_getoond" value="name,label"' in page
    # The text is fixed; the warning was shown all the same and stays recorded.
    page = _post(
        client, world.sanne, title="Ruzie", body="Een medeleerling", tekstcontrole_getoond="name,x"
    ).content
    assert b'value="name"' in page and b"<mark>" not in page


def test_avg_4_text_check_is_post_with_csrf_for_staff_of_the_school_only(world):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.mentor.user)
    assert _post(csrf_client, world.sanne, body="Daan").status_code == 403
    assert world.client_for(world.mentor).get(f"{URL}?velden=body").status_code == 405
    assert _post(world.client_for(world.zeno), world.sanne, body="Daan").status_code == 404
    assert _post(Client(), world.sanne, body="Daan").status_code == 302  # to the sign-in page
    assert (
        world.client_for(world.mentor).post(f"{URL}?velden=body&leerling=abc", {"body": "x"}).status_code
        == 404
    )


def test_avg_4_text_check_query_count_does_not_grow_with_the_school(world):
    client = world.client_for(world.mentor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert _post(client, world.sanne, body="Daan en Mila").status_code == 200
        return len(ctx)

    small = queries()
    Student.objects.bulk_create(
        Student(school=world.school, student_number=f"9{n:05}", first_name=f"Kind{n}", last_name="X")
        for n in range(2000)
    )
    assert queries() == small


def _note(**overrides):
    return {
        "title": "Pauze",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "body": "Een medeleerling pakte de bal.",
        "visibility": "team",
        **overrides,
    }


def test_avg_4_log_note_records_whether_the_warning_was_shown(world):
    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/"
    form = client.get(url).content.decode()
    assert (
        'hx-post="/tekstcontrole/?velden=title,body&amp;leerling=' in form and "tekstcontrole_getoond" in form
    )
    assert "<script>" not in form and "style=" not in form  # CSP: no inline scripts or styles
    client.post(url, _note(tekstcontrole_getoond="name,label,bogus"))
    client.post(url, _note(title="Zonder waarschuwing"))
    warned, plain = LogEntry.objects.order_by("pk")
    assert warned.entry.text_warnings == ["label", "name"] and plain.entry.text_warnings == []


def test_avg_4_editing_a_note_keeps_the_warning_shown_before(world):
    note = write_log_entry(
        actor=world.mentor.user, student=world.sanne, title="T", body="B", text_warnings=["name"]
    )
    client = world.client_for(world.mentor)
    client.post(f"/dossier/logboek/{note.pk}/bewerken/", _note(version=1, tekstcontrole_getoond="vague_goal"))
    note.entry.refresh_from_db()
    assert note.entry.text_warnings == ["name", "vague_goal"]


def test_avg_4_signable_document_records_the_warning_shown_on_create_and_revise(world):
    from dossier.models import DossierEntry
    from signatures.models import SignableDocument

    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/"
    assert 'hx-post="/tekstcontrole/?velden=title,content&amp;leerling=' in client.get(url).content.decode()
    data = {
        "title": "Afspraken",
        "kind": "agreement",
        "content": "Sanne is om 8.25 uur in de klas.",
        "signers": [f"guardian:{world.parent_sanne.pk}"],
        "parent_visible": "ja",
        "tekstcontrole_getoond": "label",
    }
    assert client.post(url, data).status_code == 302
    doc = SignableDocument.objects.get()
    page = client.get(f"/dossier/ondertekenen/{doc.pk}/").content.decode()
    assert 'hx-post="/tekstcontrole/?velden=content&amp;leerling=' in page
    client.post(
        f"/dossier/ondertekenen/{doc.pk}/",
        {
            "content": "Sanne is om 8.20 uur in de klas.",
            "based_on_version": "1",
            "tekstcontrole_getoond": "name",
        },
    )
    entries = DossierEntry.objects.filter(student=world.sanne, kind="document").order_by("pk")
    assert [e.text_warnings for e in entries] == [["label"], ["name"]]


def test_avg_4_letter_text_records_the_warning_shown_in_the_audit_row(world):
    from audit.models import AuditEvent

    client = world.client_for(world.carla)
    url = "/dossier/brieven/gp.out_of_class.hour/"
    assert 'hx-post="/tekstcontrole/?velden=title,subject,body"' in client.get(url).content.decode()
    form = {"title": "Uur eruit", "subject": "Onderwerp", "body": "Tekst", "version": "0"}
    assert client.post(url, {**form, "tekstcontrole_getoond": "vague_goal"}).status_code == 302
    row = AuditEvent.objects.filter(action="dossier.letter_template.updated").get()
    assert row.data["text_warnings"] == ["vague_goal"]


def test_avg_4_document_upload_records_the_warning_shown_for_its_title(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossier.models import Document
    from tests.test_authorization_matrix import PNG

    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten/nieuw/"
    assert 'hx-post="/tekstcontrole/?velden=title&amp;leerling=' in client.get(url).content.decode()
    data = {"title": "Tekening", "visibility": "team", "tekstcontrole_getoond": "name"}
    assert client.post(url, {**data, "file": SimpleUploadedFile("t.png", PNG)}).status_code == 302
    assert Document.objects.get().entry.text_warnings == ["name"]


FACTUAL = [
    "Sanne", "stond", "om", "10.15", "uur", "op", "liep", "naar", "het", "raam", "ging", "zitten", "maakte",
    "vijf", "van", "de", "acht", "sommen", "in", "les", "zei", "dat", "zij", "hoofdpijn", "had", "belde",
    "moeder", "kwam", "twee", "minuten", "te", "laat", "plein", "bal", "gooide", "tegen", "deur",
]  # fmt: skip
LABEL_FORMS = ["lui", "luie", "dom", "domme", "probleemkind", "probleemkinderen", "moeilijk kind",
               "moeilijke kinderen", "ADHD'er", "ADHD’ers", "autist", "autisten", "autistisch"]  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(FACTUAL), min_size=1, max_size=30))
def test_lb_8_lb_9_property_factual_words_are_never_flagged(words):
    assert check_text(" ".join(words) + ".") == []


@settings(max_examples=80, deadline=None)
@given(
    before=st.lists(st.sampled_from(FACTUAL), max_size=8),
    label=st.sampled_from(LABEL_FORMS),
    after=st.lists(st.sampled_from(FACTUAL), max_size=8),
    upper=st.booleans(),
)
def test_lb_8_property_a_label_in_any_inflection_and_case_is_flagged(before, label, after, upper):
    written = label.upper() if upper else label
    findings = check_text(" ".join([*before, written, *after]) + ".")
    assert [(f.kind, f.text) for f in findings] == [(LABEL, written)]


def test_avg_4_a_form_shown_again_after_an_error_keeps_the_warning_shown(world):
    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/logboek/nieuw/"
    page = client.post(url, _note(title="", tekstcontrole_getoond="name")).content.decode()
    assert 'name="tekstcontrole_getoond" value="name"' in page and LogEntry.objects.count() == 0


def test_avg_4_text_check_covers_up_to_eight_fields_of_one_form(world):
    from protocols.views import MAX_FIELDS, checked_fields

    names = [f"veld_{c}" for c in "abcdefghij"]
    assert MAX_FIELDS == 8 and checked_fields(",".join(names)) == names[:8]
    data = {name: "Een rustige les." for name in names}
    data["veld_h"] = "Daan zat ernaast."  # the eighth field is checked
    page = world.client_for(world.mentor).post(
        f"{URL}?velden={','.join(names)}&leerling={world.sanne.pk}", data
    )
    assert "<mark>Daan</mark>" in page.content.decode()
    data["veld_h"], data["veld_i"] = "Een rustige les.", "Daan zat ernaast."  # the ninth is not
    page = world.client_for(world.mentor).post(
        f"{URL}?velden={','.join(names)}&leerling={world.sanne.pk}", data
    )
    assert "<mark>" not in page.content.decode()
