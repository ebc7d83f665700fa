"""Staff screens for documents to sign: create from the file, versions with their signatures, a new
version asks again, a stale edit is refused, signing on the staff screen, flat query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from signatures.models import Decision, RequestState, SignableDocument, SignatureRequest, SignMethod
from signatures.services.signatures import create_signable_document, revise_document, sign_document
from tests import factories as f

pytestmark = pytest.mark.django_db


def _form(world, **changes) -> dict:
    data = {
        "title": "Afspraken over te laat komen",
        "kind": "agreement",
        "content": "Sanne is om 8.25 uur in de klas.\nBij te laat komen belt de mentor.",
        "signers": [f"guardian:{world.parent_sanne.pk}", f"student:{world.sanne.pk}"],
        "parent_visible": "ja",
    }
    data.update(changes)
    return data


def _portal(guardian) -> Client:
    guardian.user = guardian.user or f.UserFactory(email=guardian.email)
    guardian.save()
    client = Client()
    client.force_login(guardian.user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def doc(world):
    return create_signable_document(
        actor=world.mentor,
        student=world.sanne,
        title="Handelingsplan",
        content="Extra begeleiding bij rekenen.",
        kind="plan",
        signers=[world.parent_sanne, world.sanne],
    )


def test_mentor_creates_a_document_from_the_file_and_the_parent_sees_it(world):
    client = world.client_for(world.mentor)
    file_page = client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
    create_url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/"
    assert create_url in file_page and "Document ter ondertekening" in file_page
    form_page = _text(client.get(create_url))
    # AVG-1: only guardians with parental authority are offered; the team, not the whole school.
    assert "Petra de Vries (ouder / verzorger)" in form_page
    assert "Tom Leraar (medewerker)" in form_page and "Carla Zorg (medewerker)" in form_page
    assert "Zeno" not in form_page

    response = client.post(create_url, _form(world))
    doc = SignableDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossier/ondertekenen/{doc.pk}/"
    requests = SignatureRequest.objects.filter(version=doc.current_version)
    assert {r.signer_name for r in requests} == {"Petra de Vries", "Sanne de Vries"}
    assert "Document ter ondertekening: Afspraken over te laat komen" in _text(
        client.get(f"/dossier/leerling/{world.sanne.pk}/")
    )
    parent = _portal(world.parent_sanne)
    assert "Afspraken over te laat komen" in _text(parent.get(f"/ouders/kinderen/{world.sanne.pk}/"))


def test_document_not_visible_to_parents_stays_out_of_the_portal(world):
    client = world.client_for(world.carla)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/"
    assert client.post(url, _form(world, parent_visible="nee", title="Intern plan")).status_code == 302
    assert not SignableDocument.objects.get().parent_visible
    parent = _portal(world.parent_sanne)
    assert "Intern plan" not in _text(parent.get(f"/ouders/kinderen/{world.sanne.pk}/"))


def test_invalid_input_shows_dutch_messages_and_keeps_what_was_typed(world):
    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/"
    response = client.post(url, _form(world, title="", signers=[]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Geef het document een titel." in page and "Kies wie moet tekenen." in page
    assert "Bij te laat komen belt de mentor." in page
    assert 'role="alert"' in page
    assert not SignableDocument.objects.exists()


def test_avg_1_guardian_without_authority_and_outsiders_cannot_be_asked_to_sign(world):
    no_authority = f.GuardianFactory(school=world.school, first_name="Kees", last_name="Stief")
    f.link_guardian(world.sanne, no_authority, authority=False)
    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/nieuw/"
    assert "Kees Stief" not in client.get(url).content.decode()
    for value in (f"guardian:{no_authority.pk}", f"staff:{world.zeno.pk}", f"student:{world.daan.pk}"):
        response = client.post(url, _form(world, signers=[value]))
        assert "Deze persoon kan niet voor deze leerling tekenen." in response.content.decode()
    assert not SignableDocument.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "anouk", "fiona", "zeno"])
def test_teacher_and_others_get_404_and_no_link(world, doc, who):
    client = world.client_for(getattr(world, who))
    base = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/"
    assert client.get(base + "nieuw/").status_code == 404
    assert client.post(base + "nieuw/", _form(world)).status_code == 404
    assert client.get(base).status_code == 404
    assert client.get(f"/dossier/ondertekenen/{doc.pk}/").status_code == 404
    assert (
        client.post(
            f"/dossier/ondertekenen/{doc.pk}/", {"content": "Anders.", "based_on_version": "1"}
        ).status_code
        == 404
    )
    assert SignableDocument.objects.count() == 1 and doc.versions.count() == 1
    if who == "teacher":
        assert (
            "documenten-ondertekenen"
            not in client.get(f"/dossier/leerling/{world.sanne.pk}/").content.decode()
        )


def test_revise_after_a_signature_keeps_it_with_version_1_and_asks_again(world, doc):
    sign_document(
        version=doc.current_version,
        signer=world.parent_sanne,
        decision=Decision.AGREED,
        method=SignMethod.PORTAL,
    )
    client = world.client_for(world.carla)
    url = f"/dossier/ondertekenen/{doc.pk}/"
    response = client.post(
        url, {"content": "Extra begeleiding bij rekenen en taal.", "based_on_version": "1"}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.current_version.number == 2
    new_requests = SignatureRequest.objects.filter(version=doc.current_version)
    assert {(r.signer_name, r.state) for r in new_requests} == {
        ("Petra de Vries", RequestState.OPEN),
        ("Sanne de Vries", RequestState.OPEN),
    }
    page = _text(client.get(url))
    v2, v1 = page.index('id="versie-2"'), page.index('id="versie-1"')
    assert v2 < v1  # newest first
    assert "Petra de Vries: <strong>akkoord</strong>" in page[v1:]
    assert "hoort bij versie 1" in page[v1:]
    assert "Nog niemand heeft deze versie ondertekend." in page[v2:v1]
    assert "Petra de Vries (ouder / verzorger): wacht op ondertekening" in page[v2:v1]
    assert "Sanne de Vries (leerling): vervallen (nieuwe versie)" in page[v1:]


def test_stale_revise_is_refused_and_the_text_is_kept(world, doc):
    revise_document(actor=world.carla, document=doc, content="Carla's versie.", based_on_version=1)
    client = world.client_for(world.mentor)
    mine = "Mirjams aanvulling: ook begeleiding bij taal."
    response = client.post(f"/dossier/ondertekenen/{doc.pk}/", {"content": mine, "based_on_version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft intussen versie 2 opgeslagen. Bekijk die eerst." in page
    assert mine in page
    doc.refresh_from_db()
    assert doc.current_version.number == 2 and doc.current_version.content == "Carla's versie."


def test_guardian_signs_on_the_staff_screen_linked_from_the_document_page(world, doc):
    client = world.client_for(world.mentor)
    page = client.get(f"/dossier/ondertekenen/{doc.pk}/").content.decode()
    assert "Ouder tekent op dit scherm" in page and f"/dossier/documenten/{doc.pk}/" in page
    response = client.post(
        f"/dossier/documenten/{doc.pk}/",
        {
            "version": doc.current_version.pk,
            "signer": f"guardian:{world.parent_sanne.pk}",
            "decision": "geweigerd",
            "remark": "Wij willen eerst een gesprek.",
        },
    )
    assert response.status_code == 302
    signature = doc.current_version.signatures.get()
    assert signature.method == SignMethod.STAFF_SCREEN and signature.operated_by == world.mentor.user
    page = _text(client.get(f"/dossier/ondertekenen/{doc.pk}/"))
    assert "Petra de Vries: <strong>geweigerd</strong> – scherm medewerker" in page
    assert "Wij willen eerst een gesprek." in page
    assert f"SHA-256 {signature.sha256[:12]}" in page


def test_open_requests_list_per_student_with_empty_state_and_pages(world, doc):
    client = world.client_for(world.mentor)
    url = f"/dossier/leerling/{world.daan.pk}/documenten-ondertekenen/"
    assert "Er wacht geen document op een handtekening." in client.get(url).content.decode()
    page = _text(client.get(f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/"))
    assert "Handelingsplan" in page and "Petra de Vries (ouder / verzorger)" in page
    assert "2 open verzoeken om een handtekening." in page
    for n in range(21):
        create_signable_document(
            actor=world.mentor, student=world.daan, title=f"Brief {n}", content="Tekst.", signers=[world.daan]
        )
    first = client.get(url).content.decode()
    assert "Pagina 1 van 2" in first and "toon=open&amp;page=2" in first
    assert "Brief 0" in client.get(url + "?toon=open&page=2").content.decode()


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_document_page_query_count_does_not_grow_with_versions_and_signatures(world, doc):
    client = world.client_for(world.carla)
    url = f"/dossier/ondertekenen/{doc.pk}/"
    _count_queries(client, url)  # warm caches (content types, sessions)
    small = _count_queries(client, url)
    for n in range(2, 6):
        version = revise_document(actor=world.carla, document=doc, content=f"Versie {n}.")
        sign_document(
            version=version, signer=world.sanne, decision=Decision.SEEN, method=SignMethod.STAFF_SCREEN
        )
        sign_document(
            version=version, signer=world.parent_sanne, decision=Decision.AGREED, method=SignMethod.PORTAL
        )
    large = _count_queries(client, url)
    assert large == small, (small, large)


def test_document_list_query_count_does_not_grow_with_documents(world, doc):
    client = world.client_for(world.carla)
    url = f"/dossier/leerling/{world.sanne.pk}/documenten-ondertekenen/?toon=alle"
    _count_queries(client, url)
    small = _count_queries(client, url)
    for n in range(5):
        create_signable_document(actor=world.carla, student=world.sanne, title=f"Brief {n}", content="Tekst.")
    assert _count_queries(client, url) == small
