"""Issue 7, "Access (AVG-4)": what a role cannot read on the page it cannot read anywhere else either.

Finding 1: the log-note detail page redacts another involved child like the timeline does.
Finding 2: a letter PDF (and every other download) checks "may view this file entry", not
"may view the student".
"""

from django.urls import reverse

from dossier.models import DossierEntry, Visibility
from dossier.services.logbook import write_log_entry
from messaging.services.messages import compose_letter
from signatures.services.signatures import create_signable_document


def _note_naming_mila(world):
    return write_log_entry(
        actor=world.carla.user,
        student=world.sanne,
        title="Ruzie met Mila Bakker",
        body="Mila Bakker duwde Sanne tegen de kluisjes. Mila huilde daarna.",
        involved=[world.mila],
    )


def test_avg_4_log_note_detail_redacts_other_child_for_teacher(world):
    log = _note_naming_mila(world)
    url = reverse("dossier_log_detail", args=[log.pk])
    # Tom teaches 2B (Sanne), not 3C (Mila): the timeline redacts Mila, so must the detail page.
    body = world.client_for(world.teacher).get(url).content.decode()
    assert "Mila" not in body and "Bakker" not in body
    assert "[andere leerling] duwde Sanne" in body
    # The care team sees the whole school: the name stays for them.
    assert "Mila Bakker duwde Sanne" in world.client_for(world.carla).get(url).content.decode()
    log.refresh_from_db()
    assert log.body.startswith("Mila Bakker")  # the redaction never reaches the database


def test_avg_4_log_note_detail_redacts_other_child_in_a_correction_title(world):
    log = _note_naming_mila(world)
    write_log_entry(
        actor=world.carla.user,
        student=world.sanne,
        title="Correctie: Mila Bakker was er niet bij",
        body="Het was een ander.",
        involved=[world.mila],
        corrects=log,
    )
    body = world.client_for(world.teacher).get(reverse("dossier_log_detail", args=[log.pk])).content.decode()
    # Not a bare `"Mila" not in body`: a generated staff member may be called Mila too.
    assert "Mila Bakker" not in body and "Correctie: Mila" not in body
    assert "Correctie:" in body


def test_avg_4_letter_pdf_is_refused_to_the_functional_admin(world):
    letter = compose_letter(actor=world.carla, student=world.sanne, template_code="sv.expulsion.warning")
    url = reverse("letter_pdf", args=[letter.pk])
    assert world.client_for(world.fiona).get(url).status_code == 404
    assert world.client_for(world.mentor).get(url).status_code == 200


def test_avg_4_letter_pdf_follows_its_file_entry_visibility(world):
    letter = compose_letter(actor=world.carla, student=world.sanne, template_code="sv.expulsion.warning")
    # A letter filed at the director's level is for the director only, like its entry on the timeline.
    DossierEntry.objects.filter(source_id=str(letter.pk), kind="letter").update(
        visibility=Visibility.DIRECTOR
    )
    url = reverse("letter_pdf", args=[letter.pk])
    assert world.client_for(world.mentor).get(url).status_code == 404
    assert world.client_for(world.carla).get(url).status_code == 404
    assert world.client_for(world.dirk).get(url).status_code == 200


def test_avg_4_signable_document_is_refused_to_the_functional_admin(world):
    document = create_signable_document(
        actor=world.carla, student=world.sanne, title="Afspraken", content="Tekst"
    )
    for name in ("signable_document_detail", "signables_detail"):
        url = reverse(name, args=[document.pk])
        assert world.client_for(world.fiona).get(url).status_code == 404, name


def test_avg_4_signable_document_follows_its_file_entry_visibility(world):
    document = create_signable_document(
        actor=world.carla, student=world.sanne, title="Afspraken", content="Tekst"
    )
    DossierEntry.objects.filter(source_id=str(document.pk), kind="document").update(is_health=True)
    url = reverse("signable_document_detail", args=[document.pk])
    assert world.client_for(world.mentor).get(url).status_code == 404
    assert world.client_for(world.carla).get(url).status_code == 200


def test_avg_4_outbox_hides_the_subject_from_the_functional_admin(world):
    """The functional admin keeps mail going (status, retry) but reads no care content there."""
    from messaging.services.messages import send_message

    send_message(actor=world.carla, student=world.sanne, subject="Schorsing om 3 maart", body="Tekst")
    admin_page = world.client_for(world.fiona).get("/dossier/berichten/").content.decode()
    assert "Schorsing" not in admin_page
    assert "Schorsing om 3 maart" in world.client_for(world.carla).get("/dossier/berichten/").content.decode()
