"""Signatures bind to one exact version; a change asks for them again; a superseded version is refused."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from audit.audit import verify_chain
from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind
from protocols.exceptions import ProtocolViolation
from signatures.models import Decision, RequestState, Signature, SignatureRequest, SignMethod
from signatures.services.signatures import (
    create_signable_document,
    revise_document,
    sign_document,
    signatures_complete,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(world):
    return create_signable_document(
        actor=world.carla,
        student=world.sanne,
        title="Afspraken gedrag",
        content="Sanne meldt zich elke maandag bij de mentor.",
        kind="agreement",
    )


def test_signature_stores_who_when_how_and_hash_of_the_version(world, agreement):
    version = agreement.current_version
    signature = sign_document(
        version=version,
        signer=world.parent_sanne,
        decision=Decision.AGREED,
        method=SignMethod.STAFF_SCREEN,
        actor=world.carla.user,
    )
    expected = hashlib.sha256(b"Sanne meldt zich elke maandag bij de mentor.").hexdigest()
    assert signature.sha256 == version.sha256 == expected
    assert signature.signer_label == "Petra de Vries"
    assert signature.get_method_display() == "scherm medewerker"
    assert signature.operated_by == world.carla.user
    assert SignatureRequest.objects.get(version=version).state == RequestState.SIGNED
    entry = DossierEntry.objects.get(kind=EntryKind.SIGNATURE, student=world.sanne)
    assert "akkoord door Petra de Vries" in entry.title
    assert AuditEvent.objects.filter(action="dossier.document.signed").count() == 1
    assert verify_chain() is None
    assert signatures_complete(version)
    assert signatures_complete(version, required=[world.parent_sanne])
    assert signatures_complete(version, required=["guardian"])
    assert not signatures_complete(version, required=[world.mentor])


def test_revised_document_keeps_old_signature_on_old_version_and_asks_again(world, agreement):
    v1 = agreement.current_version
    sign_document(version=v1, signer=world.parent_sanne, decision=Decision.AGREED, method=SignMethod.PORTAL)
    v2 = revise_document(
        actor=world.carla,
        document=agreement,
        content="Sanne meldt zich elke dag bij de mentor.",
        based_on_version=1,
    )
    agreement.refresh_from_db()
    assert agreement.current_version == v2 and v2.number == 2
    old = Signature.objects.get()
    assert old.version == v1 and old.sha256 == v1.sha256 != v2.sha256
    new_requests = SignatureRequest.objects.filter(version=v2)
    assert [(r.guardian, r.state) for r in new_requests] == [(world.parent_sanne, RequestState.OPEN)]
    # The old version's signature does not count for the new one, nor any more for the old.
    assert not signatures_complete(v2)
    assert not signatures_complete(v1)


def test_signing_a_superseded_version_is_refused_and_nothing_written(world, agreement):
    v1 = agreement.current_version
    revise_document(actor=world.carla, document=agreement, content="Nieuwe tekst.")
    entries, events = DossierEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        sign_document(version=v1, signer=world.parent_sanne, decision=Decision.SEEN, method=SignMethod.PORTAL)
    assert "vervangen door een nieuwere versie" in exc.value.messages[0]
    assert Signature.objects.count() == 0
    assert (DossierEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)


def test_double_signing_is_refused(world, agreement):
    version = agreement.current_version
    sign_document(
        version=version, signer=world.parent_sanne, decision=Decision.SEEN, method=SignMethod.PORTAL
    )
    with pytest.raises(ValidationError, match="al ondertekend"):
        sign_document(
            version=version, signer=world.parent_sanne, decision=Decision.AGREED, method=SignMethod.PORTAL
        )
    assert Signature.objects.count() == 1


def test_refusal_needs_a_remark_and_does_not_count(world, agreement):
    version = agreement.current_version
    with pytest.raises(ValidationError, match="waarom"):
        sign_document(
            version=version, signer=world.parent_sanne, decision=Decision.REFUSED, method=SignMethod.PORTAL
        )
    sign_document(
        version=version,
        signer=world.parent_sanne,
        decision=Decision.REFUSED,
        remark="Wij zijn het niet eens met de maandag.",
        method=SignMethod.PORTAL,
    )
    assert not signatures_complete(version)


def test_avg_1_guardian_without_parental_authority_cannot_sign(world, agreement):
    stepfather = f.GuardianFactory(school=world.school, first_name="Stef", last_name="Vries")
    f.link_guardian(world.sanne, stepfather, authority=False)
    with pytest.raises(ProtocolViolation) as exc:
        sign_document(
            version=agreement.current_version,
            signer=stepfather,
            decision=Decision.SEEN,
            method=SignMethod.PORTAL,
        )
    assert exc.value.rule == "AVG-1"


def test_revision_based_on_a_stale_version_is_refused(world, agreement):
    revise_document(actor=world.carla, document=agreement, content="Tweede tekst.", based_on_version=1)
    with pytest.raises(ValidationError, match="intussen versie 2"):
        revise_document(actor=world.mentor, document=agreement, content="Derde tekst.", based_on_version=1)


def test_staff_signing_screen_records_signature(world, agreement):
    client = world.client_for(world.mentor)
    url = f"/dossier/documenten/{agreement.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Petra de Vries" in page.content.decode()
    response = client.post(
        url,
        {
            "version": agreement.current_version.pk,
            "signer": f"guardian:{world.parent_sanne.pk}",
            "decision": "voor_gezien",
        },
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.method == SignMethod.STAFF_SCREEN and signature.operated_by == world.mentor.user


def test_staff_signing_screen_not_for_unrelated_staff_or_other_school(world, agreement):
    url = f"/dossier/documenten/{agreement.pk}/"
    assert world.client_for(world.zeno).get(url).status_code == 404
    mila_teacher = f.StaffFactory(school=world.school)
    f.teach(mila_teacher, world.group_3c)
    assert world.client_for(mila_teacher).get(url).status_code == 404


def test_staff_screen_cannot_sign_for_a_colleague(world, agreement):
    client = world.client_for(world.mentor)
    response = client.post(
        f"/dossier/documenten/{agreement.pk}/",
        {
            "version": agreement.current_version.pk,
            "signer": f"staff:{world.dirk.pk}",
            "decision": "voor_gezien",
        },
    )
    assert "Kies wie er tekent." in response.content.decode()
    assert not Signature.objects.exists()
