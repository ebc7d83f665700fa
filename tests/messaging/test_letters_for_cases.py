"""Letters, messages and signatures for cases (issue 9 §4): a case lists its letters (SV-4), one call
sends a letter, outside bodies and staff by role as recipients, a PDF as the signed version (GP-21)."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from dossier.models import DossierEntry, EntryKind
from messaging.letters.registry import (
    register_letter_template,
    registered_letters,
    unregister_letter_template,
)
from messaging.models import Letter, Message
from messaging.selectors_letters import letters_and_messages_of
from messaging.services.messages import send_letter, send_message
from messaging.services.outbox import deliver_message
from protocols.exceptions import ProtocolViolation
from schools.models import School
from schools.services.settings import settings_fingerprint
from signatures.models import Decision, SignMethod
from signatures.services.signatures import (
    create_signable_document,
    require_signatures,
    sign_document,
    signable_letter,
    signature_valid,
    signatures_complete,
)
from tests import factories as f

SUSPENSION = {"start": "3 maart", "end": "5 maart", "days": 3, "reason": "geweld tegen een medeleerling"}


@pytest.fixture
def outside_bodies(world):
    world.school.inspectorate_email = "meldingen@inspectie.test"
    world.school.attendance_officer_name = "Lotte Leerplicht"
    world.school.attendance_officer_email = "leerplicht@gemeente.test"
    world.school.save()
    return world


def _case(world, student=None):
    """A case object: a signable document stands in for an incident ladder or a suspension."""
    return create_signable_document(
        actor=world.carla, student=student or world.sanne, title="Gedragsafspraken", content="Afspraken.",
        signers=[],
    )  # fmt: skip


def test_sv_4_case_lists_every_letter_and_message_of_its_procedure(world, django_assert_num_queries):
    case, other_case = _case(world), _case(world)
    first = send_letter(
        actor=world.dirk, student=world.sanne, template_code="sv.expulsion.warning", source=case
    )
    note = send_message(
        actor=world.dirk, student=world.sanne, subject="Gesprek", body="Tot dinsdag.", source=case
    )
    send_letter(
        actor=world.dirk, student=world.sanne, template_code="sv.expulsion.warning", source=other_case
    )
    send_message(actor=world.dirk, student=world.sanne, subject="Los bericht", body="Geen zaak.")
    ContentType.objects.get_for_model(case)  # the content type is cached after its first use
    first_message = first.messages.get()

    with django_assert_num_queries(3):
        listed = letters_and_messages_of(case)
        assert [m.pk for letter in listed.letters for m in letter.messages.all()] == [first_message.pk]
    assert [letter.pk for letter in listed.letters] == [first.pk]
    assert [m.pk for m in listed.messages] == [note.pk]
    assert first.source == case and first.messages.get().source == case

    # More letters, the same number of queries.
    for _i in range(3):
        send_letter(actor=world.dirk, student=world.sanne, template_code="gp.out_of_class.hour", source=case)
    with django_assert_num_queries(3):
        listed = letters_and_messages_of(case)
        for letter in listed.letters:
            list(letter.messages.all())
    assert len(listed.letters) == 4 and len(listed) == 5


def test_send_letter_is_one_call_one_entry_one_pdf_one_email_per_guardian(world):
    second = f.GuardianFactory(
        school=world.school, first_name="Frank", last_name="de Vries", email="frank@thuis.test"
    )
    f.link_guardian(world.sanne, second)
    before = DossierEntry.objects.filter(student=world.sanne).count()

    letter = send_letter(
        actor=world.dirk, student=world.sanne, template_code="sv.suspension.decision", context=SUSPENSION,
        recipients={"to": ["guardians_with_authority"]},
    )  # fmt: skip

    entries = DossierEntry.objects.filter(student=world.sanne).exclude(kind=EntryKind.DOCUMENT)
    assert entries.count() - before == 1  # one entry in the file, not a letter and a message
    entry = entries.first()
    assert entry.kind == EntryKind.LETTER and entry.source == letter and entry.parent_visible
    assert Letter.objects.count() == 1
    with letter.pdf.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    (message,) = Message.objects.all()
    assert message.letter == letter and message.subject == "Schorsing van Sanne de Vries"
    assert AuditEvent.objects.filter(action="dossier.letter.sent").count() == 1

    assert deliver_message.call(message.pk) == "sent"
    # One e-mail per guardian with authority, each with the PDF, neither sees the other's address.
    assert sorted(m.to for m in mail.outbox) == [["frank@thuis.test"], [world.parent_sanne.email]]
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)


def test_send_letter_uses_the_registered_recipients_when_none_given(outside_bodies):
    world = outside_bodies
    letter = send_letter(
        actor=world.dirk, student=world.sanne, template_code="sv.suspension.inspectorate", context=SUSPENSION
    )
    message = letter.messages.get()
    assert message.addresses("to") == ["meldingen@inspectie.test"]  # SV-2: registered with the template
    assert message.addresses("cc") == ["dirk@beekdal.test"]


def test_sv_2_inspectorate_leerplicht_and_staff_by_role_in_to_cc_and_named(outside_bodies):
    world = outside_bodies
    rule = {
        "to": ["inspectorate"],
        "cc": ["attendance_officer", "behaviour_specialist", "care_coordinator"],
        "named": ["director", "attendance_officer"],
    }
    letter = send_letter(
        actor=world.dirk, student=world.sanne, template_code="sv.suspension.inspectorate",
        context=SUSPENSION, recipients=rule,
    )  # fmt: skip
    message = letter.messages.get()
    assert message.addresses("to") == ["meldingen@inspectie.test"]
    assert message.addresses("cc") == ["leerplicht@gemeente.test", "bea@beekdal.test", "carla@beekdal.test"]
    assert message.recipients["to"][0]["role"] == "inspectorate"
    # Named in the text: the director signs the letter; the attendance officer is added by name.
    assert message.recipients["named"] == {
        "director": "Dirk Directeur",
        "attendance_officer": "Lotte Leerplicht",
    }
    assert "Lotte Leerplicht" in letter.body and "Dirk Directeur" in letter.body
    deliver_message.call(message.pk)
    (sent,) = mail.outbox
    assert sent.to == ["meldingen@inspectie.test"]
    assert sent.cc == ["leerplicht@gemeente.test", "bea@beekdal.test", "carla@beekdal.test"]


def test_sv_2_letter_to_the_inspectorate_without_its_address_is_refused(world):
    with pytest.raises(ValidationError, match="e-mailadres van de inspectie"):
        send_letter(
            actor=world.dirk,
            student=world.sanne,
            template_code="sv.suspension.inspectorate",
            context=SUSPENSION,
        )
    assert not Letter.objects.exists() and not Message.objects.exists()


def test_school_settings_keep_the_outside_addresses_and_refuse_a_bad_one(world):
    client = world.client_for(world.fiona)
    data = {
        "fingerprint": settings_fingerprint(world.school), "max_upload_mb": 20, "dagdeel_minutes": 180,
        "letterhead": "", "address": "", "inspectorate_email": "geen-adres",
        "attendance_officer_name": "Lotte Leerplicht", "attendance_officer_email": "leerplicht@gemeente.test",
    }  # fmt: skip
    response = client.post("/instellingen/", data)
    assert response.status_code == 200 and "inspectorate_email" in response.context["form"].errors
    assert School.objects.get(pk=world.school.pk).inspectorate_email == ""

    data["inspectorate_email"] = "meldingen@inspectie.test"
    client.post("/instellingen/", data)
    school = School.objects.get(pk=world.school.pk)
    assert school.inspectorate_email == "meldingen@inspectie.test"
    assert (school.attendance_officer_name, school.attendance_officer_email) == (
        "Lotte Leerplicht", "leerplicht@gemeente.test",
    )  # fmt: skip


def test_gp_21_rendered_letter_is_the_signed_version_bound_to_its_pdf_sha256(world):
    letter = send_letter(
        actor=world.carla, student=world.sanne, template_code="gp.time_out_group.step_plan",
        context={"start": "3 maart", "end": "14 maart", "host_group": "3C", "agreements": "Op tijd komen."},
    )  # fmt: skip
    document = signable_letter(actor=world.carla, letter=letter, signers=[world.parent_sanne])
    version = document.current_version
    assert version.sha256 == letter.sha256  # the PDF's bytes, not the text
    with version.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    signature = sign_document(
        version=version, signer=world.parent_sanne, decision=Decision.AGREED, method=SignMethod.STAFF_SCREEN,
        actor=world.carla,
    )  # fmt: skip
    assert signature.sha256 == letter.sha256 and signature_valid(signature)
    require_signatures(version, rule="GP-21")  # complete: no exception

    # Someone changes the stored PDF: the signature no longer holds and the step is refused.
    with open(version.file.path, "ab") as handle:
        handle.write(b"\n% gewijzigd")
    assert not signature_valid(signature)
    assert not signatures_complete(version)
    with pytest.raises(ProtocolViolation) as refused:
        require_signatures(version, rule="GP-21")
    assert refused.value.rule == "GP-21" and "gewijzigd" in refused.value.message


def test_gp_21_require_signatures_names_who_has_not_signed_yet(world):
    document = create_signable_document(
        actor=world.carla, student=world.sanne, title="Stappenplan time-out", content="Plan.",
        signers=[world.parent_sanne, world.sanne, world.dirk],
    )  # fmt: skip
    version = document.current_version
    sign_document(version=version, signer=world.dirk, decision=Decision.AGREED,
                  method=SignMethod.STAFF_SCREEN, actor=world.dirk)  # fmt: skip
    sign_document(version=version, signer=world.sanne, decision=Decision.REFUSED, remark="Niet eens.",
                  method=SignMethod.STAFF_SCREEN, actor=world.carla)  # fmt: skip
    with pytest.raises(ProtocolViolation) as refused:
        require_signatures(version, rule="GP-21")
    assert refused.value.rule == "GP-21"
    assert refused.value.message == (
        "“Stappenplan time-out” is nog niet ondertekend door: Petra de Vries, Sanne de Vries (geweigerd)."
    )
    assert "Dirk" not in refused.value.message
    with pytest.raises(ProtocolViolation, match="Petra de Vries") as only_guardian:
        require_signatures(version, rule="SV-1", required=["guardian"])
    assert only_guardian.value.rule == "SV-1"
    require_signatures(version, rule="GP-21", required=[world.dirk])  # the director signed

    sign_document(version=version, signer=world.parent_sanne, decision=Decision.SEEN,
                  method=SignMethod.STAFF_SCREEN, actor=world.carla)  # fmt: skip
    require_signatures(version, rule="SV-1", required=["guardian", world.dirk])


@pytest.fixture
def fake_protocol_letter():
    register_letter_template(
        "test.fake.notice",
        "Melding over {{ student.first_name }}",
        "Beste ouders,\n\n{{ student.first_name }} deed mee aan {{ activity }}.",
        rule="GP-99",
        title="Melding nepprotocol",
        recipients={"to": ["guardians_with_authority"], "cc": ["care_coordinator"]},
        variables=("activity",),
    )
    yield "test.fake.notice"
    unregister_letter_template("test.fake.notice")


def test_a_protocol_registers_its_letter_and_the_letters_page_lists_it(world, fake_protocol_letter):
    codes = {letter.code for letter in registered_letters()}
    assert fake_protocol_letter in codes
    own = {
        code
        for code in codes
        if not code.startswith(("test.", "fakeprotocol.", "behaviour.", "measures.", "reviews."))
    }
    assert len(own) == 14  # the dossier's own defaults registered themselves
    page = world.client_for(world.fiona).get(reverse("letter_template_list")).content.decode()
    assert "Melding nepprotocol" in page and "GP-99" in page and "cc: zorgcoördinator" in page
    edit = world.client_for(world.fiona).get(reverse("letter_template_edit", args=[fake_protocol_letter]))
    assert edit.status_code == 200

    letter = send_letter(actor=world.carla, student=world.sanne, template_code=fake_protocol_letter,
                         context={"activity": "de sportdag"})  # fmt: skip
    assert letter.body.startswith("Beste ouders,\n\nSanne deed mee aan de sportdag.")
    assert letter.messages.get().addresses("cc") == ["carla@beekdal.test"]


def test_registering_a_code_twice_with_other_text_is_refused(fake_protocol_letter):
    with pytest.raises(ValueError):
        register_letter_template(fake_protocol_letter, "Ander onderwerp", "Andere tekst")


def test_send_letter_without_an_addressable_recipient_writes_nothing(world, settings):
    """Refused before rendering: no letter, no message, no entry and no orphan PDF in storage."""
    world.parent_sanne.email = ""
    world.parent_sanne.save()
    entries = DossierEntry.objects.count()
    with pytest.raises(ValidationError, match="geen ontvanger"):
        send_letter(actor=world.dirk, student=world.sanne, template_code="sv.expulsion.warning")
    assert not Letter.objects.exists() and not Message.objects.exists()
    assert DossierEntry.objects.count() == entries
    letters_dir = Path(settings.MEDIA_ROOT) / "letters"
    assert not letters_dir.exists() or not any(letters_dir.rglob("*.pdf"))


def test_send_letter_with_the_same_idempotency_key_sends_once(world):
    first = send_letter(actor=world.dirk, student=world.sanne, template_code="sv.expulsion.warning",
                        idempotency_key="case-1:warning")  # fmt: skip
    again = send_letter(actor=world.dirk, student=world.sanne, template_code="sv.expulsion.warning",
                        idempotency_key="case-1:warning")  # fmt: skip
    assert again == first and Letter.objects.count() == 1 and Message.objects.count() == 1
