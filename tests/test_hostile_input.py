"""Hostile input: junk in forms, query strings and the API gives a clear answer, never a 500, and
nothing invalid is stored (issue 7, "Hostile input and abuse")."""

import pytest
from django.test import Client

from dossier.models import DossierEntry, EntryKind
from dossier.services.record import record
from schools.services.api_keys import create_api_key
from signatures.services.signatures import create_signable_document
from tests import factories as f
from tests.project_apps import OUR_APPS as PROJECT_APPS

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


def _portal(guardian) -> Client:
    guardian.user = guardian.user or f.UserFactory(email=guardian.email)
    guardian.save()
    client = Client(raise_request_exception=False)
    client.force_login(guardian.user)
    return client


def _staff(world, who) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(who.user)
    return client


@pytest.fixture
def doc(world):
    return create_signable_document(
        actor=world.carla, student=world.sanne, title="Handelingsplan", content="Extra hulp bij rekenen."
    )


@pytest.mark.parametrize("version", ["abc", "1.5", HUGE, "-1"])
def test_hostile_portal_document_non_numeric_version_is_not_500(world, doc, version):
    portal = _portal(world.parent_sanne)
    response = portal.post(
        f"/ouders/kinderen/{world.sanne.pk}/documenten/{doc.pk}/", {"version": version, "decision": "akkoord"}
    )
    assert response.status_code in (200, 302, 400)
    staff = _staff(world, world.carla)
    response = staff.post(
        f"/dossier/documenten/{doc.pk}/",
        {"version": version, "decision": "akkoord", "signer": f"guardian:{world.parent_sanne.pk}"},
    )
    assert response.status_code in (200, 400)
    assert not doc.current_version.signatures.filter(method="staff_screen").exists()


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999999", HUGE, "abc", ""])
def test_hostile_calendar_year_out_of_range_is_400_not_500(world, year):
    response = _staff(world, world.fiona).get("/schoolkalender/", {"jaar": year})
    assert response.status_code in (200, 400)
    if year in ("-1", "0", "10000", "99999999", HUGE):
        assert response.status_code == 400
        assert "Kies een schooljaar tussen" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"limit": HUGE},
        {"offset": HUGE},
        {"group_id": HUGE},
        {"limit": "-1"},
        {"offset": "-5"},
        {"group_id": "-1"},
        {"limit": "abc"},
    ],
)
def test_hostile_api_numbers_beyond_64_bits_are_422_not_500(world, query):
    _key, token = create_api_key(
        actor=None, school=world.school, name="Koppeling", scopes=["organisation:read", "students:read"]
    )
    client = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)
    response = client.get("/api/v1/students", query)
    assert response.status_code in (200, 422), response.content
    for path in ("/api/v1/groups/", "/api/v1/students/", "/api/v1/guardians/", "/api/v1/staff/"):
        assert client.get(path + HUGE).status_code == 404


def test_hostile_nul_byte_in_parent_statement_is_refused_with_dutch_message(world):
    incident = record(
        student=world.sanne, kind=EntryKind.INCIDENT, title="Ruzie", actor=world.mentor, parent_visible=True
    )
    portal = _portal(world.parent_sanne)
    url = f"/ouders/kinderen/{world.sanne.pk}/regels/{incident.pk}/zienswijze/"
    response = portal.post(url, {"text": "Het begon\x00 anders."})
    assert response.status_code == 400
    assert "onzichtbare stuurtekens" in response.content.decode()
    # Bidi overrides are refused on the form itself, with the text kept.
    response = portal.post(url, {"text": "Het begon \u202eknaw\u202c anders."})
    assert response.status_code == 200 and "leesrichting" in response.content.decode()
    assert not DossierEntry.objects.filter(kind=EntryKind.PARENT_STATEMENT).exists()


# --- the mechanism: every form of ours checks its text and its numbers ------------------------

OUR_APPS = (*PROJECT_APPS, "config")


def _our_form_classes() -> list[type]:
    import importlib
    import pkgutil

    from django import forms

    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if not any(part in module.name for part in (".migrations", ".management", ".settings")):
                importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in OUR_APPS and cls.__module__ != "schools.cleaning":
            found.append(cls)
    return found


def test_hostile_every_form_of_ours_uses_the_shared_text_and_number_checks():
    from schools.cleaning import SafeFormMixin

    classes = _our_form_classes()
    assert len(classes) >= 15
    missing = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, SafeFormMixin)]
    assert missing == []


def test_hostile_form_fields_refuse_control_and_bidi_characters_with_dutch_messages():
    from django import forms

    from schools.cleaning import SafeForm

    class Example(SafeForm):
        name = forms.CharField()
        body = forms.CharField(widget=forms.Textarea)
        count = forms.IntegerField(required=False)

    def errors(**data):
        form = Example(data={"name": "Sanne", "body": "Tekst", **data})
        return form, {k: " ".join(v) for k, v in form.errors.items()}

    assert errors()[0].is_valid()
    assert "onzichtbare stuurtekens" in errors(name="Sa\x00nne")[1]["name"]
    assert "onzichtbare stuurtekens" in errors(body="Regel\x1b[31m")[1]["body"]
    assert "leesrichting" in errors(name="Sanne\u202egnp.exe")[1]["name"]
    assert "leesrichting" in errors(body="a\u2066b\u2069")[1]["body"]
    assert "één regel" in errors(name="Sanne\nDaan")[1]["name"]
    form, found = errors(body="Regel een\r\nRegel\ttwee")
    assert found == {} and form.cleaned_data["body"] == "Regel een\r\nRegel\ttwee"
    form, found = errors(name="\u200fSanne\u200e")  # invisible direction marks: removed
    assert found == {} and form.cleaned_data["name"] == "Sanne"
    assert "2147483647" in errors(count=str(2**70))[1]["count"]
    assert "-2147483648" in errors(count=str(-(2**40)))[1]["count"]


@pytest.mark.parametrize("text", ["a\x00b", "\x07", "x\x7f", "x\x85"])
def test_hostile_control_character_in_any_query_or_form_field_is_400_before_any_view(world, text):
    client = Client(raise_request_exception=False)
    for response in (
        client.get("/inloggen/", {"next": text}),
        client.post("/inloggen/", {"username": text, "password": "x"}),
        client.post("/ouders/inloggen/", {"email": f"{text}@thuis.test"}),
        client.post("/wachtwoord/vergeten/", {"email": f"{text}@thuis.test"}),
    ):
        assert response.status_code == 400
        assert "onzichtbare stuurtekens" in response.content.decode()


def test_hostile_query_int_helper_checks_range_and_shape(rf):
    from django.core.exceptions import ValidationError

    from schools.cleaning import query_int

    def get(value):
        return query_int(rf.get("/", {"n": value}), "n", default=7, minimum=1, maximum=10)

    assert get("") == 7 and get(" 3 ") == 3 and get("+4") == 4
    for junk in ("0", "11", "-1", "abc", "1.5", "1e3", str(2**70), "٣"):
        with pytest.raises(ValidationError):
            get(junk)


@pytest.mark.parametrize("next_url", ["abc", "-1", HUGE, "javascript:alert(1)", "//evil.test/x"])
def test_hostile_login_next_that_is_not_a_path_is_ignored_not_500(world, next_url):
    client = _staff(world, world.mentor)
    response = client.get("/inloggen/", {"next": next_url})
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.parametrize("based_on", ["²", "١", HUGE, "-1", "x"])
def test_hostile_document_revision_with_junk_version_number_is_refused_not_500(world, doc, based_on):
    client = _staff(world, world.carla)
    response = client.post(
        f"/dossier/ondertekenen/{doc.pk}/", {"content": "Nieuw.", "based_on_version": based_on}
    )
    assert response.status_code == 200
    assert doc.versions.count() == 1


def test_hostile_document_revision_with_bidi_override_is_refused_and_nothing_stored(world, doc):
    client = _staff(world, world.carla)
    response = client.post(
        f"/dossier/ondertekenen/{doc.pk}/", {"content": "Akkoord \u202eniet\u202c.", "based_on_version": "1"}
    )
    assert response.status_code == 200 and "leesrichting" in response.content.decode()
    assert doc.versions.count() == 1


def test_hostile_nul_byte_refused_by_the_statement_service_itself(world):
    """Not only the middleware: the service refuses it too (PostgreSQL would refuse the row)."""
    from django.core.exceptions import ValidationError

    from portal.services.portal import add_parent_statement

    incident = record(
        student=world.sanne, kind=EntryKind.INCIDENT, title="Ruzie", actor=world.mentor, parent_visible=True
    )
    user = f.UserFactory(email=world.parent_sanne.email)
    with pytest.raises(ValidationError, match="onzichtbare stuurtekens"):
        add_parent_statement(user=user, student=world.sanne, responds_to=incident, text="a\x00b")
    assert not DossierEntry.objects.filter(kind=EntryKind.PARENT_STATEMENT).exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_hostile_calendar_holiday_with_date_out_of_range_is_refused_not_500(world, day):
    from schools.models import SchoolHoliday

    before = SchoolHoliday.objects.count()
    client = _staff(world, world.fiona)
    response = client.post("/schoolkalender/vrije-dag/", {"name": "Studiedag", "start": day, "end": day})
    assert response.status_code == 422  # the page's answer to an invalid form
    assert "Kies een datum tussen 1900 en 2100." in response.content.decode()
    assert SchoolHoliday.objects.count() == before


def test_hostile_api_text_type_refuses_control_and_bidi_characters():
    from ninja import Schema
    from pydantic import ValidationError

    from schools.api.schemas import SafeText

    class Example(Schema):
        note: SafeText

    assert Example(note="Regel een\nRegel twee\u200e").note == "Regel een\nRegel twee"
    for bad, words in (("a\x00b", "onzichtbare stuurtekens"), ("a\u202eb", "leesrichting")):
        with pytest.raises(ValidationError, match=words):
            Example(note=bad)


@pytest.mark.parametrize(
    "url",
    [
        "/dossier/leerling/{huge}/",
        "/dossier/leerling/{huge}/bekeken/",
        "/dossier/leerling/{huge}/logboek/nieuw/",
        "/dossier/leerling/{huge}/documenten/nieuw/",
        "/dossier/inzage/nieuw/{huge}/",
    ],
)
def test_avg_4_hostile_student_id_beyond_64_bits_is_404_and_audited_not_500(world, url):
    from audit.models import AuditEvent

    response = _staff(world, world.carla).get(url.format(huge=HUGE))
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(success=False).latest("pk")
    assert denied.data["pk"] == HUGE and denied.student_id is None


@pytest.mark.parametrize("value", ["²", "guardian:²", "student:²", "staff:²", f"guardian:{HUGE}"])
def test_hostile_signer_and_requester_with_unicode_digits_are_refused_not_500(world, doc, value):
    client = _staff(world, world.carla)
    signed = client.post(
        f"/dossier/documenten/{doc.pk}/",
        {"version": doc.current_version.pk, "decision": "akkoord", "signer": value},
    )
    assert signed.status_code == 200 and "Kies wie er tekent." in signed.content.decode()
    asked = client.post(
        f"/dossier/inzage/nieuw/{world.sanne.pk}/", {"requester": value.partition(":")[2] or value}
    )
    assert asked.status_code == 200 and "Kies wie het verzoek doet." in asked.content.decode()
